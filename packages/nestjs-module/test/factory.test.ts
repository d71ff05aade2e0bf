/**
 * The production path: NestFactory.create (not @nestjs/testing), where the HTTP adapter is set
 * before the providers exist. The raw-body check, the route and bad options behave the same.
 */
import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { ExpressAdapter } from '@nestjs/platform-express';
import { MmspConfigError, MmspTransportError } from '@mmsp/client';
import type { Sandbox, SandboxMerchant } from '@mmsp/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MmspExceptionFilter, MmspModule } from '../src/index.js';
import { PaidOrders } from './support/handlers.js';
import { PLATFORMS, type Platform } from './support/nest.js';
import { optionsFor, sandboxWithMerchant } from './support/sandbox.js';

let sandbox: Sandbox;
let merchant: SandboxMerchant;
beforeAll(async () => {
  ({ sandbox, merchant } = await sandboxWithMerchant());
});
afterAll(async () => {
  await sandbox?.close();
});

@Controller('fail')
class Failing {
  @Get()
  fail() {
    throw new MmspTransportError('socket hang up after the request was written to 10.0.0.7', {
      mayHaveReachedPlatform: true,
    });
  }
}

const appModule = (options = optionsFor(merchant)) => {
  @Module({ imports: [MmspModule.forRoot(options)], controllers: [Failing], providers: [PaidOrders] })
  class AppModule {}
  return AppModule;
};

const create = (platform: Platform, module: unknown, rawBody: boolean) =>
  NestFactory.create(module as never, platform === 'express' ? new ExpressAdapter() : new FastifyAdapter(), {
    rawBody,
    logger: false,
    abortOnError: false,
  });

describe.each(PLATFORMS)('NestFactory.create on %s', (platform) => {
  it('with rawBody: true the route verifies; a filter made with `new` answers through the response object', async () => {
    const app = await create(platform, appModule(), true);
    app.useGlobalFilters(new MmspExceptionFilter());
    await app.listen(0, '127.0.0.1');
    try {
      const base = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
      const res = await fetch(`${base}/mmsp/notify`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"CommandID":2324,"Body":{},"Sign":"x"}',
      });
      expect(res.status).toBe(400);
      const failed = await fetch(`${base}/fail`);
      expect(failed.status).toBe(504);
      const body = await failed.text();
      expect(JSON.parse(body)).toMatchObject({ code: 'MMSP_TRANSPORT', mayHaveReachedPlatform: true });
      expect(body).not.toContain('10.0.0.7');
    } finally {
      await app.close();
    }
  });

  it('without rawBody, listen() rejects with the fix', async () => {
    const app = await create(platform, appModule(), false);
    const failure = await app.listen(0, '127.0.0.1').then(
      () => undefined,
      (e: unknown) => e,
    );
    await app.close().catch(() => undefined);
    expect(failure).toBeInstanceOf(MmspConfigError);
    expect((failure as Error).message).toContain('{ rawBody: true }');
  });

  it('bad options reject NestFactory.create with every problem', async () => {
    const failure = await create(
      platform,
      appModule({ ...optionsFor(merchant), terminalNo: 'not valid!', endpoints: { scan: 'nope' } }),
      true,
    ).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(failure).toBeInstanceOf(MmspConfigError);
    expect((failure as MmspConfigError).issues.map((i) => i.field).sort()).toEqual(['endpoints.scan', 'terminalNo']);
  });
});
