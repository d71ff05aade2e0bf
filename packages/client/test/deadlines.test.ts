import { describe, expect, it } from 'vitest';
import { MmspTransportError } from '@mmsp/codec';
import { addDeadline, clock, Deadline, deadlineState, removeDeadline } from '../src/deadlines.js';
import { send } from '../src/send.js';
import type { Transport } from '../src/transport.js';

/** A deadline that records when it expired, in `performance.now()` milliseconds. */
function watched(ms: number) {
  const record = { ms, added: 0, expiredAt: undefined as number | undefined, times: 0 };
  const deadline = new Deadline({
    expired: () => {
      record.times++;
      record.expiredAt = performance.now();
    },
  });
  record.added = performance.now();
  addDeadline(deadline, ms);
  return { record, deadline };
}

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('deadlines: every exchange in flight on one host timer', () => {
  it('expires each deadline once, never before its duration, whatever the order of durations added', async () => {
    const durations = [40, 5, 25, 5, 60, 12, 40, 1, 33, 8, 25, 50, 3, 19, 40];
    const all = durations.map((ms) => watched(ms));
    await settle(120);
    for (const { record } of all) {
      expect(record.times, `${record.ms} ms`).toBe(1);
      expect(record.expiredAt! - record.added, `${record.ms} ms`).toBeGreaterThanOrEqual(record.ms);
      // Late only by what a loaded machine's timers are late by.
      expect(record.expiredAt! - record.added, `${record.ms} ms`).toBeLessThan(record.ms + 2000);
    }
    expect(deadlineState()).toMatchObject({ waiting: 0, held: false });
  });

  it('a shorter deadline added after a longer one is not kept waiting for it', async () => {
    const long = watched(10_000);
    const short = watched(10);
    await settle(60);
    expect(short.record.times).toBe(1);
    expect(long.record.times).toBe(0);
    expect(deadlineState()).toMatchObject({ waiting: 1, armed: true, held: true });
    removeDeadline(long.deadline);
    removeDeadline(long.deadline); // twice is harmless
    expect(deadlineState()).toMatchObject({ waiting: 0, held: false });
  });

  it('a removed deadline never expires, and nothing in flight keeps the process alive', async () => {
    const removed = Array.from({ length: 20 }, (_, i) => watched(5 + i));
    const kept = watched(15);
    for (const { deadline } of removed) removeDeadline(deadline);
    expect(deadlineState().waiting).toBe(1);
    await settle(60);
    expect(removed.every(({ record }) => record.times === 0)).toBe(true);
    expect(kept.record.times).toBe(1);
    expect(deadlineState()).toMatchObject({ waiting: 0, held: false });
  });

  it('counts from the clock reading it is given (the attempt began there), never expiring before it', async () => {
    let expiredAt: number | undefined;
    const began = clock();
    await settle(30);
    addDeadline(new Deadline({ expired: () => (expiredAt = clock()) }), 50, began);
    await settle(120);
    expect(expiredAt! - began).toBeGreaterThanOrEqual(50);
  });

  it('a duration that is not a number from 1 to 2^31 - 1 counts as 1 ms, as setTimeout does', async () => {
    const odd = [0, -5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 31, 0.5].map((ms) => watched(ms));
    await settle(40);
    for (const { record } of odd) expect(record.times, String(record.ms)).toBe(1);
  });

  it('many exchanges through send: the ones answered resolve, the silent ones time out as "may have reached"', async () => {
    const silent: Transport = () => new Promise(() => undefined);
    const answering: Transport = () => Promise.resolve({ status: 200, headers: {}, body: '{}' });
    const calls = Array.from({ length: 60 }, (_, i) =>
      send(i % 3 === 0 ? silent : answering, 'http://x.test/a', 'B', { timeoutMs: 10 + (i % 7) * 5 }).then(
        () => 'answered',
        (error: unknown) =>
          error instanceof MmspTransportError &&
          error.mayHaveReachedPlatform &&
          /no response within/.test(error.message)
            ? 'expired'
            : 'other',
      ),
    );
    const outcomes = await Promise.all(calls);
    outcomes.forEach((outcome, i) => expect(outcome, String(i)).toBe(i % 3 === 0 ? 'expired' : 'answered'));
    expect(deadlineState()).toMatchObject({ waiting: 0, held: false });
  });
});
