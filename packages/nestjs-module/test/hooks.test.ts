/**
 * Issue #15 through the module: `MmspModule.forRoot({ hooks })` and `forRootAsync` hand the hooks
 * to the client, whose calls (MmspService) and notifications (the module's route) fire them, and
 * whose results carry the request metadata. Against the real sandbox, over sockets.
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { MmspNotificationEvent, MmspRequestEvent, MmspResponseEvent } from '@mmsp/client';
import type { Sandbox, SandboxMerchant } from '@mmsp/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MmspModule, MmspService } from '../src/index.js';
import { PaidOrders } from './support/handlers.js';
import { startApp, type RunningApp } from './support/nest.js';
import { optionsFor, orderId, sandboxWithMerchant, until } from './support/sandbox.js';

type Event = MmspRequestEvent | MmspResponseEvent | MmspNotificationEvent;

describe('MmspModule passes hooks to its client', () => {
  let sandbox: Sandbox;
  let merchant: SandboxMerchant;
  const apps: RunningApp[] = [];
  beforeAll(async () => {
    ({ sandbox, merchant } = await sandboxWithMerchant());
  });
  afterAll(async () => {
    for (const app of apps) await app.close();
    await sandbox?.close();
  });

  it("forRoot: a call fires onRequest / onResponse with the result's meta; a pushed notification fires onNotification", async () => {
    const events: Event[] = [];
    const record = (e: Event) => void events.push(e);
    const running = await startApp('express', {
      imports: [
        MmspModule.forRoot(
          optionsFor(merchant, { hooks: { onRequest: record, onResponse: record, onNotification: record } }),
        ),
      ],
      providers: [PaidOrders],
    });
    apps.push(running);
    const mmsp = running.app.get(MmspService);
    const id = orderId('HK');
    const placed = await mmsp.scan.wechatOrder({
      TRADETYPE: '1',
      GOODSNAME: 'book',
      MERORDERID: id,
      AMT: '880',
      NOTIFY_URL: `${running.url}/mmsp/notify`,
    } as never);
    expect(placed.meta).toMatchObject({
      operation: 'scan.wechatOrder',
      family: 'scan',
      httpStatus: 200,
      attempts: 1,
      url: merchant.endpoints.scan,
    });
    expect(events.map((e) => e.type)).toEqual(['request', 'response']);
    expect((events[1] as MmspResponseEvent).meta).toEqual(placed.meta);
    sandbox.settleOrder(id, 'pay');
    const notified = await until('onNotification', () =>
      events.find((e): e is MmspNotificationEvent => e.type === 'notification' && e.merchantOrderId === id),
    );
    expect(notified).toMatchObject({ family: 'scan', amount: '880', decision: 'handled', httpStatus: 200 });
  });

  it("forRootAsync: the factory's hooks reach the client; the module's client publishes the diagnostics channels", async () => {
    const seen: string[] = [];
    const running = await startApp('express', {
      imports: [
        MmspModule.forRootAsync({
          useFactory: async () =>
            optionsFor(merchant, {
              notifyPath: false,
              hooks: { onResponse: (e) => void seen.push(`hook ${e.operation}`) },
            }),
        }),
      ],
    });
    apps.push(running);
    const onRequest = (m: unknown) => void seen.push(`channel ${(m as MmspRequestEvent).operation}`);
    subscribe('mmsp:client:request', onRequest);
    try {
      await running.app.get(MmspService).scan.wechatOrder({
        TRADETYPE: '1',
        GOODSNAME: 'book',
        MERORDERID: orderId('HA'),
        AMT: '100',
        NOTIFY_URL: 'http://127.0.0.1:9/n',
      } as never);
    } finally {
      unsubscribe('mmsp:client:request', onRequest);
    }
    expect(seen).toEqual(['channel scan.wechatOrder', 'hook scan.wechatOrder']);
  });
});
