// Quick pay end to end with @mmsp/client: flow A (pay → SMS confirm → query), SMS resend at most
// once per 60 s, test cards, bind-card flows, UnionPay order URL (flow C), batch query and paging.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../src/index.js';
import { getJson, postJson, startReceiver, uniqueId } from './helpers.js';
import { clientFor } from './support.js';

let sb: Sandbox;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let client: ReturnType<typeof clientFor>;
let now = Date.now();

beforeAll(async () => {
  sb = await startSandbox({ timeScale: 0.001, seed: 'quick-pay', clock: () => now });
  receiver = await startReceiver();
  client = clientFor(sb);
});
afterAll(async () => {
  await sb.close();
  await receiver.close();
});

const card = (cardNo = '6227000013830230000') => ({
  MERORDERID: uniqueId('Q'),
  AMT: '1234',
  NAME: '张安',
  PHONENO: '18826570890',
  CARDNO: cardNo,
  CARDTYPE: '1' as const,
  ID_NO: '23210219820916601X',
  NOTIFY_URL: receiver.url,
});

const settled = <T extends { body: Record<string, unknown> }>(p: Promise<T>) =>
  p.then(
    (r) => r.body,
    (e: { body?: Record<string, unknown> }) => e.body ?? Promise.reject(e),
  );

describe('flow A', () => {
  it('pay answers STATUS 0 and sends an SMS code; confirm pays; the notification is signed 35104', async () => {
    const body = card();
    const res = await client.quickPay.pay(body);
    expect(res.body).toMatchObject({ STATUS: '0', MERORDERID: body.MERORDERID, AMT: '1234' });
    expect(String(res.body.CARDNO)).not.toBe(body.CARDNO);
    const code = sb.smsCode(body.MERORDERID);
    expect(code).toMatch(/^\d{6}$/);
    const sms = await getJson<Array<{ code: string; phone: string }>>(
      `${sb.url}/_sandbox/sms?merchantOrderId=${body.MERORDERID}`,
    );
    expect(sms[0]).toMatchObject({ code, phone: '188****0890' });
    expect(sb.log().some((l) => l.includes(code!))).toBe(true);
    const done = await client.quickPay.confirmAndWait(
      { LIST_ID: String(res.body.LIST_ID), MSG_CODE: code!, MERORDERID: body.MERORDERID },
      { intervalMs: 20 },
    );
    expect(done.result.state).toBe('paid');
    await sb.notificationsIdle();
    const pushed = receiver.received.find((r) => r.text.includes(body.MERORDERID));
    expect(pushed).toBeDefined();
    const event = client.notifications.open(pushed!.text);
    expect(event).toMatchObject({
      type: 'paid',
      family: 'quickPay',
      command: 35104,
      merchantOrderId: body.MERORDERID,
      amount: '1234',
    });
  });

  it('the SMS-confirm answer with its Sign inside the Body (快捷 §5.4.3, fault sign-in-body) is read as it is, not settled by a query', async () => {
    const body = card();
    const res = await client.quickPay.pay(body);
    sb.injectFault({ kind: 'sign-in-body' }, { match: { operation: 'quickPay.confirmSms' } });
    const done = await client.quickPay.confirmAndWait(
      { LIST_ID: String(res.body.LIST_ID), MSG_CODE: sb.smsCode(body.MERORDERID)!, MERORDERID: body.MERORDERID },
      { intervalMs: 20 },
    );
    // The platform's own shape: the genuine Sign inside the Body, none after it.
    expect(done.confirmation!.raw).toMatch(/"Body":\{[^{}]*"Sign":"[0-9A-F]{32}"\},"AGENTNO"/);
    expect(done.confirmation!.raw).not.toMatch(/\},"Sign":/);
    expect(done.confirmation).toMatchObject({
      operation: 'quickPay.confirmSms',
      state: 'accepted',
      body: { LIST_ID: String(res.body.LIST_ID), STATUS: '1' },
    });
    expect(done.confirmation!.body).not.toHaveProperty('Sign');
    expect(done).toMatchObject({ final: true, result: { operation: 'quickPay.query', state: 'paid' } });
  });

  it('a wrong SMS code is refused (S2) and the order stays unpaid', async () => {
    const body = card();
    const res = await client.quickPay.pay(body);
    const wrong = sb.smsCode(body.MERORDERID) === '000000' ? '111111' : '000000';
    const c = await settled(client.quickPay.confirmSms({ LIST_ID: String(res.body.LIST_ID), MSG_CODE: wrong }));
    expect(c).toMatchObject({ STATUS: '2', ERRCODE: 'S2' });
    const q = await client.quickPay.query({ MERORDERID: body.MERORDERID });
    expect(q.body.STATUS).toBe('0');
  });

  it('resend is refused within 60 s and allowed after (platform clock)', async () => {
    const body = card('6227000013830237777');
    const res = await client.quickPay.pay(body);
    expect(sb.smsCode(body.MERORDERID)).toBeUndefined();
    // The client that paid counts the 60 s from the SMS pay sent (issue #13 item 11): it refuses
    // before sending. A client without that memory meets the platform, which allows it for …7777.
    await expect(client.quickPay.resendSms({ LIST_ID: String(res.body.LIST_ID) })).rejects.toMatchObject({
      issues: [{ field: 'LIST_ID', rule: 'rateLimit' }],
    });
    const r1 = await clientFor(sb).quickPay.resendSms({ LIST_ID: String(res.body.LIST_ID) });
    expect(r1.body.STATUS).toBe('1');
    const first = sb.smsCode(body.MERORDERID);
    // A second client (no client-side guard) meets the platform's own 60 s rule.
    const other = clientFor(sb);
    const r2 = await settled(other.quickPay.resendSms({ LIST_ID: String(res.body.LIST_ID) }));
    expect(r2).toMatchObject({ STATUS: '2', ERRCODE: 'S3' });
    now += 60_000;
    const r3 = await clientFor(sb).quickPay.resendSms({ LIST_ID: String(res.body.LIST_ID) });
    expect(r3.body.STATUS).toBe('1');
    expect(sb.smsCode(body.MERORDERID)).not.toBe(first ?? '');
  });

  it('card …9999 answers D4 要素不匹配; card …8888 is declined at confirm', async () => {
    const bad = await settled(client.quickPay.pay(card('6227000013830239999')));
    expect(bad).toMatchObject({ STATUS: '2', ERRCODE: 'D4', ERRMSG: '要素不匹配' });
    const body = card('6227000013830238888');
    const res = await client.quickPay.pay(body);
    const c = await settled(
      client.quickPay.confirmSms({ LIST_ID: String(res.body.LIST_ID), MSG_CODE: sb.smsCode(body.MERORDERID)! }),
    );
    expect(c).toMatchObject({ STATUS: '2', ERRCODE: 'S1' });
    const q = await settled(client.quickPay.query({ MERORDERID: body.MERORDERID }));
    expect(q?.STATUS).toBe('2');
  });

  it('a credit card without EXPDATE/CVN2 is refused before anything happens', async () => {
    const body = { ...card(), CARDTYPE: '2' as const };
    await expect(client.quickPay.pay(body)).rejects.toThrow(/EXPDATE|CVN2/);
  });
});

describe('binding', () => {
  it('pay with USER_ID returns BIND_ID; after confirm the bound card pays with SMS (flow B)', async () => {
    const userId = uniqueId('U');
    const body = { ...card(), USER_ID: userId };
    const res = await client.quickPay.pay(body);
    const bindId = String(res.body.BIND_ID);
    expect(bindId).toMatch(/^\d{8}$/);
    await client.quickPay.confirmSms({ LIST_ID: String(res.body.LIST_ID), MSG_CODE: sb.smsCode(body.MERORDERID)! });
    const bq = await client.quickPay.bindQuery({ BIND_ID: bindId });
    expect(bq.body).toMatchObject({ STATUS: '1', BIND_ID: bindId });
    const mer = uniqueId('B');
    const sms = await client.quickPay.boundPaySms({
      BIND_ID: bindId,
      MERORDERID: mer,
      USER_ID: userId,
      PHONENO: '18826570890',
      AMT: '500',
    });
    expect(sms.body.STATUS).toBe('1');
    const paid = await client.quickPay.boundPayConfirm({
      BIND_ID: bindId,
      MERORDERID: mer,
      USER_ID: userId,
      AMT: '500',
      MSG_CODE: sb.smsCode(mer)!,
      NOTIFY_URL: receiver.url,
    });
    expect(paid.body).toMatchObject({ STATUS: '1', MERORDERID: mer });
    const q = await client.quickPay.query({ MERORDERID: mer });
    expect(q.state).toBe('paid');
    const un = await client.quickPay.unbind({ BIND_ID: bindId });
    expect(un.body.STATUS).toBe('1');
    const again = await settled(
      client.quickPay.boundPaySms({
        BIND_ID: bindId,
        MERORDERID: uniqueId('B'),
        USER_ID: userId,
        PHONENO: '18826570890',
        AMT: '500',
      }),
    );
    expect(again).toMatchObject({ STATUS: '2', ERRCODE: 'S6' });
  });

  it('bind SMS then bind (mode B, not yet opened by the platform) creates a binding', async () => {
    const userId = uniqueId('U');
    const mer = uniqueId('BS');
    const s = await client.quickPay.bindSms({
      MERORDERID: mer,
      USER_ID: userId,
      CARDNO: '6225880113756648',
      PHONENO: '18826570890',
    });
    expect(s.body.STATUS).toBe('1');
    const b = await client.quickPay.bind({
      MERORDERID: mer,
      USER_ID: userId,
      CARDNO: '6225880113756648',
      CARDTYPE: '1',
      NAME: '张安',
      ID_NO: '23210219820916601X',
      PHONENO: '18826570890',
      MSG_CODE: sb.smsCode(mer)!,
    });
    expect(b.body.STATUS).toBe('1');
    expect(String(b.body.BIND_ID)).toMatch(/^\d{8}$/);
  });
});

describe('flow C and queries', () => {
  it('unionPayOrder answers a PAY_URL whose page pays the order, and HTML for TRADE_MODE 2', async () => {
    const mer = uniqueId('C');
    const res = await client.quickPay.unionPayOrder({
      MERORDERID: mer,
      AMT: '1000',
      JUMP_URL: 'http://127.0.0.1/back',
      NOTIFY_URL: receiver.url,
      TRADE_MODE: '1',
    });
    expect(res.body.STATUS).toBe('0');
    const page = await (await fetch(String(res.body.PAY_URL))).text();
    expect(page).toContain(mer);
    await postJson(`${sb.url}/_sandbox/orders/${mer}/pay`, { family: 'quickPay' });
    expect((await client.quickPay.query({ MERORDERID: mer })).state).toBe('paid');
    const html = await client.quickPay.unionPayOrder({
      MERORDERID: uniqueId('C'),
      AMT: '1000',
      JUMP_URL: 'http://127.0.0.1/back',
      NOTIFY_URL: receiver.url,
      TRADE_MODE: '2',
    });
    expect(String(html.body.HTML)).toContain('/_sandbox/pay/');
  });

  it('batch query pages paid orders, PERPAGE ≤ 1000, window ≤ 3 months', async () => {
    const c = clientFor(sb);
    const mers: string[] = [];
    for (let i = 0; i < 5; i++) {
      const mer = uniqueId('BQ');
      await c.quickPay.unionPayOrder({
        MERORDERID: mer,
        AMT: '100',
        JUMP_URL: 'http://127.0.0.1/b',
        NOTIFY_URL: receiver.url,
      });
      sb.settleOrder(mer, 'pay');
      mers.push(mer);
    }
    const d = new Date(now + 8 * 3600_000);
    const ymdh = (x: Date) =>
      `${x.getUTCFullYear()}${String(x.getUTCMonth() + 1).padStart(2, '0')}${String(x.getUTCDate()).padStart(2, '0')}${String(x.getUTCHours()).padStart(2, '0')}`;
    const page1 = await c.quickPay.batchQuery({ START_DATE: ymdh(d), END_DATE: ymdh(d), PERPAGE: '2', PAGE: '1' });
    const total = Number(page1.body.TOTAL_NUM);
    expect(total).toBeGreaterThanOrEqual(5);
    expect(page1.body.BIZ_CONTENT as unknown[]).toHaveLength(2);
    expect(page1.body.TOTAL_PAGE).toBe(String(Math.ceil(total / 2)));
    const all = await c.quickPay.batchQuery({ START_DATE: ymdh(d), END_DATE: ymdh(d), PERPAGE: '1000', PAGE: '1' });
    const ids = (all.body.BIZ_CONTENT as Array<{ MERORDERID: string; STATUS: string }>).map((r) => r.MERORDERID);
    for (const m of mers) expect(ids).toContain(m);
    const old = new Date(now + 8 * 3600_000 - 100 * 24 * 3600_000);
    await expect(
      c.quickPay.batchQuery({ START_DATE: ymdh(old), END_DATE: ymdh(d), PERPAGE: '10', PAGE: '1' }),
    ).rejects.toThrow();
    const empty = await settled(
      c.quickPay.batchQuery({
        START_DATE: ymdh(new Date(d.getTime() + 3600_000 * 2)),
        END_DATE: ymdh(new Date(d.getTime() + 3600_000 * 3)),
        PERPAGE: '10',
        PAGE: '1',
      }),
    );
    expect(empty?.STATUS).toBe('0');
  });
});
