/**
 * The last step of `md5Sign` (PROTOCOL §3): `strtoupper(md5($signingString . '&key=' . $key))`, for
 * callers that already hold the signing string (openEnvelope verifies and returns it as `bodyText`:
 * one encoding of the Body, not two). Internal: not exported from the package.
 */
import { MmspEncodingError } from '../errors.js';
import { md5HexUpper, utf8Bytes } from './md5.js';
import { isWellFormed } from './path.js';

const HEX_UPPER: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).toUpperCase().padStart(2, '0'));

function hexUpper(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += HEX_UPPER[bytes[i] as number];
  return s;
}

/** The last key that passed `checkKey` (a signer uses one or two keys: skip re-checking them). */
let checkedKey = '';

export function checkKey(key: unknown): asserts key is string {
  if (key === checkedKey && key !== '') return;
  if (typeof key !== 'string' || key.length === 0) {
    throw new MmspEncodingError('md5 key: must be a non-empty string (the merchant or agent MD5 key)');
  }
  if (!isWellFormed(key)) throw new MmspEncodingError('md5 key: malformed (contains a lone UTF-16 surrogate)');
  checkedKey = key;
}

export function hexDigest(digest: Uint8Array): string {
  if (!(digest instanceof Uint8Array) || digest.length !== 16) {
    throw new MmspEncodingError('SignOptions.md5: the MD5 hook must return 16 bytes');
  }
  return hexUpper(digest);
}

/** MD5 of `signing + '&key=' + key` as upper-case hex, with the codec's MD5 or an `md5` hook over the UTF-8 bytes. */
export function md5OfSigningString(signing: string, key: string, hook?: (data: Uint8Array) => Uint8Array): string {
  checkKey(key);
  const text = `${signing}&key=${key}`;
  if (hook === undefined) return md5HexUpper(text);
  return hexDigest(hook(utf8Bytes(text)));
}
