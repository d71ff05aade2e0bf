import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  bodyCodes,
  bodyErrCode,
  bodyErrCodeField,
  bodyErrCodes,
  envelopeRetCode,
  envelopeRetCodes,
  payoutPayState,
  payoutPayStates,
  payoutRetCode,
  payoutRetCodes,
  negativeResponseCode,
  requiresQuery,
  splitPlatformMessage,
  type CodeOutcome,
} from '../src/codes.js';

// 代付 §6.2: every code the document lists (1016 and 1041–1044 are absent from the document).
const DOCUMENTED_PAYOUT = [
  '0000',
  '0001',
  '0002',
  ...Array.from({ length: 15 }, (_, i) => String(1001 + i)),
  ...Array.from({ length: 23 }, (_, i) => String(1017 + i)),
  '1040',
  '1045',
  '1046',
  '1047',
  '1048',
  '1049',
];

describe('payout RETCODE (代付 §6.2)', () => {
  it('holds exactly the codes the document lists, each with its Chinese text and a gloss', () => {
    expect(Object.keys(payoutRetCodes).sort()).toEqual([...DOCUMENTED_PAYOUT].sort());
    for (const [key, entry] of Object.entries(payoutRetCodes)) {
      expect(entry.code).toBe(key);
      expect(entry.meaning).toMatch(/[\u4e00-\u9fff]/);
      expect(entry.gloss.length).toBeGreaterThan(3);
      expect(entry.documented).toBe(true);
      expect(entry.section).toBe('代付 §6.2');
    }
  });

  it('classifies the never-resend codes so that they are settled by a query', () => {
    expect(payoutRetCode('0000')).toMatchObject({ outcome: 'success', meaning: '交易成功' });
    expect(payoutRetCode('0001')).toMatchObject({ outcome: 'unknown-query', meaning: '系统异常，需要发起订单查询' });
    expect(payoutRetCode('1008')).toMatchObject({ outcome: 'duplicate-query', meaning: '流水号重复' });
    expect(payoutRetCode('1031')).toMatchObject({ outcome: 'failed', meaning: '商户余额不足' });
    expect(payoutRetCode('1028').outcome).toBe('not-found');
    expect(payoutRetCode('1006').outcome).toBe('config');
    for (const code of ['0001', '1008', '1009', '1037', '1038', '1040', '1046']) {
      expect(requiresQuery(payoutRetCode(code).outcome), code).toBe(true);
    }
    for (const code of ['0000', '1001', '1031', '1028', '1006']) {
      expect(requiresQuery(payoutRetCode(code).outcome), code).toBe(false);
    }
  });

  it('treats every undocumented code as an unknown outcome (query, never resend)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 6 }), (code) => {
        fc.pre(!(code.trim() in payoutRetCodes));
        const entry = payoutRetCode(code);
        expect(entry.documented).toBe(false);
        expect(entry.outcome).toBe('unknown-query');
        expect(requiresQuery(entry.outcome)).toBe(true);
      }),
    );
    expect(payoutRetCode('1016').documented).toBe(false);
  });

  it('accepts the code as a number or with surrounding spaces', () => {
    expect(payoutRetCode(1031).outcome).toBe('failed');
    expect(payoutRetCode(' 0001 ').outcome).toBe('unknown-query');
  });

  it('is frozen: a caller cannot rewrite the table', () => {
    expect(Object.isFrozen(payoutRetCodes)).toBe(true);
    expect(Object.isFrozen(payoutRetCodes['0001'])).toBe(true);
    expect(() => {
      (payoutRetCodes as Record<string, unknown>)['0001'] = { outcome: 'failed' };
    }).toThrow(TypeError);
  });

  it('does not resolve inherited names as codes', () => {
    expect(payoutRetCode('constructor').documented).toBe(false);
    expect(payoutRetCode('__proto__').outcome).toBe('unknown-query');
  });
});

describe('payout PAYSTATE', () => {
  it('maps 1/2/3/5 to paid/paying/failed/accepted, int or string', () => {
    expect(payoutPayState(1)).toMatchObject({ state: 'paid', final: true, meaning: '付款成功' });
    expect(payoutPayState('2')).toMatchObject({ state: 'paying', final: false });
    expect(payoutPayState(3)).toMatchObject({ state: 'failed', final: true });
    expect(payoutPayState(5)).toMatchObject({ state: 'accepted', final: false, meaning: '代付请求已受理,等待审核' });
    expect(Object.keys(payoutPayStates).sort()).toEqual(['1', '2', '3', '5']);
  });

  it('never calls an unknown state final', () => {
    for (const v of [0, 4, 6, '', 'x']) {
      expect(payoutPayState(v)).toMatchObject({ state: 'unknown', final: false, documented: false });
    }
  });
});

describe('envelope RetCode (包头响应码)', () => {
  it("has 1 success and 0 structure error, as the three families' tables say", () => {
    expect(envelopeRetCode(1)).toMatchObject({ outcome: 'success', meaning: '成功', action: '请处理业务响应部分' });
    expect(envelopeRetCode('0')).toMatchObject({ outcome: 'protocol', meaning: '消息结构体错误' });
    expect(Object.keys(envelopeRetCodes).sort()).toEqual(['0', '1']);
  });

  it('classifies every other value as a protocol error (the scan example shows 39999)', () => {
    fc.assert(
      fc.property(
        fc.integer().filter((n) => n !== 1),
        (n) => {
          expect(envelopeRetCode(n).outcome).toBe('protocol');
        },
      ),
    );
    expect(envelopeRetCode(39999).documented).toBe(false);
  });
});

describe('body ERRCODE (包体错误码)', () => {
  const families = ['quickPay', 'scan', 'gateway'] as const;

  it('has 00 success, AA paying, D4 closed in every MD5 family', () => {
    for (const family of families) {
      expect(bodyErrCode(family, '00').outcome).toBe('success');
      expect(bodyErrCode(family, 'AA')).toMatchObject({ outcome: 'paying', meaning: '用户支付中' });
      expect(bodyErrCode(family, 'D4')).toMatchObject({ outcome: 'closed', meaning: '订单已关闭' });
      expect(requiresQuery(bodyErrCode(family, 'AA').outcome)).toBe(true);
      expect(requiresQuery(bodyErrCode(family, 'D4').outcome)).toBe(false);
      expect(Object.keys(bodyErrCodes[family]).sort()).toEqual(['00', 'AA', 'D4']);
    }
  });

  it('classifies an undocumented code as unknown (query), never as success', () => {
    fc.assert(
      fc.property(fc.constantFrom(...families), fc.string({ maxLength: 4 }), (family, code) => {
        fc.pre(!['00', 'AA', 'D4'].includes(code.trim()));
        const outcome: CodeOutcome = bodyErrCode(family, code).outcome;
        expect(outcome).toBe('unknown-query');
      }),
    );
  });

  it('names the field per family (scan code spells it ERR_CODE)', () => {
    expect(bodyErrCodeField('quickPay')).toBe('ERRCODE');
    expect(bodyErrCodeField('gateway')).toBe('ERRCODE');
    expect(bodyErrCodeField('scan')).toBe('ERR_CODE');
  });

  it('rejects the payout family with a clear error (payout uses RETCODE)', () => {
    expect(() => bodyErrCode('payout' as never, '00')).toThrow(/payoutRetCode/);
  });
});

describe('bodyCodes', () => {
  it("reads STATUS (int or string) and the family's error fields", () => {
    expect(bodyCodes('quickPay', { STATUS: 1, LIST_ID: '100000004985' })).toEqual({
      status: '1',
      errCode: undefined,
      errMsg: undefined,
      errCodeInfo: undefined,
    });
    const quick = bodyCodes('quickPay', { ERRCODE: 'D4', ERRMSG: '要素不匹配', STATUS: '2' });
    expect(quick).toMatchObject({ status: '2', errCode: 'D4', errMsg: '要素不匹配' });
    expect(quick.errCodeInfo?.outcome).toBe('closed');
    const scan = bodyCodes('scan', { STATUS: '3', ERR_CODE: 'AA', ERR_CODE_MSG: '用户支付中' });
    expect(scan).toMatchObject({ status: '3', errCode: 'AA', errMsg: '用户支付中' });
    expect(scan.errCodeInfo?.outcome).toBe('paying');
  });

  it("accepts the other family's spelling and ignores empty codes and inherited names", () => {
    expect(bodyCodes('scan', { ERRCODE: 'AA', ERRMSG: 'x' })).toMatchObject({ errCode: 'AA', errMsg: 'x' });
    expect(bodyCodes('gateway', { ERR_CODE: 'D4' }).errCode).toBe('D4');
    expect(bodyCodes('gateway', { ERRCODE: '', STATUS: '0' })).toMatchObject({
      errCode: undefined,
      status: '0',
      errCodeInfo: undefined,
    });
    expect(bodyCodes('quickPay', Object.create({ ERRCODE: 'AA' }) as Record<string, unknown>).errCode).toBeUndefined();
  });
});

describe('negative response ErrorMsg', () => {
  it('splits the bracketed code from the text', () => {
    expect(splitPlatformMessage('[-2002] 没有该订单')).toEqual({ code: '-2002', text: '没有该订单' });
    expect(splitPlatformMessage('支付失败')).toEqual({ code: undefined, text: '支付失败' });
    expect(splitPlatformMessage(' [ 17 ]x')).toEqual({ code: '17', text: 'x' });
  });

  it("classifies the document's [-2002] as not-found and anything else as protocol", () => {
    expect(negativeResponseCode('[-2002] 没有该订单')).toMatchObject({
      code: '-2002',
      outcome: 'not-found',
      documented: true,
      meaning: '没有该订单',
    });
    // The FAQ's [-3005] 交易金额不符 (issue #13 item 11): a refusal, nothing carried out.
    expect(negativeResponseCode('[-3005] 交易金额不符')).toMatchObject({
      code: '-3005',
      outcome: 'failed',
      documented: true,
      meaning: '交易金额不符',
    });
    expect(negativeResponseCode('[-9999] 其他')).toMatchObject({
      code: '-9999',
      outcome: 'protocol',
      documented: false,
      meaning: '其他',
    });
    expect(negativeResponseCode('支付失败')).toMatchObject({ code: '', outcome: 'protocol', meaning: '支付失败' });
    expect(negativeResponseCode('[constructor] x').outcome).toBe('protocol');
  });
});
