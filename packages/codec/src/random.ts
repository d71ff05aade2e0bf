/**
 * Secure randomness for the whole codec (padding, blinding, key generation, ids), without the RSA code, so
 * that ids (ids.ts) do not bring the RSA code into bundles that never encrypt.
 */
import { MmspError } from './errors.js';

/** Cryptographically secure random bytes from `globalThis.crypto.getRandomValues` (every supported runtime has it). */
export function secureRandomBytes(length: number): Uint8Array {
  if (!Number.isSafeInteger(length) || length < 0) {
    throw new RangeError(`randomBytes: length must be a non-negative integer, got ${String(length)}`);
  }
  const c = (globalThis as { crypto?: { getRandomValues?: (a: Uint8Array) => Uint8Array } }).crypto;
  if (!c || typeof c.getRandomValues !== 'function') {
    throw new MmspError(
      'randomBytes: globalThis.crypto.getRandomValues is not available in this runtime',
      'MMSP_CRYPTO',
    );
  }
  const out = new Uint8Array(length);
  for (let at = 0; at < length; at += 65536) c.getRandomValues(out.subarray(at, Math.min(length, at + 65536)));
  return out;
}
