/**
 * Issue #16, "How this is judged", with a real Redis: every notification of the merchant is lost;
 * 220 paid orders across scan, quick pay and gateway, 30 unpaid and 30 closed. One reconciler run
 * settles every paid order exactly once and every closed one as failed; the lost notifications,
 * then delivered late and at the same time to two receiver instances sharing the Redis store (each
 * with its own connection), run no onPaid a second time. Then the race: 60 more paid orders whose
 * late notifications reach both receivers while the reconciler runs — still one onPaid each.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReconciler, notificationId, type FailedOrder, type MmspClient, type PaidEvent } from '@mmsp/client';
import { startSandbox, type Sandbox } from '../../sandbox/src/index.js';
import {
  clientOf,
  countingTransport,
  plantOrders,
  startEndpoint,
  type PlantedOrder,
} from '../../client/test/support/reconcile-scenario.js';
import { RedisNotificationStore } from '../src/index.js';
import { testRedisUrl } from './support/env.js';

const url = testRedisUrl();
const prefix = `mmsp-reconcile:${process.pid}:${Date.now()}:`;
const stores: RedisNotificationStore[] = [];
const storeOf = () => {
  const s = new RedisNotificationStore({ redis: url, keyPrefix: prefix });
  stores.push(s);
  return s;
};

let sb: Sandbox;
let client: MmspClient;
const sent = { count: 0, commands: new Map<number, number>() };
const runs = new Map<string, string[]>();
const record = (by: string) => async (event: PaidEvent) => {
  await new Promise((r) => setTimeout(r, 2)); // a handler that writes to a database
  const id = notificationId(event);
  runs.set(id, [...(runs.get(id) ?? []), by]);
};
const endpoints: Array<Awaited<ReturnType<typeof startEndpoint>>> = [];
let planted: PlantedOrder[];

beforeAll(async () => {
  sb = await startSandbox({ timeScale: 0.0005, seed: 'reconcile-redis' });
  client = clientOf(sb, countingTransport(sent));
  for (const name of ['receiver-1', 'receiver-2']) {
    const receiver = clientOf(sb);
    const store = storeOf();
    endpoints.push(
      await startEndpoint(async (text) => {
        const d = await receiver.notifications.handle(text, record(name), { store });
        return { status: d.status, body: d.body };
      }),
    );
  }
  sb.loseNotifications({ merchantNo: sb.merchant.merchantNo });
  planted = await plantOrders(
    sb,
    clientOf(sb),
    { scan: 80, quickPay: 70, gateway: 70, unpaid: 30, closed: 30 },
    endpoints[0]!.url,
  );
}, 300_000);
afterAll(async () => {
  await sb.close();
  for (const e of endpoints) await e.close();
  for (const s of stores) await s.close();
});

describe('reconciliation with every notification lost, a Redis store shared with two receivers', () => {
  it('one runOnce settles the 220 paid orders exactly once and the 30 closed ones as failed', async () => {
    const failed: FailedOrder[] = [];
    const reconciler = createReconciler({
      client,
      store: storeOf(),
      minAgeMs: 0,
      concurrency: 8,
      pending: () => planted,
      onPaid: record('reconciler'),
      onFailed: (o) => void failed.push(o),
    });
    sent.count = 0;
    const started = performance.now();
    const report = await reconciler.runOnce();
    const ms = performance.now() - started;
    expect(report).toMatchObject({
      checked: 280,
      paid: 220,
      handled: 220,
      alreadyHandled: 0,
      failed: 30,
      stillPending: 30,
      unknown: 0,
      errors: 0,
    });
    expect(runs.size).toBe(220);
    expect([...runs.values()].every((r) => r.length === 1 && r[0] === 'reconciler')).toBe(true);
    for (const o of planted.filter((x) => x.expect === 'paid')) {
      expect(report.items.find((i) => i.merchantOrderId === o.merchantOrderId)).toMatchObject({
        outcome: 'paid',
        amount: o.amount,
      });
    }
    expect(failed.map((f) => f.merchantOrderId).sort()).toEqual(
      planted
        .filter((o) => o.expect === 'failed')
        .map((o) => o.merchantOrderId)
        .sort(),
    );
    expect(sent.count).toBe(280); // one query per order, nothing else
    console.log(
      `reconcile (Redis store): 280 orders in ${ms.toFixed(0)} ms = ${((280 / ms) * 1000).toFixed(0)} orders/s, ${(sent.count / 280).toFixed(2)} queries per order`,
    );
  });

  it('the lost notifications delivered late, to both receivers at once: SUCCESS everywhere, no onPaid twice', async () => {
    const attempts = await sb.deliverLostNotifications(
      { merchantNo: sb.merchant.merchantNo },
      { urls: endpoints.map((e) => e.url) },
    );
    expect(attempts).toHaveLength(440);
    expect(attempts.every((a) => a.acknowledged && a.status === 200)).toBe(true);
    expect(runs.size).toBe(220);
    expect([...runs.values()].every((r) => r.length === 1 && r[0] === 'reconciler')).toBe(true);
  });

  it('late notifications to both receivers while the reconciler runs: one onPaid per payment', async () => {
    const more = await plantOrders(
      sb,
      clientOf(sb),
      { scan: 20, quickPay: 20, gateway: 20, unpaid: 0, closed: 0 },
      endpoints[0]!.url,
    );
    const reconciler = createReconciler({
      client,
      store: storeOf(),
      minAgeMs: 0,
      concurrency: 8,
      pending: () => more,
      onPaid: record('reconciler'),
    });
    // The reconciler walks the orders first to last; the late pushes come last to first, staggered,
    // so that the two meet in the middle (both at once on some orders).
    const late = Promise.all(
      [...more].reverse().map(async (o, i) => {
        await new Promise((r) => setTimeout(r, i * 15));
        return sb.deliverLostNotifications(
          { merchantOrderId: o.merchantOrderId },
          { urls: endpoints.map((e) => e.url) },
        );
      }),
    ).then((a) => a.flat());
    const [report, attempts] = await Promise.all([reconciler.runOnce(), late]);
    const ids = more.map((o) => [...runs.keys()].find((id) => id.includes(`:${o.merchantOrderId}:`))!);
    expect(ids.every((id) => id !== undefined)).toBe(true);
    expect(ids.map((id) => runs.get(id)!.length)).toEqual(more.map(() => 1));
    const by = ids.map((id) => runs.get(id)![0]);
    console.log(
      `race: ${by.filter((b) => b === 'reconciler').length} by the reconciler, ${by.filter((b) => b !== 'reconciler').length} by a receiver; ${report.items.filter((i) => i.outcome === 'busy').length} busy`,
    );
    expect(report.paid + report.stillPending).toBe(60);
    // Deliveries answered 409 (another instance held the claim) are retried by the platform; the next run sees them done.
    await sb.notificationsIdle();
    const again = await reconciler.runOnce();
    expect(again).toMatchObject({ paid: 60, handled: 0, alreadyHandled: 60 });
    expect(attempts.length).toBe(120);
    expect(ids.map((id) => runs.get(id)!.length)).toEqual(more.map(() => 1));
  });
});
