// Signing properties (PROTOCOL §3): the fast paths give exactly the general path's bytes, a signature
// verifies, any single-character tamper fails, hex case does not matter, the md5 hook changes
// nothing. PHP-made expectations are in php-golden.test.ts and php-differential.ci.test.ts.
import fc from 'fast-check';
import { createHash } from 'node:crypto';
import { md5 as nobleMd5 } from '@noble/hashes/legacy.js';
import { describe, expect, it } from 'vitest';
import { constantTimeEqual, md5Sign, md5Verify, signingString, toWireJson, type SignOptions } from '@mmsp/codec';
import { signingStringGeneral } from '../src/signing/reference.js';

const KEY = 'ea21842eea24e448b991b1cb0a0294cf'; // PROTOCOL §8
const OPTIONS: SignOptions[] = [{}, { escapeSlashes: false }, { escapeUnicode: true }];

const ident = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,10}$/);
const anyKey = fc.oneof(ident, fc.constantFrom('10', '9', '-1', '01', '1.5', ' 9', '__proto__', '', 'a/b', '中'));
const text = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'grapheme', maxLength: 8 }),
  fc.constantFrom('http://a.b/c', '\u2028', '\u2029', '\u0000\u001f\u007f', '"\\', '张安', '😀'),
);
const scalar = fc.oneof(
  text,
  fc.integer(),
  fc.constantFrom(0, -0, 2 ** 53, 2 ** 60, 1.5, 1e-7, true, false, null, Number.MAX_SAFE_INTEGER),
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n }),
);
function objectFrom(pairs: [string, unknown][]): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (const [k, v] of pairs)
    Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  return o;
}
/** Mostly flat identifier bodies (the fast path), sometimes not (nested, numeric keys, big numbers). */
const body = fc.oneof(
  { weight: 4, arbitrary: fc.array(fc.tuple(ident, scalar), { maxLength: 14 }).map(objectFrom) },
  { weight: 2, arbitrary: fc.array(fc.tuple(ident, text), { minLength: 1, maxLength: 20 }).map(objectFrom) },
  {
    weight: 2,
    arbitrary: fc
      .array(
        fc.tuple(
          anyKey,
          fc.oneof(scalar, fc.array(scalar, { maxLength: 3 }), fc.dictionary(ident, scalar, { maxKeys: 3 })),
        ),
        { maxLength: 8 },
      )
      .map(objectFrom),
  },
);

/** Throws or not, and what: the same on both paths. */
function outcome(f: () => string): string {
  try {
    return `ok:${f()}`;
  } catch (e) {
    return `throws:${(e as Error).name}`;
  }
}

describe('fast paths equal the general path', () => {
  it('for JS objects', () => {
    fc.assert(
      fc.property(body, fc.constantFrom(...OPTIONS), (b, o) => {
        expect(outcome(() => signingString(b, o))).toBe(outcome(() => signingStringGeneral(b, o)));
      }),
      { numRuns: 2000 },
    );
  });

  it('for received Body texts, including duplicated keys, escapes, whitespace and float spellings', () => {
    const bodyText = fc.oneof(
      body.filter((b) => outcome(() => toWireJson(b)).startsWith('ok')).map((b) => toWireJson(b)),
      body.map((b) => JSON.stringify(b, (_k, v: unknown) => (typeof v === 'bigint' ? Number(v) : v), 1)),
      fc
        .array(
          fc.tuple(
            fc.constantFrom('A', 'B', 'AMT', 'x'),
            fc.constantFrom(
              '"v"',
              '1',
              '1.0',
              '-0',
              '-0.0',
              '1e2',
              '"\\u00e9\\/"',
              '1e400',
              '"\\ud800"',
              'null',
              '9007199254740993',
            ),
          ),
          { minLength: 1, maxLength: 6 },
        )
        .map((pairs) => `{${pairs.map(([k, v]) => `"${k}":${v}`).join(',')}}`),
    );
    fc.assert(
      fc.property(bodyText, fc.constantFrom(...OPTIONS), (t, o) => {
        expect(outcome(() => signingString(t, o))).toBe(outcome(() => signingStringGeneral(t, o)));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('md5Sign / md5Verify', () => {
  const signable = body.filter((b) => outcome(() => signingString(b)).startsWith('ok'));

  it('verifies its own signature, from the object and from its wire text, in any hex case', () => {
    fc.assert(
      fc.property(signable, (b) => {
        const sign = md5Sign(b, KEY);
        expect(sign).toMatch(/^[0-9A-F]{32}$/);
        expect(md5Verify(b, sign, KEY)).toBe(true);
        expect(md5Verify(toWireJson(b), sign, KEY)).toBe(true);
        expect(md5Verify(b, sign.toLowerCase(), KEY)).toBe(true);
        const mixed = sign.replace(/[A-F]/g, (c, i: number) => (i % 2 ? c.toLowerCase() : c));
        expect(md5Verify(b, mixed, KEY)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('rejects any single-character change of the signature', () => {
    fc.assert(
      fc.property(signable, fc.nat(31), fc.constantFrom(...'0123456789ABCDEFGz '), (b, at, ch) => {
        const sign = md5Sign(b, KEY);
        fc.pre(sign[at]!.toUpperCase() !== ch.toUpperCase());
        const bad = sign.slice(0, at) + ch + sign.slice(at + 1);
        expect(md5Verify(b, bad, KEY)).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  it('rejects a single-character change of the signed text, and a wrong key', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(ident, text), { minLength: 1, maxLength: 10 }).map(objectFrom),
        fc.nat(),
        fc.nat(),
        (b, which, at) => {
          const keys = Object.keys(b);
          const k = keys[which % keys.length]!;
          const chars = Array.from(b[k] as string); // by code point: never split a surrogate pair
          const pos = chars.length === 0 ? 0 : at % chars.length;
          const changed = [...chars.slice(0, pos), chars[pos] === 'x' ? 'y' : 'x', ...chars.slice(pos + 1)].join('');
          const sign = md5Sign(b, KEY);
          expect(md5Verify({ ...b, [k]: changed }, sign, KEY)).toBe(false);
          expect(md5Verify(b, sign, `${KEY.slice(0, -1)}0`)).toBe(KEY.endsWith('0'));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('gives the same signature with an OpenSSL or @noble/hashes md5 hook', () => {
    const openssl = (d: Uint8Array) => new Uint8Array(createHash('md5').update(d).digest());
    fc.assert(
      fc.property(signable, fc.constantFrom(...OPTIONS), (b, o) => {
        const plain = md5Sign(b, KEY, o);
        expect(md5Sign(b, KEY, { ...o, md5: openssl })).toBe(plain);
        expect(md5Sign(b, KEY, { ...o, md5: nobleMd5 })).toBe(plain);
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on a malformed signature, only answers false', () => {
    const b = { AMT: '1' };
    for (const s of ['', 'x', `${md5Sign(b, KEY)}0`, ' '.repeat(32), undefined as unknown as string]) {
      expect(md5Verify(b, s, KEY)).toBe(false);
    }
  });

  it('refuses an empty key without echoing it', () => {
    expect(() => md5Sign({ A: '1' }, '')).toThrow(/md5 key/);
  });

  it('"1" and 1 sign differently (the FAQ trap)', () => {
    expect(md5Sign({ AMT: '1' }, KEY)).not.toBe(md5Sign({ AMT: 1 }, KEY));
  });
});

describe('constantTimeEqual', () => {
  it('is string equality', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        expect(constantTimeEqual(a, b)).toBe(a === b);
        expect(constantTimeEqual(a, a)).toBe(true);
      }),
    );
  });
});
