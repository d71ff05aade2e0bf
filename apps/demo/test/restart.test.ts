// A restart loses nothing: orders, refunds, payouts and the log are in SQLite; the embedded
// sandbox keeps its state file beside it; an order placed before the restart can still be paid
// and its notification lands in the new process.
import { createServer } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { eventually, newDataDir, startDemo, type DemoProcess } from './support/demo.js';
import { formAction, getText, hiddenValue, order, orderIdOf, postForm } from './support/http.js';

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });

let running: DemoProcess | undefined;
afterAll(async () => {
  await running?.stop();
});

describe('restart', () => {
  it('keeps orders, refunds, payouts and the log; pending orders can still be paid', async () => {
    const dataDir = newDataDir();
    const port = String(await freePort());
    running = await startDemo({ dataDir, env: { PORT: port } });
    const first = running;
    const sandbox1 = ((await (await fetch(`${first.base}/api/about`)).json()) as { sandboxUrl: string }).sandboxUrl;

    const paid = orderIdOf(await postForm(`${first.base}/checkout/qr`, { product: 'tea', method: 'wechat' }));
    await fetch(`${sandbox1}/_sandbox/orders/${paid}/pay`, {
      method: 'POST',
      body: new URLSearchParams({ family: 'scan' }),
    });
    await eventually(
      () => order(first.base, paid),
      (o) => o.state === 'paid',
      15_000,
      'paid',
    );
    await postForm(`${first.base}/orders/${paid}/refund`, { amount: '800' });
    const pending = orderIdOf(await postForm(`${first.base}/checkout/qr`, { product: 'fan', method: 'alipay' }));
    await postForm(`${first.base}/payouts`, {
      AMT: '1500',
      ACCNAME: '李四',
      ACCNO: '6217000010001234567',
      BANKNAME: '中国建设银行',
      MOBILE: '13900139000',
      MEMO: 'demo',
    });
    await eventually(
      async () => (await (await fetch(`${first.base}/api/payouts`)).json()) as { state: string }[],
      (l) => l[0]?.state === 'paid',
      20_000,
      'payout paid',
    );
    const logBefore = ((await (await fetch(`${first.base}/api/log`)).json()) as unknown[]).length;
    await first.stop();
    expect(first.child.exitCode ?? first.child.signalCode).not.toBeNull();

    running = await startDemo({ dataDir, env: { PORT: port } });
    const second = running;
    expect(second.base).toBe(first.base);
    expect(await order(second.base, paid)).toMatchObject({ state: 'paid', refunded: '800' });
    expect((await order(second.base, pending)).state).toBe('pending');
    const payouts = (await (await fetch(`${second.base}/api/payouts`)).json()) as { amount: string; state: string }[];
    expect(payouts).toEqual([expect.objectContaining({ amount: '1500', state: 'paid' })]);
    expect(((await (await fetch(`${second.base}/api/log`)).json()) as unknown[]).length).toBeGreaterThanOrEqual(
      logBefore,
    );
    const list = await getText(`${second.base}/orders`);
    expect(list.text).toContain(paid);
    expect(list.text).toContain(pending);

    // The order placed before the restart: its pay link points at the sandbox's new port, the
    // sandbox still knows it, and the notification reaches the new process.
    const o = await order(second.base, pending);
    const sandbox2 = ((await (await fetch(`${second.base}/api/about`)).json()) as { sandboxUrl: string }).sandboxUrl;
    expect(o.payUrl!.startsWith(`${sandbox2}/_sandbox/pay/`)).toBe(true);
    const payPage = await getText(o.payUrl!);
    expect(payPage.status).toBe(200);
    await fetch(new URL(formAction(payPage.text), o.payUrl!), {
      method: 'POST',
      body: new URLSearchParams({ merchantNo: hiddenValue(payPage.text, 'merchantNo'), family: 'scan' }),
    });
    await eventually(
      () => order(second.base, pending),
      (x) => x.state === 'paid' && x.stateSource === 'notification',
      15_000,
      'pending order paid after restart',
    );
  });
});
