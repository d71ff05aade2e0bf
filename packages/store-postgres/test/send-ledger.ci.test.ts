// Issue #13 item 4 on a real PostgreSQL: PostgresSendLedger passes the SendLedger contract (two
// ledgers on one database racing on the same order number: exactly one wins), keeps rows with an
// expiry on the database clock, and against the sandbox a restarted client and a merchant retrying
// after a transport error, both on the same PostgreSQL ledger, send nothing twice.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SendLedger } from '@mmsp/client';
import { runSendLedgerContract } from '../../client/test/support/send-ledger-contract.js';
import { startSandbox, type Sandbox } from '../../sandbox/src/index.js';
import { restartScenario, retryScenario } from '../../sandbox/test/send-ledger-scenarios.js';
import { PostgresSendLedger } from '../src/index.js';
import { testPgUrl } from './support/env.js';

const url = testPgUrl();
const table = `mmsp_ledger_test_${process.pid}_${Date.now()}`;
const close = async (ledgers: SendLedger[]) => {
  await Promise.all(ledgers.map((l) => (l as PostgresSendLedger).close()));
};

// Each ledger its own pool, as two instances would have; the first ones create the table at once.
runSendLedgerContract((o) => new PostgresSendLedger({ pool: url, table, ...o }), {
  name: 'postgres',
  sharedBackend: true,
  cleanup: close,
});

describe('PostgresSendLedger on a real PostgreSQL', () => {
  const raw = new pg.Pool({ connectionString: url });
  const made: PostgresSendLedger[] = [];
  const make = (o: { ttlMs?: number; table?: string } = {}) => {
    const l = new PostgresSendLedger({ pool: url, table, ...o });
    made.push(l);
    return l;
  };
  let sb: Sandbox;
  beforeAll(async () => {
    sb = await startSandbox({ timeScale: 0.001, micropayDelayMs: 30, payoutDelayMs: 50 });
  });
  afterAll(async () => {
    await sb.close();
    await close(made);
    await raw.end();
  });

  it('keeps a row whose expiry is ttlMs (default 93 days) on the database clock; prune deletes expired rows', async () => {
    const key = `ttl:${Math.random()}`;
    const ledger = make();
    expect(await ledger.reserve(key, { sentAt: 42 })).toBeUndefined();
    const row = (
      await raw.query(
        `SELECT record, extract(epoch from (expires_at - now())) * 1000 AS left_ms FROM "${table}" WHERE key = $1`,
        [key],
      )
    ).rows[0];
    expect(JSON.parse(row.record)).toEqual({ sentAt: 42 });
    expect(Number(row.left_ms)).toBeGreaterThan(93 * 24 * 3600_000 - 60_000);
    const short = make({ ttlMs: 50 });
    const old = `prune:${Math.random()}`;
    await short.reserve(old, { sentAt: 1 });
    await new Promise((r) => setTimeout(r, 150));
    expect(await ledger.prune()).toBeGreaterThanOrEqual(1);
    expect((await raw.query(`SELECT 1 FROM "${table}" WHERE key = $1`, [old])).rowCount).toBe(0);
    expect((await raw.query(`SELECT 1 FROM "${table}" WHERE key = $1`, [key])).rowCount).toBe(1);
  });

  it('eight ledgers creating the same new table at once: every reserve works, exactly one wins', async () => {
    const fresh = `${table}_new`;
    const ledgers = Array.from({ length: 8 }, () => make({ table: fresh }));
    const answers = await Promise.all(ledgers.map((l, i) => l.reserve('same', { sentAt: i })));
    expect(answers.filter((a) => a === undefined)).toHaveLength(1);
  });

  it('refuses what is not a pool or a good table name, and shows no connection in JSON', () => {
    expect(() => new PostgresSendLedger({ pool: 'mysql://x' } as never)).toThrow(/pool:/);
    expect(() => new PostgresSendLedger({ pool: url, table: 'a;drop' })).toThrow(/table:/);
    expect(() => new PostgresSendLedger({ pool: url, ttlMs: -1 })).toThrow(/ttlMs/);
    expect(JSON.stringify(make())).toBe(JSON.stringify({ ledger: 'postgres', table, ttlMs: 93 * 24 * 3600_000 }));
  });

  it('sandbox: a restarted client on the same PostgreSQL ledger re-sends none of 50 payouts whose answers were lost', async () => {
    const f = await restartScenario(sb, () => make(), 50);
    console.log(
      `send ledger (postgres), restart: ${f.payouts} payouts, first instance unknown ${f.firstUnknown}, re-sent after restart ${f.resent}, answered as the platform ${f.agreeing}`,
    );
    expect(f.other).toEqual([]);
    expect(f).toMatchObject({ firstUnknown: 50, resent: 0, agreeing: 50 });
  }, 180_000);

  it('sandbox: 150 micropays and confirms retried after a transport error through another instance on the PostgreSQL ledger: none sent again', async () => {
    const f = await retryScenario(sb, () => make(), 150);
    console.log(
      `send ledger (postgres), retries: ${f.tries} retries after a transport error, re-sent ${f.resent}, answered ${f.answered}, outcome unknown ${f.unknown}`,
    );
    expect(f.other).toEqual([]);
    expect(f.resent).toBe(0);
    expect(f.answered).toBeGreaterThan(0);
  }, 300_000);
});
