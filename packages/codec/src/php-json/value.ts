/**
 * The PHP value model: what `json_decode($text, true)` holds, kept lossless so that re-encoding it
 * gives PHP's bytes (PROTOCOL §3).
 *
 * - integers: `number` when safe (|n| ≤ 2^53 − 1), `bigint` beyond (always within int64);
 * - floats: `number` when non-integral, `PhpFloat` when integral (`1.0`, `1e17`, `-0.0`), so that
 *   an integral float never passes for an integer;
 * - a PHP list (`[..]`, or keys exactly `"0".."n-1"` in order, or `{}`) is a JS array;
 * - any other PHP array is a `PhpArray`: an ordered map whose keys are strings, an integer key being
 *   its canonical decimal spelling (PHP turns `"10"` into the integer 10, keeps `"01"` a string).
 */
export type PhpValue = null | boolean | string | number | bigint | PhpFloat | PhpValue[] | PhpArray;

/** An integral PHP float (`1.0`, `1e17`, `-0.0`, `INF`): prints the PHP float way, never as an integer. */
export class PhpFloat {
  /** The float's value as a JS number. */
  readonly value: number;
  constructor(value: number) {
    this.value = value;
  }
  /** The number, so that arithmetic and comparisons work. */
  valueOf(): number {
    return this.value;
  }
  /** The number, for `JSON.stringify` (which cannot print `1.0`; use `phpJsonEncode` for PHP's bytes). */
  toJSON(): number {
    return this.value;
  }
}

/** The map `PhpArray.fromMap` hands to the constructor (so that it does not allocate one to throw away). */
let adopted: Map<string, PhpValue> | undefined;

/**
 * A PHP array that is not a list: an ordered map. `set` on an existing key keeps its first position
 * and takes the new value, exactly like a PHP array assignment (and like a duplicated JSON key).
 * Keys are plain `Map` keys, so `__proto__`, `constructor` and `""` are ordinary keys.
 *
 * @example
 * ```ts
 * import { PhpArray, phpJsonDecode, phpJsonEncode } from '@mmsp/codec';
 *
 * const body = phpJsonDecode('{"b":1,"a":"x"}');
 * if (body instanceof PhpArray) console.log([...body.keys()]); // ['b', 'a']: the text's order
 * phpJsonEncode(new PhpArray([['AMT', '100'], ['10', 'ten']])); // '{"AMT":"100","10":"ten"}'
 * ```
 */
export class PhpArray implements Iterable<[string, PhpValue]> {
  /** The entries, in PHP's order (insertion order; an integer key is its canonical decimal text). */
  readonly map: Map<string, PhpValue>;
  constructor(entries?: Iterable<readonly [string, PhpValue]>) {
    if (adopted !== undefined) {
      this.map = adopted;
      adopted = undefined;
    } else {
      this.map = new Map(entries as Iterable<[string, PhpValue]> | undefined);
    }
  }
  /** Number of entries (PHP's `count`). */
  get size(): number {
    return this.map.size;
  }
  /**
   * `JSON.stringify(phpJsonDecode(text))` gives a plain object (an own `"__proto__"` key stays an
   * ordinary property). For PHP's exact bytes use `phpJsonEncode`; for plain JS values `toPlain`.
   * JSON.stringify cannot print a bigint (an integer beyond 2^53) and says so.
   */
  toJSON(): Record<string, PhpValue> {
    return Object.fromEntries(this.map);
  }
  /** The value at `key` (`undefined` when absent; a PHP `null` is `null`). */
  get(key: string): PhpValue | undefined {
    return this.map.get(key);
  }
  /** Whether `key` is present (PHP's `array_key_exists`). */
  has(key: string): boolean {
    return this.map.has(key);
  }
  /** Assigns like PHP: an existing key keeps its position and takes the new value; a new key goes last. */
  set(key: string, value: PhpValue): this {
    this.map.set(key, value);
    return this;
  }
  /** The keys in order. */
  keys(): IterableIterator<string> {
    return this.map.keys();
  }
  /** The values in order. */
  values(): IterableIterator<PhpValue> {
    return this.map.values();
  }
  /** The `[key, value]` pairs in order. */
  entries(): IterableIterator<[string, PhpValue]> {
    return this.map.entries();
  }
  /** Wraps `map` without copying (the array then owns it). */
  static fromMap(map: Map<string, PhpValue>): PhpArray {
    adopted = map;
    return new PhpArray();
  }
  /** Iterates the `[key, value]` pairs in order. */
  [Symbol.iterator](): IterableIterator<[string, PhpValue]> {
    return this.map.entries();
  }
  /** True when the keys are exactly 0..n−1 in order: PHP's `array_is_list`, which `json_encode` prints as `[..]`. */
  isList(): boolean {
    let i = 0;
    for (const k of this.map.keys()) {
      if (k !== String(i)) return false;
      i++;
    }
    return true;
  }
}

/** PHP's integers are int64 (PROTOCOL §3). */
export const INT64_MIN = -(2n ** 63n);
export const INT64_MAX = 2n ** 63n - 1n;

/**
 * A PHP integer of exact value `b` as the model holds it: a `number` when safe, a `bigint` within
 * int64, and beyond int64 the float PHP reads such an integer as.
 */
export function phpInteger(b: bigint): PhpValue {
  if (b >= INT64_MIN && b <= INT64_MAX) {
    const n = Number(b);
    return Number.isSafeInteger(n) ? n : b;
  }
  return new PhpFloat(Number(b)); // the nearest double, as PHP's strtod gives it
}

const INT64_MAX_DIGITS = '9223372036854775807';
const INT64_MIN_DIGITS = '9223372036854775808';
/** `0`, or a decimal of at most 19 digits without a leading zero, negative or not. */
const INT_KEY = /^(?:0|-?[1-9]\d{0,18})$/;

/**
 * Whether PHP stores this string array key as an integer (`ZEND_HANDLE_NUMERIC_STR`): a canonical
 * decimal within int64, no leading zeros, no `+`, no `-0`, no whitespace. `"10"` yes; `"01"`, `"-0"`,
 * `" 1"`, `"9223372036854775808"` no.
 */
export function isIntKey(key: string): boolean {
  if (!INT_KEY.test(key)) return false;
  const neg = key.charCodeAt(0) === 45;
  const digits = neg ? key.slice(1) : key;
  return digits.length < 19 || digits <= (neg ? INT64_MIN_DIGITS : INT64_MAX_DIGITS);
}
