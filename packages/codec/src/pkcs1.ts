/**
 * EME-PKCS1-v1_5 (RFC 8017 §7.2), the padding of payout RSA (PROTOCOL §6), without any RSA
 * arithmetic, so that every provider pads and unpads the same way and fails with the same errors:
 * the pure provider (node-forge's modular arithmetic) and fetch-edge's Web Crypto provider (BigInt)
 * both call these. No node-forge here: bundles that import this module stay forge-free.
 */
import { MmspEncodingError } from './errors.js';
import { secureRandomBytes } from './random.js';

const DECRYPT_FAILED = 'RSA decryption failed: the block is not valid PKCS#1 v1.5 (wrong private key, or altered ciphertext)';

/** `00 02 PS 00 M` for a k-byte modulus, PS ≥ 8 random non-zero bytes; refuses M longer than k − 11. */
export function pkcs1v15Pad(block: Uint8Array, k: number): Uint8Array {
  const max = k - 11;
  if (block.length > max) {
    throw new MmspEncodingError(`RSA encryption: a block of ${block.length} bytes exceeds the ${max}-byte limit of a ${k * 8}-bit key`);
  }
  const ps = secureRandomBytes(k - 3 - block.length);
  for (let i = 0; i < ps.length; i++) {
    while (ps[i] === 0) ps[i] = secureRandomBytes(1)[0]!;
  }
  const em = new Uint8Array(k);
  em[1] = 0x02;
  em.set(ps, 2);
  em.set(block, k - block.length);
  // EM < n because it starts with 0x00 0x02 and n has its top bit in the first byte.
  return em;
}

/** The error every provider throws for a block that does not decrypt (one message whatever failed). */
export function pkcs1v15DecryptError(): MmspEncodingError {
  return new MmspEncodingError(DECRYPT_FAILED);
}

/** Checks a ciphertext block's length against a k-byte modulus before any arithmetic. */
export function pkcs1v15CheckBlock(block: Uint8Array, k: number): void {
  if (block.length !== k) {
    throw new MmspEncodingError(`RSA decryption: a block must be ${k} bytes for a ${k * 8}-bit key, got ${block.length}`);
  }
}

/** Strict decoding of `00 02 PS 00 M`; scans the whole block whatever its content (no early exit on the padding). */
export function pkcs1v15Unpad(em: Uint8Array): Uint8Array {
  let sep = 0;
  let bad = (em[0]! | (em[1]! ^ 0x02)) !== 0 ? 1 : 0;
  for (let i = 2; i < em.length; i++) {
    if (sep === 0 && em[i] === 0) sep = i;
  }
  if (sep < 10) bad = 1;
  if (bad) throw pkcs1v15DecryptError();
  return em.slice(sep + 1);
}
