/**
 * The shop's icons as inline SVG: they render on any machine, with or without an emoji font
 * (the served HTML carries no emoji code point). `currentColor` follows the text colour.
 */
import { trusted, type Html } from './html.js';

const svg = (name: string, body: string, size = 20): Html =>
  trusted(
    `<svg class="icon icon-${name}" width="${size}" height="${size}" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true" focusable="false">${body}</svg>`,
  );

export const ICONS = {
  /** The shop (a shopping bag). */
  shop: () => svg('shop', '<path d="M5 8h14l-1.2 12H6.2z"/><path d="M9 10V6a3 3 0 0 1 6 0v4"/>'),
  /** Green tea (a cup with steam). */
  tea: () =>
    svg(
      'tea',
      '<path d="M4 10h13v4a6 6 0 0 1-6 6h-1a6 6 0 0 1-6-6z"/><path d="M17 11h1.5a2.5 2.5 0 0 1 0 5H16"/><path d="M8 3c-1 1.2 1 2.3 0 3.5M12 3c-1 1.2 1 2.3 0 3.5"/>',
      28,
    ),
  /** A mooncake (a round cake with a pressed pattern). */
  mooncake: () =>
    svg(
      'mooncake',
      '<circle cx="12" cy="12" r="8.5"/><circle cx="12" cy="12" r="4.5"/><path d="M12 3.5v4M12 16.5v4M3.5 12h4M16.5 12h4"/>',
      28,
    ),
  /** A folding hand fan. */
  fan: () =>
    svg('fan', '<path d="M12 20 3.5 9.5a12 12 0 0 1 17 0z"/><path d="M12 20 8 7.2M12 20V6.5M12 20l4-12.8"/>', 28),
  /** Paid (a check mark in a circle). */
  paid: () => svg('paid', '<circle cx="12" cy="12" r="9"/><path d="m7.5 12.5 3 3 6-6.5"/>'),
  /** Waiting (a clock). */
  waiting: () => svg('waiting', '<circle cx="12" cy="12" r="9"/><path d="M12 7v5l3 2"/>', 16),
  /** Failed (a cross in a circle). */
  failed: () => svg('failed', '<circle cx="12" cy="12" r="9"/><path d="m9 9 6 6M15 9l-6 6"/>'),
} as const;

export type ProductIcon = 'tea' | 'mooncake' | 'fan';

/** The favicon (GET /favicon.svg, /favicon.ico): the shopping bag on the header's blue. */
export const FAVICON_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="#16324f"/><path d="M8 12h16l-1.5 13h-13z" fill="#fff"/><path d="M12.5 14V9.5a3.5 3.5 0 0 1 7 0V14" fill="none" stroke="#fff" stroke-width="2.2" stroke-linecap="round"/></svg>`;
