// Scan code end to end with @mmsp/client over fetch: pre-orders of every channel, micropay test
// codes, query, cancel, close, refunds (never beyond the paid amount), refund query, expiry.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MmspProtocolError } from '@mmsp/client';
import { startSandbox, type Sandbox } from '../src/index.js';
import { postJson, startReceiver, uniqueId } from './helpers.js';
import { clientFor } from './support.js';

let sb: Sandbox;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let client: ReturnType<typeof clientFor>;

beforeAll(async () => {
  sb = await startSandbox({ timeScale: 0.001, micropayDelayMs: 100 });
  receiver = await startReceiver();
  client = clientFor(sb);
});
afterAll(async () => {
  await sb.close();
  await receiver.close();
});

const base = () => ({ AMT: '300', MERORDERID: uniqueId('S'), GOODSNAME: 'tea', NOTIFY_URL: receiver.url });

describe('pre-orders', () => {
  const orders = [
    ['wechatOrder', { TRADETYPE: '1' }],
    ['alipayOrder', { TRADETYPE: '1' }],
    ['qqOrder', { TRADETYPE: '1' }],
    ['jdOrder', { TRADETYPE: '1' }],
    ['unionPayWalletOrder', { TRADETYPE: '1' }],
    ['alipayStaticCode', { TRADETYPE: '1' }],
    ['alipayDynamicCode', { TRADETYPE: '1' }],
    ['wechatH5', { CUR: 'CNY', JUMP_URL: 'http://127.0.0.1/back' }],
    ['alipayH5', { CUR: 'CNY', JUMP_URL: 'http://127.0.0.1/back' }],
  ] as const;
  for (const [name, extra] of orders) {
    it(`scan.${name} answers a payment URL and the order can be paid`, async () => {
      const body = { ...base(), ...extra };
      const res = await (client.scan[name] as (b: object) => Promise<{ body: Record<string, unknown> }>)(body);
      expect(res.body.STATUS).toBe('1');
      expect(String(res.body.URL)).toContain('/_sandbox/pay/');
      const page = await (await fetch(String(res.body.URL))).text();
      expect(page).toContain('id="pay"');
      await postJson(`${sb.url}/_sandbox/orders/${body.MERORDERID}/pay`);
      const q = await client.scan.query({ MERORDERID: body.MERORDERID });
      expect(q.body.STATUS).toBe('1');
      expect(q.state).toBe('paid');
    });
  }

  it('an H5 order paid on its page sends the browser back to JUMP_URL', async () => {
    const body = { ...base(), CUR: 'CNY' as const, JUMP_URL: 'http://127.0.0.1:9/h5-back' };
    const res = await client.scan.wechatH5(body);
    const html = await (await fetch(String(res.body.URL))).text();
    const form = html.split('<form').find((f) => f.includes('id="pay"'))!;
    const action = /action="([^"]+)"/.exec(form)![1]!;
    const fields = Object.fromEntries([...form.matchAll(/name="([^"]+)" value="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));
    const back = await fetch(new URL(action, sb.url), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields),
      redirect: 'manual',
    });
    expect(back.status).toBe(303);
    expect(back.headers.get('location')).toBe('http://127.0.0.1:9/h5-back');
  });

  it('a duplicate MERORDERID answers STATUS 2 with ERR_CODE 1008', async () => {
    const body = { ...base(), TRADETYPE: '1' as const };
    await client.scan.wechatOrder(body);
    const again = await client.scan.wechatOrder(body).then(
      (r) => r.body,
      (e: { body?: Record<string, unknown> }) => e.body,
    );
    expect(again).toMatchObject({ STATUS: '2', ERR_CODE: '1008' });
  });

  it('a JSAPI order with IS_RAW 1 answers PAY_INFO', async () => {
    const res = await client.scan.wechatOrder({ ...base(), TRADETYPE: '2', OPENID: 'o-sandbox', IS_RAW: '1' });
    expect(JSON.parse(String(res.body.PAY_INFO))).toHaveProperty('package');
  });
});

describe('micropay test codes', () => {
  const micropay = (code: string) =>
    client.scan.wechatMicropay({ ...base(), CUR: 'CNY', CODE: `13456789012345${code}` });

  it('…0000 is paid at once and not pushed', async () => {
    const res = await micropay('0000');
    expect(res.body.STATUS).toBe('1');
    await new Promise((r) => setTimeout(r, 100));
    expect(sb.notifications().filter((a) => a.merchantOrderId === res.body.MERORDERID)).toHaveLength(0);
  });

  it('…1111 answers paying (AA), then is paid and pushed; waitForFinal settles it', async () => {
    const res = await micropay('1111');
    expect(res.body).toMatchObject({ STATUS: '3', ERR_CODE: 'AA' });
    expect(res.state).toBe('paying');
    const done = await client.scan.waitForFinal(
      { MERORDERID: String(res.body.MERORDERID) },
      { intervalMs: 50, deadlineMs: 5000 },
    );
    expect(done.final).toBe(true);
    expect(done.result.state).toBe('paid');
    const end = Date.now() + 5000;
    const mine = () => receiver.received.filter((r) => r.text.includes(String(res.body.MERORDERID)));
    while (mine().length === 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
    expect(mine().length).toBeGreaterThanOrEqual(1);
  });

  it('…1111 settles on the platform timer and is pushed without anyone querying', async () => {
    const res = await micropay('1111');
    const mine = () => receiver.received.some((r) => r.text.includes(String(res.body.MERORDERID)));
    const end = Date.now() + 5000;
    while (!mine() && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
    expect(mine()).toBe(true);
    expect(sb.orders().find((o) => o.merchantOrderId === res.body.MERORDERID)?.state).toBe('paid');
  });

  it('…3333 answers paying, then fails', async () => {
    const res = await client.scan.alipayMicropay({ ...base(), CUR: 'CNY', CODE: '28000000003333' });
    expect(res.body.STATUS).toBe('3');
    const done = await client.scan.waitForFinal(
      { MERORDERID: String(res.body.MERORDERID) },
      { intervalMs: 50, deadlineMs: 5000 },
    );
    expect(done.result.state).toBe('failed');
  });

  it('…9999 is declined at once', async () => {
    const res = await client.scan.qqMicropay({ ...base(), CUR: 'CNY', CODE: '91000000009999' }).then(
      (r) => r.body,
      (e: { body?: Record<string, unknown> }) => e.body,
    );
    expect(res).toMatchObject({ STATUS: '2' });
  });

  it('…2222 stays paying until cancelled', async () => {
    const res = await micropay('2222');
    const q = await client.scan.query({ MERORDERID: String(res.body.MERORDERID) });
    expect(q.body.STATUS).toBe('3');
    const c = await client.scan.cancel({ MERORDERID: String(res.body.MERORDERID) });
    expect(c.body.STATUS).toBe('1');
    const after = await client.scan.query({ MERORDERID: String(res.body.MERORDERID) });
    expect(after.body).toMatchObject({ STATUS: '2', ERR_CODE: 'D4' });
  });
});

describe('refunds, close, expiry', () => {
  it('refunds partially then fully, never beyond the paid amount; refund query finds them', async () => {
    const res = await client.scan.wechatMicropay({ ...base(), AMT: '1000', CUR: 'CNY', CODE: '134567890123450000' });
    const ref = { MERORDERID: String(res.body.MERORDERID) };
    const r1 = await client.scan.refund({ ...ref, REFUND_MERORDERID: uniqueId('R'), AMT: '400' });
    expect(r1.body).toMatchObject({ STATUS: '1', AMT: '400' });
    const tooMuch = await client.scan.refund({ ...ref, REFUND_MERORDERID: uniqueId('R'), AMT: '601' }).then(
      (r) => r.body,
      (e: { body?: Record<string, unknown> }) => e.body,
    );
    expect(tooMuch).toMatchObject({ STATUS: '2', ERR_CODE: 'S5' });
    const r2 = await client.scan.refund({ ...ref, REFUND_MERORDERID: uniqueId('R'), AMT: '600' });
    expect(r2.body.STATUS).toBe('1');
    const none = await client.scan.refund({ ...ref, REFUND_MERORDERID: uniqueId('R'), AMT: '1' }).then(
      (r) => r.body,
      (e: { body?: Record<string, unknown> }) => e.body,
    );
    expect(none?.STATUS).toBe('2');
    const rq = await client.scan.refundQuery({ REFUND_ORDERNO: String(r1.body.REFUND_ORDERNO) });
    expect(rq.body).toMatchObject({ STATUS: '1', AMT: '400', REFUND_MERORDERID: r1.body.REFUND_MERORDERID });
  });

  it('refunding an unpaid order is refused', async () => {
    const res = await client.scan.wechatOrder({ ...base(), TRADETYPE: '1' });
    const r = await client.scan
      .refund({ MERORDERID: String(res.body.MERORDERID), REFUND_MERORDERID: uniqueId('R'), AMT: '1' })
      .then(
        (x) => x.body,
        (e: { body?: Record<string, unknown> }) => e.body,
      );
    expect(r?.STATUS).toBe('2');
  });

  it('close closes an unpaid order; a closed order cannot be paid', async () => {
    const res = await client.scan.alipayOrder({ ...base(), TRADETYPE: '1' });
    const c = await client.scan.close({ ORDERNO: String(res.body.ORDERNO) });
    expect(c.body.STATUS).toBe('1');
    const pay = await postJson(`${sb.url}/_sandbox/orders/${res.body.MERORDERID}/pay`);
    expect(pay.status).toBe(409);
  });

  it('an order expires at TIME_END', async () => {
    const soon = new Date(Date.now() + 8 * 3600_000 + 300);
    const p = (n: number) => String(n).padStart(2, '0');
    const timeEnd = `${soon.getUTCFullYear()}-${p(soon.getUTCMonth() + 1)}-${p(soon.getUTCDate())} ${p(soon.getUTCHours())}:${p(soon.getUTCMinutes())}:${p(soon.getUTCSeconds())}`;
    const res = await client.scan.wechatOrder({ ...base(), TRADETYPE: '1', TIME_END: timeEnd });
    await new Promise((r) => setTimeout(r, 1300));
    const q = await client.scan.query({ MERORDERID: String(res.body.MERORDERID) });
    expect(q.body).toMatchObject({ STATUS: '2', ERR_CODE: 'D4' });
  });

  it('the expire control endpoint closes an order at once', async () => {
    const res = await client.scan.jdOrder({ ...base(), TRADETYPE: '1' });
    const e = await postJson<{ state: string }>(`${sb.url}/_sandbox/orders/${res.body.MERORDERID}/expire`);
    expect(e.json.state).toBe('closed');
  });

  it('an unknown order is the negative response "[-2002] 没有该订单"', async () => {
    await expect(client.scan.query({ MERORDERID: uniqueId('NONE') })).rejects.toSatisfy(
      (e: unknown) => e instanceof MmspProtocolError && String(e.platformMessage).includes('-2002'),
    );
  });
});
