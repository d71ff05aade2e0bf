/**
 * Between plain JS values and the PHP model. `toWireJson` is the JSON text the SDK sends for a JS
 * value; `fromJs` is what PHP's `json_decode($text, true)` makes of that text, so that we sign what
 * the platform will see (PROTOCOL §3): the property test checks `phpJsonDecode(toWireJson(v))` equals
 * `fromJs(v)`.
 *
 * JS rules kept from `JSON.stringify`, so that nothing surprises a JS user: own enumerable string
 * keys in `Object.keys` order (integer-like keys first, ascending: that is the order on the wire),
 * `undefined`/function/symbol properties omitted and array items `null`, `toJSON()` honoured (Date).
 * Departures, because PHP would see something else: NaN/±Infinity, lone surrogates, `Map`/`Set`
 * and typed arrays are rejected with an error naming the path; `bigint` is sent as integer digits;
 * `PhpFloat` as a float that PHP reads back as a float (`100.0`, `1.0e+17`).
 */
import { MmspEncodingError } from '../errors.js';
import { encodePhpString } from './encode.js';
import { wirePhpFloat } from './float.js';
import { depthError, indexPath, isWellFormed, keyPath, notFiniteError, surrogateError } from './path.js';
import { PhpArray, PhpFloat, phpInteger, type PhpValue } from './value.js';

/** Options of {@link fromJs}. */
export interface FromJsOptions {
  /** Same meaning as `json_decode`'s depth (default 512): PHP fails at `depth` nested arrays/objects. */
  depth?: number;
}

function fail(path: string, rule: string): never {
  throw new MmspEncodingError(`${path}: ${rule}`);
}

/** Values JSON.stringify drops from objects (and turns into null in arrays). */
function isSkipped(v: unknown): boolean {
  return v === undefined || typeof v === 'function' || typeof v === 'symbol';
}

function checkString(s: string, path: string): string {
  if (!isWellFormed(s)) throw surrogateError(path, 'json_decode and json_encode: Malformed UTF-8 characters');
  return s;
}

/** What PHP's json_decode makes of the JSON number text JS writes for `n` (`String(n)`). */
function numberFromJs(n: number, path: string): PhpValue {
  if (!Number.isFinite(n)) throw notFiniteError(path, n);
  if (Number.isInteger(n)) {
    if (Number.isSafeInteger(n)) return n === 0 ? 0 : n;
    // The digits JS prints ("123456789012345680000", or "1e+21" read as a float) as PHP reads them.
    const s = String(n);
    return /^-?\d+$/.test(s) ? phpInteger(BigInt(s)) : new PhpFloat(n);
  }
  return n;
}

function objectLike(v: object, path: string): void {
  if (v instanceof Map || v instanceof Set || ArrayBuffer.isView(v) || v instanceof ArrayBuffer) {
    // `[object Map]` → `Map` (each of these has its own Symbol.toStringTag).
    fail(
      path,
      `a ${Object.prototype.toString.call(v).slice(8, -1)} is not supported: use a plain object, an array or a PhpArray`,
    );
  }
}

function from(v: unknown, depth: number, max: number, path: string, key: string): PhpValue {
  if (
    v !== null &&
    typeof v === 'object' &&
    typeof (v as { toJSON?: unknown }).toJSON === 'function' &&
    !(v instanceof PhpFloat)
  ) {
    v = (v as { toJSON(k: string): unknown }).toJSON(key);
  }
  switch (typeof v) {
    case 'string':
      return checkString(v, path);
    case 'number':
      return numberFromJs(v, path);
    case 'boolean':
      return v;
    case 'bigint':
      return phpInteger(v);
    case 'object':
      break;
    default:
      return fail(path, `a ${typeof v} cannot be sent as JSON`);
  }
  if (v === null) return null;
  if (v instanceof PhpFloat) {
    if (!Number.isFinite(v.value)) throw notFiniteError(path, v.value);
    return v;
  }
  // This container is level depth + 1; json_decode($t, true, $max) fails at level $max (PROTOCOL §3).
  if (depth + 1 >= max) throw depthError(path, depth + 1, 'json_decode', max); // a cycle nests for ever: it ends here too
  if (Array.isArray(v)) {
    const out: PhpValue[] = new Array(v.length);
    for (let i = 0; i < v.length; i++) {
      const item: unknown = v[i];
      out[i] = isSkipped(item) ? null : from(item, depth + 1, max, indexPath(path, i), String(i));
    }
    return out;
  }
  let entries: Iterable<[string, unknown]>;
  if (v instanceof PhpArray) {
    entries = v.map;
  } else {
    objectLike(v, path);
    const o = v as Record<string, unknown>;
    entries = Object.keys(o).map((k) => [k, o[k]] as [string, unknown]);
  }
  const map = new Map<string, PhpValue>();
  for (const [k, item] of entries) {
    if (isSkipped(item)) continue;
    const p = keyPath(path, k);
    checkString(k, p);
    map.set(k, from(item, depth + 1, max, p, k));
  }
  const arr = PhpArray.fromMap(map);
  return arr.isList() ? Array.from(map.values()) : arr;
}

/** What PHP's `json_decode($json, true)` holds after decoding `toWireJson(value)` (PROTOCOL §3). */
export function fromJs(value: unknown, options?: FromJsOptions): PhpValue {
  if (isSkipped(value)) fail('$', `a ${typeof value} cannot be sent as JSON`);
  return from(value, 0, options?.depth ?? 512, '$', '');
}

function wire(v: unknown, depth: number, path: string, key: string): string | undefined {
  if (
    v !== null &&
    typeof v === 'object' &&
    typeof (v as { toJSON?: unknown }).toJSON === 'function' &&
    !(v instanceof PhpFloat)
  ) {
    v = (v as { toJSON(k: string): unknown }).toJSON(key);
  }
  switch (typeof v) {
    case 'string':
      return encodePhpString(v, true, false, path);
    case 'number':
      if (!Number.isFinite(v)) throw notFiniteError(path, v);
      return String(v);
    case 'boolean':
      return v ? 'true' : 'false';
    case 'bigint':
      return v.toString();
    case 'object':
      break;
    default:
      return undefined;
  }
  if (v === null) return 'null';
  if (v instanceof PhpFloat) return wirePhpFloat(v.value, path);
  if (depth > 600) fail(path, 'nesting too deep (or a cycle)');
  if (Array.isArray(v)) {
    let out = '[';
    for (let i = 0; i < v.length; i++) {
      if (i > 0) out += ',';
      out += wire(v[i], depth + 1, indexPath(path, i), String(i)) ?? 'null';
    }
    return `${out}]`;
  }
  let entries: Iterable<[string, unknown]>;
  if (v instanceof PhpArray) {
    entries = v.map;
  } else {
    objectLike(v, path);
    const o = v as Record<string, unknown>;
    entries = Object.keys(o).map((k) => [k, o[k]] as [string, unknown]);
  }
  let out = '{';
  let first = true;
  for (const [k, item] of entries) {
    const p = keyPath(path, k);
    const s = wire(item, depth + 1, p, k);
    if (s === undefined) continue;
    if (!first) out += ',';
    first = false;
    out += encodePhpString(k, true, false, p);
    out += ':';
    out += s;
  }
  return `${out}}`;
}

/**
 * The JSON text the SDK puts on the wire for a JS value: like `JSON.stringify` (same key order,
 * same omissions) but with PHP's string escaping (`\/`, raw UTF-8, `\u2028`), `bigint` as integer
 * digits and `PhpFloat`/`PhpArray` supported. Throws `MmspEncodingError` (naming the path) for
 * NaN/Infinity, lone surrogates and unsupported objects.
 */
export function toWireJson(value: unknown): string {
  const s = wire(value, 0, '$', '');
  if (s === undefined) fail('$', `a ${typeof value} cannot be sent as JSON`);
  return s;
}

/**
 * Plain JS for users: `PhpArray` → a plain object (`__proto__` an own property, never the
 * prototype), `PhpFloat` → number, `bigint` kept, lists → arrays. Note that a JS object lists
 * integer-like keys first; keep the `PhpValue` when order matters (signing).
 */
export function toPlain(value: PhpValue): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof PhpFloat) return value.value;
  if (Array.isArray(value)) return value.map(toPlain);
  const out: Record<string, unknown> = {};
  value.map.forEach((v, k) => {
    const plain = v === null || typeof v !== 'object' ? v : toPlain(v); // scalars as they are (the common Body)
    if (k === '__proto__') {
      Object.defineProperty(out, k, { value: plain, enumerable: true, writable: true, configurable: true });
    } else {
      out[k] = plain;
    }
  });
  return out;
}
