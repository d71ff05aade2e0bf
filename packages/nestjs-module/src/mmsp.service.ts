/**
 * `MmspService`: the typed `@mmsp/client` client, injectable. Every method is the client's own
 * (validation, autofill, never-resend rules, typed errors: issue #3); nothing is re-implemented here.
 *
 *   constructor(private readonly mmsp: MmspService) {}
 *   await this.mmsp.scan.wechatOrder({ TRADETYPE: '1', AMT: '100', MERORDERID, GOODSNAME, NOTIFY_URL });
 */
import { Inject, Injectable } from '@nestjs/common';
import type { MmspClient } from '@mmsp/client';
import { MMSP_CLIENT } from './mmsp.constants.js';

@Injectable()
export class MmspService {
  constructor(@Inject(MMSP_CLIENT) readonly client: MmspClient) {}

  /** 代付: `pay`, `query`, `balance`, …, `waitForFinal`. */
  get payout(): MmspClient['payout'] {
    return this.client.payout;
  }
  /** 快捷支付: `pay`, `confirm`, …, `confirmAndWait`, `waitForFinal`. */
  get quickPay(): MmspClient['quickPay'] {
    return this.client.quickPay;
  }
  /** 扫码支付: `wechatOrder`, `micropay`, `query`, `refund`, …, `waitForFinal`. */
  get scan(): MmspClient['scan'] {
    return this.client.scan;
  }
  /** 网关支付: `pay` (the auto-submitting form), `query`, `parseReturn`, …. */
  get gateway(): MmspClient['gateway'] {
    return this.client.gateway;
  }
  /** Any catalogue operation by name, e.g. `call('scan.query', { MERORDERID })`. */
  get call(): MmspClient['call'] {
    return this.client.call;
  }
  /** `open(rawText)` and `handle(rawText, onPaid, options)` for receivers of your own. */
  get notifications(): MmspClient['notifications'] {
    return this.client.notifications;
  }
}
