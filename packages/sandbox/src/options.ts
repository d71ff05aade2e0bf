// startSandbox's options and their defaults (README "Options").
import type { Ledger } from './model.js';

/** A merchant registered besides the test merchant (`merchants` of {@link SandboxOptions}, or `POST /_sandbox/merchants`). */
export interface SandboxMerchantInput {
  /** `MERNO`. */
  merchantNo: string;
  /** `TERMNO`. */
  terminalNo: string;
  /** The merchant's MD5 key (PROTOCOL §3). */
  key: string;
  /** Agency mode: requests carrying this `AGENTNO` are signed with `agentKey` (PROTOCOL §3). */
  agentNo?: string;
  /** The agent's MD5 key; required with `agentNo`. */
  agentKey?: string;
  /** The merchant's RSA public key for payouts; without it payouts answer 1004. */
  publicKeyPem?: string;
  /** This merchant's initial payout ledger (fen strings); defaults as the test merchant's. */
  ledger?: Partial<Ledger>;
}

/** Options of {@link startSandbox}; all optional, defaults below. */
export interface SandboxOptions {
  /** TCP port; 0 (default) picks a free one. */
  port?: number;
  /** Loopback address to bind: 127.0.0.1 (default), ::1 or localhost. Anything else is refused. */
  host?: string;
  /** Makes platform order numbers and SMS codes reproducible (README "Determinism"). */
  seed?: string | number;
  /** JSON file keeping state (orders, ledger, RSA keys) across restarts; in memory when absent. */
  statePath?: string;
  /** Multiplies the notification retry schedules of PROTOCOL §5 (0.001 turns 300 s into 300 ms). Default 1. */
  timeScale?: number;
  /** Order lifetime when TIME_END is absent (scan: "不传默认5分钟订单失效"). Default 300 000 ms. */
  orderTtlMs?: number;
  /** How long a "paying" micropay (test code …1111) takes to settle. Default 2000 ms. */
  micropayDelayMs?: number;
  /** How long each payout step (accepted → paying → paid/failed) takes. Default 2000 ms. */
  payoutDelayMs?: number;
  /** Minimum interval between SMS sends for one order (quick pay §5.11). Default 60 000 ms. */
  smsResendIntervalMs?: number;
  /** Timeout of one notification delivery attempt. Default 5000 ms. */
  notifyTimeoutMs?: number;
  /** Initial payout ledger of merchants (fen). Default balance 100000000, advance 50000000. */
  ledger?: Partial<Ledger>;
  /** More merchants besides the test merchant of PROTOCOL §8. */
  merchants?: SandboxMerchantInput[];
  /** Where log lines go (SMS codes, notifications). Default: kept in memory only (GET /_sandbox/log). */
  log?: (line: string) => void;
  /** The platform's clock (ms since epoch); tests move time with it. Default Date.now. */
  clock?: () => number;
}

export interface ResolvedOptions {
  port: number;
  host: string;
  seed: string | number | undefined;
  statePath: string | undefined;
  timeScale: number;
  orderTtlMs: number;
  micropayDelayMs: number;
  payoutDelayMs: number;
  smsResendIntervalMs: number;
  notifyTimeoutMs: number;
  ledger: Ledger;
  merchants: SandboxMerchantInput[];
  log: (line: string) => void;
  clock: () => number;
}

/** The test merchant of PROTOCOL §8 (the document's own test values; never production defaults). */
export const TEST_MERCHANT = Object.freeze({
  merchantNo: '001440353999853',
  terminalNo: '84970001',
  key: 'ea21842eea24e448b991b1cb0a0294cf',
});

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

function nonNegative(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new TypeError(`startSandbox: option ${name} must be a finite number ≥ 0`);
  }
  return value;
}

export function resolveOptions(options: SandboxOptions = {}): ResolvedOptions {
  const host = options.host ?? '127.0.0.1';
  if (!LOOPBACK.has(host)) {
    throw new TypeError(
      'startSandbox: option host must be a loopback address (127.0.0.1, ::1 or localhost): the sandbox serves only loopback traffic',
    );
  }
  const port = nonNegative('port', options.port, 0);
  if (!Number.isInteger(port) || port > 65535)
    throw new TypeError('startSandbox: option port must be an integer 0..65535');
  const timeScale = nonNegative('timeScale', options.timeScale, 1);
  (options.merchants ?? []).forEach((m, i) => {
    for (const k of ['merchantNo', 'terminalNo', 'key'] as const) {
      if (typeof m?.[k] !== 'string' || m[k] === '')
        throw new TypeError(`startSandbox: option merchants[${i}].${k} must be a non-empty string`);
    }
    if (m.agentNo !== undefined && (typeof m.agentKey !== 'string' || m.agentKey === '')) {
      throw new TypeError(
        `startSandbox: option merchants[${i}].agentKey is required with agentNo (agency mode signs with the agent key)`,
      );
    }
  });
  return {
    port,
    host,
    seed: options.seed,
    statePath: options.statePath,
    timeScale,
    orderTtlMs: nonNegative('orderTtlMs', options.orderTtlMs, 300_000),
    micropayDelayMs: nonNegative('micropayDelayMs', options.micropayDelayMs, 2000),
    payoutDelayMs: nonNegative('payoutDelayMs', options.payoutDelayMs, 2000),
    smsResendIntervalMs: nonNegative('smsResendIntervalMs', options.smsResendIntervalMs, 60_000),
    notifyTimeoutMs: nonNegative('notifyTimeoutMs', options.notifyTimeoutMs, 5000),
    ledger: {
      balance: options.ledger?.balance ?? '100000000',
      advance: options.ledger?.advance ?? '50000000',
      frozen: options.ledger?.frozen ?? '0',
      pendingSettlement: options.ledger?.pendingSettlement ?? '0',
    },
    merchants: options.merchants ?? [],
    log: options.log ?? (() => {}),
    clock: options.clock ?? Date.now,
  };
}
