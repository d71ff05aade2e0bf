/**
 * Readable paths for error messages (`$.Body.LIST[2]`): they name where the problem is without
 * printing the (possibly long, possibly secret) value. Long or odd keys are cut and escaped.
 */
import { MmspEncodingError } from '../errors.js';

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

export function keyPath(parent: string, key: string): string {
  if (IDENT.test(key)) return `${parent}.${key}`;
  // Control characters and lone surrogates are shown escaped (JSON.stringify escapes them), and so
  // are DEL and U+2028/2029.
  const shown = (key.length > 40 ? `${key.slice(0, 40)}…` : key).replace(
    /[\u007f\u2028\u2029]/g,
    (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return `${parent}[${JSON.stringify(shown).replace(/\\\\u/g, '\\u')}]`;
}

export function indexPath(parent: string, index: number): string {
  return `${parent}[${index}]`;
}

/**
 * A lone UTF-16 surrogate at `path`: PHP works on UTF-8, which cannot hold one; `php` names PHP's
 * own error (e.g. `json_encode: Malformed UTF-8 characters`).
 */
export function surrogateError(path: string, php: string): MmspEncodingError {
  return new MmspEncodingError(`${path}: malformed UTF-8, a lone UTF-16 surrogate (PHP ${php})`);
}

/** Arrays/objects nested `depth` deep at `path`, beyond `fn`'s depth argument `max`. */
export function depthError(path: string, depth: number, fn: string, max: number): MmspEncodingError {
  return new MmspEncodingError(
    `${path}: arrays/objects nested ${depth} deep exceed ${fn}'s depth ${max} (PHP: Maximum stack depth exceeded)`,
  );
}

/** NaN or ±Infinity at `path`: JSON has no spelling for them and PHP's json_encode fails. */
export function notFiniteError(path: string, n: number): MmspEncodingError {
  return new MmspEncodingError(`${path}: ${n} cannot be JSON encoded (PHP json_encode fails on NaN and Infinity)`);
}

/** Index of the first lone surrogate in `s` (a JS string PHP cannot receive as UTF-8), or −1. */
export function loneSurrogateAt(s: string): number {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xd800 || c > 0xdfff) continue;
    if (c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        i++;
        continue;
      }
    }
    return i;
  }
  return -1;
}

/** True when `s` has no lone surrogate (`String.prototype.isWellFormed` where available). */
export const isWellFormed: (s: string) => boolean =
  typeof (String.prototype as { isWellFormed?: unknown }).isWellFormed === 'function'
    ? (s) => (s as unknown as { isWellFormed(): boolean }).isWellFormed()
    : (s) => loneSurrogateAt(s) < 0;
