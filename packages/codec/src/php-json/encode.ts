import { MmspEncodingError } from '../errors.js';
import { formatPhpFloat } from './float.js';
import { depthError, indexPath, isWellFormed, keyPath, surrogateError } from './path.js';
import { INT64_MAX, INT64_MIN, PhpArray, PhpFloat, type PhpValue } from './value.js';

/** `json_encode` flags we model. Default: `JSON_UNESCAPED_UNICODE`, slashes escaped (PROTOCOL §3). */
export interface PhpJsonEncodeOptions {
  /** `\/` for `/` (PHP's default). `false` = `JSON_UNESCAPED_SLASHES`. Default true. */
  escapeSlashes?: boolean;
  /** `\uXXXX` for non-ASCII (PHP's default without `JSON_UNESCAPED_UNICODE`). Default false. */
  escapeUnicode?: boolean;
  /** `json_encode`'s depth argument: more nested arrays than this fail. Default 512. */
  depth?: number;
}

const NEEDS_ESCAPE = /["\\/\u0000-\u001f\u2028\u2029\ud800-\udfff]/;
const NEEDS_ESCAPE_NO_SLASH = /["\\\u0000-\u001f\u2028\u2029\ud800-\udfff]/;
const NEEDS_ESCAPE_ASCII = /[^\u0020-\u007f]|["\\/]/;

/** `\uxxxx` (lower-case hex, as PHP writes it) for one UTF-16 unit. */
function u4(ch: string): string {
  return `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/**
 * A string as `json_encode` writes it: `\"`, `\\`, `\/` (unless `escapeSlashes: false`), `\b \f \n
 * \r \t`, other controls `\u00xx` (lower-case), `\u2028`/`\u2029` always, DEL raw, other non-ASCII
 * raw (or `\uxxxx` with `escapeUnicode`). A lone surrogate cannot be UTF-8: PHP's `json_encode`
 * fails ("Malformed UTF-8 characters"), so do we, naming the path.
 *
 * `JSON.stringify` escapes `"`, `\` and the controls exactly that way (ECMA-262 QuoteJSONString);
 * PHP also escapes `/`, U+2028/2029 and, without `JSON_UNESCAPED_UNICODE`, every non-ASCII UTF-16
 * unit (a pair as its two halves), which are replaced after it.
 */
export function encodePhpString(s: string, escapeSlashes = true, escapeUnicode = false, path = '$'): string {
  const re = escapeUnicode ? NEEDS_ESCAPE_ASCII : escapeSlashes ? NEEDS_ESCAPE : NEEDS_ESCAPE_NO_SLASH;
  if (!re.test(s)) return `"${s}"`;
  if (!isWellFormed(s)) throw surrogateError(path, 'json_encode: Malformed UTF-8 characters');
  const out = JSON.stringify(s).replace(escapeUnicode ? /[^\u0000-\u007f]/g : /[\u2028\u2029]/g, u4);
  return escapeSlashes ? out.replace(/\//g, '\\/') : out;
}

const MAX_SAFE = Number.MAX_SAFE_INTEGER;

/** An integer, or a number that PHP holds as a float, printed as PHP prints it. */
export function encodeNumber(n: number, path: string): string {
  if (Number.isInteger(n) && n <= MAX_SAFE && n >= -MAX_SAFE) return Object.is(n, -0) ? '0' : String(n);
  return formatPhpFloat(n, path);
}

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
  if (depth >= max) throw depthError(path, depth + 1, 'json_encode', max);
  // A list (a JS array, or a PhpArray keyed 0..n−1) prints as `[..]`, any other PhpArray as `{..}`.
  const isArray = Array.isArray(v);
  if (!isArray && !(v instanceof PhpArray)) {
    throw new MmspEncodingError(`${path}: not a PHP value (use fromJs() to convert plain JS objects)`);
  }
  const list = isArray || v.isList();
  let out = '';
  let i = 0;
  for (const [k, item] of isArray ? v.entries() : v.map) {
    const p = list ? indexPath(path, i) : keyPath(path, k as string);
    out += `${i++ > 0 ? ',' : ''}${list ? '' : `${encodePhpString(k as string, slashes, unicode, p)}:`}${encodeValue(item, slashes, unicode, depth + 1, max, p)}`;
  }
  return list ? `[${out}]` : `{${out}}`;
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
