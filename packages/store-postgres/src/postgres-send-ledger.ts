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
import { DEFAULT_SEND_LEDGER_TTL_MS, type SendLedger, type SendLedgerRecord } from '@mmsp/client';

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

const IDENT = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

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
  readonly #poolSource: Pool | { url: string; config: Omit<PoolConfig, 'connectionString'> | undefined };
  #pool: Promise<Pool> | undefined;
  readonly #ownsPool: boolean;
  readonly #table: string;
  readonly #tableName: string;
  readonly #createTable: boolean;
  readonly #ttlMs: number;
  #ready: Promise<void> | undefined;

  /**
   * `new PostgresSendLedger({ pool })`, or the connection alone: a `postgres://` URL or a `pg.Pool`.
   * A single `pg.Client` is refused (concurrent reserves would share one session): pass a Pool.
   *
   * @throws TypeError naming the problem: not a `pg.Pool` nor a `postgres://` URL, a single
   *   `pg.Client`, a table name that is not an unquoted SQL identifier, or a bad `ttlMs`.
   */
  constructor(input: PostgresSendLedgerOptions | Pool | string) {
    const options: PostgresSendLedgerOptions = typeof input === 'string' || isPool(input) || isSingleClient(input) ? { pool: input as Pool | string } : ((input ?? {}) as PostgresSendLedgerOptions);
    const problems: string[] = [];
    if (isSingleClient(options.pool)) problems.push('pool: a single pg.Client is not supported (concurrent reserves would share one session); pass a pg.Pool or a postgres:// URL');
    else if (!isPostgresUrl(options.pool) && !isPool(options.pool)) problems.push('pool: must be a pg.Pool (new pg.Pool(...)) or a postgres:// / postgresql:// URL string');
    const tableName = options.table ?? 'mmsp_send_ledger';
    const parts = tableName.split('.');
    if (parts.length > 2 || !parts.every((p) => IDENT.test(p))) problems.push('table: must be an unquoted SQL identifier (letters, digits, _), optionally schema.table');
    const ttlMs = options.ttlMs ?? DEFAULT_SEND_LEDGER_TTL_MS;
    if (!Number.isSafeInteger(ttlMs) || ttlMs <= 0) problems.push('ttlMs: must be a positive integer number of milliseconds');
    if (problems.length > 0) throw new TypeError(`PostgresSendLedger: ${problems.join('; ')}`);
    this.#ownsPool = typeof options.pool === 'string';
    this.#poolSource = typeof options.pool === 'string' ? { url: options.pool, config: options.poolConfig } : options.pool;
    this.#tableName = tableName;
    this.#table = parts.map((p) => `"${p}"`).join('.');
    this.#createTable = options.createTable ?? true;
    this.#ttlMs = ttlMs;
  }

  /** The DDL this ledger runs on first use (for migrations that own the schema). */
  get createTableSql(): string {
    return `CREATE TABLE IF NOT EXISTS ${this.#table} (
  key text PRIMARY KEY,
  record text NOT NULL,
  expires_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
)`;
  }

  /** `undefined` when this call reserved `key` (send), else the record held (query). */
  async reserve(key: string, record: SendLedgerRecord): Promise<SendLedgerRecord | undefined> {
    await this.#ensureTable();
    const pool = await this.#getPool();
    for (let attempt = 0; attempt < 3; attempt++) {
      const taken = await pool.query(
        `INSERT INTO ${this.#table} AS l (key, record, expires_at) VALUES ($1, $2, now() + ($3::bigint * interval '1 millisecond'))
         ON CONFLICT (key) DO UPDATE SET record = EXCLUDED.record, expires_at = EXCLUDED.expires_at, created_at = now()
         WHERE l.expires_at <= now()`,
        [key, JSON.stringify(record), this.#ttlMs],
      );
      if (taken.rowCount === 1) return undefined;
      const held = await pool.query<{ record: string }>(`SELECT record FROM ${this.#table} WHERE key = $1 AND expires_at > now()`, [key]);
      if (held.rows[0] !== undefined) return parseRecord(held.rows[0].record);
      // The row was forgotten or expired between our statements: try again.
    }
    return { sentAt: record.sentAt }; // could not take it nor read it: do not send
  }

  /** Overwrites `key`'s record, kept `ttlMs` from now. */
  async update(key: string, record: SendLedgerRecord): Promise<void> {
    await this.#ensureTable();
    await (await this.#getPool()).query(
      `INSERT INTO ${this.#table} (key, record, expires_at) VALUES ($1, $2, now() + ($3::bigint * interval '1 millisecond'))
       ON CONFLICT (key) DO UPDATE SET record = EXCLUDED.record, expires_at = EXCLUDED.expires_at`,
      [key, JSON.stringify(record), this.#ttlMs],
    );
  }

  /** Deletes `key`. */
  async forget(key: string): Promise<void> {
    await this.#ensureTable();
    await (await this.#getPool()).query(`DELETE FROM ${this.#table} WHERE key = $1`, [key]);
  }

  /** Deletes expired rows; returns how many. */
  async prune(): Promise<number> {
    await this.#ensureTable();
    const result = await (await this.#getPool()).query(`DELETE FROM ${this.#table} WHERE expires_at <= now()`);
    return result.rowCount ?? 0;
  }

  /** Ends the pool if this ledger created it from a URL; a pool passed in stays open. */
  async close(): Promise<void> {
    if (this.#ownsPool && this.#pool) await (await this.#pool).end();
  }

  /** What logs and `JSON.stringify` show: the kind, the table and `ttlMs`, never the connection. */
  toJSON(): object {
    return { ledger: 'postgres', table: this.#tableName, ttlMs: this.#ttlMs };
  }

  #getPool(): Promise<Pool> {
    if (this.#pool) return this.#pool;
    const source = this.#poolSource;
    if (isPool(source)) return (this.#pool = Promise.resolve(source));
    // Loaded on first use: importing this package never loads the driver.
    this.#pool = import('pg').then((mod) => {
      const pg = (mod as unknown as { default?: typeof mod }).default ?? mod;
      return new pg.Pool({ ...source.config, connectionString: source.url });
    });
    return this.#pool;
  }

  #ensureTable(): Promise<void> {
    if (!this.#createTable) return Promise.resolve();
    this.#ready ??= this.#runCreateTable().catch((error: unknown) => {
      this.#ready = undefined; // let the next call try again (database briefly down)
      throw error;
    });
    return this.#ready;
  }

  async #runCreateTable(): Promise<void> {
    const client = await (await this.#getPool()).connect();
    try {
      await client.query('BEGIN');
      // Serialise concurrent creators: CREATE TABLE IF NOT EXISTS alone can fail with 23505.
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`mmsp-store:${this.#tableName}`]);
      await client.query(this.createTableSql);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
}

/** A held value that is not a record (written by something else) still means "held": never send. */
function parseRecord(text: string): SendLedgerRecord {
  try {
    const v = JSON.parse(text) as Partial<SendLedgerRecord> | null;
    const sentAt = typeof v?.sentAt === 'number' ? v.sentAt : 0;
    const r = v?.refused;
    if (r && typeof r === 'object' && typeof r.platformCode === 'string') {
      return { sentAt, refused: { platformCode: r.platformCode, ...(typeof r.meaning === 'string' ? { meaning: r.meaning } : {}), ...(typeof r.platformMessage === 'string' ? { platformMessage: r.platformMessage } : {}) } };
    }
    return { sentAt };
  } catch {
    return { sentAt: 0 };
  }
}

function isPostgresUrl(value: unknown): value is string {
  return typeof value === 'string' && /^postgres(ql)?:\/\//i.test(value);
}

/** A `pg.Client` has `connect`/`query`/`end` like a Pool but no pool counters. */
function isSingleClient(value: unknown): boolean {
  const v = value as Record<string, unknown> | null | undefined;
  return typeof v === 'object' && v !== null && typeof v.query === 'function' && typeof v.connect === 'function' && !('totalCount' in v) && !('idleCount' in v);
}

function isPool(value: unknown): value is Pool {
  const v = value as Pool | null | undefined;
  return typeof v === 'object' && v !== null && typeof v.query === 'function' && typeof v.connect === 'function' && typeof v.end === 'function' && !isSingleClient(v);
}
