import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MmspConfigError, MmspSignatureError } from '@mmsp/codec';
import { MemoryNotificationStore } from '../src/notification-store.js';
import { createNotificationReceiver } from '../src/notifications/receiver.js';
import { notificationId, type PaidEvent } from '../src/notifications/open.js';
import { harness } from './support/harness.js';
import { MERCHANT } from './support/keys.js';
import { gatewayBody, quickPayBody, scanBody, signedNotification } from './support/notifications.js';

const receiver = () => createNotificationReceiver({ key: MERCHANT.key, logger: {} });

describe('notifications.open', () => {
  it('opens the three families into one typed paid event', () => {
    const { client } = harness();
    const q = client.notifications.open(signedNotification(quickPayBody()));
    expect(q).toMatchObject({
      type: 'paid',
      family: 'quickPay',
      command: 35104,
      merchantOrderId: '20170926151023152438',
      platformOrderId: '100000004985',
      amount: '200',
    });
    expect((q as PaidEvent).paidAt?.toISOString()).toBe('2017-09-26T07:04:35.000Z'); // China time, UTC+8
    const g = client.notifications.open(signedNotification(gatewayBody(), { commandId: 35090 }));
    expect(g).toMatchObject({
      type: 'paid',
      family: 'gateway',
      command: 35090,
      merchantOrderId: '711245',
      platformOrderId: '1000000C0001',
      amount: '666',
    });
    const s = client.notifications.open(signedNotification(scanBody(), { commandId: 2324, family: 'scan' }));
    expect(s).toMatchObject({
      type: 'paid',
      family: 'scan',
      command: 2324,
      platformOrderId: '90000000000000000123',
      amount: '100',
    });
    expect((s as PaidEvent).paidAt?.toISOString()).toBe('2017-12-20T02:11:12.000Z');
  });

  it('accepts the document\'s "LIST ID" spelling', () => {
    const { LIST_ID, ...rest } = gatewayBody();
    const opened = receiver().open(signedNotification({ ...rest, 'LIST ID': LIST_ID }));
    expect(opened).toMatchObject({ type: 'paid', platformOrderId: LIST_ID });
  });

  it('rejects a bad signature, a tampered amount, malformed text, an unknown command, a non-success', () => {
    const r = receiver();
    expect(r.open(signedNotification(quickPayBody(), { key: 'another-key-0000' }))).toMatchObject({
      type: 'rejected',
      reason: 'bad-signature',
    });
    const tampered = signedNotification(quickPayBody()).replace('"AMT":"200"', '"AMT":"20000"');
    const t = r.open(tampered);
    expect(t).toMatchObject({ type: 'rejected', reason: 'bad-signature' });
    expect((t as { error: unknown }).error).toBeInstanceOf(MmspSignatureError);
    expect(r.open('not json')).toMatchObject({ type: 'rejected', reason: 'malformed' });
    expect(r.open('')).toMatchObject({ type: 'rejected', reason: 'malformed' });
    expect(r.open(signedNotification(quickPayBody(), { commandId: 2306 }))).toMatchObject({
      type: 'rejected',
      reason: 'unknown-command',
    });
    expect(r.open(signedNotification(gatewayBody({ STATUS: '2' })))).toMatchObject({
      type: 'rejected',
      reason: 'not-paid',
    });
    const { MERORDERID: _m, ...noOrder } = quickPayBody();
    expect(r.open(signedNotification(noOrder))).toMatchObject({ type: 'rejected', reason: 'malformed' });
    expect(r.open(signedNotification(quickPayBody({ AMT: '1.5' })))).toMatchObject({
      type: 'rejected',
      reason: 'malformed',
    });
  });

  it('verifies with the agent key in agency mode', () => {
    const { client } = harness({ agent: true });
    const text = signedNotification(quickPayBody(), {
      agentNo: 'A0001',
      agentKey: 'agent-secret-key-0123456789abcdef',
    });
    expect(client.notifications.open(text)).toMatchObject({ type: 'paid' });
    expect(receiver().open(text)).toMatchObject({ type: 'rejected', reason: 'bad-signature' });
  });

  it('property: any change to a signed Body is rejected', () => {
    const r = receiver();
    const text = signedNotification(quickPayBody());
    fc.assert(
      fc.property(
        fc.constantFrom('AMT', 'MERORDERID', 'LIST_ID', 'STATUS'),
        fc.string({ minLength: 1, maxLength: 12 }),
        (field, value) => {
          const body = quickPayBody({ [field]: value });
          if (JSON.stringify(body) === JSON.stringify(quickPayBody())) return true;
          const forged = text.replace(/"Body":\{.*\},"Sign"/, `"Body":${JSON.stringify(body)},"Sign"`);
          return r.open(forged).type === 'rejected';
        },
      ),
    );
  });
});

describe('notifications.handle (the receiver decision)', () => {
  it('SUCCESS only after the handler resolved; a duplicate answers SUCCESS without running it', async () => {
    const r = receiver();
    const text = signedNotification(quickPayBody());
    const calls: PaidEvent[] = [];
    const first = await r.handle(text, async (e) => {
      calls.push(e);
    });
    expect(first).toMatchObject({
      status: 200,
      body: 'SUCCESS',
      outcome: 'handled',
      contentType: 'text/plain; charset=utf-8',
    });
    const again = await r.handle(text, async (e) => {
      calls.push(e);
    });
    expect(again).toMatchObject({ status: 200, body: 'SUCCESS', outcome: 'duplicate' });
    expect(calls).toHaveLength(1);
  });

  it('store ids never collide across the id parts', () => {
    expect(notificationId({ family: 'scan', merchantOrderId: 'a:b', platformOrderId: 'c' })).not.toBe(
      notificationId({ family: 'scan', merchantOrderId: 'a', platformOrderId: 'b:c' }),
    );
    expect(notificationId({ family: 'quickPay', merchantOrderId: 'M1', platformOrderId: 'L1' })).toBe(
      'mmsp:quickPay:M1:L1',
    );
  });

  it('a replay with an edited (unsigned) header is the same notification', async () => {
    const r = receiver();
    let runs = 0;
    await r.handle(signedNotification(gatewayBody(), { commandId: 35104, seqId: 1 }), () => {
      runs++;
    });
    const replay = await r.handle(signedNotification(gatewayBody(), { commandId: 35090, seqId: 7 }), () => {
      runs++;
    });
    expect(replay.outcome).toBe('duplicate');
    expect(runs).toBe(1);
  });

  it('rejects bad signatures and malformed bodies with 400, never calling the handler', async () => {
    const r = receiver();
    let runs = 0;
    for (const text of [signedNotification(quickPayBody(), { key: 'wrong-key-123' }), '{', '{"CommandID":35104}']) {
      const d = await r.handle(text, () => {
        runs++;
      });
      expect(d.status).toBe(400);
      expect(d.outcome).toBe('rejected');
      expect(d.body).not.toBe('SUCCESS');
    }
    expect(runs).toBe(0);
  });

  it("a failing handler answers 500 and the platform's retry runs it again", async () => {
    const store = new MemoryNotificationStore();
    const r = receiver();
    const text = signedNotification(scanBody(), { commandId: 2324, family: 'scan' });
    let runs = 0;
    const flaky = () => {
      runs++;
      if (runs < 3) throw new Error('database down: card 6227000013830237349');
    };
    const d1 = await r.handle(text, flaky, { store });
    const d2 = await r.handle(text, flaky, { store });
    const d3 = await r.handle(text, flaky, { store });
    const d4 = await r.handle(text, flaky, { store });
    expect([d1.status, d2.status, d3.status, d4.status]).toEqual([500, 500, 200, 200]);
    expect([d1.outcome, d3.outcome, d4.outcome]).toEqual(['handler-failed', 'handled', 'duplicate']);
    expect(d1.body).not.toContain('6227000013830237349');
    expect(d1.error?.message).not.toContain('6227000013830237349');
    expect(runs).toBe(3);
  });

  it('runs the handler once across concurrent deliveries; the others are told to come back (409)', async () => {
    const store = new MemoryNotificationStore();
    const r = receiver();
    const text = signedNotification(quickPayBody());
    let runs = 0;
    const slow = () =>
      new Promise<void>((resolve) => {
        runs++;
        setTimeout(resolve, 20);
      });
    const decisions = await Promise.all(Array.from({ length: 30 }, () => r.handle(text, slow, { store })));
    expect(runs).toBe(1);
    expect(decisions.filter((d) => d.outcome === 'handled')).toHaveLength(1);
    expect(decisions.filter((d) => d.status === 409 && d.outcome === 'busy')).toHaveLength(29);
    expect((await r.handle(text, slow, { store })).outcome).toBe('duplicate');
    expect(runs).toBe(1);
  });

  it('a claim left by a crashed handler expires, then the next delivery runs the handler', async () => {
    let now = 0;
    const store = new MemoryNotificationStore({ now: () => now });
    const r = receiver();
    const text = signedNotification(quickPayBody());
    // A first receiver claimed it and died without commit or release.
    const opened = r.open(text) as PaidEvent;
    await store.claim(`mmsp:quickPay:${opened.merchantOrderId}:${opened.platformOrderId}`, 'crashed-token', 1_000);
    let runs = 0;
    expect(
      (
        await r.handle(
          text,
          () => {
            runs++;
          },
          { store, claimTtlMs: 1_000 },
        )
      ).status,
    ).toBe(409);
    now = 1_001;
    expect(
      (
        await r.handle(
          text,
          () => {
            runs++;
          },
          { store, claimTtlMs: 1_000 },
        )
      ).outcome,
    ).toBe('handled');
    expect(runs).toBe(1);
  });

  it('property: one handler run per notification whatever the interleaving of deliveries and failures', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.boolean(), fc.nat(3)), { minLength: 1, maxLength: 12 }), async (plan) => {
        const store = new MemoryNotificationStore();
        const r = receiver();
        const text = signedNotification(quickPayBody());
        let successes = 0;
        const decisions = await Promise.all(
          plan.map(([fails, delay]) =>
            r.handle(
              text,
              async () => {
                await new Promise((res) => setTimeout(res, delay));
                if (fails) throw new Error('x');
                successes++;
              },
              { store },
            ),
          ),
        );
        const handled = decisions.filter((d) => d.outcome === 'handled').length;
        return (
          successes <= 1 &&
          handled === successes &&
          decisions.every((d) => (d.body === 'SUCCESS') === (d.outcome === 'handled' || d.outcome === 'duplicate'))
        );
      }),
      { numRuns: 200 },
    );
  });

  it('an amount the merchant does not expect is rejected and not marked done', async () => {
    const store = new MemoryNotificationStore();
    const r = receiver();
    const text = signedNotification(quickPayBody({ AMT: '1' }));
    let runs = 0;
    const d = await r.handle(
      text,
      () => {
        runs++;
      },
      { store, expectAmount: () => '20000' },
    );
    expect(d).toMatchObject({ status: 400, outcome: 'amount-mismatch' });
    expect(runs).toBe(0);
    const ok = await r.handle(
      text,
      () => {
        runs++;
      },
      { store, expectAmount: async () => '1' },
    );
    expect(ok.outcome).toBe('handled');
    expect(runs).toBe(1);
  });

  it('a store that fails answers 503 so the platform retries', async () => {
    const r = receiver();
    const broken = {
      claim: async () => {
        throw new Error('redis down');
      },
      extend: async () => false,
      commit: async () => false,
      release: async () => {},
    };
    const d = await r.handle(signedNotification(quickPayBody()), () => undefined, { store: broken });
    expect(d).toMatchObject({ status: 503, outcome: 'busy' });
  });
});

describe('claims kept alive and fenced (issue #13 item 6): at most one onPaid at a time per notification', () => {
  const sleep = (ms: number) => new Promise<void>((res) => setTimeout(res, ms));
  /** A handler that records how many of its runs overlap. */
  const tracked = (ms: number) => {
    const state = { running: 0, most: 0, started: 0, finished: 0 };
    const onPaid = async () => {
      state.started++;
      state.most = Math.max(state.most, ++state.running);
      await sleep(ms);
      state.running--;
      state.finished++;
    };
    return { state, onPaid };
  };

  it('a handler slower than its claim (500 ms vs 1 800 ms) keeps it: retries meanwhile are busy, and it runs once', async () => {
    const store = new MemoryNotificationStore();
    const r = receiver();
    const text = signedNotification(quickPayBody());
    const { state, onPaid } = tracked(1_800);
    const first = r.handle(text, onPaid, { store, claimTtlMs: 500 });
    const retries: Promise<{ status: number }>[] = [];
    for (let t = 0; t < 7; t++) {
      await sleep(200);
      retries.push(r.handle(text, onPaid, { store, claimTtlMs: 500 }));
    }
    expect(await first).toMatchObject({ status: 200, outcome: 'handled' });
    expect((await Promise.all(retries)).map((d) => d.status)).toEqual(Array(7).fill(409));
    expect(state).toEqual({ running: 0, most: 1, started: 1, finished: 1 });
    expect(await r.handle(text, onPaid, { store, claimTtlMs: 500 })).toMatchObject({
      status: 200,
      outcome: 'duplicate',
    });
  });

  it('a handler that never settles is answered 500 after handlerTimeoutMs and its claim released', async () => {
    const store = new MemoryNotificationStore();
    const r = receiver();
    const text = signedNotification(quickPayBody());
    const started = Date.now();
    const hung = await r.handle(text, () => new Promise(() => undefined), {
      store,
      claimTtlMs: 100,
      handlerTimeoutMs: 300,
    });
    expect(hung).toMatchObject({ status: 500, outcome: 'handler-failed', body: 'FAIL handler timeout' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(await r.handle(text, () => undefined, { store })).toMatchObject({ status: 200, outcome: 'handled' });
  });

  it('a run whose claim was lost and taken over is not committed: 500, logged, and the new holder decides', async () => {
    const memory = new MemoryNotificationStore();
    // A store that cannot extend (a database unreachable for the keep-alive): the claim expires under the handler.
    const store = {
      claim: memory.claim.bind(memory),
      extend: () => false,
      commit: memory.commit.bind(memory),
      release: memory.release.bind(memory),
    };
    const errors: string[] = [];
    const r = createNotificationReceiver({
      key: MERCHANT.key,
      logger: { error: (message: string) => void errors.push(message) },
    });
    const text = signedNotification(quickPayBody());
    const slow = r.handle(text, () => sleep(600), { store, claimTtlMs: 150 });
    await sleep(350);
    let taken = false;
    const slowFail = await r.handle(
      text,
      () => {
        taken = true;
        throw new Error('second delivery failed');
      },
      { store, claimTtlMs: 150 },
    );
    expect(taken).toBe(true); // it expired: the next delivery took it over (and here failed, releasing only its own claim)
    expect(slowFail.status).toBe(500);
    const third = await r.handle(text, () => sleep(600), { store, claimTtlMs: 5_000 });
    expect(third.outcome).toBe('handled');
    const first = await slow;
    expect(first).toMatchObject({ status: 500, outcome: 'handler-failed', body: 'FAIL claim lost' });
    expect(errors.some((m) => /claim lost/.test(m))).toBe(true);
    expect(errors.some((m) => /not committed/.test(m))).toBe(true);
  });

  it('an asynchronous handler is watched by one timer at a time (keep-alive and timeout share it)', async () => {
    const memory = new MemoryNotificationStore();
    let extends_ = 0;
    const store = {
      claim: memory.claim.bind(memory),
      extend: (id: string, token: string, ttlMs: number) => {
        extends_++;
        return memory.extend(id, token, ttlMs);
      },
      commit: memory.commit.bind(memory),
      release: memory.release.bind(memory),
    };
    const r = receiver();
    const text = signedNotification(quickPayBody());
    const realSetTimeout = globalThis.setTimeout;
    const realClearTimeout = globalThis.clearTimeout;
    const live = new Set<unknown>();
    let created = 0;
    let most = 0;
    globalThis.setTimeout = ((fn: () => void, ms?: number) => {
      created++;
      const t: ReturnType<typeof setTimeout> = realSetTimeout(() => {
        live.delete(t);
        fn();
      }, ms);
      live.add(t);
      most = Math.max(most, live.size);
      return t;
    }) as typeof setTimeout;
    globalThis.clearTimeout = ((t: ReturnType<typeof setTimeout>) => {
      live.delete(t);
      realClearTimeout(t);
    }) as typeof clearTimeout;
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    try {
      const decided = r.handle(text, () => gate, { store, claimTtlMs: 60, handlerTimeoutMs: 5_000 });
      // Until a few extends happened (every 20 ms; longer on a loaded machine), then let the handler resolve.
      for (const t0 = Date.now(); extends_ < 3 && Date.now() - t0 < 10_000;)
        await new Promise((resolve) => realSetTimeout(resolve, 20));
      open();
      expect(await decided).toMatchObject({ status: 200, outcome: 'handled' });
    } finally {
      globalThis.setTimeout = realSetTimeout;
      globalThis.clearTimeout = realClearTimeout;
    }
    expect(extends_).toBeGreaterThanOrEqual(3); // every 20 ms while the handler ran
    expect(created).toBeGreaterThan(extends_); // re-armed after each extend
    expect(most).toBe(1);
    expect(live.size).toBe(0); // cleared once the handler resolved
  });

  it('the in-memory store and a synchronous handler answer without a timer (the hot path)', () => {
    const store = new MemoryNotificationStore();
    const r = receiver();
    const text = signedNotification(quickPayBody());
    const realSetTimeout = globalThis.setTimeout;
    const realSetInterval = globalThis.setInterval;
    let timers = 0;
    globalThis.setTimeout = ((...args: Parameters<typeof setTimeout>) => {
      timers++;
      return realSetTimeout(...args);
    }) as typeof setTimeout;
    globalThis.setInterval = ((...args: Parameters<typeof setInterval>) => {
      timers++;
      return realSetInterval(...args);
    }) as typeof setInterval;
    let decided: Promise<unknown>;
    try {
      decided = r.handle(text, () => undefined, { store });
    } finally {
      globalThis.setTimeout = realSetTimeout;
      globalThis.setInterval = realSetInterval;
    }
    expect(timers).toBe(0);
    return decided.then((d) => expect(d).toMatchObject({ outcome: 'handled' }));
  });
});

describe('createNotificationReceiver', () => {
  it('needs a key and never shows it', async () => {
    expect(() => createNotificationReceiver({ key: '' })).toThrow(MmspConfigError);
    const r = receiver();
    expect(JSON.stringify(r)).not.toContain(MERCHANT.key);
    const { inspect } = await import('node:util');
    expect(inspect(r, { depth: 5, showHidden: true })).not.toContain(MERCHANT.key);
  });
});
