/**
 * The two URL builders of the scan-code document (扫码 §10; PROTOCOL §4):
 * §10.1 wakes the WeChat app from an H5 page: `merurl` is **base64** (then percent-encoded so
 * `+ / =` survive the query string); §10.2 obtains a WeChat OPENID / Alipay USER_ID by redirect:
 * `merurl` is **urlencoded**.
 */
import { base64Encode, utf8Encode } from '@mmsp/codec/bytes';

/** PHP `urlencode` would also do; this is RFC 3986 percent-encoding, which PHP decodes identically. */
function enc(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function checkUrl(field: string, value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new TypeError(`${field} must be an absolute http(s) URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new TypeError(`${field} must be an absolute http(s) URL`);
  return url;
}

/** What {@link wechatH5WakeUrl} takes (扫码 §10.1). */
export interface WechatH5WakeUrlInput {
  /** The platform's address (平台地址), e.g. `https://pay.example.com`; `/payopenplath5/wxh5pay` is appended. */
  platformBase: string;
  /** memo: the platform merchant number (平台商户号). */
  merchantNo: string;
  /** termno: the platform terminal number. */
  terminalNo: string;
  /** merurl: where the platform sends the buyer back; may carry parameters. */
  returnUrl: string;
  /** tradetype, default 1. */
  tradeType?: string | number;
}

/** 扫码 §10.1: `…/payopenplath5/wxh5pay?memo=&termno=&merurl=base64_encode(merurl)&tradetype=1`. */
export function wechatH5WakeUrl(input: WechatH5WakeUrlInput): string {
  const base = checkUrl('platformBase', input.platformBase).toString().replace(/\/+$/, '');
  checkUrl('returnUrl', input.returnUrl);
  const merurl = base64Encode(utf8Encode(input.returnUrl));
  return `${base}/payopenplath5/wxh5pay?memo=${enc(input.merchantNo)}&termno=${enc(input.terminalNo)}&merurl=${enc(merurl)}&tradetype=${enc(String(input.tradeType ?? 1))}`;
}

/** What {@link openIdRedirectUrl} takes (扫码 §10.2). */
export interface OpenIdRedirectUrlInput {
  /** url_2: the platform's OPENID / USER_ID address (ask the platform). */
  platformUrl: string;
  /** url_1: the merchant's page the platform redirects back to, with `?token_id=…` appended. */
  returnUrl: string;
  /** merno: the platform merchant number. */
  merchantNo: string;
  /** 1 WeChat official account (OPENID), 2 Alipay service window (USER_ID). */
  tradeType: 1 | 2 | '1' | '2';
}

/** 扫码 §10.2: `url_2?merurl=urlencode(url_1)&merno=merno&tradetype=tradetype` (GET, header redirect). */
export function openIdRedirectUrl(input: OpenIdRedirectUrlInput): string {
  const base = checkUrl('platformUrl', input.platformUrl).toString();
  checkUrl('returnUrl', input.returnUrl);
  if (String(input.tradeType) !== '1' && String(input.tradeType) !== '2')
    throw new TypeError('tradeType must be 1 (WeChat OPENID) or 2 (Alipay USER_ID)');
  const sep = base.includes('?') ? '&' : '?';
  return `${base}${sep}merurl=${enc(input.returnUrl)}&merno=${enc(input.merchantNo)}&tradetype=${String(input.tradeType)}`;
}

/** Reads `token_id` (the OPENID or USER_ID) from the URL the platform redirected back to (§10.2). */
export function readOpenIdToken(returnedUrl: string | URL): string | undefined {
  const url = typeof returnedUrl === 'string' ? new URL(returnedUrl) : returnedUrl;
  return url.searchParams.get('token_id') ?? undefined;
}
