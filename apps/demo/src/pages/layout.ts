/** The page frame: navigation, a little CSS, and the optional auto-refresh script. */
import { html, scriptJson, trusted, type Html } from '../html.js';
import { ICONS } from '../icons.js';
import { chinaTimeIso, chinaTimeText } from '../time.js';
import { fenToYuan } from '@mmsp/codec';

const CSS = `
*{box-sizing:border-box}body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1d2330;background:#f5f6f8}
header{background:#16324f;color:#fff;padding:10px 24px;display:flex;gap:20px;align-items:center;flex-wrap:wrap}
header a{color:#fff;text-decoration:none;opacity:.85}header a:hover{opacity:1;text-decoration:underline}header strong{font-size:17px;margin-right:12px}
.mode{margin-left:auto;font-size:12px;background:#2d5a87;padding:2px 8px;border-radius:10px}
main{max-width:1040px;margin:0 auto;padding:20px 24px}
h1{font-size:22px;margin:8px 0 16px}h2{font-size:17px;margin:20px 0 8px}
.card{background:#fff;border:1px solid #dde1e7;border-radius:8px;padding:16px;margin-bottom:16px}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(300px,1fr));gap:16px}
.btn,button{display:inline-block;background:#1f6feb;color:#fff;border:0;border-radius:6px;padding:7px 14px;font:inherit;cursor:pointer;text-decoration:none;margin:2px 4px 2px 0}
.btn.secondary,button.secondary{background:#e7ebf0;color:#1d2330}.btn.danger,button.danger{background:#c93c37}
input,select{font:inherit;padding:6px 8px;border:1px solid #c4cad3;border-radius:6px;min-width:0}
label{display:block;margin:6px 0}label span{display:inline-block;width:150px;color:#555}
table{border-collapse:collapse;width:100%;background:#fff}td,th{border-bottom:1px solid #e4e7eb;padding:6px 8px;text-align:left;vertical-align:top}
.state{font-weight:600;padding:2px 8px;border-radius:10px;background:#e7ebf0}
.state-paid{background:#d3f2dc;color:#11602c}.state-failed,.state-closed{background:#fadcdc;color:#8a1f1b}.state-refunded{background:#e6dcfa;color:#4b2a8a}
.state-pending,.state-paying,.state-created{background:#fff1c9;color:#7a5600}
.hint{background:#eef6ff;border-left:4px solid #1f6feb;padding:8px 12px;margin:10px 0;border-radius:4px}
.warn{background:#fff6e0;border-left:4px solid #d99a00;padding:8px 12px;margin:10px 0;border-radius:4px}
.error{background:#fdeceb;border-left:4px solid #c93c37;padding:8px 12px;margin:10px 0;border-radius:4px}
.ok{background:#e8f7ec;border-left:4px solid #1f8a3c;padding:8px 12px;margin:10px 0;border-radius:4px}
code,pre{font:12px/1.45 ui-monospace,SFMono-Regular,Menlo,monospace}pre{white-space:pre-wrap;word-break:break-all;background:#f3f4f6;padding:8px;border-radius:6px;margin:4px 0}
.qr{display:flex;gap:24px;align-items:center;flex-wrap:wrap}.qr svg{width:220px;height:220px;border:1px solid #dde1e7;border-radius:6px;background:#fff}
.muted{color:#667}.small{font-size:13px}
.icon{vertical-align:-4px;flex:none}h2 .icon{vertical-align:-6px;color:#16324f}.ok .icon{color:#1f8a3c}.error .icon{color:#c93c37}
.reason{display:flex;gap:10px;align-items:flex-start}.reason .icon{margin-top:3px}.reason p{margin:2px 0}.reason .zh{font-size:16px}
.log-entry{border-left:4px solid #9aa4b2;background:#fff;margin:8px 0;padding:8px 12px;border-radius:4px}
.log-request{border-color:#1f6feb}.log-response{border-color:#1f8a3c}.log-notification{border-color:#8a4bd6}.log-error{border-color:#c93c37}.log-browser{border-color:#d99a00}
details summary{cursor:pointer;color:#445}
`;

export interface LayoutOptions {
  mode: 'sandbox' | 'platform';
  /** Poll `url` (JSON `{ version }`) every second; reload when it differs from `version`, the one this page shows. */
  watch?: { url: string; version: string };
}

export function layout(title: string, body: Html, options: LayoutOptions): Html {
  const watcher = options.watch
    ? html`<script>
(function(){var url=${scriptJson(options.watch.url)};var seen=${scriptJson(options.watch.version)};
function tick(){var c=new AbortController();var t=setTimeout(function(){c.abort()},5000);
fetch(url,{cache:'no-store',signal:c.signal}).then(function(r){return r.json()}).then(function(j){clearTimeout(t);
if(j.version!==seen){location.reload();return}
setTimeout(tick,1000)}).catch(function(){clearTimeout(t);setTimeout(tick,1000)})}
setTimeout(tick,700)})();
</script>`
    : html``;
  return html`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${title} · MMSP demo shop</title><link rel="icon" href="/favicon.svg" type="image/svg+xml"><style>${trusted(CSS)}</style></head><body>
<header><strong>${ICONS.shop()} MMSP demo shop</strong><a href="/">Shop</a><a href="/orders">Orders</a><a href="/payouts">Payouts</a><a href="/balance">Balance</a><a href="/log">Live log</a>
<span class="mode">${options.mode === 'sandbox' ? 'embedded sandbox — no real money' : 'REAL PLATFORM'}</span></header>
<main><h1>${title}</h1>${body}</main>${watcher}</body></html>`;
}

export const yuan = (fen: string): string => `¥${fenToYuan(fen)}`;

/** A time the shop shows: China time, always with its offset (time.ts). */
export function timeTag(ms: number): Html {
  return html`<time datetime="${chinaTimeIso(ms)}">${chinaTimeText(ms)}</time>`;
}

export function stateBadge(state: string): Html {
  return html`<span class="state state-${state.replace(/[^a-z]/g, '')}" data-state="${state}">${state}</span>`;
}
