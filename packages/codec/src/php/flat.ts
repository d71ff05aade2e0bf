/**
 * Fast paths for the common Body: a flat object whose keys are identifiers
 * (`[A-Za-z_][A-Za-z0-9_]*`) and whose values are scalars. Such keys are ASCII and never numeric,
 * so PHP's `SORT_REGULAR` ksort is a plain byte sort and no list can arise; the signing string can
 * be written without building the PHP model. Anything else returns `undefined` and takes the
 * general path (php/body.ts); test/sign-properties.test.ts checks both give the same bytes.
 */
import { Parser } from './decode.js';
import { encodeNumber, encodePhpString } from './encode.js';
import { PhpFloat } from './value.js';
import { isWellFormed } from './path.js';
import { formatPhpFloat } from './float.js';

/** `[A-Za-z_][A-Za-z0-9_]*`, without a regex. */
export function isIdentKey(k: string): boolean {
  const n = k.length;
  if (n === 0) return false;
  let c = k.charCodeAt(0);
  if (!((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95)) return false;
  for (let i = 1; i < n; i++) {
    c = k.charCodeAt(i);
    if (!((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || (c >= 48 && c <= 57))) return false;
  }
  return true;
}

function byKey(a: [string, string], b: [string, string]): number {
  return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;
}

function join(pairs: [string, string][]): string {
  let out = '{';
  for (let i = 0; i < pairs.length; i++) {
    const [k, v] = pairs[i]!;
    if (i > 0) {
      if (k === pairs[i - 1]![0]) return ''; // a duplicated key: let the general path apply PHP's rule
      out += ',';
    }
    out += `"${k}":${v}`;
  }
  return `${out}}`;
}

/**
 * `json_encode` of the flat object `o` with its keys in `keys` order, through the engine's own
 * `JSON.stringify`. For identifier keys and string,
 * safe-integer, boolean or null values, PHP's bytes differ from JSON.stringify's only by `\/` and
 * `\u2028`/`\u2029`, which can only occur inside strings. Callers have checked the values
 * (no lone surrogate, no −0).
 */
function stringifyFlat(o: Record<string, unknown>, keys: string[], slashes: boolean): string {
  // A fresh object in sorted key order serializes faster than JSON.stringify's property-list form.
  const sorted: Record<string, unknown> = {};
  for (let i = 0; i < keys.length; i++) sorted[keys[i]!] = o[keys[i]!];
  let s = JSON.stringify(sorted);
  if (slashes && s.includes('/')) s = s.replaceAll('/', '\\/');
  if (LINE_SEPARATORS.test(s)) s = s.replace(LINE_SEPARATORS_G, (c) => (c === '\u2028' ? '\\u2028' : '\\u2029'));
  return s;
}
const SURROGATE_ESCAPE = /\\u[dD][89a-fA-F]/;
const LINE_SEPARATORS = /[\u2028\u2029]/;
const LINE_SEPARATORS_G = /[\u2028\u2029]/g;

/**
 * The keys of `o` sorted, when `o` is flat: identifier keys, values strings without lone
 * surrogates, safe integers other than −0, booleans or null. Otherwise undefined.
 */
function flatKeys(o: Record<string, unknown>): string[] | undefined {
  const keys = Object.keys(o);
  const n = keys.length;
  if (n === 0) return undefined;
  for (let i = 0; i < n; i++) {
    const k = keys[i]!;
    if (!isIdentKey(k) || k === '__proto__') return undefined;
    const v = o[k];
    if (typeof v === 'string') {
      if (!isWellFormed(v)) return undefined;
    } else if (typeof v === 'number') {
      if (!Number.isSafeInteger(v) || Object.is(v, -0)) return undefined;
    } else if (v !== null && typeof v !== 'boolean') {
      return undefined;
    }
  }
  // Identifier keys are ASCII and never numeric, so PHP's SORT_REGULAR is this byte order.
  if (n > 16) return keys.sort();
  for (let i = 1; i < n; i++) {
    const k = keys[i]!;
    let j = i - 1;
    while (j >= 0 && keys[j]! > k) {
      keys[j + 1] = keys[j]!;
      j--;
    }
    keys[j + 1] = k;
  }
  return keys;
}

/** Signing string of a flat JS object (plain prototype), or undefined when the general path is needed. */
export function flatObjectSigningString(body: object, slashes: boolean, unicode: boolean): string | undefined {
  if (unicode) return undefined;
  const proto = Object.getPrototypeOf(body);
  if (proto !== Object.prototype && proto !== null) return undefined;
  const keys = flatKeys(body as Record<string, unknown>);
  return keys && stringifyFlat(body as Record<string, unknown>, keys, slashes);
}

/**
 * Signing string of a flat Body text through the engine's JSON.parse. Exact because: JSON.parse and
 * PHP accept the same grammar, a duplicated key keeps its first position and last value in both,
 * identifier keys are never reordered by JS, and a safe integer prints the same whether the text
 * spelled it as an integer or a float (−0 excluded: PHP's int 0 and float −0 differ).
 */
function flatTextViaJsonParse(text: string, slashes: boolean, unicode: boolean): string | undefined {
  if (unicode) return undefined;
  // PHP rejects a lone surrogate or a too-deep value even when a duplicated key overwrites it,
  // JSON.parse does not: leave texts with surrogate escapes or any nesting to the exact parser.
  if (!isWellFormed(text) || SURROGATE_ESCAPE.test(text)) return undefined;
  const first = text.indexOf('{');
  if (first < 0 || text.indexOf('{', first + 1) >= 0 || text.indexOf('[') >= 0) return undefined;
  let o: unknown;
  try {
    o = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (o === null || typeof o !== 'object' || Array.isArray(o)) return undefined;
  const keys = flatKeys(o as Record<string, unknown>);
  return keys && stringifyFlat(o as Record<string, unknown>, keys, slashes);
}

/** Signing string of a flat Body text, or undefined when the general path is needed. */
export function flatTextSigningString(text: string, slashes: boolean, unicode: boolean): string | undefined {
  const viaParse = flatTextViaJsonParse(text, slashes, unicode);
  if (viaParse !== undefined) return viaParse;
  if (!isWellFormed(text)) return undefined; // the general path names the malformed field
  const p = new Parser(text, 512, false);
  p.ws();
  if (text.charCodeAt(p.pos) !== 123) return undefined;
  p.pos++;
  p.ws();
  if (text.charCodeAt(p.pos) === 125) return undefined;
  const pairs: [string, string][] = [];
  try {
    for (;;) {
      p.ws();
      if (text.charCodeAt(p.pos) !== 34) return undefined;
      const k = p.string('$');
      if (!isIdentKey(k)) return undefined;
      p.ws();
      if (text.charCodeAt(p.pos) !== 58) return undefined;
      p.pos++;
      p.ws();
      const c = text.charCodeAt(p.pos);
      if (c === 123 || c === 91) return undefined;
      const v = p.value(1, '$');
      let enc: string;
      if (typeof v === 'string') enc = encodePhpString(v, slashes, unicode, `$.${k}`);
      else if (typeof v === 'number') enc = encodeNumber(v, `$.${k}`);
      else if (typeof v === 'bigint') enc = v.toString();
      else if (v instanceof PhpFloat) enc = formatPhpFloat(v.value, `$.${k}`);
      else enc = v === null ? 'null' : v ? 'true' : 'false';
      pairs.push([k, enc]);
      p.ws();
      const d = text.charCodeAt(p.pos);
      if (d === 44) {
        p.pos++;
        continue;
      }
      if (d !== 125) return undefined;
      p.pos++;
      break;
    }
    p.ws();
    if (p.pos !== text.length) return undefined;
  } catch {
    return undefined; // the general path reports the error
  }
  pairs.sort(byKey);
  return join(pairs) || undefined;
}
