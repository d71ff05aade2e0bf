// Issue #13 item 4 through createNodeClient: two Node clients (two instances) on one send ledger
// against the sandbox; the second is asked for the micropay the first placed and queries it instead
// of sending it again (requests counted at the sandbox).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemorySendLedger } from '@mmsp/client';
import { startSandbox, type Sandbox } from '../../sandbox/src/index.js';
import { createNodeClient } from '../src/index.js';

let sb: Sandbox;
beforeAll(async () => {
  sb = await startSandbox({ timeScale: 0.001, micropayDelayMs: 30 });
});
afterAll(() => sb.close());

const quiet = { debug() {}, info() {}, warn() {}, error() {} };
const nodeClient = (sendLedger: MemorySendLedger) => {
  const m = sb.merchant;
  return createNodeClient({
    merchantNo: m.merchantNo,
    terminalNo: m.terminalNo,
    key: m.key,
    endpoints: m.endpoints,
    logger: quiet,
    sendLedger,
  });
};

describe('createNodeClient with sendLedger', () => {
  it('a micropay the other instance sent is queried, not sent again; without the shared ledger it leaves again', async () => {
    const ledger = new MemorySendLedger();
    const MERORDERID = `N${Date.now() % 1e9}`;
    const body = {
      AMT: '100',
      GOODSNAME: 'tea',
      MERORDERID,
      CODE: '134567890123450000',
      NOTIFY_URL: 'http://127.0.0.1:9/notify',
    };
    const counter = sb.injectFault(
      { kind: 'latency', ms: 0 },
      { match: { operation: 'scan.wechatMicropay', merchantOrderId: MERORDERID }, times: 0 },
    );
    const first = await nodeClient(ledger).scan.wechatMicropay(body);
    expect(first.operation).toBe('scan.wechatMicropay');
    const second = await nodeClient(ledger).scan.wechatMicropay(body);
    expect(second.operation).toBe('scan.query');
    expect(counter.hits).toBe(1);
    await nodeClient(new MemorySendLedger())
      .scan.wechatMicropay(body)
      .catch(() => undefined);
    expect(counter.hits).toBe(2);
    sb.clearFaults();
  });

  it('refuses a sendLedger that is not one, in the one MmspConfigError', () => {
    const m = sb.merchant;
    expect(() =>
      createNodeClient({
        merchantNo: m.merchantNo,
        terminalNo: m.terminalNo,
        key: m.key,
        endpoints: m.endpoints,
        sendLedger: {} as never,
      }),
    ).toThrow(/sendLedger must be a SendLedger/);
  });
});
