// validateRequest: every problem at once, field + rule + shape, never a value (issue #2 item 3).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { catalogue, MmspValidationError, operationNames, validateRequest } from '@mmsp/codec';
import { unknownFields, validateAgainst } from '../src/catalogue/validate.js';
import type { FieldSpec, OperationName, OperationSpec } from '@mmsp/codec';

const rules = (issues: { field: string; rule: string }[]) => issues.map((i) => `${i.field}:${i.rule}`).sort();

/** A valid payout (the document's strict example, §5.1.4, completed with values of the right shape). */
const PAYOUT = {
  CMDID: '4097',
  VERSION: '1.0',
  MERNO: '001440353999853',
  ORDERNO: '20171121170001',
  REQTIME: '20171123181110',
  AMT: '100',
  BUSIYPE: '001',
  ACCNAME: '张三',
  ACCNO: '6225123456781234',
  PAYTYPE: '1',
  ACCTYPE: '0',
  MOBILE: '13800138000',
  BANKNAME: '招商银行',
  BANKBRANCHNAME: '104581006015',
  BANKPROV: '广东省',
  BANKCITY: '深圳市',
  MEMO: '代付',
};

/** 快捷 §3.1 正常请求报文示例 Body (lines 797-809), verbatim. */
const QUICK_PAY_EXAMPLE = {
  MERORDERID: '20170926151023152438',
  AMT: '1234',
  NAME: '张安',
  PHONENO: '18826570890',
  CARDNO: '6227000013830237349',
  CARDTYPE: '1',
  ID_NO: '23210219820916601X',
  EXPDATE: '01117',
  CVN2: '344',
  NOTIFY_URL: 'http://ib.fxclouds.com/Notify/MerPay_notify_url',
  RANDSTR: '123456',
};

describe("the document's own example request bodies", () => {
  it('quick pay §3.1: clean except the known EXPDATE typo "01117" (PROTOCOL §7), reported without its value', () => {
    const issues = validateRequest('quickPay.pay', QUICK_PAY_EXAMPLE);
    expect(rules(issues)).toEqual(['EXPDATE:format', 'EXPDATE:maxLength']);
    expect(JSON.stringify(issues)).not.toContain('01117');
    expect(validateRequest('quickPay.pay', { ...QUICK_PAY_EXAMPLE, EXPDATE: '0117' })).toEqual([]); // the signing sample's spelling
  });

  it('payout §5.1.4 first example: only its placeholders (手机号, 支行联行号) are reported', () => {
    const example = {
      CMDID: '4097',
      VERSION: '1.0',
      MERNO: '001100052346700',
      ORDERNO: '20171121170001',
      REQTIME: '20171123181110',
      AMT: '100',
      BUSIYPE: '001',
      ACCNAME: '姓名',
      ACCNO: '卡号',
      PAYTYPE: '1',
      ACCTYPE: '0',
      MOBILE: '手机号',
      BANKNAME: '银行名称',
      BANKSETTLENO: '支行联行号',
      BANKBRANCHNAME: '支行名称',
      MEMO: '代付',
      IDCARD: '身份证',
      BANKPROV: '开户省',
      BANKCITY: '开户市',
    };
    expect(rules(validateRequest('payout.pay', example))).toEqual(['BANKSETTLENO:digits', 'MOBILE:format']);
  });

  it('payout query §5.2.4 example validates clean (its undocumented QRYTYPE included)', () => {
    const example = {
      CMDID: '4098',
      VERSION: '1.0',
      MERNO: '001100052346700',
      ORDERNO: '20171121170001',
      REQTIME: '20171120111410',
      QRYTYPE: '1',
    };
    expect(validateRequest('payout.query', example)).toEqual([]);
    expect(unknownFields('payout.query', example)).toEqual([]);
  });

  it('balance §5.3.4 example: the MERNNO typo shows as a missing MERNO and an unknown MERNNO (did you mean MERNO?)', () => {
    const example = {
      CMDID: '4099',
      VERSION: '1.0',
      MERNNO: '001100052346700',
      ORDERNO: '20171120111410001',
      REQTIME: '20171120111410',
      QRYTYPE: '1',
    };
    const issues = validateRequest('payout.balance', example);
    expect(rules(issues)).toEqual(['MERNNO:unknown', 'MERNO:required']);
    expect(issues.find((i) => i.field === 'MERNNO')).toMatchObject({
      suggestion: 'MERNO',
      message: expect.stringContaining('did you mean MERNO?'),
    });
    expect(
      validateRequest('payout.balance', example, { unknownFields: 'allow' }).map((i) => `${i.field}:${i.rule}`),
    ).toEqual(['MERNO:required']);
    expect(unknownFields('payout.balance', example)).toEqual(['MERNNO']);
  });

  it('scan §3.1 envelope example Body (2309): MERORDER is not MERORDERID; every missing field is listed', () => {
    const example = { AMT: '1', RANDSTR: '1', MERORDER: '1' };
    expect(rules(validateRequest('scan.alipayMicropay', example))).toEqual([
      'CODE:required',
      'CUR:required',
      'GOODSNAME:required',
      'MERORDER:unknown',
      'MERORDERID:required',
      'NOTIFY_URL:required',
    ]);
    expect(validateRequest('scan.alipayMicropay', example).find((i) => i.field === 'MERORDER')?.suggestion).toBe(
      'MERORDERID',
    );
    expect(unknownFields('scan.alipayMicropay', example)).toEqual(['MERORDER']);
  });

  it('gateway §3.3.2 signing sample (cut by the extraction) with the test channel validates clean', () => {
    const sample = {
      AMT: '1',
      GOODSNAME: 'product',
      JUMP_URL: 'http://123.58.32.141:20046/online_return.php',
      MERORDERID: '711245',
      NOTIFY_URL: 'http://123.58.32.141:20046/online',
      PAY_CHANNEL: 'YLBILL-NET-B2C',
    };
    expect(validateRequest('gateway.pay', sample)).toEqual([]);
  });
});

describe('every problem at once', () => {
  it('reports missing, type, length, digits, fen, enum, format and conditional problems in one pass', () => {
    const { ACCNAME: _omitted, ...rest } = PAYOUT;
    const body = {
      ...rest,
      ORDERNO: 'A-1',
      AMT: 100,
      MEMO: '备'.repeat(65),
      ACCTYPE: '2',
      MOBILE: '2380013800',
      REQTIME: '20171323181110',
      BUSIYPE: '006',
    };
    const issues = validateRequest('payout.pay', body);
    expect(rules(issues)).toEqual([
      'ACCNAME:required',
      'AMT:type',
      'BANKSETTLENO:requiredWhen',
      'BUSIYPE:enum',
      'MEMO:maxLength',
      'MOBILE:format',
      'ORDERNO:digits',
      'REQTIME:format',
    ]);
    for (const i of issues) expect(i.message).toContain(i.field.split('|')[0]);
    const error = new MmspValidationError(issues, 'payout.pay');
    expect(error.issues).toHaveLength(8);
    expect(error.message.split('\n')).toHaveLength(9);
  });

  it('describes the shape, not the value', () => {
    const [issue] = validateRequest('payout.pay', { ...PAYOUT, MEMO: 'x'.repeat(70) });
    expect(issue).toMatchObject({ field: 'MEMO', rule: 'maxLength', got: 'string(70)' });
    expect(issue!.message).toMatch(/string\(64\)/);
    expect(issue!.message).not.toContain('xxxx');
  });

  it('a valid body has no issue; the SDK-filled fields are required on the wire', () => {
    expect(validateRequest('payout.pay', PAYOUT)).toEqual([]);
    const { RANDSTR: _r, ...noRand } = { MERORDERID: '1', RANDSTR: 'abc' };
    expect(rules(validateRequest('scan.query', noRand))).toEqual(['RANDSTR:required']);
  });

  it('never coerces: a number where the document says string is a type issue ("1" and 1 sign differently, PROTOCOL §3)', () => {
    expect(rules(validateRequest('payout.pay', { ...PAYOUT, AMT: 100, ACCTYPE: 0 }))).toEqual([
      'ACCTYPE:type',
      'AMT:type',
    ]);
    expect(rules(validateRequest('quickPay.query', { MERORDERID: 20170926 }))).toEqual(['MERORDERID:type']);
    expect(rules(validateRequest('quickPay.query', { MERORDERID: null }))).toEqual(['MERORDERID:type']);
  });

  it('every string field of every operation refuses a number, and the issue names that field', () => {
    for (const name of operationNames) {
      for (const f of (catalogue[name] as OperationSpec).request) {
        if (f.type !== 'string') continue;
        const issues = validateRequest(name, { [f.name]: 1 });
        expect(
          issues.find((i) => i.field === f.name),
          `${name}.${f.name}`,
        ).toMatchObject({ rule: 'type', got: 'integer' });
      }
    }
  });

  it('a lone surrogate (not encodable as UTF-8, so never signable) is reported', () => {
    expect(rules(validateRequest('payout.pay', { ...PAYOUT, ACCNAME: '张\uD800', MEMO: '\uDC00x' }))).toEqual([
      'ACCNAME:encoding',
      'MEMO:encoding',
    ]);
    expect(validateRequest('payout.pay', { ...PAYOUT, MEMO: '😀' })).toEqual([]);
  });

  it('an empty string for a required field is missing', () => {
    expect(rules(validateRequest('quickPay.query', { MERORDERID: '' }))).toEqual(['MERORDERID:required']);
  });

  it('refuses a body that is not an object, and an unknown operation', () => {
    expect(rules(validateRequest('quickPay.query', '{"MERORDERID":"1"}'))).toEqual(['Body:type']);
    expect(rules(validateRequest('quickPay.query', ['1']))).toEqual(['Body:type']);
    expect(rules(validateRequest('quickPay.refund', {}))).toEqual(['operation:unknown']);
  });

  it('ignores inherited properties (a body is its own keys, as PHP sees it)', () => {
    const body = Object.create({ MERORDERID: '1' }) as object;
    expect(rules(validateRequest('quickPay.query', body))).toEqual(['MERORDERID:required']);
  });
});

describe('lengths are measured in characters (decision in validate.ts)', () => {
  it('a 20-character Chinese ACCNAME fits string(20); 21 do not', () => {
    expect(validateRequest('payout.pay', { ...PAYOUT, ACCNAME: '张'.repeat(20) })).toEqual([]);
    expect(rules(validateRequest('payout.pay', { ...PAYOUT, ACCNAME: '张'.repeat(21) }))).toEqual([
      'ACCNAME:maxLength',
    ]);
  });
  it('lengthUnit: "bytes" measures UTF-8 bytes like PHP strlen (an option, not the default)', () => {
    expect(
      rules(validateRequest('payout.pay', { ...PAYOUT, ACCNAME: '张'.repeat(7) }, { lengthUnit: 'bytes' })),
    ).toEqual(['ACCNAME:maxLength']);
    expect(
      validateRequest('payout.pay', { ...PAYOUT, ACCNAME: '张'.repeat(6) + 'ab' }, { lengthUnit: 'bytes' }),
    ).toEqual([]);
    const [issue] = validateRequest('payout.pay', { ...PAYOUT, ACCNAME: '😀'.repeat(6) }, { lengthUnit: 'bytes' });
    expect(issue!.message).toContain('24 UTF-8 bytes');
  });
  it('astral characters count once', () => {
    expect(validateRequest('scan.wechatOrder', { ...scanOrder(), GOODSNAME: '😀'.repeat(15) })).toEqual([]);
    expect(rules(validateRequest('scan.wechatOrder', { ...scanOrder(), GOODSNAME: '😀'.repeat(16) }))).toEqual([
      'GOODSNAME:maxLength',
    ]);
  });
  it('family limits: MERORDERID ≤ 20 in scan code, ≤ 32 in quick pay and gateway (PROTOCOL §7)', () => {
    expect(rules(validateRequest('scan.query', { MERORDERID: '1'.repeat(21), RANDSTR: 'r' }))).toEqual([
      'MERORDERID:maxLength',
    ]);
    expect(validateRequest('quickPay.query', { MERORDERID: '1'.repeat(32) })).toEqual([]);
    expect(rules(validateRequest('gateway.query', { MERORDERID: '1'.repeat(33) }))).toEqual(['MERORDERID:maxLength']);
  });
});

function scanOrder() {
  return {
    TRADETYPE: '1',
    AMT: '1',
    MERORDERID: '20171122090622',
    RANDSTR: 'abcdefghij',
    GOODSNAME: '商品',
    NOTIFY_URL: 'https://m.example.cn/n',
  };
}

describe('amounts in fen', () => {
  it('positive integer digits without leading zero or decimals', () => {
    for (const bad of ['0', '0100', '1.00', '-1', '+1', '1e3', ' 1', '１００']) {
      expect(
        rules(
          validateRequest('quickPay.unionPayOrder', {
            MERORDERID: '1',
            AMT: bad,
            JUMP_URL: 'https://a.cn/',
            NOTIFY_URL: 'https://a.cn/n',
          }),
        ),
        bad,
      ).toEqual(['AMT:fen']);
    }
  });
  it('payout ≤ 10,000,000 yuan', () => {
    expect(validateRequest('payout.pay', { ...PAYOUT, AMT: '1000000000' })).toEqual([]);
    expect(rules(validateRequest('payout.pay', { ...PAYOUT, AMT: '1000000001' }))).toEqual(['AMT:max']);
    expect(rules(validateRequest('payout.pay', { ...PAYOUT, AMT: '99999999999999999999999' }))).toEqual(['AMT:max']);
  });
});

describe('conditional rules', () => {
  it('payout query: ORDERNO or BSORDERNO (二选一)', () => {
    const base = { CMDID: '4098', VERSION: '1.0', MERNO: '001440353999853', REQTIME: '20171120111410' };
    expect(rules(validateRequest('payout.query', base))).toEqual(['ORDERNO|BSORDERNO:atLeastOne']);
    expect(validateRequest('payout.query', { ...base, BSORDERNO: '2017122500004124' })).toEqual([]);
  });
  it('scan order operations: ORDERNO or MERORDERID; refund query: REFUND_ORDERNO or REFUND_MERORDERID', () => {
    for (const name of ['scan.query', 'scan.cancel', 'scan.close'] as const) {
      expect(rules(validateRequest(name, { RANDSTR: 'r' }))).toEqual(['ORDERNO|MERORDERID:atLeastOne']);
      expect(validateRequest(name, { ORDERNO: '1', RANDSTR: 'r' })).toEqual([]);
    }
    expect(rules(validateRequest('scan.refundQuery', { RANDSTR: 'r' }))).toEqual([
      'REFUND_ORDERNO|REFUND_MERORDERID:atLeastOne',
    ]);
  });
  it('credit card: EXPDATE and CVN2 when CARDTYPE is 2', () => {
    const credit = { ...QUICK_PAY_EXAMPLE, CARDTYPE: '2' } as Record<string, unknown>;
    delete credit.EXPDATE;
    delete credit.CVN2;
    expect(rules(validateRequest('quickPay.pay', credit))).toEqual(['CVN2:requiredWhen', 'EXPDATE:requiredWhen']);
    expect(validateRequest('quickPay.pay', { ...credit, EXPDATE: '1229', CVN2: '123' })).toEqual([]);
    expect(rules(validateRequest('quickPay.pay', { ...credit, EXPDATE: '1329', CVN2: '12' }))).toEqual([
      'CVN2:format',
      'EXPDATE:format',
    ]);
  });
  it('WeChat JSAPI needs OPENID; Alipay service window needs a user id or account', () => {
    expect(rules(validateRequest('scan.wechatOrder', { ...scanOrder(), TRADETYPE: '2' }))).toEqual([
      'OPENID:requiredWhen',
    ]);
    expect(validateRequest('scan.wechatOrder', { ...scanOrder(), TRADETYPE: '2', OPENID: 'o' })).toEqual([]);
    expect(rules(validateRequest('scan.alipayOrder', { ...scanOrder(), TRADETYPE: '2' }))).toEqual([
      'ALIPAY_USER_ID|ALIPAY_ACCOUNT:atLeastOne',
    ]);
    expect(validateRequest('scan.alipayOrder', { ...scanOrder(), TRADETYPE: '2', ALIPAY_ACCOUNT: 'a@b.cn' })).toEqual(
      [],
    );
    expect(validateRequest('scan.alipayOrder', scanOrder())).toEqual([]);
  });
  it('payout corporate account needs the 联行号', () => {
    expect(rules(validateRequest('payout.pay', { ...PAYOUT, ACCTYPE: '2' }))).toEqual(['BANKSETTLENO:requiredWhen']);
    expect(validateRequest('payout.pay', { ...PAYOUT, ACCTYPE: '2', BANKSETTLENO: '308584000013' })).toEqual([]);
  });
});

describe('batch-query window (PROTOCOL §7)', () => {
  const now = new Date('2017-12-11T04:00:00Z'); // 2017-12-11 12:00 China time
  const q = (START_DATE: string, END_DATE: string, PERPAGE = '10', PAGE = '1') =>
    validateRequest('quickPay.batchQuery', { START_DATE, END_DATE, PERPAGE, PAGE }, { now });
  it("accepts YYYYMMDDHH and the example's YYYYMMDD", () => {
    expect(q('2017092600', '2017121112')).toEqual([]);
    expect(q('20170926', '20171211')).toEqual([]);
  });
  it('refuses an impossible date, an inverted window, a span over 3 months and a start older than 3 months', () => {
    expect(rules(q('2017023012', '2017121112'))).toEqual(['START_DATE:format']);
    expect(rules(q('2017121100', '2017121000'))).toEqual(['END_DATE:window']);
    expect(
      rules(
        validateRequest(
          'gateway.batchQuery',
          { START_DATE: '2017101000', END_DATE: '2018011100', PERPAGE: '10', PAGE: '1' },
          { now },
        ),
      ),
    ).toEqual(['END_DATE:window']);
    expect(rules(q('2017090100', '2017091000'))).toEqual(['START_DATE:window']);
  });
  it('PERPAGE ≤ 1000, PAGE ≥ 1, digits only', () => {
    expect(rules(q('2017120100', '2017121100', '1001'))).toEqual(['PERPAGE:range']);
    expect(q('2017120100', '2017121100', '1000')).toEqual([]);
    expect(rules(q('2017120100', '2017121100', '0', '01'))).toEqual(['PAGE:digits', 'PERPAGE:digits']);
  });
});

describe('secrets never appear in an issue (card data, ID numbers, SMS and payment codes)', () => {
  const secretFields: { op: OperationName; field: FieldSpec; base: Record<string, unknown> }[] = [];
  const bases: Partial<Record<OperationName, Record<string, unknown>>> = {
    'payout.pay': PAYOUT,
    'quickPay.pay': { ...QUICK_PAY_EXAMPLE, CARDTYPE: '2', EXPDATE: '1229' },
    'quickPay.bind': { ...QUICK_PAY_EXAMPLE, USER_ID: 'u', MSG_CODE: '123456', CARDTYPE: '2', EXPDATE: '1229' },
    'quickPay.confirmSms': { LIST_ID: '100000004985', MSG_CODE: '123456' },
    'scan.wechatMicropay': {
      AMT: '1',
      CUR: 'CNY',
      GOODSNAME: 'g',
      NOTIFY_URL: 'https://a.cn/n',
      MERORDERID: '1',
      RANDSTR: 'r',
      CODE: '134567890123456789',
    },
  };
  for (const [op, base] of Object.entries(bases) as [OperationName, Record<string, unknown>][]) {
    for (const field of (catalogue[op] as OperationSpec).request)
      if (field.secret) secretFields.push({ op, field, base });
  }

  it('covers CARDNO, CVN2, CVV2, ID_NO, EXPDATE, IDCARD, ACCNO, MSG_CODE and CODE', () => {
    expect([...new Set(secretFields.map((s) => s.field.name))].sort()).toEqual([
      'ACCNO',
      'CARDNO',
      'CODE',
      'CVN2',
      'CVV2',
      'EXPDATE',
      'IDCARD',
      'ID_NO',
      'MSG_CODE',
    ]);
  });

  it('property: whatever the secret value (right or wrong shape), no issue text contains it', () => {
    const value = fc.oneof(
      fc.stringMatching(/^\d{6,40}$/),
      fc.string({ unit: 'grapheme', minLength: 6, maxLength: 60 }),
      fc.string({ unit: 'binary', minLength: 6, maxLength: 60 }),
      fc.stringMatching(/^[0-9X]{15,18}$/),
    );
    fc.assert(
      fc.property(fc.constantFrom(...secretFields), value, fc.boolean(), ({ op, field, base }, secret, breakOthers) => {
        const body: Record<string, unknown> = { ...base, [field.name]: secret };
        if (breakOthers) body.AMT = '0.5'; // more issues around it
        const issues = validateRequest(op, body);
        const text = JSON.stringify(issues) + new MmspValidationError(issues, op).message;
        // Only the value itself is forbidden; a value made of text every message contains anyway proves nothing.
        const baseline = JSON.stringify(
          validateRequest(op, { ...body, [field.name]: '\u0000'.repeat([...secret].length) }),
        );
        fc.pre(!baseline.includes(secret) && !'1000000000 fen (10000000 yuan)'.includes(secret));
        expect(text.includes(secret)).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('unknown keys against a table', () => {
  it('a table that may still change is read at each validation; the frozen catalogue gives the same answers every time', () => {
    const base = catalogue['scan.query'] as OperationSpec;
    const spec: OperationSpec = { ...base, request: [...base.request] };
    const body = {
      ...Object.fromEntries(base.request.filter((f) => f.presence === 'required').map((f) => [f.name, 'x'])),
      EXTRA_FIELD: '1',
    };
    const unknown = (s: OperationSpec) =>
      validateAgainst(s, body)
        .filter((i) => i.rule === 'unknown')
        .map((i) => i.field);
    expect(unknown(spec)).toEqual(['EXTRA_FIELD']);
    (spec.request as FieldSpec[]).push({ ...base.request[0]!, name: 'EXTRA_FIELD', presence: 'optional' } as FieldSpec);
    expect(unknown(spec)).toEqual([]);
    expect(unknown(base)).toEqual(['EXTRA_FIELD']);
    expect(unknown(base)).toEqual(['EXTRA_FIELD']);
  });
});
