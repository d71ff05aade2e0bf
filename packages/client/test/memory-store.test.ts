import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MemoryNotificationStore } from '../src/notification-store.js';
import { runStoreContract } from './support/store-contract.js';

runStoreContract(() => new MemoryNotificationStore(), { name: 'MemoryNotificationStore' });

describe('MemoryNotificationStore with an injected clock', () => {
  it('expires a claim exactly at its ttl', async () => {
    let now = 1_000;
    const store = new MemoryNotificationStore({ now: () => now });
    expect(await store.claim('a', 't', 100)).toBe('claimed');
    now = 1_099;
    expect(await store.claim('a', 't', 100)).toBe('busy');
    now = 1_100;
    expect(await store.claim('a', 't', 100)).toBe('claimed');
  });
});

describe('MemoryNotificationStore remembers commits for doneTtlMs, then frees them', () => {
  it('answers done within doneTtlMs and claims again after it', () => {
    let now = 5_000;
    const store = new MemoryNotificationStore({ now: () => now, doneTtlMs: 1_000 });
    expect(store.claim('n', 't', 100)).toBe('claimed');
    store.commit('n', 't');
    now = 5_999;
    expect(store.claim('n', 't', 100)).toBe('done');
    now = 6_000;
    expect(store.claim('n', 't', 100)).toBe('claimed');
  });

  it('keeps commits forever with doneTtlMs 0, and refuses a bad doneTtlMs', () => {
    let now = 0;
    const store = new MemoryNotificationStore({ now: () => now, doneTtlMs: 0 });
    store.claim('n', 't', 100);
    store.commit('n', 't');
    now = Number.MAX_SAFE_INTEGER / 2;
    expect(store.claim('n', 't', 100)).toBe('done');
    for (const bad of [-1, 1.5, Number.NaN])
      expect(() => new MemoryNotificationStore({ doneTtlMs: bad })).toThrow(/doneTtlMs/);
  });

  it('a release never forgets a commit', () => {
    const store = new MemoryNotificationStore();
    store.claim('n', 't', 100);
    store.commit('n', 't');
    store.release('n', 't');
    expect(store.claim('n', 't', 100)).toBe('done');
  });

  it('frees forgotten commits and expired claims as new notifications arrive', () => {
    let now = 0;
    const store = new MemoryNotificationStore({ now: () => now, doneTtlMs: 1_000 });
    for (let i = 0; i < 100; i++) {
      store.claim(`old-${i}`, 't', 50);
      if (i % 2 === 0) store.commit(`old-${i}`, 't'); // the others crash mid-handler: their claims expire
    }
    expect(store.size).toBe(100);
    now = 10_000;
    for (let i = 0; i < 5_000; i++) {
      store.claim(`new-${i}`, 't', 60_000);
      store.commit(`new-${i}`, 't');
    }
    expect(store.size).toBe(5_000); // the 100 old ids are gone, every new one is still held
    expect(store.claim('new-0', 't', 100)).toBe('done');
  });
});

describe('MemoryNotificationStore against a plain reference store', () => {
  /**
   * The store's rules spelled out on one Map (id → its claim's expiry and token, or its commit
   * time): what MemoryNotificationStore must answer, whatever it keeps where (its id table, the
   * latest claim's token in fields, the others in a map, sweeps every 4,096 claims).
   */
  class ReferenceStore {
    readonly #held = new Map<string, { until: number; token: string } | { doneAt: number }>();
    constructor(
      private readonly now: () => number,
      private readonly doneTtlMs: number,
    ) {}
    #live(id: string) {
      const h = this.#held.get(id);
      if (h === undefined) return undefined;
      const t = this.now();
      if ('doneAt' in h) return this.doneTtlMs !== 0 && t >= h.doneAt + this.doneTtlMs ? undefined : h;
      return h.until <= t ? { expired: h } : h;
    }
    claim(id: string, token: string, ttlMs: number) {
      const h = this.#live(id);
      if (h !== undefined && !('expired' in h)) return 'doneAt' in h ? 'done' : 'busy';
      this.#held.set(id, { until: this.now() + ttlMs, token });
      return 'claimed';
    }
    #holds(id: string, token: string) {
      const h = this.#held.get(id);
      return h !== undefined && 'token' in h && h.token === token ? h : undefined;
    }
    extend(id: string, token: string, ttlMs: number) {
      const h = this.#holds(id, token);
      // An expired claim nobody took over may be extended, as long as no sweep forgot it: the
      // memory store's sweep runs only every 4,096 claims, far more than a run here makes.
      if (h === undefined) return false;
      h.until = this.now() + ttlMs;
      return true;
    }
    commit(id: string, token: string) {
      if (this.#holds(id, token) === undefined) return false;
      this.#held.set(id, { doneAt: this.now() });
      return true;
    }
    release(id: string, token: string) {
      if (this.#holds(id, token) !== undefined) this.#held.delete(id);
    }
  }

  const step = fc.oneof(
    fc.record({
      op: fc.constantFrom('claim' as const, 'extend' as const),
      id: fc.nat(5),
      token: fc.nat(3),
      ttl: fc.integer({ min: 1, max: 50 }),
    }),
    fc.record({ op: fc.constantFrom('commit' as const, 'release' as const), id: fc.nat(5), token: fc.nat(3) }),
    fc.record({ op: fc.constant('wait' as const), ms: fc.integer({ min: 0, max: 60 }) }),
  );

  it('answers every claim, extend, commit and release as the reference does, interleaved over several ids', () => {
    fc.assert(
      fc.property(
        fc.array(step, { minLength: 1, maxLength: 200 }),
        fc.constantFrom(0, 100, 1_000),
        (steps, doneTtlMs) => {
          let now = 1_000;
          const clock = () => now;
          const store = new MemoryNotificationStore({ now: clock, doneTtlMs });
          const reference = new ReferenceStore(clock, doneTtlMs);
          for (const s of steps) {
            if (s.op === 'wait') {
              now += s.ms;
              continue;
            }
            const id = `mmsp:quickPay:M${s.id}:L${s.id}`;
            const token = `t${s.token}`;
            const args = s.op === 'claim' || s.op === 'extend' ? ([id, token, s.ttl] as const) : ([id, token] as const);
            const got = (store[s.op] as (...a: unknown[]) => unknown)(...args);
            const want = (reference[s.op] as (...a: unknown[]) => unknown)(...args);
            expect(got, `${s.op} ${id} ${token} at ${now}`).toBe(want);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
