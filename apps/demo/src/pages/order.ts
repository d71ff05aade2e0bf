/** One order: its state (live), how to pay it, and what can be done with it. */
import { GATEWAY_PAY_CHANNELS } from '@mmsp/codec';
import { html, trusted, type Html } from '../html.js';
import type { OrderRow } from '../db.js';
import { ICONS } from '../icons.js';
import type { ShopperReason } from '../reasons.js';
import { H5_WALLETS, MICROPAY_WALLETS, QR_METHODS } from '../shop.service.js';
import { stateBadge, timeTag, yuan } from './layout.js';

export interface OrderView {
  order: OrderRow;
  detail: Record<string, unknown>;
  refunds: { id: string; amount: string; state: string; platformRefundNo: string | null; createdAt: number }[];
  qrSvg?: string;
  smsHint?: string;
  sandbox: boolean;
  /** This page was reached by the gateway's browser return. */
  returned?: boolean;
}

function methodLabel(method: string): string {
  const [kind, key] = method.split(':');
  if (kind === 'qr') return `${QR_METHODS[key as keyof typeof QR_METHODS]?.label ?? key} QR code`;
  if (kind === 'h5') return H5_WALLETS[key as keyof typeof H5_WALLETS]?.label ?? String(key);
  if (kind === 'micropay')
    return `${MICROPAY_WALLETS[key as keyof typeof MICROPAY_WALLETS]?.label ?? key} payment code`;
  if (kind === 'quickpay') return 'Card (quick pay)';
  return 'Online banking (gateway)';
}

const SOURCE: Record<string, string> = {
  shop: 'the shop (the request was never sent)',
  notification: "the platform's signed notification",
  query: 'a signed query answer',
  response: "the platform's signed answer",
  reconciliation: 'reconciliation (no notification came; the reconciler queried the platform)',
};

/** Where the shopper tries again: the same checkout for card, payment code and bank; the shop's product card for QR and H5. */
export function retryUrl(order: OrderRow): string {
  const product = encodeURIComponent(order.product);
  if (order.family === 'quickPay') return `/checkout/quickpay?product=${product}`;
  if (order.family === 'gateway') return `/checkout/gateway?product=${product}`;
  if (order.method.startsWith('micropay:')) return `/checkout/micropay?product=${product}`;
  return `/#product-${product}`;
}

function readReason(detail: Record<string, unknown>): ShopperReason | undefined {
  const r = detail.reason as Partial<ShopperReason> | null | undefined;
  return r && typeof r.zh === 'string' && typeof r.en === 'string' ? (r as ShopperReason) : undefined;
}

/** Why it did not go through, in Chinese and English, then the platform's code and the technical text for the merchant. */
export function reasonBox(reason: ShopperReason, id = 'reason'): Html {
  return html`<div class="error reason" id="${id}" data-code="${reason.code ?? ''}">${ICONS.failed()}<div>
<p class="zh" lang="zh-CN">${reason.zh}</p><p class="en" lang="en">${reason.en}</p>
<details class="small muted"><summary>For the merchant</summary>${reason.code ? html`Platform code <code>${reason.code}</code>${reason.platformMessage ? html` (<span lang="zh-CN">${reason.platformMessage}</span>)` : ''}. ` : ''}${reason.technical}</details></div></div>`;
}

export function orderPage(v: OrderView): Html {
  const { order, detail } = v;
  const open = order.state === 'pending' || order.state === 'created' || order.state === 'paying';
  const browser = detail.browserReturn as { claimed: string | null } | undefined;
  const reason = order.state === 'paid' || order.state === 'refunded' ? undefined : readReason(detail);
  const unpaid = order.state === 'failed' || (order.state === 'closed' && order.refunded === '0');
  return html`
<div class="card" id="order" data-order-id="${order.id}" data-state="${order.state}">
<p>Order <code>${order.id}</code> · ${methodLabel(order.method)} · <strong>${yuan(order.amount)}</strong> (${order.goodsName}) · ${stateBadge(order.state)}</p>
<p class="small muted">Placed ${timeTag(order.createdAt)} · last change ${timeTag(order.updatedAt)} · platform order ${order.platformOrderId ?? '—'}${order.stateSource ? html` · state learnt from ${SOURCE[order.stateSource] ?? order.stateSource}` : ''}${detail.notifications ? html` · notifications received: ${String(detail.notifications)}` : ''}${detail.card ? html` · card ${String(detail.card)}` : ''}${detail.bank ? html` · bank ${GATEWAY_PAY_CHANNELS[String(detail.bank) as keyof typeof GATEWAY_PAY_CHANNELS] ?? String(detail.bank)}` : ''}${order.refunded !== '0' ? html` · refunded ${yuan(order.refunded)}` : ''}</p>
${
  order.state === 'paid'
    ? html`<div class="ok" id="paid-banner">${ICONS.paid()} <strong>Paid</strong> <span lang="zh-CN">已付款</span>. ${order.stateSource === 'notification' ? "Confirmed by the platform's signed notification (signature verified)." : order.stateSource === 'query' ? 'Confirmed by a signed query answer.' : "Confirmed by the platform's signed answer."}</div>${order.message ? html`<div class="hint" id="message">${order.message}</div>` : ''}`
    : reason
      ? reasonBox(reason)
      : order.message
        ? html`<div class="hint" id="message">${order.message}</div>`
        : ''
}
${unpaid ? html`<p><a class="btn" id="retry" href="${retryUrl(order)}">Try again · <span lang="zh-CN">重新付款</span></a> <a href="/">back to the shop</a></p>` : ''}
</div>
${(v.returned || browser) && order.state !== 'paid' ? gatewayReturnPanel(browser) : ''}
${open && order.method.startsWith('qr:') && order.payUrl ? qrPanel(order, v) : ''}
${open && order.method.startsWith('h5:') && order.payUrl ? html`<div class="card"><p>On a phone the shop would now send the browser to the wallet's H5 page:</p><a class="btn" id="h5-link" href="${order.payUrl}">Open the H5 payment page</a></div>` : ''}
${open && order.family === 'quickPay' && order.platformOrderId ? smsPanel(order, v, reason !== undefined) : ''}
${open && order.method.startsWith('micropay:') ? html`<div class="hint">The customer is confirming in the wallet app ("paying"). The shop polls the order (never charges twice) and the page updates by itself.${v.sandbox ? html` Test code …2222 waits for you: <form method="post" action="/sandbox/settle/${order.id}" style="display:inline"><button name="action" value="pay" class="secondary">customer pays</button><button name="action" value="decline" class="secondary">customer declines</button></form>` : ''}</div>` : ''}
${open ? html`<p class="small muted" id="waiting">${ICONS.waiting()} Waiting for the payment… this page updates on its own when the platform's notification lands.</p>` : ''}
${actions(order)}
${v.refunds.length > 0 ? html`<h2>Refunds</h2><table id="refunds"><tr><th>when</th><th>refund order</th><th>amount</th><th>state</th><th>platform refund no.</th></tr>${v.refunds.map((r) => html`<tr><td class="small">${timeTag(r.createdAt)}</td><td><code>${r.id}</code></td><td>${yuan(r.amount)}</td><td>${r.state}</td><td>${r.platformRefundNo ?? '—'}</td></tr>`)}</table>` : ''}
<p class="small"><a href="/log?order=${order.id}">Requests, responses and notifications of this order →</a></p>`;
}

function qrPanel(order: OrderRow, v: OrderView): Html {
  return html`<div class="card qr"><div>${v.qrSvg ? trusted(v.qrSvg) : ''}</div>
<div><p>Scan with the wallet app to pay <strong>${yuan(order.amount)}</strong>.</p>
${v.sandbox ? html`<p>No phone? The QR code holds the sandbox's payment page:</p><a class="btn" id="pay-link" href="${order.payUrl}" target="_blank" rel="noopener">Scan and pay (sandbox page)</a>` : html`<p class="small muted">${order.payUrl}</p>`}</div></div>`;
}

/** `again`: the last code was refused; the field takes the focus for the next try. */
function smsPanel(order: OrderRow, v: OrderView, again: boolean): Html {
  return html`<div class="card"><form method="post" action="/orders/${order.id}/sms" autocomplete="off">
<label><span>SMS code</span><input name="code" id="sms-code" inputmode="numeric" size="8" required${again ? html` autofocus` : ''}></label>
<button type="submit" data-test="sms-confirm">Confirm payment</button></form>
<form method="post" action="/orders/${order.id}/resend"><button class="secondary" type="submit">Resend SMS (at most once a minute)</button></form>
${v.sandbox ? html`<div class="hint">Sandbox hint: the code texted to the card holder is <code id="sms-hint">${v.smsHint ?? '(not sent yet)'}</code> (read from the sandbox's inspection API).</div>` : ''}</div>`;
}

/** Shown until the order is paid (then the one "paid" banner above says it all). */
function gatewayReturnPanel(browser: { claimed: string | null } | undefined): Html {
  return html`<div class="card" id="return-panel"><p><strong>You are back from the bank.</strong> The bank page said: <em>${browser?.claimed ?? 'nothing'}</em>.</p>
<div class="warn" id="waiting-confirmation">Waiting for confirmation… The browser return is not proof of payment (anyone can type this URL); the order is paid only when the platform's signed notification arrives (or a signed query says so).</div></div>`;
}

function actions(order: OrderRow): Html {
  const scan = order.family === 'scan';
  const buttons: Html[] = [
    html`<form method="post" action="/orders/${order.id}/query" style="display:inline"><button class="secondary" data-test="query">Query the platform</button></form>`,
  ];
  if (scan && (order.state === 'pending' || order.state === 'paying' || order.state === 'created')) {
    buttons.push(
      html`<form method="post" action="/orders/${order.id}/close" style="display:inline"><button class="danger" data-test="close">Close order</button></form>`,
    );
  }
  if (scan && (order.state === 'paying' || order.state === 'paid') && order.method.startsWith('micropay:')) {
    buttons.push(
      html`<form method="post" action="/orders/${order.id}/cancel" style="display:inline"><button class="danger" data-test="cancel">Cancel (撤销)</button></form>`,
    );
  }
  const left = BigInt(order.amount) - BigInt(order.refunded);
  const refund =
    scan && order.state === 'paid' && left > 0n
      ? html`<form method="post" action="/orders/${order.id}/refund" class="card"><label><span>Refund (fen)</span><input name="amount" value="${left.toString()}" size="8" inputmode="numeric"> <button data-test="refund">Refund</button></label><span class="small muted">Partial refunds are allowed, never beyond what was paid.</span></form>`
      : '';
  return html`<div>${buttons}</div>${refund}`;
}

export function ordersPage(orders: OrderRow[]): Html {
  if (orders.length === 0) return html`<p>No orders yet. <a href="/">Buy something</a>.</p>`;
  return html`<table><tr><th>when</th><th>order</th><th>how</th><th>amount</th><th>state</th></tr>
${orders.map((o) => html`<tr><td class="small">${timeTag(o.createdAt)}</td><td><a href="/orders/${o.id}"><code>${o.id}</code></a></td><td>${methodLabel(o.method)}</td><td>${yuan(o.amount)}</td><td>${stateBadge(o.state)}</td></tr>`)}</table>`;
}
