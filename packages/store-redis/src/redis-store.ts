/**
 * A `NotificationStore` on Redis, for receivers running as several instances (PROTOCOL §5: the
 * platform retries until it reads SUCCESS, so one notification may reach two instances at once).
 *
 * One key per notification id, holding either a claim or the done marker:
 * - claim   = `SET key "claim:<token>" NX PX ttl` — atomic: one instance wins, the others see
 *             `busy`; the key expires on its own, so a process that died mid-handler leaves no
 *             permanent claim and the platform's next retry claims again.
 * - extend  = `PEXPIRE key ttl` only if the key still holds the caller's claim token (Lua).
 * - commit  = `SET key "done" PX doneTtlMs` (no expiry when `doneTtlMs` is 0) only if the key still
 *             holds the caller's claim token (Lua compare-and-set). The default keeps the marker 30
 *             days, far beyond the platform's retry schedules (≤ about 4 hours, PROTOCOL §5), so late
 *             duplicates are still answered SUCCESS without running the handler again.
 * - release = delete the key only if it still holds the caller's claim token (Lua compare-and-delete).
 * The token comes from the caller (one per claim), so an instance whose claim expired and was taken
 * over can neither prolong, nor mark done, nor delete the new holder's claim (fencing).
 */
import { Redis, type RedisOptions } from 'ioredis';
import type { ClaimResult, NotificationStore } from '@mmsp/client';
import { isIoRedis, isNodeRedis, redisConnectionProblem } from './connection.js';

const DONE = 'done';
const CLAIM_PREFIX = 'claim:';
const DEFAULT_DONE_TTL_MS = 30 * 24 * 60 * 60 * 1000;

/** Compare-and-delete: only the holder of the token removes the claim. */
const RELEASE_SCRIPT = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;
/** Compare-and-expire: only the holder of the token prolongs the claim (ARGV[2] ms from now). */
const EXTEND_SCRIPT = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end`;
/** Compare-and-set: only the holder of the token marks the id done (for ARGV[2] ms; 0 = for good). */
const COMMIT_SCRIPT = `if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if ARGV[2] == '0' then redis.call('SET', KEYS[1], 'done') else redis.call('SET', KEYS[1], 'done', 'PX', ARGV[2]) end
return 1`;

/** Options of {@link RedisNotificationStore}: the connection, a key prefix and how long "done" is remembered. */
export interface RedisNotificationStoreOptions {
  /** An ioredis client (shared with the application; not closed by `close()`), or a `redis://` URL. */
  redis: Redis | string;
  /** Options for the client created from a URL. */
  redisOptions?: RedisOptions;
  /** Key prefix, default `mmsp:notification:`. */
  keyPrefix?: string;
  /** How long the done marker is kept, in ms. Default 30 days; 0 keeps it forever. */
  doneTtlMs?: number;
}

/**
 * A `NotificationStore` on Redis, for receivers running as several instances (PROTOCOL §5: the
 * platform retries until it reads `SUCCESS`, so one notification may arrive twice, late, or at two
 * instances at once). Give it to any receiver's `store` option (`@mmsp/http-node`,
 * `@mmsp/fetch-edge`, `@mmsp/nestjs-module`): the `onPaid` handler then runs once per notification
 * across all instances.
 *
 * One key per notification id, holding either a claim or the done marker:
 * - claim = `SET key "claim:<token>" NX PX ttl` — atomic: one instance wins, the others see `busy`;
 *   the key expires on its own, so a process that died mid-handler leaves no permanent claim and the
 *   platform's next retry claims again;
 * - extend = `PEXPIRE key ttl` if the key still holds the caller's claim token (Lua), which the
 *   receiver does every `claimTtlMs / 3` while the handler runs;
 * - commit = `SET key "done" PX doneTtlMs` (no expiry when `doneTtlMs` is 0) if the key still holds
 *   the caller's claim token (Lua); the default keeps the marker 30 days, far beyond the platform's
 *   retry schedules (about 4 hours at most), so late duplicates are still answered `SUCCESS`
 *   without running the handler again;
 * - release = delete the key if it still holds the caller's claim token (Lua compare-and-delete).
 *
 * The claims are fenced: an instance whose claim expired and was taken over can neither prolong,
 * nor mark done, nor delete the new holder's claim.
 *
 * Works with an ioredis client or Cluster (duck-typed); a node-redis (`redis` package) client is
 * refused with a TypeError saying so.
 *
 * @example
 * ```ts
 * import { createNotificationHandler } from '@mmsp/http-node';
 * import { RedisNotificationStore } from '@mmsp/store-redis';
 *
 * const store = new RedisNotificationStore({ redis: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' });
 * const handler = createNotificationHandler({
 *   key: process.env.MMSP_KEY!,
 *   store, // every instance shares it: onPaid runs once per notification
 *   onPaid: async (event) => console.log('paid', event.merchantOrderId, event.amount),
 * });
 * // on shutdown: await store.close();
 * ```
 */
export class RedisNotificationStore implements NotificationStore {
  readonly #redis: Redis;
  readonly #ownsClient: boolean;
  readonly #prefix: string;
  readonly #doneTtlMs: number;

  /**
   * `new RedisNotificationStore({ redis })`, or the connection alone: `new RedisNotificationStore(url)`
   * / `new RedisNotificationStore(ioredisClient)`. `client` and `url` are accepted for `redis`.
   *
   * @throws TypeError naming the problem: not an ioredis client nor a `redis://` / `rediss://` URL, a
   *   node-redis client, or a `doneTtlMs` that is not a non-negative integer.
   */
  constructor(input: RedisNotificationStoreOptions | Redis | string) {
    const options = normalize(input);
    const problems: string[] = [];
    const connection = redisConnectionProblem(options?.redis, 'eval');
    if (connection !== undefined) problems.push(connection);
    const doneTtlMs = options?.doneTtlMs ?? DEFAULT_DONE_TTL_MS;
    if (!Number.isSafeInteger(doneTtlMs) || doneTtlMs < 0) {
      problems.push('doneTtlMs: must be a non-negative integer number of milliseconds (0 = keep forever)');
    }
    if (problems.length > 0) throw new TypeError(`RedisNotificationStore: ${problems.join('; ')}`);
    this.#ownsClient = typeof options.redis === 'string';
    this.#redis =
      typeof options.redis === 'string'
        ? new Redis(options.redis, { lazyConnect: false, ...options.redisOptions })
        : options.redis;
    this.#prefix = options.keyPrefix ?? 'mmsp:notification:';
    this.#doneTtlMs = doneTtlMs;
  }

  /**
   * Claims notification `id` for `token` for `ttlMs` ms: `'claimed'` (run the handler, then commit
   * or release with the same token), `'done'` (handled before: answer `SUCCESS`) or `'busy'`
   * (another delivery holds a live claim).
   */
  async claim(id: string, token: string, ttlMs: number): Promise<ClaimResult> {
    assertTtl(ttlMs);
    const key = this.#prefix + id;
    const value = CLAIM_PREFIX + token;
    // SET NX then GET can race with an expiry in between (GET finds nothing): try again then.
    for (let attempt = 0; attempt < 3; attempt++) {
      const set = await this.#redis.set(key, value, 'PX', ttlMs, 'NX');
      if (set === 'OK') return 'claimed';
      const current = await this.#redis.get(key);
      if (current === DONE) return 'done';
      if (current !== null) return 'busy';
    }
    return 'busy';
  }

  /** Makes `token`'s claim on `id` last `ttlMs` from now; `false` (nothing changed) if `token` no longer holds it. */
  async extend(id: string, token: string, ttlMs: number): Promise<boolean> {
    assertTtl(ttlMs);
    return (await this.#redis.eval(EXTEND_SCRIPT, 1, this.#prefix + id, CLAIM_PREFIX + token, String(ttlMs))) === 1;
  }

  /** Marks `id` handled (kept `doneTtlMs`) if `token` still holds its claim; `false` (nothing changed) otherwise. */
  async commit(id: string, token: string): Promise<boolean> {
    return (
      (await this.#redis.eval(COMMIT_SCRIPT, 1, this.#prefix + id, CLAIM_PREFIX + token, String(this.#doneTtlMs))) === 1
    );
  }

  /** Gives up `token`'s claim on `id` (the handler threw or timed out), so the next delivery may claim at once; anyone else's claim is left alone. */
  async release(id: string, token: string): Promise<void> {
    await this.#redis.eval(RELEASE_SCRIPT, 1, this.#prefix + id, CLAIM_PREFIX + token);
  }

  /** Closes the connection if this store created it from a URL; a client passed in stays open. */
  async close(): Promise<void> {
    if (this.#ownsClient) await this.#redis.quit();
  }

  /** What logs and `JSON.stringify` show: the kind, the key prefix and `doneTtlMs`, never the connection. */
  toJSON(): object {
    return { store: 'redis', keyPrefix: this.#prefix, doneTtlMs: this.#doneTtlMs };
  }
}

/**
 * Convenience factory: `new` {@link RedisNotificationStore}`(options)`.
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis';
 * import { createRedisNotificationStore } from '@mmsp/store-redis';
 *
 * const shared = createRedisNotificationStore(new Redis()); // a client of the application's: close() leaves it open
 * const own = createRedisNotificationStore({ redis: 'redis://127.0.0.1:6379', keyPrefix: 'shop:mmsp:' });
 * ```
 */
export function createRedisNotificationStore(
  options: RedisNotificationStoreOptions | Redis | string,
): RedisNotificationStore {
  return new RedisNotificationStore(options);
}

/** The forms a stranger guesses: a URL, a client, `{ redis }`, `{ client }`, `{ url }`. */
function normalize(input: RedisNotificationStoreOptions | Redis | string): RedisNotificationStoreOptions {
  if (typeof input === 'string' || isIoRedis(input, 'eval') || isNodeRedis(input))
    return { redis: input as Redis | string };
  const o = (input ?? {}) as RedisNotificationStoreOptions & { client?: Redis; url?: string };
  if (o.redis === undefined && (o.client !== undefined || o.url !== undefined))
    return { ...o, redis: (o.client ?? o.url)! };
  return o;
}

function assertTtl(ttlMs: number): void {
  if (!Number.isSafeInteger(ttlMs) || ttlMs <= 0) {
    throw new TypeError('claim ttlMs: must be a positive integer number of milliseconds');
  }
}
