/**
 * The standalone signing functions (PROTOCOL §3): `signingString`, `md5Sign`, `md5Verify`, each a
 * call into the one signing route (signing/signer.ts) with a writer of their own. `options` may be
 * the codec's object or PHP's `json_encode` flags (php-json/flags.ts). `md5Sign` and `md5Verify`
 * call the route's functions rather than a `Signer`, so that a bundle of them (a Worker that only
 * signs and verifies) holds no `Signer` method it does not use.
 */
import { fromFlags } from '../php-json/flags.js';
import { FlatWriter } from './flat-writer.js';
import { Signer, signWith, verifyWith, type SignOptions } from './signer.js';

/** The writer of `md5Sign` and `md5Verify` (a client or a receiver has its own). */
const writer = new FlatWriter();
/** The signer of `signingString` and of the envelope functions called without one, made on first use. */
let standalone: Signer | undefined;

/**
 * The bytes PHP hashes (before `&key=`): `json_encode(ksort(Body), JSON_UNESCAPED_UNICODE)`.
 * `body` is a JS object (what we send) or the raw JSON text of a received Body; `options` may also
 * be `json_encode` flags (64 `JSON_UNESCAPED_SLASHES`, 256 `JSON_UNESCAPED_UNICODE`).
 * Throws `MmspEncodingError` where PHP would fail (invalid JSON, depth, lone surrogates, NaN).
 *
 * @example
 * ```ts
 * import { signingString } from '@mmsp/codec';
 *
 * signingString({ NOTIFY_URL: 'https://a/b', AMT: '100' }); // '{"AMT":"100","NOTIFY_URL":"https:\/\/a\/b"}'
 * ```
 */
export function signingString(body: object | string, options?: SignOptions | number): string {
  return standaloneSigner().signingString(body, fromFlags(options, 'signingString'));
}

/**
 * MD5 of `signingString(body) + '&key=' + key`, upper-case hex (PROTOCOL §3), with the codec's own
 * MD5 (or an `md5` hook over the UTF-8 bytes). `options` may also be `json_encode` flags.
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
export function md5Sign(body: object | string, key: string, options?: SignOptions | number): string {
  return signWith(writer, body, key, fromFlags(options, 'md5Sign'));
}

/**
 * True when `sign` is the MD5 signature of `body` with `key` (hex, any case), compared in constant
 * time; `options` may also be `json_encode` flags. A malformed body (invalid JSON, lone surrogates)
 * throws `MmspEncodingError`; a missing or malformed `sign` is simply false.
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
export function md5Verify(body: object | string, sign: string, key: string, options?: SignOptions | number): boolean {
  return verifyWith(writer, body, sign, key, fromFlags(options, 'md5Verify'));
}

/** The signer of the standalone functions, for the envelope functions called without one. */
export function standaloneSigner(): Signer {
  return (standalone ??= new Signer());
}
