// Issue #16 against the real sandbox (loopback HTTP, no mocks): every notification of the merchant
// is lost; one reconciler run settles every paid order exactly once (the same PaidEvent and store
// id as the notification) and every closed one as failed; the lost notifications delivered late,
// before, during and after a run, never run onPaid a second time. Only queries are sent.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogue } from '@mmsp/codec';
import {
  MemoryNotificationStore,
  MmspValidationError,
  createReconciler,
  notificationId,
  type FailedOrder,
  type MmspClient,
  type PaidEvent,
  type PayoutPaidEvent,
  type ReconcileSource,
} from '@mmsp/client';
import { startSandbox, type Sandbox } from '../../sandbox/src/index.js';
import {
  clientOf,
  countingTransport,
  createOrder,
  orderId,
  payOrder,
  plantOrders,
  startEndpoint,
  type PlantedOrder,
} from './support/reconcile-scenario.js';

let sb: Sandbox;
let client: MmspClient;
const sent = { count: 0, commands: new Map<number, number>() };
/** The shared store of the receiver and the reconciler. */
const store = new MemoryNotificationStore();
/** Every onPaid run, by store id, whoever ran it. */
const runs = new Map<string, Array<{ by: 'push' | 'reconciler'; event: PaidEvent }>>();
let endpoint: Awaited<ReturnType<typeof startEndpoint>>;
let planted: PlantedOrder[];

const record = (by: 'push' | 'reconciler') => (event: PaidEvent) => {
  const id = notificationId(event);
  runs.set(id, [...(runs.get(id) ?? []), { by, event }]);
};
const onPaidByPush = record('push');

beforeAll(async () => {
  sb = await startSandbox({ timeScale: 0.0005, seed: 'reconcile' });
  client = clientOf(sb, countingTransport(sent));
  const receiver = clientOf(sb);
  endpoint = await startEndpoint(async (text) => {
    const d = await receiver.notifications.handle(text, onPaidByPush, { store });
    return { status: d.status, body: d.body };
  });
  sb.loseNotifications({ merchantNo: sb.merchant.merchantNo });
  planted = await plantOrders(
    sb,
    clientOf(sb),
    { scan: 10, quickPay: 10, gateway: 10, unpaid: 6, closed: 6 },
    endpoint.url,
  );
});
afterAll(async () => {
  await sb.close();
  await endpoint.close();
});

const QUERY_IDS = new Set<number>(
  Object.values(catalogue)
    .filter((op) => /\.(query|batchQuery|refundQuery|bindQuery|balance)$/.test(op.name))
    .map((op) => op.requestId),
);

describe('reconciler: every notification lost (issue #16)', () => {
  it('the sandbox lost every notification: none reached the receiver', async () => {
    await sb.notificationsIdle();
    const attempts = sb.notifications().filter((a) => planted.some((o) => o.merchantOrderId === a.merchantOrderId));
    expect(attempts).toHaveLength(30);
    expect(attempts.every((a) => a.lost === true && a.status === undefined && !a.acknowledged)).toBe(true);
    expect(runs.size).toBe(0);
  });

  it('one runOnce settles every paid order exactly once and every closed one as failed; only queries are sent', async () => {
    const failures: FailedOrder[] = [];
    const infos: ReconcileSource[] = [];
    const reconciler = createReconciler({
      client,
      store,
      minAgeMs: 0,
      concurrency: 4,
      pending: () => planted,
      onPaid: (event, info) => {
        infos.push(info);
        record('reconciler')(event);
      },
      onFailed: (order) => void failures.push(order),
    });
    sent.count = 0;
    sent.commands.clear();
    const report = await reconciler.runOnce();
    expect(report).toMatchObject({
      checked: 42,
      paid: 30,
      handled: 30,
      alreadyHandled: 0,
      failed: 6,
      stillPending: 6,
      unknown: 0,
      errors: 0,
      aborted: false,
      queries: 42,
    });
    const paid = planted.filter((o) => o.expect === 'paid');
    expect(runs.size).toBe(30);
    for (const o of paid) {
      const item = report.items.find((i) => i.merchantOrderId === o.merchantOrderId)!;
      expect(item).toMatchObject({ outcome: 'paid', state: 'paid', amount: o.amount });
      const handled = [...runs.values()].filter((r) => r[0]!.event.merchantOrderId === o.merchantOrderId);
      expect(handled).toHaveLength(1);
      expect(handled[0]).toHaveLength(1);
      expect(handled[0]![0]!.event).toMatchObject({
        type: 'paid',
        family: o.family,
        merchantOrderId: o.merchantOrderId,
        amount: o.amount,
      });
    }
    expect(infos.every((i) => i.source === 'reconciliation' && i.operation.endsWith('.query'))).toBe(true);
    expect(failures.map((f) => f.merchantOrderId).sort()).toEqual(
      planted
        .filter((o) => o.expect === 'failed')
        .map((o) => o.merchantOrderId)
        .sort(),
    );
    expect(failures.every((f) => f.state === 'failed' || f.state === 'closed')).toBe(true);
    // Money safety: the run sent 42 requests and every one was a query.
    expect(sent.count).toBe(42);
    const queryIds = [
      catalogue['quickPay.query'].requestId,
      catalogue['scan.query'].requestId,
      catalogue['gateway.query'].requestId,
    ];
    expect([...sent.commands.keys()].sort()).toEqual([...queryIds].sort());
    for (const id of sent.commands.keys()) expect(QUERY_IDS.has(id), `CommandID ${id}`).toBe(true);
  });

  it('the event is the one the notification gives: same family, ids, amount, paid time and store id', async () => {
    const lost = await fetch(`${sb.url}/_sandbox/notifications/lost?merchantNo=${sb.merchant.merchantNo}`).then(
      (r) => r.json() as Promise<Array<{ merchantOrderId: string; text: string }>>,
    );
    expect(lost.length).toBeGreaterThanOrEqual(30);
    const receiver = clientOf(sb);
    for (const n of lost.filter((x) => planted.some((o) => o.merchantOrderId === x.merchantOrderId))) {
      const pushed = receiver.notifications.open(n.text);
      expect(pushed.type).toBe('paid');
      const fromPush = pushed as PaidEvent;
      const id = notificationId(fromPush);
      const ran = runs.get(id);
      expect(ran, `${n.merchantOrderId} handled under the notification's id`).toHaveLength(1);
      const ev = ran![0]!.event;
      expect({
        family: ev.family,
        merchantOrderId: ev.merchantOrderId,
        platformOrderId: ev.platformOrderId,
        amount: ev.amount,
        paidAt: ev.paidAt?.getTime(),
      }).toEqual({
        family: fromPush.family,
        merchantOrderId: fromPush.merchantOrderId,
        platformOrderId: fromPush.platformOrderId,
        amount: fromPush.amount,
        paidAt: fromPush.paidAt?.getTime(),
      });
    }
  });

  it('the lost notifications delivered late are answered SUCCESS without running onPaid again', async () => {
    const before = runs.size;
    const attempts = await sb.deliverLostNotifications({ merchantNo: sb.merchant.merchantNo });
    const ours = attempts.filter((a) => planted.some((o) => o.merchantOrderId === a.merchantOrderId));
    expect(ours).toHaveLength(30);
    expect(ours.every((a) => a.acknowledged && a.status === 200)).toBe(true);
    expect(runs.size).toBe(before);
    expect([...runs.values()].every((r) => r.length === 1 && r[0]!.by === 'reconciler')).toBe(true);
  });

  it('a second run finds them all handled and sends no handler call', async () => {
    let calls = 0;
    const reconciler = createReconciler({
      client,
      store,
      minAgeMs: 0,
      pending: async () => planted,
      onPaid: () => void calls++,
    });
    const report = await reconciler.runOnce();
    expect(report).toMatchObject({ paid: 30, handled: 0, alreadyHandled: 30, failed: 6, stillPending: 6 });
    expect(calls).toBe(0);
  });
});

describe('push and reconciler racing on the same orders', () => {
  it('push first, reconciler first, or both at once: one onPaid per payment', async () => {
    const local = new MemoryNotificationStore();
    const seen = new Map<string, number>();
    const bump = (e: PaidEvent) => void seen.set(notificationId(e), (seen.get(notificationId(e)) ?? 0) + 1);
    const receiver = clientOf(sb);
    const ep = await startEndpoint(async (text) => {
      const d = await receiver.notifications.handle(
        text,
        async (e) => {
          await new Promise((r) => setTimeout(r, 5)); // a handler that takes a moment
          bump(e);
        },
        { store: local },
      );
      return { status: d.status, body: d.body };
    });
    try {
      const orders: PlantedOrder[] = [];
      for (let i = 0; i < 24; i++) {
        const family = (['scan', 'quickPay', 'gateway'] as const)[i % 3]!;
        const o: PlantedOrder = { family, merchantOrderId: orderId('R'), amount: String(500 + i), expect: 'paid' };
        await createOrder(client, family, o.merchantOrderId, o.amount, ep.url);
        await payOrder(sb, client, o);
        orders.push(o);
      }
      const first = orders.slice(0, 8);
      const both = orders.slice(8, 16);
      // Push first for 8 orders.
      await Promise.all(first.map((o) => sb.deliverLostNotifications({ merchantOrderId: o.merchantOrderId })));
      const reconciler = createReconciler({
        client,
        store: local,
        minAgeMs: 0,
        concurrency: 8,
        pending: () => orders,
        onPaid: bump,
      });
      // Both at once for 8 more; the reconciler alone for the last 8 (their pushes come after).
      const [report] = await Promise.all([
        reconciler.runOnce(),
        ...both.map((o) => sb.deliverLostNotifications({ merchantOrderId: o.merchantOrderId })),
      ]);
      await sb.deliverLostNotifications({ merchantNo: sb.merchant.merchantNo });
      await sb.notificationsIdle();
      const again = await reconciler.runOnce();
      expect(seen.size).toBe(24);
      expect([...seen.values()].every((n) => n === 1)).toBe(true);
      expect(report.paid + report.stillPending).toBe(24); // busy ones (a push mid-handler) wait for the next run
      expect(again).toMatchObject({ paid: 24, handled: 0 });
      expect(
        report.items
          .filter((i) => first.some((o) => o.merchantOrderId === i.merchantOrderId))
          .every((i) => i.outcome === 'already-handled'),
      ).toBe(true);
    } finally {
      await ep.close();
    }
  });
});

describe('reconciler edges', () => {
  it('amount mismatch, unknown order, too young, a paying micropay, a paid payout, a handler that throws', async () => {
    const url = 'http://127.0.0.1:9/never';
    const paid: PlantedOrder = { family: 'scan', merchantOrderId: orderId('E'), amount: '300', expect: 'paid' };
    await createOrder(client, 'scan', paid.merchantOrderId, paid.amount, url);
    await payOrder(sb, client, paid);
    const mismatch: PlantedOrder = { family: 'gateway', merchantOrderId: orderId('E'), amount: '400', expect: 'paid' };
    await createOrder(client, 'gateway', mismatch.merchantOrderId, mismatch.amount, url);
    await payOrder(sb, client, mismatch);
    const micropay = orderId('E');
    await client.scan.wechatMicropay({
      AMT: '100',
      GOODSNAME: 'x',
      NOTIFY_URL: url,
      MERORDERID: micropay,
      CODE: '134567890123452222',
    });
    const orderNo = `9${Date.now()}`.slice(0, 20);
    await client.payout.pay({
      ORDERNO: orderNo,
      AMT: '10000',
      BUSIYPE: '001',
      ACCNAME: '张三',
      ACCNO: '6225123456781234',
      MEMO: '代付',
      ACCTYPE: '0',
      MOBILE: '13800138000',
      BANKNAME: '招商银行',
    });
    await fetch(`${sb.url}/_sandbox/payouts/${orderNo}/succeed`, { method: 'POST' });
    let throwOnce = true;
    const payouts: PayoutPaidEvent[] = [];
    const paidEvents: PaidEvent[] = [];
    const reconciler = createReconciler({
      client,
      minAgeMs: 60_000,
      pending: () => [
        { family: 'scan', merchantOrderId: paid.merchantOrderId, amount: '300' },
        { family: 'gateway', merchantOrderId: mismatch.merchantOrderId, amount: '401' },
        { family: 'quickPay', merchantOrderId: orderId('X') },
        { family: 'scan', merchantOrderId: orderId('Y'), createdAt: new Date() },
        { family: 'scan', merchantOrderId: micropay, createdAt: Date.now() - 120_000 },
        { family: 'payout', merchantOrderId: orderNo, amount: '10000' },
      ],
      onPaid: (e) => {
        if (throwOnce) {
          throwOnce = false;
          throw new Error('database down');
        }
        paidEvents.push(e);
      },
      onPayoutPaid: (e) => void payouts.push(e),
    });
    const r1 = await reconciler.runOnce();
    const outcome = (id: string, r = r1) => r.items.find((i) => i.merchantOrderId === id)?.outcome;
    expect(outcome(paid.merchantOrderId)).toBe('error');
    expect(outcome(mismatch.merchantOrderId)).toBe('amount-mismatch');
    expect(r1.items.find((i) => i.outcome === 'unknown')?.family).toBe('quickPay');
    expect(r1.items.filter((i) => i.outcome === 'too-young')).toHaveLength(1);
    expect(outcome(micropay)).toBe('pending');
    expect(outcome(orderNo)).toBe('paid');
    expect(payouts).toEqual([expect.objectContaining({ family: 'payout', merchantOrderId: orderNo, amount: '10000' })]);
    expect(r1).toMatchObject({ checked: 5, unknown: 1, amountMismatch: 1, errors: 2, tooYoung: 1, paid: 1 });
    expect(JSON.stringify(r1.items)).not.toContain('database down');
    // The handler that threw released its claim: the next run hands the payment over.
    const r2 = await reconciler.runOnce();
    expect(outcome(paid.merchantOrderId, r2)).toBe('paid');
    expect(paidEvents.map((e) => e.merchantOrderId)).toEqual([paid.merchantOrderId]);
    expect(outcome(orderNo, r2)).toBe('already-handled');
  });

  it('transport failures: backoff, then the run stops after maxConsecutiveFailures', async () => {
    const orders = Array.from({ length: 20 }, () => ({ family: 'scan' as const, merchantOrderId: orderId('T') }));
    sb.injectFault('reset-before', { match: { operation: 'scan.query' }, times: 0 });
    const sleeps: number[] = [];
    try {
      const reconciler = createReconciler({
        client,
        minAgeMs: 0,
        concurrency: 1,
        maxConsecutiveFailures: 3,
        pending: () => orders,
        onPaid: () => undefined,
        sleep: async (ms) => void sleeps.push(ms),
        backoff: { attempts: 3, baseDelayMs: 1, maxDelayMs: 4 },
      });
      const report = await reconciler.runOnce();
      expect(report).toMatchObject({ aborted: true, errors: 3, checked: 3, paid: 0 });
      expect(sleeps).toHaveLength(3);
      expect(report.items.every((i) => i.error?.startsWith('transport:'))).toBe(true);
    } finally {
      sb.clearFaults();
    }
  });

  it('start(interval) runs again and again until stop(); stop waits for the run in progress', async () => {
    const reports: number[] = [];
    let pendingCalls = 0;
    const reconciler = createReconciler({
      client,
      minAgeMs: 0,
      pending: () => {
        pendingCalls++;
        return [{ family: 'scan', merchantOrderId: orderId('I') }];
      },
      onPaid: () => undefined,
    });
    reconciler.start(100, (r) => reports.push(r.unknown));
    reconciler.start(100); // a second start is ignored
    await new Promise((r) => setTimeout(r, 380));
    await reconciler.stop();
    const n = pendingCalls;
    expect(n).toBeGreaterThanOrEqual(2);
    expect(n).toBeLessThanOrEqual(5);
    expect(reports.every((u) => u === 1)).toBe(true);
    await new Promise((r) => setTimeout(r, 250));
    expect(pendingCalls).toBe(n);
  });

  it('refuses bad options before any request', () => {
    expect(() => createReconciler({ client, pending: () => [], onPaid: () => undefined, concurrency: 0 })).toThrow(
      /concurrency/,
    );
    expect(() => createReconciler({ client, pending: [] as never, onPaid: () => undefined })).toThrow(/pending/);
    expect(MmspValidationError).toBeDefined();
  });
});
