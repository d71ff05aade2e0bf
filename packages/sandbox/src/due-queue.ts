// A min-heap of (time, item): the platform's timer wheel for expiries and settlements, so that a
// tick costs O(due · log n) however many orders are open. Entries are re-checked when popped
// (an order paid or closed meanwhile is skipped), so nothing is ever removed early.
export class DueQueue<T> {
  private readonly heap: Array<{ at: number; item: T }> = [];

  push(at: number, item: T): void {
    const h = this.heap;
    h.push({ at, item });
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (h[p]!.at <= h[i]!.at) break;
      [h[p], h[i]] = [h[i]!, h[p]!];
      i = p;
    }
  }

  /** Removes and returns every item due at or before `now`, earliest first. */
  popDue(now: number): T[] {
    const out: T[] = [];
    const h = this.heap;
    while (h.length > 0 && h[0]!.at <= now) {
      out.push(h[0]!.item);
      const last = h.pop()!;
      if (h.length === 0) break;
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && h[l]!.at < h[m]!.at) m = l;
        if (r < h.length && h[r]!.at < h[m]!.at) m = r;
        if (m === i) break;
        [h[m], h[i]] = [h[i]!, h[m]!];
        i = m;
      }
    }
    return out;
  }

  get size(): number {
    return this.heap.length;
  }
}
