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
    expect(normalizeState('quickPay.boundPaySms', { STATUS: '2', ERRCODE: 'D4', ERRMSG: '要素不匹配' })).toBe('refused');
  });
});
