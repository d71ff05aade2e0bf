import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MmspProtocolError, openEnvelope } from '@mmsp/codec';
import { startSandbox, type Sandbox } from '../src/index.js';
import { call, envelope, getJson, postJson, postText, startReceiver, uniqueId } from './helpers.js';

let sb: Sandbox;
let receiver: Awaited<ReturnType<typeof startReceiver>>;

beforeAll(async () => {
  sb = await startSandbox({ port: 0, timeScale: 0.001, micropayDelayMs: 50 });
  receiver = await startReceiver();
});
afterAll(async () => {
  await sb.close();
  await receiver.close();
});

const order = (extra: Record<string, string> = {}) => ({
  TRADETYPE: '1',
  AMT: '100',
  MERORDERID: uniqueId('S'),
  RANDSTR: 'abc123',
  GOODSNAME: 'book',
  NOTIFY_URL: receiver.url,
  ...extra,
});

describe('scan code native order', () => {
  it('answers a signed 35074 with a payment page URL, and a query says not paid yet (STATUS 3 AA)', async () => {
    const req = order();
    const res = await call(sb, 'scan', 2306, req);
    expect(res.commandId).toBe(35074);
    expect(res.plainBody.STATUS).toBe('1');
    expect(res.plainBody.MERORDERID).toBe(req.MERORDERID);
    expect(String(res.plainBody.URL)).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/_sandbox\/pay\//);
    const q = await call(sb, 'scan', 2310, { MERORDERID: req.MERORDERID, RANDSTR: 'r1' });
    expect(q.commandId).toBe(35078);
    expect(q.plainBody).toMatchObject({ STATUS: '3', ERR_CODE: 'AA', AMT: '100', ORDERNO: res.plainBody.ORDERNO });
    const page = await fetch(String(res.plainBody.URL));
    expect(await page.text()).toContain(req.MERORDERID);
  });

  it('pays through the control endpoint, pushes a signed 2324 notification, query says paid', async () => {
    const req = order();
    await call(sb, 'scan', 2306, req);
    const before = receiver.received.length;
    const paid = await postJson<{ state: string }>(`${sb.url}/_sandbox/orders/${req.MERORDERID}/pay`);
    expect(paid.status).toBe(200);
    expect(paid.json.state).toBe('paid');
    const got = await receiver.waitFor(before + 1);
    const note = openEnvelope(got[before]!.text, { key: sb.merchant.key, requireSignature: true });
    expect(note.commandId).toBe(2324);
    expect(note.plainBody).toMatchObject({ MERORDERID: req.MERORDERID, STATUS: '1', AMT: 100 });
    const q = await call(sb, 'scan', 2310, { MERORDERID: req.MERORDERID, RANDSTR: 'r2' });
    expect(q.plainBody.STATUS).toBe('1');
    await sb.notificationsIdle();
    const attempts = await getJson<Array<{ merchantOrderId: string; acknowledged: boolean }>>(
      `${sb.url}/_sandbox/notifications?merchantOrderId=${req.MERORDERID}`,
    );
    expect(attempts).toHaveLength(1);
    expect(attempts[0]!.acknowledged).toBe(true);
  });

  it('refuses a bad signature with the negative response 32768', async () => {
    const text = envelope(sb, 'scan', 2306, order(), { key: 'not-the-key' });
    const res = await postText(`${sb.url}/scan`, text);
    expect(() => openEnvelope(res.text, { key: sb.merchant.key })).toThrow(MmspProtocolError);
    const raw = JSON.parse(res.text);
    expect(raw).toMatchObject({ CommandID: 32768, RetCode: 0, Body: '', Sign: '' });
    expect(raw.ErrorMsg).toContain('1006');
  });
});
