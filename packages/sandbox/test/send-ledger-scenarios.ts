/**
 * Issue #13 item 4 against the real sandbox: the send ledger keeps the same money-moving request
 * from being sent twice, across a restart and across instances. Run with the memory ledger in
 * `pnpm test` (send-ledger.test.ts) and with Redis and PostgreSQL in CI (the store packages'
 * `send-ledger.sandbox.ci.test.ts`). Requests are counted at the sandbox itself (a zero-latency
 * fault armed for every matching request counts its hits).
 *
 * - restart: a first client sends N payouts whose answers are lost and then dies (every query
 *   fails: it ends with MmspOutcomeUnknownError); a new client on the same ledger is asked to pay
 *   the same N payouts → none is sent again, each is answered with the platform's state;
 * - retries: a merchant retries a micropay / quick-pay confirm after a transport error, through
 *   another client on the same ledger → none is sent again.
 */
import {
  createClient,
  MmspOutcomeUnknownError,
  MmspTransportError,
  type MmspClient,
  type MmspResult,
  type SendLedger,
  type Transport,
} from '@mmsp/client';
import type { Sandbox } from '../src/index.js';
import { opensslCrypto } from '../../client/test/support/openssl-crypto.js';
import { fetchTransport } from './support.js';

const quiet = { debug() {}, info() {}, warn() {}, error() {} };
const NOTIFY_URL = 'http://127.0.0.1:9/notify';
let serial = 0;
const orderId = (prefix: string, len: number) =>
  `${prefix}${Date.now().toString().slice(-9)}${String(++serial).padStart(6, '0')}`.slice(0, len);

/** A client on `ledger`, whose backoff sleeps run on virtual time. */
export function ledgerClient(
  sb: Sandbox,
  sendLedger: SendLedger | undefined,
  transport: Transport = fetchTransport,
): MmspClient {
  const m = sb.merchant;
  let offset = 0;
  return createClient(
    {
      merchantNo: m.merchantNo,
      terminalNo: m.terminalNo,
      key: m.key,
      endpoints: m.endpoints,
      payout: { platformPublicKey: m.platformPublicKey, merchantPrivateKey: m.merchantPrivateKey },
      transport,
      crypto: opensslCrypto,
      timeoutMs: 3_000,
      logger: quiet,
      ...(sendLedger !== undefined ? { sendLedger } : {}),
    },
    {
      now: () => new Date(Date.now() + offset),
      sleep: async (ms, signal) => {
        if (signal?.aborted) throw signal.reason;
        offset += ms;
        await new Promise((r) => setTimeout(r, 1));
      },
    },
  );
}

/** A transport of a process that dies once its payout.pay left: the answer and every later exchange are lost. */
function dyingTransport(): Transport {
  return async (req) => {
    const answer = await fetchTransport(req);
    void answer;
    throw new MmspTransportError('connection lost (the process died)', { mayHaveReachedPlatform: true });
  };
}

const PAYSTATE: Record<number, string> = { 1: 'paid', 2: 'paying', 3: 'failed', 5: 'accepted' };

export interface RestartFigures {
  payouts: number;
  /** payout.pay requests the sandbox received for these ORDERNOs after the restart. */
  resent: number;
  /** The first instance's endings that were MmspOutcomeUnknownError. */
  firstUnknown: number;
  /** The restarted client's answers whose state matches the sandbox's record. */
  agreeing: number;
  /** The restarted client's endings other than an answered state. */
  other: string[];
}

/**
 * `makeLedger(instance)` gives each client its ledger (the same backend for both, unless a test
 * wants the control figure of separate ledgers).
 */
export async function restartScenario(
  sb: Sandbox,
  makeLedger: (instance: 1 | 2) => SendLedger | undefined,
  payouts = 50,
): Promise<RestartFigures> {
  const first = ledgerClient(sb, makeLedger(1), dyingTransport());
  const bodies = Array.from({ length: payouts }, () => ({
    ORDERNO: orderId('7', 24),
    AMT: '100',
    BUSIYPE: '001' as const,
    ACCNAME: '张三',
    ACCNO: '6225123456781234',
    MEMO: '代付',
    ACCTYPE: '0' as const,
    MOBILE: '13800138000',
    BANKNAME: '招商银行',
  }));
  let firstUnknown = 0;
  for (const body of bodies) {
    const e = await first.payout.pay(body, { settleDeadlineMs: 2_000 }).catch((x: unknown) => x);
    if (e instanceof MmspOutcomeUnknownError) firstUnknown++;
  }
  const counter = sb.injectFault({ kind: 'latency', ms: 0 }, { match: { operation: 'payout.pay' }, times: 0 });
  const restarted = ledgerClient(sb, makeLedger(2));
  const figures: RestartFigures = { payouts, resent: 0, firstUnknown, agreeing: 0, other: [] };
  for (const body of bodies) {
    const outcome = await restarted.payout.pay(body, { settleDeadlineMs: 10_000 }).then(
      (r) => r,
      (x: unknown) => x,
    );
    const record = sb.payouts().find((p) => p.orderNo === body.ORDERNO);
    if (outcome instanceof Error) {
      figures.other.push(`${body.ORDERNO}: ${outcome.name}: ${outcome.message.slice(0, 160)}`);
      continue;
    }
    const r = outcome as MmspResult;
    const platform = record ? PAYSTATE[record.payState] : undefined;
    if (r.state === platform || (r.state === 'paying' && platform === 'paid')) figures.agreeing++;
    else figures.other.push(`${body.ORDERNO}: client said ${r.state}, platform ${platform ?? 'none'}`);
  }
  figures.resent = counter.hits;
  sb.clearFaults();
  return figures;
}

export interface RetryFigures {
  tries: number;
  /** Money-moving requests the sandbox received for the retries (after each first attempt). */
  resent: number;
  /** Retries answered with a state the platform answered (the rest: MmspOutcomeUnknownError or a refusal). */
  answered: number;
  unknown: number;
  other: string[];
}

const TRANSPORT_FAULTS = [
  { kind: 'reset-after' },
  { kind: 'reset-before' },
  { kind: 'http-error', status: 502 },
  { kind: 'http-error', status: 502, after: true },
] as const;

/**
 * A merchant retrying after a transport error: `tries` micropays and quick-pay confirms (half each);
 * the first attempt meets a transport fault, the retry goes through `retryClient` (another
 * instance on the same ledger, or the same client).
 */
export async function retryScenario(
  sb: Sandbox,
  makeLedger: (instance: 1 | 2) => SendLedger | undefined,
  tries = 150,
): Promise<RetryFigures> {
  const firstLedger = makeLedger(1);
  const client = ledgerClient(sb, firstLedger);
  const secondLedger = makeLedger(2);
  const retryClient = secondLedger === firstLedger ? client : ledgerClient(sb, secondLedger);
  const figures: RetryFigures = { tries, resent: 0, answered: 0, unknown: 0, other: [] };
  const tally = (outcome: unknown, what: string) => {
    if (outcome instanceof MmspOutcomeUnknownError) figures.unknown++;
    else if (outcome instanceof Error) figures.other.push(`${what}: ${outcome.name}: ${outcome.message.slice(0, 160)}`);
    else figures.answered++;
  };
  for (let i = 0; i < tries; i++) {
    const fault = TRANSPORT_FAULTS[i % TRANSPORT_FAULTS.length]!;
    if (i % 2 === 0) {
      const MERORDERID = orderId('8', 20);
      const body = { AMT: '100', GOODSNAME: 'tea', MERORDERID, CODE: '134567890123450000', NOTIFY_URL };
      sb.injectFault(fault, { match: { operation: 'scan.wechatMicropay', merchantOrderId: MERORDERID }, times: 1 });
      await client.scan.wechatMicropay(body, { settleDeadlineMs: 3_000 }).catch(() => undefined);
      const counter = sb.injectFault(
        { kind: 'latency', ms: 0 },
        { match: { operation: 'scan.wechatMicropay', merchantOrderId: MERORDERID }, times: 0 },
      );
      tally(
        await retryClient.scan.wechatMicropay(body, { settleDeadlineMs: 3_000 }).then(
          (r) => r,
          (x: unknown) => x,
        ),
        `micropay ${MERORDERID}`,
      );
      figures.resent += counter.hits;
    } else {
      const MERORDERID = orderId('9', 32);
      const order = await client.quickPay.pay({
        MERORDERID,
        AMT: '1234',
        CARDNO: '6227000013830237349',
        CARDTYPE: '1',
        NAME: '张三',
        ID_NO: '23210219820916601X',
        PHONENO: '13800138000',
        NOTIFY_URL,
      });
      const input = { LIST_ID: String(order.body.LIST_ID), MSG_CODE: sb.smsCode(MERORDERID)!, MERORDERID };
      sb.injectFault(fault, { match: { operation: 'quickPay.confirmSms' }, times: 1 });
      await client.quickPay.confirmAndWait(input, { deadlineMs: 3_000, intervalMs: 200 }).catch(() => undefined);
      const counter = sb.injectFault(
        { kind: 'latency', ms: 0 },
        { match: { operation: 'quickPay.confirmSms' }, times: 0 },
      );
      tally(
        await retryClient.quickPay.confirmAndWait(input, { deadlineMs: 3_000, intervalMs: 200 }).then(
          (r) => r,
          (x: unknown) => x,
        ),
        `confirm ${MERORDERID}`,
      );
      figures.resent += counter.hits;
    }
    sb.clearFaults();
  }
  return figures;
}
