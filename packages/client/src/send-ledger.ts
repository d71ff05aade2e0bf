/**
 * The send ledger (issue #13 item 4): which money-moving requests have left, shared by every
 * instance of the merchant's application, so that a request whose order number the ledger holds is
 * never sent again — by this instance, by another one, or by a restarted process. The client
 * reserves `(merchant, operation, order number)` atomically just before the request leaves; a
 * request it finds held is settled by a query (PROTOCOL §5.5, §6.3: query, never resend).
 *
 * Implementations: `MemorySendLedger` (here: one process, the default), `RedisSendLedger`
 * (`@mmsp/store-redis`), `PostgresSendLedger` (`@mmsp/store-postgres`). All pass the same contract tests.
 */

/** What a {@link SendLedger} holds for one money-moving request. */
export interface SendLedgerRecord {
  /** When the request was reserved, in ms since the epoch (the reserving client's clock). */
  sentAt: number;
  /**
   * Set when the platform refused the request as documented (`MmspBusinessError` with a final code:
   * nothing was carried out). A repeat of the same order number is answered with this refusal,
   * without sending or querying.
   */
  refused?: {
    /** The platform's code (payout `RETCODE`, `ERRCODE` / `ERR_CODE` / `STATUS`). */
    platformCode: string;
    /** The document's meaning of the code, when it lists one. */
    meaning?: string;
    /** The platform's own message. */
    platformMessage?: string;
  };
}

/**
 * Where the client records the money-moving requests it sent (payout pay, the micropays, quick pay
 * pay / SMS confirm / bound-card confirm / bound-card SMS, refunds), so that the same request is
 * never sent twice — from this instance or another, before or after a restart (issue #13).
 *
 * - `reserve(key, record)` — **atomically**: when `key` is absent (or expired), store `record` under
 *   it and answer `undefined` (the caller sends); otherwise answer what is held and change nothing
 *   (the caller queries). Two instances racing on one key: exactly one gets `undefined`.
 * - `update(key, record)` — overwrite what `key` holds (the platform refused it: remember why).
 * - `forget(key)` — delete `key`: the request is known never to have left (the transport says so),
 *   or its refusal invites the same request again (a wrong SMS code). Only the holder calls it,
 *   right after its own `reserve`.
 *
 * Entries expire after the ledger's TTL (default {@link DEFAULT_SEND_LEDGER_TTL_MS}, 93 days: the
 * platform answers queries about orders of the last 3 months, PROTOCOL §7.5). A method may answer
 * with a value (memory) or a promise (a database). A ledger that throws on `reserve` stops the
 * request before it leaves.
 *
 * @example
 * ```ts
 * import { createClient, readSendLedgerRecord, type SendLedger, type Transport } from '@mmsp/client';
 *
 * // The shape of a ledger on a key-value database with expiring keys (sketch; see @mmsp/store-redis).
 * declare const kv: {
 *   setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean>;
 *   get(key: string): Promise<string | undefined>;
 *   set(key: string, value: string, ttlMs: number): Promise<void>;
 *   del(key: string): Promise<void>;
 * };
 * declare const transport: Transport;
 * const ttlMs = 93 * 24 * 3600_000;
 * const sendLedger: SendLedger = {
 *   async reserve(key, record) {
 *     if (await kv.setIfAbsent(key, JSON.stringify(record), ttlMs)) return undefined; // ours: send
 *     const held = await kv.get(key);
 *     return held === undefined ? record : readSendLedgerRecord(held); // held: query
 *   },
 *   update: (key, record) => kv.set(key, JSON.stringify(record), ttlMs),
 *   forget: (key) => kv.del(key),
 * };
 * const client = createClient({
 *   merchantNo: '001440353999853', terminalNo: '84970001', key: 'your-md5-key',
 *   endpoints: { scan: 'https://pay.example.com/scan' }, transport, sendLedger,
 * });
 * ```
 */
export interface SendLedger {
  /** Stores `record` under `key` unless held: `undefined` when this call reserved it (send), else the record held (do not send). */
  reserve(key: string, record: SendLedgerRecord): Promise<SendLedgerRecord | undefined> | SendLedgerRecord | undefined;
  /** Overwrites the record held under `key` (keeping it for the ledger's TTL from now). */
  update(key: string, record: SendLedgerRecord): Promise<void> | void;
  /** Deletes `key`: the request never left, or may be sent again. */
  forget(key: string): Promise<void> | void;
}

/**
 * How long a ledger keeps an entry by default: 93 days, a little over the 3 months back that the
 * platform's queries cover (PROTOCOL §7.5). Within it, a repeat of the same order number is answered
 * by a query, never sent.
 */
export const DEFAULT_SEND_LEDGER_TTL_MS = 93 * 24 * 60 * 60 * 1000;

/**
 * Reads a {@link SendLedgerRecord} a ledger stored as JSON text (what `JSON.stringify(record)` wrote).
 * Anything else under the key — another writer's value, a truncated text — still means "held":
 * it comes back as a record without a refusal, so the request is queried, never sent again.
 *
 * @example
 * ```ts
 * import { readSendLedgerRecord } from '@mmsp/client';
 *
 * readSendLedgerRecord('{"sentAt":1764892800000}'); // { sentAt: 1764892800000 }
 * readSendLedgerRecord('not json');                  // { sentAt: 0 }: held, query it
 * ```
 */
export function readSendLedgerRecord(text: string): SendLedgerRecord {
  try {
    const v = JSON.parse(text) as Partial<SendLedgerRecord> | null;
    const sentAt = typeof v?.sentAt === 'number' ? v.sentAt : 0;
    const r = v?.refused;
    if (r && typeof r === 'object' && typeof r.platformCode === 'string') {
      return {
        sentAt,
        refused: {
          platformCode: r.platformCode,
          ...(typeof r.meaning === 'string' ? { meaning: r.meaning } : {}),
          ...(typeof r.platformMessage === 'string' ? { platformMessage: r.platformMessage } : {}),
        },
      };
    }
    return { sentAt };
  } catch {
    return { sentAt: 0 };
  }
}

/**
 * The ledger key of one money-moving request: `mmsp-send:<merchantNo>:<operation>:<orderNo>`, the
 * merchant number and order number percent-encoded. The order number is the one the operation is
 * settled by: `ORDERNO` (payout), `MERORDERID` (micropays, quick pay), `REFUND_MERORDERID` (refund),
 * `LIST_ID` (SMS confirm, whose request carries only it).
 *
 * @example
 * ```ts
 * import { sendLedgerKey } from '@mmsp/client';
 *
 * sendLedgerKey('001440353999853', 'payout.pay', '20261126000001');
 * // → 'mmsp-send:001440353999853:payout.pay:20261126000001'
 * ```
 */
export function sendLedgerKey(merchantNo: string, operation: string, orderNo: string): string {
  return `mmsp-send:${encodeURIComponent(merchantNo)}:${operation}:${encodeURIComponent(orderNo)}`;
}

/** Options of {@link MemorySendLedger}. */
export interface MemorySendLedgerOptions {
  /** How long an entry is kept, in ms (default {@link DEFAULT_SEND_LEDGER_TTL_MS}, 93 days). */
  ttlMs?: number;
  /** The most entries kept; the oldest are forgotten first beyond it (default 100 000). */
  maxEntries?: number;
  /** The clock (ms since the epoch); injectable for tests. Default `Date.now`. */
  now?: () => number;
}

/**
 * The single-process {@link SendLedger}, and the client's default: it answers synchronously, keeps
 * an entry `ttlMs` (93 days by default) and at most `maxEntries` (100 000; the oldest go first). It
 * protects against a repeat within one process only: a restarted process or a second instance does
 * not see it. Behind a load balancer, or when a restart must not forget what was sent, give every
 * instance the same `RedisSendLedger` (`@mmsp/store-redis`) or `PostgresSendLedger`
 * (`@mmsp/store-postgres`).
 *
 * @example
 * ```ts
 * import { MemorySendLedger, createClient, type Transport } from '@mmsp/client';
 *
 * declare const transport: Transport;
 * const client = createClient({
 *   merchantNo: '001440353999853', terminalNo: '84970001', key: 'your-md5-key',
 *   endpoints: { scan: 'https://pay.example.com/scan' }, transport,
 *   sendLedger: new MemorySendLedger({ maxEntries: 1_000_000 }),
 * });
 * ```
 */
export class MemorySendLedger implements SendLedger {
  readonly #entries = new Map<string, { record: SendLedgerRecord; until: number }>();
  readonly #ttlMs: number;
  readonly #max: number;
  readonly #now: () => number;
  constructor(options: MemorySendLedgerOptions = {}) {
    const ttlMs = options.ttlMs ?? DEFAULT_SEND_LEDGER_TTL_MS;
    const max = options.maxEntries ?? 100_000;
    if (!Number.isSafeInteger(ttlMs) || ttlMs <= 0)
      throw new TypeError('MemorySendLedger: ttlMs must be a positive integer number of milliseconds');
    if (!Number.isSafeInteger(max) || max <= 0)
      throw new TypeError('MemorySendLedger: maxEntries must be a positive integer');
    this.#ttlMs = ttlMs;
    this.#max = max;
    this.#now = options.now ?? Date.now;
  }
  /** How many entries are held (expired ones included until they are met or pushed out). */
  get size(): number {
    return this.#entries.size;
  }
  /** Reserves `key` unless it holds an unexpired entry: `undefined` (reserved: send) or the held record. */
  reserve(key: string, record: SendLedgerRecord): SendLedgerRecord | undefined {
    const now = this.#now();
    const held = this.#entries.get(key);
    if (held !== undefined && held.until > now) return copy(held.record);
    this.#set(key, record, now);
    return undefined;
  }
  /** Overwrites `key`'s record, kept `ttlMs` from now. */
  update(key: string, record: SendLedgerRecord): void {
    this.#set(key, record, this.#now());
  }
  /** Deletes `key`. */
  forget(key: string): void {
    this.#entries.delete(key);
  }
  #set(key: string, record: SendLedgerRecord, now: number): void {
    this.#entries.delete(key); // re-inserted last: the Map's order is the age order
    this.#entries.set(key, { record: copy(record), until: now + this.#ttlMs });
    while (this.#entries.size > this.#max) this.#entries.delete(this.#entries.keys().next().value as string);
  }
}

function copy(record: SendLedgerRecord): SendLedgerRecord {
  return { sentAt: record.sentAt, ...(record.refused ? { refused: { ...record.refused } } : {}) };
}

/** Whether `value` looks like a {@link SendLedger} (for the configuration check). */
export function isSendLedger(value: unknown): value is SendLedger {
  const v = value as Record<string, unknown> | null | undefined;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.reserve === 'function' &&
    typeof v.update === 'function' &&
    typeof v.forget === 'function'
  );
}
