/**
 * Fast paths for the common Body: a flat object whose keys are identifiers
 * (`[A-Za-z_][A-Za-z0-9_]*`) and whose values are strings, safe integers, booleans or null. Such
 * keys are ASCII and never numeric, so PHP's `SORT_REGULAR` ksort is a plain byte sort and no list
 * can arise (PROTOCOL §3): the signing string can be written without building the PHP model.
 * Anything else returns `undefined` and takes the general path (php/body.ts);
 * test/sign-properties.test.ts checks that both give the same bytes (and the same errors).
 */
import { encodePhpString } from './encode.js';
import { isIdentKey } from './ident.js';
import { orderOf } from './key-order.js';
import { isWellFormed } from './path.js';
import type { PhpArray } from './value.js';

export { isIdentKey };

/** Characters that make a string differ from its raw self inside PHP's json_encode output (or fail it). */
const SPECIAL = /["\\/\u0000-\u001f\u2028\u2029\ud800-\udfff]/;

/** Sorts `keys` (with `vals` alongside) by byte order; false when two keys are equal. */
function sortPairs<V>(keys: string[], vals: V[]): boolean {
  const n = keys.length;
  for (let i = 1; i < n; i++) {
    const k = keys[i]!;
    const v = vals[i]!;
    let j = i - 1;
    while (j >= 0 && keys[j]! > k) {
      keys[j + 1] = keys[j]!;
      vals[j + 1] = vals[j]!;
      j--;
    }
    if (j >= 0 && keys[j] === k) return false;
    keys[j + 1] = k;
    vals[j + 1] = v;
  }
  return true;
}

const SPECIAL_BUT_SLASH = /["\\\u0000-\u001f\u2028\u2029\ud800-\udfff]/;

/** A string value as PHP writes it: raw when nothing needs escaping, `\/` only when that is all. */
function str(v: string, slashes: boolean, key: string): string {
  if (!SPECIAL.test(v)) return `"${v}"`;
  if (!SPECIAL_BUT_SLASH.test(v)) return slashes ? `"${v.replaceAll('/', '\\/')}"` : `"${v}"`;
  return encodePhpString(v, slashes, false, `$.${key}`);
}

/** `{"k":v,...}` for identifier keys in `order` and scalar values; undefined when a value is not a flat scalar. */
function write(keys: string[], vals: unknown[], order: number[], slashes: boolean): string | undefined {
  let out = '{';
  for (let j = 0; j < order.length; j++) {
    const i = order[j]!;
    const k = keys[i]!;
    const v = vals[i];
    out += j === 0 ? `"${k}":` : `,"${k}":`;
    if (typeof v === 'string') out += str(v, slashes, k);
    else if (typeof v === 'number') {
      if (!Number.isSafeInteger(v)) return undefined; // floats, 2^53 and beyond: the general path
      out += v === 0 ? '0' : String(v); // −0 is sent (and read back) as 0
    } else if (typeof v === 'boolean') out += v ? 'true' : 'false';
    else if (v === null) out += 'null';
    else return undefined;
  }
  return `${out}}`;
}

/** Signing string of a flat JS object (plain prototype), or undefined when the general path is needed. */
export function flatObjectSigningString(body: object, slashes: boolean, unicode: boolean): string | undefined {
  if (unicode) return undefined;
  const proto = Object.getPrototypeOf(body);
  if (proto !== Object.prototype && proto !== null) return undefined;
  const keys = Object.keys(body);
  const n = keys.length;
  if (n === 0 || n > 64) return undefined;
  const vals = Object.values(body);
  if (vals.length !== n) return undefined; // a getter changed the object while it was read
  const order = orderOf(keys);
  return order === undefined ? undefined : write(keys, vals, order, slashes);
}

/**
 * Signing string of a flat decoded Body (`PhpArray`, e.g. the Body `openEnvelope` verified), or
 * undefined when the general path is needed. Map keys are distinct; a `number` in the PHP model is
 * an integer only when it is a safe integer (a non-integral one is a float: general path).
 */
export function flatPhpArraySigningString(body: PhpArray, slashes: boolean, unicode: boolean): string | undefined {
  if (unicode) return undefined;
  const n = body.map.size;
  if (n === 0 || n > 64) return undefined;
  const keys: string[] = new Array(n);
  const vals: unknown[] = new Array(n);
  let i = 0;
  for (const [k, v] of body.map) {
    keys[i] = k;
    vals[i++] = v;
  }
  const order = orderOf(keys);
  return order === undefined ? undefined : write(keys, vals, order, slashes);
}

function skipWs(t: string, p: number): number {
  for (;;) {
    const c = t.charCodeAt(p);
    if (c === 32 || c === 10 || c === 13 || c === 9) p++;
    else return p;
  }
}

const ESCAPE_OR_CONTROL = /[\\\u0000-\u001f]/;
const SAFE_INT = /^-?(?:0|[1-9]\d{0,14})$/;
const LINE_SEPARATOR = /[\u2028\u2029]/g;

/**
 * Signing string of a flat Body text, or undefined when the general path is needed: identifier keys,
 * strings without any backslash escape or control character, integers of at most 15 digits,
 * `true`/`false`/`null`, no duplicated key, no lone surrogate. Each `"KEY":value` pair is then
 * already PHP's bytes except for `/` and U+2028/U+2029, which can only sit inside strings and are
 * escaped once over the result. Everything else (escapes, floats, nesting, errors) goes to the
 * exact parser.
 */
export function flatTextSigningString(text: string, slashes: boolean, unicode: boolean): string | undefined {
  if (unicode || !isWellFormed(text)) return undefined;
  let p = skipWs(text, 0);
  if (text.charCodeAt(p) !== 123) return undefined;
  p = skipWs(text, p + 1);
  if (text.charCodeAt(p) === 125) return undefined;
  const keys: string[] = [];
  const pairs: string[] = [];
  for (;;) {
    if (text.charCodeAt(p) !== 34) return undefined;
    const start = p;
    const ke = text.indexOf('"', p + 1);
    if (ke < 0) return undefined;
    const k = text.slice(p + 1, ke);
    if (!isIdentKey(k)) return undefined;
    p = skipWs(text, ke + 1);
    if (text.charCodeAt(p) !== 58) return undefined;
    p = skipWs(text, p + 1);
    const vs = p;
    const c = text.charCodeAt(p);
    let canonical = true;
    if (c === 34) {
      const ve = text.indexOf('"', p + 1);
      if (ve < 0 || ESCAPE_OR_CONTROL.test(text.slice(p + 1, ve))) return undefined;
      p = ve + 1;
    } else if (c === 45 || (c >= 48 && c <= 57)) {
      let e = p + 1;
      for (;;) {
        const d = text.charCodeAt(e);
        if ((d >= 48 && d <= 57) || d === 46 || d === 101 || d === 69 || d === 43 || d === 45) e++;
        else break;
      }
      const num = text.slice(p, e);
      if (!SAFE_INT.test(num)) return undefined;
      canonical = num !== '-0'; // PHP's integer −0 is 0
      p = e;
    } else if (c === 116 && text.startsWith('true', p)) {
      p += 4;
    } else if (c === 102 && text.startsWith('false', p)) {
      p += 5;
    } else if (c === 110 && text.startsWith('null', p)) {
      p += 4;
    } else {
      return undefined;
    }
    keys.push(k);
    pairs.push(!canonical ? `"${k}":0` : vs === ke + 2 ? text.slice(start, p) : `"${k}":${text.slice(vs, p)}`);
    p = skipWs(text, p);
    const d = text.charCodeAt(p);
    if (d === 44) {
      p = skipWs(text, p + 1);
      continue;
    }
    if (d !== 125) return undefined;
    break;
  }
  if (skipWs(text, p + 1) !== text.length) return undefined;
  if (!sortPairs(keys, pairs)) return undefined; // a duplicated key: PHP's first-position/last-value rule is in the parser
  let out = `{${pairs.join(',')}}`;
  if (slashes && out.includes('/')) out = out.replaceAll('/', '\\/');
  if (out.includes('\u2028') || out.includes('\u2029')) out = out.replace(LINE_SEPARATOR, (ch) => (ch === '\u2028' ? '\\u2028' : '\\u2029'));
  return out;
}
