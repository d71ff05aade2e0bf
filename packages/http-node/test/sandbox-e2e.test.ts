/**
 * End to end against @mmsp/sandbox (the platform on loopback): createNodeClient → real HTTP →
 * sandbox; the sandbox's pushed notifications → a real node:http server running
 * createNotificationHandler. Every family's happy path, the notification retry schedule, the
 * sandbox's injected faults, and the payout never-resend rule across real connection resets.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rsaDecryptSegmented } from '@mmsp/codec';
import { base64Decode } from '@mmsp/codec/bytes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MmspProtocolError, MmspTransportError, type MmspClient, type PaidEvent } from '@mmsp/client';
import { startSandbox, type Sandbox, type SandboxMerchant } from '../../sandbox/src/index.js';
import { createNodeClient, createNotificationHandler, MmspOutcomeUnknownError } from '../src/index.js';

let sb: Sandbox;
let client: MmspClient;
let receiver: Server;
let notifyUrl: string;
const paid: PaidEvent[] = [];
/** merchantOrderId → how many more times onPaid throws before it works. */
const failBeforeSuccess = new Map<string, number>();
let seq = 0;
const orderId = (prefix: string) => `${prefix}${Date.now() % 1e9}${++seq}`;
const digitsId = () => `${Date.now()}${String(++seq).padStart(4, '0')}`;

async function until<T>(what: string, probe: () => T | undefined, timeoutMs = 10_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
const paidFor = (id: string) => paid.filter((e) => e.merchantOrderId === id);

/**
 * Every payout request the client sends, as the platform decrypts it (CMDID 4097 pay, 4098 query):
 * a forwarding server in front of the sandbox's /payout, holding the platform's private key from
 * the sandbox's state file. The sandbox's own records cannot tell a resend (answered 1008) apart.
 */
const payoutWire: { CMDID: string; ORDERNO: string }[] = [];
let payoutSpy: Server;

async function startPayoutSpy(target: string, platformPrivateKey: string): Promise<string> {
  payoutSpy = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on(
      'end',
      () =>
        void (async () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const { ENCRYPT } = JSON.parse(text) as { ENCRYPT: string };
          const plain = JSON.parse(
            Buffer.from(rsaDecryptSegmented(base64Decode(ENCRYPT), platformPrivateKey)).toString('utf8'),
          );
          payoutWire.push({ CMDID: String(plain.CMDID), ORDERNO: String(plain.ORDERNO) });
          try {
            const upstream = await fetch(target, {
              method: 'POST',
              headers: { 'content-type': String(req.headers['content-type']) },
              body: text,
            });
            res
              .writeHead(upstream.status, {
                'content-type': upstream.headers.get('content-type') ?? 'application/json',
              })
              .end(await upstream.text());
          } catch {
            req.socket.destroy(); // the sandbox reset the connection: pass the reset on
          }
        })(),
    );
  });
  await new Promise<void>((r) => payoutSpy.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(payoutSpy.address() as AddressInfo).port}/payout`;
}
const paysOf = (orderNo: string) => payoutWire.filter((w) => w.ORDERNO === orderNo && w.CMDID === '4097').length;

beforeAll(async () => {
  const statePath = join(mkdtempSync(join(tmpdir(), 'mmsp-e2e-')), 'state.json');
  const options = { port: 0, timeScale: 0.001, micropayDelayMs: 50, payoutDelayMs: 50, statePath };
  await (await startSandbox(options)).close(); // first start makes and saves the platform's RSA keys
  const platformPrivateKey = (
    JSON.parse(readFileSync(statePath, 'utf8')) as { platformKeys: { privateKeyPem: string } }
  ).platformKeys.privateKeyPem;
  sb = await startSandbox(options);
  const merchant = (await (await fetch(`${sb.url}/_sandbox/merchant`)).json()) as SandboxMerchant;
  client = createNodeClient({
    merchantNo: merchant.merchantNo,
    terminalNo: merchant.terminalNo,
    key: merchant.key,
    endpoints: { ...merchant.endpoints, payout: await startPayoutSpy(merchant.endpoints.payout, platformPrivateKey) },
    payout: { platformPublicKey: merchant.platformPublicKey, merchantPrivateKey: merchant.merchantPrivateKey },
    timeoutMs: 5_000,
    logger: { debug() {}, info() {}, warn() {}, error() {} } as never,
  });
  receiver = createServer(
    createNotificationHandler({
      client,
      onPaid: (event) => {
        const left = failBeforeSuccess.get(event.merchantOrderId) ?? 0;
        if (left > 0) {
          failBeforeSuccess.set(event.merchantOrderId, left - 1);
          throw new Error('merchant database unavailable');
        }
        paid.push(event);
      },
    }),
  );
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  notifyUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/mmsp/notify`;
});
afterAll(async () => {
  await sb?.close();
  await new Promise((r) => receiver?.close(r));
  await new Promise((r) => payoutSpy?.close(r));
});

describe('happy paths of every family through createNodeClient and the receiver', () => {
  it('scan code: order, customer pays, signed 2324 push handled once, query says paid', async () => {
    const id = orderId('S');
    const order = await client.scan.wechatOrder({
      TRADETYPE: '1',
      AMT: '100',
      MERORDERID: id,
      GOODSNAME: 'book',
      NOTIFY_URL: notifyUrl,
    } as never);
    expect(order.body).toMatchObject({ MERORDERID: id });
    sb.settleOrder(id, 'pay');
    const [event] = await until('scan notification', () => (paidFor(id).length ? paidFor(id) : undefined));
    expect(event).toMatchObject({ family: 'scan', merchantOrderId: id, amount: '100' });
    const query = await client.scan.query({ MERORDERID: id } as never);
    expect(query.state).toBe('paid');
  });

  it('quick pay: pay, SMS confirm, push handled once, final state paid', async () => {
    const id = orderId('Q');
    const pay = await client.quickPay.pay({
      MERORDERID: id,
      CARDNO: '6222020200112233445',
      AMT: '2500',
      CARDTYPE: '1',
      NAME: '张三',
      ID_NO: '110101199003077777',
      PHONENO: '13800138000',
      NOTIFY_URL: notifyUrl,
    } as never);
    const listId = String((pay.body as Record<string, unknown>).LIST_ID);
    const code = await until('SMS code', () => sb.smsCode(id));
    const done = await client.quickPay.confirmAndWait(
      { LIST_ID: listId, MSG_CODE: code, MERORDERID: id },
      { deadlineMs: 5_000, intervalMs: 50 },
    );
    expect(done.final).toBe(true);
    expect(done.result.state).toBe('paid');
    await until('quick pay notification', () => (paidFor(id).length ? true : undefined));
    expect(paidFor(id)).toHaveLength(1);
    expect(paidFor(id)[0]).toMatchObject({ family: 'quickPay', amount: '2500' });
  });

  it('gateway: auto-submitting form, bank pays, push handled once, query says paid', async () => {
    const id = orderId('G');
    const form = await client.gateway.pay({
      MERORDERID: id,
      AMT: '990',
      NOTIFY_URL: notifyUrl,
      JUMP_URL: 'https://merchant.example/return',
      PAY_CHANNEL: 'ICBC',
    } as never);
    expect(JSON.stringify(form)).toContain('web_api');
    const submit = await fetch(sb.endpoints.gateway, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ web_api: (form as unknown as { fields: { web_api: string } }).fields.web_api }),
    });
    expect(submit.status).toBe(200);
    sb.settleOrder(id, 'pay', { family: 'gateway' });
    await until('gateway notification', () => (paidFor(id).length ? true : undefined));
    expect(paidFor(id)[0]).toMatchObject({ family: 'gateway', amount: '990' });
    expect((await client.gateway.query({ MERORDERID: id } as never)).state).toBe('paid');
  });

  it('payout: RSA-sealed pay, then waitForFinal sees PAYSTATE 1 (OpenSSL provider both ways)', async () => {
    const orderNo = digitsId();
    const res = await client.payout.pay({
      ORDERNO: orderNo,
      AMT: '10000',
      BUSIYPE: '001',
      ACCNAME: '李四',
      ACCNO: '6222020200112230000',
      MEMO: 'salary',
      ACCTYPE: '0',
      MOBILE: '13800138000',
      BANKNAME: '工商银行',
    } as never);
    expect(['paying', 'accepted', 'paid']).toContain(res.state);
    const final = await client.payout.waitForFinal({ ORDERNO: orderNo }, { deadlineMs: 5_000, intervalMs: 50 });
    expect(final).toMatchObject({ final: true });
    expect(final.result.state).toBe('paid');
    expect(sb.payouts().filter((p) => p.orderNo === orderNo)).toHaveLength(1);
    expect(paysOf(orderNo)).toBe(1);
  });
});

describe('notifications: retries, duplicates, tampering', () => {
  it('the receiver fails twice, then succeeds: the platform retries on its schedule, the handler runs once', async () => {
    const id = orderId('R');
    failBeforeSuccess.set(id, 2);
    await client.scan.wechatOrder({
      TRADETYPE: '1',
      AMT: '300',
      MERORDERID: id,
      GOODSNAME: 'retry',
      NOTIFY_URL: notifyUrl,
    } as never);
    sb.settleOrder(id, 'pay');
    await until('acknowledged notification', () =>
      sb.notifications().find((a) => a.merchantOrderId === id && a.status === 200),
    );
    await sb.notificationsIdle();
    const attempts = sb.notifications().filter((a) => a.merchantOrderId === id);
    expect(attempts.map((a) => a.status)).toEqual([500, 500, 200]);
    expect(paidFor(id)).toHaveLength(1);
  });

  it('a duplicated delivery is answered SUCCESS and the handler still runs once', async () => {
    const id = orderId('D');
    sb.injectFault('notify-duplicate', { match: { merchantOrderId: id } });
    await client.scan.wechatOrder({
      TRADETYPE: '1',
      AMT: '400',
      MERORDERID: id,
      GOODSNAME: 'dup',
      NOTIFY_URL: notifyUrl,
    } as never);
    sb.settleOrder(id, 'pay');
    await until('two acknowledged deliveries', () =>
      sb.notifications().filter((a) => a.merchantOrderId === id && a.status === 200).length >= 2 ? true : undefined,
    );
    await sb.notificationsIdle();
    expect(paidFor(id)).toHaveLength(1);
  });

  it('a tampered first delivery is refused (4xx, handler not run); the genuine retry is handled once', async () => {
    const id = orderId('T');
    sb.injectFault('notify-tampered-sign', { match: { merchantOrderId: id } });
    await client.scan.wechatOrder({
      TRADETYPE: '1',
      AMT: '500',
      MERORDERID: id,
      GOODSNAME: 'tamper',
      NOTIFY_URL: notifyUrl,
    } as never);
    sb.settleOrder(id, 'pay');
    await until('acknowledged notification', () =>
      sb.notifications().find((a) => a.merchantOrderId === id && a.status === 200),
    );
    const statuses = sb
      .notifications()
      .filter((a) => a.merchantOrderId === id)
      .map((a) => a.status);
    expect(statuses[0]).toBe(400);
    expect(statuses.at(-1)).toBe(200);
    expect(paidFor(id)).toHaveLength(1);
  });

  it('an out-of-order first delivery (held back, overtaken by a retry) still runs the handler once', async () => {
    const id = orderId('O');
    failBeforeSuccess.set(id, 1); // the first attempt that arrives fails, so a retry overtakes the held one
    sb.injectFault({ kind: 'notify-out-of-order', ms: 30 }, { match: { merchantOrderId: id } });
    await client.scan.wechatOrder({
      TRADETYPE: '1',
      AMT: '600',
      MERORDERID: id,
      GOODSNAME: 'ooo',
      NOTIFY_URL: notifyUrl,
    } as never);
    sb.settleOrder(id, 'pay');
    await until('acknowledged notification', () =>
      sb.notifications().find((a) => a.merchantOrderId === id && a.status === 200),
    );
    await sb.notificationsIdle();
    expect(paidFor(id)).toHaveLength(1);
  });
});

describe('injected transport and protocol faults', () => {
  it('reset-before on a query: retried by the client (queries may be), then answered', async () => {
    const id = orderId('F');
    await client.scan.wechatOrder({
      TRADETYPE: '1',
      AMT: '100',
      MERORDERID: id,
      GOODSNAME: 'f',
      NOTIFY_URL: notifyUrl,
    } as never);
    sb.injectFault('reset-before', { match: { operation: 'scan.query', merchantOrderId: id } });
    const q = await client.scan.query({ MERORDERID: id } as never);
    expect(q.body).toMatchObject({ MERORDERID: id });
  });

  it('reset-before on a payment order is a transport error that says it may have reached the platform (a reset after connecting)', async () => {
    const id = orderId('F');
    sb.injectFault('reset-before', { match: { operation: 'scan.wechatOrder', merchantOrderId: id } });
    const error = await client.scan
      .wechatOrder({ TRADETYPE: '1', AMT: '100', MERORDERID: id, GOODSNAME: 'f', NOTIFY_URL: notifyUrl } as never)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MmspTransportError);
    // The connection was established and the request written before the reset: truthfully "may have".
    expect((error as MmspTransportError).mayHaveReachedPlatform).toBe(true);
  });

  it('http-error 502 and the negative response (RetCode 0) surface as typed errors', async () => {
    const a = orderId('H');
    sb.injectFault({ kind: 'http-error', status: 502 }, { match: { merchantOrderId: a } });
    const e1 = await client.scan
      .wechatOrder({ TRADETYPE: '1', AMT: '100', MERORDERID: a, GOODSNAME: 'h', NOTIFY_URL: notifyUrl } as never)
      .catch((e: unknown) => e);
    expect(e1).toBeInstanceOf(MmspTransportError);
    expect((e1 as MmspTransportError).status).toBe(502);
    const b = orderId('N');
    sb.injectFault('retcode-0', { match: { merchantOrderId: b } });
    const e2 = await client.scan
      .wechatOrder({ TRADETYPE: '1', AMT: '100', MERORDERID: b, GOODSNAME: 'n', NOTIFY_URL: notifyUrl } as never)
      .catch((e: unknown) => e);
    expect(e2).toBeInstanceOf(MmspProtocolError);
  });

  it('http-error after carrying the order out: a transport error that may have reached the platform; the order exists', async () => {
    const id = orderId('A');
    sb.injectFault({ kind: 'http-error', status: 504, after: true }, { match: { merchantOrderId: id } });
    const error = await client.scan
      .wechatOrder({ TRADETYPE: '1', AMT: '100', MERORDERID: id, GOODSNAME: 'a', NOTIFY_URL: notifyUrl } as never)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MmspTransportError);
    expect((error as MmspTransportError).mayHaveReachedPlatform).toBe(true);
    expect((await client.scan.query({ MERORDERID: id } as never)).body).toMatchObject({ MERORDERID: id });
  });

  it('latency beyond the call deadline is a timeout that may have reached the platform', async () => {
    const id = orderId('L');
    sb.injectFault({ kind: 'latency', ms: 1_500 }, { match: { merchantOrderId: id } });
    const error = await client.scan
      .wechatOrder(
        { TRADETYPE: '1', AMT: '100', MERORDERID: id, GOODSNAME: 'l', NOTIFY_URL: notifyUrl } as never,
        { timeoutMs: 300 } as never,
      )
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MmspTransportError);
    expect((error as MmspTransportError).mayHaveReachedPlatform).toBe(true);
  });
});

describe('payout never-resend rule across real connection resets', () => {
  it('reset-after on payout.pay (carried out, no answer): the client queries, one payout exists', async () => {
    const orderNo = digitsId();
    sb.injectFault('reset-after', { match: { operation: 'payout.pay', merchantOrderId: orderNo } });
    const res = await client.payout.pay({
      ORDERNO: orderNo,
      AMT: '2000',
      BUSIYPE: '001',
      ACCNAME: '王五',
      ACCNO: '6222020200112231111',
      MEMO: 'refund',
      ACCTYPE: '0',
      MOBILE: '13800138000',
      BANKNAME: '工商银行',
    } as never);
    expect(['paying', 'accepted', 'paid']).toContain(res.state);
    expect(sb.payouts().filter((p) => p.orderNo === orderNo)).toHaveLength(1);
    // Asking again for the same ORDERNO queries instead of paying twice.
    await client.payout.pay({
      ORDERNO: orderNo,
      AMT: '2000',
      BUSIYPE: '001',
      ACCNAME: '王五',
      ACCNO: '6222020200112231111',
      MEMO: 'refund',
      ACCTYPE: '0',
      MOBILE: '13800138000',
      BANKNAME: '工商银行',
    } as never);
    expect(sb.payouts().filter((p) => p.orderNo === orderNo)).toHaveLength(1);
    expect(paysOf(orderNo)).toBe(1); // one payout.pay on the wire, the rest were queries
    expect(payoutWire.filter((w) => w.ORDERNO === orderNo && w.CMDID === '4098').length).toBeGreaterThanOrEqual(2);
  });

  it('RETCODE 0001 (carried out, unknown answer): queried, never resent', async () => {
    const orderNo = digitsId();
    const res = await client.payout.pay({
      ORDERNO: orderNo,
      AMT: '3000',
      BUSIYPE: '001',
      ACCNAME: '赵六',
      ACCNO: '6222020200112230001',
      MEMO: 'x',
      ACCTYPE: '0',
      MOBILE: '13800138000',
      BANKNAME: '工商银行',
    } as never);
    expect(res.operation).toBe('payout.query');
    expect(sb.payouts().filter((p) => p.orderNo === orderNo)).toHaveLength(1);
    expect(paysOf(orderNo)).toBe(1);
  });

  it('the retcode-0001 fault on payout.pay: queried, never resent', async () => {
    const orderNo = digitsId();
    sb.injectFault('retcode-0001', { match: { operation: 'payout.pay', merchantOrderId: orderNo } });
    const res = await client.payout.pay({
      ORDERNO: orderNo,
      AMT: '700',
      BUSIYPE: '001',
      ACCNAME: '孙八',
      ACCNO: '6222020200112233333',
      MEMO: 'z',
      ACCTYPE: '0',
      MOBILE: '13800138000',
      BANKNAME: '工商银行',
    } as never);
    expect(res.operation).toBe('payout.query');
    expect(paysOf(orderNo)).toBe(1);
    expect(sb.payouts().filter((p) => p.orderNo === orderNo)).toHaveLength(1);
  });

  it('reset-before on payout.pay after connecting: outcome unknown, queried; still at most one payout', async () => {
    const orderNo = digitsId();
    sb.injectFault('reset-before', { match: { operation: 'payout.pay', merchantOrderId: orderNo } });
    const outcome = await client.payout
      .pay(
        {
          ORDERNO: orderNo,
          AMT: '100',
          BUSIYPE: '001',
          ACCNAME: '钱七',
          ACCNO: '6222020200112232222',
          MEMO: 'y',
          ACCTYPE: '0',
          MOBILE: '13800138000',
          BANKNAME: '工商银行',
        } as never,
        { settleDeadlineMs: 2_000 },
      )
      .catch((e: unknown) => e);
    // The platform never acted, so the query finds nothing; the client must not have resent it.
    expect(sb.payouts().filter((p) => p.orderNo === orderNo)).toHaveLength(0);
    expect(paysOf(orderNo)).toBe(1);
    // Queried until the deadline: the outcome stays unknown (issue #13), said so by the adapter's class.
    expect(outcome).toBeInstanceOf(MmspOutcomeUnknownError);
    expect(outcome).toMatchObject({ operation: 'payout.pay', merchantOrderId: orderNo });
  });
});
