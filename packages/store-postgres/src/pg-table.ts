/**
 * What both PostgreSQL-backed classes of this package share: the connection (a `pg.Pool` of the
 * application's, or one made from a `postgres://` URL with `pg` loaded on first use), the table's
 * name checked and quoted, and the table created once on first use with `CREATE TABLE IF NOT EXISTS`
 * under a transaction-scoped advisory lock (two instances starting at once would otherwise race on
 * the catalog: 23505).
 */
import type { Pool, PoolConfig } from 'pg';

const IDENT = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/** Why `value` cannot be the `pool` option (`what` says why a single client is refused), or `undefined`. */
export function poolProblem(value: unknown, sharedSession: string): string | undefined {
  if (isSingleClient(value))
    return `pool: a single pg.Client is not supported (${sharedSession}); pass a pg.Pool or a postgres:// URL`;
  if (!isPostgresUrl(value) && !isPool(value))
    return 'pool: must be a pg.Pool (new pg.Pool(...)) or a postgres:// / postgresql:// URL string';
  return undefined;
}

/** Why `name` cannot be the table (an unquoted identifier, optionally `schema.table`), or `undefined`. */
export function tableProblem(name: string): string | undefined {
  const parts = name.split('.');
  return parts.length > 2 || !parts.every((p) => IDENT.test(p))
    ? 'table: must be an unquoted SQL identifier (letters, digits, _), optionally schema.table'
    : undefined;
}

/** One table of this package: its connection, its quoted name, its creation on first use. */
export class PgTable {
  readonly #source: Pool | { url: string; config: Omit<PoolConfig, 'connectionString'> | undefined };
  readonly #ownsPool: boolean;
  readonly #create: boolean;
  readonly #ddl: (quoted: string) => string;
  #pool: Promise<Pool> | undefined;
  #ready: Promise<void> | undefined;
  /** The name as given (`billing.mmsp_notifications`), for logs. */
  readonly name: string;
  /** The name quoted for SQL (`"billing"."mmsp_notifications"`); checked by `tableProblem` first. */
  readonly sql: string;

  constructor(options: {
    pool: Pool | string;
    poolConfig?: Omit<PoolConfig, 'connectionString'> | undefined;
    name: string;
    createTable: boolean;
    ddl: (quoted: string) => string;
  }) {
    this.#ownsPool = typeof options.pool === 'string';
    this.#source = typeof options.pool === 'string' ? { url: options.pool, config: options.poolConfig } : options.pool;
    this.#create = options.createTable;
    this.#ddl = options.ddl;
    this.name = options.name;
    this.sql = options.name
      .split('.')
      .map((p) => `"${p}"`)
      .join('.');
  }

  /** The DDL run on first use. */
  get createTableSql(): string {
    return this.#ddl(this.sql);
  }

  /** The pool, the table created first (unless `createTable: false`). */
  async pool(): Promise<Pool> {
    await this.#ensureTable();
    return this.#getPool();
  }

  /** Ends the pool if it was made from a URL; a pool passed in stays open. */
  async close(): Promise<void> {
    if (this.#ownsPool && this.#pool) await (await this.#pool).end();
  }

  #getPool(): Promise<Pool> {
    if (this.#pool) return this.#pool;
    const source = this.#source;
    if (isPool(source)) return (this.#pool = Promise.resolve(source));
    // Loaded on first use: importing this package never loads the driver.
    this.#pool = import('pg').then((mod) => {
      const pg = (mod as unknown as { default?: typeof mod }).default ?? mod;
      return new pg.Pool({ ...source.config, connectionString: source.url });
    });
    return this.#pool;
  }

  #ensureTable(): Promise<void> {
    if (!this.#create) return Promise.resolve();
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
      // Serialise concurrent creators: CREATE TABLE IF NOT EXISTS alone can fail with 23505 when two
      // sessions create the same table at the same instant.
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`mmsp-store:${this.name}`]);
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

/** A `postgres://` or `postgresql://` URL. */
export function isPostgresUrl(value: unknown): value is string {
  return typeof value === 'string' && /^postgres(ql)?:\/\//i.test(value);
}

/** A `pg.Client` has `connect`/`query`/`end` like a Pool but no pool counters. */
export function isSingleClient(value: unknown): boolean {
  const v = value as Record<string, unknown> | null | undefined;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.query === 'function' &&
    typeof v.connect === 'function' &&
    !('totalCount' in v) &&
    !('idleCount' in v)
  );
}

/** A `pg.Pool` (duck-typed: the application may use another copy of `pg`). */
export function isPool(value: unknown): value is Pool {
  const v = value as Pool | null | undefined;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.query === 'function' &&
    typeof v.connect === 'function' &&
    typeof v.end === 'function' &&
    !isSingleClient(v)
  );
}
