import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  MmspBusinessError,
  MmspConfigError,
  MmspEncodingError,
  MmspError,
  MmspProtocolError,
  MmspSignatureError,
  MmspOutcomeUnknownError,
  MmspTransportError,
  MmspValidationError,
} from '@mmsp/codec';
import * as client from '../src/index.js';
import { createClient } from '../src/client.js';
import { harness } from './support/harness.js';
import { MERCHANT } from './support/keys.js';
import { sampleBody } from './support/samples.js';

describe('every error class is provoked, typed, and re-exported', () => {
  it("re-exports the codec's classes (the very same constructors)", () => {
    expect(client.MmspError).toBe(MmspError);
    expect(client.MmspTransportError).toBe(MmspTransportError);
    expect(client.MmspBusinessError).toBe(MmspBusinessError);
  });

  it('MmspConfigError at construction', () => {
    expect(() => createClient({} as never)).toThrow(MmspConfigError);
  });

  it('MmspConfigError for a family without an endpoint', async () => {
    const { platform } = harness();
    const c = createClient({ ...MERCHANT, endpoints: {}, transport: platform.transport, logger: {} });
    await expect(c.scan.query({ MERORDERID: 'M1' } as never)).rejects.toBeInstanceOf(MmspConfigError);
  });

  it('MmspValidationError before sending', async () => {
    const { client: c, platform } = harness();
    await expect(c.scan.refund({ AMT: 'ten' } as never)).rejects.toBeInstanceOf(MmspValidationError);
    expect(platform.exchanges).toHaveLength(0);
  });

  it('MmspProtocolError for the negative response (32768)', async () => {
    const { client: c, platform } = harness();
    platform.responders.set('gateway.query', () => ({ negative: { retCode: 0, errorMsg: '消息结构体错误' } }));
    const error = await c.gateway.query({ MERORDERID: 'M1' } as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MmspProtocolError);
    expect(error).toMatchObject({ commandId: 32768, retCode: '0' });
  });

  it('MmspSignatureError: a response that fails verification is never trusted', async () => {
    const { client: c, platform } = harness();
    platform.faults.push('bad-signature');
    await expect(c.scan.wechatOrder(sampleBody('scan.wechatOrder') as never)).rejects.toBeInstanceOf(
      MmspSignatureError,
    );
  });

  it('MmspSignatureError for a payout response whose SIGN does not verify (outcome then queried for pay)', async () => {
    const { client: c, platform } = harness();
    platform.faults.push('bad-signature', 'bad-signature', 'bad-signature');
    await expect(c.payout.balance({ QRYTYPE: '1' } as never)).rejects.toBeInstanceOf(MmspSignatureError);
  });

  it('MmspEncodingError for a response that is not JSON', async () => {
    const { platform } = harness();
    const c = createClient({
      ...MERCHANT,
      endpoints: { scan: 'https://mmsp.test/scan' },
      transport: async () => ({ status: 200, headers: {}, body: '<html>maintenance</html>' }),
      logger: {},
    });
    void platform;
    await expect(c.scan.wechatOrder(sampleBody('scan.wechatOrder') as never)).rejects.toBeInstanceOf(MmspEncodingError);
  });

  it('MmspTransportError says whether the request may have reached the platform', async () => {
    const { client: c, platform } = harness();
    platform.faults.push('refused');
    const refused = await c.scan.wechatOrder(sampleBody('scan.wechatOrder') as never).catch((e: unknown) => e);
    expect(refused).toMatchObject({ mayHaveReachedPlatform: false });
    platform.faults.push('lost-response');
    const lost = await c.scan.wechatOrder(sampleBody('scan.wechatOrder') as never).catch((e: unknown) => e);
    expect(lost).toBeInstanceOf(MmspTransportError);
    expect(lost).toMatchObject({ mayHaveReachedPlatform: true });
    platform.faults.push('http-502');
    const http = await c.scan.wechatOrder(sampleBody('scan.wechatOrder') as never).catch((e: unknown) => e);
    expect(http).toMatchObject({ status: 502, mayHaveReachedPlatform: true });
  });

  it("MmspBusinessError with the document's meaning (body ERRCODE, payout RETCODE)", async () => {
    const { client: c, platform } = harness();
    platform.responders.set('quickPay.pay', () => ({ body: { STATUS: '2', ERRCODE: 'D4', ERRMSG: '要素不匹配' } }));
    const e1 = await c.quickPay.pay(sampleBody('quickPay.pay') as never).catch((e: unknown) => e);
    expect(e1).toBeInstanceOf(MmspBusinessError);
    expect(e1).toMatchObject({ platformCode: 'D4', platformMessage: '要素不匹配' });
    expect((e1 as Error).message).not.toContain('6227000013830237349');
    platform.responders.set('payout.balance', () => ({ payout: { RETCODE: '1004', RETMSG: '商户未生成证书' } }));
    const e2 = await c.payout.balance({ QRYTYPE: '1' } as never).catch((e: unknown) => e);
    expect(e2).toBeInstanceOf(MmspBusinessError);
    expect(e2).toMatchObject({ platformCode: '1004', meaning: '商户未生成证书' });
  });
});

describe('transport behaviour', () => {
  it('retries queries (not payments) on transport failure, with backoff', async () => {
    const slept: number[] = [];
    const { client: c, platform } = harness({
      runtime: {
        sleep: async (ms) => {
          slept.push(ms);
        },
      },
    });
    const order = await c.scan.wechatMicropay(sampleBody('scan.wechatMicropay') as never);
    platform.faults.push('lost-response', 'http-502');
    const q = await c.scan.query({ MERORDERID: order.body.MERORDERID } as never);
    expect(q.operation).toBe('scan.query');
    expect(platform.count('scan.query', false)).toBe(2); // 502 never reached the recorder; the lost response did
    expect(slept).toHaveLength(2);
    // A payment whose answer was lost is never resent: it is settled by a query (issue #13).
    platform.faults.push('lost-response');
    const settled = await c.scan.wechatMicropay(sampleBody('scan.wechatMicropay') as never);
    expect(settled.operation).toBe('scan.query');
    expect(platform.count('scan.wechatMicropay', false)).toBe(2);
    platform.faults.push('lost-response');
    const refund = await c.scan
      .refund({ MERORDERID: order.body.MERORDERID, REFUND_MERORDERID: 'R1', AMT: '1' } as never)
      .catch((e: unknown) => e);
    expect(
      refund instanceof MmspOutcomeUnknownError || (refund as { operation?: string }).operation === 'scan.refundQuery',
    ).toBe(true);
    expect(platform.count('scan.refund', false)).toBe(1);
  });

  it('times out a transport that never answers', async () => {
    const c = createClient({
      ...MERCHANT,
      endpoints: { scan: 'https://mmsp.test/scan' },
      transport: () => new Promise(() => {}),
      timeoutMs: 30,
      logger: {},
    });
    const e = await c.scan.wechatOrder(sampleBody('scan.wechatOrder') as never).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(MmspTransportError);
    expect(e).toMatchObject({ mayHaveReachedPlatform: true });
  });

  it('increments SeqID per client', async () => {
    const seen: number[] = [];
    const { client: c, platform } = harness();
    const inner = platform.transport;
    const spy = createClient({
      ...MERCHANT,
      endpoints: { scan: 'https://mmsp.test/scan' },
      logger: {},
      transport: async (req) => {
        seen.push(JSON.parse(req.body).SeqID);
        return inner(req);
      },
    });
    await spy.scan.wechatOrder(sampleBody('scan.wechatOrder') as never);
    await spy.scan.wechatOrder(sampleBody('scan.wechatOrder') as never);
    await spy.scan.wechatOrder(sampleBody('scan.wechatOrder') as never);
    expect(seen).toEqual([1, 2, 3]);
    void c;
  });
});

describe('secrets never leave the client', () => {
  it('not in JSON.stringify(client), util.inspect(client), logs or errors', async () => {
    const { client: c, platform, lines, keys } = harness({ agent: true });
    const secrets = [MERCHANT.key, 'agent-secret-key-0123456789abcdef', keys.merchant.privateKeyPem.split('\n')[1]!];
    const card = ['6227000013830237349', '23210219820916601X', '6225123456781234'];
    // A full round of calls with debug logging, including failures.
    await c.quickPay.pay(sampleBody('quickPay.pay') as never);
    await c.payout.pay(sampleBody('payout.pay') as never);
    platform.responders.set('quickPay.pay', (b) => ({ body: { STATUS: '2', ERRCODE: 'D4', CARDNO: b.CARDNO } }));
    const errors = await Promise.all([
      c.quickPay.pay(sampleBody('quickPay.pay') as never).catch((e: unknown) => e),
      c.quickPay
        .pay({ ...sampleBody('quickPay.pay'), CVN2: 'abcd', CARDTYPE: '2', EXPDATE: '9999' } as never)
        .catch((e: unknown) => e),
    ]);
    const printed = [
      JSON.stringify(c),
      inspect(c, { depth: 10, showHidden: true }),
      JSON.stringify(lines),
      ...errors.map((e) => `${inspect(e, { depth: 10 })} ${JSON.stringify(e)}`),
    ].join('\n');
    for (const s of [...secrets, ...card, 'abcd']) expect(printed).not.toContain(s);
    expect(lines.some((l) => l.level === 'debug')).toBe(true);
    expect(JSON.parse(JSON.stringify(c))).toMatchObject({
      merchantNo: MERCHANT.merchantNo,
      terminalNo: MERCHANT.terminalNo,
    });
  });
});
