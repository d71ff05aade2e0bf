// The sandbox reads the merchant's China times (TIME_END, batch START_DATE / END_DATE) with the
// codec's reader (PROTOCOL §7): the formats it accepts, and impossible dates refused.
import { describe, expect, it } from 'vitest';
import { compactTime, dashedTime, parseChinaTime } from '../src/time.js';

const china = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0) => Date.UTC(y, mo - 1, d, h - 8, mi, s);

describe('parseChinaTime (sandbox)', () => {
  it('reads YYYYMMDD, YYYYMMDDHH, yyyy-mm-dd and yyyy-mm-dd hh24:mi:ss as China time', () => {
    expect(parseChinaTime('20261206')).toBe(china(2026, 12, 6));
    expect(parseChinaTime('2026120613')).toBe(china(2026, 12, 6, 13));
    expect(parseChinaTime('2026-12-06')).toBe(china(2026, 12, 6));
    expect(parseChinaTime('2026-12-06 13:14:15')).toBe(china(2026, 12, 6, 13, 14, 15));
    expect(parseChinaTime('20240229')).toBe(china(2024, 2, 29));
  });

  it('refuses impossible dates and times, and other shapes', () => {
    for (const text of [
      '20260230',
      '2026-02-30 10:00:00',
      '2025-02-29',
      '2026043100',
      '2026120624',
      '2026-12-06 12:60:00',
      '2026-12-06T12:00:00',
      '202612',
      '',
      '2026-12-06 1:00:00',
    ])
      expect(parseChinaTime(text), text).toBeUndefined();
  });

  it('reads back what compactTime and dashedTime write', () => {
    const at = china(2026, 12, 6, 23, 59, 58);
    expect(parseChinaTime(dashedTime(at))).toBe(at);
    expect(parseChinaTime(compactTime(at).slice(0, 10))).toBe(china(2026, 12, 6, 23));
  });
});
