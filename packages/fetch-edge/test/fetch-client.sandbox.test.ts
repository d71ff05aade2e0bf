import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startSandbox, type Sandbox } from '@mmsp/sandbox';
import { MmspTransportError } from '@mmsp/client';
import { createFetchClient } from '../src/index.js';

// createFetchClient (Node's own fetch + Web Crypto) against the sandbox on loopback, with the
// sandbox's fault injection: the transport's answers drive the client's never-resend rule.
let sb: Sandbox;
const quiet = { debug() {}, info() {}, warn() {}, error() {} };
let n = 0;

beforeAll(async () => {
  sb = await startSandbox({ port: 0, timeScale: 0.001, payoutDelayMs: 50 });
});
afterAll(async () => {
  await sb?.close();
});

const clientFor = (overrides: { endpoints?: Record<string, string>; timeoutMs?: number } = {}) =>
  createFetchClient({
    merchantNo: sb.merchant.merchantNo,
    terminalNo: sb.merchant.terminalNo,
    key: sb.merchant.key,
    endpoints: overrides.endpoints ?? sb.merchant.endpoints,
    payout: { platformPublicKey: sb.merchant.platformPublicKey, merchantPrivateKey: sb.merchant.merchantPrivateKey },
    logger: quiet,
    ...(overrides.timeoutMs ? { timeoutMs: overrides.timeoutMs } : {}),
  });
const orderNo = () => `${Date.now()}${String(++n).padStart(4, '0')}`;
const payout = (ORDERNO: string) => ({
  ORDERNO,
  AMT: '10000',
  BUSIYPE: '001',
  ACCNAME: '张三',
  ACCNO: '6225123456781234',
  MEMO: '代付',
  ACCTYPE: '0',
  MOBILE: '13800138000',
  BANKNAME: '招商银行',
});
const payoutsOf = (no: string) => sb.payouts().filter((p) => JSON.stringify(p).includes(no));

describe('createFetchClient against the sandbox', () => {
  it('places a scan-code order and queries it', async () => {
    const client = clientFor();
    const id = `F${Date.now() % 1e9}${++n}`;
    const placed = await client.scan.wechatOrder({
      AMT: '300',
      MERORDERID: id,
      GOODSNAME: 'tea',
      TRADETYPE: '1',
      NOTIFY_URL: 'http://127.0.0.1:9/notify',
    } as never);
    expect(placed.body).toMatchObject({ STATUS: '1', MERORDERID: id });
    sb.settleOrder(id, 'pay');
    const queried = await client.scan.query({ MERORDERID: id } as never);
    expect(queried.state).toBe('paid');
  });

  it('sends through a passed fetch instead of the global one', async () => {
    const urls: string[] = [];
    const c = createFetchClient({
      merchantNo: sb.merchant.merchantNo,
      terminalNo: sb.merchant.terminalNo,
      key: sb.merchant.key,
      endpoints: { scan: sb.merchant.endpoints.scan },
      logger: quiet,
      fetch: (input, init) => {
        urls.push(String(input));
        return fetch(input, init);
      },
    });
    const id = `P${Date.now() % 1e9}${++n}`;
    await c.scan.wechatOrder({
      AMT: '300',
      MERORDERID: id,
      GOODSNAME: 'tea',
      TRADETYPE: '1',
      NOTIFY_URL: 'http://127.0.0.1:9/notify',
    } as never);
    expect(urls).toEqual([sb.merchant.endpoints.scan]);
  });

  it('pays out over Web Crypto SHA1withRSA; the sandbox checks the signature and decrypts', async () => {
    const no = orderNo();
    const res = await clientFor().payout.pay(payout(no) as never);
    expect(res.body).toMatchObject({ ORDERNO: no });
    expect(payoutsOf(no)).toHaveLength(1);
  });

  it('a connection reset after the platform acted: the client queries, never resends (one payout on the platform)', async () => {
    const no = orderNo();
    sb.injectFault('reset-after', { match: { operation: 'payout.pay', merchantOrderId: no } });
    const res = await clientFor().payout.pay(payout(no) as never);
    expect(res.operation).toBe('payout.query');
    expect(res.body).toMatchObject({ ORDERNO: no });
    expect(payoutsOf(no)).toHaveLength(1);
  });

  it('connection refused: the error says nothing was sent, and nothing reached the platform', async () => {
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const closed = `http://127.0.0.1:${(probe.address() as AddressInfo).port}/payout`;
    await new Promise<void>((r) => probe.close(() => r()));
    const no = orderNo();
    const error = await clientFor({ endpoints: { ...sb.merchant.endpoints, payout: closed } })
      .payout.pay(payout(no) as never)
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(MmspTransportError);
    expect((error as MmspTransportError).mayHaveReachedPlatform).toBe(false);
    expect(payoutsOf(no)).toHaveLength(0);
  });

  it('the client timeout aborts a slow answer through AbortSignal; the query is retried and succeeds', async () => {
    const c = clientFor({ timeoutMs: 400 });
    const id = `T${Date.now() % 1e9}${++n}`;
    await c.scan.wechatOrder({
      AMT: '300',
      MERORDERID: id,
      GOODSNAME: 'tea',
      TRADETYPE: '1',
      NOTIFY_URL: 'http://127.0.0.1:9/notify',
    } as never);
    sb.injectFault({ kind: 'latency', ms: 3_000 }, { match: { operation: 'scan.query', merchantOrderId: id } });
    const started = Date.now();
    const q = await c.scan.query({ MERORDERID: id } as never);
    expect(q.body).toMatchObject({ MERORDERID: id });
    expect(Date.now() - started).toBeLessThan(3_000);
  });
});

describe('createFetchClient: request metadata and hooks (issue #15)', () => {
  it('passes hooks through: the events and the result carry the same meta; an HTTP error carries its status', async () => {
    const events: { type: string; meta?: unknown; ok?: boolean }[] = [];
    const c = createFetchClient({
      merchantNo: sb.merchant.merchantNo,
      terminalNo: sb.merchant.terminalNo,
      key: sb.merchant.key,
      endpoints: sb.merchant.endpoints,
      logger: quiet,
      hooks: { onRequest: (e) => void events.push(e), onResponse: (e) => void events.push(e) },
    });
    const id = `K${Date.now() % 1e9}${++n}`;
    const placed = await c.scan.wechatOrder({
      AMT: '300',
      MERORDERID: id,
      GOODSNAME: 'tea',
      TRADETYPE: '1',
      NOTIFY_URL: 'http://127.0.0.1:9/notify',
    } as never);
    expect(placed.meta).toMatchObject({
      operation: 'scan.wechatOrder',
      family: 'scan',
      url: sb.merchant.endpoints.scan,
      httpStatus: 200,
      attempts: 1,
    });
    expect(events.map((e) => e.type)).toEqual(['request', 'response']);
    expect(events[1]!.meta).toEqual(placed.meta);
    const other = `K${Date.now() % 1e9}${++n}`;
    sb.injectFault({ kind: 'http-error', status: 502 }, { match: { merchantOrderId: other } });
    const error = await c.scan
      .wechatOrder({
        AMT: '300',
        MERORDERID: other,
        GOODSNAME: 'tea',
        TRADETYPE: '1',
        NOTIFY_URL: 'http://127.0.0.1:9/notify',
      } as never)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MmspTransportError);
    expect((error as MmspTransportError).meta).toMatchObject({
      httpStatus: 502,
      operation: 'scan.wechatOrder',
      attempts: 1,
    });
    expect(events.at(-1)).toMatchObject({ type: 'response', ok: false, meta: { httpStatus: 502 } });
  });
});
