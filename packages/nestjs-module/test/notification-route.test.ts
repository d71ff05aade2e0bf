/**
 * The notification route with hand-made pushes (signed by @mmsp/codec's buildEnvelope, the same
 * builder the sandbox uses; the codec is not under test here): wrong key, an edited amount in a
 * genuine text, the family filter, no matching handler, a handler on a request-scoped provider.
 */
import { Injectable, Module, Scope } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { Test } from '@nestjs/testing';
import { MemoryNotificationStore, MmspConfigError, type PaidEvent } from '@mmsp/client';
import { buildEnvelope } from '@mmsp/codec';
import type { SandboxMerchant } from '@mmsp/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MmspModule, MmspNotificationHandler, MmspService } from '../src/index.js';
import { PaidOrders, ScanOnly } from './support/handlers.js';
import { createApp, PLATFORMS, startApp, type RunningApp } from './support/nest.js';
import { optionsFor, orderId, sandboxWithMerchant, until } from './support/sandbox.js';
import { forgedPushes } from '../../client/test/support/forged-pushes.js';

let merchant: SandboxMerchant;
let closeSandbox: () => Promise<void>;
let settle: (id: string) => void;
let attemptsOf: (id: string) => { text: string; acknowledged: boolean }[];
beforeAll(async () => {
  const started = await sandboxWithMerchant();
  merchant = started.merchant;
  closeSandbox = () => started.sandbox.close();
  settle = (id) => started.sandbox.settleOrder(id, 'pay');
  attemptsOf = (id) => started.sandbox.notifications().filter((a) => a.merchantOrderId === id) as never;
});
afterAll(async () => {
  await closeSandbox?.();
});

let seq = 1;
function push(family: 'quickPay' | 'scan' | 'gateway', body: Record<string, unknown>, key = merchant.key): string {
  const commandId = { quickPay: 35104, gateway: 35090, scan: 2324 }[family];
  return buildEnvelope({
    family,
    commandId,
    seqId: ++seq,
    nodeType: 3,
    nodeId: 'openplat',
    merchantNo: merchant.merchantNo,
    terminalNo: merchant.terminalNo,
    key,
    body,
    retCode: 1,
    errorMsg: '',
  }).text;
}
const quickPayBody = (id: string, amount = '500') => ({
  STATUS: '1',
  LIST_ID: `L${id}`,
  MERORDERID: id,
  PAY_DATE: '20261126101500',
  NOTIFY_DATE: '20261126101501',
  AMT: amount,
  PUSH_COUNT: 1,
});
const send = (url: string, text: string) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json; charset=utf-8' }, body: text });

describe.each(PLATFORMS)('notification route on %s', (platform) => {
  let running: RunningApp;
  let orders: PaidOrders;
  let scanOnly: ScanOnly;
  let url: string;

  beforeAll(async () => {
    running = await startApp(platform, {
      imports: [MmspModule.forRoot(optionsFor(merchant))],
      providers: [PaidOrders, ScanOnly],
    });
    orders = running.app.get(PaidOrders);
    scanOnly = running.app.get(ScanOnly);
    url = `${running.url}/mmsp/notify`;
  });
  afterAll(async () => {
    await running?.close();
  });

  it('a push signed with the merchant key is handled once; the family filter keeps it from the scan-only handler', async () => {
    const id = orderId('RQ');
    const text = push('quickPay', quickPayBody(id));
    const first = await send(url, text);
    expect({ status: first.status, body: await first.text() }).toEqual({ status: 200, body: 'SUCCESS' });
    const again = await send(url, text);
    expect({ status: again.status, body: await again.text() }).toEqual({ status: 200, body: 'SUCCESS' });
    expect(orders.callsFor(id)).toHaveLength(1);
    expect(orders.paidFor(id)[0]).toMatchObject({ family: 'quickPay', amount: '500', platformOrderId: `L${id}` });
    expect(scanOnly.seen.filter((e) => e.merchantOrderId === id)).toHaveLength(0);
  });

  it.each(['application/x-www-form-urlencoded', 'text/plain', 'application/json'])(
    'a push sent as %s (PHP curl posts a raw string as form-urlencoded by default) is verified over its raw text',
    async (contentType) => {
      const id = orderId('RC');
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': contentType },
        body: push('quickPay', quickPayBody(id)),
      });
      expect({ status: res.status, body: await res.text() }).toEqual({ status: 200, body: 'SUCCESS' });
      expect(orders.paidFor(id)).toHaveLength(1);
    },
  );

  it('signed bodies that are not payment pushes (re-posted requests, odd STATUS / AMT / ids / times, wrong CommandID) are refused with 400 and reach no handler (issue #13)', async () => {
    const before = orders.calls.length;
    const accepted: string[] = [];
    for (const c of await forgedPushes(merchant, `${Date.now()}`.slice(-9))) {
      const res = await send(url, c.text);
      const body = await res.text();
      if (res.status !== 400 || !body.startsWith('FAIL ') || body.includes(merchant.key))
        accepted.push(`${c.label}: ${res.status} ${body}`);
    }
    expect(accepted).toEqual([]);
    expect(orders.calls.length).toBe(before);
  });

  it('a push signed with another key is refused with 400 and never reaches a handler', async () => {
    const id = orderId('RW');
    const res = await send(url, push('quickPay', quickPayBody(id), 'ffffffffffffffffffffffffffffffff'));
    expect(res.status).toBe(400);
    expect(await res.text()).toBe('FAIL bad-signature');
    expect(orders.callsFor(id)).toHaveLength(0);
  });

  it('a genuine sandbox push with its amount edited is refused and never reaches a handler', async () => {
    const id = orderId('RA');
    await running.app.get(MmspService).scan.wechatOrder({
      TRADETYPE: '1',
      AMT: '100',
      MERORDERID: id,
      GOODSNAME: 'tea',
      NOTIFY_URL: 'http://127.0.0.1:9/elsewhere',
    } as never);
    settle(id);
    const genuine = await until('a delivery attempt', () => attemptsOf(id)[0]);
    expect(genuine.text).toContain('"AMT":100');
    const edited = genuine.text.replace('"AMT":100', '"AMT":1');
    const res = await send(url, edited);
    expect(res.status).toBe(400);
    expect(orders.callsFor(id)).toHaveLength(0);
    // The untouched text is accepted: the refusal was the edit, not the route.
    expect((await send(url, genuine.text)).status).toBe(200);
    expect(orders.paidFor(id)).toHaveLength(1);
    expect(orders.paidFor(id)[0]!.amount).toBe('100');
  });
});

describe('handlers and filters', () => {
  @Injectable()
  class GatewayOnly {
    readonly seen: PaidEvent[] = [];
    @MmspNotificationHandler({ family: 'gateway', command: 35090 })
    gatewayPaid(event: PaidEvent) {
      this.seen.push(event);
    }
  }

  it('a notification no handler accepts gets a retry status (never SUCCESS for a payment nobody recorded)', async () => {
    const running = await startApp('express', {
      imports: [MmspModule.forRoot(optionsFor(merchant))],
      providers: [GatewayOnly],
    });
    try {
      const id = orderId('RN');
      const res = await send(`${running.url}/mmsp/notify`, push('quickPay', quickPayBody(id)));
      expect(res.status).toBe(500);
      expect(await res.text()).not.toBe('SUCCESS');
      expect(running.app.get(GatewayOnly).seen).toHaveLength(0);
    } finally {
      await running.close();
    }
  });

  it('every matching handler must resolve before SUCCESS; one throwing makes the platform retry', async () => {
    @Injectable()
    class Ledger {
      readonly seen: string[] = [];
      @MmspNotificationHandler()
      record(event: PaidEvent) {
        this.seen.push(event.merchantOrderId);
      }
    }
    @Injectable()
    class Mailer {
      failures = 1;
      @MmspNotificationHandler('quickPay')
      async mail() {
        if (this.failures-- > 0) throw new Error('smtp down');
      }
    }
    const running = await startApp('fastify', {
      imports: [MmspModule.forRoot(optionsFor(merchant))],
      providers: [Ledger, Mailer],
    });
    try {
      const id = orderId('RM');
      const text = push('quickPay', quickPayBody(id));
      const first = await send(`${running.url}/mmsp/notify`, text);
      expect(first.status).toBe(500);
      const second = await send(`${running.url}/mmsp/notify`, text);
      expect({ status: second.status, body: await second.text() }).toEqual({ status: 200, body: 'SUCCESS' });
      expect((await send(`${running.url}/mmsp/notify`, text)).status).toBe(200);
      expect(running.app.get(Ledger).seen).toEqual([id, id]);
    } finally {
      await running.close();
    }
  });

  it('a body parser added by hand without a raw copy: the parsed envelope is verified (tampered refused), handled once, one warning with the fix', async () => {
    const errors: string[] = [];
    const logger = {
      log() {},
      warn: (message: unknown) => errors.push(String(message)),
      debug() {},
      verbose() {},
      error() {},
    };
    const app = await createApp(
      'express',
      { imports: [MmspModule.forRoot(optionsFor(merchant))], providers: [PaidOrders] },
      { bodyParser: false, logger },
    );
    // The merchant's own JSON parser (like express.json() without verify): keeps no raw body.
    app.use((req: IncomingMessage & { body?: unknown }, _res: unknown, next: () => void) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        req.body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        next();
      });
    });
    await app.listen(0, '127.0.0.1');
    try {
      const base = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
      const id = orderId('RP');
      const text = push('quickPay', quickPayBody(id));
      for (let i = 0; i < 2; i++) {
        const res = await send(`${base}/mmsp/notify`, text);
        expect([res.status, await res.text()]).toEqual([200, 'SUCCESS']);
      }
      expect(app.get(PaidOrders).callsFor(id)).toHaveLength(1);
      const tampered = await send(
        `${base}/mmsp/notify`,
        push('quickPay', quickPayBody(orderId('RT'))).replace(/"AMT":"(\d+)"/, '"AMT":"1$1"'),
      );
      expect(tampered.status).toBe(400);
      const about = errors.filter((e) => e.includes('without keeping the raw body'));
      expect(about).toHaveLength(1);
      expect(about[0]).toContain('NestFactory.create(AppModule, { rawBody: true })');
    } finally {
      await app.close();
    }
  });

  it.each([Scope.REQUEST, Scope.TRANSIENT])('a handler on a provider of scope %s fails the start-up', async (scope) => {
    @Injectable({ scope })
    class PerRequest {
      @MmspNotificationHandler()
      paid() {}
    }
    @Injectable()
    class User {
      constructor(readonly perRequest: PerRequest) {}
    }
    const moduleRef = await Test.createTestingModule({
      imports: [MmspModule.forRoot(optionsFor(merchant))],
      providers: [PerRequest, User],
    }).compile();
    const failure = await moduleRef.init().then(
      () => undefined,
      (e: unknown) => e,
    );
    await moduleRef.close().catch(() => undefined);
    expect(failure).toBeInstanceOf(MmspConfigError);
    expect((failure as Error).message).toContain('PerRequest.paid');
  });

  it('two instances behind a load balancer share a store: one handler run for a notification delivered to both', async () => {
    const store = new MemoryNotificationStore();
    const a = await startApp('express', {
      imports: [MmspModule.forRoot(optionsFor(merchant, { store }))],
      providers: [PaidOrders],
    });
    const b = await startApp('fastify', {
      imports: [MmspModule.forRoot(optionsFor(merchant, { store }))],
      providers: [PaidOrders],
    });
    try {
      const id = orderId('RS');
      const text = push('quickPay', quickPayBody(id));
      expect((await send(`${a.url}/mmsp/notify`, text)).status).toBe(200);
      const second = await send(`${b.url}/mmsp/notify`, text);
      expect({ status: second.status, body: await second.text() }).toEqual({ status: 200, body: 'SUCCESS' });
      expect(a.app.get(PaidOrders).callsFor(id).length + b.app.get(PaidOrders).callsFor(id).length).toBe(1);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('expectAmount from forRootAsync (an injected repository): another amount is refused, the handler never runs', async () => {
    @Injectable()
    class OrderRepo {
      readonly amounts = new Map<string, string>();
    }
    @Module({ providers: [OrderRepo], exports: [OrderRepo] })
    class RepoModule {}
    const running = await startApp('fastify', {
      imports: [
        RepoModule,
        MmspModule.forRootAsync({
          imports: [RepoModule],
          inject: [OrderRepo],
          useFactory: (repo: OrderRepo) =>
            optionsFor(merchant, { expectAmount: (event) => repo.amounts.get(event.merchantOrderId) }),
        }),
      ],
      providers: [PaidOrders],
    });
    try {
      const id = orderId('RE');
      running.app.get(OrderRepo).amounts.set(id, '500');
      const wrong = await send(`${running.url}/mmsp/notify`, push('quickPay', quickPayBody(id, '1')));
      expect({ status: wrong.status, body: await wrong.text() }).toEqual({ status: 400, body: 'FAIL amount mismatch' });
      expect(running.app.get(PaidOrders).callsFor(id)).toHaveLength(0);
      expect((await send(`${running.url}/mmsp/notify`, push('quickPay', quickPayBody(id, '500')))).status).toBe(200);
      expect(running.app.get(PaidOrders).paidFor(id)).toHaveLength(1);
    } finally {
      await running.close();
    }
  });

  it('a bad filter is refused when the class is defined', () => {
    expect(() => MmspNotificationHandler('payout' as never)).toThrow(/family must be one of quickPay, scan, gateway/);
    expect(() => MmspNotificationHandler({ command: 4097 })).toThrow(/command must be one of 35104, 35090, 2324/);
    expect(() => MmspNotificationHandler({ famly: 'scan' } as never)).toThrow(/unknown filter key famly/);
  });
});
