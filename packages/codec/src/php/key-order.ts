/**
 * The ksort order of a flat Body's identifier keys (PROTOCOL §3: identifiers are never numeric, so
 * PHP's `SORT_REGULAR` ksort is a plain byte sort), remembered per key sequence: bodies of the same
 * shape (the same operation, the same notification) sort once. Used by the fast paths
 * (php/flat.ts, php/sign-bytes.ts); a pure function of the keys, so the cache cannot go stale.
 */
import { isIdentKey } from './ident.js';

/** Sorted key orders by key sequence: bodies of the same shape (the same operation) sort once. */
interface Shape {
  keys: string[];
  order: number[];
}
const SHAPES = 16;
const shapes: (Shape | undefined)[] = new Array(SHAPES).fill(undefined);
let nextShape = 0;

/** The byte order of identifier `keys` (all distinct), or undefined when one is not an identifier. */
export function orderOf(keys: string[]): number[] | undefined {
  const n = keys.length;
  search: for (let s = 0; s < SHAPES; s++) {
    const shape = shapes[s];
    if (shape === undefined) break;
    const k = shape.keys;
    if (k.length !== n) continue;
    for (let i = 0; i < n; i++) if (k[i] !== keys[i]) continue search;
    return shape.order;
  }
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
  shapes[nextShape] = { keys, order };
  nextShape = (nextShape + 1) % SHAPES;
  return order;
}

