/**
 * Fast path for reading the common envelope (NOTES §2, §3; used by `openEnvelope`): the engine's
 * `JSON.parse` instead of the lossless PHP model, for texts where both give the same values.
 * That is the shape every response and pushed notification has in practice:
 *
 *   {"CommandID":35104,…,"Body":{"AMT":"200","BANK_NAME":"\u519c…",…},"Sign":"…",…}
 *
 * `JSON.parse` and PHP's `json_decode` accept the same grammar, and a repeated key takes its last
 * value in both. They differ only where this path steps aside and returns `undefined`, so that the
 * caller decodes with `phpJsonDecode` (php/decode.ts), which reports every error the PHP way:
 * - numbers: PHP keeps `1.0` a float and an integer beyond int64 a float, `JSON.parse` makes both
 *   plain numbers and `-0` negative: any number written with a fraction or an exponent, with 16 or
 *   more digits, or as `-0`, takes the exact path (checked on the text; a string that merely looks
 *   like one only costs the exact path);
 * - lone surrogates (raw, or written `\udXXX`): PHP refuses them;
 * - containers: only `Body` may be one, a flat object of identifier keys (`[A-Za-z_][A-Za-z0-9_]*`,
 *   never numeric, so PHP's ksort is a byte sort and `{}`-as-list cannot arise, NOTES §3) with
 *   string, integer, boolean or null values. Nesting, lists, a string Body and `{}` take the exact path.
 * test/fastpath-flat-envelope.test.ts checks that both paths agree on generated texts.
 */
import { orderOf } from './key-order.js';
import { isWellFormed } from './path.js';

export type FlatScalar = string | number | boolean | null;

export interface FlatEnvelope {
  /** The top-level object: every value but `Body` a scalar. */
  readonly top: Record<string, FlatScalar>;
  /** The Body: a flat object of identifier keys and scalar values, in the text's order. */
  readonly body: Record<string, FlatScalar>;
}

/**
 * A value that PHP would not read as the same JS number: a fraction, an exponent, 16 or more digits,
 * or −0. Outside containers (the only ones accepted are objects) a number always follows a colon.
 */
const INEXACT_NUMBER = /:[ \t\n\r]*(?:-?\d+[.eE]|-?\d{16}|-0)/;
/** `\uD800`–`\uDFFF` written as an escape (a pair or a lone half). */
const SURROGATE_ESCAPE = /\\u[dD][89abAB]/;

function isScalar(v: unknown): v is FlatScalar {
  return v === null || typeof v !== 'object';
}

/** Tests turn the fast path off to compare it with the exact one (test/fastpath-flat-envelope.test.ts). */
export const flatEnvelopeFastPath = { enabled: true };

/** The envelope read with `JSON.parse`, or `undefined` when only the exact parser gives PHP's values. */
export function parseFlatEnvelope(text: string): FlatEnvelope | undefined {
  if (!flatEnvelopeFastPath.enabled || typeof text !== 'string' || !isWellFormed(text) || INEXACT_NUMBER.test(text)) return undefined;
  if (text.includes('\\u') && SURROGATE_ESCAPE.test(text)) return undefined;
  let top: unknown;
  try {
    top = JSON.parse(text);
  } catch {
    return undefined; // invalid JSON: the exact parser says where and why
  }
  if (top === null || typeof top !== 'object' || Array.isArray(top)) return undefined;
  let body: unknown;
  for (const k in top) {
    const v = (top as Record<string, unknown>)[k];
    if (k === 'Body' && Object.hasOwn(top, k)) body = v;
    else if (!isScalar(v)) return undefined;
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return undefined;
  const keys = Object.keys(body);
  if (keys.length === 0 || keys.length > 64 || orderOf(keys) === undefined) return undefined;
  for (const k of keys) if (!isScalar((body as Record<string, unknown>)[k])) return undefined;
  return { top: top as Record<string, FlatScalar>, body: body as Record<string, FlatScalar> };
}
