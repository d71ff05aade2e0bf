// The sandbox as a component: the /_sandbox/merchant contract, validation answers, agency mode,
// card data never kept, determinism with a seed, state kept across restarts in statePath.
import { createPrivateKey, createPublicKey, sign as rsaSign, verify as rsaVerify } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildEnvelope, openEnvelope } from '@mmsp/codec';
import { createClient, MmspProtocolError } from '@mmsp/client';
import { startSandbox, TEST_MERCHANT, type Sandbox } from '../src/index.js';
import { call, getJson, postText, startReceiver, uniqueId } from './helpers.js';
import { clientFor, fetchTransport } from './support.js';

const open: Sandbox[] = [];
const dirs: string[] = [];
afterAll(async () => {
  for (const s of open) await s.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
async function start(options: Parameters<typeof startSandbox>[0] = {}): Promise<Sandbox> {
  const s = await startSandbox(options);
  open.push(s);
  return s;
}

describe('GET /_sandbox/merchant', () => {
  it('answers the PROTOCOL §8 test merchant, PEM keys that pair, and the four endpoints', async () => {
    const sb = await start();
    const m = await getJson<Record<string, string | Record<string, string>>>(`${sb.url}/_sandbox/merchant`);
    expect(Object.keys(m).sort()).toEqual([
      'endpoints',
      'key',
      'merchantNo',
      'merchantPrivateKey',
      'merchantPublicKey',
      'platformPublicKey',
      'terminalNo',
    ]);
    expect(m).toMatchObject({
      ...TEST_MERCHANT,
      endpoints: {
        quickPay: `${sb.url}/quickpay`,
        scan: `${sb.url}/scan`,
        gateway: `${sb.url}/gateway`,
        payout: `${sb.url}/payout`,
      },
    });
    expect(m.merchantPrivateKey).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(m.platformPublicKey).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    expect(createPublicKey(m.platformPublicKey as string).asymmetricKeyDetails?.modulusLength).toBe(1024);
    const sig = rsaSign('sha1', Buffer.from('x'), createPrivateKey(m.merchantPrivateKey as string));
    expect(rsaVerify('sha1', Buffer.from('x'), createPublicKey(m.merchantPublicKey as string), sig)).toBe(true);
    expect(sb.merchant).toEqual(m);
  });
});

describe('validation and signatures', () => {
  it('a body missing a required field gets 32768 with [1001] naming the field', async () => {
    const sb = await start();
    const text = buildEnvelope({
      family: 'scan',
      commandId: 2306,
      seqId: 5,
      merchantNo: sb.merchant.merchantNo,
      terminalNo: sb.merchant.terminalNo,
      key: sb.merchant.key,
      body: {
        TRADETYPE: '1',
        MERORDERID: uniqueId('V'),
        RANDSTR: 'r',
        GOODSNAME: 'x',
        NOTIFY_URL: 'http://127.0.0.1/n',
      },
    }).text;
    const res = JSON.parse((await postText(`${sb.url}/scan`, text)).text);
    expect(res).toMatchObject({ CommandID: 32768, SeqID: 5, RetCode: 0, Sign: '' });
    expect(res.ErrorMsg).toMatch(/^\[1001\].*AMT/);
  });

  it('an unknown merchant gets [1002]; an unknown command gets 32768', async () => {
    const sb = await start();
    const env = (merchantNo: string, commandId: number) =>
      buildEnvelope({
        family: 'scan',
        commandId,
        seqId: 1,
        merchantNo,
        terminalNo: '84970001',
        key: sb.merchant.key,
        body: { MERORDERID: 'x', RANDSTR: 'r' },
      }).text;
    expect(JSON.parse((await postText(`${sb.url}/scan`, env('001440353999000', 2310))).text).ErrorMsg).toContain(
      '1002',
    );
    expect(JSON.parse((await postText(`${sb.url}/scan`, env(sb.merchant.merchantNo, 9999))).text).CommandID).toBe(
      32768,
    );
  });

  it('checks the signature over the PHP re-encoding: reordered keys and escaped slashes verify', async () => {
    const sb = await start();
    const body = {
      NOTIFY_URL: 'http://127.0.0.1/a/b',
      AMT: '1',
      MERORDERID: uniqueId('V'),
      TRADETYPE: '1',
      RANDSTR: 'r',
      GOODSNAME: '商品',
    };
    const built = buildEnvelope({
      family: 'scan',
      commandId: 2306,
      seqId: 1,
      merchantNo: sb.merchant.merchantNo,
      terminalNo: sb.merchant.terminalNo,
      key: sb.merchant.key,
      body,
    });
    // The same envelope with the Body's keys in another order and "/" unescaped: PHP decodes the same array.
    const reordered = built.text.replace(
      /"Body":\{.*\},"Sign"/,
      `"Body":${JSON.stringify(Object.fromEntries(Object.entries(body).reverse()))},"Sign"`,
    );
    expect(reordered).not.toBe(built.text);
    const res = openEnvelope((await postText(`${sb.url}/scan`, reordered)).text, {
      key: sb.merchant.key,
      requireSignature: true,
    });
    expect(res.plainBody.STATUS).toBe('1');
  });

  it('agency mode: the agent key signs requests and responses', async () => {
    const merchant = {
      merchantNo: '001440353999001',
      terminalNo: '84970009',
      key: 'merchant-key-1',
      agentNo: '00110001',
      agentKey: 'agent-key-1',
    };
    const sb = await start({ merchants: [merchant] });
    const quiet = { debug() {}, info() {}, warn() {}, error() {} };
    const c = createClient({
      ...merchant,
      endpoints: { scan: sb.endpoints.scan },
      transport: fetchTransport,
      logger: quiet,
    });
    const res = await c.scan.wechatOrder({
      TRADETYPE: '1',
      AMT: '1',
      MERORDERID: uniqueId('A'),
      GOODSNAME: 'x',
      NOTIFY_URL: 'http://127.0.0.1/n',
    });
    expect(res.body.STATUS).toBe('1');
    const wrong = createClient({
      ...merchant,
      agentKey: 'merchant-key-1',
      endpoints: { scan: sb.endpoints.scan },
      transport: fetchTransport,
      logger: quiet,
    });
    await expect(wrong.scan.query({ MERORDERID: 'x' })).rejects.toBeInstanceOf(MmspProtocolError);
  });

  it('POST /_sandbox/merchants registers a merchant at run time (agency mode here); bad input names the field', async () => {
    const sb = await start();
    const merchant = {
      merchantNo: '001440353999002',
      terminalNo: '84970010',
      key: 'k-2',
      agentNo: '00110002',
      agentKey: 'agent-2',
    };
    const bad = await fetch(`${sb.url}/_sandbox/merchants`, {
      method: 'POST',
      body: JSON.stringify({ ...merchant, agentKey: undefined }),
    });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('agentKey');
    const ok = await fetch(`${sb.url}/_sandbox/merchants`, { method: 'POST', body: JSON.stringify(merchant) });
    expect(ok.status).toBe(201);
    const c = createClient({
      ...merchant,
      endpoints: { scan: sb.endpoints.scan },
      transport: fetchTransport,
      logger: { debug() {}, info() {}, warn() {}, error() {} },
    });
    expect(
      (
        await c.scan.wechatOrder({
          TRADETYPE: '1',
          AMT: '1',
          MERORDERID: uniqueId('M'),
          GOODSNAME: 'x',
          NOTIFY_URL: 'http://127.0.0.1/n',
        })
      ).body.STATUS,
    ).toBe('1');
  });

  it('keeps no card data: CARDNO, CVN2, EXPDATE, ID_NO never appear in the state file, the log or the inspection API', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mmsp-sandbox-'));
    dirs.push(dir);
    const statePath = join(dir, 'state.json');
    const sb = await start({ statePath });
    const c = clientFor(sb);
    const body = {
      MERORDERID: uniqueId('C'),
      AMT: '1',
      NAME: '张安',
      PHONENO: '18826570890',
      CARDNO: '6227000013830237349',
      CARDTYPE: '2' as const,
      EXPDATE: '0129',
      CVN2: '987',
      ID_NO: '23210219820916601X',
      NOTIFY_URL: 'http://127.0.0.1/n',
      USER_ID: 'u1',
    };
    await c.quickPay.pay(body);
    await c.quickPay.confirmSms({
      LIST_ID: sb.orders().at(-1)!.platformOrderId,
      MSG_CODE: sb.smsCode(body.MERORDERID)!,
    });
    await sb.close();
    const everything = [
      readFileSync(statePath, 'utf8'),
      sb.log().join('\n'),
      JSON.stringify(sb.orders()),
      JSON.stringify(sb.sms()),
    ].join('\n');
    for (const secret of [body.CARDNO, body.ID_NO, '"0129"', '"987"', body.PHONENO])
      expect(everything).not.toContain(secret);
  });
});

describe('determinism and persistence', () => {
  async function script(sb: Sandbox): Promise<string[]> {
    const out: string[] = [];
    for (let i = 0; i < 3; i++) {
      const scan = await call(sb, 'scan', 2306, {
        TRADETYPE: '1',
        AMT: '1',
        MERORDERID: `D${i}`,
        RANDSTR: 'r',
        GOODSNAME: 'x',
        NOTIFY_URL: 'http://127.0.0.1/n',
      });
      const qp = await call(sb, 'quickPay', 771, {
        MERORDERID: `D${i}`,
        AMT: '1',
        NAME: 'n',
        PHONENO: '18826570890',
        CARDNO: '6227000013830230000',
        CARDTYPE: '1',
        ID_NO: '23210219820916601X',
        NOTIFY_URL: 'http://127.0.0.1/n',
      });
      out.push(String(scan.plainBody.ORDERNO), String(qp.plainBody.LIST_ID), sb.smsCode(`D${i}`)!);
    }
    return out;
  }

  it('the same seed and requests give the same platform order numbers and SMS codes; another seed differs', async () => {
    const a = await script(await start({ seed: 'same' }));
    const b = await script(await start({ seed: 'same' }));
    const c = await script(await start({ seed: 'other' }));
    expect(a).toEqual(b);
    expect(c).not.toEqual(a);
  });

  it('statePath keeps keys, orders, payouts and ledger across a restart; ids do not repeat', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mmsp-sandbox-'));
    dirs.push(dir);
    const statePath = join(dir, 'nested', 'state.json');
    const first = await startSandbox({ statePath, seed: 's', payoutDelayMs: 0 });
    const mer = uniqueId('P');
    const created = await call(first, 'scan', 2306, {
      TRADETYPE: '1',
      AMT: '5',
      MERORDERID: mer,
      RANDSTR: 'r',
      GOODSNAME: 'x',
      NOTIFY_URL: 'http://127.0.0.1/n',
    });
    first.settleOrder(mer, 'pay');
    await clientFor(first).payout.pay({
      ORDERNO: '123456',
      AMT: '100',
      BUSIYPE: '001' as const,
      ACCNAME: 'a',
      ACCNO: '6225123456781234',
      MEMO: 'm',
      ACCTYPE: '0' as const,
      MOBILE: '13800138000',
      BANKNAME: 'b',
    });
    const keys = first.merchant;
    const ledger = await getJson(`${first.url}/_sandbox/ledger`);
    await first.close();

    const second = await start({ statePath, seed: 's', port: 0 });
    expect(second.merchant.platformPublicKey).toBe(keys.platformPublicKey);
    expect(second.merchant.merchantPrivateKey).toBe(keys.merchantPrivateKey);
    const q = await call(second, 'scan', 2310, { MERORDERID: mer, RANDSTR: 'r' });
    expect(q.plainBody).toMatchObject({ STATUS: '1', ORDERNO: created.plainBody.ORDERNO });
    expect(await getJson(`${second.url}/_sandbox/ledger`)).toEqual(ledger);
    const pq = await clientFor(second).payout.query({ ORDERNO: '123456' });
    expect(pq.body.PAYSTATE).toBe('1');
    const next = await call(second, 'scan', 2306, {
      TRADETYPE: '1',
      AMT: '5',
      MERORDERID: uniqueId('P'),
      RANDSTR: 'r',
      GOODSNAME: 'x',
      NOTIFY_URL: 'http://127.0.0.1/n',
    });
    expect(next.plainBody.ORDERNO).not.toBe(created.plainBody.ORDERNO);
  });

  it('an undelivered notification resumes after a restart with statePath', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mmsp-sandbox-'));
    dirs.push(dir);
    const statePath = join(dir, 'state.json');
    let accept = false;
    const r = await startReceiver(() => (accept ? { status: 200, body: 'SUCCESS' } : { status: 503, body: 'down' }));
    try {
      const first = await startSandbox({ statePath, timeScale: 0.01 });
      const mer = uniqueId('R');
      await clientFor(first).quickPay.unionPayOrder({
        MERORDERID: mer,
        AMT: '1',
        JUMP_URL: 'http://127.0.0.1/j',
        NOTIFY_URL: r.url,
      });
      first.settleOrder(mer, 'pay');
      await r.waitFor(2);
      // The receiver has answered twice; wait until the sandbox has recorded both answers too
      // (under load the second answer can still be in flight when close() is called).
      const recorded = Date.now() + 10_000;
      while (first.notifications().filter((a) => a.merchantOrderId === mer).length < 2 && Date.now() < recorded)
        await new Promise((res) => setTimeout(res, 10));
      await first.close();
      accept = true;
      const second = await start({ statePath, timeScale: 0.01 });
      const end = Date.now() + 10_000;
      while (!second.notifications().some((a) => a.merchantOrderId === mer && a.acknowledged) && Date.now() < end)
        await new Promise((res) => setTimeout(res, 20));
      const attempts = second.notifications().filter((a) => a.merchantOrderId === mer);
      expect(attempts.at(-1)).toMatchObject({ acknowledged: true, status: 200 });
      expect(attempts.length).toBeGreaterThanOrEqual(3);
    } finally {
      await r.close();
    }
  });

  it('answers 421 to a request addressed to another host name (DNS rebinding)', async () => {
    const sb = await start();
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${sb.url}/_sandbox/merchant`, { headers: { host: 'evil.example:80' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(421);
  });

  it('refuses a non-loopback host', async () => {
    await expect(startSandbox({ host: '0.0.0.0' })).rejects.toThrow(/loopback/);
  });
});
