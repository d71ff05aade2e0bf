// The object fast path of md5Sign / md5Verify (src/signing/flat-writer.ts) on its cached state: key
// shapes seen before (prefix bytes written a 32-bit word at a time, values read with for…in into the
// cached order), more shapes than the cache holds, the `&key=` bytes cached for the last key, and an
// enumerable property added to Object.prototype. Each case is checked against the general path
// (PROTOCOL §3): the bytes handed to an md5 hook are exactly the UTF-8 of
// signingStringGeneral(body) + '&key=' + key, and the default signature is OpenSSL's MD5 of them.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { md5Sign, md5Verify, type SignOptions } from '@mmsp/codec';
import { checkSignBytes, expectedSignBytes } from './support/sign-bytes-check.js';

const KEY = 'ea21842eea24e448b991b1cb0a0294cf'; // PROTOCOL §8

// Keys of every length from 1 to 13 (prefixes `,"K":` of 6..18 bytes: every padding to a whole word).
const KEYS = [
  'A',
  'BB',
  'CCC',
  'D_D_',
  'E1234',
  'F_2345',
  'G123456',
  'H_______',
  'I12345678',
  'J_________',
  'K1234567890',
  'L__________',
  'M1234567890AB',
];
// More shapes than the cache holds (16): each a fixed key sequence, in an order that is not sorted.
const SHAPES: string[][] = [];
for (let s = 0; s < 24; s++) {
  const keys: string[] = [];
  for (let i = 0; i < KEYS.length; i++) if (((s + 1) * (i + 3)) % 5 !== 0) keys.push(KEYS[(i * 7 + s) % KEYS.length]!);
  SHAPES.push(s % 3 === 0 ? keys.reverse() : keys);
}

const text = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 20 }) }, // printable ASCII: the branch-free loop
  fc.string({ unit: 'grapheme', maxLength: 6 }),
  fc.string({ unit: 'binary', maxLength: 6 }), // controls, U+2028/2029, lone surrogates
  fc.constantFrom(
    '',
    '0',
    '/',
    '"',
    '\\',
    '\u007f',
    'a/b/c',
    'http://ib.fxclouds.com/Notify/MerPay_notify_url',
    '张安',
    '😀',
    '\u2028',
    '\u0000\u001f',
  ),
);
const value = fc.oneof(
  { weight: 6, arbitrary: text },
  { weight: 2, arbitrary: fc.integer() },
  fc.constantFrom(0, -0, 7, 2 ** 53, 1.5, true, false, null, undefined, [1], { a: 1 }),
);
const signKey = fc.oneof(
  { weight: 3, arbitrary: fc.constant(KEY) },
  fc.constantFrom('x', 'ab', 'abc', 'k"\\/\u2028é中😀', '中'),
);
const options = fc.constantFrom<SignOptions>({}, { escapeSlashes: false });

/** A body of `keys` (in that order) with `vals`, as a plain or a null-prototype object. */
function bodyOf(keys: string[], vals: unknown[], nullProto: boolean): Record<string, unknown> {
  const o: Record<string, unknown> = nullProto ? Object.create(null) : {};
  for (let i = 0; i < keys.length; i++) o[keys[i]!] = vals[i];
  return o;
}

describe('md5Sign of objects whose key shape was seen before', () => {
  it('signs every body of a repeated shape by its own values (24 shapes: the cache of 16 evicts)', () => {
    const body = fc
      .tuple(
        fc.nat(SHAPES.length - 1),
        fc.array(value, { minLength: KEYS.length, maxLength: KEYS.length }),
        fc.boolean(),
      )
      .map(([s, vals, nullProto]) => bodyOf(SHAPES[s]!, vals, nullProto));
    fc.assert(
      fc.property(body, signKey, options, (b, k, o) => checkSignBytes(b, k, o)),
      { numRuns: 4000 },
    );
  });

  it('writes the shortest values right after every prefix length (the word-wide prefix writes are overwritten)', () => {
    for (const keys of SHAPES) {
      for (const v of ['', '0', 0, '/', 'é', null]) {
        checkSignBytes(
          bodyOf(
            keys,
            keys.map(() => v),
            false,
          ),
          KEY,
          {},
        );
        checkSignBytes(
          bodyOf(
            keys,
            keys.map(() => v),
            false,
          ),
          'k',
          { escapeSlashes: false },
        );
      }
    }
  });

  it('follows the md5 key from call to call (the `&key=` bytes are cached for the last key)', () => {
    const b = { ORDER: '1', AMT: '2' };
    const keys = ['x', KEY, 'ab', 'abcd', 'abcde', '中', 'k"\\/\u2028é中😀', KEY];
    const sigs = keys.map((k) => {
      checkSignBytes(b, k, {});
      checkSignBytes(JSON.stringify(b), k, {});
      return md5Sign(b, k);
    });
    expect(new Set(sigs).size).toBe(keys.length - 1);
  });

  it('ignores an enumerable property added to Object.prototype, even one named like a cached key', () => {
    const withX = { A: '1', B: '2', X: '3' };
    checkSignBytes(withX, KEY, {}); // caches the shape A, B, X
    const plain = { A: '1', B: '2' };
    const want = md5Sign(plain, KEY);
    Object.defineProperty(Object.prototype, 'X', {
      value: 'polluted',
      enumerable: true,
      configurable: true,
      writable: true,
    });
    try {
      // for…in would yield A, B, X (inherited): not this body's keys.
      expect(md5Sign(plain, KEY)).toBe(want);
      checkSignBytes(plain, KEY, {});
      checkSignBytes(withX, KEY, {});
      checkSignBytes(Object.assign(Object.create(null), plain), KEY, {});
    } finally {
      delete (Object.prototype as Record<string, unknown>).X;
    }
    expect(md5Sign(plain, KEY)).toBe(want);
  });

  it('reads values through getters once, in key order', () => {
    const reads: string[] = [];
    const b = {};
    for (const k of ['B', 'A', 'C']) {
      Object.defineProperty(b, k, {
        enumerable: true,
        get: () => {
          reads.push(k);
          return `v${k}`;
        },
      });
    }
    const want = expectedSignBytes(b, KEY, {});
    reads.length = 0;
    expect(md5Sign(b, KEY)).toBe(want.md5);
    expect(reads).toEqual(['B', 'A', 'C']);
  });

  it('signs right when a getter signs another body while this one is read', () => {
    // 70 fields: more than the fast path reads, so it stops after 64 (and would leave them behind).
    const inner: Record<string, string> = {};
    for (let i = 0; i < 70; i++) inner[`Z${i}`] = `v${i}/`;
    const innerWant = expectedSignBytes(inner, KEY, {}).md5;
    let innerSig = '';
    const outer: Record<string, unknown> = { C: 'c', B: 'b' };
    Object.defineProperty(outer, 'A', {
      enumerable: true,
      get: () => {
        innerSig = md5Sign(inner, KEY);
        return 'a';
      },
    });
    outer.D = 'd';
    checkSignBytes(inner, KEY, {});
    const want = expectedSignBytes(outer, KEY, {});
    expect(md5Sign(outer, KEY)).toBe(want.md5);
    expect(innerSig).toBe(innerWant);
    expect(md5Sign(outer, KEY)).toBe(want.md5);
  });

  it('takes 64 fields on the fast path and 65 on the exact one, alike', () => {
    for (const size of [63, 64, 65]) {
      const b: Record<string, unknown> = {};
      for (let i = 0; i < size; i++) b[`F${(i * 37) % 100}`] = i % 3 === 0 ? i : `v/${i}`;
      checkSignBytes(b, KEY, {});
      checkSignBytes(b, KEY, {}); // shape cached
    }
  });

  it('grows the buffer for a long body of a cached shape', () => {
    const keys = SHAPES[1]!;
    checkSignBytes(
      bodyOf(
        keys,
        keys.map(() => 'a'),
        false,
      ),
      KEY,
      {},
    );
    checkSignBytes(
      bodyOf(
        keys,
        keys.map((_, i) => '/"\\'.repeat(200 * i) + '张'.repeat(300)),
        false,
      ),
      KEY,
      {},
    );
    checkSignBytes(
      bodyOf(
        keys,
        keys.map(() => 'b'),
        false,
      ),
      KEY,
      {},
    );
  });
});
