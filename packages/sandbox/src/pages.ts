// The sandbox's HTML: the payment page a scan-code / UnionPay URL opens, the bank page a gateway
// form lands on (gateway §5.1), and the result page. Every interpolated value is HTML-escaped.
import type { PaymentOrder } from './model.js';

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function yuan(amount: string): string {
  const padded = amount.padStart(3, '0');
  return `${padded.slice(0, -2)}.${padded.slice(-2)}`;
}

function layout(title: string, inner: string): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title><style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem}
.amt{font-size:2rem;margin:.5rem 0}form{display:inline-block;margin-right:1rem}button{font-size:1rem;padding:.5rem 1.5rem}
.note{color:#666;font-size:.85rem}dl{display:grid;grid-template-columns:auto 1fr;gap:.25rem 1rem}</style></head>
<body><p class="note">MMSP sandbox — not a real payment</p>${inner}</body></html>`;
}

const TITLES: Record<PaymentOrder['family'], string> = {
  scan: '扫码支付',
  quickPay: '银联快捷支付',
  gateway: '网上银行支付',
};

/** Pay / decline buttons posting to the control endpoints, which redirect back (gateway: to JUMP_URL). */
export function paymentPage(order: PaymentOrder): string {
  const action = (verb: string): string => `/_sandbox/orders/${encodeURIComponent(order.merchantOrderId)}/${verb}`;
  const hidden = `<input type="hidden" name="merchantNo" value="${escapeHtml(order.merchantNo)}"><input type="hidden" name="family" value="${escapeHtml(order.family)}"><input type="hidden" name="redirect" value="1">`;
  const open = order.state === 'pending' || order.state === 'paying';
  return layout(
    TITLES[order.family],
    `<h1>${escapeHtml(TITLES[order.family])}</h1>
<div class="amt">¥${escapeHtml(yuan(order.amount))}</div>
<dl><dt>商户订单号</dt><dd>${escapeHtml(order.merchantOrderId)}</dd><dt>平台订单号</dt><dd>${escapeHtml(order.platformOrderId)}</dd>
${order.goodsName ? `<dt>商品</dt><dd>${escapeHtml(order.goodsName)}</dd>` : ''}${order.payChannel ? `<dt>银行通道</dt><dd>${escapeHtml(order.payChannel)}</dd>` : ''}
<dt>状态</dt><dd id="state">${escapeHtml(order.state)}</dd></dl>
${
  open
    ? `<form method="post" action="${escapeHtml(action('pay'))}">${hidden}<button id="pay">支付 Pay</button></form>
<form method="post" action="${escapeHtml(action('decline'))}">${hidden}<button id="decline">拒绝 Decline</button></form>`
    : '<p>This order can no longer be paid.</p>'
}`,
  );
}

export function resultPage(order: PaymentOrder): string {
  return layout(
    '支付结果',
    `<h1>${order.state === 'paid' ? '支付成功' : '支付未完成'}</h1>
<p>${escapeHtml(order.merchantOrderId)}: <span id="state">${escapeHtml(order.state)}</span></p>`,
  );
}

export function errorPage(message: string): string {
  return layout('错误', `<h1>请求被拒绝</h1><p id="error">${escapeHtml(message)}</p>`);
}

export function indexPage(baseUrl: string): string {
  const rows = ['/quickpay', '/scan', '/gateway', '/payout']
    .map((p) => `<li><code>POST ${escapeHtml(baseUrl + p)}</code></li>`)
    .join('');
  return layout(
    'MMSP sandbox',
    `<h1>MMSP sandbox</h1><ul>${rows}</ul>
<p><a href="/_sandbox/merchant">/_sandbox/merchant</a> · <a href="/_sandbox/orders">orders</a> · <a href="/_sandbox/payouts">payouts</a> ·
<a href="/_sandbox/notifications">notifications</a> · <a href="/_sandbox/sms">SMS</a> · <a href="/_sandbox/log">log</a></p>`,
  );
}
