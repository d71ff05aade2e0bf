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

/** The 2 characters at `at` of `text` as a number when both are ASCII digits, else −100 (below every range). */
function two(text: string, at: number): number {
  const a = text.charCodeAt(at) - 48;
  const b = text.charCodeAt(at + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -100;
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

/** Where the reader puts why a text is not a China time, when the caller asks (`parseChinaTime`'s error). */
interface TimeFailure {
  /** 0: not one of the formats, 1: a field out of range, 2: no such day. */
  code: 0 | 1 | 2;
}

/** NaN, the reader's answer for a text that is not a China time, with the reason in `failure` when given. */
function failed(failure: TimeFailure | undefined, code: 0 | 1 | 2): number {
  if (failure !== undefined) failure.code = code;
  return NaN;
}

/** Whether the 19 characters of `text` have the separators of `YYYY-MM-DD hh:mm:ss`. */
function isDashed(text: string): boolean {
  return (
    text.charCodeAt(4) === 45 && // -
    text.charCodeAt(7) === 45 &&
    text.charCodeAt(10) === 32 && // space
    text.charCodeAt(13) === 58 && // :
    text.charCodeAt(16) === 58
  );
}

/**
 * The one China-time reader: `YYYYMMDDhhmmss` (14 characters), `YYYY-MM-DD hh:mm:ss` (19) or
 * `YYYYMMDDHH` (10), every digit an ASCII digit, and a time that exists (month 1–12, the month's
 * days with leap years, hours 0–23, minutes and seconds 0–59). Gives NaN for anything else, with
 * the reason in `failure` when one is given; for a valid text, its instant in milliseconds since
 * the epoch (China is UTC+8) when `instant`, else 0 (a validity check computes no instant). Read
 * digit by digit: no regular expression, no intermediate `Date` (every notification carries a
 * time, PROTOCOL §5). Kept short (one read of the fields for all three formats, the failure as a
 * code) so that it stays under V8's size limit for inlining a function.
 */
function readChinaTime(text: string, instant: boolean, failure?: TimeFailure): number {
  const n = text.length;
  // The dashed format has one separator before each field after the year: field k starts k later.
  const o = n === 19 ? 1 : 0;
  if (o === 0 ? n !== 14 && n !== 10 : !isDashed(text)) return failed(failure, 0);
  const hi = two(text, 0);
  const lo = two(text, 2);
  const mo = two(text, 4 + o);
  const d = two(text, 6 + 2 * o);
  const h = two(text, 8 + 3 * o);
  const mi = n === 10 ? 0 : two(text, 10 + 4 * o);
  const s = n === 10 ? 0 : two(text, 12 + 5 * o);
  // A group that is not two digits is −100: one negative makes the OR negative.
  if ((hi | lo | mo | d | h | mi | s) < 0) return failed(failure, 0);
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return failed(failure, 1);
  const y = hi * 100 + lo;
  if (d > daysInMonth(y, mo)) return failed(failure, 2);
  return instant ? daysFromCivil(y, mo, d) * 86_400_000 + ((h * 60 + mi) * 60 + s) * 1000 - OFFSET_MS : 0;
}

function timeError(field: string, why: string): MmspEncodingError {
  return new MmspEncodingError(
    `${field}: ${why}; expected China time as YYYYMMDDhhmmss, "YYYY-MM-DD hh:mm:ss" or YYYYMMDDHH`,
  );
}

/**
 * The instant a China-time text denotes, in milliseconds since the epoch, or `NaN` when it is not
 * one; never throws. Accepts exactly what {@link parseChinaTime} accepts (`YYYYMMDDhhmmss`,
 * `YYYY-MM-DD hh:mm:ss` or `YYYYMMDDHH`, and a date and time that exist) and gives the same
 * instant, without making a `Date`: for a reader that only needs the number, or a check that a
 * pushed time is valid (PROTOCOL §5). The length tells the format: 14, 19 or 10 characters.
 *
 * @example
 * ```ts
 * import { chinaTimeMillis } from '@mmsp/codec';
 *
 * chinaTimeMillis('20261126093000'); // 1795656600000, i.e. 2026-11-26T01:30:00Z (China is UTC+8)
 * chinaTimeMillis('2026-02-30 09:30:00'); // NaN: no such day
 * const pushed = '20261126093000';
 * const ok = pushed.length === 14 && !Number.isNaN(chinaTimeMillis(pushed)); // a valid YYYYMMDDhhmmss
 * ```
 */
export function chinaTimeMillis(text: string): number {
  return typeof text === 'string' ? readChinaTime(text, true) : NaN;
}

/**
 * Whether `text` is a China time {@link parseChinaTime} reads (`YYYYMMDDhhmmss`,
 * `YYYY-MM-DD hh:mm:ss` or `YYYYMMDDHH`, and a date and time that exist): the same check as
 * {@link chinaTimeMillis}, without computing the instant. Never throws.
 *
 * @example
 * ```ts
 * import { isChinaTime } from '@mmsp/codec';
 *
 * isChinaTime('20240229120000'); // true (a leap day)
 * isChinaTime('20230229120000'); // false
 * isChinaTime('2026-11-26 24:00:00'); // false: hours are 0–23
 * ```
 */
export function isChinaTime(text: string): boolean {
  return typeof text === 'string' && readChinaTime(text, false) === 0;
}

/**
 * The instant a China-time text denotes: `YYYYMMDDhhmmss`, `YYYY-MM-DD hh:mm:ss` or `YYYYMMDDHH`.
 * Anything else, or an impossible date (month 13, 30 February, 24:00), is an `MmspEncodingError`
 * naming `field` and the accepted formats. {@link chinaTimeMillis} is the same reader without the
 * `Date` and without throwing.
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
  const ms = readChinaTime(text, true);
  if (!Number.isNaN(ms)) return new Date(ms);
  const failure: TimeFailure = { code: 0 };
  readChinaTime(text, true, failure);
  const code = failure.code;
  throw timeError(
    field,
    code === 0
      ? `unrecognised format (string(${text.length}))`
      : code === 1
        ? 'a field is out of range'
        : 'no such day',
  );
}
