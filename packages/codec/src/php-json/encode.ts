import { MmspEncodingError } from '../errors.js';
import { formatPhpFloat } from './float.js';
import { indexPath, keyPath, loneSurrogateAt } from './path.js';
import { PhpArray, PhpFloat, type PhpValue } from './value.js';

/** `json_encode` flags we model. Default: `JSON_UNESCAPED_UNICODE`, slashes escaped (PROTOCOL §3). */
export interface PhpJsonEncodeOptions {
  /** `\/` for `/` (PHP's default). `false` = `JSON_UNESCAPED_SLASHES`. Default true. */
  escapeSlashes?: boolean;
  /** `\uXXXX` for non-ASCII (PHP's default without `JSON_UNESCAPED_UNICODE`). Default false. */
  escapeUnicode?: boolean;
  /** `json_encode`'s depth argument: more nested arrays than this fail. Default 512. */
  depth?: number;
}

const HEX = '0123456789abcdef';
const NEEDS_ESCAPE = /["\\/\u0000-\u001f\u2028\u2029\ud800-\udfff]/;
const NEEDS_ESCAPE_NO_SLASH = /["\\\u0000-\u001f\u2028\u2029\ud800-\udfff]/;
const NEEDS_ESCAPE_ASCII = /[^\u0020-\u007f]|["\\/]/;
const NEEDS_ESCAPE_ASCII_NO_SLASH = /[^\u0020-\u007f]|["\\]/;

function u4(c: number): string {
  return `\\u${HEX[(c >> 12) & 15]}${HEX[(c >> 8) & 15]}${HEX[(c >> 4) & 15]}${HEX[c & 15]}`;
}

/**
 * A string as `json_encode` writes it: `\"`, `\\`, `\/` (unless `escapeSlashes: false`), `\b \f \n
 * \r \t`, other controls `\u00xx` (lower-case), `\u2028`/`\u2029` always, DEL raw, other non-ASCII
 * raw (or `\uxxxx` with `escapeUnicode`). A lone surrogate cannot be UTF-8: PHP's `json_encode`
 * fails ("Malformed UTF-8 characters"), so do we, naming the path.
 */
export function encodePhpString(s: string, escapeSlashes = true, escapeUnicode = false, path = '$'): string {
  const re = escapeUnicode
    ? escapeSlashes
      ? NEEDS_ESCAPE_ASCII
      : NEEDS_ESCAPE_ASCII_NO_SLASH
    : escapeSlashes
      ? NEEDS_ESCAPE
      : NEEDS_ESCAPE_NO_SLASH;
  if (!re.test(s)) return `"${s}"`;
  const bad = loneSurrogateAt(s);
  if (bad >= 0) {
    throw new MmspEncodingError(
      `${path}: malformed UTF-8 (lone UTF-16 surrogate U+${s.charCodeAt(bad).toString(16).toUpperCase()} at index ${bad}); PHP json_encode rejects it`,
    );
  }
  let out = '"';
  let last = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let rep: string;
    if (c >= 0x20 && c < 0x7f) {
      if (c === 34) rep = '\\"';
      else if (c === 92) rep = '\\\\';
      else if (c === 47 && escapeSlashes) rep = '\\/';
      else continue;
    } else if (c < 0x20) {
      if (c === 8) rep = '\\b';
      else if (c === 12) rep = '\\f';
      else if (c === 10) rep = '\\n';
      else if (c === 13) rep = '\\r';
      else if (c === 9) rep = '\\t';
      else rep = u4(c);
    } else if (c === 0x2028 || c === 0x2029) {
      rep = u4(c);
    } else if (escapeUnicode && c > 0x7f) {
      rep = u4(c);
    } else {
      continue;
    }
    if (i > last) out += s.slice(last, i);
    out += rep;
    last = i + 1;
  }
  if (last < s.length) out += s.slice(last);
  return `${out}"`;
}

const MAX_SAFE = Number.MAX_SAFE_INTEGER;

/** An integer, or a number that PHP holds as a float, printed as PHP prints it. */
export function encodeNumber(n: number, path: string): string {
  if (Number.isInteger(n) && n <= MAX_SAFE && n >= -MAX_SAFE) return Object.is(n, -0) ? '0' : String(n);
  return formatPhpFloat(n, path);
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

function encodeValue(
  v: PhpValue,
  slashes: boolean,
  unicode: boolean,
  depth: number,
  max: number,
  path: string,
): string {
  switch (typeof v) {
    case 'string':
      return encodePhpString(v, slashes, unicode, path);
    case 'number':
      return encodeNumber(v, path);
    case 'boolean':
      return v ? 'true' : 'false';
    case 'bigint':
      // Within int64 PHP holds an integer; beyond, json_decode would have made it a float.
      return v >= INT64_MIN && v <= INT64_MAX ? v.toString() : formatPhpFloat(Number(v), path);
    case 'object':
      break;
    default:
      throw new MmspEncodingError(`${path}: a ${typeof v} is not a PHP value`);
  }
  if (v === null) return 'null';
  if (v instanceof PhpFloat) return formatPhpFloat(v.value, path);
  if (depth >= max) {
    throw new MmspEncodingError(
      `${path}: nesting deeper than ${max} arrays/objects; PHP json_encode fails ("Maximum stack depth exceeded")`,
    );
  }
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    let out = '[';
    for (let i = 0; i < v.length; i++) {
      if (i > 0) out += ',';
      out += encodeValue(v[i] as PhpValue, slashes, unicode, depth + 1, max, indexPath(path, i));
    }
    return `${out}]`;
  }
  if (v instanceof PhpArray) {
    if (v.size === 0) return '[]';
    if (v.isList()) {
      let out = '[';
      let first = true;
      let i = 0;
      for (const item of v.map.values()) {
        if (!first) out += ',';
        first = false;
        out += encodeValue(item, slashes, unicode, depth + 1, max, indexPath(path, i++));
      }
      return `${out}]`;
    }
    let out = '{';
    let first = true;
    for (const [k, item] of v.map) {
      if (!first) out += ',';
      first = false;
      const p = keyPath(path, k);
      out += encodePhpString(k, slashes, unicode, p);
      out += ':';
      out += encodeValue(item, slashes, unicode, depth + 1, max, p);
    }
    return `${out}}`;
  }
  throw new MmspEncodingError(`${path}: not a PHP value (use fromJs() to convert plain JS objects)`);
}

/**
 * `json_encode($value, JSON_UNESCAPED_UNICODE)` (PROTOCOL §3), byte for byte, for a PHP value model.
 * `escapeSlashes: false` adds `JSON_UNESCAPED_SLASHES`; `escapeUnicode: true` drops
 * `JSON_UNESCAPED_UNICODE`. Throws `MmspEncodingError` where PHP's json_encode fails.
 */
export function phpJsonEncode(value: PhpValue, options?: PhpJsonEncodeOptions): string {
  return encodeValue(
    value,
    options?.escapeSlashes !== false,
    options?.escapeUnicode === true,
    0,
    options?.depth ?? 512,
    '$',
  );
}
