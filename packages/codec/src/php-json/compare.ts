/**
 * PHP 8 `SORT_REGULAR` key comparison, as `ksort` uses it (PROTOCOL §3): integer keys compare as
 * integers; two string keys go through `zendi_smart_strcmp` (both numeric strings → numeric,
 * otherwise bytes); an integer against a string goes through `compare_longs_to_string`
 * (numeric string → numeric, otherwise the integer's decimal text against the string's bytes).
 * The relation is not transitive (`2 < 10`, `10 < "1a"`, `"1a" < 2`), so the order a sort
 * produces depends on the algorithm too: see ksort.ts.
 */
import { isIntKey } from './value.js';

/** `is_numeric_string_ex` result: 0 not numeric, 1 integer (`l`), 2 float (`d`, `oflow` ±1 for integers beyond int64). */
export interface NumericInfo {
  type: 0 | 1 | 2;
  l: bigint;
  d: number;
  oflow: -1 | 0 | 1;
}

const NOT_NUMERIC: NumericInfo = { type: 0, l: 0n, d: 0, oflow: 0 };
const LONG_MIN_DIGITS = '9223372036854775808';

/**
 * PHP 8's numeric string (`_is_numeric_string_ex`): whitespace (space, \t \n \r \v \f), a sign,
 * leading zeros, the other integer digits, a fraction, an exponent that has digits (else the `e` is
 * not part of the number and the string is not numeric), whitespace. No hex.
 */
const NUMERIC = /^[ \t\n\r\v\f]*([+-]?)(0*)(\d*)(\.\d*)?([eE][+-]?\d+)?([ \t\n\r\v\f]*)$/;

/** PHP 8 `is_numeric_string_ex(s, allow_errors = false)`: leading and trailing whitespace allowed, no hex. */
export function numericInfo(s: string): NumericInfo {
  const m = s.charCodeAt(0) > 57 ? null : NUMERIC.exec(s); // a letter first is never numeric
  if (m === null) return NOT_NUMERIC;
  const [, sign, zeros = '', digits = '', fraction, exponent, trailing = ''] = m;
  // A digit before the point, or one after it: `1.` and `.5` are numbers, `.` and `-` are not.
  if (zeros === '' && digits === '' && (fraction === undefined || fraction.length < 2)) return NOT_NUMERIC;
  const neg = sign === '-';
  const text = s.trim(); // only the whitespace above can surround it
  // PHP stops counting integer digits at 20 and flags an overflow before it looks for a fraction
  // or an exponent: "-1000000000000000000000.25" is an overflowed integer too (php-cli checked).
  if (digits.length >= 20) return { type: 2, l: 0n, d: Number(text), oflow: neg ? -1 : 1 };
  if (fraction !== undefined || exponent !== undefined) return { type: 2, l: 0n, d: Number(text), oflow: 0 };
  // An integer: beyond int64 it is a float with an overflow sign. PHP strcmp()s the rest of the
  // string, trailing whitespace included, against the digits of 2^63: "-9223372036854775808 " (with
  // a space) overflows, "-9223372036854775808" does not.
  const rest = digits + trailing;
  if (digits.length === 19 && !(rest < LONG_MIN_DIGITS || (rest === LONG_MIN_DIGITS && neg))) {
    return { type: 2, l: 0n, d: Number(text), oflow: neg ? -1 : 1 };
  }
  return { type: 1, l: BigInt(text), d: 0, oflow: 0 };
}

/** `zend_binary_strcmp` on the UTF-8 bytes: code point order, then length. Returns −1, 0 or 1. */
export function binaryStrcmp(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800 && y >= 0xd800) {
      // UTF-16 order differs from code point order above U+D800: surrogates (astral) sort last.
      x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
      y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
    }
    return x < y ? -1 : 1;
  }
  return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
}

function sign(x: number): number {
  return x > 0 ? 1 : x < 0 ? -1 : 0;
}

/** `zendi_smart_strcmp` (PHP 8). */
export function smartStrcmp(
  a: string,
  b: string,
  na: NumericInfo = numericInfo(a),
  nb: NumericInfo = numericInfo(b),
): number {
  if (na.type !== 0 && nb.type !== 0) {
    if (na.oflow !== 0 && na.oflow === nb.oflow && na.d - nb.d === 0) return binaryStrcmp(a, b);
    if (na.type === 2 || nb.type === 2) {
      let d1: number;
      let d2: number;
      if (na.type !== 2) {
        if (nb.oflow) return -1 * nb.oflow;
        d1 = Number(na.l);
        d2 = nb.d;
      } else if (nb.type !== 2) {
        if (na.oflow) return na.oflow;
        d1 = na.d;
        d2 = Number(nb.l);
      } else {
        d1 = na.d;
        d2 = nb.d;
        if (d1 === d2 && !Number.isFinite(d1)) return binaryStrcmp(a, b);
      }
      return sign(d1 - d2);
    }
    return na.l > nb.l ? 1 : na.l < nb.l ? -1 : 0;
  }
  return binaryStrcmp(a, b);
}

/** `compare_longs_to_string` (PHP 8): an integer key against a string key. */
export function compareLongToString(l: bigint, s: string, ns: NumericInfo = numericInfo(s)): number {
  if (ns.type === 1) return l > ns.l ? 1 : l < ns.l ? -1 : 0;
  if (ns.type === 2) return sign(Number(l) - ns.d);
  return binaryStrcmp(l.toString(), s);
}

/** One array key, prepared for comparing: PHP's integer-or-string view of it, numeric info computed once. */
export interface SortKey {
  key: string;
  /** Position before sorting: the stable-sort tiebreak (PHP 8 sorts are stable). */
  index: number;
  isInt: boolean;
  int: bigint;
  num: NumericInfo | undefined;
}

export function sortKey(key: string, index: number): SortKey {
  const isInt = isIntKey(key);
  return { key, index, isInt, int: isInt ? BigInt(key) : 0n, num: undefined };
}

function num(k: SortKey): NumericInfo {
  return (k.num ??= numericInfo(k.key));
}

/** `php_array_key_compare_unstable_i`. */
export function compareKeysUnstable(a: SortKey, b: SortKey): number {
  if (a.isInt && b.isInt) return a.int > b.int ? 1 : -1;
  if (!a.isInt && !b.isInt) return smartStrcmp(a.key, b.key, num(a), num(b));
  if (a.isInt) return compareLongToString(a.int, b.key, num(b));
  return -compareLongToString(b.int, a.key, num(a));
}

/** `php_array_key_compare_i`: the comparison plus the stable-sort fallback on original position. */
export function compareKeys(a: SortKey, b: SortKey): number {
  const r = compareKeysUnstable(a, b);
  if (r !== 0) return r;
  return a.index > b.index ? 1 : a.index < b.index ? -1 : 0;
}
