// The PHP JSON model (PROTOCOL §3): lossless round trips, JS ↔ PHP consistency, prototype safety and
// error messages that name the place without printing the value. PHP-made expectations live in
// php-golden.test.ts; these are properties of the codec against itself.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MmspEncodingError,
  PhpArray,
  PhpFloat,
  phpJsonDecode,
  phpJsonEncode,
  signingString,
  toPlain,
  toWireJson,
  type PhpValue,
} from '@mmsp/codec';
import { fromJs } from '../src/php-json/js.js';
import { phpKsort } from '../src/php-json/ksort.js';

/** A typed dump of a PHP value, so that equality also compares int/float/bigint and list/map. */
function dump(v: PhpValue): string {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'string':
      return `s${JSON.stringify(v)}`;
    case 'number':
      return Number.isInteger(v) ? `i${v}` : `f${Object.is(v, -0) ? '-0' : String(v)}`;
    case 'bigint':
      return `i${v}`;
    case 'boolean':
      return `b${v}`;
  }
  if (v instanceof PhpFloat) return `f${Object.is(v.value, -0) ? '-0' : String(v.value)}`;
  if (Array.isArray(v)) return `[${v.map(dump).join(',')}]`;
  return `{${Array.from(v.map, ([k, x]) => `${JSON.stringify(k)}:${dump(x)}`).join(',')}}`;
}

const key = fc.oneof(
  fc.constantFrom(
    '0',
    '1',
    '2',
    '10',
    '-1',
    '01',
    '1.5',
    ' 9',
    '__proto__',
    'constructor',
    '',
    'A',
    'a/b',
    '\u2028',
    '中',
  ),
  fc.string({ maxLength: 6 }),
  fc.string({ unit: 'grapheme', maxLength: 4 }),
);
const scalar = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 10 }),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.bigInt({ min: -(2n ** 64n), max: 2n ** 64n }),
  fc.constantFrom(
    true,
    false,
    null,
    undefined,
    -0,
    2 ** 60,
    1e21,
    new PhpFloat(1),
    new PhpFloat(-0),
    new PhpFloat(1e17),
  ),
);
function objectFrom(pairs: [string, unknown][]): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (const [k, v] of pairs)
    Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  return o;
}
const js = fc.letrec<{ v: unknown; o: Record<string, unknown>; a: unknown[] }>((tie) => ({
  v: fc.oneof({ depthSize: 'small' }, scalar, tie('o'), tie('a')),
  o: fc.array(fc.tuple(key, tie('v')), { maxLength: 6 }).map(objectFrom),
  a: fc.array(tie('v'), { maxLength: 4 }),
}));

describe('fromJs and toWireJson agree: PHP decodes the wire text to exactly fromJs(value)', () => {
  it('holds for generated JS values', () => {
    fc.assert(
      fc.property(js.v, (v) => {
        if (v === undefined) return;
        expect(dump(phpJsonDecode(toWireJson(v)))).toBe(dump(fromJs(v)));
      }),
      { numRuns: 500 },
    );
  });

  it('the wire text is lossless for any decoded value (int64, integral floats, lists, maps)', () => {
    fc.assert(
      fc.property(js.v, (v) => {
        if (v === undefined) return;
        const model = phpJsonDecode(toWireJson(v));
        expect(dump(phpJsonDecode(toWireJson(model)))).toBe(dump(model));
      }),
      { numRuns: 500 },
    );
  });

  it('re-encoding is stable: encode(decode(encode(x))) = encode(x) once -0.0 is out of the way', () => {
    fc.assert(
      fc.property(js.v, (v) => {
        if (v === undefined) return;
        const once = phpJsonEncode(fromJs(v));
        // PHP prints the float -0.0 as -0, which reads back as the integer 0: PHP's own asymmetry.
        fc.pre(!/(^|[[:,])-0([,\]}]|$)/.test(once));
        expect(phpJsonEncode(phpJsonDecode(once))).toBe(once);
      }),
      { numRuns: 500 },
    );
  });
});

describe('PHP semantics kept by the model', () => {
  it('keeps int64 exact and integral floats as floats', () => {
    const v = phpJsonDecode('{"a":123456789012345678,"b":1.0,"c":-0.0,"d":-0,"e":1e17}') as PhpArray;
    expect(v.get('a')).toBe(123456789012345678n);
    expect(v.get('b')).toBeInstanceOf(PhpFloat);
    expect(Object.is((v.get('c') as PhpFloat).value, -0)).toBe(true);
    expect(v.get('d')).toBe(0);
    expect(phpJsonEncode(v)).toBe('{"a":123456789012345678,"b":1,"c":-0,"d":0,"e":1.0e+17}');
  });

  it('turns {} and 0..n-1 keys into lists, keeps the first position and the last value of a duplicate', () => {
    expect(phpJsonDecode('{}')).toEqual([]);
    expect(phpJsonDecode('{"0":"a","1":"b"}')).toEqual(['a', 'b']);
    const d = phpJsonDecode('{"x":1,"y":2,"x":3}') as PhpArray;
    expect(Array.from(d.keys())).toEqual(['x', 'y']);
    expect(d.get('x')).toBe(3);
  });

  it('phpKsort sorts the top level the PHP 8 way', () => {
    const sorted = phpKsort(phpJsonDecode('{"10":1,"9":2,"A":3,"-1":4,"01":5,"1.5":6}') as PhpArray).map(([k]) => k);
    expect(sorted).toEqual(['-1', '01', '1.5', '9', '10', 'A']);
  });

  it('treats __proto__ as an ordinary key and never pollutes prototypes', () => {
    const text = '{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}}}';
    const v = phpJsonDecode(text) as PhpArray;
    expect(v.has('__proto__')).toBe(true);
    const plain = toPlain(v) as Record<string, unknown>;
    expect(Object.keys(plain)).toEqual(['__proto__', 'constructor']);
    expect(Object.getPrototypeOf(plain)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(signingString(text)).toBe('{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}}}');
    const fromParse = JSON.parse(text) as object;
    expect(signingString(fromParse)).toBe(signingString(text));
  });

  it('toPlain gives plain JS', () => {
    expect(toPlain(phpJsonDecode('{"a":[1,2.5,1.0],"b":123456789012345678}'))).toEqual({
      a: [1, 2.5, 1],
      b: 123456789012345678n,
    });
  });
});

describe('errors name the place and the rule, never the value', () => {
  const secret = `${'6222020200112233445'.repeat(50)}\ud800`;
  it('lone surrogate in a JS value', () => {
    const run = () => signingString({ A: { CARDNO: ['x', secret] } });
    expect(run).toThrow(MmspEncodingError);
    expect(run).toThrow(/\$\.A\.CARDNO\[1\]/);
    try {
      run();
    } catch (e) {
      expect((e as Error).message).not.toContain('62220202');
      expect((e as Error).message.length).toBeLessThan(300);
    }
  });

  it('lone surrogate in a received text, escaped or raw', () => {
    expect(() => signingString('{"A":{"B":"\\ud800"}}')).toThrow(/\$\.A\.B.*surrogate/);
    expect(() => signingString(`{"A":"${secret}"}`)).toThrow(/\$\.A: malformed UTF-8/);
    try {
      signingString(`{"A":"${secret}"}`);
    } catch (e) {
      expect((e as Error).message).not.toContain('62220202');
    }
  });

  it('lone surrogate in a key', () => {
    expect(() => signingString({ ['K\udc00']: 'v' })).toThrow(/\$\["K\\udc00"\].*surrogate/);
  });

  it('invalid JSON says where', () => {
    expect(() => phpJsonDecode('{"A":1,}')).toThrow(/offset 7.*Syntax error/);
    expect(() => phpJsonDecode('')).toThrow(/unexpected end/);
    expect(() => phpJsonDecode('{"A":"a\tb"}')).toThrow(/\$\.A.*control character/);
  });

  it('depth: 511 nested levels decode, 512 fail (PHP json_decode, depth 512)', () => {
    expect(() => phpJsonDecode('['.repeat(511) + ']'.repeat(511))).not.toThrow();
    expect(() => phpJsonDecode('['.repeat(512) + ']'.repeat(512))).toThrow(/depth 512/);
  });

  it('a JS Body is nested inside the envelope: PHP decodes a Body holding 509 nested arrays, not 510', () => {
    // php -r: json_decode('{"Body":{"A":' . str_repeat('[', 509) . …) decodes; with 510 it fails.
    let ok: unknown = [];
    for (let i = 1; i < 509; i++) ok = [ok];
    expect(() => signingString({ A: ok })).not.toThrow();
    expect(() => signingString({ A: [ok] })).toThrow(/depth 511/);
  });

  it('fromJs has json_decode depth semantics: 511 nested levels, not 512', () => {
    let v: unknown = [];
    for (let i = 1; i < 511; i++) v = [v];
    expect(() => fromJs(v)).not.toThrow();
    expect(() => fromJs([v])).toThrow(/depth 512/);
    expect(() => phpJsonDecode(toWireJson([v]))).toThrow(/depth 512/);
  });

  it('NaN, Infinity, cycles and unsupported objects', () => {
    expect(() => signingString({ AMT: Number.NaN })).toThrow(/\$\.AMT.*NaN/);
    const cyc: Record<string, unknown> = {};
    cyc.self = cyc;
    expect(() => signingString(cyc)).toThrow(MmspEncodingError);
    expect(() => signingString({ M: new Map() })).toThrow(/\$\.M: a Map is not supported/);
    expect(() => toWireJson({ A: Number.POSITIVE_INFINITY })).toThrow(/\$\.A/);
  });

  it('a Body that is not an array cannot be signed', () => {
    expect(() => signingString('"text"')).toThrow(/must be a JSON object/);
    expect(() => signingString('42')).toThrow(MmspEncodingError);
  });
});
