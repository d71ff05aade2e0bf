/**
 * Issue #6 contract as a stranger reads it: the handler is "usable directly as … a Hono route".
 * Directly means `app.post(path, handler)` (Hono passes its Context, not the Request), type-checked
 * and answering like the plain Request form: SUCCESS after onPaid, 400 for a tampered notification.
 */
import { describe, expect, it } from 'vitest';
import { Hono } from 'hono';
import type { PaidEvent } from '@mmsp/client';
import { createNotificationHandler } from '../src/index.js';
import { MERCHANT, paidNotification, tamperAmount } from './notify-fixtures.js';

describe('createNotificationHandler mounted directly on Hono', () => {
  it('app.post(path, handler) verifies, runs onPaid once and refuses a tampered notification', async () => {
    const events: PaidEvent[] = [];
    const handler = createNotificationHandler({
      key: MERCHANT.key,
      logger: { debug() {}, info() {}, warn() {}, error() {} },
      onPaid: async (e) => {
        await new Promise((resolve) => setTimeout(resolve, 10));
        events.push(e);
      },
    });
    const app = new Hono();
    app.post('/notify', handler);
    const text = paidNotification('M20261126101');
    const ok = await app.request('/notify', {
      method: 'POST',
      body: text,
      headers: { 'content-type': 'application/json' },
    });
    expect([ok.status, await ok.text()]).toEqual([200, 'SUCCESS']);
    expect(events).toHaveLength(1);
    const again = await app.request('/notify', { method: 'POST', body: text });
    expect([again.status, await again.text()]).toEqual([200, 'SUCCESS']);
    const bad = await app.request('/notify', { method: 'POST', body: tamperAmount(paidNotification('M20261126102')) });
    expect(bad.status).toBe(400);
    expect(events.map((e) => e.merchantOrderId)).toEqual(['M20261126101']);
  });

  it('still takes a plain Request (the Workers / Deno.serve / Bun.serve form)', async () => {
    const handler = createNotificationHandler({
      key: MERCHANT.key,
      logger: { debug() {}, info() {}, warn() {}, error() {} },
      onPaid: () => undefined,
    });
    const res = await handler(
      new Request('http://merchant.test/notify', { method: 'POST', body: paidNotification('M20261126103') }),
    );
    expect(res.status).toBe(200);
  });
});
