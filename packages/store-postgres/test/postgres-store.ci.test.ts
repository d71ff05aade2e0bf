import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import type { NotificationStore } from '@mmsp/client';
import { runStoreContract } from '../../client/test/support/store-contract.js';
import { PostgresNotificationStore, type PostgresNotificationStoreOptions } from '../src/index.js';
import { testPgUrl } from './support/env.js';

const url = testPgUrl();
const suffix = `${process.pid}_${Date.now()}`;
const table = `mmsp_contract_${suffix}`;

// Each store its own pool, as two receiver instances would have; the table is created on first use.
runStoreContract(() => new PostgresNotificationStore({ pool: url, table }), {
  name: 'postgres',
  sharedBackend: true,
  cleanup: async (stores: NotificationStore[]) => {
    await Promise.all(stores.map((s) => (s as PostgresNotificationStore).close()));
  },
});

describe('PostgresNotificationStore on a real PostgreSQL', () => {
  const admin = new pg.Pool({ connectionString: url, max: 2 });
  const stores: PostgresNotificationStore[] = [];
  const make = (options: Partial<PostgresNotificationStoreOptions> = {}) => {
    const store = new PostgresNotificationStore({ pool: url, table, ...options });
    stores.push(store);
    return store;
  };
  afterAll(async () => {
    await Promise.all(stores.map((s) => s.close()));
    await admin.end();
  });

  it('creates the table once when many instances start at the same instant', async () => {
    const fresh = `mmsp_race_${suffix}`;
    const racers = Array.from({ length: 12 }, () => make({ table: fresh }));
    const results = await Promise.all(racers.map((s, i) => s.claim(`first-use:${i % 3}`, `t${i}`, 60_000)));
    expect(results.filter((r) => r === 'claimed')).toHaveLength(3);
    expect(results.filter((r) => r === 'busy')).toHaveLength(9);
    const { rows } = await admin.query('SELECT count(*)::int AS n FROM pg_class WHERE relname = $1', [fresh]);
    expect(rows[0].n).toBe(1);
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
    expect(await old.extend(id, 'old-token', 60_000)).toBe(false);
    expect(await make().claim(id, 'third-token', 60_000)).toBe('busy');
    const { rows } = await admin.query(`SELECT done, claimed_until > now() AS live FROM "${table}" WHERE id = $1`, [
      id,
    ]);
    expect(rows).toEqual([{ done: false, live: true }]);
  });

  it('commits with done_at and prunes old done rows and expired claims only', async () => {
    const store = make();
    const done = `prune-done:${Math.random()}`;
    const expired = `prune-expired:${Math.random()}`;
    const live = `prune-live:${Math.random()}`;
    await store.claim(done, 't', 60_000);
    await store.commit(done, 't');
    await store.claim(expired, 't', 50);
    await store.claim(live, 't', 60_000);
    await new Promise((r) => setTimeout(r, 150));
    await store.prune({ olderThanMs: 1 });
    const { rows } = await admin.query(`SELECT id FROM "${table}" WHERE id = ANY($1)`, [[done, expired, live]]);
    expect(rows.map((r) => r.id)).toEqual([live]);
  });

  it('uses a pool the application passes in, leaves it open, and honours createTable: false', async () => {
    const pool = new pg.Pool({ connectionString: url, max: 2 });
    const own = `mmsp_owned_${suffix}`;
    const noCreate = new PostgresNotificationStore({ pool, table: own, createTable: false });
    await expect(noCreate.claim('x', 't', 1_000)).rejects.toThrow(/does not exist/);
    await pool.query(noCreate.createTableSql);
    expect(await noCreate.claim('x', 't', 1_000)).toBe('claimed');
    await noCreate.close();
    expect((await pool.query('SELECT 1 AS one')).rows[0].one).toBe(1);
    await pool.end();
  });

  it('rejects bad options with errors naming the field, and never prints the URL', () => {
    expect(() => new PostgresNotificationStore({ pool: 1 as never })).toThrow(/pool: must be a pg.Pool/);
    expect(() => new PostgresNotificationStore({ pool: url, table: 'x; DROP TABLE y' })).toThrow(/table: must be/);
    expect(() => new PostgresNotificationStore({ pool: url, table: 'a.b.c' })).toThrow(/table: must be/);
    const store = make({ pool: url.replace('mmsp@', 'mmsp:s3cret@'), table: 'billing.mmsp_n' });
    expect(JSON.stringify(store)).toBe('{"store":"postgres","table":"billing.mmsp_n"}');
  });
});
