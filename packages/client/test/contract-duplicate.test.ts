// Contract probe (issue #3 result states; issue #4 "1008 duplicate number"): a micropay re-sent with
// a MERORDERID already used (the classic retry after a timeout) is answered STATUS 2 with code 1008.
// That refuses the new request; the first order may be paid. The client used to report it as the
// trade's state `failed` — a merchant would tell a paying customer the payment failed. Now it is a
// refusal (MmspBusinessError 1008, "query it, never resend"); a real decline stays `failed`.
import { expect, it } from 'vitest';
import { normalizeState } from '../src/index.js';

it('STATUS 2 with the duplicate code is a refusal, never the state failed', () => {
  for (const op of [
    'scan.wechatMicropay',
    'scan.alipayMicropay',
    'scan.qqMicropay',
    'scan.query',
    'quickPay.query',
    'gateway.query',
    'quickPay.boundPayConfirm',
  ] as const) {
    const field = op.startsWith('scan.') ? 'ERR_CODE' : 'ERRCODE';
    expect(normalizeState(op, { STATUS: '2', [field]: '1008' }), op).toBe('refused');
    expect(normalizeState(op, { STATUS: '2', [field]: 'S1' }), op).toBe('failed');
  }
});
