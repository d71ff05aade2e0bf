/**
 * China time (UTC+8, no daylight saving since 1991) for the platform's timestamps, whatever the
 * host's zone (PROTOCOL §6 REQTIME, §7 response times and batch-query hours). Computed from the
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
  return [
    String(y).padStart(4, '0'),
    p(d.getUTCMonth() + 1),
    p(d.getUTCDate()),
    p(d.getUTCHours()),
    p(d.getUTCMinutes()),
    p(d.getUTCSeconds()),
  ];
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

/** `YYYYMMDDHH` in China time: the hour bounds of batch queries (PROTOCOL §7). */
export function chinaBatchHour(date: Date = new Date()): string {
  return fields(date, 'chinaBatchHour').slice(0, 4).join('');
}

/** `text[at..at+n)` as a number when all are ASCII digits, else −1. */
function digits(text: string, at: number, n: number): number {
  let v = 0;
  for (let i = at; i < at + n; i++) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

/** Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar (H. Hinnant's days_from_civil). */
function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

function timeError(field: string, why: string): MmspEncodingError {
  return new MmspEncodingError(
    `${field}: ${why}; expected China time as YYYYMMDDhhmmss, "YYYY-MM-DD hh:mm:ss" or YYYYMMDDHH`,
  );
}

/**
 * The instant a China-time text denotes: `YYYYMMDDhhmmss`, `YYYY-MM-DD hh:mm:ss` or `YYYYMMDDHH`.
 * Anything else, or an impossible date (month 13, 30 February, 24:00), is an `MmspEncodingError`
 * naming `field` and the accepted formats. Read digit by digit (every notification carries a
 * time, PROTOCOL §5): no regular expression, no intermediate `Date`.
 *
 * @example
 * ```ts
 * import { parseChinaTime } from '@mmsp/codec';
 *
 * parseChinaTime('20261126093000').toISOString(); // '2026-11-26T01:30:00.000Z' (China is UTC+8)
 * parseChinaTime('2026-11-26 09:30:00', 'PAYTIME');
 * ```
 */
export function parseChinaTime(text: string, field = 'time'): Date {
  if (typeof text !== 'string') throw timeError(field, `got ${text === null ? 'null' : typeof text}`);
  let y: number, mo: number, d: number, h: number;
  let mi = 0;
  let s = 0;
  const n = text.length;
  if (n === 19) {
    const sep = text[4] === '-' && text[7] === '-' && text[10] === ' ' && text[13] === ':' && text[16] === ':';
    y = sep ? digits(text, 0, 4) : -1;
    mo = digits(text, 5, 2);
    d = digits(text, 8, 2);
    h = digits(text, 11, 2);
    mi = digits(text, 14, 2);
    s = digits(text, 17, 2);
  } else if (n === 14 || n === 10) {
    y = digits(text, 0, 4);
    mo = digits(text, 4, 2);
    d = digits(text, 6, 2);
    h = digits(text, 8, 2);
    if (n === 14) {
      mi = digits(text, 10, 2);
      s = digits(text, 12, 2);
    }
  } else {
    y = mo = d = h = -1;
  }
  if (y < 0 || mo < 0 || d < 0 || h < 0 || mi < 0 || s < 0)
    throw timeError(field, `unrecognised format (string(${n}))`);
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) throw timeError(field, 'a field is out of range');
  if (d > daysInMonth(y, mo)) throw timeError(field, 'no such day');
  return new Date(daysFromCivil(y, mo, d) * 86_400_000 + ((h * 60 + mi) * 60 + s) * 1000 - OFFSET_MS);
}
