/**
 * Fast path for reading the common envelope (PROTOCOL §2, §3; used by `openEnvelope`): the engine's
 * `JSON.parse` instead of the lossless PHP model, for texts where both give the same values.
 * That is the shape every response and pushed notification has in practice:
 *
 *   {"CommandID":35104,…,"Body":{"AMT":"200","BANK_NAME":"\u519c…",…},"Sign":"…",…}
 *
 * `JSON.parse` and PHP's `json_decode` accept the same grammar, and a repeated key takes its last
 * value in both. They differ only where this path steps aside and returns `undefined`, so that the
 * caller decodes with `phpJsonDecode` (php-json/decode.ts), which reports every error the PHP way:
 * - numbers: PHP keeps `1.0` a float (re-encoded `1.0`) and an integer beyond int64 a float, where
 *   `JSON.parse` makes plain numbers. A Body holding any number takes the exact path (its signing
 *   string depends on how the number was written). Outside the Body only the value counts
 *   (`openEnvelope` reads an integral float in the header as the integer), so a number there
 *   steps aside only when it is not a safe integer;
 * - lone surrogates (raw, or written `\udXXX`): PHP refuses them;
 * - containers: only `Body` may be one, a flat object of identifier keys (`[A-Za-z_][A-Za-z0-9_]*`,
 *   never numeric, so PHP's ksort is a byte sort and `{}`-as-list cannot arise, PROTOCOL §3) with
 *   string, boolean or null values. Nesting, lists, a string Body and `{}` take the exact path.
 * test/fastpath-flat-envelope.test.ts checks that both readers agree (`openEnvelopeExactly`) on generated texts.
 */
import { isIdentKey } from '../php-json/ident.js';
import { isWellFormed } from '../php-json/path.js';

export type FlatScalar = string | number | boolean | null;

export interface FlatEnvelope {
  /** The top-level object: every value but `Body` a scalar. */
  readonly top: Record<string, FlatScalar>;
  /** The Body: a flat object of identifier keys and string, boolean or null values, in the text's order. */
  readonly body: Record<string, FlatScalar>;
}

/** `\uD800`–`\uDFFF` written as an escape (a pair or a lone half). */
const SURROGATE_ESCAPE = /\\u[dD][89a-fA-F]/;

/** A header value both readers give alike: a string, `true`/`false`/`null`, or a safe integer. */
function isPlainHeaderValue(v: unknown): v is FlatScalar {
  if (typeof v === 'number') return Number.isSafeInteger(v); // beyond 2^53 PHP keeps the digits (int64)
  return v === null || typeof v !== 'object';
}

/** The envelope read with `JSON.parse`, or `undefined` when only the exact parser gives PHP's values. */
export function parseFlatEnvelope(text: string): FlatEnvelope | undefined {
  if (typeof text !== 'string' || !isWellFormed(text)) return undefined;
  // Two substring searches first: the regular expression only runs when one could match.
  if ((text.includes('\\ud') || text.includes('\\uD')) && SURROGATE_ESCAPE.test(text)) return undefined;
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
    else if (!isPlainHeaderValue(v)) return undefined;
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return undefined;
  // Identifier keys (JSON.parse leaves no duplicate): ksort is a byte sort, as the signing writer assumes.
  const keys = Object.keys(body);
  if (keys.length === 0 || keys.length > 64) return undefined;
  for (const k of keys) {
    if (!isIdentKey(k)) return undefined;
    const v = (body as Record<string, unknown>)[k];
    if (v !== null && typeof v !== 'string' && typeof v !== 'boolean') return undefined; // numbers, containers: the exact path
  }
  return { top: top as Record<string, FlatScalar>, body: body as Record<string, FlatScalar> };
}
