// Fault injection (README "Faults"): armed through POST /_sandbox/faults (or Sandbox.injectFault),
// or per request with the `x-mmsp-sandbox-fault` header (a JSON FaultSpec or a bare kind name).
// A fault matches by family, operation, merchant and order number; `times` says how many matching
// requests (or notifications) it hits: 1 by default, 0 for every one until cleared (a
// per-merchant fault).

/**
 * What an armed fault does (README "Faults"): `latency`, `reset-before`, `reset-after`,
 * `http-error`, `retcode-0` (the negative response), `retcode-0001` (payout outcome unknown),
 * `sign-in-body` (快捷 §5.4.3's answer shape), and
 * for notifications `notify-duplicate`, `notify-out-of-order`, `notify-tampered-sign`.
 */
export type FaultKind =
  /** Wait `ms` before answering; the request is then served normally. */
  | 'latency'
  /** Drop the connection before the platform acted: nothing happened. */
  | 'reset-before'
  /** Carry the request out, then drop the connection without an answer: the outcome is unknown to the caller. */
  | 'reset-after'
  /** Answer HTTP `status` (default 502); with `after: true` the request was carried out first. */
  | 'http-error'
  /** Answer the negative response (CommandID 32768) with RetCode 0 before acting (MD5 families). */
  | 'retcode-0'
  /** Payout: carry the payout out but answer RETCODE 0001 "系统异常，需要发起订单查询". */
  | 'retcode-0001'
  /** Carry the request out, then answer HTTP 200 with a body that cannot be read (payout: a garbled `ENCRYPT`; MD5 families: cut JSON). */
  | 'garbled-after'
  /** Carry the request out, then answer with a signature that does not verify (MD5 `Sign`, payout `SIGN`). */
  | 'bad-sign-after'
  /** Carry the request out, then answer HTTP 200 with an HTML page (a proxy's or WAF's page). */
  | 'html-200-after'
  /**
   * MD5 families: answer as 快捷 §5.4.3's SMS-confirm example does, with the `Sign` inside the Body
   * (`"Body":{…,"Sign":"…"}`) and none after it. Not a damage: the signature is genuine.
   */
  | 'sign-in-body'
  /** A query answered "no such order" before acting (MD5 `[-2002] 没有该订单`, payout `RETCODE 1028`): an order not recorded yet. */
  | 'not-found'
  /** Notification: deliver each acknowledged notification a second time. */
  | 'notify-duplicate'
  /** Notification: hold the first attempt `ms` (default 300 × timeScale… see README) so later ones overtake it. */
  | 'notify-out-of-order'
  /** Notification: the first attempt carries a wrong Sign; retries carry the genuine one. */
  | 'notify-tampered-sign'
  /** Notification: lost, never reaches the receiver (no retry); `POST /_sandbox/notifications/deliver-lost` delivers it late. */
  | 'notify-lost';

/** Which requests (or notifications) a fault hits; every given field must match, none given matches all. */
export interface FaultMatch {
  /** The API family. */
  family?: 'quickPay' | 'scan' | 'gateway' | 'payout';
  /** Catalogue operation name, e.g. `scan.query`, `payout.pay`. */
  operation?: string;
  /** `MERNO` of the merchant (a per-merchant fault with `times: 0`). */
  merchantNo?: string;
  /** MERORDERID (MD5 families) or ORDERNO (payout). */
  merchantOrderId?: string;
}

/** A fault: its kind and parameters (also the JSON of `POST /_sandbox/faults` and of the `x-mmsp-sandbox-fault` header). */
export interface FaultSpec {
  /** What happens. */
  kind: FaultKind;
  /** `latency`: the wait; `notify-out-of-order`: how long the first attempt is held (ms, 0..600000). */
  ms?: number;
  /** `http-error`: the HTTP status answered (400..599, default 502). */
  status?: number;
  /** `http-error`: carry the request out first, then answer the error. */
  after?: boolean;
}

/** A fault as armed ({@link Sandbox.injectFault}, `GET /_sandbox/faults`): the spec, its match and its hits. */
export interface ArmedFault extends FaultSpec {
  /** Its id (`f1`, `f2`, …), to clear it alone. */
  id: string;
  /** Which requests it hits. */
  match: FaultMatch;
  /** Remaining hits; 0 = unlimited. */
  times: number;
  /** Requests (or notifications) it has hit so far. */
  hits: number;
}

export interface FaultRequest {
  spec: FaultSpec;
  match?: FaultMatch;
  times?: number;
}

const KINDS: readonly FaultKind[] = [
  'latency',
  'reset-before',
  'reset-after',
  'http-error',
  'retcode-0',
  'retcode-0001',
  'garbled-after',
  'bad-sign-after',
  'html-200-after',
  'sign-in-body',
  'not-found',
  'notify-duplicate',
  'notify-out-of-order',
  'notify-tampered-sign',
  'notify-lost',
];
const NOTIFY_KINDS = new Set<FaultKind>([
  'notify-duplicate',
  'notify-out-of-order',
  'notify-tampered-sign',
  'notify-lost',
]);

export function isNotificationFault(kind: FaultKind): boolean {
  return NOTIFY_KINDS.has(kind);
}

/** Reads a fault spec from JSON input; throws a TypeError naming the field and the rule. */
export function parseFaultSpec(input: unknown): FaultSpec {
  if (typeof input === 'string') input = { kind: input };
  if (input === null || typeof input !== 'object')
    throw new TypeError('fault: must be an object { kind, ms?, status?, after? } or a kind name');
  const o = input as Record<string, unknown>;
  if (typeof o.kind !== 'string' || !KINDS.includes(o.kind as FaultKind)) {
    throw new TypeError(`fault.kind: must be one of ${KINDS.join(', ')}`);
  }
  const spec: FaultSpec = { kind: o.kind as FaultKind };
  if (o.ms !== undefined) {
    if (typeof o.ms !== 'number' || !Number.isFinite(o.ms) || o.ms < 0 || o.ms > 600_000)
      throw new TypeError('fault.ms: must be a number of milliseconds 0..600000');
    spec.ms = o.ms;
  }
  if (o.status !== undefined) {
    if (typeof o.status !== 'number' || !Number.isInteger(o.status) || o.status < 400 || o.status > 599)
      throw new TypeError('fault.status: must be an HTTP error status 400..599');
    spec.status = o.status;
  }
  if (o.after !== undefined) {
    if (typeof o.after !== 'boolean') throw new TypeError('fault.after: must be a boolean');
    spec.after = o.after;
  }
  return spec;
}

export function parseFaultMatch(input: unknown): FaultMatch {
  if (input === undefined || input === null) return {};
  if (typeof input !== 'object')
    throw new TypeError('match: must be an object { family?, operation?, merchantNo?, merchantOrderId? }');
  const o = input as Record<string, unknown>;
  const out: FaultMatch = {};
  for (const k of ['family', 'operation', 'merchantNo', 'merchantOrderId'] as const) {
    if (o[k] === undefined) continue;
    if (typeof o[k] !== 'string') throw new TypeError(`match.${k}: must be a string`);
    (out as Record<string, string>)[k] = o[k] as string;
  }
  if (out.family && !['quickPay', 'scan', 'gateway', 'payout'].includes(out.family)) {
    throw new TypeError('match.family: must be quickPay, scan, gateway or payout');
  }
  return out;
}

export class Faults {
  private armed: ArmedFault[] = [];
  private seq = 0;

  arm(request: FaultRequest): ArmedFault {
    const times = request.times ?? 1;
    if (!Number.isInteger(times) || times < 0) throw new TypeError('times: must be an integer ≥ 0 (0 = until cleared)');
    const fault: ArmedFault = { ...request.spec, id: `f${++this.seq}`, match: request.match ?? {}, times, hits: 0 };
    this.armed.push(fault);
    return fault;
  }

  list(): ArmedFault[] {
    return this.armed.map((f) => ({ ...f }));
  }

  clear(id?: string): number {
    const before = this.armed.length;
    this.armed = id ? this.armed.filter((f) => f.id !== id) : [];
    return before - this.armed.length;
  }

  /** Takes (consumes one hit of) the first armed fault matching `what` among `kinds`. */
  take(what: FaultMatch, kinds: (kind: FaultKind) => boolean): FaultSpec | undefined {
    for (const f of this.armed) {
      if (!kinds(f.kind)) continue;
      const m = f.match;
      if (m.family && m.family !== what.family) continue;
      if (m.operation && m.operation !== what.operation) continue;
      if (m.merchantNo && m.merchantNo !== what.merchantNo) continue;
      if (m.merchantOrderId && m.merchantOrderId !== what.merchantOrderId) continue;
      f.hits++;
      if (f.times > 0 && f.hits >= f.times) this.armed = this.armed.filter((x) => x !== f);
      return {
        kind: f.kind,
        ...(f.ms !== undefined ? { ms: f.ms } : {}),
        ...(f.status !== undefined ? { status: f.status } : {}),
        ...(f.after !== undefined ? { after: f.after } : {}),
      };
    }
    return undefined;
  }
}
