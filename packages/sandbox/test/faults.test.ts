// Every request fault, over real HTTP with the client: latency, reset before / after the platform
// acted, HTTP 5xx (before / after), RetCode 0, payout RETCODE 0001 and a reset after a payout;
// per request (header), per merchant (times 0) and cleared through the API.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MmspProtocolError, MmspTransportError } from '@mmsp/client';
import { startSandbox, type Sandbox } from '../src/index.js';
import { envelope, getJson, postJson, uniqueId } from './helpers.js';
import { clientFor } from './support.js';

let sb: Sandbox;
let client: ReturnType<typeof clientFor>;

beforeAll(async () => {
  sb = await startSandbox({ payoutDelayMs: 60_000 });
  client = clientFor(sb, { timeoutMs: 5000 });
});
afterEach(() => sb.clearFaults());
afterAll(() => sb.close());

const order = () => ({
  TRADETYPE: '1' as const,
  AMT: '100',
  MERORDERID: uniqueId('F'),
  GOODSNAME: 'x',
  NOTIFY_URL: 'http://127.0.0.1:9/n',
});
const exists = (mer: string) => sb.orders().some((o) => o.merchantOrderId === mer);
let n = 0;
const payout = () => ({
  ORDERNO: `${Date.now()}${++n}`,
  AMT: '100',
  BUSIYPE: '001' as const,
  ACCNAME: '张三',
  ACCNO: '6225123456781234',
  MEMO: 'm',
  ACCTYPE: '0' as const,
  MOBILE: '13800138000',
  BANKNAME: '招商银行',
});

describe('request faults', () => {
  it('latency delays the answer, which is then normal', async () => {
    const body = order();
    await postJson(`${sb.url}/_sandbox/faults`, {
      fault: { kind: 'latency', ms: 400 },
      match: { operation: 'scan.wechatOrder', merchantOrderId: body.MERORDERID },
    });
    const t0 = Date.now();
    const res = await client.scan.wechatOrder(body);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(380);
    expect(res.body.STATUS).toBe('1');
  });

  it('reset-before: the connection drops and nothing happened', async () => {
    const body = order();
    sb.injectFault('reset-before', { match: { merchantOrderId: body.MERORDERID } });
    await expect(client.scan.wechatOrder(body)).rejects.toBeInstanceOf(MmspTransportError);
    expect(exists(body.MERORDERID)).toBe(false);
  });

  it('reset-after: the connection drops but the order exists (query settles it)', async () => {
    const body = order();
    sb.injectFault('reset-after', { match: { merchantOrderId: body.MERORDERID } });
    await expect(client.scan.wechatOrder(body)).rejects.toMatchObject({ mayHaveReachedPlatform: true });
    expect(exists(body.MERORDERID)).toBe(true);
    expect((await client.scan.query({ MERORDERID: body.MERORDERID })).body.STATUS).toBe('3');
  });

  it('http-error: HTTP 503 before acting, HTTP 502 after acting', async () => {
    const a = order();
    sb.injectFault({ kind: 'http-error', status: 503 }, { match: { merchantOrderId: a.MERORDERID } });
    await expect(client.scan.wechatOrder(a)).rejects.toMatchObject({
      name: 'MmspTransportError',
      status: 503,
      mayHaveReachedPlatform: true,
    });
    expect(exists(a.MERORDERID)).toBe(false);
    const b = order();
    sb.injectFault({ kind: 'http-error', after: true }, { match: { merchantOrderId: b.MERORDERID } });
    await expect(client.scan.wechatOrder(b)).rejects.toMatchObject({ name: 'MmspTransportError', status: 502 });
    expect(exists(b.MERORDERID)).toBe(true);
  });

  it('retcode-0: the negative response 32768 with RetCode 0, nothing happened', async () => {
    const body = order();
    sb.injectFault('retcode-0', { match: { operation: 'scan.wechatOrder', merchantOrderId: body.MERORDERID } });
    const err = await client.scan.wechatOrder(body).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MmspProtocolError);
    expect((err as MmspProtocolError).retCode).toBe('0');
    expect(exists(body.MERORDERID)).toBe(false);
  });

  it('retcode-0001 on a payout: carried out, answered 0001; the client queries; one payout', async () => {
    const body = payout();
    sb.injectFault('retcode-0001', { match: { operation: 'payout.pay', merchantOrderId: body.ORDERNO } });
    const res = await client.payout.pay(body);
    expect(res.operation).toBe('payout.query');
    expect(res.body.PAYSTATE).toBe('2');
    expect(sb.payouts().filter((p) => p.orderNo === body.ORDERNO)).toHaveLength(1);
  });

  it('reset-after on a payout: the client never resends, it queries; one payout', async () => {
    const body = payout();
    sb.injectFault('reset-after', { match: { operation: 'payout.pay', merchantOrderId: body.ORDERNO } });
    const res = await client.payout.pay(body);
    expect(res.operation).toBe('payout.query');
    expect(sb.payouts().filter((p) => p.orderNo === body.ORDERNO)).toHaveLength(1);
  });

  it('a fault per request via the x-mmsp-sandbox-fault header', async () => {
    const body = order();
    const text = envelope(sb, 'scan', 2306, body);
    await expect(
      fetch(`${sb.url}/scan`, { method: 'POST', body: text, headers: { 'x-mmsp-sandbox-fault': 'reset-before' } }),
    ).rejects.toThrow();
    expect(exists(body.MERORDERID)).toBe(false);
    const res = await fetch(`${sb.url}/scan`, {
      method: 'POST',
      body: text,
      headers: { 'x-mmsp-sandbox-fault': '{"kind":"http-error","status":500}' },
    });
    expect(res.status).toBe(500);
  });

  it('a per-merchant fault (times 0) hits every request until DELETE /_sandbox/faults', async () => {
    await postJson(`${sb.url}/_sandbox/faults`, {
      fault: { kind: 'retcode-0' },
      match: { merchantNo: sb.merchant.merchantNo, family: 'scan' },
      times: 0,
    });
    for (let i = 0; i < 3; i++)
      await expect(client.scan.wechatOrder(order())).rejects.toBeInstanceOf(MmspProtocolError);
    expect(await getJson<unknown[]>(`${sb.url}/_sandbox/faults`)).toHaveLength(1);
    await fetch(`${sb.url}/_sandbox/faults`, { method: 'DELETE' });
    expect((await client.scan.wechatOrder(order())).body.STATUS).toBe('1');
  });

  it('a bad fault is refused with a message naming the field', async () => {
    const res = await postJson<{ error: string }>(`${sb.url}/_sandbox/faults`, { fault: { kind: 'explode' } });
    expect(res.status).toBe(400);
    expect(res.json.error).toContain('fault.kind');
  });
});
