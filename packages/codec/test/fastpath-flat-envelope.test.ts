// openEnvelope reads the common flat envelope by hand (envelope/flat-read.ts) and everything else
// with the lossless PHP model (php-json/decode.ts). The fast path must be invisible: for every text,
// both give the same fields, plain Body, signing string, PHP model and errors. Texts are generated
// envelopes (flat, nested, escaped the platform's way) with edits aimed at the places where a
// reader could differ from PHP's json_decode: floats, big and negative-zero integers, surrogate
// escapes, repeated keys, whitespace, `__proto__`, strings that only look like numbers.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildEnvelope, phpJsonEncode, type OpenEnvelopeOptions } from '@mmsp/codec';
import { openEnvelope, openEnvelopeExactly } from '../src/envelope/open.js';
import { parseFlatEnvelope } from '../src/envelope/flat-read.js';

const KEY = 'ea21842eea24e448b991b1cb0a0294cf'; // PROTOCOL §8
const MERCHANT = { merchantNo: '001440353999853', terminalNo: '84970001' };

const ident = fc.stringMatching(/^[A-Z_][A-Z0-9_]{0,8}$/);
const key = fc.oneof({ weight: 8, arbitrary: ident }, fc.constantFrom('10', '__proto__', 'LIST ID', '中'));
const scalar = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.oneof(
      fc.string({ maxLength: 8 }),
      fc.string({ unit: 'grapheme', maxLength: 5 }),
      fc.constantFrom('农业银行', 'a/b', '\u2028', '"\\', ':1.5', ': -0', '2026-01-05 10:30:00'),
    ),
  },
  fc.integer({ min: -1000, max: 10 ** 6 }),
  fc.constantFrom(true, false, null, 2 ** 53, 1.5, 0),
);
const bodyArb = fc
  .array(
    fc.tuple(
      key,
      fc.oneof(
        { weight: 10, arbitrary: scalar },
        fc.dictionary(ident, scalar, { maxKeys: 2 }),
        fc.array(scalar, { maxLength: 2 }),
      ),
    ),
    { minLength: 1, maxLength: 8 },
  )
  .map((pairs) => {
    const o: Record<string, unknown> = {};
    for (const [k, v] of pairs)
      Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
    return o;
  });

/** The notifications' shape: identifier keys, strings (Chinese, slashes, escapes) and integers. */
const flatBodyArb = fc.dictionary(
  ident,
  fc.oneof(
    {
      weight: 12,
      arbitrary: fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('农业银行', 'http://a/b', '"\\', '12:-05')),
    },
    fc.integer(),
  ),
  { minKeys: 1, maxKeys: 10 },
);

/** Edits of the wire text where JSON.parse and PHP differ (or might). */
const EDITS: ((t: string) => string)[] = [
  (t) => t,
  (t) => t.replace('"SeqID":1', '"SeqID":1.0'),
  (t) => t.replace('"CommandID":35104', '"CommandID":3.5104e4'),
  (t) => t.replace('"SeqID":1', '"SeqID":12345678901234567890'),
  (t) => t.replace('"SeqID":1', '"SeqID":-0'),
  (t) => t.replace('"SeqID":1', '"SeqID":-0.0'),
  (t) => t.replace('"SeqID":1', '"SeqID":1e0'),
  (t) => t.replace('"SeqID":1', '"SeqID":999999999999999'),
  (t) => t.replace('"SeqID":1', '"SeqID":1000000000000000'),
  (t) => t.replace(/"MERNO":"[^"]*"/, '"MERNO":15.0'),
  (t) => t.replace(/"MERNO":"[^"]*"/, '"MERNO":1.5'),
  (t) => t.replace(/"MERNO":"[^"]*"/, '"MERNO":1152921504606846976'),
  (t) => t.replace(/"TERMNO":"[^"]*"/, '"TERMNO":84970001'),
  (t) => t.replace('"SeqID":1', '"SeqID" : 2 , "SeqID":1'),
  (t) => t.replace('"Body":{', '"Body":{"ZZ":1e2,'),
  (t) => t.replace('"Body":{', '"Body":{"ZZ":-0,'),
  (t) => t.replace('"Body":{', '"Body":{"ZZ":"\\ud83d\\ude00",'),
  (t) => t.replace('"Body":{', '"Body":{"ZZ":"\\ud800",'),
  (t) => t.replace('"Body":{', '"Body":{"ZZ":"\\uD83D\\uDE00",'),
  (t) => t.replace('"Body":{', '"Body":{"ZZ":"x\\uDC00y",'),
  (t) => t.replace('"Body":{', '"Body":{"ZZ":"\\udfff",'),
  (t) => t.replace('"Body":{', '"Body":{"ZZ":"a\ud800",'),
  (t) => t.replace('"Body":{', '"Body":{"ZZ":"1","ZZ":"2",'),
  (t) => t.replace('"Body":{', '"Body":{"__proto__":{"polluted":1},'),
  (t) => t.replace('"Body":{', '"Body":{"__proto__":"x",'),
  (t) => t.replace('"Body":{', '"Body":{"constructor":"y","toString":"z",'),
  (t) => t.replace('"Body":{', '"Body":{"ZZ":[1.5],'),
  (t) => t.replace('"Body":{', '"Body":\n\t{ '),
  (t) => t.replace('"Sign":', '"Extra":{"A":[1,{"B":2.50}]},"Sign":'),
  (t) => t.replace('"Sign":', '"Body":{"LATE":"1"},"Sign":'),
  (t) => t.replace('"Sign":', '"__proto__":"x","Sign":'),
  (t) => t.replace('"Version":"1.0.0"', '"Version":"1.0.0","NodeID":["x"]'),
  (t) => t.replace(/"MERNO":"[^"]*"/, '"MERNO":{"x":"1"}'),
  (t) => t.replace('"Sign":', `"Deep":${'['.repeat(600)}${']'.repeat(600)},"Sign":`),
  (t) => t.replace('"ErrorMsg":""', '"ErrorMsg":"\\u6210\\u529f\\/ok"'),
  (t) => t.replace(/"Body":\{.*\},"Sign"/, '"Body":{},"Sign"'),
  (t) => t.replace(/"Body":(\{.*\}),"Sign"/, (_, b: string) => `"Body":${JSON.stringify(b)},"Sign"`),
  (t) => ` ${t}\n`,
  (t) => `\ufeff${t}`,
  (t) => t.slice(0, -1),
  (t) => t.replace('"Body"', '"B\\u006fdy"'),
  (t) => t.replace('"RetCode":1,', ''),
  (t) => t.replace('"RetCode":1,', '"RetCode":null,'),
  (t) => t.replace('"RetCode":1,', '"RetCode":"1",'),
  (t) => t.replace('"RetCode":1,', '"RetCode":0,'),
  (t) => t.replace('"CommandID":35104', '"CommandID":32768'),
  (t) => t.replace('"SeqID":1', '"SeqID":"7"'),
  (t) => t.replace('"ErrorMsg":""', '"ErrorMsg":null'),
  (t) => t.replace('"ErrorMsg":""', '"ErrorMsg":12'),
  (t) => t.replace('"ErrorMsg":""', '"ErrorMsg":true,"ErrMsg":"x"'),
  (t) => t.replace('"ErrorMsg":""', '"ErrMsg":"only"'),
  (t) => t.replace(/"Sign":"[0-9A-F]*"/, '"Sign":""'),
  (t) => t.replace(/"Sign":"[0-9A-F]*"/, '"Sign":null'),
  (t) => t.replace(/"Sign":"[0-9A-F]*",?/, ''),
  (t) => t.replace(/"AGENTNO":[^,]*,/, '"AGENTNO":"A1",'),
  (t) => t.replace(/"NodeID":"[^"]*"/, '"NodeID":7'),
  (t) => t.replace(/"NodeID":"[^"]*",/, ''),
];

const OPEN_OPTIONS: OpenEnvelopeOptions[] = [
  { key: KEY },
  { key: KEY },
  { key: KEY, signOptions: { escapeSlashes: false } },
  { key: KEY, signOptions: { escapeUnicode: true } },
  { key: KEY, requireSignature: false },
  { key: KEY, requireRetCode: true },
  { key: KEY, expectCommandId: 35104 },
  { key: KEY, expectCommandId: [1, 2] },
  { key: 'another-key', agentKey: KEY },
];

type Outcome =
  | { ok: false; error: string; opened: boolean }
  | {
      ok: true;
      fields: Record<string, unknown>;
      plainBody: unknown;
      bodyText: string;
      body: string;
      raw: string;
      json: string;
    };

function outcome(text: string, options: OpenEnvelopeOptions, fast: boolean): Outcome {
  let opened = false; // a lazy field that fails later is not the same as a refusal
  try {
    const o = fast ? openEnvelope(text, options) : openEnvelopeExactly(text, options);
    opened = true;
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
      sign,
      signatureChecked,
    } = o;
    return {
      ok: true,
      fields: {
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
        sign,
        signatureChecked,
      },
      plainBody: o.plainBody,
      bodyText: o.bodyText,
      body: phpJsonEncode(o.body),
      raw: phpJsonEncode(o.raw),
      json: JSON.stringify(o, (_, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v)),
    };
  } catch (error) {
    return { ok: false, error: `${(error as Error).name}: ${(error as Error).message}`, opened };
  }
}

describe('openEnvelope: the hand-written flat reader gives what the PHP model gives', () => {
  it('same fields, plain Body, signing string, PHP model and errors, on edited and unedited envelopes', () => {
    let fastTaken = 0;
    let compared = 0;
    fc.assert(
      fc.property(
        fc.oneof(bodyArb, flatBodyArb),
        fc.boolean(),
        fc.oneof({ weight: 8, arbitrary: fc.constant(EDITS[0]!) }, fc.constantFrom(...EDITS)),
        fc.constantFrom(...OPEN_OPTIONS),
        (body, platformEscaping, edit, options) => {
          let built: string;
          try {
            built = buildEnvelope({
              family: 'quickPay',
              commandId: 35104,
              seqId: 1,
              ...MERCHANT,
              key: KEY,
              body,
              retCode: 1,
              errorMsg: '',
              platformEscaping,
              ...(options.signOptions ? { signOptions: options.signOptions } : {}),
            }).text;
          } catch {
            return; // a Body PHP could not receive (a float PHP cannot write, a lone surrogate)
          }
          const text = edit(built);
          compared++;
          if (parseFlatEnvelope(text) !== undefined) fastTaken++;
          expect(outcome(text, options, true)).toStrictEqual(outcome(text, options, false));
        },
      ),
      { numRuns: 4000 },
    );
    // Both paths are exercised, neither is skipped.
    expect(compared).toBeGreaterThan(3000);
    expect(fastTaken).toBeGreaterThan(compared / 4);
    expect(fastTaken).toBeLessThan(compared);
  });

  it('every edit under every option, on the documented quick-pay notification', () => {
    const body = {
      AMT: '200',
      BANK_NAME: '农业银行',
      CARDNO: '62284**********7349',
      LIST_ID: '1000000128',
      MERORDERID: '2017092615102315',
      PAY_DATE: '20170926150435',
      STATUS: '1',
      URL: 'http://a/b',
    };
    for (const platformEscaping of [false, true]) {
      for (const options of OPEN_OPTIONS) {
        const built = buildEnvelope({
          family: 'quickPay',
          commandId: 35104,
          seqId: 1,
          ...MERCHANT,
          key: KEY,
          body,
          retCode: 1,
          errorMsg: '',
          platformEscaping,
          ...(options.signOptions ? { signOptions: options.signOptions } : {}),
        }).text;
        EDITS.forEach((edit, i) => {
          const text = edit(built);
          expect(outcome(text, options, true), `edit ${i}, ${JSON.stringify(options)}`).toStrictEqual(
            outcome(text, options, false),
          );
        });
      }
    }
  });

  it('the documented notification (快捷 §5.5) and a scan push without RetCode take the fast path', () => {
    const body = {
      AMT: '200',
      BANK_NAME: '农业银行',
      CARDNO: '62284**********7349',
      LIST_ID: '1000000128',
      MERORDERID: '2017092615102315',
      PAY_DATE: '20170926150435',
      STATUS: '1',
    };
    const built = buildEnvelope({
      family: 'quickPay',
      commandId: 35104,
      seqId: 1,
      ...MERCHANT,
      key: KEY,
      body,
      retCode: 1,
      errorMsg: '',
      platformEscaping: true,
    }).text;
    const flat = parseFlatEnvelope(built);
    expect(flat?.body).toStrictEqual(body);
    expect([
      flat?.top.get('CommandID'),
      flat?.top.get('MERNO'),
      flat?.top.get('AGENTNO'),
      flat?.top.has('AGENTNO'),
      flat?.top.has('ErrMsg'),
    ]).toStrictEqual([35104, MERCHANT.merchantNo, null, true, false]);
    const scan =
      '{"CommandID":2324,"SeqID":"1","NodeType":3,"NodeID":"openplat","Version":"1.0.0","AGENTNO":"","MERNO":"m","TERMNO":"t","Body":{"ORDERNO":"1"},"Sign":"x"}';
    expect(parseFlatEnvelope(scan)?.body).toStrictEqual({ ORDERNO: '1' });
    expect(outcome(built, { key: KEY }, true)).toStrictEqual(outcome(built, { key: KEY }, false));
  });
});
