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

/**
 * The typed `@mmsp/client` client, injectable: `payout` (代付), `quickPay` (快捷支付), `scan` (扫码),
 * `gateway` (网关), `call(operation, body)` and `notifications`, every operation of the catalogue
 * typed with the document's wire field names. Every method is the client's own (validation,
 * autofill of `RANDSTR`/`REQTIME`/…, never resending a payment or payout whose outcome is unknown,
 * typed errors); nothing is re-implemented here. Provided by {@link MmspModule}.
 *
 * @example
 * ```ts
 * import { Injectable } from '@nestjs/common';
 * import { MmspService } from '@mmsp/nestjs-module';
 *
 * @Injectable()
 * export class Checkout {
 *   constructor(private readonly mmsp: MmspService) {}
 *
 *   async start(orderId: string) {
 *     const order = await this.mmsp.scan.wechatOrder({
 *       TRADETYPE: '1', AMT: '100', MERORDERID: orderId, GOODSNAME: 'book',
 *       NOTIFY_URL: 'https://shop.example.com/mmsp/notify',
 *     });
 *     return order.body; // typed with the document's field names
 *   }
 * }
 * ```
 */
@Injectable()
export class MmspService {
  /** @param client - The client {@link MmspModule} built (token {@link MMSP_CLIENT}). */
  constructor(
    /** The client itself (also injectable with `@InjectMmspClient()`). */
    @Inject(MMSP_CLIENT) readonly client: MmspClient,
  ) {}

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
