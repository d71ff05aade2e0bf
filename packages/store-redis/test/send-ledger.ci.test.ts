// Issue #13 item 4 on a real Redis: RedisSendLedger passes the SendLedger contract (two ledgers on
// one Redis racing on the same order number: exactly one wins), keeps its keys with a server-side
// expiry, and against the sandbox a restarted client and a merchant retrying after a transport
// error, both on the same Redis ledger, send nothing twice.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SendLedger } from '@mmsp/client';
import { runSendLedgerContract } from '../../client/test/support/send-ledger-contract.js';
import { startSandbox, type Sandbox } from '../../sandbox/src/index.js';
import { restartScenario, retryScenario } from '../../sandbox/test/send-ledger-scenarios.js';
import { RedisSendLedger } from '../src/index.js';
import { testRedisUrl } from './support/env.js';

const url = testRedisUrl();
const prefix = `mmsp-ledger-test:${process.pid}:${Date.now()}:`;
const close = async (ledgers: SendLedger[]) => {
  await Promise.all(ledgers.map((l) => (l as RedisSendLedger).close()));
};

// Each ledger its own connection, as two instances would have.
runSendLedgerContract((o) => new RedisSendLedger({ redis: url, keyPrefix: prefix, ...o }), {
  name: 'redis',
  sharedBackend: true,
  cleanup: close,
});

describe('RedisSendLedger on a real Redis', () => {
  const raw = new Redis(url);
  const made: RedisSendLedger[] = [];
  const make = (o: { ttlMs?: number } = {}) => {
    const l = new RedisSendLedger({ redis: url, keyPrefix: prefix, ...o });
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
    await raw.quit();
  });

  it('keeps an entry as JSON under the prefix with a server-side expiry of ttlMs (default 93 days)', async () => {
    const key = `ttl:${Math.random()}`;
    expect(await make().reserve(key, { sentAt: 42 })).toBeUndefined();
    expect(JSON.parse((await raw.get(prefix + key))!)).toEqual({ sentAt: 42 });
    const ttl = await raw.pttl(prefix + key);
    expect(ttl).toBeGreaterThan(93 * 24 * 3600_000 - 60_000);
    expect(ttl).toBeLessThanOrEqual(93 * 24 * 3600_000);
  });

  it('a key held by something unreadable still counts as held: never sent', async () => {
    const key = `odd:${Math.random()}`;
    await raw.set(prefix + key, 'not json');
    expect(await make().reserve(key, { sentAt: 1 })).toEqual({ sentAt: 0 });
  });

  it('refuses what is not a connection, and shows no connection in JSON', () => {
    expect(() => new RedisSendLedger({ redis: 'http://x' } as never)).toThrow(/redis:/);
    expect(() => new RedisSendLedger({ redis: url, ttlMs: 0 })).toThrow(/ttlMs/);
    expect(JSON.stringify(make())).toBe(
      JSON.stringify({ ledger: 'redis', keyPrefix: prefix, ttlMs: 93 * 24 * 3600_000 }),
    );
  });

  it('sandbox: a restarted client on the same Redis ledger re-sends none of 50 payouts whose answers were lost', async () => {
    const f = await restartScenario(sb, () => make(), 50);
    console.log(
      `send ledger (redis), restart: ${f.payouts} payouts, first instance unknown ${f.firstUnknown}, re-sent after restart ${f.resent}, answered as the platform ${f.agreeing}`,
    );
    expect(f.other).toEqual([]);
    expect(f).toMatchObject({ firstUnknown: 50, resent: 0, agreeing: 50 });
  }, 180_000);

  it('sandbox: 150 micropays and confirms retried after a transport error through another instance on the Redis ledger: none sent again', async () => {
    const f = await retryScenario(sb, () => make(), 150);
    console.log(
      `send ledger (redis), retries: ${f.tries} retries after a transport error, re-sent ${f.resent}, answered ${f.answered}, outcome unknown ${f.unknown}`,
    );
    expect(f.other).toEqual([]);
    expect(f.resent).toBe(0);
    expect(f.answered).toBeGreaterThan(0);
  }, 300_000);
});
