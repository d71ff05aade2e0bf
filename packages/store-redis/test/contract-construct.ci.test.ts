/**
 * Issue #5 contract as a stranger reads it: `RedisNotificationStore` built the ways people guess it
 * (a URL string, an ioredis client, `{ redis }`, `{ client }`, `{ url }`) works against a real Redis;
 * anything else fails at construction with one clear error that says what is accepted.
 */
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { RedisNotificationStore, createRedisNotificationStore } from '../src/index.js';
import { testRedisUrl } from './support/env.js';

const url = testRedisUrl();
const client = new Redis(url);
const stores: RedisNotificationStore[] = [];
afterAll(async () => {
  await Promise.all(stores.map((s) => s.close()));
  await client.quit();
});

const forms: [string, () => RedisNotificationStore][] = [
  ['a URL string', () => new RedisNotificationStore(url)],
  ['an ioredis client', () => new RedisNotificationStore(client)],
  ['{ redis: url }', () => new RedisNotificationStore({ redis: url })],
  ['{ redis: client }', () => createRedisNotificationStore({ redis: client })],
  ['{ client }', () => new RedisNotificationStore({ client } as never)],
  ['{ url }', () => new RedisNotificationStore({ url } as never)],
  // another copy of ioredis (not the same class): duck-typed
  [
    'a client of another ioredis copy',
    () =>
      new RedisNotificationStore(
        Object.assign(Object.create({}), {
          set: client.set.bind(client),
          get: client.get.bind(client),
          eval: client.eval.bind(client),
          quit: client.quit.bind(client),
        }) as never,
      ),
  ],
];

describe('RedisNotificationStore construction', () => {
  for (const [name, make] of forms) {
    it(`claims, commits and sees done when built from ${name}`, async () => {
      const store = make();
      stores.push(store);
      const id = `contract-${name}-${Math.random()}`;
      expect(await store.claim(id, 'token-1', 5000)).toBe('claimed');
      expect(await store.claim(id, 'token-2', 5000)).toBe('busy');
      expect(await store.extend(id, 'token-1', 5000)).toBe(true);
      expect(await store.commit(id, 'token-1')).toBe(true);
      expect(await store.claim(id, 'token-3', 5000)).toBe('done');
    });
  }

  it('refuses what it cannot use with one error naming the option and the accepted forms', () => {
    for (const bad of [undefined, {}, { redis: 42 }, 'localhost:6379', { redis: { isOpen: true, sendCommand() {} } }]) {
      expect(() => new RedisNotificationStore(bad as never)).toThrow(/redis: .*(ioredis client|redis:\/\/)/);
    }
    expect(() => new RedisNotificationStore({ redis: { isOpen: true, sendCommand() {} } } as never)).toThrow(
      /node-redis/,
    );
  });
});
