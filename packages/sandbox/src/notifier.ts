// Pushes signed payment-result notifications to NOTIFY_URL and retries on the document's
// schedules until the receiver answers a body starting with SUCCESS, case-insensitive (PROTOCOL §5):
// quick pay and gateway about 1, 5, 10, 30, 90, 180, 300 s after a failure (quick pay §5.5.3,
// gateway §5.2.3); scan code 0, 15, 15, 30, 180, 1800 ×5, 3600 s (scan §10.8). `timeScale`
// compresses them. Every attempt is recorded (GET /_sandbox/notifications).
// Only loopback receivers are contacted: the sandbox never sends traffic off the machine.
import { setMaxListeners } from 'node:events';
import { request } from 'node:http';
import { buildEnvelope } from '@mmsp/codec';
import type { Faults } from './faults.js';
import type { NotificationAttempt, NotificationRecord, EnvelopeFamily, PaymentOrder } from './model.js';
import { NOTIFY_COMMAND_IDS, notificationBody } from './notify-body.js';
import type { Platform } from './platform.js';

const QUICK_SCHEDULE_S = [0, 1, 5, 10, 30, 90, 180, 300];
const SCAN_SCHEDULE_S = [0, 15, 15, 30, 180, 1800, 1800, 1800, 1800, 1800, 3600];

/**
 * The platform's notification retry schedule (PROTOCOL §5) in ms, each delay × `timeScale`: quick
 * pay and gateway 0, 1, 5, 10, 30, 90, 180, 300 s; scan code 0, 15, 15, 30, 180, 1800 ×5, 3600 s.
 * The first entry is the delay before the first attempt.
 *
 * @example
 * ```ts
 * import { retrySchedule } from '@mmsp/sandbox';
 *
 * retrySchedule('quickPay', 1); // [0, 1000, 5000, 10000, 30000, 90000, 180000, 300000]
 * retrySchedule('scan', 0.001); // [0, 15, 15, 30, 180, 1800, 1800, 1800, 1800, 1800, 3600]
 * ```
 */
export function retrySchedule(family: EnvelopeFamily, timeScale: number): number[] {
  const seconds = family === 'scan' ? SCAN_SCHEDULE_S : QUICK_SCHEDULE_S;
  return seconds.map((s) => Math.round(s * 1000 * timeScale));
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

export function isLoopbackUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === 'http:' && (LOOPBACK_HOSTS.has(u.hostname) || /^127\.\d+\.\d+\.\d+$/.test(u.hostname));
  } catch {
    return false;
  }
}

interface PostResult {
  status?: number;
  body?: string;
  error?: string;
}

function post(url: string, text: string, timeoutMs: number, signal: AbortSignal): Promise<PostResult> {
  return new Promise((resolve) => {
    const u = new URL(url);
    const req = request(
      {
        host: u.hostname.replace(/^\[|\]$/g, ''),
        port: u.port || 80,
        path: `${u.pathname}${u.search}`,
        method: 'POST',
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'content-length': Buffer.byteLength(text),
          'user-agent': 'mmsp-sandbox',
        },
        timeout: timeoutMs,
        signal,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size <= 4096) chunks.push(c);
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', (e) => resolve({ status: res.statusCode ?? 0, error: e.message }));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', (e) => resolve({ error: e.message }));
    req.end(text);
  });
}

export class Notifier {
  /** Scheduled attempts and when they are due. */
  private readonly timers = new Map<NodeJS.Timeout, number>();
  private seq = 0;
  private closed = false;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly aborter = new AbortController();

  constructor(
    private readonly platform: Platform,
    private readonly faults: Faults,
  ) {
    // Every delivery in flight listens on this one signal (late deliveries of lost notifications come by the hundred).
    setMaxListeners(0, this.aborter.signal);
    // Resume deliveries left unfinished by a previous run (statePath).
    for (const rec of platform.state.notifications) {
      if (!rec.delivered && !rec.abandoned) this.schedule(rec, Math.max(0, (rec.nextAt ?? 0) - platform.now()));
    }
  }

  /** Queues the notification of a paid order (only when it has a NOTIFY_URL and pushes are due). */
  enqueue(order: PaymentOrder): NotificationRecord | undefined {
    if (!order.notify || !order.notifyUrl) return undefined;
    const what = { family: order.family, merchantNo: order.merchantNo, merchantOrderId: order.merchantOrderId };
    const fault = (kind: string) => this.faults.take(what, (k) => k === kind);
    const schedule = retrySchedule(order.family, this.platform.options.timeScale);
    const rec: NotificationRecord = {
      id: `n${this.platform.state.notifications.length + 1}`,
      merchantNo: order.merchantNo,
      family: order.family,
      merchantOrderId: order.merchantOrderId,
      platformOrderId: order.platformOrderId,
      url: order.notifyUrl,
      commandId: NOTIFY_COMMAND_IDS[order.family],
      text: '',
      schedule,
      attempts: 0,
      delivered: false,
      abandoned: false,
      createdAt: this.platform.now(),
    };
    if (fault('notify-tampered-sign')) rec.tamper = true;
    if (fault('notify-duplicate')) rec.duplicate = true;
    const hold = this.faults.take(what, (k) => k === 'notify-out-of-order');
    if (hold) rec.holdMs = hold.ms ?? 300;
    this.platform.state.notifications.push(rec);
    this.platform.changed();
    if (fault('notify-lost')) {
      this.lose(rec);
      return rec;
    }
    this.schedule(rec, (schedule[0] ?? 0) + (rec.holdMs ?? 0));
    return rec;
  }

  /** Fault notify-lost: the platform gives up at once; the attempt is recorded (with the text it would have sent), nothing is POSTed. */
  private lose(rec: NotificationRecord): void {
    rec.lost = true;
    rec.abandoned = true;
    rec.text = this.envelope(rec, 1, false);
    this.platform.state.attempts.push({
      notificationId: rec.id,
      merchantNo: rec.merchantNo,
      family: rec.family,
      merchantOrderId: rec.merchantOrderId,
      url: rec.url,
      commandId: rec.commandId,
      attempt: 0,
      at: new Date(this.platform.now()).toISOString(),
      error: 'lost (sandbox fault notify-lost): never sent',
      acknowledged: false,
      tampered: false,
      duplicate: false,
      lost: true,
      text: rec.text,
    });
    this.platform.log(`notification ${rec.id} for ${rec.merchantOrderId}: lost (fault notify-lost)`);
  }

  /**
   * Delivers a lost notification late: to its NOTIFY_URL on the family's retry schedule, as if the
   * platform had just started; or, with `urls`, one POST of the same signed text to each URL at once
   * (two receiver instances behind a balancer). Resolves when the first attempts have answered.
   */
  async deliverLost(rec: NotificationRecord, urls?: readonly string[]): Promise<NotificationAttempt[]> {
    if (!rec.lost || this.closed) return [];
    rec.lost = false;
    rec.abandoned = false;
    const before = this.platform.state.attempts.length;
    if (urls && urls.length > 0) {
      const n = ++rec.attempts;
      const text = this.envelope(rec, n, false);
      rec.text = text;
      const results = await Promise.all(
        urls.map((url) => this.deliver({ ...rec, url }, n, text, { tampered: false, duplicate: false })),
      );
      rec.delivered = results.some(Boolean);
      if (!rec.delivered) rec.abandoned = true;
    } else {
      const p = this.attempt(rec).finally(() => this.inFlight.delete(p));
      this.inFlight.add(p);
      await p;
    }
    this.platform.changed();
    return this.platform.state.attempts.slice(before).filter((a) => a.notificationId === rec.id);
  }

  private schedule(rec: NotificationRecord, delayMs: number): void {
    if (this.closed) return;
    rec.nextAt = this.platform.now() + delayMs;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      const p = this.attempt(rec).finally(() => this.inFlight.delete(p));
      this.inFlight.add(p);
    }, delayMs);
    timer.unref();
    this.timers.set(timer, Date.now() + delayMs);
  }

  private envelope(rec: NotificationRecord, attempt: number, tampered: boolean): string {
    const merchant = this.platform.merchant(rec.merchantNo);
    const order = this.platform.findByPlatformId(rec.merchantNo, rec.platformOrderId);
    if (!merchant || !order) return rec.text;
    const key = merchant.agentNo && merchant.agentKey ? merchant.agentKey : merchant.key;
    return buildEnvelope({
      signer: this.platform.signer,
      family: rec.family,
      commandId: rec.commandId,
      seqId: ++this.seq,
      nodeType: 3,
      nodeId: 'openplat',
      merchantNo: merchant.merchantNo,
      terminalNo: merchant.terminalNo,
      ...(merchant.agentNo ? { agentNo: merchant.agentNo, agentKey: key } : {}),
      // A tampered notification is signed with a key the merchant does not have.
      key: tampered ? `${merchant.key}-tampered` : merchant.key,
      ...(tampered && merchant.agentNo ? { agentKey: `${key}-tampered` } : {}),
      body: notificationBody(order, attempt, this.platform.now()),
      retCode: 1,
      errorMsg: '',
      errorMsgField: 'ErrMsg',
    }).text;
  }

  private async attempt(rec: NotificationRecord): Promise<void> {
    if (this.closed || rec.delivered || rec.abandoned) return;
    const n = ++rec.attempts;
    const tampered = rec.tamper === true && n === 1;
    const text = this.envelope(rec, n, tampered);
    if (!tampered) rec.text = text;
    const result = await this.deliver(rec, n, text, { tampered, duplicate: false });
    if (this.closed) return;
    if (result) {
      rec.delivered = true;
      delete rec.nextAt;
      if (rec.duplicate) await this.deliver(rec, n, text, { tampered: false, duplicate: true });
    } else if (n < rec.schedule.length) {
      this.schedule(rec, rec.schedule[n]!);
    } else {
      rec.abandoned = true;
      delete rec.nextAt;
      this.platform.log(
        `notification ${rec.id} for ${rec.merchantOrderId}: no SUCCESS after ${n} attempts, giving up (docs/PROTOCOL.md §5)`,
      );
    }
    this.platform.changed();
  }

  /** One POST; records the attempt; true when the receiver acknowledged with SUCCESS. */
  private async deliver(
    rec: NotificationRecord,
    n: number,
    text: string,
    flags: { tampered: boolean; duplicate: boolean },
  ): Promise<boolean> {
    const at = new Date(this.platform.now()).toISOString();
    const attempt: NotificationAttempt = {
      notificationId: rec.id,
      merchantNo: rec.merchantNo,
      family: rec.family,
      merchantOrderId: rec.merchantOrderId,
      url: rec.url,
      commandId: rec.commandId,
      attempt: n,
      at,
      acknowledged: false,
      ...flags,
      text,
    };
    if (!isLoopbackUrl(rec.url)) {
      attempt.error = 'NOTIFY_URL is not a loopback http:// address: the sandbox only delivers on this machine';
    } else {
      const r = await post(rec.url, text, this.platform.options.notifyTimeoutMs, this.aborter.signal);
      if (this.closed) return false;
      if (r.status !== undefined) attempt.status = r.status;
      if (r.body !== undefined) attempt.response = r.body.slice(0, 200);
      if (r.error !== undefined) attempt.error = r.error;
      attempt.acknowledged = r.body !== undefined && /^success/i.test(r.body);
    }
    this.platform.state.attempts.push(attempt);
    this.platform.log(
      `notification ${rec.id} attempt ${n}${flags.duplicate ? ' (duplicate)' : ''}${flags.tampered ? ' (tampered Sign)' : ''} to ${rec.url}: ${attempt.acknowledged ? 'SUCCESS' : (attempt.error ?? `HTTP ${attempt.status} ${JSON.stringify(attempt.response ?? '')}`)}`,
    );
    return attempt.acknowledged;
  }

  /** Resolves when no delivery is in flight and none is due within `withinMs` (tests). */
  async idle(withinMs = 50): Promise<void> {
    for (;;) {
      if (this.inFlight.size > 0) {
        await Promise.all([...this.inFlight]);
        continue;
      }
      const horizon = Date.now() + withinMs;
      if (this.closed || ![...this.timers.values()].some((at) => at <= horizon)) return;
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  close(): void {
    this.closed = true;
    this.aborter.abort();
    for (const t of this.timers.keys()) clearTimeout(t);
    this.timers.clear();
  }
}
