/**
 * Issue #15 item 7 over real sockets: `createNodeClient({ retry })` against the sandbox with
 * injected connection resets. A query is sent exactly `attempts` times; a payment order or a
 * payout is sent once whatever `attempts` says (PROTOCOL §5, §6: queried, never resent); a bad
 * setting is an MmspConfigError naming the field.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MmspConfigError, MmspTransportError, type MmspClient } from '@mmsp/client';
import { startSandbox, type Sandbox, type SandboxMerchant } from '../../sandbox/src/index.js';
import { createNodeClient } from '../src/node-client.js';

let sb: Sandbox;
let merchant: SandboxMerchant;
beforeAll(async () => {
  sb = await startSandbox({ port: 0, timeScale: 0.001, payoutDelayMs: 50 });
  merchant = (await (await fetch(`${sb.url}/_sandbox/merchant`)).json()) as SandboxMerchant;
});
afterAll(async () => {
  await sb?.close();
});

let seq = 0;
const id = (p: string) => `${p}${Date.now() % 1e9}${++seq}`;
const client = (retry: Record<string, number>): MmspClient =>
  createNodeClient({ ...merchant, retry, timeoutMs: 5_000, logger: {} });

describe('retry settings of createNodeClient against the sandbox', () => {
  it.each([[1], [2], [4]])('attempts: %i — a query reset every time is sent that many times', async (attempts) => {
    const orderId = id('R');
    const fault = sb.injectFault('reset-before', {
      match: { operation: 'scan.query', merchantOrderId: orderId },
      times: 0,
    });
    const error = await client({ attempts, baseDelayMs: 1, maxDelayMs: 5 })
      .scan.query({ MERORDERID: orderId } as never)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MmspTransportError);
    expect(fault.hits).toBe(attempts);
    sb.clearFaults();
  });

  it('a query that fails twice succeeds on the third of three attempts', async () => {
    const orderId = id('R');
    const c = client({ attempts: 3, baseDelayMs: 1 });
    await c.scan.wechatOrder({
      TRADETYPE: '1',
      AMT: '100',
      MERORDERID: orderId,
      GOODSNAME: 'r',
      NOTIFY_URL: 'http://127.0.0.1:9/n',
    } as never);
    const fault = sb.injectFault('reset-before', {
      match: { operation: 'scan.query', merchantOrderId: orderId },
      times: 2,
    });
    expect((await c.scan.query({ MERORDERID: orderId } as never)).body).toMatchObject({ MERORDERID: orderId });
    expect(fault.hits).toBe(2);
  });

  it('attempts: 10 never resends a payment order or a payout', async () => {
    const c = client({ attempts: 10, baseDelayMs: 1, maxDelayMs: 2 });
    const orderId = id('M');
    const order = sb.injectFault('reset-before', {
      match: { operation: 'scan.wechatOrder', merchantOrderId: orderId },
      times: 0,
    });
    await expect(
      c.scan.wechatOrder({
        TRADETYPE: '1',
        AMT: '100',
        MERORDERID: orderId,
        GOODSNAME: 'm',
        NOTIFY_URL: 'http://127.0.0.1:9/n',
      } as never),
    ).rejects.toBeInstanceOf(MmspTransportError);
    expect(order.hits).toBe(1);
    const orderNo = `${Date.now()}${++seq}`.padEnd(18, '0');
    const payout = sb.injectFault('reset-after', { match: { operation: 'payout.pay', merchantOrderId: orderNo } });
    const res = await c.payout.pay({
      ORDERNO: orderNo,
      AMT: '2000',
      BUSIYPE: '001',
      ACCNAME: '王五',
      ACCNO: '6222020200112231111',
      MEMO: 'r',
      ACCTYPE: '0',
      MOBILE: '13800138000',
      BANKNAME: '工商银行',
    } as never);
    expect(res.operation).toBe('payout.query'); // settled by a query, not by a second pay
    expect(payout.hits).toBe(1);
    expect(sb.payouts().filter((p) => p.orderNo === orderNo)).toHaveLength(1);
    sb.clearFaults();
  });

  it('a bad setting is an MmspConfigError naming the field', () => {
    const error = (() => {
      try {
        createNodeClient({ ...merchant, retry: { attempts: 0, maxDelayMs: -5 } });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(MmspConfigError);
    expect((error as MmspConfigError).issues.map((i) => i.field)).toEqual(['retry.attempts', 'retry.maxDelayMs']);
  });
});
