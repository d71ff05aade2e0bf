/**
 * Notification stores decide whether a pushed notification is handled once (NOTES §5: the platform
 * retries until it reads SUCCESS, so the same notification can arrive twice, late, or concurrently
 * at two instances). Protocol: claim → run the merchant's handler → commit on success, release on
 * failure. A claim expires after `ttlMs`, so a handler that crashed mid-way (process died, no
 * release) never leaves a notification marked done: the platform's next retry claims it again.
 *
 * Implementations: `MemoryNotificationStore` (here, one process), `@mmsp/store-redis`,
 * `@mmsp/store-postgres`. All must pass the same contract tests.
 */
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

/** Marks a committed id in `MemoryNotificationStore` (claims hold their expiry time instead). */
const DONE = -1;

/** Single-process store; it answers synchronously. `now` is injectable for tests. */
export class MemoryNotificationStore implements NotificationStore {
  /** id → the claim's expiry (ms since the epoch), or DONE: one lookup per claim. */
  readonly #ids = new Map<string, number>();
  readonly #now: () => number;
  constructor(options: { now?: () => number } = {}) {
    this.#now = options.now ?? Date.now;
  }
  claim(id: string, ttlMs: number): ClaimResult {
    const until = this.#ids.get(id);
    if (until === DONE) return 'done';
    const now = this.#now();
    if (until !== undefined && until > now) return 'busy';
    this.#ids.set(id, now + ttlMs);
    return 'claimed';
  }
  commit(id: string): void {
    this.#ids.set(id, DONE);
  }
  release(id: string): void {
    if (this.#ids.get(id) !== DONE) this.#ids.delete(id);
  }
}
