// Seeded randomness for everything the sandbox invents: platform order numbers, SMS codes.
// With `seed` the same sequence of requests yields the same ids and codes (README "Determinism");
// without one the generator is seeded from node:crypto. Not for secrets: RSA keys come from
// node:crypto (keys.ts), never from this generator.
import { createHash, randomBytes } from 'node:crypto';

export interface Random {
  /** An integer in [0, 2^32). */
  next(): number;
  /** `length` decimal digits. */
  digits(length: number): string;
}

/** sfc32 over a 128-bit state derived from SHA-256 of the seed. */
export function createRandom(seed?: string | number): Random {
  const material = seed === undefined ? randomBytes(16) : createHash('sha256').update(String(seed)).digest();
  let a = material.readUInt32LE(0);
  let b = material.readUInt32LE(4);
  let c = material.readUInt32LE(8);
  let d = material.readUInt32LE(12);
  const next = (): number => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    let t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    t = (t + d) | 0;
    c = (c + t) | 0;
    return t >>> 0;
  };
  for (let i = 0; i < 12; i++) next();
  return {
    next,
    digits(length) {
      let out = '';
      while (out.length < length) out += String(next() % 10);
      return out;
    },
  };
}
