/** The shop's HTML pages and form posts (server-rendered; every value escaped by html.ts). */
import { Body, Controller, Get, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import QRCode from 'qrcode';
import { currentPayUrl } from './context.js';
import { ShopDb } from './db.js';
import { html, type Html } from './html.js';
import { MmspValidationError } from '@mmsp/client';
import { findProduct, type Product } from './products.js';
import {
  ShopActionError,
  ShopInputError,
  ShopService,
  H5_WALLETS,
  MICROPAY_WALLETS,
  QR_METHODS,
  type CardInput,
} from './shop.service.js';
import { FAVICON_SVG } from './icons.js';
import { reasonFromError } from './reasons.js';
import { SHOP_DB } from './tokens.js';
import { layout } from './pages/layout.js';
import { homePage } from './pages/home.js';
import { errorPage, gatewayPage, micropayPage, quickPayPage, reasonPage } from './pages/checkout.js';
import { orderPage, ordersPage, reasonBox } from './pages/order.js';
import { balancePage, logPage, payoutsPage } from './pages/payouts.js';

interface Reply {
  status(code: number): Reply;
  type(t: string): Reply;
  send(body: string): void;
  redirect(status: number, url: string): void;
  setHeader(name: string, value: string): void;
}
type Form = Record<string, string | undefined>;

const ACTION_TITLES: Record<string, string> = {
  refund: 'The refund could not be made',
  cancel: 'The order could not be cancelled',
  close: 'The order could not be closed',
  query: 'The order could not be queried',
  sms: 'The SMS code could not be checked',
  resend: 'The SMS code could not be sent again',
};

const text = (v: unknown): string => (typeof v === 'string' ? v.trim() : '');

@Controller()
export class PagesController {
  constructor(
    @Inject(ShopService) private readonly shop: ShopService,
    @Inject(SHOP_DB) private readonly db: ShopDb,
  ) {}

  private get mode() {
    return this.shop.ctx.settings.mode;
  }
  private get sandbox() {
    return this.shop.ctx.sandbox !== undefined;
  }

  private page(res: Reply, title: string, body: Html, watch?: { url: string; version: string }, status = 200): void {
    res.setHeader('Cache-Control', 'no-store');
    res
      .status(status)
      .type('text/html; charset=utf-8')
      .send(layout(title, body, { mode: this.mode, ...(watch ? { watch } : {}) }).value);
  }

  /** A checkout that did not go through: the reason in the shopper's words and a way to try again. */
  private fail(res: Reply, error: unknown, operation = 'checkout', retry?: string): void {
    if (error instanceof ShopInputError)
      return this.page(
        res,
        'Something is missing',
        errorPage(error.message, { ...(error.zh ? { zh: error.zh } : {}), ...(retry ? { retry } : {}) }),
        undefined,
        400,
      );
    const reason = reasonFromError(operation, error);
    this.page(
      res,
      'The payment could not be made',
      reasonPage(reason, { ...(retry ? { retry } : {}), back: { href: '/', label: 'Back to the shop' } }),
      undefined,
      reason.code ? 409 : 502,
    );
  }

  /** An action on an order that did not succeed: titled after the action, with a link back to the order. */
  private failAction(res: Reply, id: string, action: string, error: unknown): void {
    const title = ACTION_TITLES[action] ?? 'The action could not be done';
    const back = { href: `/orders/${encodeURIComponent(id)}`, label: 'Back to the order' };
    if (error instanceof ShopInputError)
      return this.page(
        res,
        title,
        errorPage(error.message, { ...(error.zh ? { zh: error.zh } : {}), back }),
        undefined,
        400,
      );
    const reason = error instanceof ShopActionError ? error.reason : reasonFromError(action, error);
    this.page(
      res,
      title,
      reasonPage(reason, { back }),
      undefined,
      reason.code || reason.refusedBeforeSending ? 409 : 502,
    );
  }

  private product(res: Reply, id: unknown): Product | undefined {
    const p = findProduct(id);
    if (!p) this.page(res, 'Unknown product', errorPage('Choose a product in the shop.'), undefined, 404);
    return p;
  }

  @Get('/')
  home(@Res() res: Reply): void {
    this.page(res, 'Shop', homePage(this.mode));
  }

  /** The shop's icon: a small SVG (pages link it; browsers that ask for /favicon.ico get the same). */
  @Get(['favicon.svg', 'favicon.ico'])
  favicon(@Res() res: Reply): void {
    res.setHeader('Cache-Control', 'public, max-age=86400');
    res.status(200).type('image/svg+xml').send(FAVICON_SVG);
  }

  @Post('checkout/qr')
  async qr(@Body() form: Form, @Res() res: Reply): Promise<void> {
    const product = this.product(res, form.product);
    if (!product) return;
    const method = text(form.method);
    if (!Object.hasOwn(QR_METHODS, method)) return this.fail(res, new ShopInputError('Choose a wallet.'));
    try {
      const order = await this.shop.qrOrder(method as keyof typeof QR_METHODS, product);
      res.redirect(303, `/orders/${encodeURIComponent(order.id)}`);
    } catch (error) {
      this.fail(res, error, 'checkout', `/#product-${encodeURIComponent(product.id)}`);
    }
  }

  @Post('checkout/h5')
  async h5(@Body() form: Form, @Res() res: Reply): Promise<void> {
    const product = this.product(res, form.product);
    if (!product) return;
    const wallet = text(form.wallet);
    if (!Object.hasOwn(H5_WALLETS, wallet)) return this.fail(res, new ShopInputError('Choose a wallet.'));
    try {
      const order = await this.shop.h5Order(wallet as keyof typeof H5_WALLETS, product);
      res.redirect(303, `/orders/${encodeURIComponent(order.id)}`);
    } catch (error) {
      this.fail(res, error, 'checkout', `/#product-${encodeURIComponent(product.id)}`);
    }
  }

  @Get('checkout/micropay')
  micropayForm(@Query('product') id: string, @Res() res: Reply): void {
    const product = this.product(res, id);
    if (product) this.page(res, 'Pay with a payment code (刷卡)', micropayPage(product, this.sandbox));
  }

  @Post('checkout/micropay')
  async micropay(@Body() form: Form, @Res() res: Reply): Promise<void> {
    const product = this.product(res, form.product);
    if (!product) return;
    const wallet = text(form.wallet);
    try {
      if (!Object.hasOwn(MICROPAY_WALLETS, wallet)) throw new ShopInputError('Choose a wallet.');
      const order = await this.shop.micropay(wallet as keyof typeof MICROPAY_WALLETS, product, text(form.code));
      res.redirect(303, `/orders/${encodeURIComponent(order.id)}`);
    } catch (error) {
      if (error instanceof ShopInputError)
        return this.page(
          res,
          'Pay with a payment code (刷卡)',
          micropayPage(product, this.sandbox, error.message),
          undefined,
          400,
        );
      this.fail(res, error, 'scan.micropay', `/checkout/micropay?product=${encodeURIComponent(product.id)}`);
    }
  }

  @Get('checkout/quickpay')
  quickPayForm(@Query('product') id: string, @Res() res: Reply): void {
    const product = this.product(res, id);
    if (product) this.page(res, 'Pay by card (快捷支付)', quickPayPage(product, this.sandbox));
  }

  @Post('checkout/quickpay')
  async quickPay(@Body() form: Form, @Res() res: Reply): Promise<void> {
    const product = this.product(res, form.product);
    if (!product) return;
    const card: CardInput = {
      CARDNO: text(form.CARDNO).replace(/\s+/g, ''),
      CARDTYPE: form.CARDTYPE === '2' ? '2' : '1',
      NAME: text(form.NAME),
      ID_NO: text(form.ID_NO),
      PHONENO: text(form.PHONENO),
      ...(form.CARDTYPE === '2' ? { EXPDATE: text(form.EXPDATE), CVN2: text(form.CVN2) } : {}),
    };
    try {
      const order = await this.shop.quickPay(product, card);
      res.redirect(303, `/orders/${encodeURIComponent(order.id)}`);
    } catch (error) {
      // Validation errors name the field and the rule, never the value (issue #3).
      const problem =
        error instanceof MmspValidationError
          ? html`<p class="zh" lang="zh-CN">请检查以下信息后重试：</p><p>Please check these details and try again:</p><ul id="problems">${error.issues.map((i) => html`<li>${i.message}</li>`)}</ul>`
          : error instanceof Error
            ? error.message
            : String(error);
      this.page(res, 'Pay by card (快捷支付)', quickPayPage(product, this.sandbox, problem), undefined, 400);
    }
  }

  @Get('checkout/gateway')
  gatewayForm(@Query('product') id: string, @Res() res: Reply): void {
    const product = this.product(res, id);
    if (product) this.page(res, 'Pay by online banking (网关)', gatewayPage(product));
  }

  @Post('checkout/gateway')
  async gateway(@Body() form: Form, @Res() res: Reply): Promise<void> {
    const product = this.product(res, form.product);
    if (!product) return;
    try {
      const { formHtml } = await this.shop.gatewayStart(product, text(form.channel));
      // The client's auto-submitting form (every attribute escaped by @mmsp/client).
      res.setHeader('Cache-Control', 'no-store');
      res
        .type('text/html; charset=utf-8')
        .send(
          `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Redirecting to the bank…</title><link rel="icon" href="/favicon.svg" type="image/svg+xml"></head><body><p>Redirecting to the bank…</p>${formHtml}</body></html>`,
        );
    } catch (error) {
      if (error instanceof ShopInputError)
        return this.page(res, 'Pay by online banking (网关)', gatewayPage(product, error.message), undefined, 400);
      this.fail(res, error, 'gateway.pay', `/checkout/gateway?product=${encodeURIComponent(product.id)}`);
    }
  }

  @Get('gateway/return')
  gatewayReturn(@Req() req: { url: string }, @Res() res: Reply): void {
    const query = new URLSearchParams(req.url.includes('?') ? req.url.slice(req.url.indexOf('?') + 1) : '');
    const order = this.shop.gatewayReturn(query);
    if (!order)
      return this.page(
        res,
        'Unknown order',
        errorPage('This return does not match an order of this shop.'),
        undefined,
        404,
      );
    res.redirect(303, `/orders/${encodeURIComponent(order.id)}?returned=1`);
  }

  @Get('orders')
  orders(@Res() res: Reply): void {
    this.page(res, 'Orders', ordersPage(this.db.orders()), {
      url: '/api/orders/version',
      version: this.db.ordersVersion(),
    });
  }

  @Get('orders/:id')
  async order(
    @Param('id') id: string,
    @Query('returned') returned: string | undefined,
    @Res() res: Reply,
  ): Promise<void> {
    const stored = this.db.order(id);
    if (!stored) return this.page(res, 'Unknown order', errorPage(`No order ${id}.`), undefined, 404);
    const order = { ...stored, payUrl: currentPayUrl(this.shop.ctx, stored.payUrl) };
    const qrSvg =
      order.payUrl && order.method.startsWith('qr:')
        ? await QRCode.toString(order.payUrl, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' })
        : undefined;
    const smsHint = order.family === 'quickPay' ? this.shop.smsHint(order.id) : undefined;
    const body = orderPage({
      order,
      detail: this.db.detail(order),
      refunds: this.db.refunds(order.id),
      ...(qrSvg ? { qrSvg } : {}),
      ...(smsHint ? { smsHint } : {}),
      sandbox: this.sandbox,
      returned: returned === '1',
    });
    this.page(res, `Order: ${findProduct(order.product)?.name ?? order.goodsName}`, body, {
      url: `/api/orders/${encodeURIComponent(order.id)}`,
      version: this.db.orderVersion(stored),
    });
  }

  @Post('orders/:id/:action')
  async orderAction(
    @Param('id') id: string,
    @Param('action') action: string,
    @Body() form: Form,
    @Res() res: Reply,
  ): Promise<void> {
    if (!this.db.order(id))
      return this.page(
        res,
        'Unknown order',
        errorPage(`No order ${id}.`, { zh: '没有这个订单。', back: { href: '/orders', label: 'All orders' } }),
        undefined,
        404,
      );
    try {
      switch (action) {
        case 'query':
          await this.shop.query(id);
          break;
        case 'refund':
          await this.shop.refund(id, text(form.amount));
          break;
        case 'cancel':
          await this.shop.cancelOrClose(id, 'cancel');
          break;
        case 'close':
          await this.shop.cancelOrClose(id, 'close');
          break;
        case 'sms':
          await this.shop.quickPayConfirm(id, text(form.code));
          break;
        case 'resend':
          await this.shop.quickPayResend(id);
          break;
        default:
          throw new ShopInputError(`Unknown action ${action}.`);
      }
      res.redirect(303, `/orders/${encodeURIComponent(id)}`);
    } catch (error) {
      this.failAction(res, id, action, error);
    }
  }

  /** Sandbox only: the customer pays or declines a "paying" order (POST /_sandbox/orders/:id/pay). */
  @Post('sandbox/settle/:id')
  settle(@Param('id') id: string, @Body() form: Form, @Res() res: Reply): void {
    try {
      if (!this.shop.ctx.sandbox) throw new ShopInputError('Only with the embedded sandbox.');
      this.shop.ctx.sandbox.settleOrder(id, form.action === 'decline' ? 'decline' : 'pay', { family: 'scan' });
      res.redirect(303, `/orders/${encodeURIComponent(id)}`);
    } catch (error) {
      this.fail(res, error);
    }
  }

  @Get('payouts')
  payouts(@Res() res: Reply): void {
    this.page(res, 'Payouts (代付)', payoutsPage(this.db.payouts(), this.sandbox), {
      url: '/api/payouts/version',
      version: this.db.payoutsVersion(),
    });
  }

  @Post('payouts')
  async sendPayout(@Body() form: Form, @Res() res: Reply): Promise<void> {
    try {
      await this.shop.payout({
        AMT: text(form.AMT),
        ACCNAME: text(form.ACCNAME),
        ACCNO: text(form.ACCNO).replace(/\s+/g, ''),
        MOBILE: text(form.MOBILE),
        BANKNAME: text(form.BANKNAME),
        MEMO: text(form.MEMO),
      });
      res.redirect(303, '/payouts');
    } catch (error) {
      // The merchant's page: plain Chinese and English, the technical text only under "For the merchant".
      const notice =
        error instanceof ShopInputError
          ? html`<div class="error" id="error">${error.zh ? html`<p class="zh" lang="zh-CN">${error.zh}</p>` : ''}<p class="en" lang="en">${error.message}</p></div>`
          : reasonBox(reasonFromError('payout.pay', error));
      this.page(
        res,
        'Payouts (代付)',
        payoutsPage(this.db.payouts(), this.sandbox, notice),
        undefined,
        error instanceof ShopInputError ? 400 : 502,
      );
    }
  }

  @Post('payouts/:orderNo/query')
  async queryPayout(@Param('orderNo') orderNo: string, @Res() res: Reply): Promise<void> {
    try {
      await this.shop.payoutQuery(orderNo);
      res.redirect(303, '/payouts');
    } catch (error) {
      const reason = reasonFromError('payout.query', error);
      this.page(
        res,
        'The payout could not be queried',
        reasonPage(reason, { retry: '/payouts', back: { href: '/payouts', label: 'Back to the payouts' } }),
        undefined,
        reason.code ? 409 : 502,
      );
    }
  }

  @Get('balance')
  async balance(@Res() res: Reply): Promise<void> {
    try {
      const result = await this.shop.balance();
      this.page(res, 'Balance', balancePage(result.body));
    } catch (error) {
      this.page(
        res,
        'Balance',
        balancePage(undefined, reasonBox(reasonFromError('payout.balance', error))),
        undefined,
        502,
      );
    }
  }

  @Get('log')
  log(@Query('order') order: string | undefined, @Res() res: Reply): void {
    const rows = this.db.log(0, 300).filter((r) => !order || r.orderId === order);
    this.page(res, 'Live log', logPage(rows, order), { url: '/api/log/version', version: this.db.logVersion() });
  }
}
