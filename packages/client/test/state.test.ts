import { describe, expect, it } from 'vitest';
import { normalizeState } from '@mmsp/client';

// 快捷 §5.12.3 and §5.13.3, read from the document: the bound-card confirm carries the trade state
// (0 unknown → query, 1 paid, 2 failed, 3 refunded); the bound-card SMS only says whether it was sent.
describe('bound-card flow B states', () => {
  it('boundPayConfirm: 0 is unknown (poll the query, never resend), 1 paid, 2 failed, 3 refunded', () => {
    expect(normalizeState('quickPay.boundPayConfirm', { STATUS: '0' })).toBe('paying');
    expect(normalizeState('quickPay.boundPayConfirm', { STATUS: '1' })).toBe('paid');
    expect(normalizeState('quickPay.boundPayConfirm', { STATUS: 2 })).toBe('failed');
    expect(normalizeState('quickPay.boundPayConfirm', { STATUS: '3' })).toBe('refunded');
  });
  it('boundPaySms: 1 means the SMS was sent; anything else is a refusal', () => {
    expect(normalizeState('quickPay.boundPaySms', { STATUS: '1' })).toBe('accepted');
    expect(normalizeState('quickPay.boundPaySms', { STATUS: '2', ERRCODE: 'D4', ERRMSG: '要素不匹配' })).toBe(
      'refused',
    );
  });
});

// Issue #13 item 3: a STATUS the document does not list for a payment is unknown (query), never
// "refused" (which invites a resend under a new number). Only tables that say "其他都为失败"
// (anything else is a failure) make an unlisted value a refusal.
describe('undocumented STATUS values are unknown, not refused', () => {
  it('micropay, payout, quick-pay order, bound confirm, refund: unlisted STATUS with an error code → no state', () => {
    expect(normalizeState('scan.wechatMicropay', { STATUS: '7', ERR_CODE: 'ZZ', ERR_CODE_MSG: '?' })).toBeUndefined();
    expect(normalizeState('scan.alipayMicropay', { STATUS: '', ERR_CODE: 'SYSTEMERROR' })).toBeUndefined();
    expect(normalizeState('scan.query', { STATUS: '9', ERR_CODE: 'X1' })).toBeUndefined();
    expect(normalizeState('quickPay.pay', { STATUS: '4', ERRCODE: 'E1' })).toBeUndefined();
    expect(normalizeState('quickPay.boundPayConfirm', { STATUS: '5', ERRCODE: 'E1' })).toBeUndefined();
    expect(normalizeState('scan.refund', { STATUS: '0', ERR_CODE: 'E1' })).toBeUndefined();
    expect(normalizeState('payout.pay', { PAYSTATE: '4', ERRCODE: 'E1' })).toBeUndefined();
  });
  it('a missing STATUS with an error code is unknown too', () => {
    expect(normalizeState('scan.qqMicropay', { ERR_CODE: 'E1' })).toBeUndefined();
    expect(normalizeState('quickPay.pay', { ERRCODE: 'E1' })).toBeUndefined();
  });
  it('documented refusals stay refusals', () => {
    expect(normalizeState('scan.wechatMicropay', { STATUS: '2', ERR_CODE: 'S1' })).toBe('failed');
    expect(normalizeState('scan.wechatOrder', { STATUS: '2', ERR_CODE: 'S1' })).toBe('refused');
    expect(normalizeState('quickPay.pay', { STATUS: '2', ERRCODE: 'D4' })).toBe('refused');
    // 快捷 §5.4.3 "1：成功，其他都为失败": the table itself makes anything else a failure.
    expect(normalizeState('quickPay.confirmSms', { STATUS: '7', ERRCODE: 'S2' })).toBe('refused');
    expect(normalizeState('quickPay.confirmSms', { STATUS: 0 })).toBe('refused');
  });
});
