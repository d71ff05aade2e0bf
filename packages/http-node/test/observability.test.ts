/**
 * Issue #15 items 1–3 over real sockets: createNodeClient → node:http → @mmsp/sandbox. Request
 * metadata on results and on errors (timeouts, refusals, bad signatures, HTTP errors, outcomes
 * unknown), the hooks' events and their order, a throwing hook that breaks nothing, the
 * diagnostics channels (published only while subscribed), and no secret or card data in any event.
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  MmspBusinessError,
  MmspProtocolError,
  MmspSignatureError,
  MmspTransportError,
  MmspValidationError,
  type MmspClient,
  type MmspHooks,
  type MmspNotificationEvent,
  type MmspRequestEvent,
  type MmspResponseEvent,
  type MmspRetryEvent,
} from '@mmsp/client';
import { startSandbox, type Sandbox, type SandboxMerchant } from '../../sandbox/src/index.js';
import { diagnosticsHooks } from '../src/diagnostics.js';
import {
  MMSP_DIAGNOSTICS_CHANNELS,
  MmspOutcomeUnknownError,
  createNodeClient,
  createNotificationHandler,
} from '../src/index.js';

type AnyEvent = MmspRequestEvent | MmspResponseEvent | MmspRetryEvent | MmspNotificationEvent;

let sb: Sandbox;
let merchant: SandboxMerchant;
let client: MmspClient;
const events: AnyEvent[] = [];
const silent = { debug() {}, info() {}, warn() {}, error() {} };
let seq = 0;
const orderId = (prefix: string) => `${prefix}${Date.now() % 1e9}${++seq}`;
const digitsId = () => `${Date.now()}${String(++seq).padStart(4, '0')}`;
const recorder: MmspHooks = {
  onRequest: (e) => void events.push(e),
  onResponse: (e) => void events.push(e),
  onRetry: (e) => void events.push(e),
  onNotification: (e) => void events.push(e),
};
const ofCall = (callId: number) => events.filter((e) => 'callId' in e && e.callId === callId);
const responses = (operation: string) =>
  events.filter((e): e is MmspResponseEvent => e.type === 'response' && e.operation === operation);

async function until<T>(what: string, probe: () => T | undefined, timeoutMs = 10_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const scanOrder = (id: string) =>
  ({ TRADETYPE: '1', AMT: '100', MERORDERID: id, GOODSNAME: 'book', NOTIFY_URL: 'http://127.0.0.1:9/notify' }) as never;
const payoutBody = (orderNo: string) =>
  ({
    ORDERNO: orderNo,
    AMT: '2000',
    BUSIYPE: '001',
    ACCNAME: '王五',
    ACCNO: '6222020200112231111',
    MEMO: 'salary',
    ACCTYPE: '0',
    MOBILE: '13800138000',
    BANKNAME: '工商银行',
  }) as never;

beforeAll(async () => {
  sb = await startSandbox({ port: 0, timeScale: 0.001, micropayDelayMs: 50, payoutDelayMs: 50 });
  merchant = (await (await fetch(`${sb.url}/_sandbox/merchant`)).json()) as SandboxMerchant;
  client = createNodeClient({
    merchantNo: merchant.merchantNo,
    terminalNo: merchant.terminalNo,
    key: merchant.key,
    endpoints: merchant.endpoints,
    payout: { platformPublicKey: merchant.platformPublicKey, merchantPrivateKey: merchant.merchantPrivateKey },
    timeoutMs: 5_000,
    logger: silent,
    hooks: recorder,
  });
});
afterAll(async () => {
  await sb?.close();
});
beforeEach(() => {
  events.length = 0;
});

describe('metadata on results', () => {
  it('an MD5 call: SeqID, operation, family, URL, HTTP 200, elapsed time, one attempt — and the hooks saw the same', async () => {
    const result = await client.scan.wechatOrder(scanOrder(orderId('M')));
    expect(result.meta).toMatchObject({
      operation: 'scan.wechatOrder',
      family: 'scan',
      url: merchant.endpoints.scan,
      httpStatus: 200,
      attempts: 1,
    });
    expect(Number.isInteger(result.meta.seqId)).toBe(true);
    expect(result.meta.elapsedMs).toBeGreaterThanOrEqual(0);
    // The platform echoes the request's SeqID in its answer (PROTOCOL §2).
    expect((JSON.parse(result.raw) as { SeqID: unknown }).SeqID).toBe(result.meta.seqId);
    const [request, response] = events as [MmspRequestEvent, MmspResponseEvent];
    expect(events).toHaveLength(2);
    expect(request).toMatchObject({
      type: 'request',
      operation: 'scan.wechatOrder',
      family: 'scan',
      url: merchant.endpoints.scan,
      seqId: result.meta.seqId,
      attempt: 1,
    });
    expect(request.meta).toMatchObject({ attempts: 0, httpStatus: undefined });
    expect(request.fields).toMatchObject({ AMT: '100', GOODSNAME: 'book' });
    expect(response).toMatchObject({
      type: 'response',
      callId: request.callId,
      ok: true,
      outcome: { state: result.state, retCode: result.codes.retCode },
    });
    expect(response.meta).toEqual(result.meta);
  });

  it('a payout: no SeqID (no envelope), family payout, the payout endpoint', async () => {
    const result = await client.payout.pay(payoutBody(digitsId()));
    expect(result.meta).toMatchObject({
      seqId: undefined,
      operation: 'payout.pay',
      family: 'payout',
      url: merchant.endpoints.payout,
      httpStatus: 200,
      attempts: 1,
    });
    expect(responses('payout.pay')[0]).toMatchObject({ ok: true, outcome: { retCode: '0000', state: result.state } });
  });

  it('a query retried after a reset: attempts 2, onRetry between two requests of one callId, each with its own SeqID', async () => {
    const id = orderId('R');
    await client.scan.wechatOrder(scanOrder(id));
    events.length = 0;
    sb.injectFault('reset-before', { match: { operation: 'scan.query', merchantOrderId: id } });
    const result = await client.scan.query({ MERORDERID: id } as never);
    expect(result.meta).toMatchObject({ operation: 'scan.query', attempts: 2, httpStatus: 200 });
    expect(events.map((e) => e.type)).toEqual(['request', 'retry', 'request', 'response']);
    const [first, retry, second] = events as [MmspRequestEvent, MmspRetryEvent, MmspRequestEvent];
    expect(new Set(events.map((e) => (e as MmspRequestEvent).callId)).size).toBe(1);
    expect(retry).toMatchObject({ attempt: 1, operation: 'scan.query' });
    expect(retry.delayMs).toBeGreaterThanOrEqual(0);
    expect(retry.reason).toMatch(/transport|reset|socket|hang up/i);
    expect(second.attempt).toBe(2);
    expect(second.seqId).not.toBe(first.seqId);
    expect(result.meta.seqId).toBe(second.seqId);
  });

  it("a query answered HTTP 502 then retried: the second request's meta so far has the 502 and one attempt made", async () => {
    const id = orderId('Q');
    await client.scan.wechatOrder(scanOrder(id));
    events.length = 0;
    sb.injectFault({ kind: 'http-error', status: 502 }, { match: { operation: 'scan.query', merchantOrderId: id } });
    const result = await client.scan.query({ MERORDERID: id } as never);
    const requests = events.filter((e): e is MmspRequestEvent => e.type === 'request');
    expect(requests.map((r) => r.meta)).toEqual([
      expect.objectContaining({ httpStatus: undefined, attempts: 0 }),
      expect.objectContaining({ httpStatus: 502, attempts: 1 }),
    ]);
    expect(result.meta).toMatchObject({ httpStatus: 200, attempts: 2 });
  });

  it('a call refused before anything was built fires nothing and its error has no meta', async () => {
    const error = await client.scan
      .wechatOrder({ TRADETYPE: '1', AMT: 'ten', MERORDERID: orderId('V'), GOODSNAME: 'x' } as never)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MmspValidationError);
    expect((error as MmspValidationError).meta).toBeUndefined();
    expect(events).toEqual([]);
  });
});

describe('metadata on errors raised after the request was built', () => {
  it('a timeout: no HTTP status, one attempt, the deadline elapsed; the error event says it may have reached the platform', async () => {
    const id = orderId('T');
    sb.injectFault({ kind: 'latency', ms: 1_500 }, { match: { merchantOrderId: id } });
    const error = (await client.scan
      .wechatOrder(scanOrder(id), { timeoutMs: 300 })
      .catch((e: unknown) => e)) as MmspTransportError;
    expect(error).toBeInstanceOf(MmspTransportError);
    expect(error.meta).toMatchObject({
      operation: 'scan.wechatOrder',
      family: 'scan',
      httpStatus: undefined,
      attempts: 1,
    });
    expect(error.meta!.elapsedMs).toBeGreaterThanOrEqual(250);
    expect(responses('scan.wechatOrder')).toEqual([
      expect.objectContaining({
        ok: false,
        meta: error.meta,
        error: expect.objectContaining({
          name: 'MmspTransportError',
          code: 'MMSP_TRANSPORT',
          mayHaveReachedPlatform: true,
        }),
      }),
    ]);
  });

  it('an HTTP 502: the status is in the metadata', async () => {
    const id = orderId('H');
    sb.injectFault({ kind: 'http-error', status: 502 }, { match: { merchantOrderId: id } });
    const error = (await client.scan.wechatOrder(scanOrder(id)).catch((e: unknown) => e)) as MmspTransportError;
    expect(error.meta).toMatchObject({ httpStatus: 502, attempts: 1, operation: 'scan.wechatOrder' });
  });

  it('a business refusal (quick pay card 9999: D4): MmspBusinessError with meta; the event carries the platform code', async () => {
    const id = orderId('B');
    const error = (await client.quickPay
      .pay({
        MERORDERID: id,
        CARDNO: '6222020200112239999',
        AMT: '2500',
        CARDTYPE: '1',
        NAME: '张三',
        ID_NO: '110101199003077777',
        PHONENO: '13800138000',
        NOTIFY_URL: 'http://127.0.0.1:9/n',
      } as never)
      .catch((e: unknown) => e)) as MmspBusinessError;
    expect(error).toBeInstanceOf(MmspBusinessError);
    expect(error.meta).toMatchObject({
      operation: 'quickPay.pay',
      family: 'quickPay',
      httpStatus: 200,
      attempts: 1,
      url: merchant.endpoints.quickPay,
    });
    expect(responses('quickPay.pay')[0]).toMatchObject({
      ok: false,
      error: { name: 'MmspBusinessError', code: 'MMSP_BUSINESS', platformCode: error.platformCode },
    });
  });

  it('a signature that does not verify: MmspSignatureError with the SeqID it answered', async () => {
    const id = orderId('S');
    sb.injectFault('bad-sign-after', { match: { operation: 'scan.wechatOrder', merchantOrderId: id } });
    const error = (await client.scan.wechatOrder(scanOrder(id)).catch((e: unknown) => e)) as MmspSignatureError;
    expect(error).toBeInstanceOf(MmspSignatureError);
    const request = events.find((e): e is MmspRequestEvent => e.type === 'request')!;
    expect(error.meta).toMatchObject({ seqId: request.seqId, httpStatus: 200, operation: 'scan.wechatOrder' });
    expect(responses('scan.wechatOrder')[0]).toMatchObject({ ok: false, error: { code: 'MMSP_SIGNATURE' } });
  });

  it('the negative response (RetCode 0): MmspProtocolError with meta and its RetCode in the event', async () => {
    const id = orderId('N');
    sb.injectFault('retcode-0', { match: { merchantOrderId: id } });
    const error = (await client.scan.wechatOrder(scanOrder(id)).catch((e: unknown) => e)) as MmspProtocolError;
    expect(error).toBeInstanceOf(MmspProtocolError);
    expect(error.meta).toMatchObject({ httpStatus: 200, operation: 'scan.wechatOrder' });
    expect(responses('scan.wechatOrder')[0]).toMatchObject({
      ok: false,
      error: { code: 'MMSP_PROTOCOL', retCode: error.retCode },
    });
  });

  it("an unknown payout outcome: MmspOutcomeUnknownError carries the payout request's meta; its queries are calls of their own", async () => {
    const orderNo = digitsId();
    sb.injectFault('reset-before', { match: { operation: 'payout.pay', merchantOrderId: orderNo } });
    const error = (await client.payout
      .pay(payoutBody(orderNo), { settleDeadlineMs: 800 })
      .catch((e: unknown) => e)) as MmspOutcomeUnknownError;
    expect(error).toBeInstanceOf(MmspOutcomeUnknownError);
    expect(error.meta).toMatchObject({
      operation: 'payout.pay',
      family: 'payout',
      seqId: undefined,
      attempts: 1,
      httpStatus: undefined,
    });
    const pay = responses('payout.pay');
    expect(pay).toHaveLength(1);
    expect(pay[0]).toMatchObject({ ok: false, error: { code: 'MMSP_TRANSPORT', mayHaveReachedPlatform: true } });
    const queries = responses('payout.query');
    expect(queries.length).toBeGreaterThanOrEqual(1);
    expect(new Set(queries.map((q) => q.callId)).size).toBe(queries.length);
    expect(queries.every((q) => q.callId !== pay[0]!.callId)).toBe(true);
  });
});

describe('hooks never break a call', () => {
  it('hooks that throw or reject: calls and notifications go on as if there were none', async () => {
    const boom = () => {
      throw new Error('hook failure');
    };
    const throwing = createNodeClient({
      merchantNo: merchant.merchantNo,
      terminalNo: merchant.terminalNo,
      key: merchant.key,
      endpoints: merchant.endpoints,
      timeoutMs: 5_000,
      logger: silent,
      hooks: {
        onRequest: boom,
        onResponse: boom,
        onRetry: () => Promise.reject(new Error('async hook failure')) as never,
        onNotification: boom,
      },
    });
    const id = orderId('X');
    const order = await throwing.scan.wechatOrder(scanOrder(id));
    expect(order.meta.httpStatus).toBe(200);
    sb.injectFault('reset-before', { match: { operation: 'scan.query', merchantOrderId: id } });
    expect((await throwing.scan.query({ MERORDERID: id } as never)).meta.attempts).toBe(2);
    const refused = await throwing.scan
      .wechatOrder({
        TRADETYPE: '1',
        AMT: '100',
        MERORDERID: id,
        GOODSNAME: 'again',
        NOTIFY_URL: 'http://127.0.0.1:9/n',
      } as never)
      .catch((e: unknown) => e);
    // The error the call raises is the platform's, not the hook's.
    expect((refused as Error).message).not.toContain('hook failure');
    const decision = await throwing.notifications.handle('not a notification', () => undefined);
    expect(decision).toMatchObject({ outcome: 'rejected', status: 400 });
  });

  it('an unknown hook name or a hook that is not a function is a configuration error', () => {
    expect(() =>
      createNodeClient({
        merchantNo: merchant.merchantNo,
        terminalNo: merchant.terminalNo,
        key: merchant.key,
        endpoints: merchant.endpoints,
        hooks: { onReqest: () => undefined } as never,
      }),
    ).toThrow(/hooks\.onReqest is not a hook/);
    expect(() =>
      createNodeClient({
        merchantNo: merchant.merchantNo,
        terminalNo: merchant.terminalNo,
        key: merchant.key,
        endpoints: merchant.endpoints,
        hooks: { onResponse: 'log' } as never,
      }),
    ).toThrow(/hooks\.onResponse must be a function/);
  });
});

describe('no secret and no card data in any event', () => {
  it('a credit-card quick pay and a payout: card number, CVN2, expiry, ID number, key and private key never appear in clear', async () => {
    const card = '6225880212345678';
    const cvn2 = '987';
    const expiry = '0829';
    const idNo = '110101199003071234';
    const id = orderId('C');
    await client.quickPay
      .pay({
        MERORDERID: id,
        CARDNO: card,
        AMT: '2500',
        CARDTYPE: '2',
        EXPDATE: expiry,
        CVN2: cvn2,
        NAME: '张三',
        ID_NO: idNo,
        PHONENO: '13800138000',
        NOTIFY_URL: 'http://127.0.0.1:9/n',
      } as never)
      .catch(() => undefined);
    await client.payout.pay(payoutBody(digitsId()));
    const text = JSON.stringify(events);
    expect(events.length).toBeGreaterThanOrEqual(4);
    for (const secret of [card, idNo, merchant.key, merchant.merchantPrivateKey.slice(40, 100), '6222020200112231111'])
      expect(text).not.toContain(secret);
    const values: string[] = [];
    const walk = (v: unknown) => {
      if (typeof v === 'string') values.push(v);
      else if (v !== null && typeof v === 'object') Object.values(v).forEach(walk);
    };
    walk(events);
    expect(values).not.toContain(cvn2);
    expect(values).not.toContain(expiry);
    const request = events.find((e): e is MmspRequestEvent => e.type === 'request' && e.operation === 'quickPay.pay')!;
    expect(request.fields).toMatchObject({
      CARDNO: '************5678',
      CVN2: '[redacted]',
      EXPDATE: '[redacted]',
      AMT: '2500',
    });
    expect(String(request.fields.ID_NO)).not.toBe(idNo);
    const payoutRequest = events.find(
      (e): e is MmspRequestEvent => e.type === 'request' && e.operation === 'payout.pay',
    )!;
    expect(payoutRequest.fields).toMatchObject({ ACCNO: '***************1111' });
    expect(text).not.toMatch(/ENCRYPT|"SIGN"/);
  });

  it('an endpoint with user:password: the metadata shows the URL without them', async () => {
    const url = new URL(merchant.endpoints.scan);
    url.username = 'ops';
    url.password = 'hunter2secret';
    const withCredentials = createNodeClient({
      merchantNo: merchant.merchantNo,
      terminalNo: merchant.terminalNo,
      key: merchant.key,
      endpoints: { scan: url.toString() },
      timeoutMs: 5_000,
      logger: silent,
      hooks: recorder,
    });
    const result = await withCredentials.scan.wechatOrder(scanOrder(orderId('U')));
    expect(result.meta.url).toBe(merchant.endpoints.scan);
    expect(JSON.stringify(events)).not.toContain('hunter2secret');
  });
});

describe('notifications', () => {
  let server: Server;
  let notifyUrl: string;
  const paid: string[] = [];
  const notified: MmspNotificationEvent[] = [];
  beforeAll(async () => {
    server = createServer(
      createNotificationHandler({
        key: merchant.key,
        logger: silent,
        hooks: { onNotification: (e) => void notified.push(e) },
        onPaid: (e) => void paid.push(e.merchantOrderId),
      }),
    );
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    notifyUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/notify`;
  });
  afterAll(async () => {
    await new Promise((r) => server?.close(r));
  });

  it('onNotification (key-mode receiver): a tampered first attempt is rejected, the genuine retry handled, with family, CommandID, order, amount, status', async () => {
    const id = orderId('P');
    sb.injectFault('notify-tampered-sign', { match: { merchantOrderId: id } });
    await client.scan.wechatOrder({
      TRADETYPE: '1',
      AMT: '420',
      MERORDERID: id,
      GOODSNAME: 'n',
      NOTIFY_URL: notifyUrl,
    } as never);
    sb.settleOrder(id, 'pay');
    await until('handled notification', () =>
      notified.find((e) => e.merchantOrderId === id && e.decision === 'handled'),
    );
    const rejected = notified.find((e) => e.decision === 'rejected');
    expect(rejected).toMatchObject({
      type: 'notification',
      httpStatus: 400,
      reason: 'bad-signature',
      family: undefined,
      merchantOrderId: undefined,
    });
    expect(notified.find((e) => e.merchantOrderId === id)).toMatchObject({
      family: 'scan',
      commandId: 2324,
      amount: '420',
      decision: 'handled',
      httpStatus: 200,
    });
    expect(paid).toContain(id);
  });

  it("client.notifications.handle fires the client's onNotification", async () => {
    const decision = await client.notifications.handle('{"not":"an envelope"}', () => undefined);
    expect(events).toEqual([
      expect.objectContaining({ type: 'notification', decision: decision.outcome, httpStatus: decision.status }),
    ]);
  });
});

describe('diagnostics channels', () => {
  const received: { channel: string; message: unknown }[] = [];
  const listeners = Object.values(MMSP_DIAGNOSTICS_CHANNELS).map(
    (name) => [name, (message: unknown) => void received.push({ channel: name, message })] as const,
  );
  const on = () => listeners.forEach(([name, fn]) => subscribe(name, fn));
  const off = () => listeners.forEach(([name, fn]) => unsubscribe(name, fn));

  it('the names are the ones Node tooling subscribes to', () => {
    expect(MMSP_DIAGNOSTICS_CHANNELS).toEqual({
      request: 'mmsp:client:request',
      response: 'mmsp:client:response',
      error: 'mmsp:client:error',
      retry: 'mmsp:client:retry',
      notification: 'mmsp:notification',
    });
  });

  it('without a subscriber (and no hook) the client gets no hook at all, so no event is built; with one it does', () => {
    const hooks = diagnosticsHooks(undefined);
    expect([hooks.onRequest, hooks.onResponse, hooks.onRetry, hooks.onNotification]).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    const fn = () => undefined;
    subscribe(MMSP_DIAGNOSTICS_CHANNELS.error, fn);
    try {
      expect(typeof hooks.onResponse).toBe('function');
      expect(hooks.onRequest).toBeUndefined();
    } finally {
      unsubscribe(MMSP_DIAGNOSTICS_CHANNELS.error, fn);
    }
    expect(hooks.onResponse).toBeUndefined();
  });

  it('a client without hooks publishes request, response, error, retry and notification events only while subscribed', async () => {
    const plain = createNodeClient({
      merchantNo: merchant.merchantNo,
      terminalNo: merchant.terminalNo,
      key: merchant.key,
      endpoints: merchant.endpoints,
      timeoutMs: 5_000,
      logger: silent,
    });
    const id = orderId('D');
    await plain.scan.wechatOrder(scanOrder(id));
    expect(received).toEqual([]);
    on();
    try {
      const result = await plain.scan.query({ MERORDERID: id } as never);
      sb.injectFault('reset-before', { match: { operation: 'scan.query', merchantOrderId: id } });
      await plain.scan.query({ MERORDERID: id } as never);
      sb.injectFault(
        { kind: 'http-error', status: 503 },
        { match: { operation: 'scan.wechatOrder', merchantOrderId: `${id}E` } },
      );
      await plain.scan.wechatOrder(scanOrder(`${id}E`)).catch(() => undefined);
      await plain.notifications.handle('garbage', () => undefined);
      expect(received.map((r) => r.channel)).toEqual([
        'mmsp:client:request',
        'mmsp:client:response',
        'mmsp:client:request',
        'mmsp:client:retry',
        'mmsp:client:request',
        'mmsp:client:response',
        'mmsp:client:request',
        'mmsp:client:error',
        'mmsp:notification',
      ]);
      expect(received[1]!.message).toMatchObject({ type: 'response', ok: true, meta: result.meta });
      expect(received[7]!.message).toMatchObject({
        type: 'response',
        ok: false,
        meta: { httpStatus: 503 },
        error: { code: 'MMSP_TRANSPORT' },
      });
      expect(received[8]!.message).toMatchObject({ type: 'notification', decision: 'rejected', httpStatus: 400 });
    } finally {
      off();
    }
    const before = received.length;
    await plain.scan.query({ MERORDERID: id } as never);
    expect(received).toHaveLength(before);
  });

  it("the caller's hooks and the channels both see an event; a throwing hook does not stop the channel", async () => {
    const mine: string[] = [];
    const both = createNodeClient({
      merchantNo: merchant.merchantNo,
      terminalNo: merchant.terminalNo,
      key: merchant.key,
      endpoints: merchant.endpoints,
      timeoutMs: 5_000,
      logger: silent,
      hooks: {
        onRequest: (e) => {
          mine.push(e.operation);
          throw new Error('mine');
        },
      },
    });
    received.length = 0;
    on();
    try {
      await both.scan.wechatOrder(scanOrder(orderId('Y')));
    } finally {
      off();
    }
    expect(mine).toEqual(['scan.wechatOrder']);
    expect(received.map((r) => r.channel)).toEqual(['mmsp:client:request', 'mmsp:client:response']);
  });
});
