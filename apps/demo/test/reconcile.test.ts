// Issue #16 in the demo: the embedded sandbox loses every notification of the shop; the shop's
// reconciler settles the orders anyway (paid, and closed as failed), the order page says the state
// was learnt by reconciliation, and the lost notifications delivered late change nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startDemo, type DemoProcess } from './support/demo.js';
import { getText, order, orderIdOf, postForm } from './support/http.js';

let demo: DemoProcess;
let sandboxUrl: string;

beforeAll(async () => {
  demo = await startDemo({
    env: { MMSP_SANDBOX_LOSE_NOTIFICATIONS: '1', MMSP_DEMO_RECONCILE_MS: '300', MMSP_DEMO_RECONCILE_MIN_AGE_MS: '600' },
  });
  sandboxUrl = ((await (await fetch(`${demo.base}/api/about`)).json()) as { sandboxUrl: string }).sandboxUrl;
});
afterAll(async () => {
  await demo?.stop();
});

describe('the demo reconciles orders whose notification never came', () => {
  it('a paid QR order: settled by reconciliation, shown as such; the late notification changes nothing', async () => {
    const id = orderIdOf(await postForm(`${demo.base}/checkout/qr`, { product: 'tea', method: 'wechat' }));
    expect((await order(demo.base, id)).state).toBe('pending');
    const pay = await fetch(`${sandboxUrl}/_sandbox/orders/${id}/pay`, {
      method: 'POST',
      body: new URLSearchParams({ family: 'scan' }),
    });
    expect(pay.status).toBe(200);
    const paid = await eventually(
      () => order(demo.base, id),
      (o) => o.state === 'paid',
      20_000,
      `order ${id} paid`,
    );
    expect(paid.stateSource).toBe('reconciliation');
    expect(paid.detail.notifications ?? 0).toBe(0);
    const attempts = (await (
      await fetch(`${sandboxUrl}/_sandbox/notifications?merchantOrderId=${id}`)
    ).json()) as Array<{ lost?: boolean; acknowledged: boolean }>;
    expect(attempts).toEqual([expect.objectContaining({ lost: true, acknowledged: false })]);
    const page = await getText(`${demo.base}/orders/${id}`);
    expect(page.text).toContain('state learnt from reconciliation');
    // Delivered late: the shop answers SUCCESS (its store says handled) and the order stays as it is.
    const late = (await (
      await fetch(`${sandboxUrl}/_sandbox/notifications/deliver-lost`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ merchantOrderId: id }),
      })
    ).json()) as { delivered: number };
    expect(late.delivered).toBe(1);
    const after = await order(demo.base, id);
    expect(after).toMatchObject({ state: 'paid', stateSource: 'reconciliation' });
    expect(after.detail.notifications ?? 0).toBe(0);
  });

  it('an order that expired unpaid: closed on the platform, settled as failed by reconciliation', async () => {
    const id = orderIdOf(await postForm(`${demo.base}/checkout/qr`, { product: 'tea', method: 'alipay' }));
    const expire = await fetch(`${sandboxUrl}/_sandbox/orders/${id}/expire`, {
      method: 'POST',
      body: new URLSearchParams({ family: 'scan' }),
    });
    expect(expire.status).toBe(200);
    const done = await eventually(
      () => order(demo.base, id),
      (o) => o.state !== 'pending',
      20_000,
      `order ${id} settled`,
    );
    expect(done).toMatchObject({ state: 'failed', stateSource: 'reconciliation' });
    expect(done.message).toContain('learnt by reconciliation');
  });

  it('an order still unpaid stays pending', async () => {
    const id = orderIdOf(await postForm(`${demo.base}/checkout/qr`, { product: 'tea', method: 'qq' }));
    await new Promise((r) => setTimeout(r, 1500));
    expect((await order(demo.base, id)).state).toBe('pending');
  });
});
