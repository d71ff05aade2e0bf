// Issue #13: money-moving operations under fault sequences against the real sandbox (a smaller count
// here; money-safety.ci.test.ts runs ≥ 2,000 payout and ≥ 500 micropay and confirm sequences).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../src/index.js';
import { MmspOutcomeUnknownError } from '@mmsp/client';
import {
  confirmSequences,
  faultClient,
  micropaySequences,
  payoutSequences,
  summary,
  type Tally,
} from './money-safety.js';

let sb: Sandbox;
beforeAll(async () => {
  sb = await startSandbox({ timeScale: 0.001, micropayDelayMs: 30, payoutDelayMs: 50 });
});
afterAll(() => sb.close());

const SEED = Number(process.env.MMSP_FAULT_SEED ?? 13);

function expectSafe(name: string, t: Tally, runs: number) {
  console.log(summary(name, t));
  expect(t.problems.slice(0, 10)).toEqual([]);
  expect(t.runs).toBe(runs);
  expect({
    duplicateSends: t.duplicateSends,
    disagreements: t.disagreements,
    badEndings: t.badEndings,
    waitBadEndings: t.waitBadEndings,
  }).toEqual({ duplicateSends: 0, disagreements: 0, badEndings: 0, waitBadEndings: 0 });
  // The sequences did reach the interesting cases.
  expect(t.answered).toBeGreaterThan(0);
}

describe('money safety under fault sequences (sandbox)', () => {
  it('payout.pay and payout.waitForFinal: every sequence ends answered, refused as documented, or MmspOutcomeUnknownError', async () => {
    expectSafe('payout', await payoutSequences(sb, 60, SEED), 60);
  }, 120_000);

  it('micropay and scan.waitForFinal: the same three endings, never a resend', async () => {
    expectSafe('micropay', await micropaySequences(sb, 60, SEED + 1), 60);
  }, 120_000);

  it('quickPay.confirmAndWait: a lost confirm answer is queried; a wrong code lets the payer try again', async () => {
    expectSafe('quick-pay confirm', await confirmSequences(sb, 60, SEED + 2), 60);
  }, 120_000);
});

describe('the named holes of issue #13 (sandbox)', () => {
  let n = 0;
  const id = (len: number) => `9${Date.now().toString().slice(-9)}${String(++n).padStart(4, '0')}`.slice(0, len);
  const NOTIFY_URL = 'http://127.0.0.1:9/notify';

  it("payout.pay: a garbled ENCRYPT answer, then unreadable query answers, end in the platform's state, not MmspEncodingError", async () => {
    const client = faultClient(sb);
    const ORDERNO = id(24);
    sb.injectFault('garbled-after', { match: { operation: 'payout.pay', merchantOrderId: ORDERNO } });
    for (const kind of ['html-200-after', 'bad-sign-after', 'garbled-after'] as const)
      sb.injectFault(kind, { match: { operation: 'payout.query', merchantOrderId: ORDERNO } });
    const r = await client.payout.pay({
      ORDERNO,
      AMT: '100',
      BUSIYPE: '001',
      ACCNAME: '张三',
      ACCNO: '6225123456781234',
      MEMO: '代付',
      ACCTYPE: '0',
      MOBILE: '13800138000',
      BANKNAME: '招商银行',
    });
    expect(r.operation).toBe('payout.query');
    expect(['paying', 'paid']).toContain(r.state);
    expect(sb.payouts().filter((p) => p.orderNo === ORDERNO)).toHaveLength(1);
    sb.clearFaults();
  });

  it('payout.waitForFinal: no readable answer before the deadline → MmspOutcomeUnknownError naming the order', async () => {
    const client = faultClient(sb);
    const ORDERNO = id(24);
    sb.injectFault('garbled-after', { match: { operation: 'payout.query', merchantOrderId: ORDERNO }, times: 0 });
    const e = await client.payout
      .waitForFinal({ ORDERNO }, { deadlineMs: 3_000, intervalMs: 500 })
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(MmspOutcomeUnknownError);
    expect(e).toMatchObject({
      operation: 'payout.waitForFinal',
      merchantOrderId: ORDERNO,
      queryOperation: 'payout.query',
    });
    sb.clearFaults();
  });

  it("quickPay.confirmAndWait: the confirm's answer is lost (the card was charged) → queried, paid", async () => {
    const client = faultClient(sb);
    const MERORDERID = id(32);
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
    sb.injectFault('reset-after', { match: { operation: 'quickPay.confirmSms' } });
    const done = await client.quickPay.confirmAndWait({
      LIST_ID: String(order.body.LIST_ID),
      MSG_CODE: sb.smsCode(MERORDERID)!,
      MERORDERID,
    });
    expect(done).toMatchObject({ final: true, result: { operation: 'quickPay.query', state: 'paid' } });
    expect(sb.orders().find((o) => o.merchantOrderId === MERORDERID)?.state).toBe('paid');
  });

  it('quickPay.confirmAndWait: a wrong SMS code leaves the order pending and the payer tries again', async () => {
    const client = faultClient(sb);
    const MERORDERID = id(32);
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
    const code = sb.smsCode(MERORDERID)!;
    const wrong = await client.quickPay.confirmAndWait({
      LIST_ID: String(order.body.LIST_ID),
      MSG_CODE: code === '000000' ? '111111' : '000000',
      MERORDERID,
    });
    expect(wrong).toMatchObject({ final: false, retry: true, confirmation: undefined, result: { state: 'pending' } });
    expect(wrong.smsCodeRefused?.platformCode).toBe('S2');
    const right = await client.quickPay.confirmAndWait({
      LIST_ID: String(order.body.LIST_ID),
      MSG_CODE: code,
      MERORDERID,
    });
    expect(right).toMatchObject({ final: true, result: { state: 'paid' } });
  });

  it('scan.waitForFinal: a bad signature and "no such order" right after placing are polled through', async () => {
    const client = faultClient(sb);
    const MERORDERID = id(20);
    const paying = await client.scan.wechatMicropay({
      AMT: '100',
      GOODSNAME: 'tea',
      MERORDERID,
      CODE: '134567890123451111',
      NOTIFY_URL,
    });
    expect(paying.state).toBe('paying');
    for (const kind of ['not-found', 'bad-sign-after', 'not-found'] as const)
      sb.injectFault(kind, { match: { operation: 'scan.query', merchantOrderId: MERORDERID } });
    const done = await client.scan.waitForFinal({ MERORDERID }, { intervalMs: 100, deadlineMs: 20_000 });
    expect(done).toMatchObject({ final: true, result: { state: 'paid' } });
    sb.clearFaults();
  });

  it('micropay: an answer whose signature fails is settled by scan.query, never sent twice', async () => {
    const client = faultClient(sb);
    const MERORDERID = id(20);
    sb.injectFault('bad-sign-after', { match: { operation: 'scan.alipayMicropay', merchantOrderId: MERORDERID } });
    const counter = sb.injectFault(
      { kind: 'latency', ms: 0 },
      { match: { operation: 'scan.alipayMicropay', merchantOrderId: MERORDERID }, times: 0 },
    );
    const r = await client.scan.alipayMicropay({
      AMT: '100',
      GOODSNAME: 'tea',
      MERORDERID,
      CODE: '134567890123450000',
      NOTIFY_URL,
    });
    expect(r).toMatchObject({ operation: 'scan.query', state: 'paid' });
    expect(counter.hits).toBe(0);
    sb.clearFaults();
  });
});
