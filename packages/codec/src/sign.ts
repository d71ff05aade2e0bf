/**
 * The MD5 signature of a Body, exactly as the PHP platform computes it (PROTOCOL §3):
 * `strtoupper(md5(json_encode(ksort(json_decode($raw, true)['Body']), JSON_UNESCAPED_UNICODE) . '&key=' . $key))`.
 *
 * Two input forms:
 * - a JS object: the Body we are about to send; we sign what PHP decodes from the JSON we send
 *   (`fromJs`, nested one level inside the envelope, hence json_decode depth 511 for the Body);
 * - a string: the raw JSON text of a received Body, decoded losslessly (`phpJsonDecode`, never
 *   `JSON.parse` numbers).
 *
 * Fast paths skip the PHP model when they give the same bytes: a flat body of identifier keys
 * (`[A-Za-z_][A-Za-z0-9_]*`: never numeric, so PHP's ksort is a plain byte sort) with string,
 * safe-integer, boolean or null values. test/sign-properties.test.ts checks fast ≡ general
 * (php/body.ts); the fast paths are in php/flat.ts.
 */
import { BODY_DEPTH, encodeSorted, notAnArray } from './php/body.js';
import { phpJsonDecode } from './php/decode.js';
import { flatObjectSigningString, flatPhpArraySigningString, flatTextSigningString } from './php/flat.js';
import { fromJs } from './php/js.js';
import { md5HexUpperOfScratch, scratchBytes, scratchMatchesHex } from './php/md5.js';
import { PhpArray } from './php/value.js';
import { checkKey, hexDigest, md5OfSigningString } from './php/sign-string.js';
import { writeFlatBody, writeFlatText, writeKeySuffix, writtenStart } from './php/sign-bytes.js';

/**
 * How a Body is encoded for its MD5 signature (PROTOCOL §3). The defaults are the document's:
 * `/` escaped as `\/`, non-ASCII kept as UTF-8 (`JSON_UNESCAPED_UNICODE`). Change them only for a
 * platform deployment that signs differently (`mmsp doctor` finds out which).
 */
export interface SignOptions {
  /** `/` → `\/` as PHP's json_encode does by default (the document's rule). Default true. PROTOCOL §3 (FAQ). */
  escapeSlashes?: boolean;
  /** Non-ASCII as `\uXXXX` (json_encode without JSON_UNESCAPED_UNICODE). Default false. */
  escapeUnicode?: boolean;
  /**
   * MD5 implementation over the UTF-8 bytes, e.g. a crypto provider's `md5` (OpenSSL, @noble/hashes).
   * Default: the codec's own (php/md5.ts). Must return 16 bytes.
   */
  md5?: (data: Uint8Array) => Uint8Array;
}

/**
 * The bytes PHP hashes (before `&key=`): `json_encode(ksort(Body), JSON_UNESCAPED_UNICODE)`.
 * `body` is a JS object (what we send) or the raw JSON text of a received Body.
 * Throws `MmspEncodingError` where PHP would fail (invalid JSON, depth, lone surrogates, NaN).
 */
export function signingString(body: object | string, options?: SignOptions): string {
  const slashes = options?.escapeSlashes !== false;
  const unicode = options?.escapeUnicode === true;
  if (typeof body === 'string') {
    return flatTextSigningString(body, slashes, unicode) ?? encodeSorted(phpJsonDecode(body), slashes, unicode);
  }
  if (body === null || typeof body !== 'object') return notAnArray(body === null ? 'null' : `a ${typeof body}`);
  if (body instanceof PhpArray) {
    return flatPhpArraySigningString(body, slashes, unicode) ?? encodeSorted(fromJs(body, { depth: BODY_DEPTH }), slashes, unicode);
  }
  return flatObjectSigningString(body, slashes, unicode) ?? encodeSorted(fromJs(body, { depth: BODY_DEPTH }), slashes, unicode);
}

/**
 * MD5 of `signingString(body) + '&key=' + key`, upper-case hex (PROTOCOL §3). Without an `md5` hook
 * the codec's own MD5 (php/md5.ts: checked against @noble/hashes, OpenSSL and PHP) hashes the
 * UTF-8 bytes directly; with one, the hook gets the UTF-8 bytes.
 *
 * `body` is the Body object you are about to send (signed as PHP will decode it), or the raw JSON
 * text of a received Body (decoded losslessly, the PHP way). Throws `MmspEncodingError` where PHP
 * would fail, and never puts the key in an error.
 *
 * @example
 * ```ts
 * import { md5Sign } from '@mmsp/codec';
 *
 * const sign = md5Sign({ MERORDERID: '20261126000001', AMT: '100', GOODSNAME: '测试商品' }, 'your-md5-key');
 * // 32 upper-case hex digits: md5('{"AMT":"100","GOODSNAME":"测试商品","MERORDERID":"20261126000001"}&key=your-md5-key')
 * ```
 */
export function md5Sign(body: object | string, key: string, options?: SignOptions): string {
  checkKey(key);
  const hook = options?.md5;
  if (options?.escapeUnicode !== true) {
    // The common flat Body: its UTF-8 signing bytes written straight into the MD5 input (php/sign-bytes.ts).
    const slashes = options?.escapeSlashes !== false;
    const len = typeof body === 'string' ? writeFlatText(body, slashes) : body !== null && typeof body === 'object' ? writeFlatBody(body, slashes) : -1;
    if (len >= 0) {
      const start = writtenStart;
      const end = writeKeySuffix(len, key);
      if (hook === undefined) return md5HexUpperOfScratch(end - start, start);
      return hexDigest(hook(scratchBytes(end - start, start)));
    }
  }
  return md5OfSigningString(signingString(body, options), key, hook);
}

/**
 * Compares two strings in time that depends only on their lengths, ASCII letters case-insensitively
 * when `ignoreAsciiCase` (for hex signatures). Never short-circuits on the first difference.
 */
export function constantTimeEqual(a: string, b: string, ignoreAsciiCase = false): boolean {
  if (typeof a !== 'string' || typeof b !== 'string') return false;
  const n = a.length;
  let diff = n ^ b.length;
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = i < b.length ? b.charCodeAt(i) : 0;
    if (ignoreAsciiCase) {
      x -= (x >= 97 && x <= 122 ? 1 : 0) * 32;
      y -= (y >= 97 && y <= 122 ? 1 : 0) * 32;
    }
    diff |= x ^ y;
  }
  return diff === 0;
}

/**
 * True when `sign` is the MD5 signature of `body` with `key` (hex, any case), compared in constant
 * time. A malformed body (invalid JSON, lone surrogates) throws `MmspEncodingError`; a missing or
 * malformed `sign` is simply false.
 *
 * For a received message, pass the Body's raw JSON text (or use `openEnvelope`, which does this
 * on the whole envelope): a JS object re-parsed with `JSON.parse` may have lost what PHP hashed
 * (big integers, `1.0`).
 *
 * @example
 * ```ts
 * import { md5Verify } from '@mmsp/codec';
 *
 * const bodyText = '{"AMT":"100","MERORDERID":"20261126000001"}';
 * declare const receivedSign: string;
 * if (!md5Verify(bodyText, receivedSign, 'your-md5-key')) throw new Error('not from the platform');
 * ```
 */
export function md5Verify(body: object | string, sign: string, key: string, options?: SignOptions): boolean {
  if (typeof sign !== 'string' || sign.length !== 32) return false;
  if (options?.md5 === undefined && options?.escapeUnicode !== true) {
    // The common flat Body: its bytes written into the MD5 buffer, the digest compared with the hex directly.
    checkKey(key);
    const slashes = options?.escapeSlashes !== false;
    const len = typeof body === 'string' ? writeFlatText(body, slashes) : body !== null && typeof body === 'object' ? writeFlatBody(body, slashes) : -1;
    if (len >= 0) {
      const start = writtenStart;
      return scratchMatchesHex(writeKeySuffix(len, key) - start, start, sign);
    }
  }
  return constantTimeEqual(md5Sign(body, key, options), sign, true);
}
