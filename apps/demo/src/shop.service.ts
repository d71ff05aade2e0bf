/**
 * The shop's payment flows, each written the way a merchant would with `MmspService` (issue #7):
 * place the order, keep its state in SQLite, and settle it only from a verified answer — the signed
 * notification, a response, or a query — never from the browser (PROTOCOL §5).
 */
import { Inject, Injectable, Logger } from '@nestjs/common';
import { MmspService } from '@mmsp/nestjs-module';
import {
  MmspBusinessError,
  MmspTransportError,
  MmspValidationError,
  type MmspResult,
  type OperationName,
  type PaidEvent,
  type TradeState,
} from '@mmsp/client';
import { newOrderNo, GATEWAY_PAY_CHANNELS } from '@mmsp/codec';
import { ActivityLog } from './activity-log.js';
import type { DemoContext } from './context.js';
import { ShopDb, type OrderRow, type OrderState } from './db.js';
import { maskCard, maskText } from './mask.js';
import type { Product } from './products.js';
import { reasonFromError, reasonFromResult, type ShopperReason } from './reasons.js';
import { ACTIVITY_LOG, DEMO_CONTEXT, SHOP_DB } from './tokens.js';

/** QR (正扫) channels: the operation and the request's TRADETYPE. */
export const QR_METHODS = {
  wechat: { label: 'WeChat Pay', op: 'scan.wechatOrder' },
  alipay: { label: 'Alipay', op: 'scan.alipayOrder' },
  qq: { label: 'QQ Wallet', op: 'scan.qqOrder' },
  jd: { label: 'JD Pay', op: 'scan.jdOrder' },
  unionpay: { label: 'UnionPay wallet', op: 'scan.unionPayWalletOrder' },
} as const satisfies Record<string, { label: string; op: OperationName }>;
export type QrMethod = keyof typeof QR_METHODS;

export const MICROPAY_WALLETS = {
  wechat: { label: 'WeChat Pay', op: 'scan.wechatMicropay' },
  alipay: { label: 'Alipay', op: 'scan.alipayMicropay' },
  qq: { label: 'QQ Wallet', op: 'scan.qqMicropay' },
} as const satisfies Record<string, { label: string; op: OperationName }>;
export type MicropayWallet = keyof typeof MICROPAY_WALLETS;

export const H5_WALLETS = {
  wechat: { label: 'WeChat H5', op: 'scan.wechatH5' },
  alipay: { label: 'Alipay H5', op: 'scan.alipayH5' },
} as const satisfies Record<string, { label: string; op: OperationName }>;
export type H5Wallet = keyof typeof H5_WALLETS;

export interface CardInput {
  CARDNO: string;
  CARDTYPE: '1' | '2';
  NAME: string;
  ID_NO: string;
  PHONENO: string;
  EXPDATE?: string;
  CVN2?: string;
}

export interface PayoutInput {
  AMT: string;
  ACCNAME: string;
  ACCNO: string;
  MOBILE: string;
  BANKNAME: string;
  MEMO: string;
}

const FINAL: readonly OrderState[] = ['paid', 'failed', 'closed', 'refunded'];

function toOrderState(state: TradeState | undefined): OrderState | undefined {
  switch (state) {
    case 'paid':
      return 'paid';
    case 'paying':
    case 'accepted':
      return 'paying';
    case 'failed':
      return 'failed';
    case 'refunded':
      return 'refunded';
    case 'closed':
      return 'closed';
    case 'pending':
      return 'pending';
    default:
      return undefined;
  }
}

/** A user-facing error (bad form input): shown on the page, never a stack; `zh` says it in Chinese. */
export class ShopInputError extends Error {
  constructor(
    message: string,
    readonly zh?: string,
  ) {
    super(message);
  }
}

/** An action on an order (refund, cancel, close, query, SMS) that did not succeed: its reason for the error page. */
export class ShopActionError extends Error {
  constructor(
    readonly orderId: string,
    readonly reason: ShopperReason,
  ) {
    super(reason.en);
  }
}

@Injectable()
export class ShopService {
  private readonly logger = new Logger('Shop');
  /** Order ids whose background polling is running (one poller per order). */
  private readonly polling = new Set<string>();

  constructor(
    @Inject(MmspService) private readonly mmsp: MmspService,
    @Inject(SHOP_DB) private readonly db: ShopDb,
    @Inject(ACTIVITY_LOG) private readonly activity: ActivityLog,
    @Inject(DEMO_CONTEXT) readonly ctx: DemoContext,
  ) {}

  /** One platform call, its answer (or error) written to the live log. */
  private async send(op: OperationName, body: Record<string, unknown>, orderId: string | null): Promise<MmspResult> {
    try {
      const result = await (this.mmsp.call as (o: OperationName, b: Record<string, unknown>) => Promise<MmspResult>)(
        op,
        body,
      );
      this.activity.response(result, orderId);
      return result;
    } catch (error) {
      this.activity.error(op, orderId, error);
      throw error;
    }
  }

  /** Moves an order to a new state; a final state is never undone by a later, older answer. */
  private setState(
    id: string,
    state: OrderState | undefined,
    source: string,
    message?: string | null,
  ): OrderRow | undefined {
    const order = this.db.order(id);
    if (!order) return undefined;
    // The same state again (a late poll answer after the notification): the first proof stays, and
    // nothing changes, so the page watching the order does not reload for nothing.
    if (state === order.state)
      return message !== undefined && message !== order.message ? this.db.updateOrder(id, { message }) : order;
    if (state === undefined)
      return this.db.updateOrder(id, { stateSource: source, ...(message !== undefined ? { message } : {}) });
    const fromFinal = FINAL.includes(order.state);
    // paid → refunded / closed is allowed (refund, close); nothing goes back to pending/paying.
    if (fromFinal && !(order.state === 'paid' && (state === 'refunded' || state === 'closed'))) return order;
    // Paid: what was said while paying ("SMS code accepted; waiting…") is over; the banner speaks.
    const said = message !== undefined ? message : state === 'paid' ? null : undefined;
    return this.db.updateOrder(id, { state, stateSource: source, ...(said !== undefined ? { message: said } : {}) });
  }

  /** Why the order did not go through, kept with it for the order page (technical text masked). */
  private setReason(id: string, reason: ShopperReason | null): void {
    this.db.mergeDetail(id, {
      reason: reason ? { ...reason, technical: this.activity.maskText(reason.technical) } : null,
    });
  }

  /**
   * A refused or failed call. The order fails when the platform refused it, or when the request
   * never left (invalid, or the connection was refused): either way nothing can be paid. When it
   * may have reached the platform (timeout, unverifiable answer) the state stays as it was: a
   * query settles it. The shopper gets a reason in every case.
   */
  private failed(id: string, operation: string, error: unknown): void {
    const reason = reasonFromError(operation, error);
    this.setReason(id, reason);
    const neverSent =
      error instanceof MmspValidationError || (error instanceof MmspTransportError && !error.mayHaveReachedPlatform);
    if (error instanceof MmspBusinessError) this.setState(id, 'failed', 'response', null);
    else if (neverSent) this.setState(id, 'failed', 'shop', null);
    else this.db.updateOrder(id, { message: null });
  }

  /** A final answer without an error: "failed" or "closed" get their reason. */
  private settled(id: string, result: MmspResult, source: string): void {
    const state = toOrderState(result.state);
    if (state === 'failed' || state === 'closed') this.setReason(id, reasonFromResult(result));
    this.setState(id, state, source);
  }

  // ---- scan code: QR (正扫) and H5 ---------------------------------------------------------

  async qrOrder(method: QrMethod, product: Product): Promise<OrderRow> {
    const { op } = QR_METHODS[method];
    const id = newOrderNo('scan', { length: 20 });
    this.db.insertOrder({
      id,
      family: 'scan',
      method: `qr:${method}`,
      product: product.id,
      goodsName: product.goodsName,
      amount: product.amount,
      state: 'created',
      platformOrderId: null,
      payUrl: null,
      detail: '{}',
    });
    try {
      const result = await this.send(
        op,
        {
          TRADETYPE: '1',
          AMT: product.amount,
          MERORDERID: id,
          GOODSNAME: product.goodsName,
          NOTIFY_URL: this.ctx.notifyUrl,
        },
        id,
      );
      this.db.updateOrder(id, {
        platformOrderId: String(result.body.ORDERNO ?? ''),
        payUrl: String(result.body.URL ?? '') || null,
        state: 'pending',
        stateSource: 'response',
      });
    } catch (error) {
      this.failed(id, op, error);
    }
    return this.db.order(id)!;
  }

  async h5Order(wallet: H5Wallet, product: Product): Promise<OrderRow> {
    const { op } = H5_WALLETS[wallet];
    const id = newOrderNo('scan', { length: 20 });
    this.db.insertOrder({
      id,
      family: 'scan',
      method: `h5:${wallet}`,
      product: product.id,
      goodsName: product.goodsName,
      amount: product.amount,
      state: 'created',
      platformOrderId: null,
      payUrl: null,
      detail: '{}',
    });
    try {
      const result = await this.send(
        op,
        {
          AMT: product.amount,
          MERORDERID: id,
          GOODSNAME: product.goodsName,
          NOTIFY_URL: this.ctx.notifyUrl,
          JUMP_URL: `${this.ctx.baseUrl}/orders/${id}`,
        },
        id,
      );
      this.db.updateOrder(id, {
        platformOrderId: String(result.body.ORDERNO ?? ''),
        payUrl: String(result.body.URL ?? '') || null,
        state: 'pending',
        stateSource: 'response',
      });
    } catch (error) {
      this.failed(id, op, error);
    }
    return this.db.order(id)!;
  }

  // ---- scan code: micropay (刷卡) ----------------------------------------------------------

  async micropay(wallet: MicropayWallet, product: Product, code: string): Promise<OrderRow> {
    if (!/^\d{10,32}$/.test(code))
      throw new ShopInputError(
        "The payment code is the 10–32 digits under the barcode in the payer's wallet app (see the test codes below).",
      );
    const { op } = MICROPAY_WALLETS[wallet];
    const id = newOrderNo('scan', { length: 20 });
    this.db.insertOrder({
      id,
      family: 'scan',
      method: `micropay:${wallet}`,
      product: product.id,
      goodsName: product.goodsName,
      amount: product.amount,
      state: 'created',
      platformOrderId: null,
      payUrl: null,
      detail: JSON.stringify({ code: maskCard(code) }),
    });
    try {
      const result = await this.send(
        op,
        {
          AMT: product.amount,
          MERORDERID: id,
          GOODSNAME: product.goodsName,
          NOTIFY_URL: this.ctx.notifyUrl,
          CODE: code,
        },
        id,
      );
      this.db.updateOrder(id, { platformOrderId: String(result.body.ORDERNO ?? '') || null });
      if (toOrderState(result.state) === undefined) this.setState(id, 'pending', 'response');
      else this.settled(id, result, 'response');
      // "Paying" (STATUS 3 / AA): the payer confirms in the wallet; poll, never resend (PROTOCOL §5).
      if (result.state === 'paying') this.pollScan(id);
    } catch (error) {
      this.failed(id, op, error);
    }
    return this.db.order(id)!;
  }

  private pollScan(id: string): void {
    if (this.polling.has(id)) return;
    this.polling.add(id);
    // One line on the live log for the whole poll, however many queries it takes (activity-log.ts).
    this.activity.beginPoll(id, 'scan.query', id);
    void this.mmsp.scan
      .waitForFinal({ MERORDERID: id }, { deadlineMs: 5 * 60_000, intervalMs: 1000, maxIntervalMs: 5000 })
      .then(({ result, final }) => {
        this.activity.endPoll(id);
        this.activity.response(result, id);
        if (final) this.settled(id, result, 'query');
      })
      .catch((error: unknown) => {
        this.activity.endPoll(id);
        this.activity.error('scan.waitForFinal', id, error);
      })
      .finally(() => this.polling.delete(id));
  }

  // ---- quick pay (快捷), flow A: pay → SMS code → confirm ------------------------------------

  async quickPay(product: Product, card: CardInput): Promise<OrderRow> {
    const id = newOrderNo('quickPay', { length: 24 });
    this.db.insertOrder({
      id,
      family: 'quickPay',
      method: 'quickpay',
      product: product.id,
      goodsName: product.goodsName,
      amount: product.amount,
      state: 'created',
      platformOrderId: null,
      payUrl: null,
      detail: JSON.stringify({ card: maskCard(card.CARDNO), phone: maskCard(card.PHONENO) }),
    });
    try {
      const body: Record<string, unknown> = {
        MERORDERID: id,
        AMT: product.amount,
        NOTIFY_URL: this.ctx.notifyUrl,
        CARDNO: card.CARDNO,
        CARDTYPE: card.CARDTYPE,
        NAME: card.NAME,
        ID_NO: card.ID_NO,
        PHONENO: card.PHONENO,
      };
      if (card.CARDTYPE === '2') Object.assign(body, { EXPDATE: card.EXPDATE, CVN2: card.CVN2 });
      const result = await this.send('quickPay.pay', body, id);
      this.db.updateOrder(id, { platformOrderId: String(result.body.LIST_ID ?? '') || null });
      this.setState(id, 'pending', 'response', "An SMS code was sent to the card holder's phone.");
    } catch (error) {
      this.failed(id, 'quickPay.pay', error);
      // Details the client refused (never sent): the card form again, with what to correct.
      if (error instanceof MmspValidationError) throw error;
    }
    return this.db.order(id)!;
  }

  async quickPayConfirm(id: string, code: string): Promise<OrderRow> {
    const order = this.mustOrder(id, 'quickPay');
    if (!/^\d{4,6}$/.test(code)) {
      // Nothing is sent: the shopper re-enters the code on the order page.
      this.setReason(id, {
        zh: '短信验证码是 4 到 6 位数字，请重新输入。',
        en: 'The SMS code is 4 to 6 digits: please enter it again.',
        code: null,
        platformMessage: null,
        technical: 'MSG_CODE must be 4 to 6 digits (checked by the shop, not sent)',
      });
      return order;
    }
    try {
      const result = await this.send(
        'quickPay.confirmSms',
        { LIST_ID: order.platformOrderId ?? '', MSG_CODE: code },
        id,
      );
      this.setReason(id, null);
      this.setState(
        id,
        result.state === 'paid' ? 'paid' : 'paying',
        'response',
        'SMS code accepted; waiting for the bank (the notification settles the order).',
      );
    } catch (error) {
      if (!(error instanceof MmspBusinessError)) {
        this.failed(id, 'quickPay.confirmSms', error);
        return this.db.order(id)!;
      }
      // A refused code (a wrong one, say) does not end the order by itself: the platform may keep
      // it pending for another try. A signed query says which; only a final answer fails the order.
      const reason = reasonFromError('quickPay.confirmSms', error);
      let after: MmspResult | undefined;
      try {
        after = await this.send('quickPay.query', { MERORDERID: id }, id);
      } catch {
        after = undefined;
      }
      const state = after ? toOrderState(after.state) : undefined;
      this.setReason(id, reason);
      if (state === 'failed' || state === 'closed' || state === 'paid') this.setState(id, state, 'query', null);
      else this.setState(id, 'pending', after ? 'query' : 'response', null);
    }
    return this.db.order(id)!;
  }

  async quickPayResend(id: string): Promise<OrderRow> {
    const order = this.mustOrder(id, 'quickPay');
    try {
      await this.send('quickPay.resendSms', { LIST_ID: order.platformOrderId ?? '' }, id);
      this.setReason(id, null);
      this.db.updateOrder(id, { message: 'A new SMS code was sent.' });
    } catch (error) {
      throw new ShopActionError(id, reasonFromError('quickPay.resendSms', error));
    }
    return this.db.order(id)!;
  }

  /** The sandbox's SMS code for an order (embedded sandbox only): shown as a hint on the page. */
  smsHint(id: string): string | undefined {
    return this.ctx.sandbox?.smsCode(id);
  }

  // ---- gateway (网关): an auto-submitting form to the bank page -------------------------------

  async gatewayStart(product: Product, channel: string): Promise<{ order: OrderRow; formHtml: string }> {
    if (!Object.hasOwn(GATEWAY_PAY_CHANNELS, channel)) throw new ShopInputError('Choose a bank from the list.');
    const id = newOrderNo('gateway', { length: 24 });
    this.db.insertOrder({
      id,
      family: 'gateway',
      method: 'gateway',
      product: product.id,
      goodsName: product.goodsName,
      amount: product.amount,
      state: 'pending',
      platformOrderId: null,
      payUrl: null,
      detail: JSON.stringify({ bank: channel }),
    });
    const form = await this.mmsp.gateway.pay({
      MERORDERID: id,
      AMT: product.amount,
      NOTIFY_URL: this.ctx.notifyUrl,
      JUMP_URL: `${this.ctx.baseUrl}/gateway/return`,
      PAY_CHANNEL: channel,
      GOODSNAME: product.goodsName,
    });
    this.activity.form('gateway.pay', form.fields.web_api, id);
    return { order: this.db.order(id)!, formHtml: form.html };
  }

  /** The browser came back (§5.5): recorded and shown, but the order stays unpaid until verified. */
  gatewayReturn(query: URLSearchParams): OrderRow | undefined {
    const back = this.mmsp.gateway.parseReturn(query);
    const id = back.MERORDERID;
    if (!id || !this.db.order(id)) return undefined;
    this.activity.browser(`⇠ browser return for ${id} claims ${back.claimedState ?? 'nothing'}`, id, query.toString());
    this.db.mergeDetail(id, { browserReturn: { claimed: back.claimedState ?? null, at: Date.now() } });
    return this.db.order(id);
  }

  // ---- any family: query, and scan's refund / cancel / close ----------------------------------

  async query(id: string): Promise<OrderRow> {
    const order = this.mustOrder(id);
    const op: OperationName =
      order.family === 'scan' ? 'scan.query' : order.family === 'quickPay' ? 'quickPay.query' : 'gateway.query';
    try {
      const result = await this.send(op, { MERORDERID: id }, id);
      this.settled(id, result, 'query');
    } catch (error) {
      throw new ShopActionError(id, reasonFromError(op, error));
    }
    return this.db.order(id)!;
  }

  async refund(id: string, amount: string): Promise<OrderRow> {
    const order = this.mustOrder(id, 'scan');
    if (!/^[1-9]\d*$/.test(amount))
      throw new ShopInputError(
        'The refund amount is a whole number of fen (100 = ¥1.00).',
        '退款金额以分为单位，须为正整数（100 分 = 1.00 元）。',
      );
    const left = BigInt(order.amount) - BigInt(order.refunded);
    if (BigInt(amount) > left)
      throw new ShopInputError(`At most ${left} fen can still be refunded.`, `最多还可退 ${left} 分。`);
    const refundId = newOrderNo('scan', { length: 20 });
    try {
      const result = await this.send('scan.refund', { MERORDERID: id, REFUND_MERORDERID: refundId, AMT: amount }, id);
      this.db.insertRefund({
        id: refundId,
        orderId: id,
        amount,
        state: 'accepted',
        platformRefundNo: String(result.body.REFUND_ORDERNO ?? '') || null,
      });
      const refunded = (BigInt(order.refunded) + BigInt(amount)).toString();
      this.db.updateOrder(id, { refunded, message: `Refund of ${amount} fen accepted.` });
      if (refunded === order.amount) this.setState(id, 'refunded', 'response');
    } catch (error) {
      throw new ShopActionError(id, reasonFromError('scan.refund', error));
    }
    return this.db.order(id)!;
  }

  async cancelOrClose(id: string, action: 'cancel' | 'close'): Promise<OrderRow> {
    this.mustOrder(id, 'scan');
    try {
      const result = await this.send(action === 'cancel' ? 'scan.cancel' : 'scan.close', { MERORDERID: id }, id);
      this.setState(
        id,
        toOrderState(result.state) ?? 'closed',
        'response',
        action === 'cancel' ? 'Order cancelled (撤销).' : 'Order closed (关闭).',
      );
    } catch (error) {
      throw new ShopActionError(id, reasonFromError(action === 'cancel' ? 'scan.cancel' : 'scan.close', error));
    }
    return this.db.order(id)!;
  }

  /** From MmspModule's verified notification (notifications.ts). Idempotent. */
  onPaidNotification(event: PaidEvent): void {
    const order = this.db.order(event.merchantOrderId);
    if (!order) {
      this.logger.warn(`notification for an unknown order ${event.merchantOrderId}: acknowledged, nothing to update`);
      return;
    }
    const detail = this.db.detail(order);
    this.db.updateOrder(order.id, {
      detail: JSON.stringify({ ...detail, notifications: Number(detail.notifications ?? 0) + 1 }),
      ...(order.platformOrderId ? {} : { platformOrderId: event.platformOrderId }),
    });
    // No message: the order page's one "paid" banner says how it was confirmed.
    this.setState(order.id, 'paid', 'notification', null);
  }

  /** From the reconciler (reconciliation.ts): a signed query answer for an order whose notification never came. */
  settleByReconciliation(id: string, state: OrderState, message: string, platformOrderId?: string): void {
    const order = this.db.order(id);
    if (!order) return;
    if (platformOrderId && !order.platformOrderId) this.db.updateOrder(id, { platformOrderId });
    this.setState(id, state, 'reconciliation', message);
  }

  expectedAmount(merchantOrderId: string): string | undefined {
    return this.db.order(merchantOrderId)?.amount;
  }

  private mustOrder(id: string, family?: OrderRow['family']): OrderRow {
    const order = this.db.order(id);
    if (!order) throw new ShopInputError(`No order ${id}.`);
    if (family && order.family !== family)
      throw new ShopInputError(`Order ${id} is a ${order.family} order: this action is for ${family} orders.`);
    return order;
  }

  // ---- payouts (代付) -------------------------------------------------------------------------

  async payout(input: PayoutInput): Promise<string> {
    if (!this.ctx.settings.payout || !this.ctx.settings.endpoints.payout)
      throw new ShopInputError(
        'Payouts are not configured (MMSP_PAYOUT_URL, MMSP_PLATFORM_PUBLIC_KEY, MMSP_MERCHANT_PRIVATE_KEY).',
        '本店尚未配置代付（MMSP_PAYOUT_URL、MMSP_PLATFORM_PUBLIC_KEY、MMSP_MERCHANT_PRIVATE_KEY）。',
      );
    if (!/^[1-9]\d*$/.test(input.AMT))
      throw new ShopInputError(
        'The amount is a whole number of fen (100 = ¥1.00).',
        '金额以分为单位，须为正整数（100 分 = 1.00 元）。',
      );
    const orderNo = newOrderNo('payout', { length: 20 });
    this.db.insertPayout({
      orderNo,
      amount: input.AMT,
      accName: input.ACCNAME,
      accNoMasked: maskCard(input.ACCNO),
      state: 'sending',
      payState: null,
      message: null,
      platformOrderNo: null,
    });
    try {
      // payout.pay never resends: an unknown outcome (RETCODE 0001, timeout) is settled by query (PROTOCOL §6).
      const result = await this.send(
        'payout.pay',
        {
          ORDERNO: orderNo,
          AMT: input.AMT,
          BUSIYPE: '001',
          ACCNAME: input.ACCNAME,
          ACCNO: input.ACCNO,
          MEMO: input.MEMO,
          ACCTYPE: '0',
          MOBILE: input.MOBILE,
          BANKNAME: input.BANKNAME,
        },
        null,
      );
      this.updatePayout(orderNo, result);
      if (result.state !== 'paid' && result.state !== 'failed') this.pollPayout(orderNo);
    } catch (error) {
      // The list says why in the merchant's words; the technical account is on the live log.
      const reason = reasonFromError('payout.pay', error);
      // Refused, or stopped by the client's own checks before sending: not paid. Anything else: query it.
      this.db.updatePayout(orderNo, {
        state:
          error instanceof MmspBusinessError || error instanceof MmspValidationError ? 'failed' : 'unknown: query it',
        message: `${reason.zh} ${reason.en}`,
      });
    }
    return orderNo;
  }

  private updatePayout(orderNo: string, result: MmspResult): void {
    const payState = result.body.PAYSTATE === undefined ? null : String(result.body.PAYSTATE);
    this.db.updatePayout(orderNo, {
      state: result.state ?? 'accepted',
      payState,
      message: String(result.body.DESC ?? result.codes.message ?? ''),
      platformOrderNo: String(result.body.BSORDERNO ?? '') || null,
    });
  }

  private pollPayout(orderNo: string): void {
    if (this.polling.has(orderNo)) return;
    this.polling.add(orderNo);
    const key = `payout:${orderNo}`;
    this.activity.beginPoll(key, 'payout.query', null, orderNo);
    void this.mmsp.payout
      .waitForFinal({ ORDERNO: orderNo }, { deadlineMs: 10 * 60_000, intervalMs: 1000, maxIntervalMs: 5000 })
      .then(({ result }) => {
        this.activity.endPoll(key);
        this.activity.response(result, null);
        this.updatePayout(orderNo, result);
      })
      .catch((error: unknown) => {
        this.activity.endPoll(key);
        this.activity.error('payout.waitForFinal', null, error);
      })
      .finally(() => this.polling.delete(orderNo));
  }

  async payoutQuery(orderNo: string): Promise<void> {
    const result = await this.send('payout.query', { ORDERNO: orderNo }, null);
    this.updatePayout(orderNo, result);
  }

  async balance(): Promise<MmspResult> {
    return this.send('payout.balance', { QRYTYPE: '1' }, null);
  }

  /** After a restart: resume watching what was still in flight. */
  resumePolling(): void {
    for (const order of this.db.orders(500))
      if (order.state === 'paying' && order.family === 'scan') this.pollScan(order.id);
    for (const p of this.db.payouts(500))
      if (p.state !== 'paid' && p.state !== 'failed' && p.state !== 'sending') this.pollPayout(p.orderNo);
  }
}
