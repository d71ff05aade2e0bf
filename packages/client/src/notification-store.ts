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

/** A store's answer to `claim` (see {@link NotificationStore}). */
export type ClaimResult =
  /** The caller now owns the id until `ttlMs` passes: run the handler, then commit or release. */
  | 'claimed'
  /** The id was committed before: answer SUCCESS without running the handler. */
  | 'done'
  /** Someone else holds an unexpired claim: answer a retry status; the platform will come back. */
  | 'busy';

/**
 * Where a receiver records which notifications it has handled, so that each is handled once
 * (PROTOCOL §5: the platform retries until it reads SUCCESS, so the same notification can arrive
 * twice, late, or concurrently at two instances). Protocol: claim → run the merchant's handler →
 * commit on success, release on failure. A claim expires after `ttlMs`, so a handler that crashed
 * mid-way (process died, no release) never leaves a notification marked done: the platform's next
 * retry claims it again.
 *
 * A store answers with a promise (a database) or, when it has the answer at hand (in memory), with
 * the value itself: the receiver then decides without waiting a turn of the event loop.
 * Implementations: {@link MemoryNotificationStore} (one process), `@mmsp/store-redis`,
 * `@mmsp/store-postgres` (several instances behind a load balancer).
 *
 * @example
 * ```ts
 * import type { ClaimResult, NotificationStore } from '@mmsp/client';
 *
 * // The shape of a store on a key-value database with expiring keys (sketch; see @mmsp/store-redis).
 * declare const kv: {
 *   setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean>;
 *   get(key: string): Promise<string | undefined>;
 *   set(key: string, value: string): Promise<void>;
 *   del(key: string): Promise<void>;
 * };
 * const store: NotificationStore = {
 *   async claim(id, ttlMs): Promise<ClaimResult> {
 *     if (await kv.setIfAbsent(id, 'claimed', ttlMs)) return 'claimed';
 *     return (await kv.get(id)) === 'done' ? 'done' : 'busy';
 *   },
 *   commit: (id) => kv.set(id, 'done'),
 *   release: (id) => kv.del(id),
 * };
 * ```
 */
export interface NotificationStore {
  /** Claims `id` for `ttlMs` milliseconds: `claimed` (run the handler), `done` (already handled) or `busy` (held elsewhere). */
  claim(id: string, ttlMs: number): Promise<ClaimResult> | ClaimResult;
  /** Mark `id` handled for good. Called only after the handler resolved. */
  commit(id: string): Promise<void> | void;
  /** Give up a claim (the handler threw) so the next delivery may claim again at once. */
  release(id: string): Promise<void> | void;
}

/** Options of {@link MemoryNotificationStore}. */
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
 * The single-process {@link NotificationStore}, and the default of every receiver: it answers
 * synchronously and forgets committed ids after `doneTtlMs` (30 days by default). Behind a load
 * balancer, use `@mmsp/store-redis` or `@mmsp/store-postgres` instead, so that every instance sees
 * the same claims.
 *
 * One table from id to a number (id-table.ts, kept cache-friendly): a claim holds its expiry time
 * (≥ 0), a committed id `−(commit time) − 1` (< 0).
 *
 * @example
 * ```ts
 * import { MemoryNotificationStore, type MmspClient } from '@mmsp/client';
 *
 * declare const client: MmspClient, rawText: string;
 * const store = new MemoryNotificationStore({ doneTtlMs: 7 * 24 * 60 * 60 * 1000 }); // remember a week
 * const decision = await client.notifications.handle(rawText, async (event) => {
 *   console.log('paid', event.merchantOrderId, event.amount); // mark the order paid, once
 * }, { store });
 * // answer decision.status with decision.body ('SUCCESS' once handled)
 * ```
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
  /** Claims `id` for `ttlMs` ms, unless it is committed (`done`) or claimed and unexpired (`busy`). */
  claim(id: string, ttlMs: number): ClaimResult {
    const now = this.#now();
    if (--this.#untilSweep === 0) this.#sweep(now);
    const held = this.#ids.get(id);
    if (held !== undefined && !this.#expired(held, now)) return held < 0 ? 'done' : 'busy';
    this.#ids.set(id, now + ttlMs);
    return 'claimed';
  }
  /** Marks `id` handled: duplicates answer `done` for `doneTtlMs`. */
  commit(id: string): void {
    this.#ids.set(id, -this.#now() - 1);
  }
  /** Drops the claim on `id` (the handler failed), so the next delivery claims it at once. */
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
