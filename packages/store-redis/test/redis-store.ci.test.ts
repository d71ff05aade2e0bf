import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import type { NotificationStore } from '@mmsp/client';
import { runStoreContract } from '../../client/test/support/store-contract.js';
import { RedisNotificationStore, type RedisNotificationStoreOptions } from '../src/index.js';
import { testRedisUrl } from './support/env.js';

const url = testRedisUrl();
const prefix = `mmsp-test:${process.pid}:${Date.now()}:`;

// Each store its own connection, as two receiver instances would have.
runStoreContract(() => new RedisNotificationStore({ redis: url, keyPrefix: prefix }), {
  name: 'redis',
  sharedBackend: true,
  cleanup: async (stores: NotificationStore[]) => {
    await Promise.all(stores.map((s) => (s as RedisNotificationStore).close()));
  },
});

describe('RedisNotificationStore on a real Redis', () => {
  const raw = new Redis(url);
  const stores: RedisNotificationStore[] = [];
  const make = (options: Partial<RedisNotificationStoreOptions> = {}) => {
    const store = new RedisNotificationStore({ redis: url, keyPrefix: prefix, ...options });
    stores.push(store);
    return store;
  };
  afterAll(async () => {
    await Promise.all(stores.map((s) => s.close()));
    await raw.quit();
  });

  it("an expired claim released late by its old owner does not delete the new owner's claim", async () => {
    const old = make();
    const next = make();
    const id = `late-release:${Math.random()}`;
    expect(await old.claim(id, 'old-token', 100)).toBe('claimed');
    await new Promise((r) => setTimeout(r, 250));
    expect(await next.claim(id, 'next-token', 60_000)).toBe('claimed');
    await old.release(id, 'old-token'); // the old owner's handler finally threw
    expect(await old.commit(id, 'old-token')).toBe(false);
    expect(await make().claim(id, 'third-token', 60_000)).toBe('busy');
    expect(await raw.get(prefix + id)).toBe('claim:next-token');
  });

  it('sets the claim with a server-side expiry and the done marker with doneTtlMs', async () => {
    const store = make({ doneTtlMs: 3_600_000 });
    const id = `ttl:${Math.random()}`;
    await store.claim(id, 't', 5_000);
    const claimTtl = await raw.pttl(prefix + id);
    expect(claimTtl).toBeGreaterThan(4_000);
    expect(claimTtl).toBeLessThanOrEqual(5_000);
    expect(await store.extend(id, 't', 50_000)).toBe(true);
    expect(await raw.pttl(prefix + id)).toBeGreaterThan(45_000);
    expect(await store.commit(id, 't')).toBe(true);
    expect(await raw.get(prefix + id)).toBe('done');
    const doneTtl = await raw.pttl(prefix + id);
    expect(doneTtl).toBeGreaterThan(3_500_000);
    expect(doneTtl).toBeLessThanOrEqual(3_600_000);
  });

  it('doneTtlMs 0 keeps the done marker forever; the default keeps it 30 days', async () => {
    const forever = make({ doneTtlMs: 0 });
    const a = `forever:${Math.random()}`;
    await forever.claim(a, 't', 5_000);
    await forever.commit(a, 't');
    expect(await raw.pttl(prefix + a)).toBe(-1);
    const dflt = make();
    const b = `default:${Math.random()}`;
    await dflt.claim(b, 't', 5_000);
    await dflt.commit(b, 't');
    expect(await raw.pttl(prefix + b)).toBeGreaterThan(29 * 24 * 3_600_000);
  });

  it('works with a client the application passes in, and leaves it open on close()', async () => {
    const shared = new Redis(url);
    const store = new RedisNotificationStore({ redis: shared, keyPrefix: prefix });
    const id = `shared-client:${Math.random()}`;
    expect(await store.claim(id, 't', 5_000)).toBe('claimed');
    await store.close();
    expect(await shared.ping()).toBe('PONG');
    await shared.quit();
  });

  it('rejects bad options and ttl with errors naming the field, and never prints the URL', async () => {
    expect(() => new RedisNotificationStore({ redis: 42 as never })).toThrow(/redis: must be an ioredis client/);
    expect(() => new RedisNotificationStore({ redis: url, doneTtlMs: -1 })).toThrow(/doneTtlMs/);
    await expect(make().claim('x', 't', 0)).rejects.toThrow(/ttlMs: must be a positive integer/);
    const secretUrl = url.replace('redis://', 'redis://:s3cret-pass@');
    const store = new RedisNotificationStore({ redis: secretUrl, redisOptions: { lazyConnect: true } });
    expect(JSON.stringify(store)).not.toContain('s3cret');
  });
});
