/**
 * A `SendLedger` on PostgreSQL (issue #13 item 4): the money-moving requests every instance of the
 * merchant's application sent, so that none is sent twice — by another instance, or after a restart.
 *
 * One row per request: `(key, record, expires_at, created_at)`; every time is the database's
 * (`now()`), so instances with skewed clocks agree.
 * - reserve = `INSERT … ON CONFLICT (key) DO UPDATE … WHERE expires_at <= now()` — atomic: a fresh
 *             or expired key is taken by exactly one of two racing instances (the row lock decides);
 *             the others read what is held and query;
 * - update  = upsert of the record with a new expiry (a refusal: a repeat answers it);
 * - forget  = `DELETE` (the request never left).
 * Rows live `ttlMs` (default 93 days: the platform answers queries about orders of the last 3
 * months, PROTOCOL §7.5); `prune()` deletes expired rows.
 */
import type { Pool, PoolConfig } from 'pg';
import { DEFAULT_SEND_LEDGER_TTL_MS, readSendLedgerRecord, type SendLedger, type SendLedgerRecord } from '@mmsp/client';
import { isPool, isSingleClient, PgTable, poolProblem, tableProblem } from './pg-table.js';

/** Options of {@link PostgresSendLedger}: the connection, the table, whether to create it, the entries' lifetime. */
export interface PostgresSendLedgerOptions {
  /** A `pg.Pool` (shared with the application; not closed by `close()`), or a `postgres://` URL. */
  pool: Pool | string;
  /** Extra pool settings when `pool` is a URL (e.g. `max`, `ssl`). */
  poolConfig?: Omit<PoolConfig, 'connectionString'>;
  /** Table name, default `mmsp_send_ledger`; optionally schema-qualified (`billing.mmsp_send_ledger`). */
  table?: string;
  /** Create the table on first use (default true). Set false when migrations own the schema. */
  createTable?: boolean;
  /** How long an entry is kept, in ms (default 93 days, `DEFAULT_SEND_LEDGER_TTL_MS`). */
  ttlMs?: number;
}

/**
 * A `SendLedger` on PostgreSQL, for a merchant whose application runs as several instances or must
 * not forget across a restart what it sent (issue #13): give the same ledger to every client
 * (`createClient({ …, sendLedger })`, `createNodeClient`, `MmspModule`). A payout, micropay,
 * quick-pay payment or confirm, or refund whose order number it holds is never sent again: the
 * client queries it and answers with the platform's outcome.
 *
 * One row per request, `(key, record, expires_at, created_at)`, every time from the database clock:
 * - reserve = `INSERT … ON CONFLICT (key) DO UPDATE … WHERE expires_at <= now()`: atomic, so of two
 *   instances racing on one order number exactly one sends; the others read what is held and query;
 * - update = upsert of the record with a new expiry (a refusal, answered to any repeat);
 * - forget = `DELETE` (the transport knows the request never left).
 *
 * Rows live `ttlMs` (default 93 days, a little over the 3 months of orders the platform's queries
 * cover); {@link PostgresSendLedger.prune} deletes expired ones. The table is created on first use
 * (`CREATE TABLE IF NOT EXISTS` under a transaction-scoped advisory lock) unless
 * `createTable: false`; then run {@link PostgresSendLedger.createTableSql} in your migrations.
 *
 * @example
 * ```ts
 * import { createNodeClient } from '@mmsp/http-node';
 * import { PostgresSendLedger } from '@mmsp/store-postgres';
 *
 * const sendLedger = new PostgresSendLedger({ pool: process.env.DATABASE_URL ?? 'postgres://localhost/shop' });
 * const mmsp = createNodeClient({
 *   merchantNo: '001440353999853', terminalNo: '84970001', key: process.env.MMSP_KEY!,
 *   endpoints: { payout: 'https://pay.example.com/payout' },
 *   sendLedger, // every instance shares it: a payout is sent once, whoever retries it
 * });
 * setInterval(() => void sendLedger.prune(), 24 * 3600_000); // expired rows
 * // on shutdown: await sendLedger.close();
 * ```
 */
export class PostgresSendLedger implements SendLedger {
  readonly #t: PgTable;
  readonly #ttlMs: number;

  /**
   * `new PostgresSendLedger({ pool })`, or the connection alone: a `postgres://` URL or a `pg.Pool`.
   * A single `pg.Client` is refused (concurrent reserves would share one session): pass a Pool.
   *
   * @throws TypeError naming the problem: not a `pg.Pool` nor a `postgres://` URL, a single
   *   `pg.Client`, a table name that is not an unquoted SQL identifier, or a bad `ttlMs`.
   */
  constructor(input: PostgresSendLedgerOptions | Pool | string) {
    const options: PostgresSendLedgerOptions =
      typeof input === 'string' || isPool(input) || isSingleClient(input)
        ? { pool: input as Pool | string }
        : ((input ?? {}) as PostgresSendLedgerOptions);
    const problems: string[] = [];
    const connection = poolProblem(options.pool, 'concurrent reserves would share one session');
    if (connection !== undefined) problems.push(connection);
    const tableName = options.table ?? 'mmsp_send_ledger';
    const table = tableProblem(tableName);
    if (table !== undefined) problems.push(table);
    const ttlMs = options.ttlMs ?? DEFAULT_SEND_LEDGER_TTL_MS;
    if (!Number.isSafeInteger(ttlMs) || ttlMs <= 0)
      problems.push('ttlMs: must be a positive integer number of milliseconds');
    if (problems.length > 0) throw new TypeError(`PostgresSendLedger: ${problems.join('; ')}`);
    this.#t = new PgTable({
      pool: options.pool,
      poolConfig: options.poolConfig,
      name: tableName,
      createTable: options.createTable ?? true,
      ddl: ledgerDdl,
    });
    this.#ttlMs = ttlMs;
  }

  /** The DDL this ledger runs on first use (for migrations that own the schema). */
  get createTableSql(): string {
    return this.#t.createTableSql;
  }

  /** `undefined` when this call reserved `key` (send), else the record held (query). */
  async reserve(key: string, record: SendLedgerRecord): Promise<SendLedgerRecord | undefined> {
    const pool = await this.#t.pool();
    for (let attempt = 0; attempt < 3; attempt++) {
      const taken = await pool.query(
        `INSERT INTO ${this.#t.sql} AS l (key, record, expires_at) VALUES ($1, $2, now() + ($3::bigint * interval '1 millisecond'))
         ON CONFLICT (key) DO UPDATE SET record = EXCLUDED.record, expires_at = EXCLUDED.expires_at, created_at = now()
         WHERE l.expires_at <= now()`,
        [key, JSON.stringify(record), this.#ttlMs],
      );
      if (taken.rowCount === 1) return undefined;
      const held = await pool.query<{ record: string }>(
        `SELECT record FROM ${this.#t.sql} WHERE key = $1 AND expires_at > now()`,
        [key],
      );
      if (held.rows[0] !== undefined) return readSendLedgerRecord(held.rows[0].record);
      // The row was forgotten or expired between our statements: try again.
    }
    return { sentAt: record.sentAt }; // could not take it nor read it: do not send
  }

  /** Overwrites `key`'s record, kept `ttlMs` from now. */
  async update(key: string, record: SendLedgerRecord): Promise<void> {
    const pool = await this.#t.pool();
    await pool.query(
      `INSERT INTO ${this.#t.sql} (key, record, expires_at) VALUES ($1, $2, now() + ($3::bigint * interval '1 millisecond'))
       ON CONFLICT (key) DO UPDATE SET record = EXCLUDED.record, expires_at = EXCLUDED.expires_at`,
      [key, JSON.stringify(record), this.#ttlMs],
    );
  }

  /** Deletes `key`. */
  async forget(key: string): Promise<void> {
    const pool = await this.#t.pool();
    await pool.query(`DELETE FROM ${this.#t.sql} WHERE key = $1`, [key]);
  }

  /** Deletes expired rows; returns how many. */
  async prune(): Promise<number> {
    const pool = await this.#t.pool();
    const result = await pool.query(`DELETE FROM ${this.#t.sql} WHERE expires_at <= now()`);
    return result.rowCount ?? 0;
  }

  /** Ends the pool if this ledger created it from a URL; a pool passed in stays open. */
  async close(): Promise<void> {
    await this.#t.close();
  }

  /** What logs and `JSON.stringify` show: the kind, the table and `ttlMs`, never the connection. */
  toJSON(): object {
    return { ledger: 'postgres', table: this.#t.name, ttlMs: this.#ttlMs };
  }
}

/** The ledger table: one row per money-moving request. */
function ledgerDdl(table: string): string {
  return `CREATE TABLE IF NOT EXISTS ${table} (
  key text PRIMARY KEY,
  record text NOT NULL,
  expires_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
)`;
}
