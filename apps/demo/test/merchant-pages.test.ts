// The merchant's own pages (payouts, balance) say what went wrong in plain Chinese and English, as
// the shop pages do for shoppers (issue #15): the error class and the platform's technical text stay
// under "For the merchant" and on the live log. Faults come from the embedded sandbox.
import { MmspOutcomeUnknownError, MmspTransportError } from '@mmsp/client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { reasonFromError } from '../src/reasons.js';
import { startDemo, type DemoProcess } from './support/demo.js';
import { getText } from './support/http.js';

let demo: DemoProcess;
let sandboxUrl: string;
beforeAll(async () => {
  demo = await startDemo();
  sandboxUrl = ((await (await fetch(`${demo.base}/api/about`)).json()) as { sandboxUrl: string }).sandboxUrl;
});
afterAll(async () => {
  await demo?.stop();
});
afterEach(async () => {
  await fetch(`${sandboxUrl}/_sandbox/faults`, { method: 'DELETE' });
});

/** Arms a sandbox fault on every matching request until cleared. */
async function fault(kind: Record<string, unknown>, match: Record<string, string>): Promise<void> {
  const res = await fetch(`${sandboxUrl}/_sandbox/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ fault: kind, match, times: 0 }),
  });
  expect(res.status).toBe(201);
}

/** What the page shows without opening "For the merchant": the text outside <details>, tags removed. */
const visible = (page: string) =>
  page
    .replace(/<(style|script)[\s\S]*?<\/\1>/g, '')
    .replace(/<details[\s\S]*?<\/details>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/\s+/g, ' ');
const TECHNICAL = /Mmsp\w*Error|RETCODE|HTTP 5\d\d|ECONN|socket/;

const payoutForm = (fields: Record<string, string>) =>
  fetch(`${demo.base}/payouts`, {
    method: 'POST',
    redirect: 'manual',
    body: new URLSearchParams({
      AMT: '1000',
      ACCNAME: '李四',
      ACCNO: '6217000010001234567',
      BANKNAME: '中国建设银行',
      MOBILE: '13900139000',
      MEMO: 'demo',
      ...fields,
    }),
  });
const payouts = async () =>
  (await (await fetch(`${demo.base}/api/payouts`)).json()) as {
    orderNo: string;
    amount: string;
    state: string;
    message: string | null;
  }[];

describe('payouts and balance speak to the merchant', () => {
  it('balance: the platform answering 502 every time reads as a plain sentence in both languages', async () => {
    await fault({ kind: 'http-error', status: 502 }, { operation: 'payout.balance' });
    const page = await getText(`${demo.base}/balance`);
    expect(page.status).toBe(502);
    expect(visible(page.text)).toContain('支付平台没有及时答复，请稍后再试。');
    expect(visible(page.text)).toContain('The payment service did not answer in time: please try again in a moment.');
    expect(visible(page.text)).not.toMatch(TECHNICAL);
    expect(page.text).toMatch(/<details[^>]*>[\s\S]*MmspTransportError[\s\S]*<\/details>/); // kept for the merchant
  });

  it('a payout refused for a low balance: the list says so in plain words, not the RETCODE text', async () => {
    const res = await payoutForm({ AMT: '1000000000' });
    expect(res.status).toBe(303);
    const row = (await payouts()).find((p) => p.amount === '1000000000')!;
    expect(row, JSON.stringify(row)).toMatchObject({ state: 'failed' });
    expect(row.message).toBe("商户余额不足。 The merchant's balance is too low.");
    const page = await getText(`${demo.base}/payouts`);
    const tr = new RegExp(`<tr data-order-no="${row.orderNo}"[\\s\\S]*?</tr>`).exec(page.text)![0];
    expect(visible(tr)).toContain("商户余额不足。 The merchant's balance is too low.");
    expect(visible(tr)).not.toMatch(TECHNICAL);
  });

  it('an amount that is not whole fen: a 400 page in Chinese and English', async () => {
    const res = await payoutForm({ AMT: '12.5' });
    expect(res.status).toBe(400);
    const text = visible(await res.text());
    expect(text).toContain('金额以分为单位，须为正整数（100 分 = 1.00 元）。');
    expect(text).toContain('The amount is a whole number of fen (100 = ¥1.00).');
  });

  it('a payout query that cannot reach the platform: a page titled for the payout, plain words, back to the payouts', async () => {
    const res0 = await payoutForm({ AMT: '1100' });
    expect(res0.status).toBe(303);
    const orderNo = (await payouts()).find((p) => p.amount === '1100')!.orderNo;
    await fault({ kind: 'reset-before' }, { operation: 'payout.query' });
    const res = await fetch(`${demo.base}/payouts/${orderNo}/query`, { method: 'POST', redirect: 'manual' });
    expect(res.status).toBe(502);
    const html = await res.text();
    const text = visible(html);
    expect(text).toContain('The payout could not be queried');
    expect(text).toContain('支付平台没有及时答复，请稍后再试。');
    expect(text).not.toMatch(TECHNICAL);
    expect(text).not.toContain('The payment could not be made');
    expect(html).toContain('href="/payouts"');
  });
});

describe('the payout words for outcomes a page cannot easily provoke', () => {
  it('an unknown outcome (the answer lost, the queries too) says to query and never to send again', () => {
    const unknown = new MmspOutcomeUnknownError({
      operation: 'payout.pay',
      merchantOrderId: '2026120600000001',
      queryOperation: 'payout.query',
      reason: 'connection reset',
      cause: undefined,
    });
    for (const error of [unknown, new MmspTransportError('reset after sending', { mayHaveReachedPlatform: true })]) {
      const reason = reasonFromError('payout.pay', error);
      expect(reason.zh).toBe('代付结果暂时未知：请稍后在代付列表中点“查询”，切勿重新发起同一笔代付。');
      expect(reason.en).toMatch(/outcome is not known yet.*do not send the same payout again/);
      expect(reason.technical).toMatch(/^Mmsp\w+Error: /); // kept for "For the merchant"
    }
    expect(reasonFromError('payout.pay', new MmspTransportError('refused', { mayHaveReachedPlatform: false })).en).toBe(
      'The payment service could not be reached: please try again in a moment.',
    );
  });
});
