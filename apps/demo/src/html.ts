/**
 * Server-side HTML with every interpolated value escaped (issue #8: "escape every interpolated
 * value"). `html\`<p>${x}</p>\`` escapes `x` unless it is itself an `Html` (a fragment built the
 * same way) — so raw markup only ever comes from our own templates.
 */
import { escapeHtml } from '@mmsp/client';

export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

type Interpolation = Html | string | number | bigint | boolean | null | undefined | readonly Interpolation[];

function render(value: Interpolation): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof Html) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: Interpolation[]): Html {
  let out = strings[0] ?? '';
  values.forEach((v, i) => {
    out += render(v) + (strings[i + 1] ?? '');
  });
  return new Html(out);
}

/** Markup produced by a trusted generator (the QR SVG, the client's gateway form). */
export function trusted(markup: string): Html {
  return new Html(markup);
}

/** A value for an inline <script>: JSON with `<` escaped so it can never close the script tag. */
export function scriptJson(value: unknown): Html {
  return new Html(
    JSON.stringify(value)
      .replace(/</g, '\\u003c')
      .replace(/\u2028/g, '\\u2028')
      .replace(/\u2029/g, '\\u2029'),
  );
}
