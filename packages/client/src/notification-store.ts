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

export interface NotificationStore {
  claim(id: string, ttlMs: number): Promise<ClaimResult>;
  /** Mark `id` handled for good. Called only after the handler resolved. */
  commit(id: string): Promise<void>;
  /** Give up a claim (the handler threw) so the next delivery may claim again at once. */
  release(id: string): Promise<void>;
}

/** Single-process store. `now` is injectable for tests. */
export class MemoryNotificationStore implements NotificationStore {
  readonly #done = new Set<string>();
  readonly #claims = new Map<string, number>();
  readonly #now: () => number;
  constructor(options: { now?: () => number } = {}) {
    this.#now = options.now ?? Date.now;
  }
  async claim(id: string, ttlMs: number): Promise<ClaimResult> {
    if (this.#done.has(id)) return 'done';
    const now = this.#now();
    const until = this.#claims.get(id);
    if (until !== undefined && until > now) return 'busy';
    this.#claims.set(id, now + ttlMs);
    return 'claimed';
  }
  async commit(id: string): Promise<void> {
    this.#claims.delete(id);
    this.#done.add(id);
  }
  async release(id: string): Promise<void> {
    this.#claims.delete(id);
  }
}
