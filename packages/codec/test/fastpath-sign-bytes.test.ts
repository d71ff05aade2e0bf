// The fused fast paths of md5Sign / md5Verify (src/signing/flat-writer.ts: UTF-8 signing bytes written
// straight into the MD5 input) against the general path (PROTOCOL §3): the bytes handed to an md5 hook
// are exactly the UTF-8 of signingStringGeneral(body) + '&key=' + key, and the default signature is
// OpenSSL's MD5 of those bytes; a body the general path refuses is refused the same way.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { md5Sign, md5Verify, phpJsonDecode, signingString, toWireJson, type SignOptions } from '@mmsp/codec';
import { signingStringGeneral } from '../src/signing/reference.js';
import { checkSignBytes } from './support/sign-bytes-check.js';

const KEY = 'ea21842eea24e448b991b1cb0a0294cf'; // PROTOCOL §8
const OPTIONS: SignOptions[] = [{}, { escapeSlashes: false }, { escapeUnicode: true }];

const ident = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,10}$/);
const key = fc.oneof(ident, fc.constantFrom('10', '01', '-1', '__proto__', 'a b', '中', 'A"', 'a\\b', 'a/b'));
const text = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'grapheme', maxLength: 8 }),
  fc.string({ unit: 'binary', maxLength: 6 }), // lone surrogates too
  fc.constantFrom(
    'http://ib.fxclouds.com/Notify/MerPay_notify_url',
    '\u2028\u2029',
    '\u0000\b\f\n\r\t\u001f\u007f',
    '"\\/',
    '张安',
    '😀',
    'é',
  ),
);
const scalar = fc.oneof(
  { weight: 5, arbitrary: text },
  { weight: 2, arbitrary: fc.integer() },
  fc.constantFrom(0, -0, 2 ** 53, -(2 ** 53), 2 ** 53 - 1, 1e15, 1e16, 1.5, true, false, null, undefined),
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n }),
);
function objectFrom(pairs: [string, unknown][]): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (const [k, v] of pairs)
    Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  return o;
}
const body = fc.oneof(
  { weight: 5, arbitrary: fc.array(fc.tuple(ident, scalar), { maxLength: 16 }).map(objectFrom) },
  { weight: 1, arbitrary: fc.array(fc.tuple(key, scalar), { maxLength: 6 }).map(objectFrom) },
  {
    weight: 1,
    arbitrary: fc
      .array(fc.tuple(ident, fc.oneof(scalar, fc.array(scalar, { maxLength: 2 }))), { maxLength: 6 })
      .map(objectFrom),
  },
);
const signKey = fc.oneof({ weight: 5, arbitrary: fc.constant(KEY) }, fc.constantFrom('k"\\/\u2028é中😀', 'x'));

describe('fused md5Sign bytes equal the general path', () => {
  it('for JS objects', () => {
    fc.assert(
      fc.property(body, signKey, fc.constantFrom(...OPTIONS), (b, k, o) => checkSignBytes(b, k, o)),
      { numRuns: 3000 },
    );
  });

  it('for decoded PhpArray bodies (what openEnvelope verifies)', () => {
    const wire = body.filter((b) => {
      try {
        toWireJson(b);
        return true;
      } catch {
        return false;
      }
    });
    fc.assert(
      fc.property(wire, signKey, fc.constantFrom(...OPTIONS), (b, k, o) => {
        const decoded = phpJsonDecode(toWireJson(b));
        if (decoded !== null && typeof decoded === 'object') {
          checkSignBytes(decoded, k, o);
          // The signing string of a decoded Body (openEnvelope's bodyText) takes the writer's PhpArray path.
          let general: string;
          try {
            general = signingStringGeneral(decoded, o);
          } catch {
            expect(() => signingString(decoded, o)).toThrow();
            return;
          }
          expect(signingString(decoded, o)).toBe(general);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('for received Body texts: whitespace, escapes, numbers at the edges, duplicates, broken JSON', () => {
    const value = fc.constantFrom(
      '"v"',
      '""',
      '"a/b"',
      '"\\/"',
      '"\\"x"',
      '"a\\u00e9"',
      '"张安"',
      '"😀"',
      '"\u2028"',
      '"a\u2029/b\u2028"',
      '"\ufffd"',
      '"é\u0080߿"',
      '"\ud800"',
      '"a\u0001"',
      '"a\tb"',
      '0',
      '-0',
      '1',
      '-1',
      '123456789012345',
      '1234567890123456',
      '-123456789012345',
      '01',
      '1.0',
      '1e2',
      '-',
      '1.',
      '+1',
      '-0.0',
      'true',
      'false',
      'null',
      'nul',
      'truex',
      '[]',
      '{}',
      '{"a":1}',
      '[1]',
    );
    const k = fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom('A', 'B', 'AMT', 'x', '_', 'a1', 'Z9_') },
      fc.constantFrom('1', '01', '', 'a b', '中', 'a\\"'),
    );
    const ws = fc.constantFrom('', '', '', ' ', '\n\t', '\r ');
    const pair = fc.tuple(k, value, ws, ws).map(([kk, v, w1, w2]) => `${w1}"${kk}"${w2}:${w1}${v}${w2}`);
    const texts = fc.oneof(
      fc.array(pair, { minLength: 0, maxLength: 8 }).map((ps) => `{${ps.join(',')}}`),
      fc.tuple(fc.array(pair, { minLength: 1, maxLength: 4 }), ws).map(([ps, w]) => `${w}{${ps.join(',')}}${w}`),
      fc.constantFrom('{', '{"A":"1"', '{"A":"1",}', '{"A" "1"}', '{"A":"1"}x', '[]', '"x"', '', '{"A":"1"}{'),
      body
        .filter((b) => {
          try {
            toWireJson(b);
            return true;
          } catch {
            return false;
          }
        })
        .map((b) => toWireJson(b)),
    );
    fc.assert(
      fc.property(texts, signKey, fc.constantFrom(...OPTIONS), (t, kk, o) => checkSignBytes(t, kk, o)),
      { numRuns: 4000 },
    );
  });

  it('for more than 64 fields and long values (buffer growth)', () => {
    const big: Record<string, string> = {};
    for (let i = 0; i < 70; i++) big[`K${i}`] = '张'.repeat(i * 40) + '/';
    checkSignBytes(big, KEY, {});
    checkSignBytes(JSON.stringify(big), KEY, {});
    const wide: Record<string, string> = {};
    for (let i = 0; i < 60; i++) wide[`K${i}`] = '\u0001"'.repeat(300);
    checkSignBytes(wide, KEY, {});
    checkSignBytes(JSON.stringify(wide), KEY, {});
  });

  it('a shape seen before still signs each body by its own values', () => {
    const a = { B: '1', A: '2' };
    const b = { B: '3', A: '4' };
    checkSignBytes(a, KEY, {});
    checkSignBytes(b, KEY, {});
    expect(md5Sign(a, KEY)).not.toBe(md5Sign(b, KEY));
  });
});
