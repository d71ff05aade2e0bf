import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '@mmsp/sandbox';
import { RUNTIMES, startRuntime, type RunningRuntime } from './runtime/harness.js';

// Against @mmsp/sandbox on loopback, from a worker on each real runtime:
// (a) createFetchClient places a scan-code order and queries it, and pays out (RSA: Web Crypto
//     SHA1withRSA + the codec's PKCS#1 v1.5 encryption) and queries the payout;
// (b) the sandbox pushes the signed notification to the worker's createNotificationHandler, which
//     answers SUCCESS; a notification with a tampered signature is rejected, the genuine retry
//     is answered SUCCESS, and onPaid runs once.
let sb: Sandbox;
let merchant: Record<string, unknown> & { key: string };
let n = 0;

beforeAll(async () => {
  sb = await startSandbox({ port: 0, timeScale: 0.001 });
  // The contract endpoint, as any tool would read it.
  merchant = (await (await fetch(`${sb.url}/_sandbox/merchant`)).json()) as typeof merchant;
});
afterAll(async () => {
  await sb?.close();
});

interface CallResult {
  operation: string;
  state?: string;
  body?: Record<string, unknown>;
  error?: { name: string; message: string };
}

async function waitFor<T>(
  what: string,
  probe: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.each(RUNTIMES)('against the sandbox, on %s', (runtime) => {
  let running: RunningRuntime;
  beforeAll(async () => {
    running = await startRuntime(runtime, { MMSP_KEY: merchant.key });
  });
  afterAll(async () => {
    await running?.stop();
  });

  const calls = async (list: { operation: string; body: Record<string, unknown> }[]) => {
    const res = await fetch(`${running.url}/order`, {
      method: 'POST',
      body: JSON.stringify({ merchant, calls: list }),
    });
    expect(res.status, running.output()).toBe(200);
    return (await res.json()) as CallResult[];
  };
  const events = async () =>
    (await (await fetch(`${running.url}/events`)).json()) as { merchantOrderId: string; amount: string }[];
  const orderId = () => `E${runtime.slice(0, 2).toUpperCase()}${Date.now() % 1e9}${++n}`;

  it('(a) places a scan-code order and queries it', async () => {
    const id = orderId();
    const [placed, queried] = await calls([
      {
        operation: 'scan.wechatOrder',
        body: { AMT: '300', MERORDERID: id, GOODSNAME: 'tea', TRADETYPE: '1', NOTIFY_URL: `${running.url}/notify` },
      },
      { operation: 'scan.query', body: { MERORDERID: id } },
    ]);
    expect(placed?.error, JSON.stringify(placed)).toBeUndefined();
    expect(placed?.body).toMatchObject({ STATUS: '1', MERORDERID: id });
    expect(String(placed?.body?.URL)).toContain('/_sandbox/pay/');
    expect(queried?.error, JSON.stringify(queried)).toBeUndefined();
    expect(queried?.body).toMatchObject({ MERORDERID: id });
    expect(queried?.state).not.toBe('paid');
  });

  it('(a) pays out with RSA from the runtime and queries the payout', async () => {
    const orderNo = `${Date.now()}${String(++n).padStart(4, '0')}`;
    const [paid, queried] = await calls([
      {
        operation: 'payout.pay',
        body: {
          ORDERNO: orderNo,
          AMT: '10000',
          BUSIYPE: '001',
          ACCNAME: '张三',
          ACCNO: '6225123456781234',
          MEMO: '代付',
          ACCTYPE: '0',
          MOBILE: '13800138000',
          BANKNAME: '招商银行',
        },
      },
      { operation: 'payout.query', body: { ORDERNO: orderNo } },
    ]);
    expect(paid?.error, JSON.stringify(paid)).toBeUndefined();
    expect(paid?.body).toMatchObject({ ORDERNO: orderNo });
    expect(['paying', 'accepted', 'paid']).toContain(paid?.state);
    expect(queried?.error, JSON.stringify(queried)).toBeUndefined();
    expect(queried?.body).toMatchObject({ ORDERNO: orderNo });
    expect(
      sb
        .payouts()
        .filter(
          (p) =>
            (p as unknown as { orderNo?: string; ORDERNO?: string }).orderNo === orderNo ||
            JSON.stringify(p).includes(orderNo),
        ),
    ).toHaveLength(1);
  });

  it("(b) the sandbox's notification is answered SUCCESS, once, and the order reads paid", async () => {
    const id = orderId();
    await calls([
      {
        operation: 'scan.wechatOrder',
        body: { AMT: '480', MERORDERID: id, GOODSNAME: 'tea', TRADETYPE: '1', NOTIFY_URL: `${running.url}/notify` },
      },
    ]);
    sb.settleOrder(id, 'pay');
    const acked = await waitFor('an acknowledged delivery', () =>
      sb.notifications().find((a) => a.merchantOrderId === id && a.status === 200),
    );
    expect(acked.response).toMatch(/^SUCCESS/);
    await sb.notificationsIdle();
    expect((await events()).filter((e) => e.merchantOrderId === id).map((e) => e.amount)).toEqual(['480']);
    const [queried] = await calls([{ operation: 'scan.query', body: { MERORDERID: id } }]);
    expect(queried?.state).toBe('paid');
  });

  it('(b) a tampered notification is rejected; the genuine retry is SUCCESS; onPaid ran once', async () => {
    const id = orderId();
    await calls([
      {
        operation: 'scan.wechatOrder',
        body: { AMT: '520', MERORDERID: id, GOODSNAME: 'tea', TRADETYPE: '1', NOTIFY_URL: `${running.url}/notify` },
      },
    ]);
    sb.injectFault('notify-tampered-sign', { match: { merchantOrderId: id } });
    sb.settleOrder(id, 'pay');
    await waitFor('an acknowledged retry', () =>
      sb.notifications().find((a) => a.merchantOrderId === id && a.status === 200),
    );
    await sb.notificationsIdle();
    const attempts = sb.notifications().filter((a) => a.merchantOrderId === id);
    expect(attempts[0]?.status, JSON.stringify(attempts)).toBe(400);
    expect(attempts[0]?.response).not.toMatch(/^SUCCESS/i);
    expect(attempts.at(-1)?.status).toBe(200);
    expect((await events()).filter((e) => e.merchantOrderId === id)).toHaveLength(1);
  });
});
