/** Payouts (代付): send one, watch it settle; and the balance. */
import { html, type Html } from '../html.js';
import type { LogRow, PayoutRow } from '../db.js';
import { platformTimeText } from '../time.js';
import { stateBadge, timeTag, yuan } from './layout.js';

/** `notice`: why the last payout was not sent, already in the merchant's words (reasonBox or an input error). */
export function payoutsPage(payouts: PayoutRow[], sandbox: boolean, notice?: Html): Html {
  return html`${notice ?? ''}
<form method="post" action="/payouts" class="card" autocomplete="off">
<label><span>Amount (fen)</span><input name="AMT" value="1000" size="10" inputmode="numeric" required></label>
<label><span>Account holder</span><input name="ACCNAME" value="${sandbox ? '李四' : ''}" required></label>
<label><span>Account number</span><input name="ACCNO" value="${sandbox ? '6217000010001234567' : ''}" size="22" inputmode="numeric" required></label>
<label><span>Bank</span><input name="BANKNAME" value="${sandbox ? '中国建设银行' : ''}" required></label>
<label><span>Mobile</span><input name="MOBILE" value="${sandbox ? '13900139000' : ''}" size="13" required></label>
<label><span>Memo</span><input name="MEMO" value="demo payout" required></label>
<button type="submit" data-test="payout-submit">Send payout</button></form>
${sandbox ? html`<div class="hint">Sandbox accounts: ending <code>9999</code> fails after a moment (the money returns), <code>5555</code> waits for review first, <code>0001</code> answers "unknown" (RETCODE 0001: the shop queries, it never resends), anything else is paid after a moment. Payouts are RSA-encrypted and signed (SHA1withRSA).</div>` : ''}
<h2>Payouts</h2>
${
  payouts.length === 0
    ? html`<p class="muted">None yet.</p>`
    : html`<table id="payouts"><tr><th>sent</th><th>order no.</th><th>amount</th><th>to</th><th>state</th><th>PAYSTATE</th><th>platform says</th><th></th></tr>
${payouts.map(
  (
    p,
  ) => html`<tr data-order-no="${p.orderNo}" data-state="${p.state}"><td class="small">${timeTag(p.createdAt)}</td><td><code>${p.orderNo}</code></td><td>${yuan(p.amount)}</td><td>${p.accName} ${p.accNoMasked}</td><td>${stateBadge(p.state)}</td><td>${p.payState ?? '—'}</td><td class="small">${p.message ?? ''}</td>
<td><form method="post" action="/payouts/${p.orderNo}/query"><button class="secondary">Query</button></form></td></tr>`,
)}</table>`
}
<p class="small muted">This page updates on its own while a payout settles.</p>`;
}

/** ACCINFO fields (payout §5.3.3): label, and whether the value is fen. */
const ACCINFO: Record<string, [string, boolean]> = {
  ACCSTATUS: ['账户状态 account status (1 normal, 0 frozen)', false],
  BALANCE: ['待清算金额 awaiting settlement', true],
  BALANCEPAY: ['余额代付可用金额 available for balance payouts', true],
  ADVANCEPAY: ['垫资代付可用金额 available for advance payouts', true],
  FREEZEBAL: ['冻结余额 frozen', true],
  ISCHARGE: ['商户属性 (1 not booked, 2 booked)', false],
  MERTYPE: ['商户类型 (1 T1, 2 D0)', false],
  CHLNO: ['渠道号 payout channel', false],
  CHLMERNO: ['渠道商户 channel merchant', false],
  LIMIT_DOWN: ['最小金额 minimum payout', true],
  LIMIT_TOP: ['最大金额 maximum payout', true],
  BEGIN_AT: ['开始时间 channel opens', false],
  END_AT: ['结束时间 channel closes', false],
  HOLIDAYTYPE: ['节假日的出款方式 holidays (0 none, 1 advance, 2 balance, 3 both)', false],
  SETTLE_AT: ['清算时间 settlement hour', false],
  SETTLE_TYPE: ['清算类型 (1 T1, 2 D1)', false],
};

/** `notice`: why the balance could not be read, already in the merchant's words (reasonBox). */
export function balancePage(body: Record<string, unknown> | undefined, notice?: Html): Html {
  if (notice)
    return html`${notice}<p><a class="btn secondary" id="retry" href="/balance">Try again · <span lang="zh-CN">重试</span></a> <a class="btn secondary" href="/payouts">Payouts</a></p>`;
  const accounts = Array.isArray(body?.ACCINFO) ? (body.ACCINFO as Record<string, unknown>[]) : [];
  return html`<div id="balance">
${
  accounts.length === 0
    ? html`<pre>${JSON.stringify(body, null, 2)}</pre>`
    : accounts.map(
        (
          a,
          n,
        ) => html`<div class="card"><h2>Account ${String(n + 1)}${a.CHLNO ? html` · channel ${String(a.CHLNO)}` : ''}</h2><table>
${Object.entries(a).map(([k, val]) => {
  const [label, fen] = ACCINFO[k] ?? ['', false];
  const amount = fen && /^-?\d+$/.test(String(val));
  return html`<tr><td><code>${k}</code></td><td class="small muted">${label}</td><td${k === 'BALANCEPAY' ? html` id="balancepay"` : ''}>${amount ? html`<strong>${yuan(String(val))}</strong> <span class="muted small">(${String(val)} fen)</span>` : String(val)}</td></tr>`;
})}</table></div>`,
      )
}
<p class="small muted">From payout.balance (QRYTYPE 1), answered ${platformTimeText(String(body?.RSPTIME ?? '')) ?? String(body?.RSPTIME ?? '')}.</p></div>
<p><a class="btn secondary" href="/balance">Refresh</a> <a class="btn secondary" href="/payouts">Send a payout</a></p>`;
}

export function logEntries(rows: LogRow[]): Html {
  if (rows.length === 0) return html`<p class="muted">Nothing yet: place an order.</p>`;
  return html`${rows.map(
    (r) => html`<div class="log-entry log-${r.kind}" data-kind="${r.kind}" data-id="${String(r.id)}">
<div><strong>${r.title}</strong> <span class="muted small">${timeTag(r.at)}${r.orderId ? html` · <a href="/orders/${r.orderId}">${r.orderId}</a>` : ''}</span></div>
${r.signature ? html`<div class="small signature">Signature: ${r.signature}</div>` : ''}
${r.signingString ? html`<details open><summary class="small">${r.operation?.startsWith('payout.') ? 'Plaintext (what is signed with SHA1withRSA, then encrypted)' : 'Signing string (what is hashed)'}</summary><pre class="signing-string">${r.signingString}</pre></details>` : ''}
${r.text ? html`<details><summary class="small">Message</summary><pre>${r.text}</pre></details>` : ''}
</div>`,
  )}`;
}

export function logPage(rows: LogRow[], order?: string): Html {
  return html`<p class="small">Every request the shop sends, every response and every notification, newest first. Card numbers are masked and the MD5 key is never shown: the signing string ends with <code>&amp;key=</code> and the key itself is appended only inside the signer.${order ? html` Showing order <code>${order}</code> — <a href="/log">show all</a>.` : ''}</p>
<div id="log">${logEntries(rows)}</div>`;
}
