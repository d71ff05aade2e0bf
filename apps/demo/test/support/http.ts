// Plain-fetch helpers: a browser's form posts without a browser.
export interface OrderJson {
  id: string;
  family: string;
  method: string;
  amount: string;
  state: string;
  stateSource: string | null;
  platformOrderId: string | null;
  refunded: string;
  message: string | null;
  payUrl: string | null;
  detail: Record<string, unknown>;
}

/** POSTs a form like a browser; answers the redirect target (throws on anything but 303). */
export async function postForm(url: string, fields: Record<string, string>): Promise<string> {
  const res = await fetch(url, { method: 'POST', body: new URLSearchParams(fields), redirect: 'manual' });
  if (res.status !== 303) throw new Error(`POST ${url} answered ${res.status}: ${(await res.text()).slice(0, 800)}`);
  return new URL(res.headers.get('location')!, url).toString();
}

export async function getText(url: string): Promise<{ status: number; text: string }> {
  const res = await fetch(url);
  return { status: res.status, text: await res.text() };
}

export async function order(base: string, id: string): Promise<OrderJson> {
  const res = await fetch(`${base}/api/orders/${encodeURIComponent(id)}`);
  if (!res.ok) throw new Error(`order ${id}: ${res.status}`);
  return (await res.json()) as OrderJson;
}

export const orderIdOf = (location: string): string => decodeURIComponent(new URL(location).pathname.split('/').pop()!);

/** The value of `name="…" value="…"` in an HTML form (attribute-escaped). */
export function hiddenValue(html: string, name: string): string {
  const m = new RegExp(`name="${name}" value="([^"]*)"`).exec(html);
  if (!m) throw new Error(`no field ${name} in page`);
  return m[1]!
    .replace(/&#(\d+);/g, (_x, n: string) => String.fromCharCode(Number(n)))
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>');
}

export function formAction(html: string, index = 0): string {
  const all = [...html.matchAll(/<form[^>]*action="([^"]*)"/g)];
  const m = all[index];
  if (!m) throw new Error('no form in page');
  return m[1]!.replace(/&#(\d+);/g, (_x, n: string) => String.fromCharCode(Number(n))).replace(/&amp;/g, '&');
}
