// `chinaTimeMillis` and `isChinaTime` are the non-throwing faces of the reader `parseChinaTime`
// uses: they must accept exactly the texts `parseChinaTime` reads without error, give the same
// instant, and never throw (the push checks of @mmsp/client rely on both). A regular-expression and
// `Date` oracle checks the shared reader itself.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chinaTimeMillis, isChinaTime, parseChinaTime } from '../src/time.js';

/** The instant `parseChinaTime` reads, or NaN when it throws. */
function reference(text: string): number {
  try {
    return parseChinaTime(text).getTime();
  } catch {
    return NaN;
  }
}

/** An oracle that shares no code with the reader: regular expressions and `Date`'s own calendar. */
function independent(text: string): number {
  const m = [
    /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/,
    /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/,
    /^(\d{4})(\d{2})(\d{2})(\d{2})$/,
  ]
    .map((re) => re.exec(text))
    .find((x) => x !== null);
  if (!m) return NaN;
  const [y, mo, d, h, mi = 0, s = 0] = m.slice(1).map(Number) as [number, number, number, number, number?, number?];
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return NaN;
  const utc = new Date(0);
  utc.setUTCFullYear(y, mo - 1, d);
  utc.setUTCHours(h, mi, s, 0);
  if (utc.getUTCDate() !== d || utc.getUTCMonth() !== mo - 1) return NaN;
  return utc.getTime() - 8 * 3600 * 1000;
}

const pad = (n: number, w: number): string => String(n).padStart(w, '0');
/** A time of each of the three formats from fields around and beyond their ranges (leap days included). */
const written = fc
  .record({
    y: fc.oneof(fc.integer({ min: 0, max: 9999 }), fc.constantFrom(0, 4, 100, 1900, 2000, 2024, 2100, 2400)),
    mo: fc.integer({ min: 0, max: 13 }),
    d: fc.oneof(fc.integer({ min: 0, max: 32 }), fc.constantFrom(28, 29, 30, 31)),
    h: fc.integer({ min: 0, max: 25 }),
    mi: fc.integer({ min: 0, max: 61 }),
    s: fc.integer({ min: 0, max: 61 }),
    format: fc.constantFrom('compact', 'dashed', 'hour'),
  })
  .map(({ y, mo, d, h, mi, s, format }) =>
    format === 'dashed'
      ? `${pad(y, 4)}-${pad(mo, 2)}-${pad(d, 2)} ${pad(h, 2)}:${pad(mi, 2)}:${pad(s, 2)}`
      : `${pad(y, 4)}${pad(mo, 2)}${pad(d, 2)}${pad(h, 2)}${format === 'compact' ? pad(mi, 2) + pad(s, 2) : ''}`,
  );
/** Such a time with one character replaced, inserted or removed. */
const edited = fc
  .tuple(written, fc.nat(20), fc.constantFrom('x', ' ', '-', ':', '/', '0', '9', '٣', '０', '\u0000', ''), fc.nat(2))
  .map(([t, at, ch, how]) => {
    const i = at % (t.length + 1);
    return how === 0
      ? t.slice(0, i) + ch + t.slice(i + 1)
      : how === 1
        ? t.slice(0, i) + ch + t.slice(i)
        : t.slice(0, i) + t.slice(i + 1);
  });
const text = fc.oneof(
  written,
  edited,
  fc.string({ unit: fc.constantFrom('0', '1', '2', '9', '-', ' ', ':', 'a'), minLength: 8, maxLength: 20 }),
  fc.string({ maxLength: 20 }),
);

describe('chinaTimeMillis and isChinaTime', () => {
  it('accept exactly what parseChinaTime reads, as the same instant (and an independent oracle agrees)', () => {
    let accepted = 0;
    let n = 0;
    fc.assert(
      fc.property(text, (t) => {
        n++;
        const want = reference(t);
        if (!Number.isNaN(want)) accepted++;
        expect(chinaTimeMillis(t)).toBe(want);
        expect(want).toBe(independent(t));
        expect(isChinaTime(t)).toBe(!Number.isNaN(want));
      }),
      { numRuns: 20000 },
    );
    expect(accepted).toBeGreaterThan(n / 20); // both answers are exercised
    expect(accepted).toBeLessThan(n / 2);
  });

  it('know the fixed points: leap days, month lengths, the formats, years 0000 and 9999', () => {
    expect(chinaTimeMillis('20261126093000')).toBe(Date.parse('2026-11-26T01:30:00Z'));
    expect(chinaTimeMillis('2026-11-26 09:30:00')).toBe(Date.parse('2026-11-26T01:30:00Z'));
    expect(chinaTimeMillis('2026112609')).toBe(Date.parse('2026-11-26T01:00:00Z'));
    expect(chinaTimeMillis('00000101080000')).toBe(Date.parse('0000-01-01T00:00:00Z'));
    expect(chinaTimeMillis('99991231235959')).toBe(Date.parse('9999-12-31T15:59:59Z'));
    expect(isChinaTime('20240229120000')).toBe(true);
    expect(isChinaTime('21000229120000')).toBe(false);
    expect(isChinaTime('2000-02-29 00:00:00')).toBe(true);
    expect(isChinaTime('2026-04-31 00:00:00')).toBe(false);
    expect(isChinaTime('2026-12-31T23:59:59')).toBe(false);
    expect(isChinaTime('20261231240000')).toBe(false);
    expect(isChinaTime('')).toBe(false);
  });

  it('never throw, whatever they are given', () => {
    for (const v of [undefined, null, 20261126093000, 20261126093000n, {}, ['20261126093000'], true]) {
      expect(chinaTimeMillis(v as unknown as string)).toBeNaN();
      expect(isChinaTime(v as unknown as string)).toBe(false);
    }
  });
});
