// The codec's own MD5 (src/hash/md5.ts) against two independent implementations: OpenSSL
// (node:crypto) and @noble/hashes, on random text and bytes around every block boundary.
import fc from 'fast-check';
import { createHash } from 'node:crypto';
import { md5 as nobleMd5 } from '@noble/hashes/legacy.js';
import { describe, expect, it } from 'vitest';
import { hexBytesMatch, hexMatches, Md5 } from '../src/hash/md5.js';

const md5 = new Md5();
const md5HexUpper = (s: string): string => md5.hexUpper(s);
const md5Bytes = (b: Uint8Array): Uint8Array => md5.digest(b);

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex').toUpperCase();

describe('md5', () => {
  it('compares a digest with hex bytes as with a hex string: any case, and any other byte at any place is a mismatch', () => {
    // hexBytesMatch (the received text's bytes, 4 characters at a time) against hexMatches (the string).
    const word = fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 });
    fc.assert(
      fc.property(
        fc.tuple(word, word, word, word),
        fc.array(fc.boolean(), { minLength: 32, maxLength: 32 }),
        fc.array(
          fc.tuple(
            fc.nat(31),
            fc.oneof(
              fc.integer({ min: 0, max: 255 }),
              fc.nat(7).map((bit) => -1 - bit),
            ),
          ),
          {
            maxLength: 2,
          },
        ),
        fc.nat(7),
        (words, upper, changes, at) => {
          const h = Int32Array.from(words);
          const digest = new Uint8Array(h.buffer.slice(0)); // little-endian on every host the tests run on
          const chars = [...Buffer.from(digest).toString('hex')].map((c, i) => (upper[i] ? c.toUpperCase() : c));
          const bytes = chars.map((c) => c.charCodeAt(0));
          // A change: a byte set to any value, or one bit of it flipped (e.g. the case bit of a digit).
          for (const [i, v] of changes) bytes[i] = v >= 0 ? v : bytes[i]! ^ (1 << (-1 - v));
          const b = new Uint8Array(at + 32 + 8);
          b.set(bytes, at);
          expect(hexBytesMatch(b, at, h)).toBe(hexMatches(String.fromCharCode(...bytes), h));
          if (changes.length === 0) expect(hexBytesMatch(b, at, h)).toBe(true);
        },
      ),
      { numRuns: 20000 },
    );
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
