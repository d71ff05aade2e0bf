/**
 * Booting: forRoot and forRootAsync (ConfigService), isGlobal, notifyPath, bad options listing
 * every problem at boot, and the missing-raw-body mistake failing at start-up (Express and Fastify).
 */
import { inspect } from 'node:util';
import { Injectable, Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { Test } from '@nestjs/testing';
import { MmspConfigError } from '@mmsp/client';
import type { Sandbox, SandboxMerchant } from '@mmsp/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MMSP_CLIENT,
  MmspModule,
  MmspService,
  type MmspModuleOptions,
  type MmspModuleOptionsFactory,
} from '../src/index.js';
import { PaidOrders } from './support/handlers.js';
import { createApp, PLATFORMS, startApp, type RunningApp } from './support/nest.js';
import { optionsFor, orderId, quietLogger, sandboxWithMerchant, until } from './support/sandbox.js';

let sandbox: Sandbox;
let merchant: SandboxMerchant;
beforeAll(async () => {
  ({ sandbox, merchant } = await sandboxWithMerchant());
});
afterAll(async () => {
  await sandbox?.close();
});

/** Uses MmspService from a module that does not import MmspModule (works only when it is global). */
@Injectable()
class Checkout {
  constructor(readonly mmsp: MmspService) {}
}
@Module({ providers: [Checkout], exports: [Checkout] })
class CheckoutModule {}

/** The configuration as a merchant keeps it: flat environment-style values read through ConfigService. */
const envFor = (m: SandboxMerchant): Record<string, string> => ({
  MMSP_MERCHANT_NO: m.merchantNo,
  MMSP_TERMINAL_NO: m.terminalNo,
  MMSP_KEY: m.key,
  MMSP_SCAN_URL: m.endpoints.scan,
  MMSP_NOTIFY_PATH: '/hooks/mmsp',
});
const fromConfig = (config: ConfigService): MmspModuleOptions => ({
  merchantNo: config.getOrThrow<string>('MMSP_MERCHANT_NO'),
  terminalNo: config.getOrThrow<string>('MMSP_TERMINAL_NO'),
  key: config.getOrThrow<string>('MMSP_KEY'),
  endpoints: { scan: config.getOrThrow<string>('MMSP_SCAN_URL') },
  notifyPath: config.getOrThrow<string>('MMSP_NOTIFY_PATH'),
  logger: quietLogger,
});

it('decorator metadata survives the test transform (SWC): constructor types are emitted', () => {
  expect(Reflect.getMetadata('design:paramtypes', Checkout)).toEqual([MmspService]);
});

describe.each(PLATFORMS)('boot on %s', (platform) => {
  it('forRoot: MmspService carries the configured client; the route answers at /mmsp/notify', async () => {
    const running = await startApp(platform, {
      imports: [MmspModule.forRoot(optionsFor(merchant))],
      providers: [PaidOrders],
    });
    try {
      const mmsp = running.app.get(MmspService);
      expect(mmsp.client).toBe(running.app.get(MMSP_CLIENT));
      expect(mmsp.client.merchantNo).toBe(merchant.merchantNo);
      expect(typeof mmsp.payout.pay).toBe('function');
      expect(typeof mmsp.quickPay.pay).toBe('function');
      expect(typeof mmsp.scan.query).toBe('function');
      expect(typeof mmsp.gateway.pay).toBe('function');
      expect(typeof mmsp.call).toBe('function');
      // The service shows the client's public description only (issue #3: no secret in JSON or inspect).
      expect(JSON.stringify(mmsp)).not.toContain(merchant.key);
      expect(inspect(mmsp, { depth: 5 })).not.toContain(merchant.key);
      expect(inspect(mmsp, { depth: 5 })).not.toContain('PRIVATE KEY');
      const res = await fetch(`${running.url}/mmsp/notify`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"CommandID":2324}',
      });
      expect(res.status).toBe(400);
      expect(await res.text()).toMatch(/^FAIL /);
      expect(running.app.get(PaidOrders).calls).toHaveLength(0);
    } finally {
      await running.close();
    }
  });

  it('forRootAsync with ConfigService and isGlobal: another module injects MmspService; notifyPath from the configuration', async () => {
    const running = await startApp(platform, {
      imports: [
        ConfigModule.forRoot({ ignoreEnvFile: true, load: [() => envFor(merchant)] }),
        MmspModule.forRootAsync({
          imports: [ConfigModule],
          inject: [ConfigService],
          useFactory: fromConfig,
          isGlobal: true,
        }),
        CheckoutModule,
      ],
      providers: [PaidOrders],
    });
    try {
      const checkout = running.app.get(Checkout);
      const id = orderId('BA');
      const notifyUrl = `${running.url}/hooks/mmsp`;
      const order = await checkout.mmsp.scan.wechatOrder({
        TRADETYPE: '1',
        AMT: '120',
        MERORDERID: id,
        GOODSNAME: 'tea',
        NOTIFY_URL: notifyUrl,
      } as never);
      expect(order.body).toMatchObject({ MERORDERID: id });
      sandbox.settleOrder(id, 'pay');
      const orders = running.app.get(PaidOrders);
      await until('handled notification', () => orders.paidFor(id).length === 1);
      await sandbox.notificationsIdle();
      expect(
        sandbox
          .notifications()
          .filter((a) => a.merchantOrderId === id)
          .map((a) => a.status),
      ).toEqual([200]);
      expect((await fetch(`${running.url}/mmsp/notify`, { method: 'POST', body: '{}' })).status).toBe(404);
    } finally {
      await running.close();
    }
  });

  it('without rawBody the application fails at start-up, saying how to fix it', async () => {
    const app = await createApp(
      platform,
      { imports: [MmspModule.forRoot(optionsFor(merchant))], providers: [PaidOrders] },
      {},
    );
    const failure = await app.init().then(
      () => undefined,
      (error: unknown) => error,
    );
    await app.close().catch(() => undefined);
    expect(failure).toBeInstanceOf(MmspConfigError);
    const error = failure as MmspConfigError;
    expect(error.issues.map((i) => `${i.field}:${i.rule}`)).toEqual(['rawBody:required']);
    expect(error.message).toContain('NestFactory.create(AppModule, { rawBody: true })');
    expect(error.message).toContain('new FastifyAdapter(), { rawBody: true }');
    expect(error.message).toContain('notifyPath: false');
  });

  it('the global prefix is not added to notifyPath (the platform calls the exact NOTIFY_URL)', async () => {
    const app = await createApp(platform, { imports: [MmspModule.forRoot(optionsFor(merchant))] });
    app.setGlobalPrefix('api');
    await app.listen(0, '127.0.0.1');
    try {
      const url = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
      const post = (path: string) =>
        fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      expect((await post('/mmsp/notify')).status).toBe(400);
      expect((await post('/api/mmsp/notify')).status).toBe(404);
    } finally {
      await app.close();
    }
  });

  it('notifyPath: false mounts no route and needs no raw body', async () => {
    const running = await startApp(
      platform,
      { imports: [MmspModule.forRoot(optionsFor(merchant, { notifyPath: false }))] },
      {},
    );
    try {
      expect(
        (
          await fetch(`${running.url}/mmsp/notify`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: '{}',
          })
        ).status,
      ).toBe(404);
      expect(running.app.get(MmspService).client.merchantNo).toBe(merchant.merchantNo);
    } finally {
      await running.close();
    }
  });
});

describe('body parsers switched off (bodyParser: false, no rawBody)', () => {
  it('Express: the route reads the untouched request stream itself; notifications are verified and handled', async () => {
    const running = await startApp(
      'express',
      { imports: [MmspModule.forRoot(optionsFor(merchant))], providers: [PaidOrders] },
      { bodyParser: false },
    );
    try {
      const id = orderId('BP');
      await running.app.get(MmspService).scan.wechatOrder({
        TRADETYPE: '1',
        AMT: '130',
        MERORDERID: id,
        GOODSNAME: 'ink',
        NOTIFY_URL: `${running.url}/mmsp/notify`,
      } as never);
      sandbox.settleOrder(id, 'pay');
      await until('handled notification', () => running.app.get(PaidOrders).paidFor(id).length === 1);
    } finally {
      await running.close();
    }
  });

  it('Fastify: its own JSON parser keeps no raw body, so start-up fails with the fix', async () => {
    const app = await createApp(
      'fastify',
      { imports: [MmspModule.forRoot(optionsFor(merchant))] },
      { bodyParser: false },
    );
    const failure = await app.init().then(
      () => undefined,
      (error: unknown) => error,
    );
    await app.close().catch(() => undefined);
    expect(failure).toBeInstanceOf(MmspConfigError);
    expect((failure as Error).message).toContain('rawBody: true');
  });
});

describe('bad options fail at boot with one MmspConfigError listing every problem', () => {
  const secret = 'not-a-real-key-but-secret-0123456789';
  const bad = {
    merchantNo: '',
    key: secret,
    endpoints: { scan: 'ftp://example.invalid/scan', wallet: 'http://x.invalid' },
    notifyPath: 'mmsp/notify',
    store: { claim: async () => 'claimed' },
    claimTtlMs: -1,
    notifyUrl: 'https://shop.example/mmsp/notify',
    logger: quietLogger,
  } as unknown as MmspModuleOptions;

  const fieldsOf = (error: unknown) => (error as MmspConfigError).issues.map((i) => i.field).sort();
  const expected = [
    'claimTtlMs',
    'endpoints.scan',
    'endpoints.wallet',
    'merchantNo',
    'notifyPath',
    'notifyUrl',
    'store',
    'terminalNo',
  ];

  it('forRoot', async () => {
    const failure = await Test.createTestingModule({ imports: [MmspModule.forRoot(bad)] })
      .compile()
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(failure).toBeInstanceOf(MmspConfigError);
    expect(fieldsOf(failure)).toEqual(expected);
    expect((failure as Error).message).not.toContain(secret);
    expect(JSON.stringify(failure)).not.toContain(secret);
    expect((failure as Error).message).toMatch(/notifyPath must be an absolute URL path/);
    expect((failure as Error).message).toMatch(/store must be a NotificationStore .*missing extend, commit, release/);
    expect((failure as Error).message).toMatch(/notifyUrl is not an MmspModule option \(known: .*notifyPath/);
  });

  it.each(['/a/:id', '/a/*', '/a//b', '/a/../b', 'relative', '/a?x=1', '/a b', `/${'a'.repeat(300)}!`])(
    'notifyPath %s is refused',
    async (notifyPath) => {
      const failure = await Test.createTestingModule({
        imports: [MmspModule.forRoot(optionsFor(merchant, { notifyPath }))],
      })
        .compile()
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(fieldsOf(failure)).toEqual(['notifyPath']);
    },
  );

  it('forRootAsync', async () => {
    const failure = await Test.createTestingModule({
      imports: [MmspModule.forRootAsync({ useFactory: async () => bad })],
    })
      .compile()
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(failure).toBeInstanceOf(MmspConfigError);
    expect(fieldsOf(failure)).toEqual(expected);
  });
});

describe('module definition extras', () => {
  it('forRootAsync with useClass: the class builds the options', async () => {
    @Injectable()
    class MmspConfig implements MmspModuleOptionsFactory {
      create() {
        return optionsFor(merchant, { notifyPath: '/from-class' });
      }
    }
    const moduleRef = await Test.createTestingModule({
      imports: [MmspModule.forRootAsync({ useClass: MmspConfig })],
    }).compile();
    expect(moduleRef.get(MmspService).client.merchantNo).toBe(merchant.merchantNo);
    await moduleRef.close();
  });

  it('isGlobal is an extra of the module, not a client option', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [MmspModule.forRoot({ ...optionsFor(merchant), isGlobal: true })],
    }).compile();
    expect(moduleRef.get(MmspService).client.merchantNo).toBe(merchant.merchantNo);
    await moduleRef.close();
  });
});
