/**
 * The ksort order of a flat Body's identifier keys (PROTOCOL §3: identifiers are never numeric, so
 * PHP's `SORT_REGULAR` ksort is a plain byte sort). Used by the signing writer
 * (signing/flat-writer.ts), which keeps the result per key shape.
 */
import { isIdentKey } from './ident.js';

/** The byte order of identifier `keys` (all distinct), or undefined when one is not an identifier. */
export function orderOf(keys: string[]): number[] | undefined {
  const n = keys.length;
  for (let i = 0; i < n; i++) if (!isIdentKey(keys[i]!)) return undefined;
  const order: number[] = [];
  for (let i = 0; i < n; i++) {
    const k = keys[i]!;
    let j = i - 1;
    while (j >= 0 && keys[order[j]!]! > k) {
      order[j + 1] = order[j]!;
      j--;
    }
    order[j + 1] = i;
  }
  return order;
}
