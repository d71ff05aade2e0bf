/**
 * A `SendLedger` on Redis (issue #13 item 4): the money-moving requests every instance of the
 * merchant's application sent, so that none is sent twice — by another instance, or after a restart.
 *
 * One key per request, `<prefix><ledger key>`, holding the record as JSON:
 * - reserve = `SET key record NX PX ttl` — atomic: of two instances racing on one order number,
 *             exactly one gets OK and sends; the others read what is held and query;
 * - update  = `SET key record PX ttl` (a refusal: a repeat answers it);
 * - forget  = `DEL key` (the request never left).
 * The key expires on Redis's own clock after `ttlMs` (default 93 days: the platform answers
 * queries about orders of the last 3 months, PROTOCOL §7.5).
 */
import { Redis, type RedisOptions } from 'ioredis';
import { DEFAULT_SEND_LEDGER_TTL_MS, readSendLedgerRecord, type SendLedger, type SendLedgerRecord } from '@mmsp/client';
import { isIoRedis, redisConnectionProblem } from './connection.js';

/** Options of {@link RedisSendLedger}: the connection, a key prefix and how long an entry is kept. */
export interface RedisSendLedgerOptions {
  /** An ioredis client (shared with the application; not closed by `close()`), or a `redis://` URL. */
  redis: Redis | string;
  /** Options for the client created from a URL. */
  redisOptions?: RedisOptions;
  /** Key prefix, default `mmsp:sent:`. */
  keyPrefix?: string;
  /** How long an entry is kept, in ms (default 93 days, `DEFAULT_SEND_LEDGER_TTL_MS`). */
  ttlMs?: number;
}

/**
 * A `SendLedger` on Redis, for a merchant whose application runs as several instances or must not
 * forget across a restart what it sent (issue #13): give the same ledger to every client
 * (`createClient({ …, sendLedger })`, `createNodeClient`, `createFetchClient`, `MmspModule`). A
 * payout, micropay, quick-pay payment or confirm, or refund whose order number it holds is never
 * sent again: the client queries it and answers with the platform's outcome.
 *
 * One key per request, holding the record as JSON:
 * - reserve = `SET key record NX PX ttlMs`: atomic, so of two instances racing on one order number
 *   exactly one sends; the others read what is held and query;
 * - update = `SET key record PX ttlMs` (a refusal, answered to any repeat);
 * - forget = `DEL key` (the transport knows the request never left).
 *
 * Entries expire on Redis's clock after `ttlMs` (default 93 days, a little over the 3 months of
 * orders the platform's queries cover). Use a Redis that persists (AOF or RDB): a ledger that
 * forgets on a Redis restart protects no better than memory.
 *
 * @example
 * ```ts
 * import { createNodeClient } from '@mmsp/http-node';
 * import { RedisSendLedger } from '@mmsp/store-redis';
 *
 * const sendLedger = new RedisSendLedger({ redis: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' });
 * const mmsp = createNodeClient({
 *   merchantNo: '001440353999853', terminalNo: '84970001', key: process.env.MMSP_KEY!,
 *   endpoints: { scan: 'https://pay.example.com/scan' },
 *   sendLedger, // every instance shares it: a request is sent once, whoever retries it
 * });
 * // on shutdown: await sendLedger.close();
 * ```
 */
export class RedisSendLedger implements SendLedger {
  readonly #redis: Redis;
  readonly #ownsClient: boolean;
  readonly #prefix: string;
  readonly #ttlMs: number;

  /**
   * `new RedisSendLedger({ redis })`, or the connection alone: a `redis://` URL or an ioredis client.
   *
   * @throws TypeError naming the problem: not an ioredis client nor a `redis://` URL, a node-redis
   *   client, or a `ttlMs` that is not a positive integer.
   */
  constructor(input: RedisSendLedgerOptions | Redis | string) {
    const options: RedisSendLedgerOptions =
      typeof input === 'string' || isIoRedis(input, 'del')
        ? { redis: input as Redis | string }
        : ((input ?? {}) as RedisSendLedgerOptions);
    const problems: string[] = [];
    const connection = redisConnectionProblem(options.redis, 'del');
    if (connection !== undefined) problems.push(connection);
    const ttlMs = options.ttlMs ?? DEFAULT_SEND_LEDGER_TTL_MS;
    if (!Number.isSafeInteger(ttlMs) || ttlMs <= 0)
      problems.push('ttlMs: must be a positive integer number of milliseconds');
    if (problems.length > 0) throw new TypeError(`RedisSendLedger: ${problems.join('; ')}`);
    this.#ownsClient = typeof options.redis === 'string';
    this.#redis =
      typeof options.redis === 'string'
        ? new Redis(options.redis, { lazyConnect: false, ...options.redisOptions })
        : options.redis;
    this.#prefix = options.keyPrefix ?? 'mmsp:sent:';
    this.#ttlMs = ttlMs;
  }

  /** `SET NX PX`: `undefined` when this call reserved `key` (send), else the record held (query). */
  async reserve(key: string, record: SendLedgerRecord): Promise<SendLedgerRecord | undefined> {
    const k = this.#prefix + key;
    // SET NX then GET can race with an expiry in between (GET finds nothing): try again then.
    for (let attempt = 0; attempt < 3; attempt++) {
      if ((await this.#redis.set(k, JSON.stringify(record), 'PX', this.#ttlMs, 'NX')) === 'OK') return undefined;
      const held = await this.#redis.get(k);
      if (held !== null) return readSendLedgerRecord(held);
    }
    return { sentAt: record.sentAt }; // held all along by someone we could not read: do not send
  }

  /** Overwrites `key`'s record, kept `ttlMs` from now. */
  async update(key: string, record: SendLedgerRecord): Promise<void> {
    await this.#redis.set(this.#prefix + key, JSON.stringify(record), 'PX', this.#ttlMs);
  }

  /** Deletes `key`. */
  async forget(key: string): Promise<void> {
    await this.#redis.del(this.#prefix + key);
  }

  /** Closes the connection if this ledger created it from a URL; a client passed in stays open. */
  async close(): Promise<void> {
    if (this.#ownsClient) await this.#redis.quit();
  }

  /** What logs and `JSON.stringify` show: the kind, the key prefix and `ttlMs`, never the connection. */
  toJSON(): object {
    return { ledger: 'redis', keyPrefix: this.#prefix, ttlMs: this.#ttlMs };
  }
}
