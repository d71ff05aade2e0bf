import { describe, expect, it } from 'vitest';
import { Hono } from 'hono';
import { MemoryNotificationStore, MmspConfigError, type PaidEvent } from '@mmsp/client';
import { createFetchClient, createNotificationHandler } from '../src/index.js';
import { MERCHANT, paidNotification, tamperAmount } from './notify-fixtures.js';
import { forgedPushes } from '../../client/test/support/forged-pushes.js';

const post = (body: BodyInit, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
  new Request('http://merchant.test/notify', { method: 'POST', body, headers });

const quiet = { debug() {}, info() {}, warn() {}, error() {} };

function receiver(extra: Partial<Parameters<typeof createNotificationHandler>[0]> = {}) {
  const events: PaidEvent[] = [];
  const handler = createNotificationHandler({
    key: MERCHANT.key,
    logger: quiet,
    onPaid: (e) => void events.push(e),
    ...extra,
  } as Parameters<typeof createNotificationHandler>[0]);
  return { events, handler };
}

describe('createNotificationHandler (Request → Response)', () => {
  it('answers SUCCESS to a signed notification after onPaid ran, and only once per order', async () => {
    const { events, handler } = receiver();
    const text = paidNotification('M20261126001', '100');
    const first = await handler(post(text));
    expect([first.status, await first.text(), first.headers.get('content-type')]).toEqual([
      200,
      'SUCCESS',
      'text/plain; charset=utf-8',
    ]);
    const again = await handler(post(text));
    expect([again.status, await again.text()]).toEqual([200, 'SUCCESS']);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: 'paid',
      family: 'quickPay',
      merchantOrderId: 'M20261126001',
      amount: '100',
    });
  });

  it('ignores a leading UTF-8 byte order mark, as the Node receiver does', async () => {
    const { events, handler } = receiver();
    const text = paidNotification('M20261126BOM', '100');
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(text)]);
    const res = await handler(post(bytes));
    expect([res.status, await res.text()]).toEqual([200, 'SUCCESS']);
    expect(events.map((e) => e.merchantOrderId)).toEqual(['M20261126BOM']);
  });

  it('rejects a tampered notification with a 4xx without calling onPaid', async () => {
    const { events, handler } = receiver();
    const res = await handler(post(tamperAmount(paidNotification('M20261126002'))));
    expect(res.status).toBe(400);
    expect(await res.text()).not.toMatch(/^SUCCESS/i);
    expect(events).toHaveLength(0);
  });

  it('refuses signed bodies that are not payment pushes (re-posted requests, odd STATUS / AMT / ids / times, wrong CommandID) with 400, onPaid never run (issue #13)', async () => {
    const { events, handler } = receiver();
    const accepted: string[] = [];
    for (const c of await forgedPushes(MERCHANT, `${Date.now()}`.slice(-9))) {
      const res = await handler(post(c.text));
      const body = await res.text();
      if (res.status !== 400 || !body.startsWith('FAIL ') || body.includes(MERCHANT.key))
        accepted.push(`${c.label}: ${res.status} ${body}`);
    }
    expect(accepted).toEqual([]);
    expect(events).toHaveLength(0);
  });

  it('rejects a notification signed with another key', async () => {
    const { events, handler } = receiver();
    const res = await handler(post(paidNotification('M20261126003', '100', '00000000000000000000000000000000')));
    expect(res.status).toBe(400);
    expect(events).toHaveLength(0);
  });

  it('answers 500 when onPaid throws so the platform retries, then SUCCESS on the retry', async () => {
    let calls = 0;
    const handler = createNotificationHandler({
      key: MERCHANT.key,
      onPaid: () => {
        calls++;
        if (calls === 1) throw new Error('database down');
      },
    });
    const text = paidNotification('M20261126004');
    const failed = await handler(post(text));
    expect(failed.status).toBe(500);
    expect(await failed.text()).not.toContain('database down');
    const retried = await handler(post(text));
    expect([retried.status, await retried.text()]).toEqual([200, 'SUCCESS']);
    expect(calls).toBe(2);
  });

  it('checks the amount against expectAmount', async () => {
    const { events, handler } = receiver({ expectAmount: () => '999' });
    const res = await handler(post(paidNotification('M20261126005', '100')));
    expect(res.status).toBe(400);
    expect(events).toHaveLength(0);
  });

  it('shares a store across handlers (two instances, one handler run)', async () => {
    const store = new MemoryNotificationStore();
    const a = receiver({ store });
    const b = receiver({ store });
    const text = paidNotification('M20261126006');
    const [ra, rb] = await Promise.all([a.handler(post(text)), b.handler(post(text))]);
    expect(a.events.length + b.events.length).toBe(1);
    // One ran the handler (200); the other saw a claim in progress (409) or done (200).
    expect([ra.status, rb.status].sort()).toEqual(expect.arrayContaining([200]));
    const late = await b.handler(post(text));
    expect([late.status, await late.text()]).toEqual([200, 'SUCCESS']);
  });

  it("uses a client's notifications when given one", async () => {
    const client = createFetchClient({ ...MERCHANT, endpoints: { quickPay: 'http://127.0.0.1:9/quickpay' } });
    const events: PaidEvent[] = [];
    const handler = createNotificationHandler({ client, onPaid: (e) => void events.push(e) });
    const res = await handler(post(paidNotification('M20261126007')));
    expect(res.status).toBe(200);
    expect(events.map((e) => e.merchantOrderId)).toEqual(['M20261126007']);
  });

  it('HTTP-level refusals: method, size (declared and streamed), invalid UTF-8', async () => {
    const { events, handler } = receiver({ maxBodyBytes: 1024 });
    const get = await handler(new Request('http://merchant.test/notify'));
    expect([get.status, get.headers.get('allow')]).toEqual([405, 'POST']);
    expect((await handler(post('x'.repeat(2048)))).status).toBe(413);
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        for (let i = 0; i < 4; i++) c.enqueue(new Uint8Array(400).fill(0x20));
        c.close();
      },
    });
    const streamed = new Request('http://merchant.test/notify', {
      method: 'POST',
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect(streamed.headers.get('content-length')).toBeNull();
    expect((await handler(streamed)).status).toBe(413);
    const badUtf8 = await handler(post(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d])));
    expect([badUtf8.status, await badUtf8.text()]).toEqual([400, 'FAIL body is not valid UTF-8']);
    expect((await handler(post(''))).status).toBe(400);
    expect(events).toHaveLength(0);
  });

  it('a body that trickles in and stalls gets 408 within bodyTimeoutMs, the stream cancelled and onPaid never run (issue #13 item 9)', async () => {
    const { events, handler } = receiver({ bodyTimeoutMs: 300 });
    const text = new TextEncoder().encode(paidNotification('M20261126TRICKLE'));
    let cancelled = false;
    let sent = 0;
    // A real stream: a few bytes every 50 ms, then nothing more — never closed (slowloris).
    const stream = new ReadableStream<Uint8Array>({
      async pull(c) {
        if (sent >= 40) return new Promise<void>(() => undefined);
        await new Promise((r) => setTimeout(r, 50));
        c.enqueue(text.slice(sent, sent + 8));
        sent += 8;
      },
      cancel() {
        cancelled = true;
      },
    });
    const started = Date.now();
    const res = await handler(
      new Request('http://merchant.test/notify', { method: 'POST', body: stream, duplex: 'half' } as RequestInit),
    );
    const elapsed = Date.now() - started;
    expect([res.status, await res.text()]).toEqual([408, 'FAIL body not received within 300 ms']);
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(3000);
    expect(sent).toBeGreaterThan(0);
    expect(cancelled).toBe(true);
    expect(events).toHaveLength(0);
  });

  it('a slow body that ends within bodyTimeoutMs is read; bodyTimeoutMs must be a positive integer', async () => {
    const { events, handler } = receiver({ bodyTimeoutMs: 5_000 });
    const text = new TextEncoder().encode(paidNotification('M20261126SLOWOK'));
    let at = 0;
    const stream = new ReadableStream<Uint8Array>({
      async pull(c) {
        await new Promise((r) => setTimeout(r, 5));
        if (at >= text.length) return c.close();
        c.enqueue(text.slice(at, at + 64));
        at += 64;
      },
    });
    const res = await handler(
      new Request('http://merchant.test/notify', { method: 'POST', body: stream, duplex: 'half' } as RequestInit),
    );
    expect([res.status, await res.text()]).toEqual([200, 'SUCCESS']);
    expect(events.map((e) => e.merchantOrderId)).toEqual(['M20261126SLOWOK']);
    for (const bad of [0, -1, 1.5, Number.NaN]) {
      expect(
        () => createNotificationHandler({ key: MERCHANT.key, onPaid: () => undefined, bodyTimeoutMs: bad }),
        String(bad),
      ).toThrow(/bodyTimeoutMs/);
    }
  });

  it("logs a failing handler's error (name and message at error, stack at debug), never the raw body or the key (issue #13 item 9)", async () => {
    const lines: { level: string; message: string; meta?: Record<string, unknown> }[] = [];
    const logger = Object.fromEntries(
      ['debug', 'info', 'warn', 'error'].map((level) => [
        level,
        (message: string, meta?: Record<string, unknown>) =>
          void lines.push({ level, message, ...(meta ? { meta } : {}) }),
      ]),
    );
    const text = paidNotification('M20261126LOGGED');
    const handler = createNotificationHandler({
      key: MERCHANT.key,
      logger,
      onPaid: () => {
        throw new TypeError(`orders table is locked (card 6227000013830237349, key ${MERCHANT.key})`);
      },
    });
    const res = await handler(post(text));
    expect(res.status).toBe(500);
    const error = lines.find((l) => l.level === 'error');
    expect(error?.message).toMatch(/notification handler failed/);
    expect(error?.meta?.error).toMatchObject({
      name: 'TypeError',
      message: expect.stringContaining('orders table is locked'),
    });
    const debug = lines.find((l) => l.level === 'debug' && String(l.message).includes('stack'));
    expect(String(debug?.meta?.stack)).toContain('orders table is locked');
    const logged = JSON.stringify(lines);
    expect(logged).not.toContain(MERCHANT.key);
    expect(logged).not.toContain('6227000013830237349');
    expect(logged).toContain('***************7349');
    expect(logged).not.toContain(text.slice(0, 60));
  });

  it('refuses content types the platform would not send, and charsets other than UTF-8 (415), like the Node receiver', async () => {
    const { events, handler } = receiver();
    const text = paidNotification('M20261126010');
    for (const type of ['multipart/form-data; boundary=x', 'application/xml', 'application/json; charset=gbk']) {
      const res = await handler(post(text, { 'content-type': type }));
      expect([res.status, type]).toEqual([415, type]);
    }
    expect(events).toHaveLength(0);
    for (const type of [
      'application/x-www-form-urlencoded',
      'text/plain;charset=UTF-8',
      'application/json; charset="utf-8"',
    ]) {
      const res = await handler(post(paidNotification(`M20261126010${type.length}`), { 'content-type': type }));
      expect([res.status, type]).toEqual([200, type]);
    }
    const none = new Request('http://merchant.test/notify', {
      method: 'POST',
      body: new TextEncoder().encode(paidNotification('M20261126011')),
    });
    expect(none.headers.get('content-type')).toBeNull();
    expect((await handler(none)).status).toBe(200);
  });

  it('works as a Hono route', async () => {
    const { events, handler } = receiver();
    const app = new Hono();
    app.post('/notify', (c) => handler(c.req.raw));
    const ok = await app.request('/notify', { method: 'POST', body: paidNotification('M20261126008') });
    expect([ok.status, await ok.text()]).toEqual([200, 'SUCCESS']);
    const bad = await app.request('/notify', { method: 'POST', body: tamperAmount(paidNotification('M20261126009')) });
    expect(bad.status).toBe(400);
    expect(events.map((e) => e.merchantOrderId)).toEqual(['M20261126008']);
  });

  it('refuses a bad configuration with one MmspConfigError listing every problem, never the key', () => {
    const error = (() => {
      try {
        createNotificationHandler({ key: MERCHANT.key, client: {} as never, maxBodyBytes: -1 } as never);
      } catch (e) {
        return e as MmspConfigError;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(MmspConfigError);
    expect(error!.issues.map((i) => i.field).sort()).toEqual(['client', 'key', 'maxBodyBytes', 'onPaid']);
    expect(error!.message).not.toContain(MERCHANT.key);
    expect(() => createNotificationHandler({ onPaid: () => undefined } as never)).toThrow(/key/);
    expect(() => createNotificationHandler({ key: '', onPaid: () => undefined })).toThrow(MmspConfigError);
  });
});
