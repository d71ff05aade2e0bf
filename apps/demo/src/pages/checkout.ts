/** Forms that need input before an order is placed: payment code, card, bank. */
import { GATEWAY_PAY_CHANNELS } from '@mmsp/codec';
import { html, type Html } from '../html.js';
import { ICONS } from '../icons.js';
import type { ShopperReason } from '../reasons.js';
import { reasonBox } from './order.js';
import type { Product } from '../products.js';
import { MICROPAY_WALLETS } from '../shop.service.js';
import { yuan } from './layout.js';

/** The sandbox's micropay test codes (README of @mmsp/sandbox): the last four digits decide. */
export const MICROPAY_CODES: readonly { code: string; what: string }[] = [
  { code: '134567890123450000', what: 'paid at once' },
  {
    code: '134567890123451111',
    what: '"paying", then paid after a moment (the shop polls, then the notification arrives)',
  },
  { code: '134567890123452222', what: '"paying" until you pay or decline it on the sandbox' },
  { code: '134567890123453333', what: '"paying", then failed' },
  { code: '134567890123459999', what: 'declined at once' },
];

export const TEST_CARD = {
  CARDNO: '6225880113756648',
  NAME: '张三',
  ID_NO: '440301199001011234',
  PHONENO: '13800138000',
} as const;

const summary = (p: Product) => html`<p>${ICONS[p.icon]()} <strong>${p.name}</strong> — ${yuan(p.amount)}</p>`;

export function micropayPage(product: Product, sandbox: boolean, error?: string): Html {
  return html`${summary(product)}${error ? html`<div class="error">${error}</div>` : ''}
<form method="post" action="/checkout/micropay" class="card"><input type="hidden" name="product" value="${product.id}">
<label><span>Wallet</span><select name="wallet">${Object.entries(MICROPAY_WALLETS).map(([k, w]) => html`<option value="${k}">${w.label}</option>`)}</select></label>
<label><span>Payment code</span><input name="code" id="code" inputmode="numeric" size="24" autocomplete="off" value="${sandbox ? MICROPAY_CODES[0]!.code : ''}" required></label>
<button type="submit" data-test="micropay-submit">Charge ${yuan(product.amount)}</button></form>
${
  sandbox
    ? html`<div class="hint"><strong>Sandbox test codes</strong> (a real payment code is the number under the barcode in the customer's wallet app):
<table class="small">${MICROPAY_CODES.map((c) => html`<tr><td><code>${c.code}</code></td><td>${c.what}</td><td><button type="button" class="secondary" onclick="document.getElementById('code').value=this.dataset.code" data-code="${c.code}">use</button></td></tr>`)}</table></div>`
    : ''
}`;
}

export function quickPayPage(product: Product, sandbox: boolean, error?: string | Html): Html {
  const v = sandbox ? TEST_CARD : { CARDNO: '', NAME: '', ID_NO: '', PHONENO: '' };
  return html`${summary(product)}${error ? html`<div class="error">${error}</div>` : ''}
<form method="post" action="/checkout/quickpay" class="card" autocomplete="off"><input type="hidden" name="product" value="${product.id}">
<label><span>Card number</span><input name="CARDNO" value="${v.CARDNO}" size="22" inputmode="numeric" required></label>
<label><span>Card type</span><select name="CARDTYPE"><option value="1">debit (借记卡)</option><option value="2">credit (信用卡)</option></select></label>
<label><span>Expiry MMYY</span><input name="EXPDATE" size="5" placeholder="credit only"> <span class="muted small">CVN2</span> <input name="CVN2" size="4" placeholder="credit only"></label>
<label><span>Card holder</span><input name="NAME" value="${v.NAME}" required></label>
<label><span>ID number</span><input name="ID_NO" value="${v.ID_NO}" size="22" required></label>
<label><span>Phone</span><input name="PHONENO" value="${v.PHONENO}" size="13" inputmode="tel" required></label>
<button type="submit" data-test="quickpay-submit">Send SMS code and pay ${yuan(product.amount)}</button></form>
${sandbox ? html`<div class="hint">Prefilled with sandbox test data. Card numbers ending <code>9999</code> are refused (要素不匹配), <code>8888</code> are declined at SMS confirmation, <code>7777</code> need the SMS resent. The shop never stores card data: only the last four digits.</div>` : ''}`;
}

export function gatewayPage(product: Product, error?: string): Html {
  return html`${summary(product)}${error ? html`<div class="error">${error}</div>` : ''}
<form method="post" action="/checkout/gateway" class="card"><input type="hidden" name="product" value="${product.id}">
<p>Choose your bank (the document's channel table, PAY_CHANNEL):</p>
<div class="grid" style="grid-template-columns:repeat(auto-fill,minmax(220px,1fr));gap:4px">
${Object.entries(GATEWAY_PAY_CHANNELS).map(([code, name], i) => html`<label><input type="radio" name="channel" value="${code}" ${i === 1 ? html`checked` : ''}> ${name} <span class="muted small">${code}</span></label>`)}
</div>
<button type="submit" data-test="gateway-submit">Continue to the bank</button></form>
<div class="hint">Your browser will post a signed form to the bank page. When you come back, the shop waits for the platform's signed notification: the browser return alone is never proof of payment.</div>`;
}

export interface ErrorPageOptions {
  /** The same in Chinese. */
  zh?: string;
  /** Where to go next (default: back to the shop). */
  back?: { href: string; label: string };
  /** A "try again" link. */
  retry?: string;
}

export function errorPage(message: string, options: ErrorPageOptions = {}): Html {
  const back = options.back ?? { href: '/', label: 'Back to the shop' };
  return html`<div class="error" id="error">${options.zh ? html`<p class="zh" lang="zh-CN">${options.zh}</p>` : ''}<p>${message}</p></div>
<p>${options.retry ? html`<a class="btn" id="retry" href="${options.retry}">Try again</a> ` : ''}<a${back.href.startsWith('/orders/') ? html` class="btn secondary" id="back-to-order"` : html` id="back"`} href="${back.href}">${back.label}</a></p>`;
}

/** An error with its reason in the shopper's words (reasons.ts) and where to go next. */
export function reasonPage(
  reason: ShopperReason,
  next: { retry?: string; back: { href: string; label: string } },
): Html {
  return html`${reasonBox(reason)}
<p>${next.retry ? html`<a class="btn" id="retry" href="${next.retry}">Try again</a> ` : ''}<a${next.back.href.startsWith('/orders/') ? html` class="btn secondary" id="back-to-order"` : html` id="back"`} href="${next.back.href}">${next.back.label}</a></p>`;
}
