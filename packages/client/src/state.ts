/**
 * State normalization per operation (issue #3; PROTOCOL §2 "two-layer" logic, §5, §6). Each rule
 * says which body field carries the state and what each value means; values marked `refused`
 * mean the platform refused the request: the client throws `MmspBusinessError` with the body's
 * ERRCODE and the document's meaning.
 */
import type { OperationName } from '@mmsp/codec';
import type { TradeState } from './result.js';

export type StateOutcome = TradeState | 'refused' | 'none';
export interface StateRule {
  field: 'STATUS' | 'PAYSTATE';
  values: Readonly<Record<string, StateOutcome>>;
  /**
   * What a value the table does not list means. Only tables that say so themselves ("其他都为失败",
   * anything else is a failure) make it a refusal; everywhere else an unlisted value is unknown
   * (no state): for a money-moving operation the client then queries (issue #13).
   */
  otherwise?: 'refused';
}

// 快捷 §5.3.3 / §5.14.3: 0 下单成功待支付, 1 已成功支付, 2 下单失败, 3 已退款 (text cut by the extraction).
const QUICK_ORDER: StateRule = {
  field: 'STATUS',
  values: { '0': 'pending', '1': 'paid', '2': 'refused', '3': 'refunded' },
};
// 快捷 §5.7.3, 网关 §5.3.3: 0 待支付, 1 成功, 2 失败, 3 已退款.
const TRADE_QUERY: StateRule = {
  field: 'STATUS',
  values: { '0': 'pending', '1': 'paid', '2': 'failed', '3': 'refunded' },
};
// 快捷 §5.4.3 and the other one-step requests: 1 成功, "其他都为失败" (anything else a refusal).
const OK_ACCEPTED: StateRule = { field: 'STATUS', values: { '1': 'accepted' }, otherwise: 'refused' };
// 快捷 §5.12.3 bound-card pay confirm: 0 状态未知,请发查询 (query, never resend), 1 确认成功, 2 失败, 3 已退款.
const BOUND_CONFIRM: StateRule = {
  field: 'STATUS',
  values: { '0': 'paying', '1': 'paid', '2': 'failed', '3': 'refunded' },
};
// 扫码 §5.1.3 and every other order creation: 1 下订单成功 (waiting for the payer), 2 失败.
const SCAN_ORDER: StateRule = { field: 'STATUS', values: { '1': 'pending', '2': 'refused' } };
// 扫码 §5.2.3 micropay, §10.3.2 query: 1 成功, 2 失败, 3 支付中 (ERR_CODE AA).
const SCAN_TRADE: StateRule = { field: 'STATUS', values: { '1': 'paid', '2': 'failed', '3': 'paying' } };
// 扫码 §10.4 / §10.5: 1 撤单/关闭成功, 2 失败.
const SCAN_CLOSE: StateRule = { field: 'STATUS', values: { '1': 'closed', '2': 'refused' } };
// 扫码 §10.6 / §10.7: 1 受理成功, 2 退款失败.
const SCAN_REFUND: StateRule = { field: 'STATUS', values: { '1': 'accepted', '2': 'refused' } };
const SCAN_REFUND_QUERY: StateRule = { field: 'STATUS', values: { '1': 'accepted', '2': 'failed' } };
// 代付 §5.1.3 / §5.2.3: PAYSTATE 1 付款成功, 2 付款中, 3 付款失败, 5 已受理等待审核 (PROTOCOL §6).
const PAYOUT: StateRule = { field: 'PAYSTATE', values: { '1': 'paid', '2': 'paying', '3': 'failed', '5': 'accepted' } };
// Batch queries: STATUS 1 has data, 0 none: no trade state, never a refusal.
const LISTING: StateRule = { field: 'STATUS', values: { '0': 'none', '1': 'none' } };

/**
 * How each operation's response normalises to a {@link TradeState}: which Body field carries the
 * state (`STATUS`, payout `PAYSTATE`) and what each value means; `refused` values make the client
 * throw `MmspBusinessError` with the Body's ERRCODE and the document's meaning.
 */
export const STATE_RULES: Readonly<Partial<Record<OperationName, StateRule>>> = {
  'payout.pay': PAYOUT,
  'payout.query': PAYOUT,
  'quickPay.pay': QUICK_ORDER,
  'quickPay.unionPayOrder': QUICK_ORDER,
  'quickPay.boundPaySms': OK_ACCEPTED,
  'quickPay.confirmSms': OK_ACCEPTED,
  'quickPay.boundPayConfirm': BOUND_CONFIRM,
  'quickPay.resendSms': OK_ACCEPTED,
  'quickPay.query': TRADE_QUERY,
  'quickPay.batchQuery': LISTING,
  'gateway.query': TRADE_QUERY,
  'gateway.batchQuery': LISTING,
  'scan.wechatOrder': SCAN_ORDER,
  'scan.wechatH5': SCAN_ORDER,
  'scan.alipayOrder': SCAN_ORDER,
  'scan.alipayStaticCode': SCAN_ORDER,
  'scan.alipayDynamicCode': SCAN_ORDER,
  'scan.alipayH5': SCAN_ORDER,
  'scan.qqOrder': SCAN_ORDER,
  'scan.jdOrder': SCAN_ORDER,
  'scan.unionPayWalletOrder': SCAN_ORDER,
  'scan.wechatMicropay': SCAN_TRADE,
  'scan.alipayMicropay': SCAN_TRADE,
  'scan.qqMicropay': SCAN_TRADE,
  'scan.query': SCAN_TRADE,
  'scan.cancel': SCAN_CLOSE,
  'scan.close': SCAN_CLOSE,
  'scan.refund': SCAN_REFUND,
  'scan.refundQuery': SCAN_REFUND_QUERY,
};

/** A field's text (a number as its digits), else its alias's (`ERRCODE`, then `ERR_CODE`); `undefined` for neither. */
export function readText(body: Record<string, unknown>, name: string, alias?: string): string | undefined {
  const v = body[name];
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  return alias === undefined ? undefined : readText(body, alias);
}

/**
 * The state of a response body: a `TradeState`, `'refused'` (throw a business error) or
 * `undefined` (no state: balance, bind operations, listings, or a value the document does not
 * list — unknown, never a refusal, unless the table itself says "anything else is a failure").
 */
export function normalizeState(
  operation: OperationName,
  body: Record<string, unknown>,
): TradeState | 'refused' | undefined {
  const rule = STATE_RULES[operation];
  const errCode = readText(body, 'ERRCODE', 'ERR_CODE');
  if (!rule) {
    // No trade state; a body STATUS other than 1 with an error code is a refusal (PROTOCOL §2).
    const status = readText(body, 'STATUS');
    return status !== undefined && status !== '1' && errCode !== undefined && errCode !== '' ? 'refused' : undefined;
  }
  const value = readText(body, rule.field);
  // No state, or one the document does not list: unknown, not refused (an unlisted value with an
  // error code is still not a documented final answer; codes.ts classifies it "query").
  if (value === undefined) return undefined;
  const key = value.trim();
  const outcome = Object.prototype.hasOwnProperty.call(rule.values, key) ? rule.values[key] : undefined;
  if (outcome === undefined) return rule.otherwise === 'refused' ? 'refused' : undefined;
  // A "failed" STATUS that carries the duplicate-number code refuses this *request*, it says nothing
  // about the order that already has the number (which may be paid): never report it as the
  // trade's state; the caller must query it, never resend (PROTOCOL §5, §6).
  if (outcome === 'failed' && errCode !== undefined && isDuplicateCode(errCode)) return 'refused';
  return outcome === 'none' ? undefined : outcome;
}

/**
 * Duplicate order number: `1008` (代付 §6.2 流水号重复; the sandbox answers a reused MERORDERID of
 * any family with it, issue #4).
 */
export function isDuplicateCode(code: string): boolean {
  return code.trim() === '1008';
}

/** What a duplicate-number refusal means, for families whose body code table lacks it. */
export const DUPLICATE_MEANING =
  '订单号重复 (duplicate order number): an order with this number already exists and may have been paid; query it, never resend';

/** Final states: nothing more will change without a new request. */
export function isFinal(state: TradeState | undefined): boolean {
  return state === 'paid' || state === 'failed' || state === 'refunded' || state === 'closed';
}
