// The hand-written flat envelope reader (envelope/flat-read.ts) against the reference, on texts
// written every way JSON allows: each character of each string raw, as a short escape (`\n`, `\/`,
// `\"`…) or as `\uXXXX` in either case (surrogate pairs raw or as two escapes), whitespace of
// every kind between tokens, keys in any order, repeated keys, non-identifier and `__proto__`
// keys, numbers, lone surrogates, wrong, lower-case, escaped and non-ASCII signatures. For each
// text `openEnvelope` must give exactly what `openEnvelopeExactly` (the PHP model) gives, error
// included, and when the reader takes the text, the signing bytes it writes from the text's slices
// must be the reference's `json_encode(ksort(Body), JSON_UNESCAPED_UNICODE)` bytes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { phpJsonEncode, Signer, type OpenEnvelopeOptions } from '@mmsp/codec';
import { openEnvelope, openEnvelopeExactly } from '../src/envelope/open.js';
import { parseFlatEnvelope } from '../src/envelope/flat-read.js';
import { decodeEnvelope, plainOf, readBody } from '../src/envelope/header.js';
import { Md5 } from '../src/hash/md5.js';

const KEY = 'ea21842eea24e448b991b1cb0a0294cf'; // PROTOCOL §8
const signer = new Signer();

const SHORT: Record<string, string> = {
  '"': '\\"',
  '\\': '\\\\',
  '/': '\\/',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
};
const hex = (u: number, upper: boolean): string => {
  const h = u.toString(16).padStart(4, '0');
  return `\\u${upper ? h.toUpperCase() : h}`;
};

/**
 * `s` as a JSON string literal, each UTF-16 unit written the way `ways` (used in turn) says: 0 raw
 * where JSON allows it, 1 `\u` lower-case, 2 `\u` upper-case, 3 the short escape where there is one.
 */
function literal(s: string, ways: readonly number[]): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    const u = s.charCodeAt(i);
    const way = ways.length === 0 ? 0 : ways[i % ways.length]!;
    const rawOk = u >= 0x20 && ch !== '"' && ch !== '\\';
    if (way === 1 || way === 2) out += hex(u, way === 2);
    else if (way === 3 && SHORT[ch] !== undefined) out += SHORT[ch];
    else if (rawOk) out += ch;
    else out += SHORT[ch] ?? hex(u, false);
  }
  return `${out}"`;
}

const SPECIAL = [
  '"',
  '\\',
  '/',
  '\b',
  '\f',
  '\n',
  '\r',
  '\t',
  '\u0000',
  '\u001f',
  '\u007f',
  '\u0080',
  '\u2028',
  '\u2029',
  '\ufffd',
  '中',
  'é',
  '😀',
  'a',
  '1',
  ' ',
  ':',
  ',',
];
const unit = fc.oneof(
  { weight: 12, arbitrary: fc.string({ maxLength: 1 }) },
  { weight: 8, arbitrary: fc.constantFrom(...SPECIAL) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 1 }) },
  { weight: 1, arbitrary: fc.constantFrom('\ud800', '\udfff', '\udbff\udbff') }, // lone surrogates: PHP refuses them
);
const text = fc.oneof(
  fc.array(unit, { maxLength: 10 }).map((a) => a.join('')),
  fc.constantFrom('农业银行', 'http://a/b', '20170926150435', ''),
);
const ways = fc.oneof(fc.constant([0]), fc.constant([1]), fc.array(fc.nat(3), { minLength: 1, maxLength: 6 }));
const identKey = fc.stringMatching(/^[A-Z_][A-Z0-9_]{0,5}$/);
const bodyKey = fc.oneof(
  { weight: 12, arbitrary: identKey },
  fc.constantFrom('A', 'B', 'a', 'Sign', '__proto__', 'constructor', '1', 'a b', '中', ''),
);
/** A Body value as JSON text. */
const bodyValue = fc.oneof(
  { weight: 40, arbitrary: fc.tuple(text, ways).map(([s, w]) => literal(s, w)) },
  fc.constantFrom(
    'true',
    'false',
    'null',
    '0',
    '-0',
    '12',
    '1.5',
    '1e2',
    '12345678901234567890',
    '[]',
    '{}',
    '{"A":"1"}',
    '"\\x"',
    '"\\u12"',
  ),
);
const WS = ['', '', '', ' ', '\n', '\t', '\r\n  '];
/** Whitespace between tokens: none, JSON's own, or now and then what is not JSON whitespace. */
const spaces = fc.oneof(
  { weight: 3, arbitrary: fc.constant(['']) },
  { weight: 6, arbitrary: fc.array(fc.constantFrom(...WS), { minLength: 1, maxLength: 8 }) },
  { weight: 1, arbitrary: fc.array(fc.constantFrom('', '\u00a0', '\u000b', '\ufeff'), { minLength: 1, maxLength: 3 }) },
);

interface Parts {
  header: [string, string][];
  body: [string, string][];
  keyWays: readonly number[];
  space: readonly string[];
  signMode: number;
  bodyAt: number;
}

const parts: fc.Arbitrary<Parts> = fc.record({
  header: fc
    .shuffledSubarray(
      [
        ['CommandID', '35104'],
        ['SeqID', '1'],
        ['NodeType', '3'],
        ['NodeID', '"openapi"'],
        ['Version', '"1.0.0"'],
        ['RetCode', '1'],
        ['ErrorMsg', '"\\u6210\\u529f"'],
        ['AGENTNO', 'null'],
        ['MERNO', '"001440353999853"'],
        ['TERMNO', '"84970001"'],
        ['Extra', '"x"'],
      ] as [string, string][],
      { minLength: 3 },
    )
    .chain((h) =>
      fc
        .oneof(
          { weight: 5, arbitrary: fc.constant([]) },
          fc.array(
            fc.constantFrom<[string, string]>(
              ['SeqID', '"7"'],
              ['RetCode', '0'],
              ['SeqID', '1.0'],
              ['NodeType', '99999999999999999'],
              ['MERNO', '-0'],
              ['Extra', '[1]'],
              ['CommandID', '35104'],
              ['CommandID', '32768'],
              ['CommandID', '"35104"'],
              ['RetCode', 'null'],
              ['RetCode', '"1"'],
              ['ErrorMsg', 'null'],
              ['ErrMsg', '"x"'],
              ['NodeID', '5'],
              ['AGENTNO', 'true'],
              ['Sign', '7'],
              ['陽', '"x"'],
              ['é\u0099½', '"y"'],
            ),
            { maxLength: 2 },
          ),
        )
        .map((more) => [...h, ...more]),
    ),
  body: fc.array(fc.tuple(bodyKey, bodyValue), { minLength: 0, maxLength: 9 }),
  keyWays: fc.oneof(fc.constant([0]), fc.array(fc.nat(3), { minLength: 1, maxLength: 4 })),
  space: spaces,
  signMode: fc.nat(12),
  bodyAt: fc.nat(20),
});

/** The envelope text for `p`, with `sign` as its Sign (placed after the Body). */
function write(p: Parts, sign: string | undefined): string {
  let k = 0;
  const sp = (): string => p.space[k++ % p.space.length]!;
  const pair = (key: string, value: string, keyWays: readonly number[]): string =>
    `${sp()}${literal(key, keyWays)}${sp()}:${sp()}${value}${sp()}`;
  const body = `{${p.body.map(([key, v]) => pair(key, v, p.keyWays)).join(',')}}`;
  const fields = p.header.map(([key, v]) => pair(key, v, [0]));
  fields.splice(p.bodyAt % (fields.length + 1), 0, pair('Body', body, [0]));
  // The Sign as written, or (modes 4, 5, 9) escaped in part or in full: mode 9 writes 27 characters
  // in 32 bytes, as mode 7 writes 30 with a non-ASCII one (the reader compares 32 bytes in place).
  const signWays =
    p.signMode === 4
      ? [1]
      : p.signMode === 5
        ? [0, 0, 0, 2]
        : p.signMode === 9
          ? [1, ...Array<number>(26).fill(0)]
          : [0];
  if (sign !== undefined) fields.push(pair('Sign', literal(sign, signWays), [0]));
  return `${sp()}{${fields.join(',')}}${sp()}`;
}

/** A Sign for `p`: the right one (upper or lower case) mostly, else a wrong, empty or missing one. */
function signOf(p: Parts): string | undefined {
  let right: string | undefined;
  try {
    right = signer.signSigningString(
      openEnvelopeExactly(write(p, undefined), { key: KEY, requireSignature: false }).bodyText,
      KEY,
    );
  } catch {
    right = undefined; // not an envelope the PHP model opens: any Sign will do
  }
  const sign = right ?? 'F'.repeat(32);
  switch (p.signMode) {
    case 0:
      return `${sign.slice(0, 31)}${sign[31] === '0' ? '1' : '0'}`;
    case 1:
      return sign.toLowerCase();
    case 2:
      return undefined;
    case 3:
      return '';
    case 6:
      return `${sign}0`; // 33 characters
    case 7:
      return `Ａ${sign.slice(3)}`; // a non-ASCII character in it: 32 bytes
    case 9:
      return sign.slice(0, 27);
    case 8:
      return sign.replace(/[A-F]/, (c) => c.toLowerCase()); // one letter in lower case
    default:
      return sign;
  }
}

const OPTIONS: OpenEnvelopeOptions[] = [
  { key: KEY },
  { key: KEY },
  { key: KEY },
  { key: KEY, signOptions: { escapeSlashes: false } },
  { key: KEY, signOptions: { escapeUnicode: true } },
  { key: KEY, signInBody: true },
  { key: KEY, requireSignature: false },
  { key: KEY, signOptions: { md5: (b) => new Md5().digest(b) } },
  { key: KEY, expectCommandId: 35104 },
  { key: KEY, expectCommandId: [2324, 35104] },
  { key: KEY, expectCommandId: 2324 },
  { key: KEY, requireRetCode: true },
];

type Outcome = { ok: false; error: string } | { ok: true; value: string };

function outcome(text: string, options: OpenEnvelopeOptions, fast: boolean): Outcome {
  try {
    const o = fast ? openEnvelope(text, options) : openEnvelopeExactly(text, options);
    const {
      commandId,
      seqId,
      nodeType,
      nodeId,
      version,
      agentNo,
      merchantNo,
      terminalNo,
      retCode,
      errorMsg,
      plainBody,
      sign,
      signatureChecked,
      bodyText,
    } = o;
    const all = {
      commandId,
      seqId,
      nodeType,
      nodeId,
      version,
      agentNo,
      merchantNo,
      terminalNo,
      retCode,
      errorMsg,
      plainBody,
      sign,
      signatureChecked,
      bodyText,
      body: phpJsonEncode(o.body),
      raw: phpJsonEncode(o.raw),
    };
    return { ok: true, value: JSON.stringify(all, (_, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v)) };
  } catch (error) {
    return { ok: false, error: `${(error as Error).name}: ${(error as Error).message}` };
  }
}

describe('the hand-written flat envelope reader gives what the PHP model gives', () => {
  it('same result or same error, and the reference signing bytes, on texts written every way JSON allows', () => {
    let read = 0;
    let readAscii = 0;
    let opened = 0;
    let n = 0;
    const encoder = new TextEncoder();
    fc.assert(
      fc.property(parts, fc.constantFrom(...OPTIONS), (p, options) => {
        const text = write(p, signOf(p));
        n++;
        const flat = parseFlatEnvelope(text);
        // Written now, the signing bytes come from the reader's buffer; written after the reads
        // below (which reuse that buffer), from the text encoded again.
        let fromBytes: Uint8Array | undefined;
        if (flat !== undefined) {
          fromBytes = new Uint8Array(flat.maxSigningBytes);
          fromBytes = fromBytes.subarray(0, flat.writeSigningBytes(fromBytes));
        }
        const exact = outcome(text, options, false);
        expect(outcome(text, options, true)).toStrictEqual(exact);
        if (flat !== undefined) {
          read++;
          if (/^[\x00-\x7f]*$/.test(text)) readAscii++; // all ASCII (else some characters of 2 to 4 UTF-8 bytes)
          // The bytes written from the text's slices are the reference writer's bytes of the decoded Body.
          const body = readBody(decodeEnvelope(text));
          if (!body.ok) throw new Error(`the PHP model refuses a Body the reader took: ${body.message}`);
          const out = new Uint8Array(flat.maxSigningBytes);
          const len = flat.writeSigningBytes(out);
          const reference = encoder.encode(signer.signingString(body.body));
          expect(out.subarray(0, len)).toStrictEqual(reference);
          expect(fromBytes).toStrictEqual(reference);
          expect(flat.body).toStrictEqual(plainOf(body.body));
        }
        if (exact.ok) opened++;
      }),
      { numRuns: 5000 },
    );
    // Both readers and both outcomes are exercised.
    expect(read).toBeGreaterThan(n / 10);
    expect(read).toBeLessThan(n);
    expect(readAscii).toBeGreaterThan(n / 50);
    expect(read - readAscii).toBeGreaterThan(n / 50);
    expect(opened).toBeGreaterThan(n / 20);
  });

  it('reads texts one after another whose keys are the last text keys, a prefix of them, more, or one byte longer or shorter', () => {
    // The reader compares each key with the key at the same place in the last text it read and
    // copies the last Body's shape: every kind of near miss, each text checked like the one above.
    const change = fc.oneof(
      fc.constant((p: Parts): Parts => p), // the same keys again (values of the same text)
      fc.array(bodyValue, { minLength: 9, maxLength: 9 }).map(
        (vs) =>
          (p: Parts): Parts => ({ ...p, body: p.body.map(([k], i) => [k, vs[i]!]) }), // the same keys, other values
      ),
      fc.constant((p: Parts): Parts => ({ ...p, body: p.body.slice(0, -1) })),
      fc.constant((p: Parts): Parts => ({ ...p, body: p.body.slice(1) })),
      fc.constant((p: Parts): Parts => ({ ...p, header: p.header.slice(0, -1) })),
      fc.tuple(identKey, bodyValue).map((pair) => (p: Parts): Parts => ({ ...p, body: [...p.body, pair] })),
      fc
        .tuple(fc.nat(8), fc.constantFrom('A', '_', '0', 'Z'))
        .map(([i, c]) => (p: Parts): Parts => ({ ...p, body: p.body.map(([k, v], j) => [j === i ? k + c : k, v]) })),
      fc.nat(8).map((i) => (p: Parts): Parts => ({
        ...p,
        body: p.body.map(([k, v], j) => [j === i && k.length > 1 ? k.slice(0, -1) : k, v]),
      })),
      fc
        .nat(12)
        .map((i) => (p: Parts): Parts => ({ ...p, header: p.header.map(([k, v], j) => [j === i ? `${k}x` : k, v]) })),
    );
    const identBody = fc.array(fc.tuple(identKey, bodyValue), { minLength: 1, maxLength: 9 });
    let hits = 0;
    fc.assert(
      fc.property(
        parts,
        identBody,
        fc.array(change, { minLength: 1, maxLength: 6 }),
        fc.constantFrom(...OPTIONS),
        (first, body, changes, options) => {
          let p: Parts = { ...first, body };
          for (const next of [(q: Parts) => q, ...changes]) {
            p = next(p);
            const text = write(p, signOf(p));
            const flat = parseFlatEnvelope(text);
            if (flat !== undefined) {
              hits++;
              const out = new Uint8Array(flat.maxSigningBytes);
              const len = flat.writeSigningBytes(out);
              const model = readBody(decodeEnvelope(text));
              if (!model.ok) throw new Error(`the PHP model refuses a Body the reader took: ${model.message}`);
              expect(out.subarray(0, len)).toStrictEqual(new TextEncoder().encode(signer.signingString(model.body)));
              expect(flat.body).toStrictEqual(plainOf(model.body));
              expect(Object.keys(flat.body)).toStrictEqual(Object.keys(plainOf(model.body)));
            }
            expect(outcome(text, options, true)).toStrictEqual(outcome(text, options, false));
          }
        },
      ),
      { numRuns: 1500 },
    );
    expect(hits).toBeGreaterThan(1500);
  });

  it('keeps only ASCII top-level keys for the next text: Latin-1 characters never match the UTF-8 bytes of another key', () => {
    const header = '"CommandID":35104,"SeqID":1,"NodeType":3';
    expect(parseFlatEnvelope(`{${header},"é\u0099½":"x","Body":{"A":"1"}}`)?.top.get('é\u0099½')).toBe('x');
    const flat = parseFlatEnvelope(`{${header},"陽":"y","Body":{"A":"中\u2028"}}`);
    expect(flat?.top.get('陽')).toBe('y');
    expect(flat?.top.get('é\u0099½')).toBeUndefined();
    expect(flat?.body).toStrictEqual({ A: '中\u2028' });
  });

  it('the platform-escaped push is read by hand and verifies', () => {
    const body =
      '{"AMT":"200","BANK_NAME":"\\u519c\\u4e1a\\u94f6\\u884c","URL":"http:\\/\\/a\\/b","STATUS":"1","X":null}';
    const bodyText = openEnvelopeExactly(`{"CommandID":35104,"SeqID":1,"NodeType":3,"Body":${body}}`, {
      key: KEY,
      requireSignature: false,
    }).bodyText;
    expect(bodyText).toBe('{"AMT":"200","BANK_NAME":"农业银行","STATUS":"1","URL":"http:\\/\\/a\\/b","X":null}');
    const text = `{"CommandID":35104,"SeqID":1,"NodeType":3,"Body":${body},"Sign":"${signer.signSigningString(bodyText, KEY)}"}`;
    expect(parseFlatEnvelope(text)).toBeDefined();
    expect(openEnvelope(text, { key: KEY }).plainBody).toStrictEqual({
      AMT: '200',
      BANK_NAME: '农业银行',
      URL: 'http://a/b',
      STATUS: '1',
      X: null,
    });
  });
});
