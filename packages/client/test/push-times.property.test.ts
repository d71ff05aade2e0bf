// The push checks read a pushed time with the codec's non-throwing reader on a text of the
// format's length (src/notifications/open.ts `pushedTimeMs`, and `isPushedTime` for a time that is
// only checked), not with a regular expression and `parseChinaTime`; this proves they accept
// exactly the texts the reference accepts (the format's shape, `^\d{14}$` or
// `^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$`, and a time `parseChinaTime` reads without error) and
// read the same instant.
import fc from 'fast-check';
import { parseChinaTime } from '@mmsp/codec';
import { describe, expect, it } from 'vitest';
import { isPushedTime, pushedTimeMs } from '../src/notifications/open.js';

const isChinaTime = (v: string, format: 'timestamp14' | 'dateTime'): boolean => {
  const valid = isPushedTime(v, format);
  expect(valid).toBe(!Number.isNaN(pushedTimeMs(v, format)));
  return valid;
};

const SHAPE = { timestamp14: /^\d{14}$/, dateTime: /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/ } as const;

/** The instant the reference reads, or NaN. */
function reference(value: string, format: 'timestamp14' | 'dateTime'): number {
  if (!SHAPE[format].test(value)) return NaN;
  try {
    return parseChinaTime(value).getTime();
  } catch {
    return NaN;
  }
}

const pad = (n: number, w: number): string => String(n).padStart(w, '0');
/** A time of either format from fields around and beyond their ranges (leap days included). */
const written = fc
  .record({
    y: fc.oneof(fc.integer({ min: 0, max: 9999 }), fc.constantFrom(1900, 2000, 2024, 2100, 2400)),
    mo: fc.integer({ min: 0, max: 13 }),
    d: fc.oneof(fc.integer({ min: 0, max: 32 }), fc.constantFrom(28, 29, 30, 31)),
    h: fc.integer({ min: 0, max: 25 }),
    mi: fc.integer({ min: 0, max: 61 }),
    s: fc.integer({ min: 0, max: 61 }),
    dashed: fc.boolean(),
  })
  .map(({ y, mo, d, h, mi, s, dashed }) =>
    dashed
      ? `${pad(y, 4)}-${pad(mo, 2)}-${pad(d, 2)} ${pad(h, 2)}:${pad(mi, 2)}:${pad(s, 2)}`
      : `${pad(y, 4)}${pad(mo, 2)}${pad(d, 2)}${pad(h, 2)}${pad(mi, 2)}${pad(s, 2)}`,
  );
/** Such a time with one character replaced, inserted or removed. */
const edited = fc
  .tuple(written, fc.nat(20), fc.constantFrom('x', ' ', '-', ':', '/', '0', '9', '٣', '\u0000', ''), fc.nat(2))
  .map(([t, at, ch, how]) => {
    const i = at % (t.length + 1);
    return how === 0
      ? t.slice(0, i) + ch + t.slice(i + 1)
      : how === 1
        ? t.slice(0, i) + ch + t.slice(i)
        : t.slice(0, i) + t.slice(i + 1);
  });
const value = fc.oneof(written, edited, fc.string({ maxLength: 20 }));

describe('pushedTimeMs and isPushedTime', () => {
  it('accepts exactly what the format and parseChinaTime accept, as the same instant', () => {
    let accepted = 0;
    let n = 0;
    fc.assert(
      fc.property(value, fc.constantFrom('timestamp14' as const, 'dateTime' as const), (v, format) => {
        n++;
        const instant = reference(v, format);
        if (!Number.isNaN(instant)) accepted++;
        expect(pushedTimeMs(v, format)).toBe(instant);
        expect(isPushedTime(v, format)).toBe(!Number.isNaN(instant));
      }),
      { numRuns: 20000 },
    );
    expect(accepted).toBeGreaterThan(n / 20); // both answers are exercised
    expect(accepted).toBeLessThan(n / 2);
  });

  it('knows leap days and month lengths', () => {
    expect(isChinaTime('20240229120000', 'timestamp14')).toBe(true);
    expect(isChinaTime('21000229120000', 'timestamp14')).toBe(false);
    expect(isChinaTime('2000-02-29 00:00:00', 'dateTime')).toBe(true);
    expect(isChinaTime('2026-04-31 00:00:00', 'dateTime')).toBe(false);
    expect(isChinaTime('2026-12-31 23:59:59', 'timestamp14')).toBe(false);
    expect(pushedTimeMs('20261126093000', 'timestamp14')).toBe(Date.parse('2026-11-26T01:30:00Z'));
  });
});
