// Platform times are China time (UTC+8) whatever the host's zone (PROTOCOL §7).
const CHINA_OFFSET_MS = 8 * 3600_000;

function parts(ms: number): string[] {
  const d = new Date(ms + CHINA_OFFSET_MS);
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  return [
    p(d.getUTCFullYear(), 4),
    p(d.getUTCMonth() + 1),
    p(d.getUTCDate()),
    p(d.getUTCHours()),
    p(d.getUTCMinutes()),
    p(d.getUTCSeconds()),
  ];
}

/** `YYYYMMDDhhmmss` (quick pay, gateway, payout). */
export function compactTime(ms: number): string {
  return parts(ms).join('');
}

/** `YYYY-MM-DD hh:mm:ss` (scan code TRADETIME, PAYTIME). */
export function dashedTime(ms: number): string {
  const [y, mo, d, h, mi, s] = parts(ms);
  return `${y}-${mo}-${d} ${h}:${mi}:${s}`;
}

/** `yyyy-mm-dd hh24:mi:ss` (TIME_END) or `YYYYMMDDHH[mm[ss]]` (batch query dates) → ms, or undefined. */
export function parseChinaTime(text: string): number | undefined {
  let m = /^(\d{4})-(\d{2})-(\d{2})(?: (\d{2}):(\d{2}):(\d{2}))?$/.exec(text);
  if (!m) m = /^(\d{4})(\d{2})(\d{2})(\d{2})?(\d{2})?(\d{2})?$/.exec(text);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map((v) => (v === undefined ? 0 : Number(v))) as number[];
  if (mo! < 1 || mo! > 12 || d! < 1 || d! > 31 || h! > 23 || mi! > 59 || s! > 59) return undefined;
  return Date.UTC(y!, mo! - 1, d!, h!, mi!, s!) - CHINA_OFFSET_MS;
}
