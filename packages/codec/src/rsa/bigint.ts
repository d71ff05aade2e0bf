/**
 * RSA arithmetic on BigInt (RFC 8017 §5.1, RSAEP / RSADP): the one RSA of the repository. The
 * public operation is m^e mod n; the private one uses the CRT (p, q, dP, dQ, qInv), is blinded
 * (the input is multiplied by r^e for a fresh random r, the result by r⁻¹, so its timing does not
 * follow the ciphertext an attacker chose), and is checked with the public exponent before it is
 * returned (a faulty CRT result must never leave: it would give away a factor of n).
 */
import { MmspEncodingError } from '../errors.js';
import { secureRandomBytes } from '../random.js';
import type { RsaPrivateKey, RsaPublicKey } from './key.js';

/** Unsigned big-endian bytes → BigInt. */
export function bytesToBigInt(bytes: Uint8Array): bigint {
  let hex = '0x0';
  for (let i = 0; i < bytes.length; i++) hex += (bytes[i]! < 16 ? '0' : '') + bytes[i]!.toString(16);
  return BigInt(hex);
}

/** BigInt → unsigned big-endian bytes, left-padded to `k` bytes (the value must fit). */
export function bigIntToBytes(value: bigint, k: number): Uint8Array {
  const hex = value.toString(16).padStart(k * 2, '0');
  if (hex.length > k * 2) throw new RangeError(`bigIntToBytes: the value needs more than ${k} bytes`);
  const out = new Uint8Array(k);
  for (let i = 0; i < k; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/**
 * base^exp mod m (exp ≥ 0): left-to-right, bit by bit for short exponents (the public e = 65537:
 * 16 squarings, 1 multiplication), with a 4-bit fixed window for long ones (the private exponents).
 */
export function modPow(base: bigint, exp: bigint, m: bigint): bigint {
  if (m === 1n) return 0n;
  const b = ((base % m) + m) % m;
  if (exp < 1n << 64n) {
    const bits = exp.toString(2);
    let r = 1n;
    for (let i = 0; i < bits.length; i++) {
      r = (r * r) % m;
      if (bits[i] === '1') r = (r * b) % m;
    }
    return r;
  }
  const table: bigint[] = [1n, b];
  for (let i = 2; i < 16; i++) table.push((table[i - 1]! * b) % m);
  const hex = exp.toString(16);
  let r = table[parseInt(hex[0]!, 16)]!;
  for (let i = 1; i < hex.length; i++) {
    r = (r * r) % m;
    r = (r * r) % m;
    r = (r * r) % m;
    r = (r * r) % m;
    const w = parseInt(hex[i]!, 16);
    if (w) r = (r * table[w]!) % m;
  }
  return r;
}

/** a⁻¹ mod m (extended Euclid); undefined when gcd(a, m) ≠ 1. */
export function modInverse(a: bigint, m: bigint): bigint | undefined {
  let [r0, r1] = [((a % m) + m) % m, m];
  let [s0, s1] = [1n, 0n];
  while (r1 !== 0n) {
    const q = r0 / r1;
    [r0, r1] = [r1, r0 - q * r1];
    [s0, s1] = [s1, s0 - q * s1];
  }
  return r0 === 1n ? ((s0 % m) + m) % m : undefined;
}

/** A uniformly random integer in [2, n − 2] (for blinding). */
function randomBelow(n: bigint, k: number): bigint {
  for (;;) {
    const r = bytesToBigInt(secureRandomBytes(k)) % n;
    if (r > 1n && r < n - 1n) return r;
  }
}

/** RSAEP / RSAVP1: `block` (k bytes, as an integer < n) to the public exponent. */
export function rsaPublicOp(key: RsaPublicKey, block: Uint8Array): Uint8Array {
  const m = bytesToBigInt(block);
  if (block.length !== key.k || m >= key.n)
    throw new MmspEncodingError('RSA: the input is not an integer below the modulus');
  return bigIntToBytes(modPow(m, key.e, key.n), key.k);
}

function crt(key: RsaPrivateKey, c: bigint): bigint {
  const m1 = modPow(c % key.p, key.dp, key.p);
  const m2 = modPow(c % key.q, key.dq, key.q);
  const h = (key.qinv * (((m1 - m2) % key.p) + key.p)) % key.p;
  return m2 + h * key.q;
}

/**
 * RSADP / RSASP1: `block` (k bytes, as an integer < n) to the private exponent, with the CRT,
 * blinded, and checked against the public exponent (on a mismatch, an inconsistent key, the
 * slower m = c^d mod n is used).
 */
export function rsaPrivateOp(key: RsaPrivateKey, block: Uint8Array): Uint8Array {
  const c = bytesToBigInt(block);
  if (block.length !== key.k || c >= key.n)
    throw new MmspEncodingError('RSA: the input is not an integer below the modulus');
  const { n, e } = key;
  let r = randomBelow(n, key.k);
  let rInv = modInverse(r, n);
  while (rInv === undefined) {
    r = randomBelow(n, key.k);
    rInv = modInverse(r, n);
  }
  const blinded = (c * modPow(r, e, n)) % n;
  let m = (crt(key, blinded) * rInv) % n;
  if (modPow(m, e, n) !== c) m = (modPow(blinded, key.d, n) * rInv) % n;
  return bigIntToBytes(m, key.k);
}
