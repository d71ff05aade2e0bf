// The inspection and control API under /_sandbox/ (README "Inspection API"): credentials,
// orders, payouts, SMS codes, notification attempts, the log, faults, and settling an order as a
// customer would (pay / decline / expire), so tests and the demo drive the sandbox without a browser.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type FaultRequest, parseFaultMatch, parseFaultSpec, type Faults } from './faults.js';
import { parseInput, readBody, redirect, sendHtml, sendJson } from './http-util.js';
import type { EnvelopeFamily, PaymentOrder } from './model.js';
import type { Notifier } from './notifier.js';
import { handleLostRoutes } from './lost-notifications.js';
import { errorPage, paymentPage, resultPage } from './pages.js';
import type { Platform } from './platform.js';
import { compactTime } from './time.js';

export interface ControlContext {
  platform: Platform;
  faults: Faults;
  notifier: Notifier;
  baseUrl: () => string;
}

const FAMILIES = new Set(['scan', 'quickPay', 'gateway']);

/** The test merchant's credentials and endpoints: the contract of GET /_sandbox/merchant. */
export function merchantCredentials(ctx: ControlContext): Record<string, unknown> {
  const m = ctx.platform.testMerchant();
  const base = ctx.baseUrl();
  return {
    merchantNo: m.merchantNo,
    terminalNo: m.terminalNo,
    key: m.key,
    platformPublicKey: ctx.platform.state.platformKeys.publicKeyPem,
    merchantPrivateKey: m.privateKeyPem,
    merchantPublicKey: m.publicKeyPem,
    endpoints: {
      quickPay: `${base}/quickpay`,
      scan: `${base}/scan`,
      gateway: `${base}/gateway`,
      payout: `${base}/payout`,
    },
  };
}

/** The §5.5 browser-return parameters appended to JUMP_URL (never proof of payment). */
export function browserReturnUrl(order: PaymentOrder, now: number): string | undefined {
  if (!order.jumpUrl) return undefined;
  const status =
    order.state === 'paid'
      ? '1'
      : order.state === 'refunded'
        ? '3'
        : order.state === 'pending' || order.state === 'paying'
          ? '0'
          : '2';
  const params = new URLSearchParams({
    STATUS: status,
    ...(status === '2' ? { ERRCODE: order.failCode ?? 'S1', ERRMSG: order.failMessage ?? '支付失败' } : {}),
    LIST_ID: order.platformOrderId,
    MERORDERID: order.merchantOrderId,
    AMT: order.amount,
    ...(order.goodsName !== undefined ? { GOODSNAME: order.goodsName } : {}),
    PAY_CHANNEL: order.payChannel ?? 'YLBILL-NET-B2C',
    PAY_DATE: order.paidAt !== undefined ? compactTime(order.paidAt) : '',
    NOTIFY_DATE: compactTime(now),
    ...(order.remark !== undefined ? { REMARK: order.remark } : {}),
  });
  return `${order.jumpUrl}${order.jumpUrl.includes('?') ? '&' : '?'}${params.toString()}`;
}

function view(ctx: ControlContext, order: PaymentOrder): Record<string, unknown> {
  const refunds = ctx.platform.state.refunds.filter(
    (r) => r.merchantNo === order.merchantNo && r.platformOrderId === order.platformOrderId,
  );
  const returnUrl = order.family === 'gateway' ? browserReturnUrl(order, ctx.platform.now()) : undefined;
  return { ...order, refunds, ...(returnUrl ? { returnUrl } : {}) };
}

function filterBy<T extends object>(items: T[], url: URL, keys: string[]): T[] {
  return items.filter((item) =>
    keys.every((k) => {
      const want = url.searchParams.get(k);
      return want === null || String((item as Record<string, unknown>)[k]) === want;
    }),
  );
}

type Settle = 'pay' | 'decline' | 'expire';

function settle(ctx: ControlContext, order: PaymentOrder, verb: Settle): string | undefined {
  ctx.platform.settle(order, ctx.platform.now());
  if (order.state !== 'pending' && order.state !== 'paying')
    return `order ${order.merchantOrderId} is ${order.state}: it can no longer be ${verb === 'pay' ? 'paid' : verb === 'decline' ? 'declined' : 'expired'}`;
  if (verb === 'pay') ctx.platform.markPaid(order);
  else if (verb === 'decline') ctx.platform.markFailed(order, 'failed', 'S1', '支付失败');
  else ctx.platform.markFailed(order, 'closed', 'D4', '订单已关闭');
  return undefined;
}

/** Handles /_sandbox/*; returns false when the path is not one of its routes. */
export async function handleControl(
  ctx: ControlContext,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<boolean> {
  const { platform, faults } = ctx;
  const path = url.pathname;
  const method = req.method ?? 'GET';
  platform.tick();
  if (path.startsWith('/_sandbox/notifications/') && (await handleLostRoutes(ctx, req, res, url))) return true;

  if (method === 'GET' && path === '/_sandbox/merchant') {
    sendJson(res, 200, merchantCredentials(ctx));
    return true;
  }
  if (method === 'POST' && path === '/_sandbox/merchants') {
    // Registers (or updates) a merchant at run time: agency mode, another MD5 key, a payout public key.
    let input: Record<string, unknown>;
    try {
      input = parseInput(await readBody(req), 'application/json');
      const merchant = {
        merchantNo: input.merchantNo,
        terminalNo: input.terminalNo,
        key: input.key,
        agentNo: input.agentNo,
        agentKey: input.agentKey,
        publicKeyPem: input.publicKeyPem,
      };
      for (const k of ['merchantNo', 'terminalNo', 'key'] as const) {
        if (typeof merchant[k] !== 'string' || merchant[k] === '')
          throw new TypeError(`${k}: must be a non-empty string`);
      }
      for (const k of ['agentNo', 'agentKey', 'publicKeyPem'] as const) {
        if (merchant[k] !== undefined && (typeof merchant[k] !== 'string' || merchant[k] === ''))
          throw new TypeError(`${k}: must be a non-empty string when given`);
      }
      if (merchant.agentNo !== undefined && merchant.agentKey === undefined)
        throw new TypeError('agentKey: required with agentNo (agency mode signs with the agent key)');
      const added = platform.addMerchant(
        Object.fromEntries(Object.entries(merchant).filter(([, v]) => v !== undefined)) as unknown as Parameters<
          Platform['addMerchant']
        >[0],
      );
      sendJson(res, 201, {
        merchantNo: added.merchantNo,
        terminalNo: added.terminalNo,
        agentNo: added.agentNo ?? null,
        payout: added.publicKeyPem ? 'registered' : 'no public key',
      });
    } catch (err) {
      sendJson(res, 400, { error: (err as Error).message });
    }
    return true;
  }
  if (method === 'GET' && path === '/_sandbox/orders') {
    sendJson(
      res,
      200,
      filterBy(platform.state.orders, url, ['merchantNo', 'family', 'state', 'merchantOrderId']).map((o) =>
        view(ctx, o),
      ),
    );
    return true;
  }
  let m = /^\/_sandbox\/orders\/([^/]+)(?:\/(pay|decline|expire))?$/.exec(path);
  if (m) {
    const merchantOrderId = decodeURIComponent(m[1]!);
    const verb = m[2] as Settle | undefined;
    if (method === 'GET' && !verb) {
      const order = platform.findAnyOrder(
        merchantOrderId,
        url.searchParams.get('merchantNo') ?? undefined,
        (url.searchParams.get('family') ?? undefined) as EnvelopeFamily | undefined,
      );
      if (!order) sendJson(res, 404, { error: `no order ${merchantOrderId}` });
      else sendJson(res, 200, view(ctx, order));
      return true;
    }
    if (method === 'POST' && verb) {
      let input: Record<string, unknown>;
      try {
        input = parseInput(await readBody(req), req.headers['content-type']);
      } catch (err) {
        sendJson(res, 400, { error: (err as Error).message });
        return true;
      }
      const pick = (k: string): string | undefined => {
        const v = input[k] ?? url.searchParams.get(k) ?? undefined;
        return typeof v === 'string' && v !== '' ? v : undefined;
      };
      const family = pick('family');
      if (family && !FAMILIES.has(family)) {
        sendJson(res, 400, { error: 'family: must be scan, quickPay or gateway' });
        return true;
      }
      const order = platform.findAnyOrder(merchantOrderId, pick('merchantNo'), family as EnvelopeFamily | undefined);
      const wantsPage = pick('redirect') === '1';
      if (!order) {
        if (wantsPage) sendHtml(res, 404, errorPage(`no order ${merchantOrderId}`));
        else sendJson(res, 404, { error: `no order ${merchantOrderId}` });
        return true;
      }
      const problem = settle(ctx, order, verb);
      if (wantsPage) {
        // Gateway: JUMP_URL with the §5.5 parameters; scan H5 and UnionPay quick pay: JUMP_URL as is
        // (quick pay §5.14.2 "不携带任何交易数据,只做展示用"), once paid.
        const back =
          order.family === 'gateway'
            ? browserReturnUrl(order, platform.now())
            : order.state === 'paid'
              ? order.jumpUrl
              : undefined;
        if (!problem && back) redirect(res, back);
        else sendHtml(res, problem ? 409 : 200, problem ? errorPage(problem) : resultPage(order));
        return true;
      }
      if (problem) sendJson(res, 409, { error: problem, order: view(ctx, order) });
      else sendJson(res, 200, view(ctx, order));
      return true;
    }
  }
  m = /^\/_sandbox\/pay\/([^/]+)\/([^/]+)$/.exec(path);
  if (method === 'GET' && m) {
    const order = platform.findByPlatformId(decodeURIComponent(m[1]!), decodeURIComponent(m[2]!));
    if (!order) sendHtml(res, 404, errorPage('没有该订单'));
    else sendHtml(res, 200, paymentPage(order));
    return true;
  }
  if (method === 'GET' && path === '/_sandbox/payouts') {
    sendJson(res, 200, filterBy(platform.state.payouts, url, ['merchantNo', 'orderNo', 'payState']));
    return true;
  }
  m = /^\/_sandbox\/payouts\/([^/]+)\/(succeed|fail)$/.exec(path);
  if (method === 'POST' && m) {
    const p = platform.findPayout(url.searchParams.get('merchantNo') ?? platform.testMerchant().merchantNo, {
      orderNo: decodeURIComponent(m[1]!),
    });
    if (!p) {
      sendJson(res, 404, { error: `no payout ${m[1]}` });
      return true;
    }
    if (p.steps.length === 0) {
      sendJson(res, 409, { error: `payout ${p.orderNo} is final (PAYSTATE ${p.payState})`, payout: p });
      return true;
    }
    p.steps = [{ at: platform.now(), to: m[2] === 'succeed' ? 1 : 3 }];
    platform.settlePayout(p, platform.now());
    sendJson(res, 200, p);
    return true;
  }
  if (path === '/_sandbox/ledger') {
    const merchant = platform.merchant(url.searchParams.get('merchantNo') ?? platform.testMerchant().merchantNo);
    if (!merchant) {
      sendJson(res, 404, { error: 'no such merchant' });
      return true;
    }
    if (method === 'PUT' || method === 'POST') {
      let input: Record<string, unknown>;
      try {
        input = parseInput(await readBody(req), req.headers['content-type']);
      } catch (err) {
        sendJson(res, 400, { error: (err as Error).message });
        return true;
      }
      for (const k of ['balance', 'advance', 'frozen', 'pendingSettlement'] as const) {
        if (input[k] === undefined) continue;
        if (typeof input[k] !== 'string' || !/^\d+$/.test(input[k] as string)) {
          sendJson(res, 400, { error: `${k}: must be integer fen as a string of digits` });
          return true;
        }
        merchant.ledger[k] = input[k] as string;
      }
      platform.changed();
    }
    sendJson(res, 200, merchant.ledger);
    return true;
  }
  if (method === 'GET' && path === '/_sandbox/sms') {
    sendJson(res, 200, filterBy(platform.state.sms, url, ['merchantNo', 'merchantOrderId', 'platformOrderId']));
    return true;
  }
  if (method === 'GET' && path === '/_sandbox/binds') {
    sendJson(res, 200, filterBy(platform.state.binds, url, ['merchantNo', 'userId', 'bindId']));
    return true;
  }
  if (method === 'GET' && path === '/_sandbox/notifications') {
    sendJson(
      res,
      200,
      filterBy(platform.state.attempts, url, ['merchantNo', 'merchantOrderId', 'family', 'notificationId']),
    );
    return true;
  }
  if (method === 'GET' && path === '/_sandbox/log') {
    sendJson(res, 200, platform.logLines);
    return true;
  }
  if (path === '/_sandbox/faults') {
    if (method === 'GET') {
      sendJson(res, 200, faults.list());
      return true;
    }
    if (method === 'DELETE') {
      sendJson(res, 200, { cleared: faults.clear(url.searchParams.get('id') ?? undefined) });
      return true;
    }
    if (method === 'POST') {
      try {
        const input = parseInput(await readBody(req), 'application/json');
        const request: FaultRequest = {
          spec: parseFaultSpec(input.fault ?? input),
          match: parseFaultMatch(input.match),
        };
        if (input.times !== undefined) request.times = input.times as number;
        sendJson(res, 201, faults.arm(request));
      } catch (err) {
        sendJson(res, 400, { error: (err as Error).message });
      }
      return true;
    }
  }
  return false;
}
