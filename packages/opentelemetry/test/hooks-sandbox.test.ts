/**
 * `mmspTelemetryHooks` end to end (issue #15 item 4): createNodeClient → real HTTP → the sandbox;
 * the sandbox's pushes → a real node:http receiver (createNotificationHandler) on the same client.
 * Spans and metrics are read from the OpenTelemetry SDK's in-memory exporters: a successful call, a
 * business refusal, a transport timeout, a retried query, notifications handled / duplicate /
 * forged, the caller's span as parent, and no secret or card data anywhere.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MmspBusinessError, MmspTransportError, type MmspClient, type PaidEvent } from '@mmsp/client';
import { createNodeClient, createNotificationHandler } from '@mmsp/http-node';
import { startSandbox, type Sandbox, type SandboxMerchant } from '@mmsp/sandbox';
import { MmspAttributes as A, MmspMetrics as M, mmspTelemetryHooks } from '../src/index.js';
import { startOtel, type Otel } from './support/otel.js';

let sb: Sandbox;
let merchant: SandboxMerchant;
let client: MmspClient;
let receiver: Server;
let notifyUrl: string;
let otel: Otel;
const paid: PaidEvent[] = [];
const contextManager = new AsyncLocalStorageContextManager();
let seq = 0;
const orderId = (prefix: string) => `${prefix}${Date.now() % 1e9}${++seq}`;

async function until<T>(what: string, probe: () => T | undefined, timeoutMs = 10_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const callSpans = (operation: string, id: string) =>
  otel.spans().filter((s) => s.name === `mmsp ${operation}` && s.attributes[A.MERCHANT_ORDER_ID] === id);
const notificationSpans = (id: string) =>
  otel.spans().filter((s) => s.name === 'mmsp notification' && s.attributes[A.MERCHANT_ORDER_ID] === id);
const only = (spans: ReadableSpan[], what: string): ReadableSpan => {
  expect(spans, what).toHaveLength(1);
  return spans[0]!;
};
const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;

beforeAll(async () => {
  context.setGlobalContextManager(contextManager.enable());
  otel = startOtel();
  sb = await startSandbox({ port: 0, timeScale: 0.001, micropayDelayMs: 50, payoutDelayMs: 50 });
  merchant = (await (await fetch(`${sb.url}/_sandbox/merchant`)).json()) as SandboxMerchant;
  client = createNodeClient({
    merchantNo: merchant.merchantNo,
    terminalNo: merchant.terminalNo,
    key: merchant.key,
    endpoints: merchant.endpoints,
    payout: { platformPublicKey: merchant.platformPublicKey, merchantPrivateKey: merchant.merchantPrivateKey },
    timeoutMs: 5_000,
    logger: { debug() {}, info() {}, warn() {}, error() {} } as never,
    hooks: mmspTelemetryHooks({ tracerProvider: otel.tracerProvider, meterProvider: otel.meterProvider }),
  });
  receiver = createServer(createNotificationHandler({ client, onPaid: (event) => void paid.push(event) }));
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  notifyUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/mmsp/notify`;
});

afterAll(async () => {
  await sb?.close();
  await new Promise((r) => receiver?.close(r));
  await otel?.shutdown();
  context.disable();
});

describe('a span per call', () => {
  it('a successful call: CLIENT span `mmsp scan.query` with operation, family, SeqID, HTTP status, codes, state, outcome ok — a child of the caller’s span', async () => {
    const id = orderId('OK');
    await client.scan.wechatOrder({
      TRADETYPE: '1',
      AMT: '100',
      MERORDERID: id,
      GOODSNAME: 'book',
      NOTIFY_URL: notifyUrl,
    } as never);
    const outer = otel.tracerProvider.getTracer('shop').startSpan('checkout');
    const result = await context.with(trace.setSpan(context.active(), outer), () =>
      client.scan.query({ MERORDERID: id } as never),
    );
    outer.end();

    const span = only(callSpans('scan.query', id), 'one scan.query span');
    expect(span.kind).toBe(SpanKind.CLIENT);
    expect(span.status.code).toBe(SpanStatusCode.UNSET);
    expect(parentOf(span)).toBe(outer.spanContext().spanId);
    expect(span.spanContext().traceId).toBe(outer.spanContext().traceId);
    const endpoint = new URL(merchant.endpoints.scan);
    expect(span.attributes).toEqual({
      [A.OPERATION]: 'scan.query',
      [A.FAMILY]: 'scan',
      [A.SEQ_ID]: result.meta!.seqId,
      [A.ATTEMPTS]: 1,
      [A.MERCHANT_ORDER_ID]: id,
      [A.OUTCOME]: 'ok',
      [A.RET_CODE]: '1',
      ...(result.state !== undefined ? { [A.STATE]: result.state } : {}),
      ...(result.codes.status !== undefined ? { [A.STATUS]: result.codes.status } : {}),
      ...(result.codes.errCode !== undefined ? { [A.ERR_CODE]: result.codes.errCode } : {}),
      'http.request.method': 'POST',
      'http.response.status_code': 200,
      'url.full': `${endpoint.origin}${endpoint.pathname}`,
      'server.address': '127.0.0.1',
      'server.port': Number(endpoint.port),
    });
    expect(typeof span.attributes[A.SEQ_ID]).toBe('number');
    expect(result.state).toBeDefined();
    // The order call before it: its own span, not the caller's child (no active span then).
    const order = only(callSpans('scan.wechatOrder', id), 'one wechatOrder span');
    expect(parentOf(order)).toBeUndefined();
    expect(order.spanContext().spanId).not.toBe(span.spanContext().spanId);
  });

  it('a query by the platform’s ORDERNO: its span carries no merchant order number (that ORDERNO is not the merchant’s)', async () => {
    const id = orderId('PO');
    const order = await client.scan.wechatOrder({
      TRADETYPE: '1',
      AMT: '100',
      MERORDERID: id,
      GOODSNAME: 'book',
      NOTIFY_URL: notifyUrl,
    } as never);
    const platformOrderNo = String((order.body as Record<string, unknown>).ORDERNO);
    const before = otel.spans().length;
    const result = await client.scan.query({ ORDERNO: platformOrderNo } as never);
    const span = only(
      otel
        .spans()
        .slice(before)
        .filter((s) => s.name === 'mmsp scan.query'),
      'one query span',
    );
    expect(span.attributes[A.SEQ_ID]).toBe(result.meta!.seqId);
    expect(span.attributes).not.toHaveProperty(A.MERCHANT_ORDER_ID);
  });

  it('a business refusal: ERROR span, outcome refused, error.type MMSP_BUSINESS, the platform code; counted as refused in the duration histogram', async () => {
    const id = orderId('DUP');
    const body = { TRADETYPE: '1', AMT: '100', MERORDERID: id, GOODSNAME: 'dup', NOTIFY_URL: notifyUrl };
    await client.scan.wechatOrder(body as never);
    const refusal = await client.scan.wechatOrder(body as never).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(refusal).toBeInstanceOf(MmspBusinessError);
    const spans = callSpans('scan.wechatOrder', id);
    expect(spans).toHaveLength(2);
    const span = spans[1]!;
    expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: expect.stringContaining('refused') });
    expect(span.attributes).toMatchObject({
      [A.OUTCOME]: 'refused',
      'error.type': 'MMSP_BUSINESS',
      [A.PLATFORM_CODE]: (refusal as MmspBusinessError).platformCode,
      'http.response.status_code': 200,
      [A.ATTEMPTS]: 1,
    });
    expect(span.attributes[A.SEQ_ID]).toBe((refusal as MmspBusinessError).meta?.seqId);
    const refused = (await otel.points(M.CALL_DURATION)).filter(
      (p) => p.attributes[A.OPERATION] === 'scan.wechatOrder' && p.attributes[A.OUTCOME] === 'refused',
    );
    expect(refused).toHaveLength(1);
    expect(refused[0]!.attributes).toEqual({
      [A.OPERATION]: 'scan.wechatOrder',
      [A.FAMILY]: 'scan',
      [A.OUTCOME]: 'refused',
      'http.response.status_code': 200,
      'error.type': 'MMSP_BUSINESS',
    });
    expect(refused[0]!.value).toBeGreaterThanOrEqual(1);
  });

  it('a transport timeout: ERROR span without an HTTP status, error.type MMSP_TRANSPORT, the duration close to the deadline', async () => {
    const id = orderId('TO');
    await client.scan.wechatOrder({
      TRADETYPE: '1',
      AMT: '100',
      MERORDERID: id,
      GOODSNAME: 'slow',
      NOTIFY_URL: notifyUrl,
    } as never);
    sb.injectFault({ kind: 'latency', ms: 1_500 }, { match: { operation: 'scan.query', merchantOrderId: id } });
    const error = await client.scan.query({ MERORDERID: id } as never, { timeoutMs: 150, retry: false }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(MmspTransportError);
    const span = only(callSpans('scan.query', id), 'one timed-out query span');
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
    expect(span.attributes).toMatchObject({
      'error.type': 'MMSP_TRANSPORT',
      [A.ATTEMPTS]: 1,
      [A.MAY_HAVE_REACHED_PLATFORM]: (error as MmspTransportError).mayHaveReachedPlatform,
    });
    expect(span.attributes[A.OUTCOME]).toBe((error as MmspTransportError).mayHaveReachedPlatform ? 'unknown' : 'error');
    expect(span.attributes).not.toHaveProperty('http.response.status_code');
    const ms = span.duration[0] * 1e3 + span.duration[1] / 1e6;
    expect(ms).toBeGreaterThanOrEqual(140);
    expect(ms).toBeLessThan(1_400);
  });

  it('a query retried after a timeout: one span for the call, its retry and second attempt as events, the last SeqID; the retry counted', async () => {
    const id = orderId('RT');
    await client.scan.wechatOrder({
      TRADETYPE: '1',
      AMT: '100',
      MERORDERID: id,
      GOODSNAME: 'retry',
      NOTIFY_URL: notifyUrl,
    } as never);
    const retriesBefore =
      (await otel.points(M.CALL_RETRIES)).find((p) => p.attributes[A.OPERATION] === 'scan.query')?.value ?? 0;
    sb.injectFault(
      { kind: 'latency', ms: 1_500 },
      { match: { operation: 'scan.query', merchantOrderId: id }, times: 1 },
    );
    const result = await client.scan.query({ MERORDERID: id } as never, { timeoutMs: 150 });
    expect(result.meta?.attempts).toBe(2);
    const span = only(callSpans('scan.query', id), 'one span for the retried call');
    expect(span.status.code).toBe(SpanStatusCode.UNSET);
    expect(span.attributes).toMatchObject({
      [A.OUTCOME]: 'ok',
      [A.ATTEMPTS]: 2,
      [A.SEQ_ID]: result.meta!.seqId,
      'http.response.status_code': 200,
    });
    expect(span.events.map((e) => e.name)).toEqual(['mmsp.retry', 'mmsp.request']);
    expect(span.events[0]!.attributes).toMatchObject({ 'mmsp.attempt': 1 });
    expect(span.events[1]!.attributes).toEqual({ 'mmsp.attempt': 2, [A.SEQ_ID]: result.meta!.seqId });
    const retries = (await otel.points(M.CALL_RETRIES)).find((p) => p.attributes[A.OPERATION] === 'scan.query');
    expect(retries?.value).toBe(retriesBefore + 1);
  });
});

describe('a span per notification', () => {
  it('accepted: SERVER span `mmsp notification`, decision handled, HTTP 200, the command and order; counted', async () => {
    const id = orderId('NH');
    await client.scan.wechatOrder({
      TRADETYPE: '1',
      AMT: '300',
      MERORDERID: id,
      GOODSNAME: 'paid',
      NOTIFY_URL: notifyUrl,
    } as never);
    sb.settleOrder(id, 'pay');
    await until('handled notification span', () => (notificationSpans(id).length ? true : undefined));
    const span = only(notificationSpans(id), 'one notification span');
    expect(span.kind).toBe(SpanKind.SERVER);
    expect(span.status.code).toBe(SpanStatusCode.UNSET);
    expect(span.attributes).toEqual({
      [A.NOTIFICATION_DECISION]: 'handled',
      'http.response.status_code': 200,
      [A.FAMILY]: 'scan',
      [A.COMMAND_ID]: 2324,
      [A.MERCHANT_ORDER_ID]: id,
    });
    expect(paid.filter((e) => e.merchantOrderId === id)).toHaveLength(1);
    const handled = (await otel.points(M.NOTIFICATIONS)).find(
      (p) => p.attributes[A.NOTIFICATION_DECISION] === 'handled' && p.attributes[A.FAMILY] === 'scan',
    );
    expect(handled?.value).toBeGreaterThanOrEqual(1);
  });

  it('a duplicate delivery: a second span with decision duplicate, still HTTP 200', async () => {
    const id = orderId('ND');
    sb.injectFault('notify-duplicate', { match: { merchantOrderId: id } });
    await client.scan.wechatOrder({
      TRADETYPE: '1',
      AMT: '400',
      MERORDERID: id,
      GOODSNAME: 'dup',
      NOTIFY_URL: notifyUrl,
    } as never);
    sb.settleOrder(id, 'pay');
    await until('two notification spans', () => (notificationSpans(id).length >= 2 ? true : undefined));
    await sb.notificationsIdle();
    expect(
      notificationSpans(id).map((s) => [
        s.attributes[A.NOTIFICATION_DECISION],
        s.attributes['http.response.status_code'],
      ]),
    ).toEqual([
      ['handled', 200],
      ['duplicate', 200],
    ]);
    expect(paid.filter((e) => e.merchantOrderId === id)).toHaveLength(1);
    const duplicate = (await otel.points(M.NOTIFICATIONS)).find(
      (p) => p.attributes[A.NOTIFICATION_DECISION] === 'duplicate',
    );
    expect(duplicate?.value).toBeGreaterThanOrEqual(1);
  });

  it('a forged delivery (wrong Sign): decision rejected, reason bad-signature, HTTP 400 — not an ERROR span; the genuine retry is handled', async () => {
    const id = orderId('NF');
    sb.injectFault('notify-tampered-sign', { match: { merchantOrderId: id } });
    await client.scan.wechatOrder({
      TRADETYPE: '1',
      AMT: '500',
      MERORDERID: id,
      GOODSNAME: 'forged',
      NOTIFY_URL: notifyUrl,
    } as never);
    sb.settleOrder(id, 'pay');
    await until('acknowledged notification', () =>
      sb.notifications().find((a) => a.merchantOrderId === id && a.status === 200),
    );
    await until('handled span', () =>
      notificationSpans(id).some((s) => s.attributes[A.NOTIFICATION_DECISION] === 'handled') ? true : undefined,
    );
    // A forged push is rejected before its Body is trusted: its span carries no order number, so it is found by time.
    const forged = otel
      .spans()
      .filter((s) => s.name === 'mmsp notification' && s.attributes[A.NOTIFICATION_DECISION] === 'rejected');
    expect(forged.length).toBeGreaterThanOrEqual(1);
    const span = forged.at(-1)!;
    expect(span.attributes).toMatchObject({
      [A.NOTIFICATION_REASON]: 'bad-signature',
      'http.response.status_code': 400,
    });
    expect(span.status.code).toBe(SpanStatusCode.UNSET);
    expect(notificationSpans(id).map((s) => s.attributes[A.NOTIFICATION_DECISION])).toContain('handled');
    const rejected = (await otel.points(M.NOTIFICATIONS)).find(
      (p) => p.attributes[A.NOTIFICATION_DECISION] === 'rejected',
    );
    expect(rejected?.value).toBeGreaterThanOrEqual(1);
  });
});

describe('nothing secret', () => {
  it('no key, private key, card data, name, phone or amount in any span, event or metric attribute — a quick pay with a card and a payout included', async () => {
    const card = '6222020200112233445';
    const idNo = '110101199003077777';
    const phone = '13800138000';
    const id = orderId('Q');
    const pay = await client.quickPay.pay({
      MERORDERID: id,
      CARDNO: card,
      AMT: '2500',
      CARDTYPE: '1',
      NAME: '张三',
      ID_NO: idNo,
      PHONENO: phone,
      NOTIFY_URL: notifyUrl,
    } as never);
    const code = await until('SMS code', () => sb.smsCode(id));
    await client.quickPay.confirmAndWait(
      { LIST_ID: String((pay.body as Record<string, unknown>).LIST_ID), MSG_CODE: code, MERORDERID: id },
      { deadlineMs: 5_000, intervalMs: 50 },
    );
    const orderNo = `${Date.now()}${String(++seq).padStart(4, '0')}`;
    const account = '6222020200112230000';
    await client.payout.pay({
      ORDERNO: orderNo,
      AMT: '10000',
      BUSIYPE: '001',
      ACCNAME: '李四',
      ACCNO: account,
      MEMO: 'salary',
      ACCTYPE: '0',
      MOBILE: phone,
      BANKNAME: '工商银行',
    } as never);
    await until('quick pay notification', () => (notificationSpans(id).length ? true : undefined));

    expect(callSpans('quickPay.pay', id)).toHaveLength(1);
    const payout = otel
      .spans()
      .filter((s) => s.name === 'mmsp payout.pay' && s.attributes[A.MERCHANT_ORDER_ID] === orderNo);
    expect(payout).toHaveLength(1);
    expect(payout[0]!.attributes).not.toHaveProperty(A.SEQ_ID); // payouts have no envelope

    // Every string that telemetry recorded: span names, attributes, status messages, event attributes, metric attributes.
    const strings: string[] = [];
    const collect = (attributes: Record<string, unknown> | undefined) => {
      for (const [k, v] of Object.entries(attributes ?? {})) {
        strings.push(k);
        for (const item of Array.isArray(v) ? v : [v]) if (item !== undefined) strings.push(String(item));
      }
    };
    for (const span of otel.spans()) {
      strings.push(span.name, span.status.message ?? '');
      collect(span.attributes);
      for (const event of span.events) {
        strings.push(event.name);
        collect(event.attributes);
      }
    }
    for (const name of Object.values(M)) for (const point of await otel.points(name)) collect(point.attributes);
    expect(strings).toContain(id); // the check reads what was recorded
    // Only the documented attributes, on spans, events and metrics alike.
    const documented = new Set<string>([
      ...Object.values(A),
      'error.type',
      'http.request.method',
      'http.response.status_code',
      'server.address',
      'server.port',
      'url.full',
    ]);
    const keys = new Set<string>();
    for (const span of otel.spans())
      for (const a of [span.attributes, ...span.events.map((e) => e.attributes ?? {})])
        for (const k of Object.keys(a)) keys.add(k);
    for (const name of Object.values(M))
      for (const point of await otel.points(name)) for (const k of Object.keys(point.attributes)) keys.add(k);
    expect([...keys].filter((k) => !documented.has(k))).toEqual([]);
    expect(strings).toContain(orderNo);
    for (const secret of [
      merchant.key,
      card,
      card.slice(-8),
      idNo,
      phone,
      '张三',
      '李四',
      account,
      'PRIVATE KEY',
      'BEGIN',
    ]) {
      expect(
        strings.filter((s) => s.includes(secret)),
        'a secret or card datum in telemetry',
      ).toEqual([]);
    }
    // Short values (amounts in fen, the SMS code) are checked as whole values: digits occur inside order numbers.
    for (const value of ['2500', '10000', code]) expect(strings.filter((s) => s === value)).toEqual([]);
  });
});
