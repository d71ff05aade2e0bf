/**
 * A `NotificationStore` on PostgreSQL, for receivers running as several instances (PROTOCOL §5: the
 * platform retries until it reads SUCCESS, so one notification may reach two instances at once).
 *
 * One row per notification id: `(id, claim_token, claimed_until, done, done_at, created_at)`.
 * All times come from the database clock (`now()`), so instances with skewed clocks agree.
 * - claim   = `INSERT … ON CONFLICT (id) DO NOTHING` (first delivery), else one atomic
 *             `UPDATE … WHERE claimed_until < now() AND NOT done` (take over an expired claim);
 *             if neither wrote a row, the row is `done` or someone holds a live claim (`busy`).
 * - extend  = `UPDATE … SET claimed_until = now() + ttl WHERE claim_token = $token AND NOT done`.
 * - commit  = `UPDATE … SET done = true WHERE claim_token = $token AND NOT done` (kept until
 *             `prune()` removes it).
 * - release = delete the row only if it still holds the caller's claim token and is not done.
 * The token comes from the caller (one per claim), so an instance whose claim expired and was taken
 * over can neither prolong, nor mark done, nor delete the new holder's claim (fencing).
 * The table is created on first use with `CREATE TABLE IF NOT EXISTS` under a transaction-scoped
 * advisory lock: two instances starting at once would otherwise race on the catalog (23505).
 */
import type { Pool, PoolConfig } from 'pg';
import type { ClaimResult, NotificationStore } from '@mmsp/client';
import { isPool, isSingleClient, PgTable, poolProblem, tableProblem } from './pg-table.js';

/** Options of {@link PostgresNotificationStore}: the connection, the table and whether to create it. */
export interface PostgresNotificationStoreOptions {
  /**
   * A `pg.Pool` (shared with the application; not closed by `close()`), or a `postgres://` URL
   * (then `pg` is loaded on first use and a pool made with `poolConfig`).
   */
  pool: Pool | string;
  /** Extra pool settings when `pool` is a URL (e.g. `max`, `ssl`). */
  poolConfig?: Omit<PoolConfig, 'connectionString'>;
  /** Table name, default `mmsp_notifications`; optionally schema-qualified (`billing.mmsp_notifications`). */
  table?: string;
  /** Create the table on first use (default true). Set false when migrations own the schema. */
  createTable?: boolean;
}

/**
 * A `NotificationStore` on PostgreSQL, for receivers running as several instances (PROTOCOL §5: the
 * platform retries until it reads `SUCCESS`, so one notification may arrive twice, late, or at two
 * instances at once). Give it to any receiver's `store` option (`@mmsp/http-node`,
 * `@mmsp/nestjs-module`): the `onPaid` handler then runs once per notification across all instances.
 *
 * One row per notification id, `(id, claim_token, claimed_until, done, done_at, created_at)`; every
 * time comes from the database clock (`now()`), so instances with skewed clocks agree.
 * - claim = `INSERT … ON CONFLICT (id) DO NOTHING` (first delivery), else one atomic
 *   `UPDATE … WHERE claimed_until < now() AND NOT done` (take over an expired claim); if neither
 *   wrote a row, the row is done or someone holds a live claim (`busy`);
 * - extend = `UPDATE … SET claimed_until = now() + ttl` where the row still holds the caller's claim
 *   token and is not done (the receiver extends every `claimTtlMs / 3` while the handler runs);
 * - commit = `UPDATE … SET done = true` where the row still holds the caller's claim token (kept
 *   until {@link PostgresNotificationStore.prune} removes it);
 * - release = delete the row only if it still holds the caller's claim token and is not done.
 *
 * The claims are fenced: an instance whose claim expired and was taken over can neither prolong,
 * nor mark done, nor delete the new holder's claim.
 *
 * The table is created on first use (`CREATE TABLE IF NOT EXISTS` under a transaction-scoped
 * advisory lock, so two instances starting at once do not race), unless `createTable: false`; then
 * run {@link PostgresNotificationStore.createTableSql} in your migrations. The `pg` driver is loaded
 * on first use when a URL is given.
 *
 * @example
 * ```ts
 * import { createNotificationHandler } from '@mmsp/http-node';
 * import { PostgresNotificationStore } from '@mmsp/store-postgres';
 *
 * const store = new PostgresNotificationStore({ pool: process.env.DATABASE_URL ?? 'postgres://localhost/shop' });
 * const handler = createNotificationHandler({
 *   key: process.env.MMSP_KEY!,
 *   store, // every instance shares it: onPaid runs once per notification
 *   onPaid: async (event) => console.log('paid', event.merchantOrderId, event.amount),
 * });
 * setInterval(() => void store.prune(), 24 * 3600_000); // done rows older than 30 days
 * // on shutdown: await store.close();
 * ```
 */
export class PostgresNotificationStore implements NotificationStore {
  readonly #t: PgTable;

  /**
   * `new PostgresNotificationStore({ pool })`, or the connection alone: a `postgres://` URL or a
   * `pg.Pool`. `connectionString`, `url` and `client` are accepted for `pool`. A single `pg.Client`
   * is refused (claims from concurrent notifications would share one session): pass a Pool.
   *
   * @throws TypeError naming the problem: not a `pg.Pool` nor a `postgres://` URL, a single
   *   `pg.Client`, or a table name that is not an unquoted SQL identifier (optionally `schema.table`).
   */
  constructor(input: PostgresNotificationStoreOptions | Pool | string) {
    const options = normalize(input);
    const problems: string[] = [];
    const connection = poolProblem(options?.pool, 'concurrent claims would share one session');
    if (connection !== undefined) problems.push(connection);
    const tableName = options?.table ?? 'mmsp_notifications';
    const table = tableProblem(tableName);
    if (table !== undefined) problems.push(table);
    if (problems.length > 0) throw new TypeError(`PostgresNotificationStore: ${problems.join('; ')}`);
    this.#t = new PgTable({
      pool: options.pool,
      poolConfig: options.poolConfig,
      name: tableName,
      createTable: options.createTable ?? true,
      ddl: notificationsDdl,
    });
  }

  /** The DDL this store runs on first use (for migrations that own the schema). */
  get createTableSql(): string {
    return this.#t.createTableSql;
  }

  /**
   * Claims notification `id` for `token` for `ttlMs` ms: `'claimed'` (run the handler, then commit
   * or release with the same token), `'done'` (handled before: answer `SUCCESS`) or `'busy'`
   * (another delivery holds a live claim).
   */
  async claim(id: string, token: string, ttlMs: number): Promise<ClaimResult> {
    assertTtl(ttlMs);
    const pool = await this.#t.pool();
    const until = `now() + ($3::bigint * interval '1 millisecond')`;
    for (let attempt = 0; attempt < 3; attempt++) {
      const inserted = await pool.query(
        `INSERT INTO ${this.#t.sql} (id, claim_token, claimed_until) VALUES ($1, $2, ${until})
         ON CONFLICT (id) DO NOTHING`,
        [id, token, ttlMs],
      );
      if (inserted.rowCount === 1) return 'claimed';
      const reclaimed = await pool.query(
        `UPDATE ${this.#t.sql} SET claim_token = $2, claimed_until = ${until}
         WHERE id = $1 AND NOT done AND (claimed_until IS NULL OR claimed_until < now())`,
        [id, token, ttlMs],
      );
      if (reclaimed.rowCount === 1) return 'claimed';
      const row = await pool.query<{ done: boolean }>(`SELECT done FROM ${this.#t.sql} WHERE id = $1`, [id]);
      const found = row.rows[0];
      if (found?.done) return 'done';
      if (found) return 'busy';
      // The row vanished between our statements (its owner released it): try again.
    }
    return 'busy';
  }

  /**
   * Makes `token`'s claim on `id` last `ttlMs` from now (database clock); `false` (nothing changed)
   * if `token` no longer holds it. A claim that expired but was not taken over still holds: no
   * other delivery can have run the handler since, so extending it is safe.
   */
  async extend(id: string, token: string, ttlMs: number): Promise<boolean> {
    assertTtl(ttlMs);
    const pool = await this.#t.pool();
    const result = await pool.query(
      `UPDATE ${this.#t.sql} SET claimed_until = now() + ($3::bigint * interval '1 millisecond')
       WHERE id = $1 AND claim_token = $2 AND NOT done`,
      [id, token, ttlMs],
    );
    return result.rowCount === 1;
  }

  /** Marks `id` handled for good (until {@link PostgresNotificationStore.prune}) if `token` still holds its claim; `false` (nothing changed) otherwise. */
  async commit(id: string, token: string): Promise<boolean> {
    const pool = await this.#t.pool();
    const result = await pool.query(
      `UPDATE ${this.#t.sql} SET done = true, done_at = now(), claim_token = NULL, claimed_until = NULL
       WHERE id = $1 AND claim_token = $2 AND NOT done`,
      [id, token],
    );
    return result.rowCount === 1;
  }

  /** Gives up `token`'s claim on `id` (the handler threw or timed out), so the next delivery may claim at once; anyone else's claim is left alone. */
  async release(id: string, token: string): Promise<void> {
    const pool = await this.#t.pool();
    await pool.query(`DELETE FROM ${this.#t.sql} WHERE id = $1 AND claim_token = $2 AND NOT done`, [id, token]);
  }

  /** Deletes done rows older than `olderThanMs` (default 30 days) and expired claims; returns the count. */
  async prune(options: { olderThanMs?: number } = {}): Promise<number> {
    const olderThanMs = options.olderThanMs ?? 30 * 24 * 60 * 60 * 1000;
    assertTtl(olderThanMs);
    const pool = await this.#t.pool();
    const result = await pool.query(
      `DELETE FROM ${this.#t.sql}
       WHERE (done AND done_at < now() - ($1::bigint * interval '1 millisecond'))
          OR (NOT done AND claimed_until < now())`,
      [olderThanMs],
    );
    return result.rowCount ?? 0;
  }

  /** Ends the pool if this store created it from a URL; a pool passed in stays open. */
  async close(): Promise<void> {
    await this.#t.close();
  }

  /** What logs and `JSON.stringify` show: the kind and the table, never the connection. */
  toJSON(): object {
    return { store: 'postgres', table: this.#t.name };
  }
}

/** The notifications table: one row per notification id. */
function notificationsDdl(table: string): string {
  return `CREATE TABLE IF NOT EXISTS ${table} (
  id text PRIMARY KEY,
  claim_token text,
  claimed_until timestamptz,
  done boolean NOT NULL DEFAULT false,
  done_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
)`;
}

/**
 * Convenience factory: `new` {@link PostgresNotificationStore}`(options)`.
 *
 * @example
 * ```ts
 * import pg from 'pg';
 * import { createPostgresNotificationStore } from '@mmsp/store-postgres';
 *
 * const shared = createPostgresNotificationStore(new pg.Pool()); // the application's pool: close() leaves it open
 * const own = createPostgresNotificationStore({ pool: 'postgres://localhost/shop', table: 'billing.mmsp_notifications' });
 * ```
 */
export function createPostgresNotificationStore(
  options: PostgresNotificationStoreOptions | Pool | string,
): PostgresNotificationStore {
  return new PostgresNotificationStore(options);
}

/** The forms a stranger guesses: a URL, a pool, `{ pool }`, `{ connectionString }`, `{ url }`, `{ client }`. */
function normalize(input: PostgresNotificationStoreOptions | Pool | string): PostgresNotificationStoreOptions {
  if (typeof input === 'string' || isPool(input) || isSingleClient(input)) return { pool: input as Pool | string };
  const o = (input ?? {}) as PostgresNotificationStoreOptions & {
    connectionString?: string;
    url?: string;
    client?: Pool;
  };
  if (o.pool === undefined) {
    const alt = o.connectionString ?? o.url ?? o.client;
    if (alt !== undefined) return { ...o, pool: alt };
  }
  return o;
}

function assertTtl(ms: number): void {
  if (!Number.isSafeInteger(ms) || ms <= 0) {
    throw new TypeError('ttlMs: must be a positive integer number of milliseconds');
  }
}
