/**
 * PHP 8 `ksort($a)` with `SORT_REGULAR` (PROTOCOL §3). Because PHP's key comparison is not a total
 * order on mixed keys, matching PHP means running PHP's own algorithm: `zend_sort` (Zend/zend_sort.c:
 * insertion sort up to 16 elements with its 2..5-element networks, otherwise a median-of-3/5
 * quicksort), with the stable-sort fallback on original position. This is a transcription of that
 * algorithm over a JS array; php-cli is the judge (golden vectors and the differential test).
 */
import { compareKeys, sortKey, type SortKey } from './compare.js';

type Cmp<T> = (a: T, b: T) => number;

function swap<T>(arr: T[], i: number, j: number): void {
  const t = arr[i] as T;
  arr[i] = arr[j] as T;
  arr[j] = t;
}

/**
 * zend_sort's networks for 2 to 5 elements at the positions `at` (`zend_sort_2` .. `zend_sort_5`):
 * the first three sorted by `zend_sort_3`'s comparisons, then each further element moved down
 * while its left neighbour is greater (the same comparisons, in the same order, as the C code).
 */
function sortSmall<T>(x: T[], at: number[], cmp: Cmp<T>): void {
  const gt = (i: number, j: number): boolean => cmp(x[at[i]!] as T, x[at[j]!] as T) > 0;
  const sw = (i: number, j: number): void => swap(x, at[i]!, at[j]!);
  if (at.length === 2) {
    if (gt(0, 1)) sw(0, 1);
    return;
  }
  if (!gt(0, 1)) {
    if (gt(1, 2)) {
      sw(1, 2);
      if (gt(0, 1)) sw(0, 1);
    }
  } else if (!gt(2, 1)) {
    sw(0, 2);
  } else {
    sw(0, 1);
    if (gt(1, 2)) sw(1, 2);
  }
  for (let k = 3; k < at.length; k++) for (let i = k; i > 0 && gt(i - 1, i); i--) sw(i - 1, i);
}

function insertSort<T>(x: T[], start: number, n: number, cmp: Cmp<T>): void {
  if (n <= 5) {
    if (n > 1)
      sortSmall(
        x,
        Array.from({ length: n }, (_, i) => start + i),
        cmp,
      );
    return;
  }
  const end = start + n;
  const sentry = start + 6;
  for (let i = start + 1; i < sentry; i++) {
    let j = i - 1;
    if (!(cmp(x[j] as T, x[i] as T) > 0)) continue;
    while (j !== start) {
      j--;
      if (!(cmp(x[j] as T, x[i] as T) > 0)) {
        j++;
        break;
      }
    }
    for (let k = i; k > j; k--) swap(x, k, k - 1);
  }
  for (let i = sentry; i < end; i++) {
    let j = i - 1;
    if (!(cmp(x[j] as T, x[i] as T) > 0)) continue;
    for (;;) {
      j -= 2;
      if (!(cmp(x[j] as T, x[i] as T) > 0)) {
        j += 1;
        if (!(cmp(x[j] as T, x[i] as T) > 0)) j += 1;
        break;
      }
      if (j === start) break;
      if (j === start + 1) {
        j -= 1;
        if (cmp(x[i] as T, x[j] as T) > 0) j += 1;
        break;
      }
    }
    for (let k = i; k > j; k--) swap(x, k, k - 1);
  }
}

/** `zend_sort` (hybrid insertion sort / quicksort), in place on `x[start .. start+n)`. */
export function zendSort<T>(x: T[], start: number, n: number, cmp: Cmp<T>): void {
  for (;;) {
    if (n <= 16) {
      insertSort(x, start, n, cmp);
      return;
    }
    const end = start + n;
    const offset = n >>> 1;
    let pivot = start + offset;
    if (n >>> 10) {
      const delta = offset >>> 1;
      sortSmall(x, [start, start + delta, pivot, pivot + delta, end - 1], cmp);
    } else {
      sortSmall(x, [start, pivot, end - 1], cmp);
    }
    swap(x, start + 1, pivot);
    pivot = start + 1;
    let i = pivot + 1;
    let j = end - 1;
    partition: for (;;) {
      while (cmp(x[pivot] as T, x[i] as T) > 0) {
        i++;
        if (i === j) break partition;
      }
      j--;
      if (j === i) break partition;
      while (cmp(x[j] as T, x[pivot] as T) > 0) {
        j--;
        if (j === i) break partition;
      }
      swap(x, i, j);
      i++;
      if (i === j) break partition;
    }
    swap(x, pivot, i - 1);
    if (i - 1 - start < end - i) {
      zendSort(x, start, i - start - 1, cmp);
      n = end - i;
      start = i;
    } else {
      zendSort(x, i, end - i, cmp);
      n = i - start - 1;
    }
  }
}

/** Sorted positions: `order[k]` is the original index of the k-th key after PHP's ksort. */
export function ksortOrder(keys: readonly string[]): number[] {
  const sk: SortKey[] = new Array(keys.length);
  for (let i = 0; i < keys.length; i++) sk[i] = sortKey(keys[i] as string, i);
  zendSort(sk, 0, sk.length, compareKeys);
  return sk.map((k) => k.index);
}

/**
 * `ksort($array)` with PHP 8 `SORT_REGULAR`, top level only (PROTOCOL §3): the entries of a PHP array
 * (a `PhpArray`, a `Map`, or `[key, value]` pairs; keys as PHP holds them, integer keys as their
 * decimal text) in the order PHP leaves them.
 */
export function phpKsort<V>(entries: Iterable<readonly [string, V]>): [string, V][] {
  const list = Array.from(entries, ([k, v]) => [k, v] as [string, V]);
  const order = ksortOrder(list.map((e) => e[0]));
  return order.map((i) => list[i] as [string, V]);
}
