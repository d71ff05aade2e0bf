// Scan code 扫码 (scan §5–§10): native / JSAPI / H5 pre-orders that open a sandbox payment page,
// micropay decided by the test code in CODE, query, cancel, close, refund, refund query.
// Orders expire at TIME_END, default 5 minutes (scan §5.1.2 "不传默认5分钟订单失效").
import { BODY, NEGATIVE } from '../codes.js';
import { field, fen, type Handler, type HandlerContext, type HandlerResult } from '../handler.js';
import type { PaymentOrder } from '../model.js';
import { dashedTime, parseChinaTime } from '../time.js';

/** Query/notification TRADETYPE per operation: 1 WeChat, 2 Alipay, 3 QQ Wallet (scan §10.3); 4 JD, 5 UnionPay wallet (sandbox). */
const CHANNEL: Record<string, string> = {
  'scan.wechatOrder': '1',
  'scan.wechatMicropay': '1',
  'scan.wechatH5': '1',
  'scan.alipayOrder': '2',
  'scan.alipayMicropay': '2',
  'scan.alipayStaticCode': '2',
  'scan.alipayDynamicCode': '2',
  'scan.alipayH5': '2',
  'scan.qqOrder': '3',
  'scan.qqMicropay': '3',
  'scan.jdOrder': '4',
  'scan.unionPayWalletOrder': '5',
};

/**
 * Micropay test codes (README "Test codes"), by the last four digits of CODE:
 * 0000 (and any other) paid at once · 1111 paying, paid after micropayDelayMs · 2222 paying until
 * settled by hand or TIME_END · 3333 paying, then failed · 9999 declined at once.
 */
export const MICROPAY_TEST_CODES = {
  '0000': 'paid at once (not pushed: scan §5.2.3 note)',
  '1111': 'STATUS 3 / AA, paid after micropayDelayMs, then pushed',
  '2222': 'STATUS 3 / AA until POST /_sandbox/orders/:id/pay|decline or TIME_END',
  '3333': 'STATUS 3 / AA, failed after micropayDelayMs',
  '9999': 'STATUS 2 declined at once (ERR_CODE S1)',
} as const;

function errorBody(code: readonly [string, string]): Record<string, string> {
  return { STATUS: '2', ERR_CODE: code[0], ERR_CODE_MSG: code[1] };
}

function expiry(ctx: HandlerContext, body: Record<string, unknown>): number | { negative: string } {
  const text = field(body, 'TIME_END');
  if (text === '') return ctx.now + ctx.platform.options.orderTtlMs;
  const at = parseChinaTime(text);
  if (at === undefined || !/^\d{4}-\d{2}-\d{2}( \d{2}:\d{2}:\d{2})?$/.test(text)) {
    return { negative: `${NEGATIVE.parameter}: TIME_END must be yyyy-mm-dd hh24:mi:ss` };
  }
  // The H5 tables give the format as yyyy-mm-dd only: a bare date lasts to the end of that day.
  return text.length === 10 ? at + 86_399_000 : at;
}

function newOrder(
  ctx: HandlerContext,
  body: Record<string, unknown>,
  expiresAt: number,
  micropay: boolean,
): PaymentOrder {
  return {
    family: 'scan',
    operation: ctx.operation,
    merchantNo: ctx.merchant.merchantNo,
    merchantOrderId: field(body, 'MERORDERID'),
    platformOrderId: ctx.platform.issueId('9', 18),
    amount: field(body, 'AMT'),
    state: 'pending',
    createdAt: ctx.now,
    expiresAt,
    notifyUrl: field(body, 'NOTIFY_URL'),
    goodsName: field(body, 'GOODSNAME'),
    tradeType: field(body, 'TRADETYPE') || '1',
    channel: CHANNEL[ctx.operation] ?? '1',
    micropay,
    refunded: '0',
    notify: true,
    ...(field(body, 'JUMP_URL') ? { jumpUrl: field(body, 'JUMP_URL') } : {}),
  };
}

const duplicate = (ctx: HandlerContext, body: Record<string, unknown>): boolean =>
  ctx.platform.findOrder(ctx.merchant.merchantNo, 'scan', field(body, 'MERORDERID')) !== undefined;

export function payPageUrl(baseUrl: string, order: PaymentOrder): string {
  return `${baseUrl}/_sandbox/pay/${encodeURIComponent(order.merchantNo)}/${encodeURIComponent(order.platformOrderId)}`;
}

/** Native / JSAPI / service-window / static / dynamic code / JD / UnionPay wallet / H5 pre-order. */
const preOrder: Handler = (ctx, body) => {
  const mer = field(body, 'MERORDERID');
  if (duplicate(ctx, body)) return { body: { MERORDERID: mer, ...errorBody(BODY.duplicate) } };
  const expiresAt = expiry(ctx, body);
  if (typeof expiresAt !== 'number') return expiresAt;
  const order = ctx.platform.addOrder(newOrder(ctx, body, expiresAt, false));
  const h5 = ctx.operation === 'scan.wechatH5' || ctx.operation === 'scan.alipayH5';
  const url = payPageUrl(ctx.baseUrl, order);
  const raw = field(body, 'TRADETYPE') === '2' && field(body, 'IS_RAW') === '1';
  return {
    body: {
      ORDERNO: order.platformOrderId,
      ...(raw
        ? {
            PAY_INFO: JSON.stringify({
              appId: field(body, 'SUP_APPID') || 'wxsandbox',
              package: `prepay_id=${order.platformOrderId}`,
              payUrl: url,
            }),
          }
        : { URL: url }),
      ...(h5 ? {} : { TRADETYPE: order.tradeType }),
      TRADETIME: dashedTime(order.createdAt),
      MERORDERID: mer,
      STATUS: '1',
    },
  };
};

/** 刷卡 micropay: the test code in CODE decides (MICROPAY_TEST_CODES). */
const micropay: Handler = (ctx, body) => {
  const mer = field(body, 'MERORDERID');
  if (duplicate(ctx, body)) return { body: { MERORDERID: mer, ...errorBody(BODY.duplicate) } };
  const expiresAt = expiry(ctx, body);
  if (typeof expiresAt !== 'number') return expiresAt;
  const order = ctx.platform.addOrder(newOrder(ctx, body, expiresAt, true));
  const head = { ORDERNO: order.platformOrderId, TRADETIME: dashedTime(order.createdAt), MERORDERID: mer };
  const code = field(body, 'CODE').slice(-4);
  const paying = { ...head, STATUS: '3', ERR_CODE: BODY.paying[0], ERR_CODE_MSG: BODY.paying[1] };
  const delay = ctx.platform.options.micropayDelayMs;
  switch (code) {
    case '9999':
      ctx.platform.markFailed(order, 'failed', BODY.declined[0], BODY.declined[1]);
      return { body: { ...head, ...errorBody(BODY.declined) } };
    case '1111':
      order.state = 'paying';
      order.settleAt = ctx.now + delay;
      order.settleTo = 'paid';
      ctx.platform.schedule(order);
      return { body: paying };
    case '3333':
      order.state = 'paying';
      order.settleAt = ctx.now + delay;
      order.settleTo = 'failed';
      order.failCode = BODY.declined[0];
      order.failMessage = BODY.declined[1];
      ctx.platform.schedule(order);
      return { body: paying };
    case '2222':
      order.state = 'paying';
      return { body: paying };
    default:
      // Paid at once: "这种结果，平台不会推送支付结果给商户" (scan §5.2.3 note).
      order.notify = false;
      ctx.platform.markPaid(order);
      return { body: { ...head, STATUS: '1' } };
  }
};

function lookup(ctx: HandlerContext, body: Record<string, unknown>): PaymentOrder | undefined {
  const platformId = field(body, 'ORDERNO');
  const mer = field(body, 'MERORDERID');
  const order = platformId
    ? ctx.platform.findByPlatformId(ctx.merchant.merchantNo, platformId)
    : ctx.platform.findOrder(ctx.merchant.merchantNo, 'scan', mer);
  if (order && order.family !== 'scan') return undefined;
  if (order && platformId && mer && order.merchantOrderId !== mer) return undefined;
  return order;
}

function orderFields(order: PaymentOrder): Record<string, unknown> {
  return {
    ORDERNO: order.platformOrderId,
    AMT: order.amount,
    TRADETIME: dashedTime(order.createdAt),
    PAYTIME: order.paidAt !== undefined ? dashedTime(order.paidAt) : '',
    MERORDERID: order.merchantOrderId,
    TRADETYPE: order.channel ?? '1',
  };
}

/** Query STATUS: 1 paid (also after refunds), 2 failed / closed, 3 not paid yet (scan §10.3.2). */
const query: Handler = (ctx, body) => {
  const order = lookup(ctx, body);
  if (!order) return { negative: NEGATIVE.noOrder };
  const base = orderFields(order);
  switch (order.state) {
    case 'paid':
    case 'refunded':
      return { body: { ...base, STATUS: '1' } };
    case 'pending':
    case 'paying':
      return { body: { ...base, STATUS: '3', ERR_CODE: BODY.paying[0], ERR_CODE_MSG: BODY.paying[1] } };
    case 'closed':
      return { body: { ...base, ...errorBody(BODY.closed) } };
    case 'failed':
      return {
        body: {
          ...base,
          STATUS: '2',
          ERR_CODE: order.failCode ?? BODY.declined[0],
          ERR_CODE_MSG: order.failMessage ?? BODY.declined[1],
        },
      };
  }
};

/** 撤销: an unpaid order is closed; a paid one is reversed (refunded in full). */
const cancel: Handler = (ctx, body) => {
  const order = lookup(ctx, body);
  if (!order) return { negative: NEGATIVE.noOrder };
  if (order.state === 'pending' || order.state === 'paying') {
    ctx.platform.markFailed(order, 'closed', BODY.closed[0], BODY.closed[1]);
    return { body: { ...orderFields(order), STATUS: '1' } };
  }
  if (order.state === 'paid' && order.refunded === '0') {
    ctx.platform.addRefund(
      {
        merchantNo: order.merchantNo,
        refundMerchantOrderId: `cancel-${order.merchantOrderId}`,
        refundPlatformOrderId: ctx.platform.issueId('8', 20),
        platformOrderId: order.platformOrderId,
        merchantOrderId: order.merchantOrderId,
        amount: order.amount,
        createdAt: ctx.now,
        state: 'accepted',
      },
      order,
    );
    return { body: { ...orderFields(order), STATUS: '1' } };
  }
  return { body: { ...orderFields(order), ...errorBody(order.state === 'closed' ? BODY.closed : BODY.badState) } };
};

/** 关闭: only an unpaid order can be closed. */
const close: Handler = (ctx, body) => {
  const order = lookup(ctx, body);
  if (!order) return { negative: NEGATIVE.noOrder };
  if (order.state === 'pending' || order.state === 'paying') {
    ctx.platform.markFailed(order, 'closed', BODY.closed[0], BODY.closed[1]);
    return { body: { ...orderFields(order), STATUS: '1' } };
  }
  return { body: { ...orderFields(order), ...errorBody(order.state === 'closed' ? BODY.closed : BODY.badState) } };
};

function refundFields(r: {
  refundPlatformOrderId: string;
  amount: string;
  createdAt: number;
  refundMerchantOrderId: string;
}): Record<string, unknown> {
  return {
    REFUND_ORDERNO: r.refundPlatformOrderId,
    AMT: r.amount,
    REFUND_TIME: dashedTime(r.createdAt),
    REFUND_MERORDERID: r.refundMerchantOrderId,
  };
}

/** 退款: partial or full, never beyond the paid amount minus earlier refunds. */
const refund: Handler = (ctx, body) => {
  const order = lookup(ctx, body);
  if (!order) return { negative: NEGATIVE.noOrder };
  const refundMer = field(body, 'REFUND_MERORDERID');
  const amount = field(body, 'AMT');
  const echo = { REFUND_ORDERNO: '', AMT: amount, REFUND_TIME: dashedTime(ctx.now), REFUND_MERORDERID: refundMer };
  if (ctx.platform.findRefund(ctx.merchant.merchantNo, { refundMerchantOrderId: refundMer })) {
    return { body: { ...echo, ...errorBody(BODY.duplicate) } };
  }
  if (order.state !== 'paid')
    return { body: { ...echo, ...errorBody(order.state === 'closed' ? BODY.closed : BODY.badState) } };
  if (fen(amount) <= 0n || fen(amount) > fen(order.amount) - fen(order.refunded)) {
    return { body: { ...echo, ...errorBody(BODY.refundTooMuch) } };
  }
  const record = {
    merchantNo: order.merchantNo,
    refundMerchantOrderId: refundMer,
    refundPlatformOrderId: ctx.platform.issueId('8', 20),
    platformOrderId: order.platformOrderId,
    merchantOrderId: order.merchantOrderId,
    amount,
    createdAt: ctx.now,
    state: 'accepted' as const,
  };
  ctx.platform.addRefund(record, order);
  return { body: { ...refundFields(record), STATUS: '1' } };
};

const refundQuery: Handler = (ctx, body): HandlerResult => {
  const by = {
    refundPlatformOrderId: field(body, 'REFUND_ORDERNO') || undefined,
    refundMerchantOrderId: field(body, 'REFUND_MERORDERID') || undefined,
  };
  if (!by.refundPlatformOrderId && !by.refundMerchantOrderId)
    return { negative: `${NEGATIVE.parameter}: REFUND_ORDERNO or REFUND_MERORDERID is required` };
  const r = ctx.platform.findRefund(ctx.merchant.merchantNo, by);
  if (!r) return { negative: NEGATIVE.noOrder };
  return { body: { ...refundFields(r), STATUS: r.state === 'accepted' ? '1' : '2' } };
};

export const scanHandlers: Record<string, Handler> = {
  'scan.wechatOrder': preOrder,
  'scan.wechatH5': preOrder,
  'scan.alipayOrder': preOrder,
  'scan.alipayStaticCode': preOrder,
  'scan.alipayDynamicCode': preOrder,
  'scan.alipayH5': preOrder,
  'scan.qqOrder': preOrder,
  'scan.jdOrder': preOrder,
  'scan.unionPayWalletOrder': preOrder,
  'scan.wechatMicropay': micropay,
  'scan.alipayMicropay': micropay,
  'scan.qqMicropay': micropay,
  'scan.query': query,
  'scan.cancel': cancel,
  'scan.close': close,
  'scan.refund': refund,
  'scan.refundQuery': refundQuery,
};
