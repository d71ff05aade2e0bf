/**
 * `instrumentMmsp` (`@mmsp/opentelemetry/node`): the same spans and metrics from `@mmsp/http-node`'s
 * `diagnostics_channel`s, for clients and receivers that were given no hooks at all. Real sockets:
 * createNodeClient → the sandbox, the sandbox's pushes → a receiver configured with only a `key`.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MmspBusinessError, type MmspClient } from '@mmsp/client';
import { MMSP_DIAGNOSTICS_CHANNELS, createNodeClient, createNotificationHandler } from '@mmsp/http-node';
import { startSandbox, type Sandbox, type SandboxMerchant } from '@mmsp/sandbox';
import { MmspAttributes as A, MmspMetrics as M } from '../src/index.js';
import { MMSP_CHANNELS, instrumentMmsp } from '../src/node.js';
import { startOtel, type Otel } from './support/otel.js';

let sb: Sandbox;
let client: MmspClient;
let receiver: Server;
let notifyUrl: string;
let otel: Otel;
let stop: () => void;
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
const spansOf = (id: string) => otel.spans().filter((s) => s.attributes[A.MERCHANT_ORDER_ID] === id);

beforeAll(async () => {
  otel = startOtel();
  stop = instrumentMmsp({ tracerProvider: otel.tracerProvider, meterProvider: otel.meterProvider });
  sb = await startSandbox({ port: 0, timeScale: 0.001 });
  const merchant = (await (await fetch(`${sb.url}/_sandbox/merchant`)).json()) as SandboxMerchant;
  client = createNodeClient({
    merchantNo: merchant.merchantNo,
    terminalNo: merchant.terminalNo,
    key: merchant.key,
    endpoints: merchant.endpoints,
    timeoutMs: 5_000,
    logger: { debug() {}, info() {}, warn() {}, error() {} } as never,
  });
  receiver = createServer(createNotificationHandler({ key: merchant.key, onPaid: () => undefined }));
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  notifyUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/mmsp/notify`;
});

afterAll(async () => {
  stop?.();
  await sb?.close();
  await new Promise((r) => receiver?.close(r));
  await otel?.shutdown();
});

describe('instrumentMmsp', () => {
  it('subscribes to the channels @mmsp/http-node publishes on', () => {
    expect(MMSP_CHANNELS).toEqual(MMSP_DIAGNOSTICS_CHANNELS);
  });

  it('a client without hooks: a span per call from mmsp:client:request / :response / :error, and the duration histogram', async () => {
    const id = orderId('DC');
    const body = { TRADETYPE: '1', AMT: '100', MERORDERID: id, GOODSNAME: 'book', NOTIFY_URL: notifyUrl };
    const order = await client.scan.wechatOrder(body as never);
    await expect(client.scan.wechatOrder(body as never)).rejects.toBeInstanceOf(MmspBusinessError);
    const [ok, refused] = spansOf(id);
    expect(spansOf(id)).toHaveLength(2);
    expect(ok!.name).toBe('mmsp scan.wechatOrder');
    expect(ok!.kind).toBe(SpanKind.CLIENT);
    expect(ok!.attributes).toMatchObject({
      [A.OUTCOME]: 'ok',
      [A.SEQ_ID]: order.meta!.seqId,
      'http.response.status_code': 200,
      [A.FAMILY]: 'scan',
    });
    expect(refused!.status.code).toBe(SpanStatusCode.ERROR);
    expect(refused!.attributes).toMatchObject({ [A.OUTCOME]: 'refused', 'error.type': 'MMSP_BUSINESS' });
    const points = (await otel.points(M.CALL_DURATION)).filter((p) => p.attributes[A.OPERATION] === 'scan.wechatOrder');
    expect(points.map((p) => p.attributes[A.OUTCOME]).sort()).toEqual(['ok', 'refused']);
  });

  it('a retried query: the retry from mmsp:client:retry on the call’s one span', async () => {
    const id = orderId('DR');
    await client.scan.wechatOrder({
      TRADETYPE: '1',
      AMT: '100',
      MERORDERID: id,
      GOODSNAME: 'retry',
      NOTIFY_URL: notifyUrl,
    } as never);
    sb.injectFault(
      { kind: 'latency', ms: 1_500 },
      { match: { operation: 'scan.query', merchantOrderId: id }, times: 1 },
    );
    const result = await client.scan.query({ MERORDERID: id } as never, { timeoutMs: 150 });
    const query = spansOf(id).filter((s) => s.name === 'mmsp scan.query');
    expect(query).toHaveLength(1);
    expect(query[0]!.attributes).toMatchObject({ [A.ATTEMPTS]: 2, [A.SEQ_ID]: result.meta!.seqId, [A.OUTCOME]: 'ok' });
    expect(query[0]!.events.map((e) => e.name)).toEqual(['mmsp.retry', 'mmsp.request']);
  });

  it('a receiver configured with only a key: a notification span from mmsp:notification', async () => {
    const id = orderId('DN');
    await client.scan.wechatOrder({
      TRADETYPE: '1',
      AMT: '300',
      MERORDERID: id,
      GOODSNAME: 'paid',
      NOTIFY_URL: notifyUrl,
    } as never);
    sb.settleOrder(id, 'pay');
    await until('notification span', () =>
      spansOf(id).some((s) => s.name === 'mmsp notification') ? true : undefined,
    );
    const span = spansOf(id).find((s) => s.name === 'mmsp notification')!;
    expect(span.kind).toBe(SpanKind.SERVER);
    expect(span.attributes).toMatchObject({
      [A.NOTIFICATION_DECISION]: 'handled',
      'http.response.status_code': 200,
      [A.FAMILY]: 'scan',
    });
  });

  it('after stop(): nothing more is recorded, and the client publishes nothing (no subscriber left)', async () => {
    stop();
    const id = orderId('DS');
    await client.scan.wechatOrder({
      TRADETYPE: '1',
      AMT: '100',
      MERORDERID: id,
      GOODSNAME: 'quiet',
      NOTIFY_URL: notifyUrl,
    } as never);
    expect(spansOf(id)).toEqual([]);
    const { hasSubscribers } = await import('node:diagnostics_channel');
    for (const name of Object.values(MMSP_CHANNELS)) expect(hasSubscribers(name), name).toBe(false);
  });
});
