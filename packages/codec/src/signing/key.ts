/**
 * The key and the hex of a signature (PROTOCOL §3): the MD5 key's checks, upper-case hex of a
 * digest, and the constant-time comparison of hex signatures.
 */
import { MmspEncodingError } from '../errors.js';
import { hexOfWords } from '../hash/md5.js';
import { isWellFormed } from '../php-json/path.js';

/** A usable MD5 key: a non-empty string without a lone surrogate. The key never appears in the error. */
export function checkKey(key: unknown): asserts key is string {
  if (typeof key !== 'string' || key.length === 0) {
    throw new MmspEncodingError('md5 key: must be a non-empty string (the merchant or agent MD5 key)');
  }
  if (!isWellFormed(key)) throw new MmspEncodingError('md5 key: malformed (contains a lone UTF-16 surrogate)');
}

/** A digest from an md5 hook as upper-case hex; anything but 16 bytes is refused. */
export function hexDigest(digest: Uint8Array): string {
  if (!(digest instanceof Uint8Array) || digest.length !== 16) {
    throw new MmspEncodingError('SignOptions.md5: the MD5 hook must return 16 bytes');
  }
  const w = (i: number): number => digest[i]! | (digest[i + 1]! << 8) | (digest[i + 2]! << 16) | (digest[i + 3]! << 24);
  return hexOfWords(w(0), w(4), w(8), w(12));
}

/**
 * Compares two strings in time that depends only on their lengths, ASCII letters case-insensitively
 * when `ignoreAsciiCase` (for hex signatures). Never short-circuits on the first difference.
 *
 * @example
 * ```ts
 * import { constantTimeEqual } from '@mmsp/codec';
 *
 * constantTimeEqual('9B4A33A1', '9b4a33a1', true); // true
 * ```
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
