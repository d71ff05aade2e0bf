/**
 * Issue #5 contract as a stranger reads it: `PostgresNotificationStore` built the ways people guess
 * it (a URL string, a pg.Pool, `{ pool }`, `{ connectionString }`, `{ url }`, `{ client: pool }`)
 * works against a real PostgreSQL; anything else — including a single pg.Client, which would crash
 * on first use — fails at construction with one clear error that says what is accepted.
 */
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { PostgresNotificationStore, createPostgresNotificationStore } from '../src/index.js';
import { testPgUrl } from './support/env.js';

const url = testPgUrl();
const pool = new pg.Pool({ connectionString: url });
const stores: PostgresNotificationStore[] = [];
afterAll(async () => {
  await Promise.all(stores.map((s) => s.close()));
  await pool.end();
});

const table = `mmsp_contract_${process.pid}`;
const forms: [string, () => PostgresNotificationStore][] = [
  ['a URL string', () => new PostgresNotificationStore(url)],
  ['a pg.Pool', () => new PostgresNotificationStore(pool)],
  ['{ pool: url }', () => new PostgresNotificationStore({ pool: url, table })],
  ['{ pool: Pool }', () => createPostgresNotificationStore({ pool, table })],
  ['{ connectionString }', () => new PostgresNotificationStore({ connectionString: url, table } as never)],
  ['{ url }', () => new PostgresNotificationStore({ url, table } as never)],
  ['{ client: Pool }', () => new PostgresNotificationStore({ client: pool, table } as never)],
];

describe('PostgresNotificationStore construction', () => {
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
    for (const bad of [undefined, {}, { pool: 42 }, 'localhost:5432', new pg.Client({ connectionString: url })]) {
      expect(() => new PostgresNotificationStore(bad as never)).toThrow(/pool: .*(pg\.Pool|postgres:\/\/)/);
    }
    expect(() => new PostgresNotificationStore(new pg.Client({ connectionString: url }) as never)).toThrow(
      /single pg\.Client/,
    );
  });
});
