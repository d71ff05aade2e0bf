/**
 * `NO_PROXY` as curl and undici's `EnvHttpProxyAgent` read it (issue #15 item 8): entries separated
 * by commas or white space, case-insensitive; `*` alone bypasses the proxy for every host; a name
 * matches itself and every sub-domain (`example.com`, `.example.com` and `*.example.com` all match
 * `example.com` and `pay.example.com`); `host:port` matches that port only (the URL's default port
 * when it names none); IP addresses match exactly (`[::1]` or `::1`). CIDR ranges are not read.
 */

/** One entry of `NO_PROXY`. */
export interface NoProxyEntry {
  /** Lower-case host name or IP, without a leading `*` / `.` and without IPv6 brackets; `*` for all. */
  host: string;
  /** The port it is limited to, or 0 for any. */
  port: number;
}

export function parseNoProxy(value: string): NoProxyEntry[] {
  const entries: NoProxyEntry[] = [];
  for (const raw of value.split(/[\s,]+/)) {
    let text = raw.trim().toLowerCase();
    if (text === '') continue;
    if (text === '*') {
      entries.push({ host: '*', port: 0 });
      continue;
    }
    let port = 0;
    const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
    if (bracketed) {
      text = bracketed[1]!;
      port = bracketed[2] ? Number(bracketed[2]) : 0;
    } else if ((text.match(/:/g) ?? []).length === 1) {
      const [host, p] = text.split(':') as [string, string];
      if (/^\d+$/.test(p)) {
        text = host;
        port = Number(p);
      }
    }
    text = text.replace(/^\*/, '').replace(/^\.+/, '').replace(/\.$/, '');
    if (text !== '') entries.push({ host: text, port });
  }
  return entries;
}

/** True when `target` must be reached directly (it matches an entry). */
export function bypassesProxy(entries: NoProxyEntry[], target: URL): boolean {
  if (entries.length === 0) return false;
  const host = target.hostname
    .toLowerCase()
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '');
  const port = Number(target.port || (target.protocol === 'https:' ? 443 : 80));
  for (const e of entries) {
    if (e.host === '*') return true;
    if (e.port !== 0 && e.port !== port) continue;
    if (host === e.host || host.endsWith(`.${e.host}`)) return true;
  }
  return false;
}
