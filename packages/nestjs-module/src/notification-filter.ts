/**
 * Which notifications a `@MmspNotificationHandler()` method receives: all (no filter), or those of
 * some families (`quickPay` 快捷, `scan` 扫码, `gateway` 网关) and/or CommandIDs (35104, 35090,
 * 2324; PROTOCOL §4–5). The family comes from the signed Body (`@mmsp/client` familyOf), never from
 * the unsigned header.
 */
import type { EnvelopeFamily } from '@mmsp/codec';
import { NOTIFICATION_COMMANDS, type PaidEvent } from '@mmsp/client';

const FAMILIES: readonly EnvelopeFamily[] = ['quickPay', 'scan', 'gateway'];

/**
 * Which notifications a `@MmspNotificationHandler()` method receives: `'scan'`, `['scan', 'gateway']`
 * or `{ family?, command? }` (both must match when both are given); families `quickPay` 快捷,
 * `scan` 扫码, `gateway` 网关 (payouts are not pushed), CommandIDs 35104, 35090, 2324 (PROTOCOL §4).
 * The family comes from the signed Body, never from the unsigned header.
 */
export type MmspNotificationFilter =
  | EnvelopeFamily
  | readonly EnvelopeFamily[]
  | { family?: EnvelopeFamily | readonly EnvelopeFamily[]; command?: number | readonly number[] };

/** The normalized filter stored as metadata. */
export interface NotificationHandlerMetadata {
  /** Only these families (`quickPay`, `scan`, `gateway`); every family when absent. */
  families?: readonly EnvelopeFamily[];
  /** Only these notification CommandIDs (35104, 35090, 2324); every one when absent. */
  commands?: readonly number[];
}

const list = <T>(v: T | readonly T[]): readonly T[] => (Array.isArray(v) ? (v as readonly T[]) : [v as T]);

/** Checks a filter when the class is defined; throws a TypeError naming the bad value. */
export function normalizeFilter(filter?: MmspNotificationFilter): NotificationHandlerMetadata {
  if (filter === undefined) return {};
  const spec =
    typeof filter === 'string' || Array.isArray(filter)
      ? { family: filter as EnvelopeFamily | readonly EnvelopeFamily[] }
      : filter;
  if (spec === null || typeof spec !== 'object')
    throw new TypeError(
      '@MmspNotificationHandler(filter): filter must be a family name, an array of them, or { family?, command? }',
    );
  const { family, command, ...rest } = spec as { family?: unknown; command?: unknown };
  const unknownKeys = Object.keys(rest);
  if (unknownKeys.length > 0)
    throw new TypeError(
      `@MmspNotificationHandler(filter): unknown filter key ${unknownKeys.join(', ')} (known: family, command)`,
    );
  const out: { families?: EnvelopeFamily[]; commands?: number[] } = {};
  if (family !== undefined) {
    const families = list(family as EnvelopeFamily);
    for (const f of families) {
      if (!FAMILIES.includes(f))
        throw new TypeError(
          `@MmspNotificationHandler(filter): family must be one of ${FAMILIES.join(', ')} (payouts are not pushed)`,
        );
    }
    if (families.length === 0)
      throw new TypeError('@MmspNotificationHandler(filter): family must not be an empty list');
    out.families = [...families];
  }
  if (command !== undefined) {
    const commands = list(command as number);
    for (const c of commands) {
      if (!NOTIFICATION_COMMANDS.includes(c))
        throw new TypeError(
          `@MmspNotificationHandler(filter): command must be one of ${NOTIFICATION_COMMANDS.join(', ')} (the notification CommandIDs, docs/PROTOCOL.md §4)`,
        );
    }
    if (commands.length === 0)
      throw new TypeError('@MmspNotificationHandler(filter): command must not be an empty list');
    out.commands = [...commands];
  }
  return Object.freeze(out);
}

export function filterMatches(meta: NotificationHandlerMetadata, event: PaidEvent): boolean {
  if (meta.families && !meta.families.includes(event.family)) return false;
  if (meta.commands && !meta.commands.includes(event.command)) return false;
  return true;
}

export function describeFilter(meta: NotificationHandlerMetadata): string {
  const parts = [
    meta.families ? `family ${meta.families.join('|')}` : '',
    meta.commands ? `command ${meta.commands.join('|')}` : '',
  ].filter(Boolean);
  return parts.length > 0 ? parts.join(', ') : 'every notification';
}
