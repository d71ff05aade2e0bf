// Notification delivery: retries on the document's schedules (compressed by timeScale) until an
// answer starting with SUCCESS (any case), giving up after the last try; every attempt recorded;
// faults: duplicate, out-of-order, tampered signature; the client's receiver decides the answers.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MemoryNotificationStore } from '@mmsp/client';
import { retrySchedule, startSandbox, type NotificationAttempt, type Sandbox } from '../src/index.js';
import { getJson, startReceiver, uniqueId } from './helpers.js';
import { clientFor } from './support.js';

let sb: Sandbox;
let client: ReturnType<typeof clientFor>;
const receivers: Array<{ close(): Promise<void> }> = [];

beforeAll(async () => {
  sb = await startSandbox({ timeScale: 0.0005 });
  client = clientFor(sb);
});
afterEach(() => sb.clearFaults());
afterAll(async () => {
  await sb.close();
  for (const r of receivers) await r.close();
});

async function receiver(answer: Parameters<typeof startReceiver>[0]) {
  const r = await startReceiver(answer);
  receivers.push(r);
  return r;
}

async function paidScanOrder(notifyUrl: string): Promise<string> {
  const mer = uniqueId('N');
  await client.scan.wechatOrder({ TRADETYPE: '1', AMT: '100', MERORDERID: mer, GOODSNAME: 'x', NOTIFY_URL: notifyUrl });
  sb.settleOrder(mer, 'pay');
  return mer;
}

async function attemptsFor(
  mer: string,
  until: (a: NotificationAttempt[]) => boolean,
  timeoutMs = 8000,
): Promise<NotificationAttempt[]> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const a = await getJson<NotificationAttempt[]>(`${sb.url}/_sandbox/notifications?merchantOrderId=${mer}`);
    if (until(a)) return a;
    if (Date.now() > end) throw new Error(`attempts for ${mer}: ${a.length}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('retry schedules (PROTOCOL §5)', () => {
  it("are the document's: quick pay / gateway 0,1,5,10,30,90,180,300 s; scan 0,15,15,30,180,1800×5,3600 s", () => {
    expect(retrySchedule('quickPay', 1)).toEqual([0, 1, 5, 10, 30, 90, 180, 300].map((s) => s * 1000));
    expect(retrySchedule('gateway', 1)).toEqual(retrySchedule('quickPay', 1));
    expect(retrySchedule('scan', 1)).toEqual(
      [0, 15, 15, 30, 180, 1800, 1800, 1800, 1800, 1800, 3600].map((s) => s * 1000),
    );
  });

  it('retries until an answer starting with SUCCESS (case-insensitive)', async () => {
    const r = await receiver((_t, i) =>
      i < 3 ? { status: 500, body: 'busy' } : { status: 200, body: 'success, thanks' },
    );
    const mer = await paidScanOrder(r.url);
    const a = await attemptsFor(mer, (x) => x.some((y) => y.acknowledged));
    expect(a.map((x) => [x.attempt, x.acknowledged, x.status])).toEqual([
      [1, false, 500],
      [2, false, 500],
      [3, true, 200],
    ]);
    expect(a[2]!.response).toBe('success, thanks');
  });

  it('gives up after the last scheduled try (11 for scan code, 8 for quick pay)', async () => {
    const fast = await startSandbox({ timeScale: 0.00005 });
    receivers.push(fast);
    const c = clientFor(fast);
    const r = await receiver(() => ({ status: 200, body: 'OK' }));
    const mer = uniqueId('N');
    await c.scan.wechatOrder({ TRADETYPE: '1', AMT: '100', MERORDERID: mer, GOODSNAME: 'x', NOTIFY_URL: r.url });
    fast.settleOrder(mer, 'pay');
    const q = uniqueId('Q');
    await c.quickPay.unionPayOrder({ MERORDERID: q, AMT: '100', JUMP_URL: 'http://127.0.0.1/j', NOTIFY_URL: r.url });
    fast.settleOrder(q, 'pay');
    const count = (id: string) => fast.notifications().filter((a) => a.merchantOrderId === id);
    const end = Date.now() + 10_000;
    while ((count(mer).length < 11 || count(q).length < 8) && Date.now() < end)
      await new Promise((res) => setTimeout(res, 20));
    await new Promise((res) => setTimeout(res, 300));
    expect(count(mer)).toHaveLength(11);
    expect(count(q)).toHaveLength(8);
    expect([...count(mer), ...count(q)].every((x) => !x.acknowledged)).toBe(true);
    expect(fast.log().some((l) => l.includes('giving up'))).toBe(true);
  });

  it('never contacts a receiver off loopback: the attempt is recorded as refused', async () => {
    const mer = await paidScanOrder('http://192.0.2.1/notify');
    const a = await attemptsFor(mer, (x) => x.length >= 1);
    expect(a[0]!.error).toContain('loopback');
  });
});

describe('close', () => {
  it('stops deliveries in flight: close() does not wait for a receiver that never answers', async () => {
    const { createServer } = await import('node:http');
    const hanging = createServer(() => {
      /* never answers */
    });
    await new Promise<void>((r) => hanging.listen(0, '127.0.0.1', r));
    const port = (hanging.address() as { port: number }).port;
    const own = await startSandbox({ notifyTimeoutMs: 30_000 });
    const mer = uniqueId('H');
    await clientFor(own).scan.wechatOrder({
      TRADETYPE: '1',
      AMT: '1',
      MERORDERID: mer,
      GOODSNAME: 'x',
      NOTIFY_URL: `http://127.0.0.1:${port}/n`,
    });
    own.settleOrder(mer, 'pay');
    await new Promise((r) => setTimeout(r, 200));
    const t0 = Date.now();
    await own.close();
    await own.notificationsIdle();
    expect(Date.now() - t0).toBeLessThan(2000);
    hanging.closeAllConnections();
    hanging.close();
  });
});

describe('notification faults', () => {
  it("notify-duplicate: delivered twice; the client's receiver runs the handler once", async () => {
    const store = new MemoryNotificationStore();
    const handled: string[] = [];
    const r = await receiver(async (text) => {
      const d = await client.notifications.handle(
        text,
        (e) => {
          handled.push(e.merchantOrderId);
        },
        { store },
      );
      return { status: d.status, body: d.body };
    });
    const mer = uniqueId('N');
    sb.injectFault('notify-duplicate', { match: { merchantOrderId: mer } });
    await client.scan.wechatOrder({ TRADETYPE: '1', AMT: '100', MERORDERID: mer, GOODSNAME: 'x', NOTIFY_URL: r.url });
    sb.settleOrder(mer, 'pay');
    const a = await attemptsFor(mer, (x) => x.length >= 2);
    expect(a.map((x) => x.duplicate)).toEqual([false, true]);
    expect(a[1]!.text).toBe(a[0]!.text);
    expect(a.every((x) => x.acknowledged)).toBe(true);
    expect(handled).toEqual([mer]);
  });

  it('notify-tampered-sign: the first push fails verification and is refused; the genuine retry is accepted', async () => {
    const r = await receiver(async (text) => {
      const d = await client.notifications.handle(text, () => undefined);
      return { status: d.status, body: d.body };
    });
    const mer = uniqueId('N');
    sb.injectFault('notify-tampered-sign', { match: { merchantOrderId: mer } });
    await client.scan.wechatOrder({ TRADETYPE: '1', AMT: '100', MERORDERID: mer, GOODSNAME: 'x', NOTIFY_URL: r.url });
    sb.settleOrder(mer, 'pay');
    const a = await attemptsFor(mer, (x) => x.some((y) => y.acknowledged));
    expect(a[0]).toMatchObject({ tampered: true, acknowledged: false });
    expect(a[0]!.status).toBeGreaterThanOrEqual(400);
    expect(a[1]).toMatchObject({ tampered: false, acknowledged: true });
  });

  it('notify-out-of-order: a held notification arrives after a later one', async () => {
    const r = await receiver(() => ({ status: 200, body: 'SUCCESS' }));
    const first = uniqueId('N1');
    const second = uniqueId('N2');
    sb.injectFault({ kind: 'notify-out-of-order', ms: 1000 }, { match: { merchantOrderId: first } });
    for (const mer of [first, second])
      await client.scan.wechatOrder({ TRADETYPE: '1', AMT: '100', MERORDERID: mer, GOODSNAME: 'x', NOTIFY_URL: r.url });
    sb.settleOrder(first, 'pay');
    sb.settleOrder(second, 'pay');
    const got = await r.waitFor(2);
    expect(got[0]!.text).toContain(second);
    expect(got[1]!.text).toContain(first);
  });
});
