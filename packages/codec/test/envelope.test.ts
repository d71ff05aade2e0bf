import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  buildEnvelope,
  EnvelopeWriter,
  headerDefaults,
  md5Sign,
  MmspEncodingError,
  MmspProtocolError,
  MmspSignatureError,
  MmspValidationError,
  negativeResponse,
  openEnvelope,
  phpJsonDecode,
  PhpArray,
  signingString,
  toWireJson,
  type BuildEnvelopeInput,
} from '../src/index.js';

const KEY = 'ea21842eea24e448b991b1cb0a0294cf'; // PROTOCOL §8
const AGENT_KEY = '0123456789abcdef0123456789abcdef';
const MERNO = '001440353999853';
const TERMNO = '84970001';

const SAMPLE_BODY = {
  MERORDERID: '20170926151023152438',
  AMT: '1234',
  NAME: '张安',
  NOTIFY_URL: 'http://ib.fxclouds.com/Notify/MerPay_notify_url',
  RANDSTR: '123456',
};

function request(over: Partial<BuildEnvelopeInput> = {}): BuildEnvelopeInput {
  return {
    family: 'quickPay',
    commandId: 771,
    seqId: 1,
    merchantNo: MERNO,
    terminalNo: TERMNO,
    key: KEY,
    body: SAMPLE_BODY,
    ...over,
  };
}

function caught(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error');
}

/** The top-level keys of a JSON text, in wire order. */
function wireKeys(text: string): string[] {
  return [...(phpJsonDecode(text) as PhpArray).keys()];
}

describe('headerDefaults', () => {
  it('gives NodeType 3, Version 1.0.0, NodeID openapi (quick pay, gateway) or openplat (scan)', () => {
    expect(headerDefaults('quickPay')).toEqual({ nodeType: 3, nodeId: 'openapi', version: '1.0.0' });
    expect(headerDefaults('gateway')).toEqual({ nodeType: 3, nodeId: 'openapi', version: '1.0.0' });
    expect(headerDefaults('scan')).toEqual({ nodeType: 3, nodeId: 'openplat', version: '1.0.0' });
    expect(() => headerDefaults('payout')).toThrow(/ENCRYPT, SIGN/);
  });
});

describe('buildEnvelope', () => {
  it('writes the header in the document\'s order with integers as integers and AGENTNO ""', () => {
    const built = buildEnvelope(request());
    expect(
      built.text.startsWith(
        `{"CommandID":771,"SeqID":1,"NodeType":3,"NodeID":"openapi","Version":"1.0.0","AGENTNO":"","MERNO":"${MERNO}","TERMNO":"${TERMNO}","Body":`,
      ),
    ).toBe(true);
    expect(wireKeys(built.text)).toEqual([
      'CommandID',
      'SeqID',
      'NodeType',
      'NodeID',
      'Version',
      'AGENTNO',
      'MERNO',
      'TERMNO',
      'Body',
      'Sign',
    ]);
    // A Body of text fields is written as its signing text (keys in ksort order, test/envelope-body-text.test.ts).
    expect(built.text.endsWith(`,"Body":${built.signingString},"Sign":"${built.sign}"}`)).toBe(true);
    expect(built.sign).toBe(md5Sign(SAMPLE_BODY, KEY));
    expect(built.sign).toMatch(/^[0-9A-F]{32}$/);
    expect(built.signingString).toBe(signingString(SAMPLE_BODY));
    expect(built.signingString).not.toContain(KEY);
  });

  it('uses the scan-code NodeID and honours explicit header values', () => {
    const scan = buildEnvelope(request({ family: 'scan', commandId: 2306, seqId: 42 }));
    expect(scan.text).toContain('"CommandID":2306,"SeqID":42,"NodeType":3,"NodeID":"openplat",');
    const custom = buildEnvelope(request({ nodeType: 1, nodeId: 'pos01', version: '1.0.1' }));
    expect(custom.text).toContain('"NodeType":1,"NodeID":"pos01","Version":"1.0.1",');
  });

  it("signs with the agent key when agentNo and agentKey are given (the agent's key takes priority)", () => {
    const built = buildEnvelope(request({ agentNo: '00110004', agentKey: AGENT_KEY }));
    expect(built.text).toContain('"AGENTNO":"00110004","MERNO"');
    expect(built.sign).toBe(md5Sign(SAMPLE_BODY, AGENT_KEY));
    expect(built.sign).not.toBe(md5Sign(SAMPLE_BODY, KEY));
  });

  it('signs with the merchant key in agency mode when the agent has no key', () => {
    const built = buildEnvelope(request({ agentNo: '00110004' }));
    expect(built.sign).toBe(md5Sign(SAMPLE_BODY, KEY));
  });

  it("reports every header problem at once, never a key's value", () => {
    const err = caught(() =>
      buildEnvelope({
        family: 'payout',
        commandId: 0,
        seqId: -1,
        merchantNo: '',
        terminalNo: 7 as never,
        key: '',
        agentKey: 'secret-agent-key-value',
        body: null as never,
      }),
    );
    expect(err).toBeInstanceOf(MmspValidationError);
    const fields = (err as MmspValidationError).issues.map((i) => i.field).sort();
    expect(fields).toEqual(
      ['Body', 'agentKey', 'commandId', 'family', 'key', 'merchantNo', 'seqId', 'terminalNo'].sort(),
    );
    expect(err.message).not.toContain('secret-agent-key-value');
  });

  it('lists header problems in one order, the same check in buildEnvelope and the EnvelopeWriter constructor', () => {
    const header = {
      family: 'payout' as const,
      nodeType: -1,
      merchantNo: '',
      terminalNo: 7 as never,
      key: '',
      version: 5 as never,
      agentKey: 'secret-agent-key-value',
    };
    const built = caught(() =>
      buildEnvelope({ ...header, commandId: 0, seqId: -1, retCode: 'x', body: null as never }),
    );
    expect((built as MmspValidationError).issues.map((i) => i.field)).toEqual([
      'family',
      'commandId',
      'seqId',
      'nodeType',
      'merchantNo',
      'terminalNo',
      'key',
      'version',
      'agentKey',
      'retCode',
      'Body',
    ]);
    const writer = caught(() => new EnvelopeWriter(header));
    expect((writer as MmspValidationError).issues.map((i) => i.field)).toEqual([
      'family',
      'nodeType',
      'merchantNo',
      'terminalNo',
      'key',
      'version',
      'agentKey',
    ]);
    expect(String((writer as Error).message)).not.toContain('secret-agent-key-value');
  });

  it('refuses a Body that is not an object of fields', () => {
    for (const b of [[], ['a'], 'AMT=1', 5]) {
      const err = caught(() => buildEnvelope(request({ body: b as never })));
      expect(err).toBeInstanceOf(MmspValidationError);
      expect((err as MmspValidationError).issues).toEqual([expect.objectContaining({ field: 'Body', rule: 'type' })]);
    }
  });

  it('refuses a header string that PHP cannot decode (lone surrogate)', () => {
    expect(() => buildEnvelope(request({ terminalNo: '8497\ud800' }))).toThrow(MmspValidationError);
  });

  it('builds a response for the platform side with RetCode and the chosen error-text spelling', () => {
    const built = buildEnvelope(request({ commandId: 33539, retCode: 1, errorMsg: '', errorMsgField: 'ErrMsg' }));
    expect(wireKeys(built.text)).toEqual([
      'CommandID',
      'SeqID',
      'NodeType',
      'NodeID',
      'Version',
      'RetCode',
      'ErrMsg',
      'Body',
      'Sign',
      'AGENTNO',
      'MERNO',
      'TERMNO',
    ]);
    expect(built.text).toContain('"RetCode":1,"ErrMsg":"","Body":');
  });
});

// Adversarial keys and values: PHP-special keys, unicode, slashes, control characters, int64.
const key = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', '', '10', '9', '01', '-1', '1.5', 'A_', 'AB', '_A', 'B', 'toString'),
  fc.string({ unit: 'grapheme', maxLength: 8 }),
);
const scalar = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.constantFrom('a/b', '\u2028', '\u007f', '\n\t', '"\\', '中文'),
  fc.integer(),
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).filter((n) => n > 2n ** 53n || n < -(2n ** 53n)),
  fc.boolean(),
  fc.constant(null),
);
const value = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    fc.array(tie('v'), { maxLength: 3 }),
    fc.dictionary(key, tie('v'), { maxKeys: 3 }),
  ),
})).v;
const body = fc.dictionary(key, value, { minKeys: 1, maxKeys: 8 });

describe('platform-style envelopes (sandbox)', () => {
  it("writes the whole text as PHP's json_encode does, with the same signature, and opens", () => {
    const b = { NAME: '张安', URL: 'http://a/b', N: 1 };
    const plain = buildEnvelope(request({ commandId: 33539, body: b, retCode: 1, errorMsg: '成功' }));
    const php = buildEnvelope(
      request({ commandId: 33539, body: b, retCode: 1, errorMsg: '成功', platformEscaping: true }),
    );
    expect(php.sign).toBe(plain.sign);
    expect(php.text).toContain('"Body":{"NAME":"\\u5f20\\u5b89","URL":"http:\\/\\/a\\/b","N":1}');
    expect(php.text).toContain('"ErrorMsg":"\\u6210\\u529f"');
    expect(php.text).not.toMatch(/[^\x00-\x7f]/);
    expect(plain.text).toContain('"NAME":"张安"');
    const opened = openEnvelope(php.text, { key: KEY });
    expect(opened.errorMsg).toBe('成功');
    expect(opened.plainBody).toEqual(b);
  });
});

describe('build → open round trip', () => {
  it('every body built and signed opens and verifies, hashing what was signed (fast-check)', () => {
    fc.assert(
      fc.property(body, fc.boolean(), fc.nat({ max: 2 ** 31 }), (b, agent, seqId) => {
        const input = request({
          commandId: 33539,
          seqId,
          body: b,
          retCode: 1,
          errorMsg: '',
          ...(agent ? { agentNo: '00110004', agentKey: AGENT_KEY } : {}),
        });
        const built = buildEnvelope(input);
        const opened = openEnvelope(built.text, {
          key: KEY,
          ...(agent ? { agentKey: AGENT_KEY } : {}),
          expectCommandId: [33539],
        });
        expect(opened.sign).toBe(built.sign);
        expect(opened.signatureChecked).toBe(true);
        expect(opened.bodyText).toBe(built.signingString);
        expect(opened.seqId).toBe(seqId);
        expect(opened.agentNo).toBe(agent ? '00110004' : '');
      }),
      { numRuns: 300 },
    );
  });

  it('plain bodies come back as the same plain object', () => {
    const plainKey = fc.stringMatching(/^[A-Z][A-Z_]{0,9}$/);
    const plainBody = fc.dictionary(
      plainKey,
      fc.oneof(
        fc.string({ maxLength: 20 }),
        fc.integer(),
        fc.dictionary(plainKey, fc.string(), { minKeys: 1, maxKeys: 2 }),
      ),
      { minKeys: 1 },
    );
    fc.assert(
      fc.property(plainBody, (b) => {
        const built = buildEnvelope(request({ body: b, retCode: 1 }));
        expect(openEnvelope(built.text, { key: KEY }).plainBody).toEqual(b);
      }),
    );
  });

  it('any change to a Body value, with the old Sign, is a signature error that does not echo the Body', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 20 }), fc.string({ minLength: 1, maxLength: 20 }), (a, b) => {
        fc.pre(a !== b);
        const original = buildEnvelope(request({ body: { MERORDERID: 'X1', REMARK: a }, retCode: 1 }));
        const forged = buildEnvelope(request({ body: { MERORDERID: 'X1', REMARK: b }, retCode: 1 }));
        const tampered = forged.text.replace(forged.sign, original.sign);
        const err = caught(() => openEnvelope(tampered, { key: KEY }));
        expect(err).toBeInstanceOf(MmspSignatureError);
        expect(err.message).not.toContain('X1');
      }),
    );
  });
});

describe('agent key priority on opening', () => {
  const agentSigned = buildEnvelope(
    request({ agentNo: '00110004', agentKey: AGENT_KEY, retCode: 1, commandId: 33539 }),
  );
  const merchantSigned = buildEnvelope(request({ retCode: 1, commandId: 33539 }));

  it('verifies a message signed with the agent key with the agent key', () => {
    expect(openEnvelope(agentSigned.text, { key: KEY, agentKey: AGENT_KEY }).signatureChecked).toBe(true);
  });

  it('does not verify it with the merchant key alone', () => {
    const err = caught(() => openEnvelope(agentSigned.text, { key: KEY }));
    expect(err).toBeInstanceOf(MmspSignatureError);
    expect(err.message).toContain('merchant key');
    expect(err.message).toContain('pass agentKey');
  });

  it('does not fall back to the merchant key when an agent key is configured', () => {
    const err = caught(() => openEnvelope(merchantSigned.text, { key: KEY, agentKey: AGENT_KEY }));
    expect(err).toBeInstanceOf(MmspSignatureError);
    expect(err.message).toContain('agent key');
    expect(err.message).not.toContain(AGENT_KEY);
    expect(err.message).not.toContain(KEY);
  });
});

describe('openEnvelope tolerance (PROTOCOL §2)', () => {
  const b = { LIST_ID: '100000004985', STATUS: '1', URL: 'https://x.example/a?b=1' };
  const sign = md5Sign(b, KEY);

  const variants: Record<string, string> = {
    'integers as integers, ErrorMsg': `{"CommandID":33540,"SeqID":7,"NodeType":3,"NodeID":"openapi","Version":"1.0.0","RetCode":1,"ErrorMsg":"","Body":${toWireJson(b)},"Sign":"${sign}"}`,
    'SeqID / NodeType as strings, ErrMsg': `{"CommandID":33540,"SeqID":"7","NodeType":"3","NodeID":"openapi","Version":"1.0.0","RetCode":1,"ErrMsg":"","Body":${toWireJson(b)},"Sign":"${sign}"}`,
    'RetCode as a string, lower-case Sign': `{"CommandID":33540,"SeqID":7,"NodeType":3,"NodeID":"openapi","Version":"1.0.0","RetCode":"1","ErrMsg":"","Body":${toWireJson(b)},"Sign":"${sign.toLowerCase()}"}`,
    'Body as a JSON string': `{"CommandID":33540,"SeqID":7,"NodeType":3,"NodeID":"openapi","Version":"1.0.0","RetCode":1,"ErrMsg":"","Body":${JSON.stringify(JSON.stringify(b))},"Sign":"${sign}"}`,
    'Body reordered, Chinese-escaped, slashes escaped, spaces': `{ "CommandID": 33540, "SeqID": 7, "NodeType": 3, "NodeID": "openapi", "Version": "1.0.0", "RetCode": 1, "ErrorMsg": "", "Body": { "URL": "https:\\/\\/x.example\\/a?b=1", "STATUS": "\\u0031", "LIST_ID": "100000004985" }, "Sign": "${sign}", "AGENTNO": null, "MERNO": "${MERNO}", "TERMNO": "${TERMNO}" }`,
    'no AGENTNO / MERNO / TERMNO echoed': `{"CommandID":33540,"SeqID":7,"NodeType":3,"NodeID":"openapi","Version":"1.0.0","RetCode":1,"ErrorMsg":"","Body":${toWireJson(b)},"Sign":"${sign}"}`,
  };

  for (const [name, text] of Object.entries(variants)) {
    it(`opens: ${name}`, () => {
      const opened = openEnvelope(text, { key: KEY, expectCommandId: 33540 });
      expect(opened).toMatchObject({
        commandId: 33540,
        seqId: 7,
        nodeType: 3,
        retCode: 1,
        errorMsg: '',
        signatureChecked: true,
      });
      expect(opened.plainBody).toEqual(b);
      expect(opened.bodyText).toBe(signingString(b));
    });
  }

  it('reads the error text from ErrMsg or ErrorMsg', () => {
    const base = buildEnvelope(request({ commandId: 33539, retCode: 1, errorMsg: 'note', errorMsgField: 'ErrMsg' }));
    expect(openEnvelope(base.text, { key: KEY }).errorMsg).toBe('note');
    const other = buildEnvelope(request({ commandId: 33539, retCode: 1, errorMsg: 'note2' }));
    expect(openEnvelope(other.text, { key: KEY }).errorMsg).toBe('note2');
  });

  it('hashes a duplicated Body key the PHP way: first position, last value', () => {
    const s = md5Sign({ A: '2', B: '1' }, KEY);
    const text = `{"CommandID":33540,"SeqID":1,"NodeType":3,"NodeID":"openapi","Version":"1.0.0","RetCode":1,"ErrMsg":"","Body":{"B":"1","A":"1","A":"2"},"Sign":"${s}"}`;
    expect(openEnvelope(text, { key: KEY }).plainBody).toEqual({ A: '2', B: '1' });
  });

  it('treats __proto__ in a Body as a plain key, without prototype pollution', () => {
    const s = md5Sign(phpJsonDecode('{"__proto__":{"polluted":"yes"},"A":"1"}') as PhpArray, KEY);
    const text = `{"CommandID":33540,"SeqID":1,"NodeType":3,"NodeID":"openapi","Version":"1.0.0","RetCode":1,"ErrMsg":"","Body":{"__proto__":{"polluted":"yes"},"A":"1"},"Sign":"${s}"}`;
    const opened = openEnvelope(text, { key: KEY });
    expect(opened.bodyText).toBe('{"A":"1","__proto__":{"polluted":"yes"}}');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype.hasOwnProperty.call(opened.plainBody, '__proto__')).toBe(true);
  });

  it('keeps int64 integers exact in the hashed Body', () => {
    const s = md5Sign(phpJsonDecode('{"N":123456789012345678}') as PhpArray, KEY);
    const text = `{"CommandID":33540,"SeqID":1,"NodeType":3,"NodeID":"openapi","Version":"1.0.0","RetCode":1,"ErrMsg":"","Body":{"N":123456789012345678},"Sign":"${s}"}`;
    const opened = openEnvelope(text, { key: KEY });
    expect(opened.bodyText).toBe('{"N":123456789012345678}');
    expect(opened.plainBody.N).toBe(123456789012345678n);
  });
});

describe('openEnvelope errors', () => {
  const good = buildEnvelope(request({ commandId: 33539, retCode: 1 })).text;

  it('MmspEncodingError for text that is not JSON or not an object', () => {
    for (const bad of ['', 'SUCCESS', '{"CommandID":', '[]', '{}', '"x"', '1', '[{"CommandID":33539}]']) {
      expect(() => openEnvelope(bad, { key: KEY }), bad).toThrow(MmspEncodingError);
    }
    expect(() => openEnvelope(42 as never, { key: KEY })).toThrow(MmspEncodingError);
  });

  it('MmspEncodingError naming the field for a missing or unusable header or Body', () => {
    const cases: Array<[string, RegExp]> = [
      [good.replace('"CommandID":33539,', ''), /CommandID/],
      [good.replace('"CommandID":33539', '"CommandID":"abc"'), /CommandID/],
      [good.replace('"SeqID":1', '"SeqID":1.5'), /SeqID/],
      [good.replace(/"Body":\{[^}]*\}/, '"Body":42'), /Body/],
      [good.replace(/"Body":\{[^}]*\}/, '"Body":""'), /Body/],
      [good.replace(/"Body":\{[^}]*\}/, '"Body":"{not json"'), /Body/],
      [good.replace(/"Body":\{[^}]*\}/, '"Body":"\\"a string\\""'), /Body/],
    ];
    for (const [text, field] of cases) {
      const err = caught(() => openEnvelope(text, { key: KEY }));
      expect(err, text).toBeInstanceOf(MmspEncodingError);
      expect(err.message).toMatch(field);
    }
  });

  it('MmspProtocolError for RetCode ≠ 1 (even with a valid signature) or not an integer', () => {
    const signed0 = buildEnvelope(request({ commandId: 33539, retCode: 0, errorMsg: '消息结构体错误' })).text;
    const err = caught(() => openEnvelope(signed0, { key: KEY }));
    expect(err).toBeInstanceOf(MmspProtocolError);
    expect(err).toMatchObject({ retCode: '0', commandId: 33539, platformMessage: '消息结构体错误' });
    for (const bad of ['"RetCode":"1x"', '"RetCode":1.5', '"RetCode":true', '"RetCode":2']) {
      expect(
        caught(() => openEnvelope(good.replace('"RetCode":1', bad), { key: KEY })),
        bad,
      ).toBeInstanceOf(MmspProtocolError);
    }
  });

  it('accepts a request-style push without RetCode (scan code 2324), unless requireRetCode', () => {
    const push = buildEnvelope(
      request({ family: 'scan', commandId: 2324, body: { MERORDERID: 'A1', ORDERNO: '1', AMT: '1', STATUS: '1' } }),
    ).text;
    const opened = openEnvelope(push, { key: KEY, expectCommandId: [35104, 35090, 2324] });
    expect(opened).toMatchObject({ commandId: 2324, retCode: undefined, signatureChecked: true });
    expect(openEnvelope(good.replace('"RetCode":1,', '"RetCode":null,'), { key: KEY }).retCode).toBeUndefined();
    const err = caught(() => openEnvelope(good.replace('"RetCode":1,', ''), { key: KEY, requireRetCode: true }));
    expect(err).toBeInstanceOf(MmspProtocolError);
    expect(err.message).toContain('RetCode is missing');
  });

  it('MmspProtocolError for the negative response, without a signature check', () => {
    const text = negativeResponse({
      retCode: 0,
      errorMsg: '[-2002] 没有该订单',
      seqId: 3,
      merchantNo: MERNO,
      terminalNo: TERMNO,
    });
    expect(wireKeys(text)).toEqual([
      'CommandID',
      'SeqID',
      'NodeType',
      'NodeID',
      'Version',
      'RetCode',
      'ErrorMsg',
      'Body',
      'Sign',
      'AGENTNO',
      'MERNO',
      'TERMNO',
    ]);
    const err = caught(() => openEnvelope(text, { key: 'any-other-key', expectCommandId: 33541 }));
    expect(err).toBeInstanceOf(MmspProtocolError);
    expect(err).toMatchObject({ retCode: '0', commandId: 32768, platformMessage: '[-2002] 没有该订单' });
    // Even a (malformed) 32768 claiming RetCode 1 is a protocol error.
    const odd = text.replace('"RetCode":0', '"RetCode":1');
    expect(caught(() => openEnvelope(odd, { key: KEY }))).toBeInstanceOf(MmspProtocolError);
  });

  it('every negative response opens as MmspProtocolError carrying its RetCode and message (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -99999, max: 99999 }).filter((n) => n !== 1),
        fc.string({ unit: 'grapheme', maxLength: 40 }),
        fc.constantFrom('ErrorMsg', 'ErrMsg') as fc.Arbitrary<'ErrorMsg' | 'ErrMsg'>,
        fc.constantFrom('quickPay', 'scan', 'gateway') as fc.Arbitrary<'quickPay' | 'scan' | 'gateway'>,
        (retCode, errorMsg, errorMsgField, family) => {
          const text = negativeResponse({ retCode, errorMsg, errorMsgField, family, seqId: 1 });
          const err = caught(() => openEnvelope(text, { key: KEY }));
          expect(err).toBeInstanceOf(MmspProtocolError);
          expect(err).toMatchObject({ retCode: String(retCode), commandId: 32768, platformMessage: errorMsg });
        },
      ),
    );
    expect(negativeResponse({ retCode: 0, errorMsg: undefined as never, seqId: 1 })).toContain(
      '"ErrorMsg":"","Body":"","Sign":""',
    );
  });

  it('negativeResponse refuses RetCode 1', () => {
    expect(() => negativeResponse({ retCode: 1, errorMsg: 'x', seqId: 1 })).toThrow(MmspValidationError);
  });

  it('MmspProtocolError saying expected vs got for an unexpected CommandID', () => {
    const err = caught(() => openEnvelope(good, { key: KEY, expectCommandId: [33541, 33542] }));
    expect(err).toBeInstanceOf(MmspProtocolError);
    expect(err.message).toContain('expected 33541 or 33542, got 33539');
  });

  it('MmspSignatureError for a missing or wrong Sign', () => {
    expect(caught(() => openEnvelope(good.replace(/"Sign":"[0-9A-F]+"/, '"Sign":""'), { key: KEY }))).toBeInstanceOf(
      MmspSignatureError,
    );
    expect(caught(() => openEnvelope(good.replace(/,"Sign":"[0-9A-F]+"/, ''), { key: KEY }))).toBeInstanceOf(
      MmspSignatureError,
    );
    expect(caught(() => openEnvelope(good, { key: 'not-the-key' }))).toBeInstanceOf(MmspSignatureError);
  });

  it('checks the signature with the escaped-slash variant by default, the other one on request (PROTOCOL §3)', () => {
    const b = { URL: 'https://a/b' };
    const unescaped = buildEnvelope(request({ body: b, retCode: 1, signOptions: { escapeSlashes: false } }));
    expect(caught(() => openEnvelope(unescaped.text, { key: KEY }))).toBeInstanceOf(MmspSignatureError);
    expect(openEnvelope(unescaped.text, { key: KEY, signOptions: { escapeSlashes: false } }).bodyText).toBe(
      '{"URL":"https://a/b"}',
    );
  });

  it('requires a key', () => {
    expect(() => openEnvelope(good, { key: '' })).toThrow(TypeError);
  });
});
