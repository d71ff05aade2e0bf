// The document's own example envelopes (the platform document), copied byte for byte.
// Their signatures were not made with the test key (and some were damaged by the PDF extraction),
// so these tests check structure tolerance: the document's text with its Sign replaced by one the
// codec computes over the example's own Body must open; the untouched text must not; a tampered
// Body must not.
import { describe, expect, it } from 'vitest';
import {
  md5Sign,
  MmspEncodingError,
  MmspProtocolError,
  MmspSignatureError,
  openEnvelope,
  parseRequestEnvelope,
  phpJsonDecode,
  PhpArray,
} from '../src/index.js';

const KEY = 'ea21842eea24e448b991b1cb0a0294cf'; // PROTOCOL §8, the document's test MD5 key

// 快捷 §3.1 正常请求报文示例 (lines 788-809).
const QUICK_PAY_REQUEST = `{
  "CommandID": 771,
  "SeqID": "1",
  "NodeType": "3",
  "NodeID": "openapi",
  "Version": "1.0.0",
  "MERNO": "001100098147733",
  "TERMNO": "15400002",
  "Body": {
    "MERORDERID": "20170926151023152438",
    "AMT": "1234",
    "NAME": "张安",
    "PHONENO": "18826570890",
    "CARDNO": "6227000013830237349",
    "CARDTYPE": "1",
    "ID_NO": "23210219820916601X",
    "EXPDATE": "01117",
    "CVN2": "344",
    "NOTIFY_URL": "http://ib.fxclouds.com/Notify/MerPay_notify_url",
    "RANDSTR": "123456"
  },
  "Sign": "82E1057FDEC066C54EDB406020ACDFE3"
}`;

// 快捷 §3.1 成功响应报文示例 (lines 815-837): string SeqID/NodeType, AGENTNO null, header after Sign,
// and a damaged 31-character Sign.
const QUICK_PAY_RESPONSE = `{
  "CommandID": 35095,
  "SeqID": "1",
  "NodeType": "3",
  "NodeID": "openapi",
  "Version": "1.0.0",
  "RetCode": 1,
  "ErrorMsg": "",
  "Body": {
    "AMT": "1234",
    "LIST_ID": "100000001467",
    "MERORDERID": "123",
    "MER_ID": "001100098147733",
    "NOTIFY_DATE": "20171122090622",
    "PAY_DATE": "20171122090622",
    "STATUS": "1"
  },
  "Sign": "D58ABAE5B3DED6F5C323777D28DB0B5",
  "AGENTNO": null,
  "MERNO": "001100098147733",
  "TERMNO": "15400002"
}`;

// 快捷 §3.1 错误响应报文示例 (lines 842-858).
const QUICK_PAY_NEGATIVE = `{
  "CommandID": 32768,
  "SeqID": "1",
  "NodeType": "3",
  "NodeID": "openapi",
  "Version": "1.0.0",
  "RetCode": 0,
  "ErrorMsg": "[-2002] 没有该订单",
  "Body": "",
  "Sign": "",
  "AGENTNO": null,
  "MERNO": "001100098147733",
  "TERMNO": "15400002"
}`;

// 扫码 §3.1 错误响应报文示例(不需要签名) (lines 1660-1675).
const SCAN_NEGATIVE = `{
  "CommandID":32768,
  "SeqID":1,
  "NodeType":1,
  "NodeID":"openplat",
  "Version":"1.0.0",
  "RetCode":39999,
  "AGENTNO":"001100045823148",
  "MERNO":"001100045823148",
  "TERMNO":"001100045823148",
  "ErrorMsg":"支付失败",
  "Body": "",
  "Sign": ""
}`;

// 扫码 §3.1 成功响应报文示例 (lines 1637-1656): trailing commas (not JSON) and RetCode 0.
const SCAN_RESPONSE_WITH_TRAILING_COMMAS = `{
  "CommandID":35077,
  "SeqID":1,
  "NodeType":1,
  "NodeID":"openplat",
  "Version":"1.0.0",
  "RetCode":0,
  "ErrorMsg": "",
  "AGENTNO":"001100045823148",
  "MERNO":"001100045823148",
  "TERMNO":"001100045823148",
  "Body":{
    "AMT":"1",
    "RANDSTR":"1",
    "MERORDER":"1",
  },
  "Sign":"ADFAFDADFASFASDF",
}`;

// 快捷 §5.9 (line 1385): ErrorMsg spelling, complete one-line example, 6-character Sign.
const QUICK_PAY_RESEND_SMS = `{"CommandID":33546,"SeqID":"1","NodeType":"3","NodeID":"openapi","Version":"1.0.0","RetCode":1,"ErrorMsg":"","Body":{"STATUS":"1","LIST_ID":"10000004985"},"Sign":"B565DC"}`;

// 快捷 §5.10 (line 1430): no Sign at all.
const QUICK_PAY_NO_SIGN = `{"CommandID":33547,"SeqID":"1","NodeType":"3","NodeID":"openapi","Version":"1.0.0","RetCode":1,"ErrorMsg":"","Body":{"AMT":"999","BANK_NAME":"u62db\\u5546\\u94f6\\u884c"}}`;

/** Replaces the value of the top-level "Sign" in the document's text, leaving every other byte. */
function resign(text: string, key = KEY): string {
  const raw = phpJsonDecode(text) as PhpArray;
  const body = raw.get('Body') as PhpArray;
  const sign = md5Sign(body, key);
  const out = text.replace(/("Sign"\s*:\s*)"[^"]*"/, `$1"${sign}"`);
  expect(out).not.toBe(text);
  return out;
}

describe("the document's example responses", () => {
  it('opens the quick-pay success example once signed with the test key: string SeqID/NodeType, AGENTNO null, header after Sign', () => {
    const opened = openEnvelope(resign(QUICK_PAY_RESPONSE), { key: KEY, expectCommandId: 35095 });
    expect(opened).toMatchObject({
      commandId: 35095,
      seqId: 1,
      nodeType: 3,
      nodeId: 'openapi',
      version: '1.0.0',
      agentNo: '',
      merchantNo: '001100098147733',
      terminalNo: '15400002',
      retCode: 1,
      errorMsg: '',
      signatureChecked: true,
    });
    expect(opened.plainBody).toEqual({
      AMT: '1234',
      LIST_ID: '100000001467',
      MERORDERID: '123',
      MER_ID: '001100098147733',
      NOTIFY_DATE: '20171122090622',
      PAY_DATE: '20171122090622',
      STATUS: '1',
    });
    expect(opened.bodyText).toBe(
      '{"AMT":"1234","LIST_ID":"100000001467","MERORDERID":"123","MER_ID":"001100098147733","NOTIFY_DATE":"20171122090622","PAY_DATE":"20171122090622","STATUS":"1"}',
    );
  });

  it('rejects the untouched example (its signature was not made with the test key) without echoing the Body', () => {
    for (const text of [QUICK_PAY_RESPONSE, QUICK_PAY_RESEND_SMS]) {
      const err = (() => {
        try {
          openEnvelope(text, { key: KEY });
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(err).toBeInstanceOf(MmspSignatureError);
      expect((err as Error).message).not.toContain('100000001467');
      expect((err as Error).message).not.toContain('10000004985');
    }
  });

  it('rejects the example once its Body is tampered with, even by one character', () => {
    const signed = resign(QUICK_PAY_RESPONSE);
    expect(() => openEnvelope(signed.replace('"AMT": "1234"', '"AMT": "1235"'), { key: KEY })).toThrow(
      MmspSignatureError,
    );
    // A type change alone ("1" → 1) is a different Body for PHP (PROTOCOL §3, the FAQ).
    expect(() => openEnvelope(signed.replace('"STATUS": "1"', '"STATUS": 1'), { key: KEY })).toThrow(
      MmspSignatureError,
    );
    // The header is not signed: changing it keeps the signature valid (documented platform behaviour).
    expect(openEnvelope(signed.replace('"SeqID": "1"', '"SeqID": "2"'), { key: KEY }).seqId).toBe(2);
  });

  it('opens the one-line ErrorMsg example once signed', () => {
    const opened = openEnvelope(resign(QUICK_PAY_RESEND_SMS), { key: KEY });
    expect(opened.plainBody).toEqual({ STATUS: '1', LIST_ID: '10000004985' });
    expect(opened.bodyText).toBe('{"LIST_ID":"10000004985","STATUS":"1"}');
  });

  it('refuses the example without Sign, unless the caller explicitly does not require one', () => {
    expect(() => openEnvelope(QUICK_PAY_NO_SIGN, { key: KEY })).toThrow(MmspSignatureError);
    const opened = openEnvelope(QUICK_PAY_NO_SIGN, { key: KEY, requireSignature: false });
    expect(opened.signatureChecked).toBe(false);
    expect(opened.plainBody).toEqual({ AMT: '999', BANK_NAME: 'u62db商银行' });
  });

  it('turns both negative-response examples into MmspProtocolError with RetCode and message', () => {
    const quick = (() => {
      try {
        openEnvelope(QUICK_PAY_NEGATIVE, { key: KEY });
      } catch (e) {
        return e as MmspProtocolError;
      }
      throw new Error('no error');
    })();
    expect(quick).toBeInstanceOf(MmspProtocolError);
    expect(quick).toMatchObject({ retCode: '0', commandId: 32768, platformMessage: '[-2002] 没有该订单' });
    expect(quick.message).toContain('[-2002] 没有该订单');

    expect(() => openEnvelope(SCAN_NEGATIVE, { key: KEY, expectCommandId: 35077 })).toThrow(
      expect.objectContaining({ name: 'MmspProtocolError', retCode: '39999', platformMessage: '支付失败' }),
    );
  });

  it('rejects the scan-code example with trailing commas as not JSON (PHP json_decode rejects it too)', () => {
    expect(() => openEnvelope(SCAN_RESPONSE_WITH_TRAILING_COMMAS, { key: KEY })).toThrow(MmspEncodingError);
  });
});

describe("the document's example request, platform side", () => {
  it('accepts the quick-pay request example once signed with the test key (no AGENTNO, string SeqID)', () => {
    const parsed = parseRequestEnvelope(resign(QUICK_PAY_REQUEST), { key: KEY, expectCommandId: 771 });
    expect(parsed.issues).toEqual([]);
    expect(parsed).toMatchObject({
      ok: true,
      commandId: 771,
      seqId: 1,
      nodeType: 3,
      agentNo: '',
      signatureValid: true,
    });
    expect(parsed.merchantNo).toBe('001100098147733');
  });

  it("reports the untouched example's signature as not matching, naming Sign and the rule", () => {
    const parsed = parseRequestEnvelope(QUICK_PAY_REQUEST, { key: KEY });
    expect(parsed.ok).toBe(false);
    expect(parsed.issues).toEqual([expect.objectContaining({ field: 'Sign', rule: 'signature' })]);
    // Card data never appears in an issue.
    const all = JSON.stringify(parsed.issues);
    for (const secret of ['6227000013830237349', '344', '23210219820916601X', KEY]) expect(all).not.toContain(secret);
  });

  it("names the MERNNO misspelling of the document's examples", () => {
    const typo = resign(QUICK_PAY_REQUEST).replace('"MERNO"', '"MERNNO"');
    const parsed = parseRequestEnvelope(typo, { key: KEY });
    expect(parsed.ok).toBe(false);
    expect(parsed.issues).toEqual([expect.objectContaining({ field: 'MERNO', rule: 'required' })]);
    expect(parsed.issues[0]?.message).toContain('MERNNO');
  });
});
