// openEnvelope encodes the Body the PHP way once and hashes that text (PROTOCOL §2, §3): what it returns
// as bodyText is the general path's signing string, the signature check accepts exactly the
// signature of that text (any hex case) and refuses any other, and buildEnvelope's Sign and
// signingString agree with md5Sign / signingString. Bodies are generated (flat ones take the fast
// paths, the others the general path); signatures come from the codec, which is not what is under
// test here (the envelope's use of it is). PHP-made expectations: php-golden / php-differential.
import fc from 'fast-check';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  buildEnvelope,
  md5Sign,
  MmspSignatureError,
  openEnvelope,
  phpJsonDecode,
  signingString,
  toWireJson,
  type SignOptions,
} from '@mmsp/codec';
import { signingStringGeneral } from '../src/signing/reference.js';

const KEY = 'ea21842eea24e448b991b1cb0a0294cf'; // PROTOCOL §8
const MERCHANT = { merchantNo: '001440353999853', terminalNo: '84970001' };

const ident = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,10}$/);
const key = fc.oneof({ weight: 4, arbitrary: ident }, fc.constantFrom('10', '01', '__proto__', 'a b', '中'));
const scalar = fc.oneof(
  { weight: 4, arbitrary: fc.oneof(fc.string({ maxLength: 10 }), fc.string({ unit: 'grapheme', maxLength: 6 })) },
  fc.integer(),
  fc.constantFrom('http://a.b/c', '\u2028', '"\\', true, false, null, 2 ** 53, 1.5),
);
function objectFrom(pairs: [string, unknown][]): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (const [k, v] of pairs)
    Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  return o;
}
const body = fc
  .array(fc.tuple(key, fc.oneof({ weight: 6, arbitrary: scalar }, fc.dictionary(ident, scalar, { maxKeys: 2 }))), {
    minLength: 1,
    maxLength: 10,
  })
  .map(objectFrom)
  .filter((b) => {
    try {
      signingString(b);
      toWireJson(b);
      return true;
    } catch {
      return false;
    }
  });
const OPTIONS: SignOptions[] = [
  {},
  { escapeSlashes: false },
  { escapeUnicode: true },
  { md5: (d) => new Uint8Array(createHash('md5').update(d).digest()) },
];

function envelope(b: object, o: SignOptions, platformEscaping: boolean) {
  return buildEnvelope({
    family: 'quickPay',
    commandId: 35104,
    seqId: 1,
    ...MERCHANT,
    key: KEY,
    body: b,
    retCode: 1,
    errorMsg: '',
    platformEscaping,
    signOptions: o,
  });
}

describe('openEnvelope hashes the bodyText it returns', () => {
  it('bodyText is the general signing string of the decoded Body, and the Sign verifies in any hex case', () => {
    fc.assert(
      fc.property(body, fc.constantFrom(...OPTIONS), fc.boolean(), fc.boolean(), (b, o, platform, lower) => {
        const built = envelope(b, o, platform);
        expect(built.sign).toBe(md5Sign(b, KEY, o));
        expect(built.signingString).toBe(signingString(b, o));
        const text = lower ? built.text.replace(built.sign, built.sign.toLowerCase()) : built.text;
        const opened = openEnvelope(text, { key: KEY, signOptions: o });
        expect(opened.signatureChecked).toBe(true);
        const decodedBody = (phpJsonDecode(built.text) as { get(k: string): unknown }).get('Body') as object;
        expect(opened.bodyText).toBe(signingStringGeneral(decodedBody, o));
        expect(opened.bodyText).toBe(built.signingString);
      }),
      { numRuns: 600 },
    );
  });

  it('refuses a changed, shortened, lengthened or wrong-key signature, never echoing the Body', () => {
    fc.assert(
      fc.property(body, fc.nat(31), fc.constantFrom('0', '9', 'A', 'f', 'x', ' '), (b, at, ch) => {
        const built = envelope(b, {}, false);
        const s = built.sign;
        fc.pre(s[at]!.toUpperCase() !== ch.toUpperCase());
        const variants = [s.slice(0, at) + ch + s.slice(at + 1), s.slice(1), `${s}0`];
        for (const bad of variants) {
          const text = built.text.replace(`"Sign":"${s}"`, `"Sign":"${bad}"`);
          expect(() => openEnvelope(text, { key: KEY })).toThrow(MmspSignatureError);
        }
        expect(() => openEnvelope(built.text, { key: `${KEY}x` })).toThrow(MmspSignatureError);
      }),
      { numRuns: 300 },
    );
  });

  it("an unsigned message opened without requireSignature still returns the Body's signing string", () => {
    fc.assert(
      fc.property(body, (b) => {
        const built = envelope(b, {}, false);
        const unsigned = built.text.replace(`"Sign":"${built.sign}"`, '"Sign":""');
        expect(() => openEnvelope(unsigned, { key: KEY })).toThrow(MmspSignatureError);
        const opened = openEnvelope(unsigned, { key: KEY, requireSignature: false });
        expect(opened.signatureChecked).toBe(false);
        expect(opened.bodyText).toBe(built.signingString);
      }),
      { numRuns: 200 },
    );
  });
});
