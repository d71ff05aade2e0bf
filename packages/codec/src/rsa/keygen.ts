/**
 * RSA key generation on the codec's BigInt arithmetic (FIPS 186-5 B.3.3 in outline): two random
 * primes of half the modulus size with their two top bits set (so that n has exactly `bits`
 * bits), found by trial division by the small primes then Miller–Rabin, e = 65537,
 * d = e⁻¹ mod lcm(p − 1, q − 1), as OpenSSL makes them. Randomness: `crypto.getRandomValues`.
 */
import { MmspConfigError } from '../errors.js';
import { secureRandomBytes } from '../random.js';
import { bytesToBigInt, modInverse, modPow } from './bigint.js';
import { pemArmour, rsaPrivateKeyDer, rsaPublicKeyDer, type RsaPrivateKey } from './key.js';

const E = 65537n;
const SMALL_PRIMES: number[] = [];
for (let n = 3; SMALL_PRIMES.length < 300; n += 2) {
  if (SMALL_PRIMES.every((p) => n % p !== 0)) SMALL_PRIMES.push(n);
}

function randomOdd(bits: number): bigint {
  const bytes = secureRandomBytes(Math.ceil(bits / 8));
  const extra = bytes.length * 8 - bits;
  bytes[0] = (bytes[0]! & (0xff >> extra)) | (0xc0 >> extra); // top two bits set
  bytes[bytes.length - 1]! |= 1;
  return bytesToBigInt(bytes);
}

/** Miller–Rabin with `rounds` random bases (error ≤ 4^-rounds; FIPS 186-5 asks 5 for 512-bit halves of 1024-bit keys). */
function probablyPrime(n: bigint, rounds: number): boolean {
  const n1 = n - 1n;
  let d = n1;
  let s = 0;
  while ((d & 1n) === 0n) {
    d >>= 1n;
    s++;
  }
  const size = Math.ceil(n.toString(16).length / 2);
  for (let i = 0; i < rounds; i++) {
    const a = 2n + (bytesToBigInt(secureRandomBytes(size)) % (n - 3n));
    let x = modPow(a, d, n);
    if (x === 1n || x === n1) continue;
    let composite = true;
    for (let r = 1; r < s; r++) {
      x = (x * x) % n;
      if (x === n1) {
        composite = false;
        break;
      }
    }
    if (composite) return false;
  }
  return true;
}

function prime(bits: number): bigint {
  const rounds = bits >= 1024 ? 4 : bits >= 512 ? 7 : 10;
  for (;;) {
    // Trial division on the candidate and its successors (a sieve over 2 × 4096 odd numbers).
    const base = randomOdd(bits);
    const residues = SMALL_PRIMES.map((p) => Number(base % BigInt(p)));
    for (let delta = 0; delta < 8192; delta += 2) {
      if (residues.some((r, i) => (r + delta) % SMALL_PRIMES[i]! === 0)) continue;
      const candidate = base + BigInt(delta);
      if (candidate.toString(2).length !== bits) break;
      if ((candidate - 1n) % E === 0n) continue; // gcd(e, p − 1) must be 1 (e is prime)
      if (probablyPrime(candidate, rounds)) return candidate;
    }
  }
}

const gcd = (a: bigint, b: bigint): bigint => {
  while (b) [a, b] = [b, a % b];
  return a;
};

/** A fresh RSA private key of `bits` bits (a multiple of 8 from 512 to 4096) with e = 65537, on the BigInt arithmetic. */
export function generateRsaPrivateKey(bits: number): RsaPrivateKey {
  if (!Number.isInteger(bits) || bits < 512 || bits > 4096 || bits % 8 !== 0) {
    throw new MmspConfigError([
      {
        field: 'bits',
        rule: 'range',
        message: 'bits: must be a multiple of 8 from 512 to 4096 (the platform uses 1024)',
      },
    ]);
  }
  for (;;) {
    let p = prime(bits / 2);
    let q = prime(bits / 2);
    if (p === q) continue;
    if (p < q) [p, q] = [q, p];
    const n = p * q;
    if (n.toString(2).length !== bits) continue;
    const lambda = ((p - 1n) * (q - 1n)) / gcd(p - 1n, q - 1n);
    const d = modInverse(E, lambda);
    const qinv = modInverse(q, p);
    if (d === undefined || qinv === undefined) continue;
    return Object.freeze({ n, e: E, k: bits / 8, bits, d, p, q, dp: d % (p - 1n), dq: d % (q - 1n), qinv });
  }
}

/**
 * A fresh RSA key pair (e = 65537) made locally from `crypto.getRandomValues`, never on a website
 * (PROTOCOL §6): `privateKeyPem` is PKCS#8 ("BEGIN PRIVATE KEY"), `publicKeyPem` SPKI
 * ("BEGIN PUBLIC KEY"), LF line endings. Pure JavaScript (the codec's BigInt RSA and a
 * Miller–Rabin prime search).
 *
 * @example
 * ```ts
 * import { generateRsaKeyPair } from '@mmsp/codec';
 *
 * const { privateKeyPem, publicKeyPem } = generateRsaKeyPair(); // RSA-1024, the platform's size
 * // keep privateKeyPem secret; register publicKeyPem with the platform
 * ```
 */
export function generateRsaKeyPair(bits = 1024): { privateKeyPem: string; publicKeyPem: string } {
  const key = generateRsaPrivateKey(bits);
  return {
    privateKeyPem: pemArmour('PRIVATE KEY', rsaPrivateKeyDer(key)),
    publicKeyPem: pemArmour('PUBLIC KEY', rsaPublicKeyDer(key)),
  };
}
