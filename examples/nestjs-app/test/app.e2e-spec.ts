import { INestApplication, Logger } from '@nestjs/common';
import { Test, TestingModule } from '@nestjs/testing';
import request from 'supertest';
import { App } from 'supertest/types';
import { buildEnvelope, buildNotificationBody } from '@mmsp/codec';
import { startSandbox, type Sandbox } from '@mmsp/sandbox';
import { AppModule } from './../src/app.module';
import { OrdersService } from './../src/orders.service';

describe('MMSP notifications (e2e)', () => {
  let sandbox: Sandbox;
  let app: INestApplication<App>;

  beforeAll(async () => {
    // The app reads its merchant configuration from the environment: here, the sandbox's test merchant.
    sandbox = await startSandbox({ port: 0 });
    const { merchantNo, terminalNo, key, endpoints } = sandbox.merchant;
    Object.assign(process.env, {
      MMSP_MERCHANT_NO: merchantNo,
      MMSP_TERMINAL_NO: terminalNo,
      MMSP_KEY: key,
      MMSP_SCAN_URL: endpoints.scan,
    });

    const moduleFixture: TestingModule = await Test.createTestingModule({
      imports: [AppModule],
    }).compile();

    app = moduleFixture.createNestApplication({ rawBody: true });
    await app.init();
  }, 30_000);

  afterAll(async () => {
    await app?.close();
    await sandbox?.close();
  });

  /** A scan-code payment notification as the platform pushes it (CommandID 2324), signed with the merchant key. */
  function paidNotification(orderId: string, key = sandbox.merchant.key): string {
    const { merchantNo, terminalNo } = sandbox.merchant;
    const body = buildNotificationBody('scan', {
      merchantOrderId: orderId,
      platformOrderId: `P${orderId}`,
      amount: '100',
      paidAt: new Date(),
    });
    return buildEnvelope({
      family: 'scan',
      commandId: 2324,
      seqId: 1,
      nodeType: 3,
      nodeId: 'openplat',
      merchantNo,
      terminalNo,
      key,
      body,
      retCode: 1,
      errorMsg: '',
    }).text;
  }

  it('/mmsp/notify (POST) answers SUCCESS and runs the decorated handler once, however often the platform pushes', async () => {
    const orders = app.get(OrdersService);
    const orderId = `E2E${Date.now()}`;
    const text = paidNotification(orderId);

    await request(app.getHttpServer())
      .post('/mmsp/notify')
      .set('Content-Type', 'application/json')
      .send(text)
      .expect(200)
      .expect('SUCCESS');
    await request(app.getHttpServer())
      .post('/mmsp/notify')
      .set('Content-Type', 'application/json')
      .send(text)
      .expect(200)
      .expect('SUCCESS');

    expect(orders.paid.get(orderId)).toBe('100');
    expect(orders.handled).toBe(1);
  });

  it('/mmsp/notify (POST) refuses a notification signed with another key, and no handler runs', async () => {
    const orders = app.get(OrdersService);
    const before = orders.handled;
    const orderId = `E2EBAD${Date.now()}`;
    // The module logs the client's lines through Nest's Logger (one line per event), not the console.
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    try {
      await request(app.getHttpServer())
        .post('/mmsp/notify')
        .set('Content-Type', 'application/json')
        .send(paidNotification(orderId, 'f'.repeat(32)))
        .expect(400);
      // The refusal is logged, without the merchant key.
      expect(warn).toHaveBeenCalledWith(expect.stringContaining('notification rejected: bad-signature'));
      expect(JSON.stringify(warn.mock.calls)).not.toContain(sandbox.merchant.key);
    } finally {
      warn.mockRestore();
    }

    expect(orders.paid.has(orderId)).toBe(false);
    expect(orders.handled).toBe(before);
  });
});
