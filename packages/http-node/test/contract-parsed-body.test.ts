/**
 * Issue #5 contract as a stranger reads it: the handler "works as Express and Fastify middleware".
 * Strangers mount it with `app.post(path, handler)` after `app.use(express.json())`, or straight on
 * Fastify (whose default parser turns application/json into an object). Both must verify and answer
 * SUCCESS only after onPaid, 400 for a tampered notification without running onPaid, and the stream
 * untouched by a parser that skipped it (Express 4's `req.body = {}`) must still be read.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import Fastify from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import type { PaidEvent } from '@mmsp/client';
import { createNotificationHandler } from '../src/index.js';
import { MERCHANT, quickPayNotification } from './support/notifications.js';

const closers: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  await Promise.all(closers.map((c) => c()));
});

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise((resolve) => server.close(() => resolve(undefined))));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/mmsp/notify`;
}

async function post(
  url: string,
  body: string,
  contentType = 'application/json',
): Promise<{ status: number; body: string }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': contentType }, body });
  return { status: res.status, body: await res.text() };
}

function handler(paid: PaidEvent[]) {
  return createNotificationHandler({
    key: MERCHANT.key,
    onPaid: async (event) => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      paid.push(event);
    },
  });
}

async function check(url: string, paid: PaidEvent[], contentType?: string): Promise<void> {
  const text = quickPayNotification();
  expect(await post(url, text, contentType)).toEqual({ status: 200, body: 'SUCCESS' });
  expect(paid).toHaveLength(1);
  expect(await post(url, text, contentType)).toEqual({ status: 200, body: 'SUCCESS' });
  expect(paid).toHaveLength(1);
  expect((await post(url, quickPayNotification().replace('"AMT":"100"', '"AMT":"10000"'), contentType)).status).toBe(
    400,
  );
  expect((await post(url, quickPayNotification({}, '0'.repeat(32)), contentType)).status).toBe(400);
  expect(paid).toHaveLength(1);
}

describe('createNotificationHandler behind a JSON body parser', () => {
  it('Express: app.use(express.json()) then app.post(path, handler)', async () => {
    const paid: PaidEvent[] = [];
    const app = express();
    app.use(express.json());
    app.post('/mmsp/notify', handler(paid));
    await check(await listen(createServer(app)), paid);
  });

  for (const extended of [false, true]) {
    it(`Express: app.use(express.urlencoded({ extended: ${extended} })) and the envelope posted as form-urlencoded (PHP curl's default)`, async () => {
      const paid: PaidEvent[] = [];
      const app = express();
      app.use(express.urlencoded({ extended }));
      app.post('/mmsp/notify', handler(paid));
      await check(await listen(createServer(app)), paid, 'application/x-www-form-urlencoded');
    });
  }

  it('Express: an empty POST behind express.json() is refused as malformed (400), not as a setup error (500)', async () => {
    const paid: PaidEvent[] = [];
    const app = express();
    app.use(express.json());
    app.post('/mmsp/notify', handler(paid));
    const url = await listen(createServer(app));
    const empty = await post(url, '');
    expect(empty.status).toBe(400);
    expect(empty.body).toMatch(/^FAIL /);
    // A body the parser consumed without leaving an envelope is still the setup error it was.
    expect((await post(url, '{"not":"an envelope"}')).status).toBe(500);
    expect(paid).toHaveLength(0);
  });

  it('Express: a parser that skipped the request (req.body = {}, stream unread) does not stop the handler reading it', async () => {
    const paid: PaidEvent[] = [];
    const h = handler(paid);
    const server = createServer((req, res) => {
      (req as { body?: unknown }).body = {};
      h(req, res);
    });
    await check(await listen(server), paid);
  });

  it('Fastify: app.post(path, handler) with Fastify’s default JSON parser', async () => {
    const paid: PaidEvent[] = [];
    const app = Fastify();
    app.post('/mmsp/notify', handler(paid));
    await app.listen({ port: 0, host: '127.0.0.1' });
    closers.push(() => app.close());
    await check(`http://127.0.0.1:${(app.server.address() as AddressInfo).port}/mmsp/notify`, paid);
  });
});
