/**
 * The shop's state in SQLite (better-sqlite3 12: 13 needs Node 22), so a restart loses nothing:
 * orders, refunds, payouts and the activity log. Card data is never stored (masked number only).
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

export type OrderState = 'created' | 'pending' | 'paying' | 'paid' | 'failed' | 'refunded' | 'closed';

export interface OrderRow {
  id: string;
  family: 'scan' | 'quickPay' | 'gateway';
  method: string;
  product: string;
  goodsName: string;
  amount: string;
  state: OrderState;
  platformOrderId: string | null;
  payUrl: string | null;
  /** Amount refunded so far (fen). */
  refunded: string;
  /** How the state was learnt: 'response', 'notification', 'query', 'browser return' (never proof). */
  stateSource: string | null;
  message: string | null;
  /** JSON: method-specific details (masked card, bank code, browser return claim, notification count). */
  detail: string;
  createdAt: number;
  updatedAt: number;
}

export interface PayoutRow {
  orderNo: string;
  amount: string;
  accName: string;
  accNoMasked: string;
  state: string;
  payState: string | null;
  message: string | null;
  platformOrderNo: string | null;
  createdAt: number;
  updatedAt: number;
}

export interface LogRow {
  id: number;
  at: number;
  kind: 'request' | 'response' | 'notification' | 'error' | 'browser';
  title: string;
  operation: string | null;
  orderId: string | null;
  signingString: string | null;
  signature: string | null;
  text: string | null;
}

export class ShopDb {
  readonly db: Database.Database;

  constructor(readonly path: string) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS orders (
        id TEXT PRIMARY KEY, family TEXT NOT NULL, method TEXT NOT NULL, product TEXT NOT NULL, goodsName TEXT NOT NULL,
        amount TEXT NOT NULL, state TEXT NOT NULL, platformOrderId TEXT, payUrl TEXT, refunded TEXT NOT NULL DEFAULT '0',
        stateSource TEXT, message TEXT, detail TEXT NOT NULL DEFAULT '{}', createdAt INTEGER NOT NULL, updatedAt INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS refunds (
        id TEXT PRIMARY KEY, orderId TEXT NOT NULL, amount TEXT NOT NULL, state TEXT NOT NULL, platformRefundNo TEXT, createdAt INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS payouts (
        orderNo TEXT PRIMARY KEY, amount TEXT NOT NULL, accName TEXT NOT NULL, accNoMasked TEXT NOT NULL, state TEXT NOT NULL,
        payState TEXT, message TEXT, platformOrderNo TEXT, createdAt INTEGER NOT NULL, updatedAt INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS log (
        id INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, kind TEXT NOT NULL, title TEXT NOT NULL, operation TEXT,
        orderId TEXT, signingString TEXT, signature TEXT, text TEXT);
    `);
  }

  close(): void {
    this.db.close();
  }

  insertOrder(
    o: Omit<OrderRow, 'createdAt' | 'updatedAt' | 'refunded' | 'stateSource' | 'message'> &
      Partial<Pick<OrderRow, 'stateSource' | 'message'>>,
  ): OrderRow {
    const now = Date.now();
    this.db
      .prepare(
        `INSERT INTO orders (id, family, method, product, goodsName, amount, state, platformOrderId, payUrl, stateSource, message, detail, createdAt, updatedAt)
        VALUES (@id, @family, @method, @product, @goodsName, @amount, @state, @platformOrderId, @payUrl, @stateSource, @message, @detail, @now, @now)`,
      )
      .run({ stateSource: null, message: null, ...o, now });
    return this.order(o.id)!;
  }

  order(id: string): OrderRow | undefined {
    return this.db.prepare('SELECT * FROM orders WHERE id = ?').get(id) as OrderRow | undefined;
  }

  orders(limit = 200): OrderRow[] {
    return this.db.prepare('SELECT * FROM orders ORDER BY createdAt DESC, id DESC LIMIT ?').all(limit) as OrderRow[];
  }

  updateOrder(id: string, patch: Partial<Omit<OrderRow, 'id' | 'createdAt'>>): OrderRow | undefined {
    const keys = Object.keys(patch).filter((k) => (patch as Record<string, unknown>)[k] !== undefined);
    if (keys.length > 0) {
      this.db
        .prepare(
          `UPDATE orders SET ${keys.map((k) => `${k} = @${k}`).join(', ')}, updatedAt = @updatedAt WHERE id = @id`,
        )
        .run({ ...patch, id, updatedAt: Date.now() });
    }
    return this.order(id);
  }

  detail(order: OrderRow): Record<string, unknown> {
    try {
      return JSON.parse(order.detail) as Record<string, unknown>;
    } catch {
      return {};
    }
  }

  mergeDetail(id: string, extra: Record<string, unknown>): void {
    const order = this.order(id);
    if (!order) return;
    this.updateOrder(id, { detail: JSON.stringify({ ...this.detail(order), ...extra }) });
  }

  insertRefund(r: {
    id: string;
    orderId: string;
    amount: string;
    state: string;
    platformRefundNo: string | null;
  }): void {
    this.db
      .prepare(
        'INSERT INTO refunds (id, orderId, amount, state, platformRefundNo, createdAt) VALUES (@id, @orderId, @amount, @state, @platformRefundNo, @now)',
      )
      .run({ ...r, now: Date.now() });
  }

  refunds(
    orderId: string,
  ): { id: string; amount: string; state: string; platformRefundNo: string | null; createdAt: number }[] {
    return this.db.prepare('SELECT * FROM refunds WHERE orderId = ? ORDER BY createdAt').all(orderId) as never;
  }

  insertPayout(p: Omit<PayoutRow, 'createdAt' | 'updatedAt'>): void {
    const now = Date.now();
    this.db
      .prepare(
        `INSERT INTO payouts (orderNo, amount, accName, accNoMasked, state, payState, message, platformOrderNo, createdAt, updatedAt)
      VALUES (@orderNo, @amount, @accName, @accNoMasked, @state, @payState, @message, @platformOrderNo, @now, @now)`,
      )
      .run({ ...p, now });
  }

  payout(orderNo: string): PayoutRow | undefined {
    return this.db.prepare('SELECT * FROM payouts WHERE orderNo = ?').get(orderNo) as PayoutRow | undefined;
  }

  payouts(limit = 100): PayoutRow[] {
    return this.db.prepare('SELECT * FROM payouts ORDER BY createdAt DESC LIMIT ?').all(limit) as PayoutRow[];
  }

  updatePayout(orderNo: string, patch: Partial<Omit<PayoutRow, 'orderNo' | 'createdAt'>>): void {
    const keys = Object.keys(patch).filter((k) => (patch as Record<string, unknown>)[k] !== undefined);
    if (keys.length === 0) return;
    this.db
      .prepare(
        `UPDATE payouts SET ${keys.map((k) => `${k} = @${k}`).join(', ')}, updatedAt = @updatedAt WHERE orderNo = @orderNo`,
      )
      .run({ ...patch, orderNo, updatedAt: Date.now() });
  }

  /** Versions the pages compare with what they were rendered with, to reload when something changed. */
  orderVersion(o: OrderRow): string {
    return `${o.state}:${o.updatedAt}`;
  }

  ordersVersion(): string {
    const row = this.db.prepare('SELECT COUNT(*) AS n, MAX(updatedAt) AS u FROM orders').get() as {
      n: number;
      u: number | null;
    };
    return `${row.n}:${row.u ?? 0}`;
  }

  payoutsVersion(): string {
    const row = this.db.prepare('SELECT COUNT(*) AS n, MAX(updatedAt) AS u FROM payouts').get() as {
      n: number;
      u: number | null;
    };
    return `${row.n}:${row.u ?? 0}`;
  }

  logVersion(): string {
    return String(this.log(0, 1)[0]?.id ?? 0);
  }

  addLog(entry: Omit<LogRow, 'id' | 'at'>): number {
    const r = this.db
      .prepare(
        'INSERT INTO log (at, kind, title, operation, orderId, signingString, signature, text) VALUES (@at, @kind, @title, @operation, @orderId, @signingString, @signature, @text)',
      )
      .run({ ...entry, at: Date.now() });
    return Number(r.lastInsertRowid);
  }

  /** Rewrites a line in place (a poll's single line: its count and latest request). */
  updateLog(id: number, patch: Partial<Pick<LogRow, 'title' | 'signingString' | 'signature' | 'text'>>): void {
    const keys = Object.keys(patch).filter((k) => (patch as Record<string, unknown>)[k] !== undefined);
    if (keys.length === 0) return;
    this.db
      .prepare(`UPDATE log SET ${keys.map((k) => `${k} = @${k}`).join(', ')} WHERE id = @id`)
      .run({ ...patch, id });
  }

  log(afterId = 0, limit = 200): LogRow[] {
    return this.db.prepare('SELECT * FROM log WHERE id > ? ORDER BY id DESC LIMIT ?').all(afterId, limit) as LogRow[];
  }
}
