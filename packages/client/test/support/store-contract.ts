/**
 * The contract every `NotificationStore` must pass (PROTOCOL §5: a notification can arrive twice,
 * late, or concurrently at two instances). `MemoryNotificationStore`, `@mmsp/store-redis` and
 * `@mmsp/store-postgres` all run this very suite:
 *
 *   import { runStoreContract } from '../../client/test/support/store-contract.js';
 *   runStoreContract(async () => new RedisNotificationStore({ ... }), { name: 'redis', sharedBackend: true });
 *
 * Claims are fenced (issue #13 item 6): every claim carries its holder's token, and `extend`,
 * `commit` and `release` act only while that token still holds the id, so a holder whose claim
 * expired and was taken over can neither end nor prolong the new holder's claim.
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
/** A fresh claim token, as the runner makes one per claim. */
const tok = () => `t${Math.random().toString(36).slice(2)}:${++counter}`;

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
      expect(await store.claim(freshId('fresh'), tok(), LONG)).toBe('claimed');
    });

    it('answers busy while an unexpired claim is held', async () => {
      const store = await make();
      const id = freshId('busy');
      expect(await store.claim(id, tok(), LONG)).toBe('claimed');
      expect(await store.claim(id, tok(), LONG)).toBe('busy');
      expect(await store.claim(id, tok(), LONG)).toBe('busy');
    });

    it('answers done for a committed id, for good', async () => {
      const store = await make();
      const id = freshId('done');
      const t = tok();
      expect(await store.claim(id, t, shortTtl)).toBe('claimed');
      expect(await store.commit(id, t)).toBe(true);
      expect(await store.claim(id, tok(), LONG)).toBe('done');
      // A commit is not a claim: it does not expire with the claim's ttl.
      await sleep(shortTtl * 2 + 50);
      expect(await store.claim(id, tok(), LONG)).toBe('done');
    });

    it('lets the next delivery claim at once after a release (the handler threw)', async () => {
      const store = await make();
      const id = freshId('release');
      const t = tok();
      expect(await store.claim(id, t, LONG)).toBe('claimed');
      await store.release(id, t);
      expect(await store.claim(id, tok(), LONG)).toBe('claimed');
    });

    it('expires a claim after ttlMs (a crashed handler never leaves the id done)', async () => {
      const store = await make();
      const id = freshId('expiry');
      expect(await store.claim(id, tok(), shortTtl)).toBe('claimed');
      expect(await store.claim(id, tok(), LONG)).toBe('busy');
      await sleep(shortTtl * 2 + 50);
      expect(await store.claim(id, tok(), LONG)).toBe('claimed');
    });

    it('a release does not undo a commit', async () => {
      const store = await make();
      const id = freshId('commit-release');
      const t = tok();
      expect(await store.claim(id, t, LONG)).toBe('claimed');
      expect(await store.commit(id, t)).toBe(true);
      await store.release(id, t);
      expect(await store.claim(id, tok(), LONG)).toBe('done');
    });

    it('releasing an id never claimed is harmless', async () => {
      const store = await make();
      const id = freshId('stray-release');
      await store.release(id, tok());
      expect(await store.claim(id, tok(), LONG)).toBe('claimed');
    });

    it('keeps ids apart, including look-alike and unusual ids', async () => {
      const store = await make();
      const base = freshId('apart');
      const ids = [
        base,
        `${base}x`,
        `${base}:`,
        `${base} `,
        `${base}订单`,
        `${base}${'9'.repeat(200)}`,
        `${base}'";--`,
      ];
      const tokens = ids.map(() => tok());
      for (const [i, id] of ids.entries()) expect(await store.claim(id, tokens[i]!, LONG)).toBe('claimed');
      expect(await store.commit(ids[0]!, tokens[0]!)).toBe(true);
      expect(await store.claim(ids[0]!, tok(), LONG)).toBe('done');
      for (const id of ids.slice(1)) expect(await store.claim(id, tok(), LONG)).toBe('busy');
    });

    it('gives exactly one of many concurrent claims', async () => {
      const store = await make();
      const id = freshId('race');
      const results = await Promise.all(Array.from({ length: 25 }, () => store.claim(id, tok(), LONG)));
      expect(results.filter((r) => r === 'claimed')).toHaveLength(1);
      expect(results.filter((r) => r === 'busy')).toHaveLength(24);
    });

    describe('fencing: extend, commit and release act only for the current holder', () => {
      it('a late release by a holder whose claim expired and was taken over leaves the new claim alone', async () => {
        const store = await make();
        const id = freshId('late-release');
        const old = tok();
        expect(await store.claim(id, old, shortTtl)).toBe('claimed');
        await sleep(shortTtl * 2 + 50);
        const next = tok();
        expect(await store.claim(id, next, LONG)).toBe('claimed');
        await store.release(id, old); // the first attempt's handler finally threw
        expect(await store.claim(id, tok(), LONG)).toBe('busy'); // a third delivery must not run alongside
        expect(await store.commit(id, next)).toBe(true);
        expect(await store.claim(id, tok(), LONG)).toBe('done');
      });

      it('a late commit by a holder whose claim expired and was taken over does nothing', async () => {
        const store = await make();
        const id = freshId('late-commit');
        const old = tok();
        expect(await store.claim(id, old, shortTtl)).toBe('claimed');
        await sleep(shortTtl * 2 + 50);
        const next = tok();
        expect(await store.claim(id, next, LONG)).toBe('claimed');
        expect(await store.commit(id, old)).toBe(false);
        expect(await store.claim(id, tok(), LONG)).toBe('busy'); // still the new holder's claim, not done
        await store.release(id, next); // the new holder's handler threw: the id is free again, never done
        expect(await store.claim(id, tok(), LONG)).toBe('claimed');
      });

      it('commit and release with another token do nothing', async () => {
        const store = await make();
        const id = freshId('wrong-token');
        const t = tok();
        expect(await store.claim(id, t, LONG)).toBe('claimed');
        expect(await store.commit(id, tok())).toBe(false);
        await store.release(id, tok());
        expect(await store.claim(id, tok(), LONG)).toBe('busy');
        expect(await store.commit(id, t)).toBe(true);
        expect(await store.claim(id, tok(), LONG)).toBe('done');
      });

      it('extend keeps a claim alive past its first ttl, for as long as the holder extends it', async () => {
        const store = await make();
        const id = freshId('extend');
        const t = tok();
        expect(await store.claim(id, t, shortTtl)).toBe('claimed');
        const until = Date.now() + shortTtl * 3;
        while (Date.now() < until) {
          await sleep(shortTtl / 3);
          expect(await store.extend(id, t, shortTtl)).toBe(true);
        }
        expect(await store.claim(id, tok(), LONG)).toBe('busy'); // three ttls later, still held
        // Without further extends it expires as any claim does, and the next delivery takes it.
        await sleep(shortTtl * 2 + 50);
        expect(await store.claim(id, tok(), LONG)).toBe('claimed');
        expect(await store.extend(id, t, shortTtl)).toBe(false);
      });

      it('extend with another token, after a takeover, after a release or after a commit answers false and changes nothing', async () => {
        const store = await make();
        const id = freshId('extend-not-holder');
        const old = tok();
        expect(await store.claim(id, old, shortTtl)).toBe('claimed');
        expect(await store.extend(id, tok(), LONG)).toBe(false); // not the holder: the claim keeps its short ttl
        await sleep(shortTtl * 2 + 50);
        const next = tok();
        expect(await store.claim(id, next, LONG)).toBe('claimed');
        expect(await store.extend(id, old, LONG)).toBe(false);
        await store.release(id, next);
        expect(await store.extend(id, next, LONG)).toBe(false);
        const last = tok();
        expect(await store.claim(id, last, LONG)).toBe('claimed');
        expect(await store.commit(id, last)).toBe(true);
        expect(await store.extend(id, last, LONG)).toBe(false);
        expect(await store.claim(id, tok(), LONG)).toBe('done');
      });
    });

    if (options.sharedBackend) {
      it('two stores on one backend see each other (two receivers, one notification)', async () => {
        const a = await make();
        const b = await make();
        const id = freshId('shared');
        const tokens = [tok(), tok(), tok(), tok()];
        const results = await Promise.all([
          a.claim(id, tokens[0]!, LONG),
          b.claim(id, tokens[1]!, LONG),
          a.claim(id, tokens[2]!, LONG),
          b.claim(id, tokens[3]!, LONG),
        ]);
        expect(results.filter((r) => r === 'claimed')).toHaveLength(1);
        const winner = results.indexOf('claimed');
        const owner = winner % 2 === 0 ? a : b;
        const other = owner === a ? b : a;
        expect(await other.commit(id, tokens[winner]!)).toBe(true); // the token, not the connection, holds the claim
        expect(await owner.claim(id, tok(), LONG)).toBe('done');
      });

      it('a claim released through one store is claimable through the other', async () => {
        const a = await make();
        const b = await make();
        const id = freshId('shared-release');
        const t = tok();
        expect(await a.claim(id, t, LONG)).toBe('claimed');
        expect(await b.claim(id, tok(), LONG)).toBe('busy');
        await a.release(id, t);
        expect(await b.claim(id, tok(), LONG)).toBe('claimed');
      });
    }
  });
}
