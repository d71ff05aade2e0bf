/**
 * MmspService against the real sandbox, through a merchant's checkout controller on Express and
 * Fastify, with MmspExceptionFilter turning the client's typed errors into HTTP answers.
 */
import { Body, Controller, Get, Injectable, Param, Post } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import type { Sandbox, SandboxMerchant } from '@mmsp/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MmspExceptionFilter, MmspModule, MmspService, type MmspModuleOptions } from '../src/index.js';
import { PaidOrders } from './support/handlers.js';
import { PLATFORMS, startApp, type RunningApp } from './support/nest.js';
import { digitsId, optionsFor, orderId, sandboxWithMerchant, until } from './support/sandbox.js';

@Injectable()
class CheckoutService {
  constructor(readonly mmsp: MmspService) {}
}

@Controller('checkout')
class CheckoutController {
  constructor(private readonly checkout: CheckoutService) {}

  @Post('scan')
  async scan(@Body() body: Record<string, string>) {
    const result = await this.checkout.mmsp.scan.wechatOrder({ TRADETYPE: '1', GOODSNAME: 'book', ...body } as never);
    return { merchantOrderId: result.body.MERORDERID, state: result.state ?? null };
  }

  @Get('scan/:id')
  async query(@Param('id') id: string) {
    const result = await this.checkout.mmsp.call('scan.query', { MERORDERID: id } as never);
    return { state: result.state ?? null, amount: String(result.body.AMT ?? '') };
  }
}

const post = (url: string, body: unknown) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe.each(PLATFORMS)('MmspService and MmspExceptionFilter on %s', (platform) => {
  let sandbox: Sandbox;
  let merchant: SandboxMerchant;
  let running: RunningApp;
  let mmsp: MmspService;

  const boot = (options: MmspModuleOptions) =>
    startApp(platform, {
      imports: [MmspModule.forRoot(options)],
      controllers: [CheckoutController],
      providers: [CheckoutService, PaidOrders, { provide: APP_FILTER, useClass: MmspExceptionFilter }],
    });

  beforeAll(async () => {
    ({ sandbox, merchant } = await sandboxWithMerchant());
    running = await boot(optionsFor(merchant));
    mmsp = running.app.get(MmspService);
  });
  afterAll(async () => {
    await running?.close();
    await sandbox?.close();
  });

  it('places a scan order, the customer pays, the query says paid (through a checkout controller)', async () => {
    const id = orderId('SV');
    const placed = await post(`${running.url}/checkout/scan`, {
      MERORDERID: id,
      AMT: '880',
      NOTIFY_URL: `${running.url}/mmsp/notify`,
    });
    expect(placed.status).toBe(201);
    expect(await placed.json()).toMatchObject({ merchantOrderId: id });
    const before = (await (await fetch(`${running.url}/checkout/scan/${id}`)).json()) as { state: string };
    expect(before.state).not.toBe('paid');
    sandbox.settleOrder(id, 'pay');
    expect(await (await fetch(`${running.url}/checkout/scan/${id}`)).json()).toEqual({ state: 'paid', amount: '880' });
    await until('notification handled', () => running.app.get(PaidOrders).paidFor(id).length === 1);
  });

  it('places an RSA payout and waits for its final state', async () => {
    const orderNo = digitsId();
    const paid = await mmsp.payout.pay({
      ORDERNO: orderNo,
      AMT: '10000',
      BUSIYPE: '001',
      ACCNAME: '李四',
      ACCNO: '6222020200112230000',
      MEMO: 'salary',
      ACCTYPE: '0',
      MOBILE: '13800138000',
      BANKNAME: '工商银行',
    } as never);
    expect(['accepted', 'paying', 'paid']).toContain(paid.state);
    const final = await mmsp.payout.waitForFinal({ ORDERNO: orderNo }, { deadlineMs: 5_000, intervalMs: 50 });
    expect(final.final).toBe(true);
    expect(final.result.state).toBe('paid');
  });

  it('a body that breaks the document rules → 400 with every issue, nothing sent', async () => {
    const before = sandbox.orders().length;
    const res = await post(`${running.url}/checkout/scan`, {
      MERORDERID: orderId('SX'),
      AMT: '12.50',
      NOTIFY_URL: 'http://127.0.0.1:9/n',
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { code: string; issues: { field: string }[] };
    expect(body.code).toBe('MMSP_VALIDATION');
    expect(body.issues.map((i) => i.field)).toContain('AMT');
    expect(sandbox.orders().length).toBe(before);
  });

  it('the platform refuses (duplicate merchant order number) → 422 with the platform code', async () => {
    const id = orderId('SD');
    expect(
      (await post(`${running.url}/checkout/scan`, { MERORDERID: id, AMT: '100', NOTIFY_URL: 'http://127.0.0.1:9/n' }))
        .status,
    ).toBe(201);
    const res = await post(`${running.url}/checkout/scan`, {
      MERORDERID: id,
      AMT: '100',
      NOTIFY_URL: 'http://127.0.0.1:9/n',
    });
    const body = (await res.json()) as { code: string; platformCode: string };
    expect({ status: res.status, code: body.code }).toEqual({ status: 422, code: 'MMSP_BUSINESS' });
    expect(body.platformCode).toBe('1008');
  });

  it('the platform unreachable → 504 saying the request did not reach it; a wrong key → 502', async () => {
    const closed = await boot(
      optionsFor(merchant, { endpoints: { scan: 'http://127.0.0.1:9/scan' }, notifyPath: '/unused-1' }),
    );
    const wrongKey = await boot(
      optionsFor(merchant, { key: '0123456789abcdef0123456789abcdef', notifyPath: '/unused-2' }),
    );
    try {
      const unreachable = await post(`${closed.url}/checkout/scan`, {
        MERORDERID: orderId('SU'),
        AMT: '100',
        NOTIFY_URL: 'http://127.0.0.1:9/n',
      });
      expect(unreachable.status).toBe(504);
      expect(await unreachable.json()).toMatchObject({
        statusCode: 504,
        code: 'MMSP_TRANSPORT',
        mayHaveReachedPlatform: false,
        message: 'the payment platform could not be reached; nothing was sent',
      });
      const refused = await post(`${wrongKey.url}/checkout/scan`, {
        MERORDERID: orderId('SK'),
        AMT: '100',
        NOTIFY_URL: 'http://127.0.0.1:9/n',
      });
      expect(refused.status).toBe(502);
      const text = await refused.text();
      expect(JSON.parse(text)).toMatchObject({ statusCode: 502, error: 'Bad Gateway', code: 'MMSP_PROTOCOL' });
      expect(text).not.toContain('0123456789abcdef0123456789abcdef');
    } finally {
      await closed.close();
      await wrongKey.close();
    }
  });
});
