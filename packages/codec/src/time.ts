/**
 * China time (UTC+8, no daylight saving since 1991) for the platform's timestamps, whatever the
 * host's zone (NOTES §6 REQTIME, §7 response times and batch-query hours). Computed from the
 * epoch milliseconds with UTC getters: the host's TZ never enters.
 */
import { MmspEncodingError } from './errors.js';

const OFFSET_MS = 8 * 3600 * 1000;

function fields(date: Date, fn: string): [string, string, string, string, string, string] {
  if (!(date instanceof Date) || Number.isNaN(date.getTime())) {
    throw new MmspEncodingError(`${fn}: expected a valid Date`);
  }
  const d = new Date(date.getTime() + OFFSET_MS);
  const y = d.getUTCFullYear();
  if (y < 0 || y > 9999) throw new MmspEncodingError(`${fn}: the year must be within 0000..9999 in China time`);
  const p = (n: number): string => String(n).padStart(2, '0');
  return [String(y).padStart(4, '0'), p(d.getUTCMonth() + 1), p(d.getUTCDate()), p(d.getUTCHours()), p(d.getUTCMinutes()), p(d.getUTCSeconds())];
}

/** `YYYYMMDDhhmmss` in China time: payout `REQTIME`, quick pay / scan request and response times. */
export function chinaTime(date: Date = new Date()): string {
  return fields(date, 'chinaTime').join('');
}

/** `YYYY-MM-DD hh:mm:ss` in China time (`TIME_END` and the like). */
export function chinaDateTime(date: Date = new Date()): string {
  const [y, mo, d, h, mi, s] = fields(date, 'chinaDateTime');
  return `${y}-${mo}-${d} ${h}:${mi}:${s}`;
}

/** `YYYYMMDDHH` in China time: the hour bounds of batch queries (NOTES §7). */
export function chinaBatchHour(date: Date = new Date()): string {
  return fields(date, 'chinaBatchHour').slice(0, 4).join('');
}

const FORMATS: readonly RegExp[] = [
  /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/,
  /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/,
  /^(\d{4})(\d{2})(\d{2})(\d{2})$/,
];

/**
 * The instant a China-time text denotes: `YYYYMMDDhhmmss`, `YYYY-MM-DD hh:mm:ss` or `YYYYMMDDHH`.
 * Anything else, or an impossible date (month 13, 30 February, 24:00), is an `MmspEncodingError`
 * naming `field` and the accepted formats.
 */
export function parseChinaTime(text: string, field = 'time'): Date {
  const fail = (why: string): MmspEncodingError =>
    new MmspEncodingError(`${field}: ${why}; expected China time as YYYYMMDDhhmmss, "YYYY-MM-DD hh:mm:ss" or YYYYMMDDHH`);
  if (typeof text !== 'string') throw fail(`got ${text === null ? 'null' : typeof text}`);
  const m = FORMATS.map((re) => re.exec(text)).find((x) => x !== null);
  if (!m) throw fail(`unrecognised format (string(${text.length}))`);
  const [y, mo, d, h, mi = 0, s = 0] = m.slice(1).map(Number) as [number, number, number, number, number?, number?];
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) throw fail('a field is out of range');
  const utc = new Date(0); // setUTCFullYear, unlike Date.UTC, keeps years 0..99 as written
  utc.setUTCFullYear(y, mo - 1, d);
  utc.setUTCHours(h, mi, s, 0);
  if (utc.getUTCDate() !== d || utc.getUTCMonth() !== mo - 1) throw fail('no such day');
  return new Date(utc.getTime() - OFFSET_MS);
}
