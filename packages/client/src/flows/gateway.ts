/**
 * Gateway (网关 §5.1): the pay request is not POSTed by the server: the buyer's browser submits an
 * auto-submitting form whose hidden field `web_api` holds the signed envelope JSON. The browser
 * return (网关 §5.5, GET to JUMP_URL) carries no signature and is never proof of payment
 * (PROTOCOL §5): settle with the notification or `gateway.query`.
 */

/** Escapes text for an HTML attribute value or text node (& < > " ' and the backtick). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * What `client.gateway.pay` returns (网关 §5.1): the pay request is not POSTed by the server; the
 * buyer's browser submits this auto-submitting form, whose hidden field `web_api` holds the signed
 * envelope. Send `html` to the browser (or build your own form from `action` and `fields`).
 */
export interface GatewayForm {
  /** Always `gateway.pay`. */
  operation: 'gateway.pay';
  /** The form's action: `endpoints.gateway`. */
  action: string;
  /** Always `POST`. */
  method: 'POST';
  /** The form fields: `web_api` is the signed envelope JSON text. */
  fields: { web_api: string };
  /** A complete auto-submitting form (every attribute value HTML-escaped). */
  html: string;
  /** The envelope's `SeqID`. */
  seqId: number;
}

/**
 * The auto-submitting form of {@link GatewayForm}: posts `webApi` (the signed envelope text) as the
 * `web_api` field to `action`, every attribute value HTML-escaped; `nonce` for a Content Security
 * Policy, `formId` for the form's id (default `mmsp_gateway_form`).
 */
export function gatewayFormHtml(
  action: string,
  webApi: string,
  options: { nonce?: string; formId?: string } = {},
): string {
  const id = escapeHtml(options.formId ?? 'mmsp_gateway_form');
  const nonce = options.nonce !== undefined ? ` nonce="${escapeHtml(options.nonce)}"` : '';
  return (
    `<form id="${id}" name="${id}" action="${escapeHtml(action)}" method="POST" accept-charset="UTF-8">` +
    `<input type="hidden" name="web_api" value="${escapeHtml(webApi)}">` +
    `<noscript><input type="submit" value="Continue to payment"></noscript>` +
    `</form>` +
    `<script${nonce}>document.getElementById("${id}").submit();</script>`
  );
}

/** What the browser return (网关 §5.5) says. Unsigned: display only, never proof of payment. */
export interface GatewayBrowserReturn {
  /** Always `false`: the browser return carries no signature; settle with the notification or `gateway.query`. */
  proofOfPayment: false;
  /** A sentence saying so, for logs and pages. */
  notice: string;
  /** `STATUS` as the browser brought it (unverified). */
  STATUS?: string;
  /** `ERRCODE` (unverified). */
  ERRCODE?: string;
  /** `ERRMSG` (unverified). */
  ERRMSG?: string;
  /** `LIST_ID`: the platform's order number (unverified). */
  LIST_ID?: string;
  /** `MERORDERID`: the merchant's order number (unverified): the order to look up. */
  MERORDERID?: string;
  /** `AMT` in fen (unverified). */
  AMT?: string;
  /** `GOODSNAME` (unverified). */
  GOODSNAME?: string;
  /** `PAY_CHANNEL` (unverified). */
  PAY_CHANNEL?: string;
  /** `PAY_DATE` (unverified). */
  PAY_DATE?: string;
  /** `NOTIFY_DATE` (unverified). */
  NOTIFY_DATE?: string;
  /** `REMARK` (unverified). */
  REMARK?: string;
  /** What the STATUS claims (0 待支付, 1 成功, 2 失败, 3 已退款); unverified. */
  claimedState?: 'pending' | 'paid' | 'failed' | 'refunded';
}

const RETURN_FIELDS = [
  'STATUS',
  'ERRCODE',
  'ERRMSG',
  'LIST_ID',
  'MERORDERID',
  'AMT',
  'GOODSNAME',
  'PAY_CHANNEL',
  'PAY_DATE',
  'NOTIFY_DATE',
  'REMARK',
] as const;
const CLAIMED = { '0': 'pending', '1': 'paid', '2': 'failed', '3': 'refunded' } as const;

/** Parses the query string (or URL, or URLSearchParams, or a record) of the gateway browser return. */
export function parseGatewayReturn(
  input: string | URL | URLSearchParams | Record<string, string | string[] | undefined>,
): GatewayBrowserReturn {
  let params: URLSearchParams;
  if (input instanceof URLSearchParams) params = input;
  else if (input instanceof URL) params = input.searchParams;
  else if (typeof input === 'string') {
    const q = input.includes('?') ? input.slice(input.indexOf('?') + 1) : input;
    params = new URLSearchParams(q.split('#')[0]);
  } else {
    params = new URLSearchParams();
    for (const [k, v] of Object.entries(input))
      if (typeof v === 'string') params.set(k, v);
      else if (Array.isArray(v) && typeof v[0] === 'string') params.set(k, v[0]);
  }
  const out: GatewayBrowserReturn = {
    proofOfPayment: false,
    notice:
      'Not proof of payment (网关 §5.5): unsigned browser redirect. Confirm with the notification or gateway.query.',
  };
  for (const name of RETURN_FIELDS) {
    const v = params.get(name) ?? (name === 'LIST_ID' ? params.get('LIST ID') : null);
    if (v !== null) out[name] = v;
  }
  const claimed = out.STATUS !== undefined ? CLAIMED[out.STATUS as keyof typeof CLAIMED] : undefined;
  if (claimed) out.claimedState = claimed;
  return out;
}
