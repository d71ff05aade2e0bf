/**
 * Issue #13 item 4 through MmspModule: two Nest applications (two instances) whose modules share
 * one send ledger, against the real sandbox. The second is asked for the micropay the first placed
 * and queries it instead of sending it again (requests counted at the sandbox).
 */
import type { Sandbox, SandboxMerchant } from '@mmsp/sandbox';
import { MemorySendLedger } from '@mmsp/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MmspModule, MmspService } from '../src/index.js';
import { startApp, type RunningApp } from './support/nest.js';
import { optionsFor, orderId, sandboxWithMerchant } from './support/sandbox.js';

describe('MmspModule.forRoot({ sendLedger })', () => {
  let sandbox: Sandbox;
  let merchant: SandboxMerchant;
  const apps: RunningApp[] = [];
  beforeAll(async () => {
    ({ sandbox, merchant } = await sandboxWithMerchant());
  });
  afterAll(async () => {
    for (const app of apps) await app.close();
    await sandbox?.close();
  });
  const instance = async (sendLedger: MemorySendLedger) => {
    const app = await startApp('express', { imports: [MmspModule.forRoot(optionsFor(merchant, { sendLedger }))] });
    apps.push(app);
    return app.app.get(MmspService);
  };

  it('a micropay the other instance sent is queried, not sent again', async () => {
    const ledger = new MemorySendLedger();
    const [a, b] = [await instance(ledger), await instance(ledger)];
    const MERORDERID = orderId('L').slice(0, 20);
    const body = {
      AMT: '100',
      GOODSNAME: 'tea',
      MERORDERID,
      CODE: '134567890123450000',
      NOTIFY_URL: 'http://127.0.0.1:9/notify',
    };
    const counter = sandbox.injectFault(
      { kind: 'latency', ms: 0 },
      { match: { operation: 'scan.wechatMicropay', merchantOrderId: MERORDERID }, times: 0 },
    );
    expect((await a.scan.wechatMicropay(body)).operation).toBe('scan.wechatMicropay');
    expect((await b.scan.wechatMicropay(body)).operation).toBe('scan.query');
    expect(counter.hits).toBe(1);
    const other = await instance(new MemorySendLedger());
    await other.scan.wechatMicropay(body).catch(() => undefined);
    expect(counter.hits).toBe(2);
  });
});
