// The receiver's promise-free entry (DECIDE_NOW, used by @mmsp/http-node's node:http handler)
// decides exactly as `handle` does, and answers without a promise when the store and onPaid are
// synchronous.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DECIDE_NOW, type DecideNow, type NotificationDecision } from '../src/notifications/handle.js';
import { createNotificationReceiver } from '../src/notifications/receiver.js';
import type { MmspNotificationEvent } from '../src/hooks.js';
import { quickPayBody, signedNotification } from './support/notifications.js';
import { MERCHANT } from './support/keys.js';
import { createClient } from '../src/client.js';

const decideNowOf = (r: object): DecideNow => (r as { [DECIDE_NOW]: DecideNow })[DECIDE_NOW];
const isThenable = (v: unknown) => typeof (v as { then?: unknown } | null)?.then === 'function';
const facts = (d: NotificationDecision) => ({
  status: d.status,
  body: d.body,
  outcome: d.outcome,
  order: d.event?.merchantOrderId,
  amount: d.event?.amount,
});

describe('DECIDE_NOW: handle without its promise', () => {
  it('is offered by createNotificationReceiver, not enumerable, under its Symbol.for name', () => {
    const r = createNotificationReceiver({ key: MERCHANT.key, logger: {} });
    expect(typeof decideNowOf(r)).toBe('function');
    expect(DECIDE_NOW).toBe(Symbol.for('@mmsp/client:notifications.decideNow'));
    expect(Object.keys(r)).toEqual(['open', 'handle', 'toJSON']);
  });

  it("is offered by a client's notifications too, not enumerable, deciding as its handle does", async () => {
    const c = createClient({
      ...MERCHANT,
      endpoints: {},
      transport: async () => ({ status: 500, headers: {}, body: '' }),
      logger: {},
    });
    const decide = decideNowOf(c.notifications);
    expect(typeof decide).toBe('function');
    expect(Object.keys(c.notifications)).toEqual(['open', 'handle']);
    const paid: string[] = [];
    const text = signedNotification(quickPayBody({ MERORDERID: 'CLIENT01' }));
    const first = decide(text, (e) => void paid.push(e.merchantOrderId));
    expect(isThenable(first)).toBe(false);
    expect(first).toMatchObject({ status: 200, body: 'SUCCESS', outcome: 'handled' });
    await expect(c.notifications.handle(text, () => void paid.push('again'))).resolves.toMatchObject({
      outcome: 'duplicate',
    });
    expect(decide(text.replace('"AMT":"200"', '"AMT":"20000"'), () => void paid.push('forged'))).toMatchObject({
      status: 400,
    });
    expect(paid).toEqual(['CLIENT01']);
  });

  it('answers synchronously with the in-memory store and a synchronous onPaid; a promise when onPaid is asynchronous', async () => {
    const r = createNotificationReceiver({ key: MERCHANT.key, logger: {} });
    const paid: string[] = [];
    const text = signedNotification(quickPayBody({ MERORDERID: 'SYNC0001' }));
    const first = decideNowOf(r)(text, (e) => void paid.push(e.merchantOrderId));
    expect(isThenable(first)).toBe(false);
    expect(first).toMatchObject({ status: 200, body: 'SUCCESS', outcome: 'handled' });
    expect(decideNowOf(r)(text, () => paid.push('again'))).toMatchObject({ status: 200, outcome: 'duplicate' });
    expect(paid).toEqual(['SYNC0001']);
    const later = decideNowOf(r)(signedNotification(quickPayBody({ MERORDERID: 'ASYNC001' })), async () => undefined);
    expect(isThenable(later)).toBe(true);
    await expect(later).resolves.toMatchObject({ status: 200, outcome: 'handled' });
    const tampered = text.replace('"AMT":"200"', '"AMT":"20000"');
    expect(decideNowOf(r)(tampered, () => paid.push('forged'))).toMatchObject({ status: 400, outcome: 'rejected' });
    expect(paid).toEqual(['SYNC0001']);
  });

  it('reports every decision to onNotification, synchronously on the synchronous path', () => {
    const events: MmspNotificationEvent[] = [];
    const r = createNotificationReceiver({
      key: MERCHANT.key,
      logger: {},
      hooks: { onNotification: (e) => void events.push(e) },
    });
    const text = signedNotification(quickPayBody({ MERORDERID: 'HOOK0001' }));
    void decideNowOf(r)(text, () => undefined);
    void decideNowOf(r)(text, () => undefined);
    void decideNowOf(r)(text.replace('"AMT":"200"', '"AMT":"1"'), () => undefined);
    expect(events.map((e) => [e.decision, e.httpStatus, e.merchantOrderId])).toEqual([
      ['handled', 200, 'HOOK0001'],
      ['duplicate', 200, 'HOOK0001'],
      ['rejected', 400, undefined],
    ]);
    expect(events[2]).toMatchObject({ reason: 'bad-signature' });
  });

  it('decides as handle does on any sequence of fresh, repeated, tampered and failing notifications', async () => {
    const texts = Array.from({ length: 6 }, (_, i) =>
      signedNotification(quickPayBody({ MERORDERID: `PROP${i}`, AMT: String(100 + i) })),
    );
    const step = fc.record({
      which: fc.nat({ max: texts.length - 1 }),
      tamper: fc.boolean(),
      handler: fc.constantFrom('sync', 'async', 'throws', 'rejects'),
      expect: fc.constantFrom(undefined, 'same', 'other'),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 12 }), async (steps) => {
        const viaHandle = createNotificationReceiver({ key: MERCHANT.key, logger: {} });
        const viaNow = createNotificationReceiver({ key: MERCHANT.key, logger: {} });
        for (const s of steps) {
          const base = texts[s.which]!;
          const text = s.tamper ? base.replace('"STATUS":"1"', '"STATUS":"2"') : base;
          const onPaid =
            s.handler === 'sync'
              ? () => undefined
              : s.handler === 'async'
                ? async () => undefined
                : s.handler === 'throws'
                  ? () => {
                      throw new Error('no');
                    }
                  : () => Promise.reject(new Error('no'));
          const options =
            s.expect === undefined
              ? {}
              : { expectAmount: (e: { amount: string }) => (s.expect === 'same' ? e.amount : '1') };
          const a = await viaHandle.handle(text, onPaid, options);
          const b = await decideNowOf(viaNow)(text, onPaid, options);
          expect(facts(b)).toEqual(facts(a));
        }
      }),
      { numRuns: 60 },
    );
  });
});
