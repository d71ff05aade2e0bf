// The codec's own MD5 (src/hash/md5.ts) against two independent implementations: OpenSSL
// (node:crypto) and @noble/hashes, on random text and bytes around every block boundary.
import fc from 'fast-check';
import { createHash } from 'node:crypto';
import { md5 as nobleMd5 } from '@noble/hashes/legacy.js';
import { describe, expect, it } from 'vitest';
import { K, Md5 } from '../src/hash/md5.js';

const md5 = new Md5();
const md5HexUpper = (s: string): string => md5.hexUpper(s);
const md5Bytes = (b: Uint8Array): Uint8Array => md5.digest(b);

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex').toUpperCase();

describe('md5', () => {
  it("computes RFC 1321's table of constants exactly (K[i] = floor(|sin(i + 1)| * 2^32), as written in the RFC)", () => {
    // RFC 1321 §3.4 / appendix A.3 (md5c.c), as unsigned hex.
    const rfc = [
      0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
      0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
      0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
      0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
      0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
      0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
      0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
      0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391,
    ];
    expect(Array.from(K, (k) => k >>> 0)).toEqual(rfc);
    // The margin the comment in src/hash/md5.ts relies on: no product is near an integer.
    for (let i = 0; i < 64; i++) {
      const x = Math.abs(Math.sin(i + 1)) * 2 ** 32;
      expect(Math.min(x - Math.floor(x), Math.ceil(x) - x)).toBeGreaterThan(0.015);
    }
  });

  it('matches OpenSSL and noble on text (UTF-8), every length up to 300', () => {
    for (let n = 0; n <= 300; n++) {
      const s = Array.from({ length: n }, (_, i) => String.fromCharCode(32 + ((i * 31 + n) % 95))).join('');
      expect(md5HexUpper(s)).toBe(createHash('md5').update(s, 'utf8').digest('hex').toUpperCase());
    }
  });

  it('matches OpenSSL and noble on random unicode text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (s) => {
        const want = createHash('md5').update(s, 'utf8').digest('hex').toUpperCase();
        expect(md5HexUpper(s)).toBe(want);
        expect(hex(nobleMd5(new TextEncoder().encode(s)))).toBe(want);
      }),
      { numRuns: 1000 },
    );
  });

  it('matches OpenSSL on random bytes, including large inputs', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 5000 }), (b) => {
        expect(hex(md5Bytes(b))).toBe(createHash('md5').update(b).digest('hex').toUpperCase());
      }),
      { numRuns: 300 },
    );
  });

  it('known answers (RFC 1321)', () => {
    expect(md5HexUpper('')).toBe('D41D8CD98F00B204E9800998ECF8427E');
    expect(md5HexUpper('abc')).toBe('900150983CD24FB0D6963F7D28E17F72');
    expect(md5HexUpper('12345678901234567890123456789012345678901234567890123456789012345678901234567890')).toBe(
      '57EDF4A22BE3C955AC49DA2E2107B67A',
    );
  });
});
