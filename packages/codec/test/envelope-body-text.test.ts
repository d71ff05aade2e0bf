// The Body of a request envelope is written once (PROTOCOL §3): a Body of text and integer fields,
// signed with the document's flags, goes on the wire as its signing text
// `json_encode(ksort(Body), JSON_UNESCAPED_UNICODE)` when its names begin with a letter or `_`;
// any other Body as `toWireJson(body)`.
// These properties prove the signing text is an equal wire text: PHP decodes the same fields from
// it as from `toWireJson(body)`, and signs the same bytes. The reference here is the reference
// path (signingStringGeneral, the PHP model), not the fast writer that made the text. The PHP
// differential test (envelope-php.ci.test.ts) checks the same texts against php-cli.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildEnvelope,
  EnvelopeWriter,
  MmspEncodingError,
  openEnvelope,
  phpJsonDecode,
  toPlain,
  toWireJson,
} from '../src/index.js';
import { signingStringGeneral } from '../src/signing/reference.js';

const KEY = 'ea21842eea24e448b991b1cb0a0294cf'; // PROTOCOL §8
const AGENT_KEY = '0123456789abcdef0123456789abcdef';

const key = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.constantFrom(
    'AMT',
    'amt',
    'MERORDERID',
    'RANDSTR',
    '10',
    '9',
    '-1',
    '01',
    '0',
    '1.5',
    '',
    'a/b',
    '张',
    '__proto__',
    'constructor',
  ),
);
const text = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'grapheme', maxLength: 6 }),
  fc.constantFrom('http://a/b?c=1&d=2', '张安', '\u2028\u2029', '"\\', '\u0000\u001f\u007f', '😀', "<>&'"),
);
const flatValue = fc.oneof(text, fc.integer(), fc.maxSafeInteger());
const flatBody = fc.oneof(
  fc.dictionary(key, flatValue, { maxKeys: 8 }),
  fc.dictionary(fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_!:. ]{0,6}$/), flatValue, { maxKeys: 8 }),
);

function bodyOf(envelope: string): string {
  return envelope.slice(envelope.indexOf(',"Body":') + ',"Body":'.length, envelope.lastIndexOf(',"Sign":'));
}

function request(body: object, agency: boolean) {
  return {
    family: 'quickPay' as const,
    commandId: 771,
    seqId: 42,
    merchantNo: '001440353999853',
    terminalNo: '84970001',
    key: KEY,
    ...(agency ? { agentNo: 'A0001', agentKey: AGENT_KEY } : {}),
    body,
  };
}

describe('the Body on the wire is its signing text when it is flat', () => {
  it('PHP decodes the same fields from it as from toWireJson, and signs the same bytes', () => {
    fc.assert(
      fc.property(flatBody, fc.boolean(), (body, agency) => {
        const built = buildEnvelope(request(body, agency));
        const wire = bodyOf(built.text);
        const reference = signingStringGeneral(body);
        // Names a letter or `_` first sort the same from any order; numeric ones do not (PHP 8's
        // ksort of 9, 10 and "1:" depends on the order received), so those Bodies keep toWireJson.
        expect(wire).toBe(Object.keys(body).every((k) => /^[A-Za-z_]/.test(k)) ? reference : toWireJson(body));
        expect(built.signingString).toBe(reference);
        // What PHP's json_decode($raw, true) holds: the same fields and values, whatever their order.
        expect(toPlain(phpJsonDecode(wire))).toEqual(toPlain(phpJsonDecode(toWireJson(body))));
        // And what it hashes after ksort: the same bytes.
        expect(signingStringGeneral(phpJsonDecode(wire) as object)).toBe(
          signingStringGeneral(phpJsonDecode(toWireJson(body)) as object),
        );
        expect(openEnvelope(built.text, { key: agency ? AGENT_KEY : KEY, requireRetCode: false }).bodyText).toBe(
          reference,
        );
      }),
      { numRuns: 1500 },
    );
  });

  it('EnvelopeWriter writes exactly what buildEnvelope writes, for every Body', () => {
    const anyBody = fc.oneof(
      flatBody,
      fc.dictionary(
        key,
        fc.oneof(
          flatValue,
          fc.double({ noNaN: true, noDefaultInfinity: true }),
          fc.array(text, { maxLength: 2 }),
          fc.dictionary(key, text, { maxKeys: 2 }),
        ),
        { maxKeys: 5 },
      ),
    );
    fc.assert(
      fc.property(
        anyBody,
        fc.boolean(),
        fc.constantFrom('quickPay', 'scan', 'gateway' as const),
        fc.nat(),
        (body, agency, family, seqId) => {
          const input = { ...request(body, agency), family, seqId };
          const writer = new EnvelopeWriter({
            family,
            merchantNo: input.merchantNo,
            terminalNo: input.terminalNo,
            key: KEY,
            ...(agency ? { agentNo: 'A0001', agentKey: AGENT_KEY } : {}),
          });
          expect(writer.write(771, seqId, body)).toBe(buildEnvelope(input).text);
        },
      ),
      { numRuns: 800 },
    );
  });

  it('any other Body, or other signing flags, is written with toWireJson, keys as given', () => {
    const nested = { B: '1', A: { Z: '2', Y: [1, 2] }, C: 1.5 };
    expect(bodyOf(buildEnvelope(request(nested, false)).text)).toBe(toWireJson(nested));
    const numeric = { '9': '1', '10': '2', '1:': '3' };
    expect(bodyOf(buildEnvelope(request(numeric, false)).text)).toBe(toWireJson(numeric));
    const flat = { B: 'x/y', A: '张' };
    expect(bodyOf(buildEnvelope(request(flat, false)).text)).toBe('{"A":"张","B":"x\\/y"}');
    expect(bodyOf(buildEnvelope({ ...request(flat, false), signOptions: { escapeSlashes: false } }).text)).toBe(
      toWireJson(flat),
    );
    expect(bodyOf(buildEnvelope({ ...request(flat, false), signOptions: { escapeUnicode: true } }).text)).toBe(
      toWireJson(flat),
    );
    const withPrototype = Object.assign(Object.create({ inherited: 1 }) as object, flat);
    expect(bodyOf(buildEnvelope(request(withPrototype, false)).text)).toBe(toWireJson(withPrototype));
  });

  it('a lone surrogate is refused with MmspEncodingError by both writers', () => {
    const body = { A: 'x\ud800' };
    expect(() => buildEnvelope(request(body, false))).toThrow(MmspEncodingError);
    expect(() =>
      new EnvelopeWriter({ family: 'scan', merchantNo: 'M', terminalNo: 'T', key: KEY }).write(2310, 1, body),
    ).toThrow(MmspEncodingError);
  });

  it('EnvelopeWriter refuses bad header fields when made, and a bad CommandID, SeqID or Body when writing, never showing the key', () => {
    expect(() => new EnvelopeWriter({ family: 'payout', merchantNo: '', terminalNo: 'T', key: '' })).toThrow(
      /family|merchantNo|key/,
    );
    const writer = new EnvelopeWriter({ family: 'scan', merchantNo: 'M', terminalNo: 'T', key: KEY });
    try {
      writer.write(0, -1, [] as never);
      expect.unreachable();
    } catch (error) {
      expect((error as { issues: { field: string }[] }).issues.map((i) => i.field)).toEqual([
        'commandId',
        'seqId',
        'Body',
      ]);
      expect(String((error as Error).message)).not.toContain(KEY);
    }
  });
});
