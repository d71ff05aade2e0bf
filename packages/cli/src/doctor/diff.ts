// A compact byte diff between two signing strings (UTF-8): Myers' O((N+M)D) shortest edit
// script, grouped into hunks with byte offsets in each side. Signing strings are small; past
// MAX_D edits the diff falls back to one hunk between the common prefix and suffix.
export interface Hunk {
  /** Byte offset of the hunk in our signing string. */
  offset: number;
  /** Byte offset of the hunk in the other signing string. */
  theirOffset: number;
  /** Our bytes here (may be empty: an insertion). */
  ours: Uint8Array;
  /** Their bytes here (may be empty: a deletion). */
  theirs: Uint8Array;
}

const MAX_D = 4000;

type Op = 0 | 1 | 2; // 0 equal, 1 delete (ours only), 2 insert (theirs only)

function myers(a: Uint8Array, b: Uint8Array): Op[] | undefined {
  const n = a.length;
  const m = b.length;
  const max = Math.min(n + m, MAX_D);
  const off = max + 1;
  let v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  for (let d = 0; d <= max; d++) {
    trace.push(v.slice());
    const next = v.slice();
    for (let k = -d; k <= d; k += 2) {
      let x =
        k === -d || (k !== d && (v[off + k - 1] as number) < (v[off + k + 1] as number))
          ? (v[off + k + 1] as number)
          : (v[off + k - 1] as number) + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      next[off + k] = x;
      if (x >= n && y >= m) {
        trace.push(next);
        return backtrack(trace, a, b, off, d);
      }
    }
    v = next;
  }
  return undefined;
}

function backtrack(trace: Int32Array[], a: Uint8Array, b: Uint8Array, off: number, dEnd: number): Op[] {
  const ops: Op[] = [];
  let x = a.length;
  let y = b.length;
  for (let d = dEnd; d > 0; d--) {
    const v = trace[d] as Int32Array; // state before step d
    const k = x - y;
    const down = k === -d || (k !== d && (v[off + k - 1] as number) < (v[off + k + 1] as number));
    const prevK = down ? k + 1 : k - 1;
    const prevX = v[off + prevK] as number;
    const prevY = prevX - prevK;
    while (x > prevX + (down ? 0 : 1) && y > prevY + (down ? 1 : 0)) {
      ops.push(0);
      x--;
      y--;
    }
    if (down) {
      ops.push(2);
      y--;
    } else {
      ops.push(1);
      x--;
    }
  }
  while (x > 0 && y > 0) {
    ops.push(0);
    x--;
    y--;
  }
  return ops.reverse();
}

export function byteDiff(oursText: string, theirsText: string): Hunk[] {
  const a = new TextEncoder().encode(oursText);
  const b = new TextEncoder().encode(theirsText);
  const ops = myers(a, b);
  if (ops === undefined) {
    let p = 0;
    while (p < a.length && p < b.length && a[p] === b[p]) p++;
    let s = 0;
    while (s < a.length - p && s < b.length - p && a[a.length - 1 - s] === b[b.length - 1 - s]) s++;
    return [{ offset: p, theirOffset: p, ours: a.slice(p, a.length - s), theirs: b.slice(p, b.length - s) }];
  }
  const hunks: Hunk[] = [];
  let x = 0;
  let y = 0;
  let i = 0;
  while (i < ops.length) {
    if (ops[i] === 0) {
      x++;
      y++;
      i++;
      continue;
    }
    const sx = x;
    const sy = y;
    while (i < ops.length && ops[i] !== 0) {
      if (ops[i] === 1) x++;
      else y++;
      i++;
    }
    hunks.push({ offset: sx, theirOffset: sy, ours: a.slice(sx, x), theirs: b.slice(sy, y) });
  }
  return hunks;
}

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (c) => c.toString(16).padStart(2, '0')).join(' ');
}

/** Bytes as readable text: printable ASCII as is, anything else as an escape. */
function show(bytes: Uint8Array): string {
  if (bytes.length === 0) return '(nothing)';
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  return JSON.stringify(text).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function formatHunks(hunks: readonly Hunk[], limit = 8): string[] {
  const lines = hunks
    .slice(0, limit)
    .map(
      (h) =>
        `byte ${h.offset}${h.theirOffset !== h.offset ? ` (theirs ${h.theirOffset})` : ''}: ours ${show(h.ours)}${h.ours.length ? ` [${hex(h.ours)}]` : ''} → theirs ${show(h.theirs)}${h.theirs.length ? ` [${hex(h.theirs)}]` : ''}`,
    );
  if (hunks.length > limit) lines.push(`… and ${hunks.length - limit} more difference(s)`);
  return lines;
}

export function hunksJson(
  hunks: readonly Hunk[],
): { offset: number; theirOffset: number; ours: string; theirs: string }[] {
  return hunks.map((h) => ({ offset: h.offset, theirOffset: h.theirOffset, ours: hex(h.ours), theirs: hex(h.theirs) }));
}
