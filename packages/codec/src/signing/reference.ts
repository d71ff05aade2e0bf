/**
 * The reference signing path (PROTOCOL §3): the Body in the lossless PHP model, PHP's top-level
 * `ksort`, then `json_encode`. Every Body can take it; the signer (signing/signer.ts) puts its one
 * fast writer in front of it, and the property tests compare the two.
 */
import { MmspEncodingError } from '../errors.js';
import { phpJsonDecode } from '../php-json/decode.js';
import { phpJsonEncode } from '../php-json/encode.js';
import { fromJs } from '../php-json/js.js';
import { ksortOrder } from '../php-json/ksort.js';
import { PhpArray, type PhpValue } from '../php-json/value.js';

/** The Body sits inside the envelope: PHP's json_decode (depth 512) leaves it 511 levels. */
export const BODY_DEPTH = 511;

export function notAnArray(what: string): never {
  throw new MmspEncodingError(
    `Body: ${what} cannot be signed: the platform ksort()s the Body, so it must be a JSON object (or array)`,
  );
}

/** PHP's top-level ksort of a decoded Body, then json_encode. */
export function encodeSorted(v: PhpValue, slashes: boolean, unicode: boolean): string {
  const options = { escapeSlashes: slashes, escapeUnicode: unicode };
  if (v instanceof PhpArray) {
    const entries = Array.from(v.map);
    const sorted = new Map(ksortOrder(Array.from(v.map.keys())).map((i) => entries[i]!));
    return phpJsonEncode(PhpArray.fromMap(sorted), options);
  }
  if (Array.isArray(v)) return phpJsonEncode(v, options); // a list is already in key order
  return notAnArray(v === null ? 'null' : `a ${typeof v}`);
}

/** The signing string on the reference path alone (what the signer falls back to, and what the tests compare with). */
export function signingStringGeneral(
  body: object | string,
  options?: { escapeSlashes?: boolean; escapeUnicode?: boolean },
): string {
  const slashes = options?.escapeSlashes !== false;
  const unicode = options?.escapeUnicode === true;
  const v = typeof body === 'string' ? phpJsonDecode(body) : fromJs(body, { depth: BODY_DEPTH });
  return encodeSorted(v, slashes, unicode);
}
