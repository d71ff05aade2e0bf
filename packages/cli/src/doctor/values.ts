// Small edits of a decoded Body (the PHP model of @mmsp/codec), each one a mistake a signer can
// make: a number quoted or unquoted (the FAQ's "数字类型加了\"\"", PROTOCOL §3), nested objects sorted.
import { PhpArray, PhpFloat, phpJsonDecode, phpJsonEncode, phpKsort, type PhpValue } from '@mmsp/codec/php';

export type Path = (string | number)[];

export function pathText(path: Path): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out === '' ? p : `.${p}`;
  return out;
}

export function isNumber(v: PhpValue): boolean {
  return typeof v === 'number' || typeof v === 'bigint' || v instanceof PhpFloat;
}

/** A JSON number the way a signer would write it in a string ("100", "1.5"); not "01" or "1e5". */
const NUMERIC_TEXT = /^-?(0|[1-9]\d{0,30})(\.\d{1,30})?$/;

export function isNumericString(v: PhpValue): v is string {
  return typeof v === 'string' && NUMERIC_TEXT.test(v);
}

/** Every scalar position holding a number or a numeric string, depth first, at most `limit`. */
export function numericPaths(v: PhpValue, limit = 200): Path[] {
  const out: Path[] = [];
  const walk = (x: PhpValue, path: Path): void => {
    if (out.length >= limit) return;
    if (x instanceof PhpArray) for (const [k, item] of x) walk(item, [...path, k]);
    else if (Array.isArray(x)) x.forEach((item, i) => walk(item, [...path, i]));
    else if (isNumber(x) || isNumericString(x)) out.push(path);
  };
  walk(v, []);
  return out;
}

/** `v` with the value at `path` replaced by `fn(old)` (copies along the path only). */
export function updateAt(v: PhpValue, path: Path, fn: (old: PhpValue) => PhpValue): PhpValue {
  if (path.length === 0) return fn(v);
  const [head, ...rest] = path;
  if (v instanceof PhpArray && typeof head === 'string') {
    const copy = new PhpArray(v.entries());
    copy.set(head, updateAt(v.get(head) as PhpValue, rest, fn));
    return copy;
  }
  if (Array.isArray(v) && typeof head === 'number') {
    const copy = v.slice();
    copy[head] = updateAt(v[head] as PhpValue, rest, fn);
    return copy;
  }
  return v;
}

/** A number as the string a signer would have quoted ("100"); a numeric string as the number. */
export function toggleNumber(x: PhpValue): PhpValue {
  if (isNumber(x)) return phpJsonEncode(x);
  if (isNumericString(x)) return phpJsonDecode(x);
  return x;
}

/** Every number quoted, or every numeric string unquoted. */
export function mapNumbers(v: PhpValue, which: 'quote' | 'unquote'): PhpValue {
  if (v instanceof PhpArray)
    return new PhpArray(Array.from(v, ([k, x]) => [k, mapNumbers(x, which)] as [string, PhpValue]));
  if (Array.isArray(v)) return v.map((x) => mapNumbers(x, which));
  if (which === 'quote' && isNumber(v)) return toggleNumber(v);
  if (which === 'unquote' && isNumericString(v)) return toggleNumber(v);
  return v;
}

/** Objects ksorted at every depth (what "sort the fields" libraries do), the top level included. */
export function sortDeep(v: PhpValue): PhpValue {
  if (v instanceof PhpArray)
    return new PhpArray(phpKsort(Array.from(v, ([k, x]) => [k, sortDeep(x)] as [string, PhpValue])));
  if (Array.isArray(v)) return v.map(sortDeep);
  return v;
}

export function hasNestedObject(v: PhpValue): boolean {
  const children = v instanceof PhpArray ? Array.from(v.values()) : Array.isArray(v) ? v : [];
  return children.some(
    (c) =>
      c instanceof PhpArray ||
      (Array.isArray(c) && (c.some((x) => x instanceof PhpArray || Array.isArray(x)) || hasNestedObject(c))),
  );
}

/** Top-level keys in plain byte order (a JS / Java sort) instead of PHP's SORT_REGULAR. */
export function byteSorted(v: PhpValue): PhpValue {
  if (!(v instanceof PhpArray)) return v;
  const enc = new TextEncoder();
  const entries = Array.from(v);
  entries.sort(([a], [b]) => {
    const x = enc.encode(a);
    const y = enc.encode(b);
    for (let i = 0; i < Math.min(x.length, y.length); i++)
      if (x[i] !== y[i]) return (x[i] as number) - (y[i] as number);
    return x.length - y.length;
  });
  return new PhpArray(entries);
}
