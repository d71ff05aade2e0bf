// Losing notifications (issue #16): fault notify-lost for a merchant or an order — nothing is
// POSTed, the platform gives up, the attempt is recorded with the text it would have sent — and
// their late delivery: to NOTIFY_URL on the retry schedule, or once to several receivers at once.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type NotificationAttempt, type Sandbox } from '../src/index.js';
import { getJson, startReceiver, uniqueId } from './helpers.js';
import { clientFor } from './support.js';

let sb: Sandbox;
let client: ReturnType<typeof clientFor>;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let other: Awaited<ReturnType<typeof startReceiver>>;

beforeAll(async () => {
  sb = await startSandbox({ timeScale: 0.0005 });
  client = clientFor(sb);
  receiver = await startReceiver((_t, i) =>
    i === 1 ? { status: 500, body: 'down' } : { status: 200, body: 'SUCCESS' },
  );
  other = await startReceiver(() => ({ status: 200, body: 'SUCCESS' }));
});
afterEach(() => sb.clearFaults());
afterAll(async () => {
  await sb.close();
  await receiver.close();
  await other.close();
});

async function paid(family: 'scan' | 'quickPay' = 'scan'): Promise<string> {
  const mer = uniqueId('L');
  if (family === 'scan')
    await client.scan.wechatOrder({
      TRADETYPE: '1',
      AMT: '100',
      MERORDERID: mer,
      GOODSNAME: 'x',
      NOTIFY_URL: receiver.url,
    });
  else
    await client.quickPay.pay({
      MERORDERID: mer,
      AMT: '100',
      NAME: '张安',
      PHONENO: '18826570890',
      CARDNO: '6227000013830230000',
      CARDTYPE: '1',
      ID_NO: '23210219820916601X',
      NOTIFY_URL: receiver.url,
    });
  sb.settleOrder(mer, 'pay');
  return mer;
}

const post = (path: string, body: unknown) =>
  fetch(`${sb.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

describe('notify-lost', () => {
  it('per order: that notification is lost (recorded, never sent), the others are delivered', async () => {
    const lostId = uniqueId('L');
    const res = await post('/_sandbox/faults', { fault: 'notify-lost', match: { merchantOrderId: lostId }, times: 0 });
    expect(res.status).toBe(201);
    await client.scan.wechatOrder({
      TRADETYPE: '1',
      AMT: '100',
      MERORDERID: lostId,
      GOODSNAME: 'x',
      NOTIFY_URL: receiver.url,
    });
    sb.settleOrder(lostId, 'pay');
    const kept = await paid();
    await sb.notificationsIdle();
    const lost = await getJson<NotificationAttempt[]>(`${sb.url}/_sandbox/notifications?merchantOrderId=${lostId}`);
    expect(lost).toHaveLength(1);
    expect(lost[0]).toMatchObject({ lost: true, acknowledged: false, attempt: 0 });
    expect(lost[0]!.status).toBeUndefined();
    expect(lost[0]!.text).toContain(lostId);
    expect(receiver.received.some((r) => r.text.includes(lostId))).toBe(false);
    expect(receiver.received.some((r) => r.text.includes(kept))).toBe(true);
  });

  it('per merchant (loseNotifications): every family lost until cleared; GET lost lists them with their text', async () => {
    sb.loseNotifications({ merchantNo: sb.merchant.merchantNo });
    const a = await paid('scan');
    const b = await paid('quickPay');
    await sb.notificationsIdle();
    const listed = await getJson<Array<{ merchantOrderId: string; family: string; text: string }>>(
      `${sb.url}/_sandbox/notifications/lost?merchantNo=${sb.merchant.merchantNo}`,
    );
    expect(listed.map((l) => l.merchantOrderId)).toEqual(expect.arrayContaining([a, b]));
    expect(receiver.received.some((r) => r.text.includes(a) || r.text.includes(b))).toBe(false);
    sb.clearFaults();
    const c = await paid();
    await receiver.waitFor(receiver.received.length + 1);
    await sb.notificationsIdle();
    expect(receiver.received.some((r) => r.text.includes(c))).toBe(true);
  });

  it('deliver-lost to NOTIFY_URL: the retry schedule runs again until SUCCESS', async () => {
    const mer = uniqueId('L');
    sb.loseNotifications({ merchantOrderId: mer });
    await client.scan.wechatOrder({
      TRADETYPE: '1',
      AMT: '100',
      MERORDERID: mer,
      GOODSNAME: 'x',
      NOTIFY_URL: receiver.url,
    });
    sb.settleOrder(mer, 'pay');
    const res = await post('/_sandbox/notifications/deliver-lost', { merchantOrderId: mer });
    expect(res.status).toBe(200);
    await sb.notificationsIdle();
    const attempts = await getJson<NotificationAttempt[]>(`${sb.url}/_sandbox/notifications?merchantOrderId=${mer}`);
    expect(attempts.some((x) => x.acknowledged)).toBe(true);
    // Delivered: no longer lost, a second deliver-lost does nothing.
    const again = (await (await post('/_sandbox/notifications/deliver-lost', { merchantOrderId: mer })).json()) as {
      delivered: number;
      attempts: unknown[];
    };
    expect(again).toEqual({ delivered: 0, attempts: [] });
  });

  it('deliver-lost to several urls: one POST of the same signed text to each, at the same time', async () => {
    const mer = await (async () => {
      sb.loseNotifications({ merchantNo: sb.merchant.merchantNo });
      return paid();
    })();
    const before = other.received.length;
    const out = (await (
      await post('/_sandbox/notifications/deliver-lost', { merchantOrderId: mer, urls: [receiver.url, other.url] })
    ).json()) as { delivered: number; attempts: NotificationAttempt[] };
    expect(out.delivered).toBe(1);
    expect(out.attempts.map((x) => x.url).sort()).toEqual([receiver.url, other.url].sort());
    expect(new Set(out.attempts.map((x) => x.text)).size).toBe(1);
    expect(other.received.length).toBe(before + 1);
    const bad = await post('/_sandbox/notifications/deliver-lost', { urls: ['http://example.com/n'] });
    expect(bad.status).toBe(400);
  });
});
