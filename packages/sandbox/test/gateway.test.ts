// Gateway end to end: the client's web_api form lands on the sandbox bank page; "clicking" pay
// redirects the browser to JUMP_URL with the §5.5 parameters and pushes a signed notification;
// single and batch query.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEnvelope } from '@mmsp/codec';
import { startSandbox, type Sandbox } from '../src/index.js';
import { startReceiver, uniqueId } from './helpers.js';
import { clientFor } from './support.js';

let sb: Sandbox;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let client: ReturnType<typeof clientFor>;

beforeAll(async () => {
  sb = await startSandbox({ timeScale: 0.001 });
  receiver = await startReceiver();
  client = clientFor(sb);
});
afterAll(async () => {
  await sb.close();
  await receiver.close();
});

/** Submits a form the way a browser does. */
async function submit(action: string, fields: Record<string, string>): Promise<Response> {
  return fetch(action, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields),
    redirect: 'manual',
  });
}

/** The fields and action of the page's form whose button has `id`. */
function formOf(html: string, id: string): { action: string; fields: Record<string, string> } {
  const form = html.split('<form').find((f) => f.includes(`id="${id}"`))!;
  const action = /action="([^"]+)"/.exec(form)![1]!.replace(/&#38;/g, '&');
  const fields = Object.fromEntries([...form.matchAll(/name="([^"]+)" value="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));
  return { action, fields };
}

describe('gateway', () => {
  it('form POST → bank page → pay → 303 to JUMP_URL with §5.5 parameters, notification 35090, query paid', async () => {
    const mer = uniqueId('G');
    const form = await client.gateway.pay({
      MERORDERID: mer,
      AMT: '666',
      NOTIFY_URL: receiver.url,
      JUMP_URL: 'http://127.0.0.1:9/return?x=1',
      PAY_CHANNEL: 'YLBILL-NET-B2C',
      GOODSNAME: 'product',
      REMARK: '备注',
    });
    const page = await submit(form.action, form.fields);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    const html = await page.text();
    expect(html).toContain(mer);
    const pay = formOf(html, 'pay');
    const back = await submit(new URL(pay.action, sb.url).toString(), pay.fields);
    expect(back.status).toBe(303);
    const location = back.headers.get('location')!;
    expect(location.startsWith('http://127.0.0.1:9/return?x=1&')).toBe(true);
    const ret = client.gateway.parseReturn(location);
    expect(ret).toMatchObject({
      proofOfPayment: false,
      STATUS: '1',
      MERORDERID: mer,
      AMT: '666',
      PAY_CHANNEL: 'YLBILL-NET-B2C',
      REMARK: '备注',
    });
    const got = await receiver.waitFor(1);
    const note = openEnvelope(got.find((r) => r.text.includes(mer))!.text, {
      key: sb.merchant.key,
      requireSignature: true,
    });
    expect(note.commandId).toBe(35090);
    expect(client.notifications.open(got.find((r) => r.text.includes(mer))!.text)).toMatchObject({
      type: 'paid',
      family: 'gateway',
      merchantOrderId: mer,
      amount: '666',
    });
    const q = await client.gateway.query({ MERORDERID: mer });
    expect(q.body).toMatchObject({ STATUS: '1', MERORDERID: mer, LIST_ID: ret.LIST_ID });
    expect(q.state).toBe('paid');
  });

  it('decline on the bank page → STATUS 2 in the browser return and the query; no notification', async () => {
    const mer = uniqueId('G');
    const form = await client.gateway.pay({
      MERORDERID: mer,
      AMT: '100',
      NOTIFY_URL: receiver.url,
      JUMP_URL: 'http://127.0.0.1:9/r',
      PAY_CHANNEL: 'ICBC-NET-B2C',
    });
    const html = await (await submit(form.action, form.fields)).text();
    const decline = formOf(html, 'decline');
    const back = await submit(new URL(decline.action, sb.url).toString(), decline.fields);
    expect(client.gateway.parseReturn(back.headers.get('location')!).STATUS).toBe('2');
    const q = await client.gateway.query({ MERORDERID: mer }).then(
      (r) => r.body,
      (e: { body?: Record<string, unknown> }) => e.body,
    );
    expect(q?.STATUS).toBe('2');
    expect(sb.notifications().some((a) => a.merchantOrderId === mer)).toBe(false);
  });

  it('a tampered web_api gets an error page, and a duplicate MERORDERID too', async () => {
    const mer = uniqueId('G');
    const form = await client.gateway.pay({
      MERORDERID: mer,
      AMT: '100',
      NOTIFY_URL: receiver.url,
      JUMP_URL: 'http://127.0.0.1:9/r',
      PAY_CHANNEL: 'YLBILL-NET-B2C',
    });
    const tampered = await submit(form.action, { web_api: form.fields.web_api.replace('"AMT":"100"', '"AMT":"1"') });
    expect(tampered.status).toBe(400);
    expect(await tampered.text()).toContain('1006');
    expect((await submit(form.action, form.fields)).status).toBe(200);
    const dup = await submit(form.action, form.fields);
    expect(await dup.text()).toContain('1008');
  });

  it('batch query lists paid gateway orders', async () => {
    const mer = uniqueId('G');
    const form = await client.gateway.pay({
      MERORDERID: mer,
      AMT: '100',
      NOTIFY_URL: receiver.url,
      JUMP_URL: 'http://127.0.0.1:9/r',
      PAY_CHANNEL: 'YLBILL-NET-B2C',
    });
    await submit(form.action, form.fields);
    sb.settleOrder(mer, 'pay');
    const d = new Date(Date.now() + 8 * 3600_000);
    const day = `${d.getUTCFullYear()}${String(d.getUTCMonth() + 1).padStart(2, '0')}${String(d.getUTCDate()).padStart(2, '0')}`;
    const res = await client.gateway.batchQuery({
      START_DATE: `${day}00`,
      END_DATE: `${day}23`,
      PERPAGE: '1000',
      PAGE: '1',
    });
    expect(res.body.STATUS).toBe('1');
    expect((res.body.BIZ_CONTENT as Array<{ MERORDERID: string }>).map((r) => r.MERORDERID)).toContain(mer);
  });
});
