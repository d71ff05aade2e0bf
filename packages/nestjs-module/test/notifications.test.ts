/**
 * Sandbox-sent notifications through a real Nest application on loopback (Express and Fastify):
 * the sandbox (@mmsp/sandbox, compressed retry schedule) POSTs to the module's route, the module
 * verifies through @mmsp/client and runs the @MmspNotificationHandler() methods. PROTOCOL §5: the
 * platform retries until it reads SUCCESS; SUCCESS only after every handler resolved.
 */
import type { Sandbox, SandboxMerchant } from '@mmsp/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MmspModule, MmspService } from '../src/index.js';
import { PaidOrders, ScanOnly } from './support/handlers.js';
import { PLATFORMS, startApp, type RunningApp } from './support/nest.js';
import { optionsFor, orderId, sandboxWithMerchant, until } from './support/sandbox.js';

describe.each(PLATFORMS)('notifications on %s', (platform) => {
  let sandbox: Sandbox;
  let merchant: SandboxMerchant;
  let running: RunningApp;
  let orders: PaidOrders;
  let scanOnly: ScanOnly;
  let mmsp: MmspService;
  let notifyUrl: string;

  beforeAll(async () => {
    ({ sandbox, merchant } = await sandboxWithMerchant());
    running = await startApp(platform, {
      imports: [MmspModule.forRoot(optionsFor(merchant))],
      providers: [PaidOrders, ScanOnly],
    });
    orders = running.app.get(PaidOrders);
    scanOnly = running.app.get(ScanOnly);
    mmsp = running.app.get(MmspService);
    notifyUrl = `${running.url}/mmsp/notify`;
  });
  afterAll(async () => {
    await running?.close();
    await sandbox?.close();
  });

  const attemptsFor = (id: string) => sandbox.notifications().filter((a) => a.merchantOrderId === id);

  it('a paid scan order reaches the decorated handlers exactly once, and the sandbox reads SUCCESS', async () => {
    const id = orderId('NS');
    await mmsp.scan.wechatOrder({
      TRADETYPE: '1',
      AMT: '100',
      MERORDERID: id,
      GOODSNAME: 'book',
      NOTIFY_URL: notifyUrl,
    } as never);
    sandbox.settleOrder(id, 'pay');
    await until('acknowledged notification', () => attemptsFor(id).some((a) => a.acknowledged));
    await sandbox.notificationsIdle();
    expect(orders.paidFor(id)).toHaveLength(1);
    expect(orders.paidFor(id)[0]).toMatchObject({ type: 'paid', family: 'scan', merchantOrderId: id, amount: '100' });
    expect(scanOnly.seen.filter((e) => e.merchantOrderId === id)).toHaveLength(1);
    const attempts = attemptsFor(id);
    expect(attempts).toHaveLength(1);
    expect(attempts[0]).toMatchObject({ status: 200, acknowledged: true });
    expect(attempts[0]!.response).toBe('SUCCESS');
  });

  it('a handler that fails the first time gets a retry status; the retry runs it once more; exactly one successful run', async () => {
    const id = orderId('NR');
    orders.failBeforeSuccess.set(id, 1);
    await mmsp.scan.wechatOrder({
      TRADETYPE: '1',
      AMT: '250',
      MERORDERID: id,
      GOODSNAME: 'pen',
      NOTIFY_URL: notifyUrl,
    } as never);
    sandbox.settleOrder(id, 'pay');
    await until('acknowledged notification', () => attemptsFor(id).some((a) => a.acknowledged));
    await sandbox.notificationsIdle();
    const attempts = attemptsFor(id);
    expect(attempts.map((a) => a.status)).toEqual([500, 200]);
    expect(attempts[0]!.acknowledged).toBe(false);
    expect(orders.callsFor(id)).toHaveLength(2);
    expect(orders.paidFor(id)).toHaveLength(1);
  });

  it('a duplicate delivery of an acknowledged notification is answered SUCCESS without running the handler again', async () => {
    const id = orderId('ND');
    sandbox.injectFault('notify-duplicate', { match: { merchantOrderId: id } });
    await mmsp.scan.wechatOrder({
      TRADETYPE: '1',
      AMT: '300',
      MERORDERID: id,
      GOODSNAME: 'cup',
      NOTIFY_URL: notifyUrl,
    } as never);
    sandbox.settleOrder(id, 'pay');
    await until('two acknowledged deliveries', () => attemptsFor(id).filter((a) => a.acknowledged).length >= 2);
    await sandbox.notificationsIdle();
    expect(attemptsFor(id).filter((a) => a.acknowledged)).toHaveLength(2);
    expect(orders.callsFor(id)).toHaveLength(1);
    expect(orders.paidFor(id)).toHaveLength(1);
  });

  it('a tampered notification never reaches a handler (4xx); the genuine retry does, once', async () => {
    const id = orderId('NT');
    sandbox.injectFault('notify-tampered-sign', { match: { merchantOrderId: id } });
    await mmsp.scan.wechatOrder({
      TRADETYPE: '1',
      AMT: '400',
      MERORDERID: id,
      GOODSNAME: 'hat',
      NOTIFY_URL: notifyUrl,
    } as never);
    sandbox.settleOrder(id, 'pay');
    await until('acknowledged notification', () => attemptsFor(id).some((a) => a.acknowledged));
    await sandbox.notificationsIdle();
    const attempts = attemptsFor(id);
    expect(attempts[0]).toMatchObject({ tampered: true, acknowledged: false, status: 400 });
    expect(attempts.filter((a) => a.tampered).every((a) => a.status === 400)).toBe(true);
    expect(orders.callsFor(id)).toHaveLength(1);
    expect(orders.paidFor(id)).toHaveLength(1);
  });
});
