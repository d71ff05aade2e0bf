/** The shop front: products and every way to pay for them. */
import { html, type Html } from '../html.js';
import { ICONS } from '../icons.js';
import { PRODUCTS } from '../products.js';
import { H5_WALLETS, MICROPAY_WALLETS, QR_METHODS } from '../shop.service.js';
import { yuan } from './layout.js';

export function homePage(mode: 'sandbox' | 'platform'): Html {
  return html`
${
  mode === 'sandbox'
    ? html`<div class="hint">This shop talks to an <strong>embedded MMSP sandbox</strong> running in the same process: every payment below works end to end, no real money moves. The sandbox plays the customer too (its payment pages have <em>Pay</em> and <em>Decline</em> buttons). Watch every signed request, response and notification on the <a href="/log">live log</a>.</div>`
    : html`<div class="warn">This shop is connected to a <strong>real MMSP platform</strong> (configured by environment variables). Payments are real.</div>`
}
<div class="grid">
${PRODUCTS.map(
  (p) => html`<div class="card product" id="product-${p.id}" data-product="${p.id}">
  <h2>${ICONS[p.icon]()} ${p.name}</h2><p><strong>${yuan(p.amount)}</strong> <span class="muted small">(${p.amount} fen · GOODSNAME ${p.goodsName})</span></p>
  <form method="post" action="/checkout/qr"><input type="hidden" name="product" value="${p.id}">
    <div class="small muted">Scan a QR code (正扫):</div>
    ${Object.entries(QR_METHODS).map(([key, m]) => html`<button name="method" value="${key}" data-test="qr-${key}">${m.label}</button>`)}
  </form>
  <form method="post" action="/checkout/h5"><input type="hidden" name="product" value="${p.id}">
    <div class="small muted">Mobile browser (H5):</div>
    ${Object.entries(H5_WALLETS).map(([key, m]) => html`<button class="secondary" name="wallet" value="${key}" data-test="h5-${key}">${m.label}</button>`)}
  </form>
  <div class="small muted">Other ways:</div>
  <a class="btn secondary" href="/checkout/micropay?product=${p.id}" data-test="micropay">Payment code (刷卡)</a>
  <a class="btn secondary" href="/checkout/quickpay?product=${p.id}" data-test="quickpay">Card (快捷支付)</a>
  <a class="btn secondary" href="/checkout/gateway?product=${p.id}" data-test="gateway">Online banking (网关)</a>
</div>`,
)}
</div>
<h2>What each way does</h2>
<ul class="small">
<li><strong>QR</strong>: the shop places a pre-order (${Object.values(QR_METHODS)
    .map((m) => m.label)
    .join(
      ', ',
    )}); the platform answers a URL that the shop draws as a QR code for the customer's wallet app to scan.</li>
<li><strong>H5</strong>: the same for a phone browser: the customer is sent to the platform's page, which opens the wallet app (${Object.values(
    H5_WALLETS,
  )
    .map((m) => m.label)
    .join(', ')}).</li>
<li><strong>Payment code</strong> (${Object.values(MICROPAY_WALLETS)
    .map((m) => m.label)
    .join(
      ', ',
    )}): the cashier scans the customer's barcode; the answer may be "paying" while the customer confirms, and the shop polls the order.</li>
<li><strong>Card</strong>: card details → the bank texts a code → the shop confirms with the code.</li>
<li><strong>Online banking</strong>: the browser is sent to the bank with a signed form; the return to the shop is not proof of payment, the signed notification is.</li>
</ul>`;
}
