/**
 * The contract every `NotificationStore` must pass (PROTOCOL §5: a notification can arrive twice,
 * late, or concurrently at two instances). `MemoryNotificationStore`, `@mmsp/store-redis` and
 * `@mmsp/store-postgres` all run this very suite:
 *
 *   import { runStoreContract } from '../../client/test/support/store-contract.js';
 *   runStoreContract(async () => new RedisNotificationStore({ ... }), { name: 'redis', sharedBackend: true });
 *
 * Ids are random per test, so a persistent backend (a Redis database, a Postgres table) may be
 * shared by every test without cleanup. Claim expiry is tested with real time (`ttlMs` short,
 * then a real wait), because Redis and Postgres expire with their own clocks.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { NotificationStore } from '../../src/notification-store.js';

export interface StoreContractOptions {
  /** Label in the test names, e.g. `redis`. */
  name?: string;
  /**
   * `true` when two stores made by `makeStore` talk to the same backend (Redis, Postgres): the
   * suite then checks that a claim made through one is seen through the other, as two receiver
   * processes behind a load balancer would.
   */
  sharedBackend?: boolean;
  /** Claim lifetime used by the expiry tests; default 300 ms. Raise it for a slow backend. */
  shortTtlMs?: number;
  /** Called once after the suite, e.g. to close connections of the stores made. */
  cleanup?: (stores: NotificationStore[]) => unknown | Promise<unknown>;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
let counter = 0;
const freshId = (label: string) =>
  `contract:${label}:${Date.now().toString(36)}:${Math.random().toString(36).slice(2)}:${++counter}`;

export function runStoreContract(
  makeStore: () => NotificationStore | Promise<NotificationStore>,
  options: StoreContractOptions = {},
): void {
  const name = options.name ?? 'store';
  const shortTtl = options.shortTtlMs ?? 300;
  const made: NotificationStore[] = [];
  const make = async () => {
    const store = await makeStore();
    made.push(store);
    return store;
  };
  const LONG = 60_000;

  describe(`NotificationStore contract: ${name}`, () => {
    afterAll(async () => {
      await options.cleanup?.(made);
    });

    it('claims a fresh id', async () => {
      const store = await make();
      expect(await store.claim(freshId('fresh'), LONG)).toBe('claimed');
    });

    it('answers busy while an unexpired claim is held', async () => {
      const store = await make();
      const id = freshId('busy');
      expect(await store.claim(id, LONG)).toBe('claimed');
      expect(await store.claim(id, LONG)).toBe('busy');
      expect(await store.claim(id, LONG)).toBe('busy');
    });

    it('answers done for a committed id, for good', async () => {
      const store = await make();
      const id = freshId('done');
      expect(await store.claim(id, shortTtl)).toBe('claimed');
      await store.commit(id);
      expect(await store.claim(id, LONG)).toBe('done');
      // A commit is not a claim: it does not expire with the claim's ttl.
      await sleep(shortTtl * 2 + 50);
      expect(await store.claim(id, LONG)).toBe('done');
    });

    it('lets the next delivery claim at once after a release (the handler threw)', async () => {
      const store = await make();
      const id = freshId('release');
      expect(await store.claim(id, LONG)).toBe('claimed');
      await store.release(id);
      expect(await store.claim(id, LONG)).toBe('claimed');
    });

    it('expires a claim after ttlMs (a crashed handler never leaves the id done)', async () => {
      const store = await make();
      const id = freshId('expiry');
      expect(await store.claim(id, shortTtl)).toBe('claimed');
      expect(await store.claim(id, LONG)).toBe('busy');
      await sleep(shortTtl * 2 + 50);
      expect(await store.claim(id, LONG)).toBe('claimed');
    });

    it('a release does not undo a commit', async () => {
      const store = await make();
      const id = freshId('commit-release');
      expect(await store.claim(id, LONG)).toBe('claimed');
      await store.commit(id);
      await store.release(id);
      expect(await store.claim(id, LONG)).toBe('done');
    });

    it('releasing an id never claimed is harmless', async () => {
      const store = await make();
      const id = freshId('stray-release');
      await store.release(id);
      expect(await store.claim(id, LONG)).toBe('claimed');
    });

    it('keeps ids apart, including look-alike and unusual ids', async () => {
      const store = await make();
      const base = freshId('apart');
      const ids = [base, `${base}x`, `${base}:`, `${base} `, `${base}订单`, `${base}${'9'.repeat(200)}`, `${base}'";--`];
      for (const id of ids) expect(await store.claim(id, LONG)).toBe('claimed');
      await store.commit(ids[0]!);
      expect(await store.claim(ids[0]!, LONG)).toBe('done');
      for (const id of ids.slice(1)) expect(await store.claim(id, LONG)).toBe('busy');
    });

    it('gives exactly one of many concurrent claims', async () => {
      const store = await make();
      const id = freshId('race');
      const results = await Promise.all(Array.from({ length: 25 }, () => store.claim(id, LONG)));
      expect(results.filter((r) => r === 'claimed')).toHaveLength(1);
      expect(results.filter((r) => r === 'busy')).toHaveLength(24);
    });

    if (options.sharedBackend) {
      it('two stores on one backend see each other (two receivers, one notification)', async () => {
        const a = await make();
        const b = await make();
        const id = freshId('shared');
        const results = await Promise.all([a.claim(id, LONG), b.claim(id, LONG), a.claim(id, LONG), b.claim(id, LONG)]);
        expect(results.filter((r) => r === 'claimed')).toHaveLength(1);
        const owner = results.indexOf('claimed') % 2 === 0 ? a : b;
        const other = owner === a ? b : a;
        await owner.commit(id);
        expect(await other.claim(id, LONG)).toBe('done');
      });

      it('a claim released through one store is claimable through the other', async () => {
        const a = await make();
        const b = await make();
        const id = freshId('shared-release');
        expect(await a.claim(id, LONG)).toBe('claimed');
        expect(await b.claim(id, LONG)).toBe('busy');
        await a.release(id);
        expect(await b.claim(id, LONG)).toBe('claimed');
      });
    }
  });
}
