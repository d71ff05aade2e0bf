// Payout end to end with the client: RSA both ways (the sandbox decrypts with the platform key and
// checks SHA1withRSA with the merchant's registered key; answers are encrypted and signed), the
// ledger (balance, frozen, advance), PAYSTATE progress, test accounts, 1008, 1031, 0001.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateRsaKeyPair, payoutOpen, payoutSeal } from '@mmsp/codec';
import { MmspBusinessError } from '@mmsp/client';
import { startSandbox, type Sandbox } from '../src/index.js';
import { getJson, postText } from './helpers.js';
import { clientFor } from './support.js';
import { createClient } from '@mmsp/client';
import { fetchTransport } from './support.js';

let sb: Sandbox;
let client: ReturnType<typeof clientFor>;
let n = 0;
// The platform's clock: payouts move on only when the test moves time (no race with slow RSA).
let now = Date.now();

beforeAll(async () => {
  sb = await startSandbox({ payoutDelayMs: 1000, seed: 7, clock: () => now });
  client = clientFor(sb);
});
afterAll(() => sb.close());

const orderNo = () => `${Date.now()}${String(++n).padStart(4, '0')}`;
const payout = (extra: { ACCNO?: string; AMT?: string; PAYTYPE?: '1' | '2' | '3' } = {}) => ({
  ORDERNO: orderNo(),
  AMT: '10000',
  BUSIYPE: '001' as const,
  ACCNAME: '张三',
  ACCNO: '6225123456781234',
  MEMO: '代付',
  ACCTYPE: '0' as const,
  MOBILE: '13800138000',
  BANKNAME: '招商银行',
  ...extra,
});
const ledger = () => getJson<{ balance: string; frozen: string; advance: string }>(`${sb.url}/_sandbox/ledger`);

describe('payout', () => {
  it('pays: PAYSTATE 2 with the amount frozen, then 1; balance query reflects it', async () => {
    const before = await ledger();
    const body = payout();
    const res = await client.payout.pay(body);
    expect(res.codes.retCode).toBe('0000');
    expect(res.body).toMatchObject({ ORDERNO: body.ORDERNO, PAYSTATE: '2' });
    expect(res.state).toBe('paying');
    const during = await ledger();
    expect(BigInt(during.balance)).toBe(BigInt(before.balance) - 10000n);
    expect(BigInt(during.frozen)).toBe(BigInt(before.frozen) + 10000n);
    now += 1000;
    const done = await client.payout.waitForFinal({ ORDERNO: body.ORDERNO }, { intervalMs: 50, deadlineMs: 5000 });
    expect(done.result.state).toBe('paid');
    const bal = await client.payout.balance({ QRYTYPE: '1' });
    const info = (bal.body.ACCINFO as Array<Record<string, number>>)[0]!;
    expect(info.BALANCEPAY).toBe(Number(before.balance) - 10000);
    expect(info.FREEZEBAL).toBe(Number(before.frozen));
  });

  it('account …9999 fails and the amount returns to the balance', async () => {
    const before = await ledger();
    const body = payout({ ACCNO: '6225123456789999' });
    await client.payout.pay(body);
    now += 1000;
    const done = await client.payout.waitForFinal({ ORDERNO: body.ORDERNO }, { intervalMs: 50, deadlineMs: 5000 });
    expect(done.result.state).toBe('failed');
    expect(await ledger()).toMatchObject({ balance: before.balance, frozen: before.frozen });
  });

  it('account …5555 is accepted awaiting review (PAYSTATE 5), then paying, then paid', async () => {
    const body = payout({ ACCNO: '6225123456785555' });
    const res = await client.payout.pay(body);
    expect(res.body.PAYSTATE).toBe('5');
    expect(res.state).toBe('accepted');
    now += 1000;
    expect((await client.payout.query({ ORDERNO: body.ORDERNO })).body.PAYSTATE).toBe('2');
    now += 1000;
    const done = await client.payout.waitForFinal({ ORDERNO: body.ORDERNO }, { intervalMs: 50, deadlineMs: 5000 });
    expect(done.result.state).toBe('paid');
  });

  it('an advance payout (PAYTYPE 3) draws on ADVANCEPAY', async () => {
    const before = await ledger();
    await client.payout.pay(payout({ PAYTYPE: '3' }));
    expect(BigInt((await ledger()).advance)).toBe(BigInt(before.advance) - 10000n);
  });

  it('insufficient balance answers 1031 and moves nothing', async () => {
    const before = await ledger();
    const err = await client.payout.pay(payout({ AMT: String(BigInt(before.balance) + 1n) })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MmspBusinessError);
    expect((err as MmspBusinessError).platformCode).toBe('1031');
    expect(await ledger()).toEqual(before);
  });

  it('a duplicate ORDERNO answers 1008 and is never paid twice', async () => {
    const body = payout();
    await client.payout.pay(body);
    const other = clientFor(sb);
    await other.payout.pay(body).catch(() => undefined);
    expect(sb.payouts().filter((p) => p.orderNo === body.ORDERNO)).toHaveLength(1);
    // At the wire level the platform says 1008.
    const m = sb.merchant;
    const sealed = payoutSeal(
      { CMDID: '4097', VERSION: '1.0', MERNO: m.merchantNo, REQTIME: '20260101120000', ...body },
      { platformPublicKey: m.platformPublicKey, merchantPrivateKey: m.merchantPrivateKey },
    );
    const res = await postText(m.endpoints.payout, JSON.stringify(sealed));
    expect(
      payoutOpen(res.text, { merchantPrivateKey: m.merchantPrivateKey, platformPublicKey: m.platformPublicKey })
        .RETCODE,
    ).toBe('1008');
  });

  it('account …0001 answers RETCODE 0001; the client queries and finds the one payout', async () => {
    const body = payout({ ACCNO: '6225123456780001' });
    const res = await client.payout.pay(body);
    expect(res.operation).toBe('payout.query');
    expect(res.body.ORDERNO).toBe(body.ORDERNO);
    expect(sb.payouts().filter((p) => p.orderNo === body.ORDERNO)).toHaveLength(1);
  });

  it('responses are signed by the platform key and encrypted to the merchant key', async () => {
    const m = sb.merchant;
    const body = {
      CMDID: '4099',
      VERSION: '1.0',
      MERNO: m.merchantNo,
      ORDERNO: orderNo(),
      REQTIME: '20260101120000',
      QRYTYPE: '1',
    };
    const res = await postText(
      m.endpoints.payout,
      JSON.stringify(
        payoutSeal(body, { platformPublicKey: m.platformPublicKey, merchantPrivateKey: m.merchantPrivateKey }),
      ),
    );
    const opened = payoutOpen(res.text, {
      merchantPrivateKey: m.merchantPrivateKey,
      platformPublicKey: m.platformPublicKey,
      requireSignature: true,
    });
    expect(opened).toMatchObject({ RETCODE: '0000', message: '交易成功', signatureChecked: true });
    expect(JSON.parse(res.text)).toHaveProperty('RETMMSG');
  });

  it('a request signed with another merchant key answers 1006; garbage ENCRYPT answers 1005', async () => {
    const m = sb.merchant;
    const stranger = generateRsaKeyPair();
    const c = createClient({
      merchantNo: m.merchantNo,
      terminalNo: m.terminalNo,
      key: m.key,
      endpoints: m.endpoints,
      transport: fetchTransport,
      payout: { platformPublicKey: m.platformPublicKey, merchantPrivateKey: stranger.privateKeyPem },
      logger: { debug() {}, info() {}, warn() {}, error() {} },
    });
    const err = await c.payout.balance({ QRYTYPE: '1' }).catch((e: unknown) => e);
    expect((err as MmspBusinessError).platformCode).toBe('1006');
    const res = await postText(m.endpoints.payout, JSON.stringify({ ENCRYPT: 'AAAA', SIGN: 'AAAA' }));
    expect(JSON.parse(res.text)).toMatchObject({ RETCODE: '1005' });
  });

  it('query of an unknown ORDERNO answers 1028', async () => {
    const err = await client.payout.query({ ORDERNO: orderNo() }).catch((e: unknown) => e);
    expect((err as MmspBusinessError).platformCode).toBe('1028');
  });

  it('control: PUT /_sandbox/ledger sets the balance (fen digits only); payouts settle now with /succeed and /fail', async () => {
    const bad = await fetch(`${sb.url}/_sandbox/ledger`, { method: 'PUT', body: JSON.stringify({ balance: '1.5' }) });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('balance');
    const put = await fetch(`${sb.url}/_sandbox/ledger`, {
      method: 'PUT',
      body: JSON.stringify({ balance: '500000' }),
    });
    expect((await put.json()).balance).toBe('500000');
    const a = payout();
    const b = payout();
    await client.payout.pay(a);
    await client.payout.pay(b);
    expect((await ledger()).balance).toBe('480000');
    const ok = await fetch(`${sb.url}/_sandbox/payouts/${a.ORDERNO}/succeed`, { method: 'POST' });
    expect((await ok.json()).payState).toBe(1);
    const ko = await fetch(`${sb.url}/_sandbox/payouts/${b.ORDERNO}/fail`, { method: 'POST' });
    expect((await ko.json()).payState).toBe(3);
    expect((await client.payout.query({ ORDERNO: b.ORDERNO })).state).toBe('failed');
    expect((await ledger()).balance).toBe('490000');
    const again = await fetch(`${sb.url}/_sandbox/payouts/${b.ORDERNO}/succeed`, { method: 'POST' });
    expect(again.status).toBe(409);
  });
});
