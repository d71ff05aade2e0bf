// Gateway 网关 (gateway §4–§5): the web_api form POST lands on a sandbox bank page (pay / decline);
// paying redirects the browser to JUMP_URL with the §5.5 parameters (control.ts), and pushes
// the notification; single and batch query.
import { BODY, NEGATIVE } from '../codes.js';
import { field, type Handler } from '../handler.js';
import type { PaymentOrder } from '../model.js';
import { errorPage, paymentPage } from '../pages.js';
import { compactTime } from '../time.js';
import { batchQuery } from './batch.js';

function resultFields(order: PaymentOrder): Record<string, unknown> {
  const status =
    order.state === 'paid'
      ? { STATUS: '1' }
      : order.state === 'refunded'
        ? { STATUS: '3' }
        : order.state === 'pending' || order.state === 'paying'
          ? { STATUS: '0' }
          : { STATUS: '2', ERRCODE: order.failCode ?? BODY.declined[0], ERRMSG: order.failMessage ?? BODY.declined[1] };
  return {
    ...status,
    LIST_ID: order.platformOrderId,
    MERORDERID: order.merchantOrderId,
    AMT: order.amount,
    ...(order.goodsName !== undefined ? { GOODSNAME: order.goodsName } : {}),
    PAY_CHANNEL: order.payChannel ?? '',
    PAY_DATE: order.paidAt !== undefined ? compactTime(order.paidAt) : '',
    NOTIFY_DATE: order.paidAt !== undefined ? compactTime(order.paidAt) : '',
    ...(order.remark !== undefined ? { REMARK: order.remark } : {}),
  };
}

/** 5.1 网关支付请求: answers the bank page (HTML), not JSON. */
const pay: Handler = (ctx, body) => {
  const mer = field(body, 'MERORDERID');
  if (ctx.platform.findOrder(ctx.merchant.merchantNo, 'gateway', mer)) {
    return {
      body: { STATUS: '2', ERRCODE: BODY.duplicate[0], ERRMSG: BODY.duplicate[1] },
      html: errorPage(`[${BODY.duplicate[0]}] ${BODY.duplicate[1]}: ${mer}`),
    };
  }
  const order = ctx.platform.addOrder({
    family: 'gateway',
    operation: ctx.operation,
    merchantNo: ctx.merchant.merchantNo,
    merchantOrderId: mer,
    platformOrderId: ctx.platform.issueId('1', 12),
    amount: field(body, 'AMT'),
    state: 'pending',
    createdAt: ctx.now,
    expiresAt: ctx.now + ctx.platform.options.orderTtlMs,
    notifyUrl: field(body, 'NOTIFY_URL'),
    jumpUrl: field(body, 'JUMP_URL'),
    payChannel: field(body, 'PAY_CHANNEL'),
    ...(body.GOODSNAME !== undefined ? { goodsName: field(body, 'GOODSNAME') } : {}),
    ...(body.REMARK !== undefined ? { remark: field(body, 'REMARK') } : {}),
    refunded: '0',
    notify: true,
  });
  return { body: { STATUS: '0', LIST_ID: order.platformOrderId }, html: paymentPage(order) };
};

/** 5.3 单笔查询. */
const query: Handler = (ctx, body) => {
  const order = ctx.platform.findOrder(ctx.merchant.merchantNo, 'gateway', field(body, 'MERORDERID'));
  if (!order) return { negative: NEGATIVE.noOrder };
  return { body: resultFields(order) };
};

/** 5.4 多笔批量查询 (the table lists card fields too; a gateway payment has none: sent empty). */
const batch: Handler = (ctx, body) =>
  batchQuery(ctx, body, 'gateway', (o) => ({
    ...resultFields(o),
    CARDNO: '',
    CARDTYPE: '',
    BIND_ID: '',
  }));

export const gatewayHandlers: Record<string, Handler> = {
  'gateway.pay': pay,
  'gateway.query': query,
  'gateway.batchQuery': batch,
};
