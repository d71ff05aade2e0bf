import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RUNTIMES, startRuntime, type RunningRuntime } from './runtime/harness.js';
import { MERCHANT, paidNotification, tamperAmount } from './notify-fixtures.js';

// (b) On each real runtime, the worker's createNotificationHandler answers SUCCESS to a signed
// notification (once per order: a redelivery is SUCCESS without a second onPaid) and rejects a
// tampered one. Notifications here are signed by the codec in the test; the sandbox-delivered
// ones are in runtime-sandbox.ci.test.ts.
describe.each(RUNTIMES)('notification handler on %s', (runtime) => {
  let running: RunningRuntime;
  beforeAll(async () => {
    running = await startRuntime(runtime, { MMSP_KEY: MERCHANT.key });
  });
  afterAll(async () => {
    await running?.stop();
  });

  const notify = (body: string) =>
    fetch(`${running.url}/notify`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  const events = async () =>
    (await (await fetch(`${running.url}/events`)).json()) as { merchantOrderId: string; amount: string }[];
  const hookEvents = async () =>
    (await (await fetch(`${running.url}/notification-events`)).json()) as Record<string, unknown>[];

  it('SUCCESS for a signed notification, once per order', async () => {
    const text = paidNotification(`R${runtime}001`, '250');
    const first = await notify(text);
    expect([first.status, await first.text()], running.output()).toEqual([200, 'SUCCESS']);
    const again = await notify(text);
    expect([again.status, await again.text()]).toEqual([200, 'SUCCESS']);
    const seen = await events();
    expect(seen.map((e) => [e.merchantOrderId, e.amount])).toEqual([[`R${runtime}001`, '250']]);
    // The key-only receiver's hooks.onNotification sees both decisions (issue #15).
    expect(
      (await hookEvents())
        .filter((e) => e.merchantOrderId === `R${runtime}001`)
        .map((e) => [e.type, e.decision, e.httpStatus, e.amount]),
    ).toEqual([
      ['notification', 'handled', 200, '250'],
      ['notification', 'duplicate', 200, '250'],
    ]);
  });

  it('a tampered notification is rejected and never reaches onPaid', async () => {
    const res = await notify(tamperAmount(paidNotification(`R${runtime}002`)));
    expect(res.status).toBe(400);
    expect(await res.text()).not.toMatch(/^SUCCESS/i);
    expect((await events()).map((e) => e.merchantOrderId)).not.toContain(`R${runtime}002`);
    // Refused before its Body was read: the hook's event names no order.
    expect((await hookEvents()).at(-1)).toMatchObject({
      type: 'notification',
      decision: 'rejected',
      httpStatus: 400,
      reason: 'bad-signature',
    });
  });

  it('a body that trickles in and stalls gets 408 within bodyTimeoutMs, onPaid never run (issue #13 item 9)', async () => {
    const started = Date.now();
    const answer = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request(
        `${running.url}/notify-slow`,
        { method: 'POST', headers: { 'content-type': 'application/json' } },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (text += chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        },
      );
      req.on('error', reject);
      // The start of a notification, chunked, and then nothing: never ended (slowloris).
      req.write(paidNotification(`R${runtime}003`).slice(0, 40));
      setTimeout(() => req.destroy(new Error('no answer within 15 s to a stalled body')), 15_000).unref();
    });
    expect([answer.status, answer.text], running.output()).toEqual([408, 'FAIL body not received within 500 ms']);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect((await events()).map((e) => e.merchantOrderId)).not.toContain(`R${runtime}003`);
  });

  it('a GET is refused, an oversized body is refused', async () => {
    expect((await fetch(`${running.url}/notify`)).status).toBe(405);
    expect((await notify('x'.repeat(70 * 1024))).status).toBe(413);
  });
});
