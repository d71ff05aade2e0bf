// The platform's memory: merchants, orders, refunds, binds, payouts, SMS codes, notifications;
// lookups, id issuing, time-driven transitions (expiry at TIME_END, micropay and payout settling)
// and persistence to `statePath`.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Signer } from '@mmsp/codec';
import { generateKeyPair } from './keys.js';
import type {
  BindRecord,
  Ledger,
  MerchantRecord,
  EnvelopeFamily,
  PaymentOrder,
  PayoutRecord,
  RefundRecord,
  SandboxState,
  SmsRecord,
} from './model.js';
import { TEST_MERCHANT, type ResolvedOptions, type SandboxMerchantInput } from './options.js';
import { createRandom, type Random } from './random.js';
import { DueQueue } from './due-queue.js';

export type PaidListener = (order: PaymentOrder) => void;

function addFen(a: string, b: string): string {
  return (BigInt(a) + BigInt(b)).toString();
}

export class Platform {
  readonly options: ResolvedOptions;
  readonly state: SandboxState;
  private readonly random: Random;
  private readonly byMerchantOrder = new Map<string, PaymentOrder>();
  private readonly byPlatformOrder = new Map<string, PaymentOrder>();
  /** Every order of a merchant order id, oldest first (any merchant, any family): findAnyOrder without a scan. */
  private readonly byMerchantOrderId = new Map<string, PaymentOrder[]>();
  private readonly dueOrders = new DueQueue<PaymentOrder>();
  private readonly duePayouts = new DueQueue<PayoutRecord>();
  private readonly issuedIds = new Set<string>();
  private readonly payoutIndex = new Map<string, PayoutRecord>();
  private saveTimer: NodeJS.Timeout | undefined;
  private readonly paidListeners: PaidListener[] = [];
  readonly logLines: string[] = [];
  /** The platform's signer: every request verified and every answer signed on the codec's route with it. */
  readonly signer = new Signer();

  constructor(options: ResolvedOptions) {
    this.options = options;
    this.random = createRandom(options.seed);
    const loaded = options.statePath && existsSync(options.statePath) ? this.load(options.statePath) : undefined;
    this.state = loaded ?? this.fresh();
    // Replay the generator so that ids issued after a restart do not repeat (random.ts).
    for (let i = 0; i < this.state.issued; i++) this.random.next();
    for (const o of this.state.orders) this.index(o);
    for (const p of this.state.payouts) {
      this.schedulePayout(p);
      this.indexPayout(p);
    }
    for (const o of this.state.orders) for (const id of [o.platformOrderId, o.bindId]) if (id) this.issuedIds.add(id);
    for (const r of this.state.refunds) this.issuedIds.add(r.refundPlatformOrderId);
    for (const p of this.state.payouts) this.issuedIds.add(p.platformOrderNo);
    for (const m of options.merchants) this.addMerchant(m);
    this.save();
  }

  now(): number {
    return this.options.clock();
  }

  log(line: string): void {
    const stamped = `[mmsp-sandbox] ${line}`;
    this.logLines.push(stamped);
    if (this.logLines.length > 1000) this.logLines.splice(0, this.logLines.length - 1000);
    this.options.log(stamped);
  }

  onPaid(listener: PaidListener): void {
    this.paidListeners.push(listener);
  }

  // ---- merchants -------------------------------------------------------------------------------

  private newLedger(over?: Partial<Ledger>): Ledger {
    return { ...this.options.ledger, ...over };
  }

  private fresh(): SandboxState {
    const merchantKeys = generateKeyPair();
    const test: MerchantRecord = {
      ...TEST_MERCHANT,
      publicKeyPem: merchantKeys.publicKeyPem,
      privateKeyPem: merchantKeys.privateKeyPem,
      ledger: this.newLedger(),
    };
    return {
      version: 1,
      platformKeys: generateKeyPair(),
      merchants: { [test.merchantNo]: test },
      orders: [],
      refunds: [],
      binds: [],
      payouts: [],
      sms: [],
      notifications: [],
      attempts: [],
      issued: 0,
    };
  }

  addMerchant(input: SandboxMerchantInput): MerchantRecord {
    const existing = this.state.merchants[input.merchantNo];
    const record: MerchantRecord = {
      merchantNo: input.merchantNo,
      terminalNo: input.terminalNo,
      key: input.key,
      ...(input.agentNo ? { agentNo: input.agentNo, agentKey: input.agentKey ?? input.key } : {}),
      ...(input.publicKeyPem
        ? { publicKeyPem: input.publicKeyPem }
        : existing?.publicKeyPem
          ? { publicKeyPem: existing.publicKeyPem }
          : {}),
      ledger: existing?.ledger ?? this.newLedger(input.ledger),
    };
    this.state.merchants[input.merchantNo] = record;
    this.changed();
    return record;
  }

  merchant(merchantNo: string): MerchantRecord | undefined {
    return Object.prototype.hasOwnProperty.call(this.state.merchants, merchantNo)
      ? this.state.merchants[merchantNo]
      : undefined;
  }

  testMerchant(): MerchantRecord {
    return this.state.merchants[TEST_MERCHANT.merchantNo]!;
  }

  // ---- ids -------------------------------------------------------------------------------------

  /** A fresh platform id: `prefix` then random digits up to `length`; never issued before. */
  issueId(prefix: string, length: number): string {
    for (;;) {
      const id = prefix + this.digits(length - prefix.length);
      if (!this.issuedIds.has(id)) {
        this.issuedIds.add(id);
        return id;
      }
    }
  }

  /** Random digits from the seeded generator (SMS codes, ids). */
  digits(length: number): string {
    let out = '';
    while (out.length < length) {
      this.state.issued++;
      out += String(this.random.next() % 10);
    }
    return out;
  }

  // ---- payment orders --------------------------------------------------------------------------

  private key(merchantNo: string, family: EnvelopeFamily, merchantOrderId: string): string {
    return `${merchantNo}|${family}|${merchantOrderId}`;
  }

  private index(order: PaymentOrder): void {
    this.byMerchantOrder.set(this.key(order.merchantNo, order.family, order.merchantOrderId), order);
    this.byPlatformOrder.set(`${order.merchantNo}|${order.platformOrderId}`, order);
    const same = this.byMerchantOrderId.get(order.merchantOrderId);
    if (same) same.push(order);
    else this.byMerchantOrderId.set(order.merchantOrderId, [order]);
    this.schedule(order);
  }

  /** Puts an open order on the timer queue at its next due time (settleAt, else expiresAt). */
  schedule(order: PaymentOrder): void {
    if (order.state !== 'pending' && order.state !== 'paying') return;
    const at = order.settleAt ?? order.expiresAt;
    if (at !== undefined) this.dueOrders.push(at, order);
  }

  private schedulePayout(p: PayoutRecord): void {
    if (p.steps.length > 0) this.duePayouts.push(p.steps[0]!.at, p);
  }

  addOrder(order: PaymentOrder): PaymentOrder {
    this.state.orders.push(order);
    this.index(order);
    this.changed();
    return order;
  }

  findOrder(merchantNo: string, family: EnvelopeFamily, merchantOrderId: string): PaymentOrder | undefined {
    const order = this.byMerchantOrder.get(this.key(merchantNo, family, merchantOrderId));
    if (order) this.settle(order, this.now());
    return order;
  }

  findByPlatformId(merchantNo: string, platformOrderId: string): PaymentOrder | undefined {
    const order = this.byPlatformOrder.get(`${merchantNo}|${platformOrderId}`);
    if (order) this.settle(order, this.now());
    return order;
  }

  /**
   * Any family, most recent first: for the control endpoints, which name only the merchant order id.
   * Looks only at the orders of that id (an index), not at every order: planting tens of thousands
   * of orders and settling each stays linear (issue #15).
   */
  findAnyOrder(merchantOrderId: string, merchantNo?: string, family?: EnvelopeFamily): PaymentOrder | undefined {
    const same = this.byMerchantOrderId.get(merchantOrderId) ?? [];
    for (let i = same.length - 1; i >= 0; i--) {
      const o = same[i]!;
      if (merchantNo && o.merchantNo !== merchantNo) continue;
      if (family && o.family !== family) continue;
      this.settle(o, this.now());
      return o;
    }
    return undefined;
  }

  /** Moves an order to `paid`, books the amount and tells the notifier. */
  markPaid(order: PaymentOrder, at = this.now()): void {
    if (order.state === 'paid') return;
    order.state = 'paid';
    order.paidAt = at;
    delete order.settleAt;
    delete order.settleTo;
    const m = this.merchant(order.merchantNo);
    if (m) m.ledger.pendingSettlement = addFen(m.ledger.pendingSettlement, order.amount);
    this.changed();
    this.log(`${order.family} order ${order.merchantOrderId} (${order.platformOrderId}) paid, ${order.amount} fen`);
    for (const l of this.paidListeners) l(order);
  }

  markFailed(order: PaymentOrder, state: 'failed' | 'closed', code?: string, message?: string): void {
    order.state = state;
    if (code) order.failCode = code;
    if (message) order.failMessage = message;
    delete order.settleAt;
    delete order.settleTo;
    this.changed();
    this.log(
      `${order.family} order ${order.merchantOrderId} (${order.platformOrderId}) ${state}${code ? ` ${code}` : ''}`,
    );
  }

  /** Time-driven transitions of one order: a paying micropay settles, an unpaid order expires. */
  settle(order: PaymentOrder, now: number): void {
    if (order.state !== 'pending' && order.state !== 'paying') return;
    if (order.settleAt !== undefined && order.settleAt <= now) {
      if (order.settleTo === 'paid') this.markPaid(order, order.settleAt);
      else this.markFailed(order, 'failed', order.failCode ?? 'E3', order.failMessage ?? '银行拒绝交易');
      return;
    }
    if (order.settleAt === undefined && order.expiresAt !== undefined && order.expiresAt <= now) {
      this.markFailed(order, 'closed', 'D4', '订单已关闭');
    }
  }

  // ---- refunds, binds, sms ---------------------------------------------------------------------

  addRefund(refund: RefundRecord, order: PaymentOrder): void {
    this.state.refunds.push(refund);
    order.refunded = addFen(order.refunded, refund.amount);
    if (order.refunded === order.amount) order.state = 'refunded';
    const m = this.merchant(order.merchantNo);
    if (m) m.ledger.pendingSettlement = addFen(m.ledger.pendingSettlement, `-${refund.amount}`);
    this.changed();
    this.log(`refund ${refund.refundMerchantOrderId} of ${order.merchantOrderId}: ${refund.amount} fen`);
  }

  findRefund(
    merchantNo: string,
    by: { refundMerchantOrderId?: string; refundPlatformOrderId?: string },
  ): RefundRecord | undefined {
    return this.state.refunds.find(
      (r) =>
        r.merchantNo === merchantNo &&
        (by.refundMerchantOrderId ? r.refundMerchantOrderId === by.refundMerchantOrderId : true) &&
        (by.refundPlatformOrderId ? r.refundPlatformOrderId === by.refundPlatformOrderId : true),
    );
  }

  addBind(bind: BindRecord): void {
    this.state.binds.push(bind);
    this.changed();
  }

  findBind(merchantNo: string, bindId: string): BindRecord | undefined {
    return this.state.binds.find((b) => b.merchantNo === merchantNo && b.bindId === bindId);
  }

  /** Sends (logs and records) a fresh 6-digit SMS code. */
  sendSms(record: Omit<SmsRecord, 'code' | 'sentAt'>): SmsRecord {
    const sms: SmsRecord = { ...record, code: this.digits(6), sentAt: this.now() };
    this.state.sms.push(sms);
    this.changed();
    this.log(
      `SMS to ${record.phone} for ${record.purpose} ${record.platformOrderId} (${record.merchantOrderId}): code ${sms.code}`,
    );
    return sms;
  }

  latestSms(merchantNo: string, platformOrderId: string): SmsRecord | undefined {
    for (let i = this.state.sms.length - 1; i >= 0; i--) {
      const s = this.state.sms[i]!;
      if (s.merchantNo === merchantNo && s.platformOrderId === platformOrderId) return s;
    }
    return undefined;
  }

  // ---- payouts ---------------------------------------------------------------------------------

  private indexPayout(p: PayoutRecord): void {
    this.payoutIndex.set(`${p.merchantNo}|o|${p.orderNo}`, p);
    this.payoutIndex.set(`${p.merchantNo}|p|${p.platformOrderNo}`, p);
  }

  addPayout(payout: PayoutRecord): void {
    this.state.payouts.push(payout);
    this.indexPayout(payout);
    this.schedulePayout(payout);
    this.changed();
  }

  findPayout(merchantNo: string, by: { orderNo?: string; platformOrderNo?: string }): PayoutRecord | undefined {
    const byOrder = by.orderNo ? this.payoutIndex.get(`${merchantNo}|o|${by.orderNo}`) : undefined;
    const byPlatform = by.platformOrderNo ? this.payoutIndex.get(`${merchantNo}|p|${by.platformOrderNo}`) : undefined;
    // Both given: they must name the same payout.
    const p =
      by.orderNo && by.platformOrderNo ? (byOrder === byPlatform ? byOrder : undefined) : (byOrder ?? byPlatform);
    if (p) this.settlePayout(p, this.now());
    return p;
  }

  /** Walks a payout along its steps (5 → 2 → 1|3); the ledger releases or returns the frozen amount. */
  settlePayout(p: PayoutRecord, now: number): void {
    while (p.steps.length > 0 && p.steps[0]!.at <= now) {
      const step = p.steps.shift()!;
      p.payState = step.to;
      const ledger = this.merchant(p.merchantNo)?.ledger;
      if (ledger && (step.to === 1 || step.to === 3)) {
        ledger.frozen = addFen(ledger.frozen, `-${p.amount}`);
        if (step.to === 3) {
          if (p.payType === '3') ledger.advance = addFen(ledger.advance, p.amount);
          else ledger.balance = addFen(ledger.balance, p.amount);
        }
        p.finishedAt = step.at;
      }
      this.log(`payout ${p.orderNo} (${p.platformOrderNo}) PAYSTATE ${p.payState}`);
      this.changed();
    }
  }

  /** Reserve a payout amount: returns the RETCODE to answer when the ledger cannot. */
  reserve(merchant: MerchantRecord, amount: string, payType: string): '1031' | '1049' | undefined {
    const ledger = merchant.ledger;
    const field = payType === '3' ? 'advance' : 'balance';
    if (BigInt(ledger[field]) < BigInt(amount)) return payType === '3' ? '1049' : '1031';
    ledger[field] = addFen(ledger[field], `-${amount}`);
    ledger.frozen = addFen(ledger.frozen, amount);
    this.changed();
    return undefined;
  }

  // ---- time --------------------------------------------------------------------------------------

  /** Applies every transition due by now (called by a timer and before each request). */
  tick(): void {
    const now = this.now();
    for (const o of this.dueOrders.popDue(now)) {
      this.settle(o, now);
      this.schedule(o); // still open (e.g. its due time moved): back on the queue
    }
    for (const p of this.duePayouts.popDue(now)) {
      this.settlePayout(p, now);
      this.schedulePayout(p);
    }
  }

  // ---- persistence -----------------------------------------------------------------------------

  private load(path: string): SandboxState {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as SandboxState;
    if (parsed.version !== 1 || !parsed.platformKeys || !parsed.merchants) {
      throw new Error(`startSandbox: ${path} is not a sandbox state file (version 1)`);
    }
    return parsed;
  }

  changed(): void {
    if (!this.options.statePath || this.saveTimer) return;
    this.saveTimer = setTimeout(() => this.save(), 50);
    this.saveTimer.unref();
  }

  save(): void {
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    const path = this.options.statePath;
    if (!path) return;
    mkdirSync(dirname(path), { recursive: true });
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.state), { mode: 0o600 });
    renameSync(tmp, path);
  }
}
