// Issue #13 item 4: the send ledger. The contract every ledger passes (Redis and PostgreSQL run it
// in CI), the memory ledger's own bounds, and what the client does with a ledger: an order number
// it holds is never sent again, by this client or another one on the same ledger.
import { describe, expect, it } from 'vitest';
import { MmspBusinessError, MmspConfigError, MmspOutcomeUnknownError, MmspTransportError } from '@mmsp/codec';
import {
  DEFAULT_SEND_LEDGER_TTL_MS,
  MemorySendLedger,
  readSendLedgerRecord,
  sendLedgerKey,
  type SendLedger,
} from '../src/send-ledger.js';
import { harness } from './support/harness.js';
import { MERCHANT } from './support/keys.js';
import { sampleBody } from './support/samples.js';
import { runSendLedgerContract } from './support/send-ledger-contract.js';

runSendLedgerContract((o) => new MemorySendLedger(o), { name: 'MemorySendLedger' });

describe('readSendLedgerRecord (what the Redis and PostgreSQL ledgers read back)', () => {
  it('reads what JSON.stringify(record) wrote, refusal included, and nothing else', () => {
    const refused = {
      sentAt: 7,
      refused: { platformCode: '1004', meaning: 'insufficient balance', platformMessage: '余额不足' },
    };
    expect(readSendLedgerRecord(JSON.stringify(refused))).toEqual(refused);
    expect(
      readSendLedgerRecord(JSON.stringify({ sentAt: 9, extra: 'x', refused: { platformCode: '1', other: 2 } })),
    ).toEqual({ sentAt: 9, refused: { platformCode: '1' } });
  });
  it('reads any other held value as held without a refusal: the request is queried, never sent', () => {
    for (const text of ['not json', 'null', '42', '{"sentAt":"yesterday"}', '{"refused":{"platformCode":1004}}', '']) {
      expect(readSendLedgerRecord(text), text).toEqual({ sentAt: 0 });
    }
  });
});

describe('MemorySendLedger bounds', () => {
  it('keeps an entry exactly ttlMs (93 days by default) on its clock', () => {
    let now = 1_000;
    const ledger = new MemorySendLedger({ now: () => now });
    expect(DEFAULT_SEND_LEDGER_TTL_MS).toBe(93 * 24 * 3600_000);
    expect(ledger.reserve('k', { sentAt: 1 })).toBeUndefined();
    now = 1_000 + DEFAULT_SEND_LEDGER_TTL_MS - 1;
    expect(ledger.reserve('k', { sentAt: 2 })).toEqual({ sentAt: 1 });
    now = 1_000 + DEFAULT_SEND_LEDGER_TTL_MS;
    expect(ledger.reserve('k', { sentAt: 3 })).toBeUndefined();
  });

  it('holds at most maxEntries, forgetting the oldest first', () => {
    const ledger = new MemorySendLedger({ maxEntries: 3 });
    for (const k of ['a', 'b', 'c', 'd']) expect(ledger.reserve(k, { sentAt: 1 })).toBeUndefined();
    expect(ledger.size).toBe(3);
    expect(ledger.reserve('b', { sentAt: 2 })).toEqual({ sentAt: 1 });
    expect(ledger.reserve('a', { sentAt: 2 })).toBeUndefined(); // pushed out by d
  });

  it('refuses a ttlMs or maxEntries that is not a positive integer', () => {
    expect(() => new MemorySendLedger({ ttlMs: 0 })).toThrow(/ttlMs/);
    expect(() => new MemorySendLedger({ maxEntries: 1.5 })).toThrow(/maxEntries/);
  });

  it('sendLedgerKey percent-encodes the merchant and order numbers', () => {
    expect(sendLedgerKey('M1', 'payout.pay', '2026')).toBe('mmsp-send:M1:payout.pay:2026');
    expect(sendLedgerKey('M:1', 'scan.refund', 'a:b/c')).toBe('mmsp-send:M%3A1:scan.refund:a%3Ab%2Fc');
  });
});

describe('the client and its send ledger', () => {
  it('createClient refuses a sendLedger that is not one, naming the option', () => {
    const { another } = harness();
    const error = (() => {
      try {
        another({ sendLedger: { reserve() {} } as never });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(MmspConfigError);
    expect((error as MmspConfigError).issues).toEqual([expect.objectContaining({ field: 'sendLedger', rule: 'type' })]);
  });

  it('a payout held by the ledger (another instance sent it) is queried, not sent', async () => {
    const ledger = new MemorySendLedger();
    const { client, platform, another } = harness({ sendLedger: ledger });
    const body = sampleBody('payout.pay');
    platform.faults.push('lost-response');
    const first = await client.payout.pay(body as never); // lost answer: settled by a query
    expect(first.operation).toBe('payout.query');
    const restarted = another({ sendLedger: ledger });
    const again = await restarted.payout.pay(body as never);
    expect(again.operation).toBe('payout.query');
    expect(platform.payoutPaySends.get(body.ORDERNO as string)).toBe(1);
    expect(
      ledger.reserve(sendLedgerKey(MERCHANT.merchantNo, 'payout.pay', body.ORDERNO as string), { sentAt: 0 }),
    ).toMatchObject({ sentAt: expect.any(Number) });
  });

  it('a micropay repeated through another client on the ledger is queried, not sent; with its own ledger it is sent again', async () => {
    const ledger = new MemorySendLedger();
    const { client, platform, another } = harness({ sendLedger: ledger });
    const body = sampleBody('scan.wechatMicropay');
    await client.scan.wechatMicropay(body as never);
    const again = await another({ sendLedger: ledger }).scan.wechatMicropay(body as never);
    expect(again.operation).toBe('scan.query');
    expect(platform.count('scan.wechatMicropay')).toBe(1);
    await another({ sendLedger: new MemorySendLedger() })
      .scan.wechatMicropay(body as never)
      .catch(() => undefined); // another ledger: it leaves again
    expect(platform.count('scan.wechatMicropay')).toBe(2);
  });

  it('a refusal is remembered: another client answers it without sending or querying', async () => {
    const ledger = new MemorySendLedger();
    const { client, platform, another } = harness({ sendLedger: ledger });
    platform.responders.set('payout.pay', (b, p) => {
      p.payoutPaySends.set(String(b.ORDERNO), (p.payoutPaySends.get(String(b.ORDERNO)) ?? 0) + 1);
      return { payout: { RETCODE: '1031', RETMSG: '商户余额不足' } };
    });
    const body = sampleBody('payout.pay');
    await expect(client.payout.pay(body as never)).rejects.toMatchObject({ platformCode: '1031' });
    const again = await another({ sendLedger: ledger })
      .payout.pay(body as never)
      .catch((e: unknown) => e);
    expect(again).toBeInstanceOf(MmspBusinessError);
    expect(again).toMatchObject({ platformCode: '1031' });
    expect((again as Error).message).toMatch(/refused by the platform earlier.*new ORDERNO/);
    expect(platform.payoutPaySends.get(body.ORDERNO as string)).toBe(1);
    expect(platform.count('payout.query')).toBe(0);
  });

  it('a request the transport knows never left is forgotten: the next attempt sends it', async () => {
    const ledger = new MemorySendLedger();
    const { client, platform } = harness({ sendLedger: ledger });
    const body = sampleBody('scan.alipayMicropay');
    platform.faults.push('refused');
    await expect(client.scan.alipayMicropay(body as never)).rejects.toBeInstanceOf(MmspTransportError);
    expect(ledger.size).toBe(0);
    const ok = await client.scan.alipayMicropay(body as never);
    expect(ok.operation).toBe('scan.alipayMicropay');
  });

  it('a request refused by validation reserves nothing', async () => {
    const ledger = new MemorySendLedger();
    const { client } = harness({ sendLedger: ledger });
    await expect(
      client.scan.wechatMicropay({ ...sampleBody('scan.wechatMicropay'), AMT: '1.5' } as never),
    ).rejects.toThrow();
    expect(ledger.size).toBe(0);
  });

  it('a ledger that fails to reserve stops the request before it leaves', async () => {
    const broken: SendLedger = {
      reserve: async () => {
        throw new Error('ledger down');
      },
      update() {},
      forget() {},
    };
    const { client, platform } = harness({ sendLedger: broken });
    await expect(client.payout.pay(sampleBody('payout.pay') as never)).rejects.toThrow('ledger down');
    expect(platform.count('payout.pay', false)).toBe(0);
  });

  it('two instances racing on one micropay order number: exactly one sends, the other queries', async () => {
    const ledger = new MemorySendLedger();
    const { client, platform, another } = harness({ sendLedger: ledger });
    const body = sampleBody('scan.qqMicropay');
    const results = await Promise.all(
      [client, another({ sendLedger: ledger }), another({ sendLedger: ledger })].map((c) =>
        c.scan.qqMicropay(body as never),
      ),
    );
    expect(platform.count('scan.qqMicropay')).toBe(1);
    expect(results.map((r) => r.operation).sort()).toEqual(['scan.qqMicropay', 'scan.query', 'scan.query']);
  });

  it('an order number held by the ledger whose query never answers ends in MmspOutcomeUnknownError, not a send', async () => {
    const ledger = new MemorySendLedger();
    const { client, platform, another } = harness({ sendLedger: ledger });
    const body = sampleBody('payout.pay');
    ledger.reserve(sendLedgerKey(MERCHANT.merchantNo, 'payout.pay', body.ORDERNO as string), { sentAt: 1 });
    platform.faults.push(...Array(200).fill('lost-response'));
    const e = await another({ sendLedger: ledger })
      .payout.pay(body as never)
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(MmspOutcomeUnknownError);
    expect((e as Error).message).toMatch(/send ledger holds it/);
    expect(platform.payoutPaySends.get(body.ORDERNO as string)).toBeUndefined();
    void client;
  });
});
