// Live differential test against real PHP (PROTOCOL §3): fast-check generates adversarial Body texts
// and JS bodies, one php process computes what the platform would (scripts/php-oracle.php), and
// the codec must agree byte for byte. Needs php-cli (CI: apt-get install -y php-cli); fails
// without it. Cases: MMSP_PHP_DIFF_RUNS (default 300; CI 20000), seed: MMSP_PHP_DIFF_SEED.
//   MMSP_PHP_DIFF_RUNS=20000 node packages/codec/scripts/php-differential.mjs
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MmspEncodingError,
  PhpArray,
  PhpFloat,
  md5Sign,
  md5Verify,
  phpJsonDecode,
  phpJsonEncode,
  signingString,
  toWireJson,
} from '@mmsp/codec';
import { runPhpOracle, type OracleResult } from '../scripts/php-oracle.mjs';

const RUNS = Number(process.env.MMSP_PHP_DIFF_RUNS ?? 300);
const SEED = Number(process.env.MMSP_PHP_DIFF_SEED ?? Math.floor(Math.random() * 2 ** 31));
const KEY = 'ea21842eea24e448b991b1cb0a0294cf'; // PROTOCOL §8
const VARIANTS = [
  ['default', {}],
  ['unescapedSlashes', { escapeSlashes: false }],
  ['escapedUnicode', { escapeUnicode: true }],
] as const;

// ---------- adversarial raw JSON text ----------

/** A tiny deterministic PRNG, so one generated seed decides every formatting choice of a string. */
function rng(seed: number): () => number {
  let x = seed | 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

const SHORT: Record<number, string> = {
  34: '\\"',
  92: '\\\\',
  47: '\\/',
  8: '\\b',
  12: '\\f',
  10: '\\n',
  13: '\\r',
  9: '\\t',
};

/** A JSON string literal for `s`, each character raw or escaped at random (valid JSON either way). */
function literal(s: string, seed: number): string {
  const r = rng(seed);
  const mode = r();
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const d = s.charCodeAt(i + 1);
    const pair = c >= 0xd800 && c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff;
    const must = c < 0x20 || c === 34 || c === 92;
    const escape = must || (mode > 0.6 && r() < 0.5) || (c >= 0xd800 && c <= 0xdfff && mode > 0.3 && r() < 0.5);
    if (pair) {
      // A surrogate pair is one character: both halves raw or both escaped (\ud83d\ude00).
      out += escape ? `\\u${c.toString(16)}\\u${d.toString(16).toUpperCase()}` : s.slice(i, i + 2);
      i++;
      continue;
    }
    if (!escape) {
      out += s[i];
      continue;
    }
    const short = SHORT[c];
    if (short !== undefined && r() < 0.7) out += short;
    else {
      const hex = c.toString(16).padStart(4, '0');
      out += `\\u${r() < 0.5 ? hex : hex.toUpperCase()}`;
    }
  }
  return `${out}"`;
}

const SPECIAL_KEYS = [
  'AMT',
  'MERORDERID',
  'NOTIFY_URL',
  'a',
  'A',
  'B',
  'Z',
  '_',
  'AB',
  'A_',
  '_A',
  'a_b',
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  '',
  '0',
  '1',
  '2',
  '3',
  '9',
  '10',
  '11',
  '-1',
  '-2',
  '01',
  '00',
  '1.5',
  '1.0',
  ' 9',
  '9 ',
  '\t1',
  '1e1',
  '1E1',
  '1e400',
  '-1e400',
  '-0',
  '+1',
  '0x1A',
  '.5',
  '5.',
  '1a',
  '10a',
  '2b',
  'a1',
  '1 a',
  '9223372036854775807',
  '9223372036854775808',
  '-9223372036854775808',
  '-9223372036854775809',
  '99999999999999999999',
  '18446744073709551616',
  'a/b',
  '/',
  '\u2028',
  '\u2029',
  '中',
  '中文',
  '😀',
  '\uffff',
  '\ue000',
  'é',
  'Ω',
  '\u007f',
  '\u0000',
  '\n',
  '"',
  '\\',
];

const numericText = fc
  .tuple(
    fc.constantFrom('', '', '', ' ', '\t', '\n'),
    fc.constantFrom('', '', '-', '+'),
    fc.constantFrom(
      '0',
      '00',
      '1',
      '7',
      '10',
      '99',
      '123',
      '9223372036854775807',
      '9223372036854775808',
      '1000000000000000000000',
    ),
    fc.constantFrom('', '', '', '.', '.0', '.5', '.25'),
    fc.constantFrom('', '', '', 'e1', 'E2', 'e-3', 'e+4', 'e400', 'e'),
    fc.constantFrom('', '', '', ' ', '\n', 'a'),
  )
  .map((p) => p.join(''));

const keyArb = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...SPECIAL_KEYS) },
  { weight: 3, arbitrary: fc.integer({ min: -30, max: 40 }).map(String) },
  { weight: 3, arbitrary: numericText },
  { weight: 2, arbitrary: fc.string({ maxLength: 5 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 4 }) },
);

const stringArb = fc.oneof(
  { weight: 6, arbitrary: fc.string({ maxLength: 12 }) },
  { weight: 3, arbitrary: fc.string({ unit: 'grapheme', maxLength: 8 }) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      'http://a.com/b/c',
      '\u2028\u2029',
      '\u0000\u001f\u007f',
      '张安',
      '😀',
      '\b\f\n\r\t',
      '"\\/',
      '\ufeff',
      '1',
      '-0',
      '',
    ),
  },
  {
    weight: 2,
    arbitrary: fc.string({
      unit: fc.constantFrom('a', '/', '\\', '"', '\u2028', '\u0001', '\u007f', '中', '😀', '\n', '\u00e9'),
      maxLength: 8,
    }),
  },
);

/** A string that may rarely carry a lone surrogate (raw or escaped): PHP must reject those. */
const stringWithRareSurrogate = fc.oneof(
  { weight: 150, arbitrary: stringArb },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 6 }) }, // may hold half surrogates
  {
    weight: 1,
    arbitrary: fc.tuple(stringArb, fc.constantFrom('\ud800', '\udbff', '\udc00', '\udfff')).map(([s, x]) => s + x),
  },
);

const numberLiteral = fc.oneof(
  { weight: 3, arbitrary: fc.bigInt({ min: -(2n ** 66n), max: 2n ** 66n }).map(String) },
  { weight: 2, arbitrary: fc.integer({ min: -1000, max: 1000 }).map(String) },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      '9223372036854775807',
      '9223372036854775808',
      '-9223372036854775808',
      '-9223372036854775809',
      '9007199254740993',
      '-0',
      '0',
      '-0.0',
      '0.0',
      '1.0',
      '100.0',
      '2.50',
      '1e16',
      '1e17',
      '1E2',
      '1e-5',
      '0.00001',
      '0.0001',
      '1e400',
      '-1e400',
      '5e-324',
      '1.7976931348623157e308',
      '0.1',
      '123456789012345678901234567890',
      '1e15',
      '1e21',
      '1e22',
      '-1e-7',
      '0e0',
      '0.1e1',
    ),
  },
  {
    weight: 4,
    arbitrary: fc
      .tuple(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer({ min: 0, max: 3 }))
      .map(([d, form]) => {
        if (form === 0) return String(d);
        if (form === 1) return d.toExponential();
        if (form === 2) return d.toExponential().toUpperCase();
        return Math.abs(d) < 1e21
          ? d.toFixed(Math.min(20, Math.max(0, 20 - String(Math.floor(Math.abs(d))).length)))
          : String(d);
      }),
  },
);

const wsArb = fc.constantFrom('', '', '', ' ', '\n', '\t', ' \r\n ');

const textArb = fc.letrec<{ value: string; object: string; array: string }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.tuple(stringWithRareSurrogate, fc.integer()).map(([s, seed]) => literal(s, seed)),
    numberLiteral,
    fc.constantFrom('true', 'false', 'null'),
    tie('object'),
    tie('array'),
  ),
  object: fc
    .tuple(fc.array(fc.tuple(keyArb, fc.integer(), tie('value')), { maxLength: 9 }), wsArb)
    .map(([pairs, ws]) => `{${ws}${pairs.map(([k, seed, v]) => `${literal(k, seed)}${ws}:${v}`).join(`,${ws}`)}${ws}}`),
  array: fc
    .tuple(fc.array(tie('value'), { maxLength: 5 }), wsArb)
    .map(([items, ws]) => `[${ws}${items.join(`,${ws}`)}]`),
}));

const bodyTextArb = fc.oneof({ weight: 12, arbitrary: textArb.object }, { weight: 1, arbitrary: textArb.value });

// ---------- JS bodies (the request form) ----------

/** True when `s` has no lone surrogate (encodeURIComponent throws on one). */
function encodeURIComponentSafe(s: string): boolean {
  try {
    encodeURIComponent(s);
    return true;
  } catch {
    return false;
  }
}

function objectFrom(pairs: [string, unknown][]): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (const [k, v] of pairs)
    Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  return o;
}

const jsScalar = fc.oneof(
  { weight: 6, arbitrary: stringArb },
  { weight: 3, arbitrary: fc.integer({ min: -1_000_000, max: 1_000_000 }) },
  { weight: 2, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      -0,
      2 ** 53,
      2 ** 60,
      -(2 ** 63),
      2 ** 63,
      1e21,
      1e16,
      1e17,
      0.1,
      Number.MAX_SAFE_INTEGER,
    ),
  },
  { weight: 2, arbitrary: fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      new PhpFloat(1),
      new PhpFloat(-0),
      new PhpFloat(1e17),
      new PhpFloat(100),
      new PhpFloat(2.5),
    ),
  },
  { weight: 2, arbitrary: fc.constantFrom(true, false, null, undefined) },
);

const jsArb = fc.letrec<{ value: unknown; object: Record<string, unknown>; array: unknown[] }>((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, jsScalar, tie('object'), tie('array')),
  object: fc.array(fc.tuple(keyArb.filter(encodeURIComponentSafe), tie('value')), { maxLength: 9 }).map(objectFrom),
  array: fc.array(tie('value'), { maxLength: 5 }),
}));

/** Flat identifier-keyed bodies of strings and integers: the fast path. */
const flatArb = fc
  .array(
    fc.tuple(
      fc.stringMatching(/^[A-Z_][A-Z0-9_]{0,11}$/),
      fc.oneof(stringArb, fc.integer(), fc.constantFrom(true, null)),
    ),
    { maxLength: 14 },
  )
  .map(objectFrom);

const jsBodyArb = fc.oneof(
  { weight: 4, arbitrary: jsArb.object },
  { weight: 2, arbitrary: flatArb },
  {
    weight: 1,
    arbitrary: jsArb.object.map(
      (o) => new PhpArray(Object.entries(o).filter(([, v]) => v !== undefined) as [string, never][]),
    ),
  },
);

// ---------- comparison ----------

function attempt<T>(f: () => T): { ok: true; value: T } | { ok: false; error: unknown } {
  try {
    return { ok: true, value: f() };
  } catch (error) {
    return { ok: false, error };
  }
}

function describeCase(c: { kind: string; body: string }): string {
  return `${c.kind} body (seed ${SEED}): ${JSON.stringify(c.body).slice(0, 3000)}`;
}

/** Where two texts first differ, with some context on each side. */
function diff(php: string, codec: string): string {
  let i = 0;
  while (i < php.length && php[i] === codec[i]) i++;
  const from = Math.max(0, i - 120);
  return `first difference at ${i}:\n  php:   …${JSON.stringify(php.slice(from, i + 120))}\n  codec: …${JSON.stringify(codec.slice(from, i + 120))}`;
}

/** Every disagreement between the codec and PHP for one case, as sentences (empty when they agree). */
function compare(kind: 'text' | 'object', body: string | object, php: OracleResult): string[] {
  const problems: string[] = [];
  const input = typeof body === 'string' ? body : body;
  if (kind === 'text') {
    const decoded = attempt(() => phpJsonDecode(body as string));
    if (php.error !== undefined) {
      if (decoded.ok) problems.push(`PHP json_decode failed (${php.error}) but phpJsonDecode accepted it`);
      else if (!(decoded.error instanceof MmspEncodingError))
        problems.push(`wrong error type: ${String(decoded.error)}`);
      const signed = attempt(() => signingString(input));
      if (signed.ok) problems.push('signingString accepted a body PHP cannot decode');
      return problems;
    }
    if (!decoded.ok) return [`PHP decoded it but phpJsonDecode threw: ${String(decoded.error)}`];
    const re = attempt(() => phpJsonEncode(decoded.value));
    if (php.reencode === null || php.reencode === undefined) {
      if (re.ok)
        problems.push(`PHP json_encode failed (${php.reencodeError}) but phpJsonEncode gave ${re.value.slice(0, 200)}`);
    } else if (!re.ok) problems.push(`phpJsonEncode threw: ${String(re.error)}`);
    else if (re.value !== php.reencode) problems.push(`re-encode differs, ${diff(php.reencode, re.value)}`);
  }
  for (const [name, options] of VARIANTS) {
    const want = php.signing?.[name];
    const got = attempt(() => signingString(input, options));
    if (want === null || want === undefined) {
      if (got.ok)
        problems.push(`[${name}] PHP cannot sign (${php.signError}) but codec gave ${got.value.slice(0, 200)}`);
      continue;
    }
    if (!got.ok) {
      problems.push(`[${name}] codec threw: ${String(got.error)}`);
      continue;
    }
    if (got.value !== want) problems.push(`[${name}] signing string differs, ${diff(want, got.value)}`);
    const sign = md5Sign(input, KEY, options);
    if (sign !== php.sign?.[name]) problems.push(`[${name}] md5 differs: php ${php.sign?.[name]} codec ${sign}`);
    else if (!md5Verify(input, sign.toLowerCase(), KEY, options))
      problems.push(`[${name}] md5Verify rejected PHP's signature`);
  }
  return problems;
}

describe(`live PHP differential (${RUNS} cases, seed ${SEED})`, () => {
  it('agrees with php-cli byte for byte on generated bodies', () => {
    const textCount = Math.ceil(RUNS * 0.6);
    const texts = fc.sample(bodyTextArb, { numRuns: textCount, seed: SEED });
    const objects = fc.sample(jsBodyArb, { numRuns: RUNS - textCount, seed: SEED + 1 });
    // Depth edges (json_decode depth 512) and the object form of each JS body (its wire JSON).
    const depthTexts = [509, 510, 511, 512, 513].flatMap((n) => [
      '['.repeat(n) + ']'.repeat(n),
      `{"A":${'['.repeat(n - 1)}1${']'.repeat(n - 1)}}`,
    ]);
    const cases: { kind: 'text' | 'object'; body: string; value: string | object }[] = [
      ...[...texts, ...depthTexts].map((t) => ({ kind: 'text' as const, body: t, value: t })),
      ...objects.flatMap((o) => {
        const wire = attempt(() => toWireJson(o));
        return wire.ok ? [{ kind: 'object' as const, body: wire.value, value: o }] : [];
      }),
    ];
    // A JS Body travels inside the envelope, so PHP decodes it one level down: json_decode depth 511.
    const nested = (n: number): unknown => (n === 0 ? [] : [nested(n - 1)]);
    const deepObjects = [507, 508, 509, 510].map((n) => ({ A: nested(n) }));
    const firstDeep = cases.length;
    cases.push(...deepObjects.map((o) => ({ kind: 'object' as const, body: toWireJson(o), value: o })));
    const started = Date.now();
    const results = runPhpOracle(
      cases.map((c, id) => ({ id, body: c.body, key: KEY, depth: id >= firstDeep ? 511 : 512 })),
    );
    const phpMs = Date.now() - started;
    const failures: string[] = [];
    let errors = 0;
    const why = new Map<string, number>();
    cases.forEach((c, id) => {
      const php = results.get(id) as OracleResult;
      const reason = php.error ?? php.signError;
      if (reason !== undefined) {
        errors++;
        why.set(reason, (why.get(reason) ?? 0) + 1);
      }
      // An object case is checked twice: as the JS object we send and as the wire text PHP receives.
      const problems = [
        ...compare(c.kind, c.value, php),
        ...(c.kind === 'object' && id < firstDeep ? compare('text', c.body, php) : []),
      ];
      if (problems.length > 0 && failures.length < 4) failures.push(`${describeCase(c)}\n${problems.join('\n')}`);
    });
    console.log(
      `php differential: ${cases.length} cases (${errors} that PHP rejects), php ${phpMs} ms, seed ${SEED}`,
      Object.fromEntries(why),
    );
    expect(failures, failures.join('\n\n')).toEqual([]);
    // The generator must keep producing both accepted and rejected bodies, or the test proves little.
    expect(errors).toBeGreaterThan(0);
    expect(errors).toBeLessThan(cases.length / 2);
  });
});
