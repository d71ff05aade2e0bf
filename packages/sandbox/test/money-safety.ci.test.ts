// Issue #13, CI counts: ≥ 2,000 payout sequences and ≥ 500 each for micropay and quick-pay confirm
// against the real sandbox, with the counts printed (.ci/run; figures in packages/client/README.md).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../src/index.js';
import { confirmSequences, micropaySequences, payoutSequences, summary, type Tally } from './money-safety.js';

let sb: Sandbox;
beforeAll(async () => {
  sb = await startSandbox({ timeScale: 0.001, micropayDelayMs: 30, payoutDelayMs: 50 });
});
afterAll(() => sb.close());

const SEED = Number(process.env.MMSP_FAULT_SEED ?? 2026);

function expectSafe(name: string, t: Tally, runs: number) {
  console.log(summary(name, t));
  expect(t.problems.slice(0, 10)).toEqual([]);
  expect(t.runs).toBe(runs);
  expect({
    duplicateSends: t.duplicateSends,
    disagreements: t.disagreements,
    badEndings: t.badEndings + t.waitBadEndings,
  }).toEqual({ duplicateSends: 0, disagreements: 0, badEndings: 0 });
  expect(t.unknown).toBeGreaterThan(0);
  expect(t.answered).toBeGreaterThan(0);
}

describe('money safety under fault sequences, CI counts (sandbox)', () => {
  it('2,000 payout sequences', async () => {
    expectSafe('payout', await payoutSequences(sb, 2_000, SEED), 2_000);
  }, 1_800_000);
  it('500 micropay sequences', async () => {
    expectSafe('micropay', await micropaySequences(sb, 500, SEED + 1), 500);
  }, 900_000);
  it('500 quick-pay confirm sequences', async () => {
    expectSafe('quick-pay confirm', await confirmSequences(sb, 500, SEED + 2), 500);
  }, 900_000);
});
