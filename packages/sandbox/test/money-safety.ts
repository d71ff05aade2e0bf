/**
 * Issue #13: fault sequences against the real sandbox. Each run arms one fault on the money-moving
 * request (lost, refused, garbled, wrongly signed, an HTML page...) and a random sequence of faults
 * on the queries that follow, then checks, against what the platform really did:
 *  - duplicate sends: the sandbox received the request for that order number more than once;
 *  - disagreements: the client reported a state the platform's record contradicts;
 *  - bad endings: anything but an answered state, a documented refusal or MmspOutcomeUnknownError.
 * A merchant who calls again with the same order number after an error is part of every run.
 */
import {
  createClient,
  MmspBusinessError,
  MmspOutcomeUnknownError,
  MmspProtocolError,
  MmspTransportError,
  type MmspClient,
  type MmspResult,
} from '@mmsp/client';
import { payoutRetCode } from '@mmsp/codec';
import type { FaultKind, Sandbox } from '../src/index.js';
import { opensslCrypto } from '../../client/test/support/openssl-crypto.js';
import { fetchTransport } from './support.js';

// The client side uses node:crypto too (opensslCrypto, the client tests' provider): the pure RSA would make thousands of payouts slow.

/** A seeded generator (mulberry32), so that a failing run can be replayed from its seed. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(random: () => number, list: readonly T[]): T => list[Math.floor(random() * list.length)]!;

export interface Tally {
  runs: number;
  sends: number;
  duplicateSends: number;
  disagreements: number;
  badEndings: number;
  answered: number;
  refused: number;
  unknown: number;
  waits: number;
  waitBadEndings: number;
  problems: string[];
}

const newTally = (): Tally => ({
  runs: 0,
  sends: 0,
  duplicateSends: 0,
  disagreements: 0,
  badEndings: 0,
  answered: 0,
  refused: 0,
  unknown: 0,
  waits: 0,
  waitBadEndings: 0,
  problems: [],
});

/** A client whose clock runs on virtual time: backoff sleeps advance it (and yield briefly for real). */
export function faultClient(sb: Sandbox): MmspClient {
  const m = sb.merchant;
  let offset = 0;
  return createClient(
    {
      merchantNo: m.merchantNo,
      terminalNo: m.terminalNo,
      key: m.key,
      endpoints: m.endpoints,
      payout: { platformPublicKey: m.platformPublicKey, merchantPrivateKey: m.merchantPrivateKey },
      transport: fetchTransport,
      crypto: opensslCrypto,
      timeoutMs: 3_000,
      logger: { debug() {}, info() {}, warn() {}, error() {} },
    },
    {
      now: () => new Date(Date.now() + offset),
      sleep: async (ms, signal) => {
        if (signal?.aborted) throw signal.reason;
        offset += ms;
        await new Promise((r) => setTimeout(r, Math.min(15, Math.ceil(ms / 200))));
      },
    },
  );
}

/** Faults on the money-moving request: carried out or not, answered unreadably or not at all. */
const SEND_FAULTS_MD5: readonly (FaultKind | 'none' | 'http-error-after')[] = [
  'none',
  'none',
  'reset-before',
  'reset-after',
  'http-error',
  'http-error-after',
  'retcode-0',
  'garbled-after',
  'bad-sign-after',
  'html-200-after',
  'sign-in-body', // a genuine answer shaped as 快捷 §5.4.3's example: read, never "unknown"
];
const SEND_FAULTS_PAYOUT: readonly (FaultKind | 'none' | 'http-error-after')[] = [
  'none',
  'none',
  'reset-before',
  'reset-after',
  'http-error',
  'http-error-after',
  'retcode-0001',
  'garbled-after',
  'bad-sign-after',
  'html-200-after',
];
/** Faults on the queries that follow. */
const QUERY_FAULTS_MD5: readonly (FaultKind | 'http-error-after')[] = [
  'reset-before',
  'reset-after',
  'http-error',
  'retcode-0',
  'garbled-after',
  'bad-sign-after',
  'html-200-after',
  'not-found',
];
const QUERY_FAULTS_PAYOUT: readonly (FaultKind | 'http-error-after')[] = [
  'reset-before',
  'reset-after',
  'http-error',
  'retcode-0001',
  'garbled-after',
  'bad-sign-after',
  'html-200-after',
  'not-found',
];

/** `merchantOrderId` undefined: the request carries none (SMS confirm has only LIST_ID); runs are sequential. */
function arm(
  sb: Sandbox,
  kind: FaultKind | 'none' | 'http-error-after',
  operation: string,
  merchantOrderId: string | undefined,
) {
  const match = merchantOrderId !== undefined ? { operation, merchantOrderId } : { operation };
  if (kind === 'none') return sb.injectFault({ kind: 'latency', ms: 0 }, { match, times: 1 });
  if (kind === 'http-error-after')
    return sb.injectFault({ kind: 'http-error', status: 502, after: true }, { match, times: 1 });
  return sb.injectFault(kind, { match, times: 1 });
}

/** Arms the send fault, then a counter that every further send of the same number hits. */
function armSend(
  sb: Sandbox,
  kind: FaultKind | 'none' | 'http-error-after',
  operation: string,
  id: string | undefined,
): () => number {
  const first = arm(sb, kind, operation, id);
  const counter = sb.injectFault(
    { kind: 'latency', ms: 0 },
    { match: id !== undefined ? { operation, merchantOrderId: id } : { operation }, times: 0 },
  );
  return () => (first.hits > 0 ? 1 : 0) + counter.hits;
}

function armQueries(
  sb: Sandbox,
  random: () => number,
  faults: readonly (FaultKind | 'http-error-after')[],
  operation: string,
  id: string,
  max: number,
) {
  const n = Math.floor(random() * (max + 1));
  for (let i = 0; i < n; i++) arm(sb, pick(random, faults), operation, id);
}

type Ending =
  | { kind: 'answered'; result: MmspResult }
  | { kind: 'refused'; error: unknown }
  | { kind: 'unknown'; error: MmspOutcomeUnknownError }
  | { kind: 'bad'; error: unknown };

function classify(outcome: PromiseSettledResult<MmspResult>, allowProtocolRefusal: boolean): Ending {
  if (outcome.status === 'fulfilled') return { kind: 'answered', result: outcome.value };
  const error = outcome.reason as unknown;
  if (error instanceof MmspOutcomeUnknownError) return { kind: 'unknown', error };
  // A documented refusal carries a final code: payout RETCODE "failed"/"config", never "query it"
  // (0001, 1008, 1028 "outcome still unknown"); MD5 bodies anything but the duplicate number 1008.
  if (error instanceof MmspBusinessError) {
    const outcome = payoutRetCode(error.platformCode).outcome;
    const final =
      /^\d{4}$/.test(error.platformCode) && !['0000'].includes(error.platformCode)
        ? outcome === 'failed' || outcome === 'config'
        : error.platformCode !== '1008';
    return final ? { kind: 'refused', error } : { kind: 'bad', error };
  }
  if (
    allowProtocolRefusal &&
    error instanceof MmspProtocolError &&
    (error.commandId === 32768 || (error.retCode !== undefined && error.retCode !== '1'))
  )
    return { kind: 'refused', error };
  if (error instanceof MmspTransportError && !error.mayHaveReachedPlatform) return { kind: 'refused', error };
  return { kind: 'bad', error };
}

const describeError = (e: unknown) => (e instanceof Error ? `${e.name}: ${e.message.slice(0, 160)}` : String(e));

const settle = <T>(p: Promise<T>): Promise<PromiseSettledResult<T>> =>
  p.then(
    (value) => ({ status: 'fulfilled' as const, value }),
    (reason: unknown) => ({ status: 'rejected' as const, reason }),
  );

let serial = 0;
const orderId = (prefix: string, len: number) =>
  `${prefix}${Date.now().toString().slice(-9)}${String(++serial).padStart(6, '0')}`.slice(0, len);
/** Pushes go to a closed loopback port: the runs look at the platform's records, not at pushes. */
const NOTIFY_URL = 'http://127.0.0.1:9/notify';

/** Payout sequences: pay (with the merchant's retry after an error), then waitForFinal. */
export async function payoutSequences(sb: Sandbox, runs: number, seed: number): Promise<Tally> {
  const t = newTally();
  const random = rng(seed);
  const client = faultClient(sb);
  const PAYSTATE: Record<number, string> = { 1: 'paid', 2: 'paying', 3: 'failed', 5: 'accepted' };
  for (let i = 0; i < runs; i++) {
    const orderNo = orderId('1', 24);
    const account = pick(random, ['6225123456781234', '6225123456789999', '6225123456785555']);
    const body = {
      ORDERNO: orderNo,
      AMT: '100',
      BUSIYPE: '001' as const,
      ACCNAME: '张三',
      ACCNO: account,
      MEMO: '代付',
      ACCTYPE: '0' as const,
      MOBILE: '13800138000',
      BANKNAME: '招商银行',
    };
    const sends = armSend(sb, pick(random, SEND_FAULTS_PAYOUT), 'payout.pay', orderNo);
    armQueries(sb, random, QUERY_FAULTS_PAYOUT, 'payout.query', orderNo, 6);
    t.runs++;
    const endings: Ending[] = [];
    endings.push(classify(await settle(client.payout.pay(body, { settleDeadlineMs: 20_000 })), false));
    // The merchant calls again with the same ORDERNO after an error (and sometimes after a success).
    if (endings[0]!.kind !== 'answered' || random() < 0.2)
      endings.push(classify(await settle(client.payout.pay(body, { settleDeadlineMs: 20_000 })), false));
    for (const e of endings) {
      const record = sb.payouts().find((p) => p.orderNo === orderNo);
      if (e.kind === 'bad') {
        t.badEndings++;
        t.problems.push(`payout ${orderNo}: ${describeError(e.error)}`);
        continue;
      }
      if (e.kind === 'unknown') {
        t.unknown++;
        continue;
      }
      if (e.kind === 'refused') {
        t.refused++;
        if (record) {
          t.disagreements++;
          t.problems.push(`payout ${orderNo}: refused (${describeError(e.error)}) yet the platform has it`);
        }
        continue;
      }
      t.answered++;
      const said = e.result.state;
      const platform = record ? PAYSTATE[record.payState] : undefined;
      if (!disagreeWithPayout(said, platform)) continue;
      t.disagreements++;
      t.problems.push(`payout ${orderNo}: client said ${said}, platform ${platform ?? 'has no such payout'}`);
    }
    // waitForFinal through another sequence of query faults.
    armQueries(sb, random, QUERY_FAULTS_PAYOUT, 'payout.query', orderNo, 6);
    t.waits++;
    const waited = await settle(
      client.payout.waitForFinal({ ORDERNO: orderNo }, { deadlineMs: 10_000, intervalMs: 200, maxIntervalMs: 1_000 }),
    );
    if (waited.status === 'rejected' && !(waited.reason instanceof MmspOutcomeUnknownError)) {
      t.waitBadEndings++;
      t.problems.push(`payout.waitForFinal ${orderNo}: ${describeError(waited.reason)}`);
    }
    if (waited.status === 'fulfilled' && waited.value.final) {
      const record = sb.payouts().find((p) => p.orderNo === orderNo);
      if (!record || PAYSTATE[record.payState] !== waited.value.result.state) {
        t.disagreements++;
        t.problems.push(
          `payout.waitForFinal ${orderNo}: ${waited.value.result.state} vs ${record ? PAYSTATE[record.payState] : 'none'}`,
        );
      }
    }
    const n = sends();
    t.sends += n;
    if (n > 1) {
      t.duplicateSends += n - 1;
      t.problems.push(`payout ${orderNo}: sent ${n} times`);
    }
    sb.clearFaults();
  }
  return t;
}

/** A state the client reported is contradicted when the platform has nothing, or a final state differs. */
function disagreeWithPayout(said: string | undefined, platform: string | undefined): boolean {
  if (platform === undefined) return true;
  if (said === 'paid' || said === 'failed') return said !== platform;
  if (said === 'paying') return platform === 'accepted';
  return said !== 'accepted';
}

/** Scan micropay sequences over the three micropay operations and the sandbox's test codes. */
export async function micropaySequences(sb: Sandbox, runs: number, seed: number): Promise<Tally> {
  const t = newTally();
  const random = rng(seed);
  const client = faultClient(sb);
  const ops = ['wechatMicropay', 'alipayMicropay', 'qqMicropay'] as const;
  for (let i = 0; i < runs; i++) {
    const id = orderId('2', 20);
    const op = pick(random, ops);
    const code = `13456789012345${pick(random, ['0000', '0000', '1111', '3333', '9999', '2222'])}`;
    const body = { AMT: '100', GOODSNAME: 'tea', MERORDERID: id, CODE: code, NOTIFY_URL };
    const sends = armSend(sb, pick(random, SEND_FAULTS_MD5), `scan.${op}`, id);
    armQueries(sb, random, QUERY_FAULTS_MD5, 'scan.query', id, 6);
    t.runs++;
    const call = () =>
      (client.scan[op] as (b: object, o?: object) => Promise<MmspResult>)(body, { settleDeadlineMs: 20_000 });
    checkOrder(t, sb, `scan.${op}`, id, classify(await settle(call()), true));
    // waitForFinal through more query faults; "no such order" and bad signatures are polled through.
    armQueries(sb, random, QUERY_FAULTS_MD5, 'scan.query', id, 6);
    t.waits++;
    const waited = await settle(
      client.scan.waitForFinal({ MERORDERID: id }, { deadlineMs: 5_000, intervalMs: 200, maxIntervalMs: 1_000 }),
    );
    if (waited.status === 'rejected' && !(waited.reason instanceof MmspOutcomeUnknownError)) {
      t.waitBadEndings++;
      t.problems.push(`scan.waitForFinal ${id}: ${describeError(waited.reason)}`);
    }
    if (waited.status === 'fulfilled' && waited.value.final) {
      const order = sb.orders().find((o) => o.merchantOrderId === id);
      if (!order || order.state !== waited.value.result.state) {
        t.disagreements++;
        t.problems.push(`scan.waitForFinal ${id}: ${waited.value.result.state} vs ${order?.state ?? 'none'}`);
      }
    }
    const n = sends();
    t.sends += n;
    if (n > 1) {
      t.duplicateSends += n - 1;
      t.problems.push(`scan.${op} ${id}: sent ${n} times`);
    }
    sb.clearFaults();
  }
  return t;
}

function checkOrder(t: Tally, sb: Sandbox, operation: string, id: string, e: Ending) {
  const order = sb.orders().find((o) => o.merchantOrderId === id);
  if (e.kind === 'bad') {
    t.badEndings++;
    t.problems.push(`${operation} ${id}: ${describeError(e.error)}`);
    return;
  }
  if (e.kind === 'unknown') {
    t.unknown++;
    return;
  }
  if (e.kind === 'refused') {
    t.refused++;
    // A refusal must leave nothing carried out: no order, or an order that is not paid.
    if (order && order.state === 'paid') {
      t.disagreements++;
      t.problems.push(`${operation} ${id}: refused (${describeError(e.error)}) yet the platform has it paid`);
    }
    return;
  }
  t.answered++;
  const said = e.result.state;
  const platform = order?.state;
  const contradicts =
    platform === undefined ||
    (said === 'paid' && platform !== 'paid' && platform !== 'refunded') ||
    (said === 'failed' && platform !== 'failed' && platform !== 'closed') ||
    ((said === 'paying' || said === 'pending' || said === 'accepted') &&
      platform !== 'paying' &&
      platform !== 'pending' &&
      platform !== 'paid' &&
      platform !== 'failed');
  if (contradicts) {
    t.disagreements++;
    t.problems.push(`${operation} ${id}: client said ${said}, platform ${platform ?? 'has no such order'}`);
  }
}

/** Quick-pay flow A: pay (no fault), then confirmAndWait through faults; a wrong code (1 in 5) is retried by the payer. */
export async function confirmSequences(sb: Sandbox, runs: number, seed: number): Promise<Tally> {
  const t = newTally();
  const random = rng(seed);
  const client = faultClient(sb);
  for (let i = 0; i < runs; i++) {
    const id = orderId('3', 32);
    const card = `622700001383${pick(random, ['0237', '0237', '0237', '8888'])}`;
    const order = await client.quickPay.pay({
      MERORDERID: id,
      AMT: '1234',
      CARDNO: card,
      CARDTYPE: '1',
      NAME: '张三',
      ID_NO: '23210219820916601X',
      PHONENO: '13800138000',
      NOTIFY_URL,
    });
    const listId = String(order.body.LIST_ID);
    const code = sb.smsCode(id) ?? '000000';
    const wrong = random() < 0.2;
    const sends = armSend(sb, pick(random, SEND_FAULTS_MD5), 'quickPay.confirmSms', undefined);
    armQueries(sb, random, QUERY_FAULTS_MD5, 'quickPay.query', id, 6);
    t.runs++;
    const first = await settle(
      client.quickPay.confirmAndWait(
        { LIST_ID: listId, MSG_CODE: wrong ? (code === '111111' ? '222222' : '111111') : code, MERORDERID: id },
        { deadlineMs: 5_000, intervalMs: 200, maxIntervalMs: 1_000 },
      ),
    );
    const n = sends();
    const stateNow = () => sb.orders().find((o) => o.merchantOrderId === id)?.state;
    if (first.status === 'fulfilled') {
      t.answered++;
      const r = first.value;
      const platform = stateNow();
      if (r.final && r.result.state !== platform) {
        t.disagreements++;
        t.problems.push(`confirm ${id}: client said ${r.result.state}, platform ${platform}`);
      }
      if (r.smsCodeRefused !== undefined && !r.final && platform !== 'pending') {
        t.disagreements++;
        t.problems.push(`confirm ${id}: code refused, retry offered, platform ${platform}`);
      }
      if (r.retry) {
        // The payer enters the right code: the order is paid (or declined by the bank card 8888).
        sb.clearFaults();
        const again = await settle(
          client.quickPay.confirmAndWait(
            { LIST_ID: listId, MSG_CODE: code, MERORDERID: id },
            { deadlineMs: 5_000, intervalMs: 200 },
          ),
        );
        if (again.status === 'rejected' || !again.value.final) {
          t.badEndings++;
          t.problems.push(
            `confirm retry ${id}: ${again.status === 'rejected' ? describeError(again.reason) : 'not final'}`,
          );
        } else if (again.value.result.state !== stateNow()) {
          t.disagreements++;
          t.problems.push(`confirm retry ${id}: ${again.value.result.state} vs ${stateNow()}`);
        }
      }
    } else {
      const e = classify(first as PromiseSettledResult<MmspResult>, true);
      if (e.kind === 'unknown') t.unknown++;
      else if (e.kind === 'refused') {
        t.refused++;
        if (stateNow() === 'paid') {
          t.disagreements++;
          t.problems.push(`confirm ${id}: refused (${describeError(e.error)}) yet paid`);
        }
      } else {
        t.badEndings++;
        t.problems.push(`confirm ${id}: ${describeError(first.reason)}`);
      }
    }
    t.sends += n;
    if (n > 1) {
      t.duplicateSends += n - 1;
      t.problems.push(`confirm ${id}: sent ${n} times`);
    }
    sb.clearFaults();
  }
  return t;
}

export function summary(name: string, t: Tally): string {
  return (
    `${name}: ${t.runs} sequences, ${t.sends} sends, duplicate sends ${t.duplicateSends}, disagreements ${t.disagreements}, bad endings ${t.badEndings + t.waitBadEndings} ` +
    `(answered ${t.answered}, documented refusals ${t.refused}, outcome unknown ${t.unknown}; waitForFinal calls ${t.waits})`
  );
}
