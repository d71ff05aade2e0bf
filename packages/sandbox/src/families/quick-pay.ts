// Quick pay 快捷支付 (quick pay §4–§5): flow A (pay → SMS confirm → query; resend at most once per
// 60 s), bind-card flows (bind SMS → bind; bound-card pay SMS → bound-card pay confirm), unbind,
// bind query, UnionPay order URL (flow C), single and batch query.
// Card outcomes are decided by test card numbers (CARD_TEST_NUMBERS). Card data is kept masked.
import { BODY, NEGATIVE } from '../codes.js';
import { field, type Handler, type HandlerContext } from '../handler.js';
import { maskCard, maskName, maskPhone } from '../mask.js';
import type { BindRecord, PaymentOrder } from '../model.js';
import { compactTime } from '../time.js';
import { batchQuery } from './batch.js';
import { payPageUrl } from './scan.js';

/** Test cards by the last four digits of CARDNO (README "Test codes"). */
export const CARD_TEST_NUMBERS = {
  '9999': 'pay answers STATUS 2 / D4 要素不匹配 (quick pay §5.3.3 example)',
  '8888': 'SMS confirm answers STATUS 2 / S1: the bank declines',
  '7777': 'the first SMS is not delivered: resend (quick pay §5.11) at once',
  other: 'SMS sent, confirm with the code → paid',
} as const;

const BANK = '招商银行';

function errorBody(code: readonly [string, string]): Record<string, string> {
  return { STATUS: '2', ERRCODE: code[0], ERRMSG: code[1] };
}

function sendSms(ctx: HandlerContext, order: PaymentOrder, phone: string, purpose: 'pay' | 'boundPay'): void {
  ctx.platform.sendSms({
    merchantNo: order.merchantNo,
    platformOrderId: order.platformOrderId,
    merchantOrderId: order.merchantOrderId,
    phone: maskPhone(phone),
    purpose,
  });
  order.smsSentAt = ctx.now;
}

function newOrder(ctx: HandlerContext, body: Record<string, unknown>, extra: Partial<PaymentOrder>): PaymentOrder {
  return {
    family: 'quickPay',
    operation: ctx.operation,
    merchantNo: ctx.merchant.merchantNo,
    merchantOrderId: field(body, 'MERORDERID'),
    platformOrderId: ctx.platform.issueId('1', 12),
    amount: field(body, 'AMT'),
    state: 'pending',
    createdAt: ctx.now,
    expiresAt: ctx.now + ctx.platform.options.orderTtlMs,
    refunded: '0',
    notify: true,
    ...(field(body, 'NOTIFY_URL') ? { notifyUrl: field(body, 'NOTIFY_URL') } : {}),
    ...extra,
  };
}

const isDuplicate = (ctx: HandlerContext, body: Record<string, unknown>): boolean =>
  ctx.platform.findOrder(ctx.merchant.merchantNo, 'quickPay', field(body, 'MERORDERID')) !== undefined;

function dates(order: PaymentOrder): Record<string, string> {
  return {
    PAY_DATE: order.paidAt !== undefined ? compactTime(order.paidAt) : '',
    NOTIFY_DATE: order.paidAt !== undefined ? compactTime(order.paidAt) : '',
  };
}

/** Query STATUS (quick pay §5.7.3): 0 pending, 1 paid, 2 failed, 3 refunded. */
function statusFields(order: PaymentOrder): Record<string, string> {
  switch (order.state) {
    case 'pending':
    case 'paying':
      return { STATUS: '0' };
    case 'paid':
      return { STATUS: '1' };
    case 'refunded':
      return { STATUS: '3' };
    case 'closed':
      return errorBody(BODY.closed);
    case 'failed':
      return {
        STATUS: '2',
        ERRCODE: order.failCode ?? BODY.declined[0],
        ERRMSG: order.failMessage ?? BODY.declined[1],
      };
  }
}

/** 5.3 快捷支付交易: creates the order and sends the SMS code. */
const pay: Handler = (ctx, body) => {
  const mer = field(body, 'MERORDERID');
  if (isDuplicate(ctx, body)) return { body: { MERORDERID: mer, LIST_ID: '', ...errorBody(BODY.duplicate) } };
  const card = field(body, 'CARDNO');
  if (
    field(body, 'CARDTYPE') === '2' &&
    (!/^\d{4}$/.test(field(body, 'EXPDATE')) || !/^\d{3}$/.test(field(body, 'CVN2')))
  ) {
    return { negative: `${NEGATIVE.parameter}: EXPDATE and CVN2 are required when CARDTYPE is 2` };
  }
  const userId = field(body, 'USER_ID');
  const order = ctx.platform.addOrder(
    newOrder(ctx, body, {
      cardMasked: maskCard(card),
      cardType: field(body, 'CARDTYPE'),
      bankName: BANK,
      phoneMasked: maskPhone(field(body, 'PHONENO')),
      ...(userId ? { userId, bindId: ctx.platform.issueId('', 8) } : {}),
    }),
  );
  const head = {
    LIST_ID: order.platformOrderId,
    MERORDERID: mer,
    AMT: order.amount,
    BANK_NAME: BANK,
    CARDNO: order.cardMasked!,
    ...dates(order),
  };
  if (card.endsWith('9999')) {
    ctx.platform.markFailed(order, 'failed', BODY.mismatch[0], BODY.mismatch[1]);
    return { body: { ...head, ...errorBody(BODY.mismatch) } };
  }
  if (userId) {
    const bind: BindRecord = {
      merchantNo: order.merchantNo,
      bindId: order.bindId!,
      userId,
      platformOrderId: order.platformOrderId,
      cardMasked: order.cardMasked!,
      cardType: order.cardType!,
      nameMasked: maskName(field(body, 'NAME')),
      phoneMasked: order.phoneMasked!,
      state: 'binding',
      createdAt: ctx.now,
    };
    ctx.platform.addBind(bind);
  }
  if (card.endsWith('7777'))
    ctx.platform.log(`SMS for ${order.platformOrderId} (${mer}) not delivered (test card …7777): resend it`);
  else sendSms(ctx, order, field(body, 'PHONENO'), 'pay');
  return { body: { ...head, STATUS: '0', ...(order.bindId ? { BIND_ID: order.bindId } : {}) } };
};

function checkCode(ctx: HandlerContext, order: PaymentOrder, code: string): boolean {
  const sms = ctx.platform.latestSms(order.merchantNo, order.platformOrderId);
  return sms !== undefined && sms.code === code;
}

function complete(ctx: HandlerContext, order: PaymentOrder): void {
  ctx.platform.markPaid(order);
  if (order.bindId) {
    const bind = ctx.platform.findBind(order.merchantNo, order.bindId);
    if (bind && bind.state === 'binding') bind.state = 'bound';
  }
}

/** 5.4 交易短信确认. */
const confirmSms: Handler = (ctx, body) => {
  const listId = field(body, 'LIST_ID');
  const order = ctx.platform.findByPlatformId(ctx.merchant.merchantNo, listId);
  if (!order || order.family !== 'quickPay') return { negative: NEGATIVE.noOrder };
  if (order.state === 'paid') return { body: { STATUS: '1', LIST_ID: listId } };
  if (order.state !== 'pending') return { body: { LIST_ID: listId, ...statusFields(order) } };
  if (!checkCode(ctx, order, field(body, 'MSG_CODE'))) return { body: { LIST_ID: listId, ...errorBody(BODY.smsCode) } };
  if (order.cardMasked?.endsWith('8888')) {
    ctx.platform.markFailed(order, 'failed', BODY.declined[0], BODY.declined[1]);
    return { body: { LIST_ID: listId, ...errorBody(BODY.declined) } };
  }
  complete(ctx, order);
  return { body: { STATUS: '1', LIST_ID: listId } };
};

/** 5.11 短信重发: at most once per smsResendIntervalMs (60 s). */
const resendSms: Handler = (ctx, body) => {
  const listId = field(body, 'LIST_ID');
  const order = ctx.platform.findByPlatformId(ctx.merchant.merchantNo, listId);
  if (!order || order.family !== 'quickPay') return { negative: NEGATIVE.noOrder };
  if (order.state !== 'pending')
    return { body: { LIST_ID: listId, ...errorBody(order.state === 'closed' ? BODY.closed : BODY.badState) } };
  if (order.smsSentAt !== undefined && ctx.now - order.smsSentAt < ctx.platform.options.smsResendIntervalMs) {
    return { body: { LIST_ID: listId, ...errorBody(BODY.smsTooSoon) } };
  }
  sendSms(
    ctx,
    order,
    order.phoneMasked ?? '',
    order.bindId && order.operation === 'quickPay.boundPaySms' ? 'boundPay' : 'pay',
  );
  return { body: { STATUS: '1', LIST_ID: listId } };
};

function queryFields(order: PaymentOrder): Record<string, unknown> {
  return {
    ...statusFields(order),
    LIST_ID: order.platformOrderId,
    MERORDERID: order.merchantOrderId,
    ...dates(order),
    CARDNO: order.cardMasked ?? '',
    AMT: order.amount,
    CARDTYPE: order.cardType ?? '',
    ...(order.bindId ? { BIND_ID: order.bindId } : {}),
  };
}

/** 5.7 单笔交易查询. */
const query: Handler = (ctx, body) => {
  const order = ctx.platform.findOrder(ctx.merchant.merchantNo, 'quickPay', field(body, 'MERORDERID'));
  if (!order) return { negative: NEGATIVE.noOrder };
  return { body: queryFields(order) };
};

/** 5.9 多笔批量查询. */
const batch: Handler = (ctx, body) =>
  batchQuery(ctx, body, 'quickPay', (o) => ({ ...queryFields(o), BIND_ID: o.bindId ?? '' }));

/** 5.1 鉴权绑卡短信 (not yet opened by the platform; served anyway). */
const bindSms: Handler = (ctx, body) => {
  const bind: BindRecord = {
    merchantNo: ctx.merchant.merchantNo,
    bindId: ctx.platform.issueId('', 8),
    userId: field(body, 'USER_ID'),
    platformOrderId: ctx.platform.issueId('1', 12),
    cardMasked: maskCard(field(body, 'CARDNO')),
    cardType: '1',
    nameMasked: '',
    phoneMasked: maskPhone(field(body, 'PHONENO')),
    state: 'binding',
    createdAt: ctx.now,
  };
  ctx.platform.addBind(bind);
  ctx.platform.sendSms({
    merchantNo: bind.merchantNo,
    platformOrderId: bind.platformOrderId,
    merchantOrderId: field(body, 'MERORDERID'),
    phone: bind.phoneMasked,
    purpose: 'bind',
  });
  return {
    body: {
      STATUS: '1',
      USER_ID: bind.userId,
      MERORDERID: field(body, 'MERORDERID'),
      CARDNO: bind.cardMasked,
      LIST_ID: bind.platformOrderId,
    },
  };
};

/** 5.2 鉴权绑卡: confirms the binding with the code of 5.1. */
const bind: Handler = (ctx, body) => {
  const userId = field(body, 'USER_ID');
  const mer = field(body, 'MERORDERID');
  const sms = [...ctx.platform.state.sms]
    .reverse()
    .find((s) => s.merchantNo === ctx.merchant.merchantNo && s.purpose === 'bind' && s.merchantOrderId === mer);
  const record =
    sms && ctx.platform.state.binds.find((b) => b.platformOrderId === sms.platformOrderId && b.userId === userId);
  const head = { USER_ID: userId, MERORDERID: mer, CARDNO: maskCard(field(body, 'CARDNO')) };
  if (!record || record.state !== 'binding')
    return { body: { ...head, LIST_ID: '', BIND_ID: '', ...errorBody(BODY.noBind) } };
  if (sms.code !== field(body, 'MSG_CODE'))
    return { body: { ...head, LIST_ID: record.platformOrderId, BIND_ID: '', ...errorBody(BODY.smsCode) } };
  record.state = 'bound';
  record.cardType = field(body, 'CARDTYPE');
  record.nameMasked = maskName(field(body, 'NAME'));
  ctx.platform.changed();
  return { body: { ...head, STATUS: '1', LIST_ID: record.platformOrderId, BIND_ID: record.bindId } };
};

function boundBind(ctx: HandlerContext, body: Record<string, unknown>): BindRecord | undefined {
  const b = ctx.platform.findBind(ctx.merchant.merchantNo, field(body, 'BIND_ID'));
  if (!b || b.state !== 'bound') return undefined;
  if (field(body, 'USER_ID') && b.userId !== field(body, 'USER_ID')) return undefined;
  return b;
}

/** 5.6 解绑. */
const unbind: Handler = (ctx, body) => {
  const b = boundBind(ctx, body);
  if (!b) return { body: errorBody(BODY.noBind) };
  b.state = 'unbound';
  ctx.platform.changed();
  return { body: { STATUS: '1' } };
};

/** 5.8 绑卡查询 (card data masked; ID_NO, EXPDATE and CVN2 are never kept). */
const bindQuery: Handler = (ctx, body) => {
  const b = ctx.platform.findBind(ctx.merchant.merchantNo, field(body, 'BIND_ID'));
  if (!b) return { body: { BIND_ID: field(body, 'BIND_ID'), ...errorBody(BODY.noBind) } };
  const fields = {
    LIST_ID: b.platformOrderId,
    CARDNO: b.cardMasked,
    CARDTYPE: b.cardType,
    NAME: b.nameMasked,
    ID_NO: '',
    PHONENO: b.phoneMasked,
    BIND_ID: b.bindId,
  };
  return { body: b.state === 'bound' ? { STATUS: '1', ...fields } : { ...fields, ...errorBody(BODY.noBind) } };
};

/** 5.13 绑卡支付短信: creates the order on the bound card and sends the code. */
const boundPaySms: Handler = (ctx, body) => {
  const mer = field(body, 'MERORDERID');
  const head = { USER_ID: field(body, 'USER_ID'), MERORDERID: mer };
  const b = boundBind(ctx, body);
  if (!b) return { body: { ...head, LIST_ID: '', CARDNO: '', ...errorBody(BODY.noBind) } };
  if (isDuplicate(ctx, body))
    return { body: { ...head, LIST_ID: '', CARDNO: b.cardMasked, ...errorBody(BODY.duplicate) } };
  const order = ctx.platform.addOrder(
    newOrder(ctx, body, {
      cardMasked: b.cardMasked,
      cardType: b.cardType,
      bankName: BANK,
      phoneMasked: maskPhone(field(body, 'PHONENO')),
      userId: b.userId,
      bindId: b.bindId,
    }),
  );
  sendSms(ctx, order, field(body, 'PHONENO'), 'boundPay');
  return { body: { ...head, STATUS: '1', LIST_ID: order.platformOrderId, CARDNO: b.cardMasked } };
};

/** 5.12 快捷绑卡支付确认. STATUS 0 unknown, 1 paid, 2 failed, 3 refunded. */
const boundPayConfirm: Handler = (ctx, body) => {
  const mer = field(body, 'MERORDERID');
  const order = ctx.platform.findOrder(ctx.merchant.merchantNo, 'quickPay', mer);
  if (!order) return { negative: NEGATIVE.noOrder };
  const fields = () => ({
    USER_ID: order.userId ?? field(body, 'USER_ID'),
    BIND_ID: order.bindId ?? '',
    LIST_ID: order.platformOrderId,
    MERORDERID: mer,
    ...dates(order),
    AMT: order.amount,
    BANK_NAME: order.bankName ?? BANK,
    CARDNO: order.cardMasked ?? '',
  });
  if (order.bindId !== field(body, 'BIND_ID') || order.amount !== field(body, 'AMT')) {
    return { body: { ...fields(), ...errorBody(BODY.badState) } };
  }
  if (order.state !== 'pending') return { body: { ...fields(), ...statusFields(order) } };
  if (!checkCode(ctx, order, field(body, 'MSG_CODE'))) return { body: { ...fields(), ...errorBody(BODY.smsCode) } };
  if (field(body, 'NOTIFY_URL')) order.notifyUrl = field(body, 'NOTIFY_URL');
  complete(ctx, order);
  return { body: { ...fields(), STATUS: '1' } };
};

/** 5.14 银联快捷支付下单 (flow C): a URL (TRADE_MODE 1) or HTML (2) opening the sandbox payment page. */
const unionPayOrder: Handler = (ctx, body) => {
  const mer = field(body, 'MERORDERID');
  if (isDuplicate(ctx, body)) return { body: { MERORDERID: mer, LIST_ID: '', ...errorBody(BODY.duplicate) } };
  const card = field(body, 'CARDNO');
  const order = ctx.platform.addOrder(
    newOrder(ctx, body, {
      jumpUrl: field(body, 'JUMP_URL'),
      ...(card ? { cardMasked: maskCard(card), cardType: '1', bankName: BANK } : {}),
    }),
  );
  const url = payPageUrl(ctx.baseUrl, order);
  const html =
    field(body, 'TRADE_MODE') === '2'
      ? {
          HTML: `<html><head><meta http-equiv="refresh" content="0;url=${url}"></head><body><a href="${url}">银联快捷支付</a></body></html>`,
        }
      : {};
  return {
    body: {
      STATUS: '0',
      LIST_ID: order.platformOrderId,
      MERORDERID: mer,
      ...dates(order),
      PAY_URL: url,
      AMT: order.amount,
      ...html,
    },
  };
};

export const quickPayHandlers: Record<string, Handler> = {
  'quickPay.pay': pay,
  'quickPay.confirmSms': confirmSms,
  'quickPay.query': query,
  'quickPay.batchQuery': batch,
  'quickPay.resendSms': resendSms,
  'quickPay.bindSms': bindSms,
  'quickPay.bind': bind,
  'quickPay.unbind': unbind,
  'quickPay.bindQuery': bindQuery,
  'quickPay.boundPaySms': boundPaySms,
  'quickPay.boundPayConfirm': boundPayConfirm,
  'quickPay.unionPayOrder': unionPayOrder,
};
