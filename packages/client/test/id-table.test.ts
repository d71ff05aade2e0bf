// The open-addressing table behind MemoryNotificationStore (src/id-table.ts), checked against a
// plain Map on generated sequences of sets, deletes and sweeps: enough ids to grow the table,
// fill probe clusters, wrap around its end and delete from the middle of clusters.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IdTable } from '../src/id-table.js';

const ids = [
  ...Array.from({ length: 1500 }, (_, i) =>
    i % 3 === 0 ? `mmsp:quickPay:M${i}:L${i * 7}` : i % 3 === 1 ? `id-${i}` : `中${i}`,
  ),
  // the table copies ids as UTF-16 code units: the empty id, a lone surrogate, a pair, a prefix of another
  '',
  '\uD800',
  'a\uDFFF',
  '😀',
  'mmsp:quickPay:M3',
  'mmsp:quickPay:M3:L21:',
];
const op = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('set' as const),
      id: fc.nat(ids.length - 1),
      value: fc.integer({ min: -5, max: 100 }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete' as const), id: fc.nat(ids.length - 1) }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('sweep' as const), below: fc.integer({ min: -5, max: 100 }) }),
  },
);

describe('IdTable', () => {
  it('holds what a Map holds, through growth, deletions and sweeps', () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 3000 }), (ops) => {
        const table = new IdTable();
        const model = new Map<string, number>();
        for (const o of ops) {
          if (o.kind === 'set') {
            table.set(ids[o.id]!, o.value);
            model.set(ids[o.id]!, o.value);
          } else if (o.kind === 'delete') {
            table.delete(ids[o.id]!);
            model.delete(ids[o.id]!);
          } else {
            table.sweepFront((v) => v < o.below);
            // The model: from the oldest entry on, drop while expired (insertion order, as the table).
            for (const [k, v] of model) {
              if (!(v < o.below)) break;
              model.delete(k);
            }
          }
          expect(table.size).toBe(model.size);
        }
        for (const id of ids) expect(table.get(id), id).toBe(model.get(id));
      }),
      { numRuns: 150 },
    );
  });

  it('deletes correctly in probe clusters that wrap around the end of the table', () => {
    // Ids whose home slot is among the last 8 of the initial 1,024 (FNV-1a, as src/id-table.ts):
    // their clusters run past the end and continue at slot 0.
    const fnv = (s: string) => {
      let h = 0x811c9dc5 | 0;
      for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
      return h;
    };
    const wrapping: string[] = [];
    const starting: string[] = [];
    for (let i = 0; wrapping.length < 24 || starting.length < 8; i++) {
      const id = `wrap-${i}`;
      const home = fnv(id) & 1023;
      if (home >= 1016 && wrapping.length < 24) wrapping.push(id);
      else if (home <= 2 && starting.length < 8) starting.push(id);
    }
    const pool = [...wrapping, ...starting];
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.boolean(), fc.nat(pool.length - 1)), { minLength: 1, maxLength: 300 }),
        (steps) => {
          const table = new IdTable();
          const model = new Map<string, number>();
          steps.forEach(([add, i], n) => {
            if (add) {
              table.set(pool[i]!, n);
              model.set(pool[i]!, n);
            } else {
              table.delete(pool[i]!);
              model.delete(pool[i]!);
            }
          });
          for (const id of pool) expect(table.get(id), id).toBe(model.get(id));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a deletion at the end of the table leaves an id that wrapped to slot 0 reachable', () => {
    const fnv = (s: string) => {
      let h = 0x811c9dc5 | 0;
      for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
      return h;
    };
    /** The `nth` id (0, 1, …) whose home slot is `home`. */
    const withHome = (home: number, nth = 0) => {
      for (let i = 0; ; i++) if ((fnv(`h${i}`) & 1023) === home && nth-- === 0) return `h${i}`;
    };
    // Ids added in order (each probing from its home slot), then the one at `del` removed.
    const cases: [homes: number[], del: number][] = [
      [[1022, 1023, 0], 0],
      [[1023, 1023, 0], 0],
      [[1021, 1022, 1], 0],
      [[1023, 0, 0], 0],
      [[1023, 1023, 1023], 1],
      [[1021, 1022, 1022, 1022], 0],
      [[1020, 1020, 1023, 1023, 2], 1],
    ];
    for (const [homes, del] of cases) {
      const seen = new Map<number, number>();
      const added = homes.map((home) => {
        const nth = seen.get(home) ?? 0;
        seen.set(home, nth + 1);
        return withHome(home, nth);
      });
      const table = new IdTable();
      added.forEach((id, i) => table.set(id, i));
      table.delete(added[del]!);
      expect(
        added.map((id) => table.get(id)),
        `${homes.join(',')} without #${del}`,
      ).toEqual(added.map((_, i) => (i === del ? undefined : i)));
    }
  });

  it('finds the empty id after other lookups (its hash is computed, never assumed)', () => {
    const table = new IdTable();
    table.set('', 7);
    expect(table.get('x')).toBeUndefined();
    expect(table.get('')).toBe(7);
  });

  it('keeps 200,000 ids and finds each', () => {
    const table = new IdTable();
    for (let i = 0; i < 200_000; i++) table.set(`mmsp:scan:${i}:${i * 31}`, i);
    expect(table.size).toBe(200_000);
    for (let i = 0; i < 200_000; i += 997) expect(table.get(`mmsp:scan:${i}:${i * 31}`)).toBe(i);
    expect(table.get('mmsp:scan:200000:0')).toBeUndefined();
  });
});
