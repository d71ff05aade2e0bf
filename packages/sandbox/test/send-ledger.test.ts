// Issue #13 item 4 against the real sandbox with the memory ledger (the store packages run the same
// scenarios on Redis and PostgreSQL in CI): a restarted client and a merchant retrying after a
// transport error send nothing twice. Each scenario also runs once without a shared ledger (every
// client its own memory, as before the ledger), which must show re-sends: the counting can fail.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemorySendLedger } from '@mmsp/client';
import { startSandbox, type Sandbox } from '../src/index.js';
import { restartScenario, retryScenario } from './send-ledger-scenarios.js';

let sb: Sandbox;
beforeAll(async () => {
  sb = await startSandbox({ timeScale: 0.001, micropayDelayMs: 30, payoutDelayMs: 50 });
});
afterAll(() => sb.close());

describe('send ledger against the sandbox (memory ledger shared by the clients)', () => {
  it("a restarted client asked to pay 50 payouts whose answers were lost sends none again; each is answered with the platform's state", async () => {
    const shared = new MemorySendLedger();
    const f = await restartScenario(sb, () => shared, 50);
    console.log(
      `send ledger (memory), restart: ${f.payouts} payouts, first instance unknown ${f.firstUnknown}, re-sent after restart ${f.resent}, answered as the platform ${f.agreeing}`,
    );
    expect(f.other).toEqual([]);
    expect(f).toMatchObject({ firstUnknown: 50, resent: 0, agreeing: 50 });
  }, 180_000);

  it('control: without a shared ledger the restarted client sends every payout again', async () => {
    const f = await restartScenario(sb, () => new MemorySendLedger(), 10);
    console.log(`no shared ledger (control), restart: ${f.payouts} payouts, re-sent after restart ${f.resent}`);
    expect(f.resent).toBe(10);
  }, 120_000);

  it('150 micropays and quick-pay confirms retried after a transport error, through another client on the ledger: none sent again', async () => {
    const shared = new MemorySendLedger();
    const f = await retryScenario(sb, () => shared, 150);
    console.log(
      `send ledger (memory), retries: ${f.tries} retries after a transport error, re-sent ${f.resent}, answered ${f.answered}, outcome unknown ${f.unknown}`,
    );
    expect(f.other).toEqual([]);
    expect(f.resent).toBe(0);
    expect(f.answered + f.unknown).toBe(150);
    expect(f.answered).toBeGreaterThan(0);
  }, 300_000);

  it("control: retries through a client without the first one's ledger are sent again", async () => {
    const f = await retryScenario(sb, () => new MemorySendLedger(), 20);
    console.log(`no shared ledger (control), retries: ${f.tries} retries, re-sent ${f.resent}`);
    expect(f.resent).toBeGreaterThan(0);
  }, 120_000);
});
