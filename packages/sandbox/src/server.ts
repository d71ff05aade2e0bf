// startSandbox: the MMSP platform on a loopback port (node:http). Routes: POST /quickpay, /scan,
// /gateway (JSON envelope, or the web_api form field for gateway pay), /payout ({ENCRYPT, SIGN});
// the inspection and control API under /_sandbox/ (control.ts).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { handleControl, merchantCredentials, type ControlContext } from './control.js';
import { gatewayHandlers } from './families/gateway.js';
import { preparePayout } from './families/payout.js';
import { quickPayHandlers } from './families/quick-pay.js';
import { scanHandlers } from './families/scan.js';
import {
  type ArmedFault,
  type FaultRequest,
  type FaultSpec,
  Faults,
  isNotificationFault,
  parseFaultMatch,
  parseFaultSpec,
} from './faults.js';
import { BodyTooLarge, readBody, send, sendHtml, sendJson } from './http-util.js';
import { prepareMd5, type PreparedRequest, type Reply } from './dispatch.js';
import type { NotificationAttempt, PaymentOrder, PayoutRecord, SmsRecord } from './model.js';
import { deliverLost, type LostFilter } from './lost-notifications.js';
import { Notifier } from './notifier.js';
import { resolveOptions, type SandboxOptions } from './options.js';
import { errorPage, indexPage } from './pages.js';
import { Platform } from './platform.js';

/**
 * The test merchant's credentials as `GET /_sandbox/merchant` answers them (contract): the
 * document's test merchant (PROTOCOL §8), the sandbox's RSA keys for payouts (PROTOCOL §6) and its
 * endpoint URLs. Spread into `createClient` / `createNodeClient` as is: the client takes the
 * top-level PEM keys as its `payout` keys.
 */
export interface SandboxMerchant {
  /** `MERNO`: `001440353999853`. */
  merchantNo: string;
  /** `TERMNO`: `84970001`. */
  terminalNo: string;
  /** The MD5 key (PROTOCOL §3): the document's test key. Sandbox only, never a production value. */
  key: string;
  /** The platform's RSA public key, PEM (SPKI): payout `ENCRYPT` is encrypted with it. */
  platformPublicKey: string;
  /** The merchant's RSA private key, PEM (PKCS#8), generated locally at first start: payout `SIGN`. */
  merchantPrivateKey: string;
  /** The merchant's RSA public key, PEM (SPKI), as registered with the platform. */
  merchantPublicKey: string;
  /** Full POST URLs of the four families on this sandbox. */
  endpoints: { quickPay: string; scan: string; gateway: string; payout: string };
}

/**
 * A running sandbox ({@link startSandbox}): its URLs, the test merchant's credentials, and in code
 * what the `/_sandbox/` inspection and control API offers over HTTP (orders, payouts, SMS codes,
 * notification attempts, settling an order as the shopper would, fault injection).
 */
export interface Sandbox {
  /** Base URL, e.g. `http://127.0.0.1:8080`. */
  readonly url: string;
  /** The TCP port it listens on (the free port picked when `port` was 0). */
  readonly port: number;
  /** The test merchant's credentials and endpoints (`GET /_sandbox/merchant`); spread into a client's configuration. */
  readonly merchant: SandboxMerchant;
  /** Full POST URLs of the four families: `quickPay`, `scan`, `gateway`, `payout`. */
  readonly endpoints: SandboxMerchant['endpoints'];
  /** Stops the server, the timers and in-flight notifications; saves the state file. */
  close(): Promise<void>;
  /** Arms a fault (same as POST /_sandbox/faults). */
  injectFault(
    fault: FaultSpec | FaultSpec['kind'],
    options?: { match?: FaultRequest['match']; times?: number },
  ): ArmedFault;
  /** Disarms every fault (same as DELETE /_sandbox/faults). */
  clearFaults(): void;
  /** Every payment order (copies; card data masked), oldest first. */
  orders(): PaymentOrder[];
  /** Every payout (copies), with the states it moves through. */
  payouts(): PayoutRecord[];
  /** Every SMS code sent (quick pay). */
  sms(): SmsRecord[];
  /** Every notification delivery attempt: status, answer, acknowledged or not, the exact text POSTed. */
  notifications(): NotificationAttempt[];
  /** The latest SMS code sent for a merchant order id (quick pay). */
  smsCode(merchantOrderId: string): string | undefined;
  /** Settles an order as the customer would (same as POST /_sandbox/orders/:id/pay|decline|expire). */
  settleOrder(
    merchantOrderId: string,
    action: 'pay' | 'decline' | 'expire',
    options?: { merchantNo?: string; family?: PaymentOrder['family'] },
  ): PaymentOrder;
  /**
   * Loses every notification of a merchant or an order from now on (fault `notify-lost`, until
   * `clearFaults()`): the merchant never hears of those payments unless it queries or they are delivered late.
   */
  loseNotifications(match: {
    merchantNo?: string;
    merchantOrderId?: string;
    family?: PaymentOrder['family'];
  }): ArmedFault;
  /** Delivers lost notifications late: to NOTIFY_URL on the retry schedule, or once to each of `urls` at the same time. */
  deliverLostNotifications(filter?: LostFilter, options?: { urls?: readonly string[] }): Promise<NotificationAttempt[]>;
  /** Resolves once no notification delivery is in flight or due within 50 ms. */
  notificationsIdle(): Promise<void>;
  /** The log lines so far (SMS codes, payments, notifications, faults), as `GET /_sandbox/log`. */
  log(): string[];
}

function isLoopbackHost(host: string | undefined): boolean {
  if (!host) return false;
  const name = host.replace(/:\d+$/, '').toLowerCase();
  return name === 'localhost' || name === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(name);
}

const FAMILY_ROUTES = { '/quickpay': 'quickPay', '/scan': 'scan', '/gateway': 'gateway' } as const;

function headerFault(req: IncomingMessage): FaultSpec | undefined {
  const raw = req.headers['x-mmsp-sandbox-fault'];
  if (typeof raw !== 'string' || raw === '') return undefined;
  return parseFaultSpec(raw.trim().startsWith('{') ? JSON.parse(raw) : raw.trim());
}

/**
 * Starts the MMSP platform on a loopback port (node:http): a real HTTP server that speaks the
 * document's wire format through `@mmsp/codec` — MD5 signatures verified and made the PHP way
 * (PROTOCOL §3), payouts decrypted and signed with RSA (PROTOCOL §6), notifications pushed to
 * `NOTIFY_URL` and retried on the document's schedules (PROTOCOL §5) — with the document's test
 * merchant (PROTOCOL §8). Routes: `POST /quickpay`, `/scan`, `/gateway` (the JSON envelope, or the
 * `web_api` form field for gateway pay), `/payout` (`{ENCRYPT, SIGN}`), and the inspection and
 * control API under `/_sandbox/`. For tests, demos and first steps; never a production target.
 *
 * @param options - Port, seed, state file, time scale, delays, more merchants… (all optional).
 * @returns The running sandbox, once it listens; `close()` stops it.
 * @throws TypeError naming a bad option (a host that is not loopback, a negative delay, …).
 *
 * @example
 * ```ts
 * import { createNodeClient } from '@mmsp/http-node';
 * import { startSandbox } from '@mmsp/sandbox';
 *
 * const sandbox = await startSandbox({ timeScale: 0.001, seed: 'my-test' }); // a free port on 127.0.0.1
 * const mmsp = createNodeClient(sandbox.merchant); // test merchant, endpoints and payout keys
 * const order = await mmsp.scan.wechatOrder({
 *   TRADETYPE: '1', AMT: '100', MERORDERID: 'ORD20250101000001', GOODSNAME: 'book',
 *   NOTIFY_URL: 'http://127.0.0.1:8080/mmsp/notify', // your receiver (loopback only)
 * });
 * console.log(order.state, order.body.URL); // 'pending', the payment page's URL
 * sandbox.settleOrder('ORD20250101000001', 'pay'); // the shopper pays: the notification is pushed
 * console.log(sandbox.orders().map((o) => `${o.merchantOrderId} ${o.state}`));
 * await sandbox.close();
 * ```
 */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const resolved = resolveOptions(options);
  const platform = new Platform(resolved);
  const faults = new Faults();
  const notifier = new Notifier(platform, faults);
  platform.onPaid((order) => notifier.enqueue(order));
  let baseUrl = '';
  const control: ControlContext = { platform, faults, notifier, baseUrl: () => baseUrl };
  const sockets = new Set<Socket>();

  const prepare = (path: string, text: string, contentType: string | undefined): PreparedRequest => {
    if (path === '/payout') return preparePayout(platform, text);
    const family = FAMILY_ROUTES[path as keyof typeof FAMILY_ROUTES];
    let envelopeText = text;
    let form = false;
    if (family === 'gateway' && contentType?.includes('application/x-www-form-urlencoded')) {
      // gateway §5.1.2: the browser POSTs a form whose hidden field web_api holds the envelope.
      envelopeText = new URLSearchParams(text).get('web_api') ?? '';
      form = true;
    }
    const handlers = family === 'scan' ? scanHandlers : family === 'quickPay' ? quickPayHandlers : gatewayHandlers;
    const prepared = prepareMd5(platform, family, envelopeText, handlers, baseUrl);
    if (!form) return prepared;
    // A browser gets a page, not JSON, whatever happened.
    const asPage = (reply: Reply): Reply =>
      reply.contentType.startsWith('text/html')
        ? reply
        : { status: 400, contentType: 'text/html; charset=utf-8', text: errorPage(reply.text) };
    return { ...prepared, run: () => asPage(prepared.run()), refuse: (c, m) => asPage(prepared.refuse(c, m)) };
  };

  const serveFamily = async (req: IncomingMessage, res: ServerResponse, path: string): Promise<void> => {
    const text = await readBody(req);
    const prepared = prepare(path, text, req.headers['content-type']);
    const what = {
      family: prepared.family,
      operation: prepared.operation,
      merchantNo: prepared.merchantNo,
      merchantOrderId: prepared.merchantOrderId,
    };
    const fault = headerFault(req) ?? faults.take(what, (k) => !isNotificationFault(k));
    if (fault)
      platform.log(
        `fault ${fault.kind} on ${prepared.operation ?? path}${prepared.merchantOrderId ? ` ${prepared.merchantOrderId}` : ''}`,
      );
    if (fault?.kind === 'latency') await sleep(fault.ms ?? 1000);
    if (fault?.kind === 'reset-before') {
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'http-error' && !fault.after) {
      send(
        res,
        fault.status ?? 502,
        'text/html; charset=utf-8',
        `<html><body><h1>${fault.status ?? 502}</h1></body></html>`,
      );
      return;
    }
    if (fault?.kind === 'retcode-0' && prepared.family !== 'payout') {
      const reply = prepared.refuse(0, '[0] 消息结构体错误');
      send(res, reply.status, reply.contentType, reply.text);
      return;
    }
    if (fault?.kind === 'not-found') {
      const refusal =
        prepared.family === 'payout'
          ? {
              status: 200,
              contentType: 'application/json; charset=utf-8',
              text: '{"RETCODE":"1028","RETMSG":"商户付款订单号不存在"}',
            }
          : prepared.refuse(0, '[-2002] 没有该订单');
      send(res, refusal.status, refusal.contentType, refusal.text);
      return;
    }
    const reply =
      fault?.kind === 'retcode-0001' && prepared.family === 'payout'
        ? ((prepared as PreparedRequest & { runUnknown?: () => Reply }).runUnknown?.() ?? prepared.run())
        : prepared.run();
    if (fault?.kind === 'reset-after') {
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'http-error') {
      send(
        res,
        fault.status ?? 502,
        'text/html; charset=utf-8',
        `<html><body><h1>${fault.status ?? 502}</h1></body></html>`,
      );
      return;
    }
    if (fault?.kind === 'html-200-after') {
      send(
        res,
        200,
        'text/html; charset=utf-8',
        '<!DOCTYPE html><html><head><title>维护中</title></head><body><h1>系统维护中</h1></body></html>',
      );
      return;
    }
    if (fault?.kind === 'garbled-after' || fault?.kind === 'bad-sign-after') {
      send(res, reply.status, reply.contentType, damage(reply.text, fault.kind));
      return;
    }
    if (fault?.kind === 'sign-in-body' && prepared.family !== 'payout') {
      send(res, reply.status, reply.contentType, signInBody(reply.text));
      return;
    }
    send(res, reply.status, reply.contentType, reply.text);
  };

  const server: Server = createServer((req, res) => {
    // Loopback only, also against DNS rebinding: a page on another origin cannot drive the sandbox.
    if (!isLoopbackHost(req.headers.host)) {
      sendJson(res, 421, {
        error: 'the sandbox answers only requests addressed to a loopback host (127.0.0.1, localhost, [::1])',
      });
      return;
    }
    const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
    const path = url.pathname.replace(/\/+$/, '') || '/';
    const task = async (): Promise<void> => {
      if (req.method === 'POST' && (path in FAMILY_ROUTES || path === '/payout')) return serveFamily(req, res, path);
      if (path.startsWith('/_sandbox/') && (await handleControl(control, req, res, url))) return;
      if (req.method === 'GET' && path === '/') return sendHtml(res, 200, indexPage(baseUrl));
      sendJson(res, 404, { error: `no route ${req.method} ${path}` });
    };
    task().catch((err: unknown) => {
      if (res.headersSent || res.destroyed) return;
      if (err instanceof BodyTooLarge) return sendJson(res, 413, { error: err.message });
      if (err instanceof SyntaxError || err instanceof TypeError) return sendJson(res, 400, { error: err.message });
      platform.log(`internal error on ${req.method} ${path}: ${(err as Error).message}`);
      sendJson(res, 500, { error: 'sandbox internal error', message: (err as Error).message });
    });
  });
  server.keepAliveTimeout = 5000;
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(resolved.port, resolved.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const hostText = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  baseUrl = `http://${hostText}:${address.port}`;
  const ticker = setInterval(() => platform.tick(), 50);
  ticker.unref();
  platform.log(`listening on ${baseUrl}`);

  const credentials = merchantCredentials(control) as unknown as SandboxMerchant;
  let closed: Promise<void> | undefined;
  return {
    url: baseUrl,
    port: address.port,
    merchant: credentials,
    endpoints: credentials.endpoints,
    close() {
      closed ??= (async () => {
        clearInterval(ticker);
        notifier.close();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          for (const s of sockets) s.destroy();
        });
        platform.save();
      })();
      return closed;
    },
    injectFault(fault, opts = {}) {
      return faults.arm({
        spec: parseFaultSpec(fault),
        match: parseFaultMatch(opts.match),
        ...(opts.times !== undefined ? { times: opts.times } : {}),
      });
    },
    clearFaults() {
      faults.clear();
    },
    orders: () => platform.state.orders.map((o) => ({ ...o })),
    payouts: () => {
      platform.tick();
      return platform.state.payouts.map((p) => ({ ...p, steps: [...p.steps] }));
    },
    sms: () => platform.state.sms.map((s) => ({ ...s })),
    notifications: () => platform.state.attempts.map((a) => ({ ...a })),
    smsCode(merchantOrderId) {
      for (let i = platform.state.sms.length - 1; i >= 0; i--) {
        if (platform.state.sms[i]!.merchantOrderId === merchantOrderId) return platform.state.sms[i]!.code;
      }
      return undefined;
    },
    settleOrder(merchantOrderId, action, opts = {}) {
      const order = platform.findAnyOrder(merchantOrderId, opts.merchantNo, opts.family);
      if (!order) throw new Error(`settleOrder: no order ${merchantOrderId}`);
      if (order.state !== 'pending' && order.state !== 'paying')
        throw new Error(`settleOrder: order ${merchantOrderId} is ${order.state}`);
      if (action === 'pay') platform.markPaid(order);
      else if (action === 'decline') platform.markFailed(order, 'failed', 'S1', '支付失败');
      else platform.markFailed(order, 'closed', 'D4', '订单已关闭');
      return { ...order };
    },
    loseNotifications(match) {
      return faults.arm({ spec: { kind: 'notify-lost' }, match: parseFaultMatch(match), times: 0 });
    },
    deliverLostNotifications: (filter = {}, opts = {}) => deliverLost(control, filter, opts.urls),
    notificationsIdle: () => notifier.idle(),
    log: () => [...platform.logLines],
  };
}

/**
 * Fault `sign-in-body`: the answer as 快捷 §5.4.3's example writes it, `"Body":{…,"Sign":"…"}` with
 * no `Sign` after the Body. The answers are written Body then Sign (buildEnvelope), so the Sign
 * moves one brace in; a negative response (Body "") is left as it is.
 */
export function signInBody(text: string): string {
  return text.replace(/\},"Sign":("[0-9A-Fa-f]{32}")/, ',"Sign":$1}');
}

/**
 * Faults `garbled-after` and `bad-sign-after`: the answer the platform built, damaged in transit.
 * A payout's `ENCRYPT` (or, with `bad-sign-after`, its `SIGN`) gets characters replaced so that it
 * still looks like base64; an MD5 answer is cut in half (garbled) or gets a different `Sign`.
 */
export function damage(text: string, kind: 'garbled-after' | 'bad-sign-after'): string {
  const flip = (value: string): string => {
    if (value.length < 8) return `${value}AAAA`;
    const at = Math.floor(value.length / 2) - 2;
    const part = value.slice(at, at + 4);
    return value.slice(0, at) + (part === 'AAAA' ? 'BBBB' : 'AAAA') + value.slice(at + 4);
  };
  const field = kind === 'garbled-after' ? /"ENCRYPT":"([^"]*)"/ : /"(?:SIGN|Sign)":"([^"]*)"/;
  const m = field.exec(text);
  if (m && m[1] !== undefined && m[1] !== '')
    return text.slice(0, m.index) + m[0].replace(m[1], flip(m[1])) + text.slice(m.index + m[0].length);
  if (kind === 'garbled-after') return text.slice(0, Math.max(1, Math.floor(text.length / 2)));
  return text.replace(/"Sign":"[^"]*"/, '"Sign":"00000000000000000000000000000000"');
}
