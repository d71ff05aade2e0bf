/** One order: its state (live), how to pay it, and what can be done with it. */
import { GATEWAY_PAY_CHANNELS } from '@mmsp/codec';
import { html, trusted, type Html } from '../html.js';
import type { OrderRow } from '../db.js';
import { H5_WALLETS, MICROPAY_WALLETS, QR_METHODS } from '../shop.service.js';
import { stateBadge, yuan } from './layout.js';

export interface OrderView {
  order: OrderRow;
  detail: Record<string, unknown>;
  refunds: { id: string; amount: string; state: string; platformRefundNo: string | null }[];
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
  if (kind === 'micropay') return `${MICROPAY_WALLETS[key as keyof typeof MICROPAY_WALLETS]?.label ?? key} payment code`;
  if (kind === 'quickpay') return 'Card (quick pay)';
  return 'Online banking (gateway)';
}

const SOURCE: Record<string, string> = {
  notification: "the platform's signed notification",
  query: 'a signed query answer',
  response: "the platform's signed answer",
  reconciliation: 'reconciliation (no notification came; the reconciler queried the platform)',
};

export function orderPage(v: OrderView): Html {
  const { order, detail } = v;
  const open = order.state === 'pending' || order.state === 'created' || order.state === 'paying';
  const browser = detail.browserReturn as { claimed: string | null } | undefined;
  return html`
<div class="card" id="order" data-order-id="${order.id}" data-state="${order.state}">
<p>Order <code>${order.id}</code> · ${methodLabel(order.method)} · <strong>${yuan(order.amount)}</strong> (${order.goodsName}) · ${stateBadge(order.state)}</p>
<p class="small muted">Platform order ${order.platformOrderId ?? '—'}${order.stateSource ? html` · state learnt from ${SOURCE[order.stateSource] ?? order.stateSource}` : ''}${detail.notifications ? html` · notifications received: ${String(detail.notifications)}` : ''}${detail.card ? html` · card ${String(detail.card)}` : ''}${detail.bank ? html` · bank ${GATEWAY_PAY_CHANNELS[String(detail.bank) as keyof typeof GATEWAY_PAY_CHANNELS] ?? String(detail.bank)}` : ''}${order.refunded !== '0' ? html` · refunded ${yuan(order.refunded)}` : ''}</p>
${order.message ? html`<div class="${order.state === 'failed' ? 'error' : order.state === 'paid' ? 'ok' : 'hint'}" id="message">${order.message}</div>` : ''}
${order.state === 'paid' ? html`<div class="ok" id="paid-banner">✔ Paid. ${order.stateSource === 'notification' ? 'Confirmed by the platform\'s signed notification (signature verified).' : ''}</div>` : ''}
</div>
${v.returned || browser ? gatewayReturnPanel(order, browser) : ''}
${open && order.method.startsWith('qr:') && order.payUrl ? qrPanel(order, v) : ''}
${open && order.method.startsWith('h5:') && order.payUrl ? html`<div class="card"><p>On a phone the shop would now send the browser to the wallet's H5 page:</p><a class="btn" id="h5-link" href="${order.payUrl}">Open the H5 payment page</a></div>` : ''}
${open && order.family === 'quickPay' && order.platformOrderId ? smsPanel(order, v) : ''}
${open && order.method.startsWith('micropay:') ? html`<div class="hint">The customer is confirming in the wallet app ("paying"). The shop polls the order (never charges twice) and the page updates by itself.${v.sandbox ? html` Test code …2222 waits for you: <form method="post" action="/sandbox/settle/${order.id}" style="display:inline"><button name="action" value="pay" class="secondary">customer pays</button><button name="action" value="decline" class="secondary">customer declines</button></form>` : ''}</div>` : ''}
${open ? html`<p class="small muted" id="waiting">⏳ Waiting for the payment… this page updates on its own when the platform's notification lands.</p>` : ''}
${actions(order)}
${v.refunds.length > 0 ? html`<h2>Refunds</h2><table><tr><th>refund order</th><th>amount</th><th>state</th><th>platform refund no.</th></tr>${v.refunds.map((r) => html`<tr><td><code>${r.id}</code></td><td>${yuan(r.amount)}</td><td>${r.state}</td><td>${r.platformRefundNo ?? '—'}</td></tr>`)}</table>` : ''}
<p class="small"><a href="/log?order=${order.id}">Requests, responses and notifications of this order →</a></p>`;
}

function qrPanel(order: OrderRow, v: OrderView): Html {
  return html`<div class="card qr"><div>${v.qrSvg ? trusted(v.qrSvg) : ''}</div>
<div><p>Scan with the wallet app to pay <strong>${yuan(order.amount)}</strong>.</p>
${v.sandbox ? html`<p>No phone? The QR code holds the sandbox's payment page:</p><a class="btn" id="pay-link" href="${order.payUrl}" target="_blank" rel="noopener">Scan and pay (sandbox page)</a>` : html`<p class="small muted">${order.payUrl}</p>`}</div></div>`;
}

function smsPanel(order: OrderRow, v: OrderView): Html {
  return html`<div class="card"><form method="post" action="/orders/${order.id}/sms" autocomplete="off">
<label><span>SMS code</span><input name="code" id="sms-code" inputmode="numeric" size="8" required></label>
<button type="submit" data-test="sms-confirm">Confirm payment</button></form>
<form method="post" action="/orders/${order.id}/resend"><button class="secondary" type="submit">Resend SMS (at most once a minute)</button></form>
${v.sandbox ? html`<div class="hint">Sandbox hint: the code texted to the card holder is <code id="sms-hint">${v.smsHint ?? '(not sent yet)'}</code> (read from the sandbox's inspection API).</div>` : ''}</div>`;
}

function gatewayReturnPanel(order: OrderRow, browser: { claimed: string | null } | undefined): Html {
  return html`<div class="card" id="return-panel"><p><strong>You are back from the bank.</strong> The bank page said: <em>${browser?.claimed ?? 'nothing'}</em>.</p>
${order.state === 'paid'
    ? html`<div class="ok">Payment confirmed by the platform's signed notification.</div>`
    : html`<div class="warn" id="waiting-confirmation">Waiting for confirmation… The browser return is not proof of payment (anyone can type this URL); the order is paid only when the platform's signed notification arrives (or a signed query says so).</div>`}</div>`;
}

function actions(order: OrderRow): Html {
  const scan = order.family === 'scan';
  const buttons: Html[] = [html`<form method="post" action="/orders/${order.id}/query" style="display:inline"><button class="secondary" data-test="query">Query the platform</button></form>`];
  if (scan && (order.state === 'pending' || order.state === 'paying' || order.state === 'created')) {
    buttons.push(html`<form method="post" action="/orders/${order.id}/close" style="display:inline"><button class="danger" data-test="close">Close order</button></form>`);
  }
  if (scan && (order.state === 'paying' || order.state === 'paid') && order.method.startsWith('micropay:')) {
    buttons.push(html`<form method="post" action="/orders/${order.id}/cancel" style="display:inline"><button class="danger" data-test="cancel">Cancel (撤销)</button></form>`);
  }
  const left = BigInt(order.amount) - BigInt(order.refunded);
  const refund = scan && order.state === 'paid' && left > 0n
    ? html`<form method="post" action="/orders/${order.id}/refund" class="card"><label><span>Refund (fen)</span><input name="amount" value="${left.toString()}" size="8" inputmode="numeric"> <button data-test="refund">Refund</button></label><span class="small muted">Partial refunds are allowed, never beyond what was paid.</span></form>`
    : '';
  return html`<div>${buttons}</div>${refund}`;
}

export function ordersPage(orders: OrderRow[]): Html {
  if (orders.length === 0) return html`<p>No orders yet. <a href="/">Buy something</a>.</p>`;
  return html`<table><tr><th>when</th><th>order</th><th>how</th><th>amount</th><th>state</th></tr>
${orders.map((o) => html`<tr><td class="small">${new Date(o.createdAt).toLocaleString('en-GB', { timeZone: 'Asia/Shanghai' })}</td><td><a href="/orders/${o.id}"><code>${o.id}</code></a></td><td>${methodLabel(o.method)}</td><td>${yuan(o.amount)}</td><td>${stateBadge(o.state)}</td></tr>`)}</table>`;
}
