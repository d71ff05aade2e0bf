/**
 * Notification stores decide whether a pushed notification is handled once (PROTOCOL §5: the platform
 * retries until it reads SUCCESS, so the same notification can arrive twice, late, or concurrently
 * at two instances). Protocol: claim with a fresh token → run the merchant's handler, extending the
 * claim every ttl/3 → commit on success, release on failure. Claims are fenced: extend, commit and
 * release act only while the caller's token still holds the id. A claim expires after `ttlMs` unless
 * extended, so a handler that crashed mid-way (process died, no release) never leaves a notification
 * marked done: the platform's next retry claims it again.
 *
 * Implementations: `MemoryNotificationStore` (here, one process), `@mmsp/store-redis`,
 * `@mmsp/store-postgres`. All must pass the same contract tests.
 */
import { IdTable } from './id-table.js';

/** A store's answer to `claim` (see {@link NotificationStore}). */
export type ClaimResult =
  /** The caller's token now holds the id until `ttlMs` passes (unless extended): run the handler, then commit or release. */
  | 'claimed'
  /** The id was committed before: answer SUCCESS without running the handler. */
  | 'done'
  /** Someone else holds an unexpired claim: answer a retry status; the platform will come back. */
  | 'busy';

/**
 * Where a receiver records which notifications it has handled, so that each is handled once
 * (PROTOCOL §5: the platform retries until it reads SUCCESS, so the same notification can arrive
 * twice, late, or concurrently at two instances).
 *
 * The receiver (and the reconciler) make a fresh `token` for every claim, then: `claim(id, token,
 * ttlMs)` → run the merchant's handler, calling `extend(id, token, ttlMs)` every `ttlMs / 3` while it
 * runs → `commit(id, token)` when it resolved, `release(id, token)` when it threw or timed out.
 * The claim is **fenced**: `extend`, `commit` and `release` must act only while `token` is still
 * the one holding `id` — a holder whose claim expired and was taken over by another delivery can
 * neither prolong, nor mark done, nor free the new holder's claim. With that, and the extends, at
 * most one handler runs for a notification at any time. A claim that is not extended expires after
 * `ttlMs`, so a process that died mid-handler never leaves a notification marked done: the
 * platform's next retry claims it again.
 *
 * Tokens are opaque strings of at most 64 characters (letters, digits, `:`, `-`), unique per claim.
 * A store answers with a promise (a database) or, when it has the answer at hand (in memory), with
 * the value itself: the receiver then decides without waiting a turn of the event loop.
 * Implementations: {@link MemoryNotificationStore} (one process), `@mmsp/store-redis`,
 * `@mmsp/store-postgres` (several instances behind a load balancer).
 *
 * @example
 * ```ts
 * import type { ClaimResult, NotificationStore } from '@mmsp/client';
 *
 * // A store on a key-value database with expiring keys and atomic compare-and-set (sketch; see
 * // @mmsp/store-redis, which does each step in one Lua script).
 * declare const kv: {
 *   setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean>;
 *   get(key: string): Promise<string | undefined>;
 *   // Sets `key` to `value` (with `ttlMs`, or for good) only if it holds `expected`; whether it did.
 *   compareAndSet(key: string, expected: string, value: string, ttlMs?: number): Promise<boolean>;
 *   compareAndDelete(key: string, expected: string): Promise<boolean>;
 * };
 * const store: NotificationStore = {
 *   async claim(id, token, ttlMs): Promise<ClaimResult> {
 *     if (await kv.setIfAbsent(id, token, ttlMs)) return 'claimed';
 *     return (await kv.get(id)) === 'done' ? 'done' : 'busy';
 *   },
 *   extend: (id, token, ttlMs) => kv.compareAndSet(id, token, token, ttlMs),
 *   commit: (id, token) => kv.compareAndSet(id, token, 'done'),
 *   release: async (id, token) => { await kv.compareAndDelete(id, token); },
 * };
 * ```
 */
export interface NotificationStore {
  /** Claims `id` for `token` for `ttlMs` milliseconds: `claimed` (run the handler), `done` (already handled) or `busy` (held elsewhere). */
  claim(id: string, token: string, ttlMs: number): Promise<ClaimResult> | ClaimResult;
  /**
   * While `token` holds the claim on `id`, make it last `ttlMs` from now and answer `true`; otherwise
   * change nothing and answer `false`. (A claim that expired but nobody took over may be extended or
   * not, as the store finds simplest: no other holder can have run the handler meanwhile.)
   */
  extend(id: string, token: string, ttlMs: number): Promise<boolean> | boolean;
  /** If `token` still holds the claim on `id`, mark `id` handled for good and answer `true`; otherwise change nothing and answer `false`. Called only after the handler resolved. */
  commit(id: string, token: string): Promise<boolean> | boolean;
  /** If `token` still holds the claim on `id`, give it up (the handler threw or timed out) so the next delivery may claim at once; otherwise change nothing. */
  release(id: string, token: string): Promise<void> | void;
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
 * (≥ 0), a committed id `−(commit time) − 1` (< 0). The tokens of the claims held, which fence
 * extend, commit and release, live beside it: the latest claim's in two fields (a synchronous
 * handler's claim is committed before the next one is made, so the common case touches no map),
 * the others in a small map (one entry per handler still running).
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
  /** The latest claim still held and its token (`undefined`: none), kept out of `#tokens`. */
  #lastId: string | undefined = undefined;
  #lastToken: string | undefined = undefined;
  /** The token of every other claim held (an entry leaves with its commit or release, or at a sweep once expired). */
  readonly #tokens = new Map<string, string>();
  readonly #now: () => number;
  readonly #doneTtlMs: number;
  #untilSweep = SWEEP_EVERY;
  constructor(options: MemoryNotificationStoreOptions = {}) {
    this.#now = options.now ?? Date.now;
    const doneTtlMs = options.doneTtlMs ?? DEFAULT_DONE_TTL_MS;
    if (!Number.isSafeInteger(doneTtlMs) || doneTtlMs < 0) {
      throw new TypeError(
        'MemoryNotificationStore: doneTtlMs must be a non-negative integer number of milliseconds (0 = keep forever)',
      );
    }
    this.#doneTtlMs = doneTtlMs;
  }
  /** How many ids are held (claims and remembered commits). */
  get size(): number {
    return this.#ids.size;
  }
  /** Claims `id` for `token` for `ttlMs` ms, unless it is committed (`done`) or claimed and unexpired (`busy`). */
  claim(id: string, token: string, ttlMs: number): ClaimResult {
    const now = this.#now();
    if (--this.#untilSweep === 0) this.#sweep(now);
    const held = this.#ids.get(id);
    if (held !== undefined) {
      if (!this.#expired(held, now)) return held < 0 ? 'done' : 'busy';
      this.#dropToken(id); // an expired claim taken over: its old token no longer fences anything
    }
    this.#ids.set(id, now + ttlMs);
    // The claim before becomes one of the others; an id not held has no token anywhere.
    if (this.#lastId !== undefined) this.#tokens.set(this.#lastId, this.#lastToken!);
    this.#lastId = id;
    this.#lastToken = token;
    return 'claimed';
  }
  /** Makes `token`'s claim on `id` last `ttlMs` from now (also if it expired and nobody took it over); `false` (nothing changed) if `token` does not hold it. */
  extend(id: string, token: string, ttlMs: number): boolean {
    const now = this.#now();
    const held = this.#ids.get(id);
    if (held === undefined || held < 0 || this.#tokenOf(id) !== token) return false;
    this.#ids.set(id, now + ttlMs);
    return true;
  }
  /** Marks `id` handled if `token` holds its claim (duplicates then answer `done` for `doneTtlMs`); `false` otherwise. */
  commit(id: string, token: string): boolean {
    const held = this.#ids.get(id);
    if (held === undefined || held < 0 || this.#tokenOf(id) !== token) return false;
    this.#ids.set(id, -this.#now() - 1);
    this.#dropToken(id);
    return true;
  }
  /** Drops `token`'s claim on `id` (the handler failed), so the next delivery claims it at once; anyone else's claim stays. */
  release(id: string, token: string): void {
    const held = this.#ids.get(id);
    if (held === undefined || held < 0 || this.#tokenOf(id) !== token) return;
    this.#ids.delete(id);
    this.#dropToken(id);
  }
  /** The token holding `id`'s claim, if any. */
  #tokenOf(id: string): string | undefined {
    return id === this.#lastId ? this.#lastToken : this.#tokens.get(id);
  }
  /** Forgets the token of `id`'s claim. */
  #dropToken(id: string): void {
    if (id === this.#lastId) this.#lastId = this.#lastToken = undefined;
    else this.#tokens.delete(id);
  }
  /** Whether a held claim (≥ 0: its expiry) or commit (< 0: −(commit time) − 1) no longer counts at `now`. */
  #expired(held: number, now: number): boolean {
    return held < 0 ? this.#doneTtlMs !== 0 && now >= -held - 1 + this.#doneTtlMs : held <= now;
  }
  /** Forgets expired claims and commits from the oldest id on, up to the first live one. */
  #sweep(now: number): void {
    this.#untilSweep = SWEEP_EVERY;
    this.#ids.sweepFront((held) => this.#expired(held, now));
    const gone = (id: string) => {
      const held = this.#ids.get(id);
      return held === undefined || held < 0 || held <= now;
    };
    for (const id of this.#tokens.keys()) if (gone(id)) this.#tokens.delete(id);
    if (this.#lastId !== undefined && gone(this.#lastId)) this.#lastId = this.#lastToken = undefined;
  }
}
