/**
 * The hooks on the edge adapter: `createFetchClient({ hooks: mmspTelemetryHooks() })` (fetch, Web
 * Crypto) against the sandbox over real sockets, and `@mmsp/fetch-edge`'s `Request → Response`
 * receiver on the same client, served on loopback: the same spans as with the Node adapter.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SpanKind } from '@opentelemetry/api';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createFetchClient, createNotificationHandler, type FetchClient } from '@mmsp/fetch-edge';
import { startSandbox, type Sandbox, type SandboxMerchant } from '@mmsp/sandbox';
import { MmspAttributes as A, mmspTelemetryHooks } from '../src/index.js';
import { startOtel, type Otel } from './support/otel.js';

let sb: Sandbox;
let client: FetchClient;
let receiver: Server;
let notifyUrl: string;
let otel: Otel;

beforeAll(async () => {
  otel = startOtel();
  sb = await startSandbox({ port: 0, timeScale: 0.001 });
  const merchant = (await (await fetch(`${sb.url}/_sandbox/merchant`)).json()) as SandboxMerchant;
  client = createFetchClient({
    merchantNo: merchant.merchantNo,
    terminalNo: merchant.terminalNo,
    key: merchant.key,
    endpoints: merchant.endpoints,
    timeoutMs: 5_000,
    logger: { debug() {}, info() {}, warn() {}, error() {} } as never,
    hooks: mmspTelemetryHooks({ tracerProvider: otel.tracerProvider, meterProvider: otel.meterProvider }),
  });
  const handle = createNotificationHandler({ client, onPaid: () => undefined });
  // The edge handler behind a loopback node:http server: the request as a fetch Request, the Response written back.
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on(
      'end',
      () =>
        void (async () => {
          const response = await handle(
            new Request(`http://127.0.0.1${req.url}`, {
              method: req.method,
              headers: req.headers as Record<string, string>,
              body: Buffer.concat(chunks),
            }),
          );
          res.writeHead(response.status, Object.fromEntries(response.headers)).end(await response.text());
        })(),
    );
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  notifyUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/mmsp/notify`;
});

afterAll(async () => {
  await sb?.close();
  await new Promise((r) => receiver?.close(r));
  await otel?.shutdown();
});

it('createFetchClient: a CLIENT span per call, and a SERVER span for the notification its edge receiver decided', async () => {
  const id = `E${Date.now() % 1e9}`;
  const order = await client.scan.wechatOrder({
    TRADETYPE: '1',
    AMT: '100',
    MERORDERID: id,
    GOODSNAME: 'edge',
    NOTIFY_URL: notifyUrl,
  } as never);
  sb.settleOrder(id, 'pay');
  await sb.notificationsIdle();
  const spans = otel.spans().filter((s) => s.attributes[A.MERCHANT_ORDER_ID] === id);
  expect(spans.map((s) => [s.name, s.kind])).toEqual([
    ['mmsp scan.wechatOrder', SpanKind.CLIENT],
    ['mmsp notification', SpanKind.SERVER],
  ]);
  expect(spans[0]!.attributes).toMatchObject({
    [A.SEQ_ID]: order.meta!.seqId,
    [A.OUTCOME]: 'ok',
    'http.response.status_code': 200,
  });
  expect(spans[1]!.attributes).toMatchObject({
    [A.NOTIFICATION_DECISION]: 'handled',
    'http.response.status_code': 200,
    [A.FAMILY]: 'scan',
  });
});
