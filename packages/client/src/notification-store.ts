/**
 * Notification stores decide whether a pushed notification is handled once (PROTOCOL §5: the platform
 * retries until it reads SUCCESS, so the same notification can arrive twice, late, or concurrently
 * at two instances). Protocol: claim → run the merchant's handler → commit on success, release on
 * failure. A claim expires after `ttlMs`, so a handler that crashed mid-way (process died, no
 * release) never leaves a notification marked done: the platform's next retry claims it again.
 *
 * Implementations: `MemoryNotificationStore` (here, one process), `@mmsp/store-redis`,
 * `@mmsp/store-postgres`. All must pass the same contract tests.
 */
import { IdTable } from './id-table.js';

export type ClaimResult =
  /** The caller now owns the id until `ttlMs` passes: run the handler, then commit or release. */
  | 'claimed'
  /** The id was committed before: answer SUCCESS without running the handler. */
  | 'done'
  /** Someone else holds an unexpired claim: answer a retry status; the platform will come back. */
  | 'busy';

/**
 * A store answers with a promise (a database) or, when it has the answer at hand (in memory), with
 * the value itself: the receiver then decides without waiting a turn of the event loop.
 */
export interface NotificationStore {
  claim(id: string, ttlMs: number): Promise<ClaimResult> | ClaimResult;
  /** Mark `id` handled for good. Called only after the handler resolved. */
  commit(id: string): Promise<void> | void;
  /** Give up a claim (the handler threw) so the next delivery may claim again at once. */
  release(id: string): Promise<void> | void;
}

export interface MemoryNotificationStoreOptions {
  /** The clock (ms since the epoch); injectable for tests. Default `Date.now`. */
  now?: () => number;
  /**
   * How long a committed id is remembered, in ms: a duplicate within it answers `done`. Default 30
   * days, as `@mmsp/store-redis` (the platform retries for at most about 4 hours, PROTOCOL §5); 0 keeps
   * ids forever. Forgotten ids free their memory, so a long-running process does not grow without end.
   */
  doneTtlMs?: number;
}

const DEFAULT_DONE_TTL_MS = 30 * 24 * 60 * 60 * 1000;
/** Claims between two sweeps of forgotten ids (amortised: a sweep stops at the first live id). */
const SWEEP_EVERY = 4096;

/**
 * Single-process store; it answers synchronously. One table from id to a number (id-table.ts, kept
 * cache-friendly): a claim holds its expiry time (≥ 0), a committed id `−(commit time) − 1` (< 0).
 */
export class MemoryNotificationStore implements NotificationStore {
  readonly #ids = new IdTable();
  readonly #now: () => number;
  readonly #doneTtlMs: number;
  #untilSweep = SWEEP_EVERY;
  constructor(options: MemoryNotificationStoreOptions = {}) {
    this.#now = options.now ?? Date.now;
    const doneTtlMs = options.doneTtlMs ?? DEFAULT_DONE_TTL_MS;
    if (!Number.isSafeInteger(doneTtlMs) || doneTtlMs < 0) {
      throw new TypeError('MemoryNotificationStore: doneTtlMs must be a non-negative integer number of milliseconds (0 = keep forever)');
    }
    this.#doneTtlMs = doneTtlMs;
  }
  /** How many ids are held (claims and remembered commits). */
  get size(): number {
    return this.#ids.size;
  }
  claim(id: string, ttlMs: number): ClaimResult {
    const now = this.#now();
    if (--this.#untilSweep === 0) this.#sweep(now);
    const held = this.#ids.get(id);
    if (held !== undefined && !this.#expired(held, now)) return held < 0 ? 'done' : 'busy';
    this.#ids.set(id, now + ttlMs);
    return 'claimed';
  }
  commit(id: string): void {
    this.#ids.set(id, -this.#now() - 1);
  }
  release(id: string): void {
    const held = this.#ids.get(id);
    if (held !== undefined && held >= 0) this.#ids.delete(id);
  }
  /** Whether a held claim (≥ 0: its expiry) or commit (< 0: −(commit time) − 1) no longer counts at `now`. */
  #expired(held: number, now: number): boolean {
    return held < 0 ? this.#doneTtlMs !== 0 && now >= -held - 1 + this.#doneTtlMs : held <= now;
  }
  /** Forgets expired claims and commits from the oldest id on, up to the first live one. */
  #sweep(now: number): void {
    this.#untilSweep = SWEEP_EVERY;
    this.#ids.sweepFront((held) => this.#expired(held, now));
  }
}
