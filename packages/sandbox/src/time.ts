// Platform times are China time (UTC+8) whatever the host's zone (PROTOCOL §7).
import { chinaTimeMillis } from '@mmsp/codec';

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

/**
 * `yyyy-mm-dd[ hh24:mi:ss]` (TIME_END) or `YYYYMMDD[HH]` (batch query dates) → ms, or undefined
 * for anything else, an impossible date (30 February) included. Read by the codec's China-time
 * reader: a bare date is its first second, the dashed date without a time is 00:00:00.
 */
export function parseChinaTime(text: string): number | undefined {
  const full = text.length === 8 ? `${text}00` : text.length === 10 && text[4] === '-' ? `${text} 00:00:00` : text;
  const ms = chinaTimeMillis(full);
  return Number.isNaN(ms) ? undefined : ms;
}
