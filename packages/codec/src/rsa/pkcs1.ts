/**
 * PKCS#1 v1.5 (RFC 8017 §7.2 EME-PKCS1-v1_5, §8.2 / §9.2 EMSA-PKCS1-v1_5 with SHA-1), the
 * padding of payout RSA (PROTOCOL §6), once for every provider: the pure one pads and does the
 * arithmetic here, OpenSSL and Web Crypto take the unpadding and the BigInt encryption they lack
 * from here, so they all fail with the same errors.
 */
import { sha1 } from '@noble/hashes/legacy.js';
import { MmspEncodingError } from '../errors.js';
import { secureRandomBytes } from '../random.js';
import { rsaPrivateOp, rsaPublicOp } from './bigint.js';
import type { RsaPrivateKey, RsaPublicKey } from './key.js';

const DECRYPT_FAILED =
  'RSA decryption failed: the block is not valid PKCS#1 v1.5 (wrong private key, or altered ciphertext)';

/** `00 02 PS 00 M` for a k-byte modulus, PS ≥ 8 random non-zero bytes; refuses M longer than k − 11. */
export function pkcs1v15Pad(block: Uint8Array, k: number): Uint8Array {
  const max = k - 11;
  if (block.length > max) {
    throw new MmspEncodingError(
      `RSA encryption: a block of ${block.length} bytes exceeds the ${max}-byte limit of a ${k * 8}-bit key`,
    );
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
    throw new MmspEncodingError(
      `RSA decryption: a block must be ${k} bytes for a ${k * 8}-bit key, got ${block.length}`,
    );
  }
}

/**
 * Strict decoding of `00 02 PS 00 M` in constant-time style: every byte is read whatever the
 * content, without a data-dependent branch or early exit, and one error covers every failure.
 */
export function pkcs1v15Unpad(em: Uint8Array): Uint8Array {
  let bad = em[0]! | (em[1]! ^ 0x02);
  let looking = 1; // 1 until the first zero byte after the type
  let sep = 0;
  for (let i = 2; i < em.length; i++) {
    const zero = ((em[i]! - 1) >>> 31) & 1; // 1 when em[i] === 0
    const hit = looking & zero;
    sep |= -hit & i;
    looking &= zero ^ 1;
  }
  bad |= looking; // no separator
  bad |= ((sep - 10) >>> 31) & 1; // PS shorter than 8 bytes
  if (bad !== 0) throw pkcs1v15DecryptError();
  return em.slice(sep + 1);
}

/** PKCS#1 v1.5 encryption of one block (≤ k − 11 bytes) with the BigInt RSA. */
export function pkcs1v15Encrypt(key: RsaPublicKey, block: Uint8Array): Uint8Array {
  return rsaPublicOp(key, pkcs1v15Pad(block, key.k));
}

/** PKCS#1 v1.5 decryption of one k-byte block with the BigInt RSA (CRT, blinded); one error for any failure. */
export function pkcs1v15Decrypt(key: RsaPrivateKey, block: Uint8Array): Uint8Array {
  pkcs1v15CheckBlock(block, key.k);
  let em: Uint8Array;
  try {
    em = rsaPrivateOp(key, block);
  } catch {
    throw pkcs1v15DecryptError();
  }
  return pkcs1v15Unpad(em);
}

/** DER prefix of DigestInfo { sha1, NULL } (RFC 8017 §9.2 note 1). */
const SHA1_DIGEST_INFO = Uint8Array.of(
  0x30,
  0x21,
  0x30,
  0x09,
  0x06,
  0x05,
  0x2b,
  0x0e,
  0x03,
  0x02,
  0x1a,
  0x05,
  0x00,
  0x04,
  0x14,
);

/** EMSA-PKCS1-v1_5 of `data` with SHA-1 for a k-byte modulus: `00 01 FF… 00 DigestInfo`. */
export function emsaPkcs1v15Sha1(data: Uint8Array, k: number): Uint8Array {
  if (k < SHA1_DIGEST_INFO.length + 20 + 11) throw new MmspEncodingError('SHA1withRSA: the key is too short');
  const em = new Uint8Array(k).fill(0xff);
  em[0] = 0x00;
  em[1] = 0x01;
  em[k - SHA1_DIGEST_INFO.length - 21] = 0x00;
  em.set(SHA1_DIGEST_INFO, k - SHA1_DIGEST_INFO.length - 20);
  em.set(sha1(data), k - 20);
  return em;
}

/** SHA1withRSA (RSASSA-PKCS1-v1_5, SHA-1) signature with the BigInt RSA: deterministic. */
export function sha1WithRsaSignKey(key: RsaPrivateKey, data: Uint8Array): Uint8Array {
  return rsaPrivateOp(key, emsaPkcs1v15Sha1(data, key.k));
}

/** Verifies a SHA1withRSA signature with the BigInt RSA: false (never a throw) for any bad signature. */
export function sha1WithRsaVerifyKey(key: RsaPublicKey, data: Uint8Array, signature: Uint8Array): boolean {
  if (signature.length !== key.k) return false;
  let em: Uint8Array;
  try {
    em = rsaPublicOp(key, signature);
  } catch {
    return false; // signature ≥ modulus
  }
  const expected = emsaPkcs1v15Sha1(data, key.k);
  let diff = 0;
  for (let i = 0; i < em.length; i++) diff |= em[i]! ^ expected[i]!;
  return diff === 0;
}
