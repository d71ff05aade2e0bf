import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { MmspEncodingError } from '../src/errors.js';
import { chinaBatchHour, chinaDateTime, chinaTime, parseChinaTime } from '../src/time.js';

// Independent oracle: ICU's Asia/Shanghai zone through Intl (not the code under test's arithmetic).
const shanghai = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});
function oracle(date: Date): { y: string; mo: string; d: string; h: string; mi: string; s: string } {
  const parts = Object.fromEntries(shanghai.formatToParts(date).map((p) => [p.type, p.value]));
  return { y: parts.year!, mo: parts.month!, d: parts.day!, h: parts.hour!, mi: parts.minute!, s: parts.second! };
}

// Dates from 1992 (China has had no daylight saving time since 1991) to 2100.
const dates = fc.date({
  min: new Date('1992-01-01T00:00:00Z'),
  max: new Date('2100-01-01T00:00:00Z'),
  noInvalidDate: true,
});
const zones = [
  'UTC',
  'America/Los_Angeles',
  'America/St_Johns',
  'Europe/London',
  'Asia/Kolkata',
  'Pacific/Chatham',
  'Pacific/Kiritimati',
  'Asia/Shanghai',
];
const originalTz = process.env.TZ;
afterAll(() => {
  if (originalTz === undefined) delete process.env.TZ;
  else process.env.TZ = originalTz;
});

describe('China time whatever the host zone', () => {
  it('the host zone really changes under the test (else the test proves nothing)', () => {
    const offsets = new Set<number>();
    for (const tz of zones) {
      process.env.TZ = tz;
      offsets.add(new Date('2024-07-01T00:00:00Z').getTimezoneOffset());
    }
    expect(offsets.size).toBeGreaterThanOrEqual(6);
  });

  for (const tz of zones) {
    it(`chinaTime / chinaDateTime / chinaBatchHour equal ICU's Asia/Shanghai with TZ=${tz}`, () => {
      process.env.TZ = tz;
      fc.assert(
        fc.property(dates, (date) => {
          const o = oracle(date);
          expect(chinaTime(date)).toBe(`${o.y}${o.mo}${o.d}${o.h}${o.mi}${o.s}`);
          expect(chinaDateTime(date)).toBe(`${o.y}-${o.mo}-${o.d} ${o.h}:${o.mi}:${o.s}`);
          expect(chinaBatchHour(date)).toBe(`${o.y}${o.mo}${o.d}${o.h}`);
        }),
        { numRuns: 200 },
      );
    });
  }

  it('parseChinaTime inverts all three formats (to the second / to the hour), under any zone', () => {
    for (const tz of ['America/Los_Angeles', 'Asia/Kolkata']) {
      process.env.TZ = tz;
      fc.assert(
        fc.property(dates, (date) => {
          const second = new Date(Math.floor(date.getTime() / 1000) * 1000);
          expect(parseChinaTime(chinaTime(date))).toEqual(second);
          expect(parseChinaTime(chinaDateTime(date), 'TIME_END')).toEqual(second);
          const hour = parseChinaTime(chinaBatchHour(date));
          expect(chinaBatchHour(hour)).toBe(chinaBatchHour(date));
          expect(chinaTime(hour).slice(10)).toBe('0000');
        }),
        { numRuns: 300 },
      );
    }
  });

  it('knows the fixed points: the document sample REQTIME, midnight rollover, leap day', () => {
    expect(parseChinaTime('20171123181110').toISOString()).toBe('2017-11-23T10:11:10.000Z');
    expect(chinaTime(new Date('2024-02-28T16:00:00Z'))).toBe('20240229000000');
    expect(chinaDateTime(new Date('2023-12-31T16:00:00Z'))).toBe('2024-01-01 00:00:00');
    expect(chinaBatchHour(new Date('2023-12-31T15:59:59Z'))).toBe('2023123123');
    expect(parseChinaTime('0099-01-01 08:00:00').toISOString()).toBe('0099-01-01T00:00:00.000Z');
  });

  it('agrees with a Date-based reader on every accepted and refused text, leap years and years 0..99 included', () => {
    // The reader parseChinaTime replaced (regular expressions and Date's own calendar): an
    // independent oracle for its digit-by-digit arithmetic.
    const reference = (text: string): number | 'error' => {
      const m = [
        /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/,
        /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/,
        /^(\d{4})(\d{2})(\d{2})(\d{2})$/,
      ]
        .map((re) => re.exec(text))
        .find((x) => x !== null);
      if (!m) return 'error';
      const [y, mo, d, h, mi = 0, s = 0] = m.slice(1).map(Number) as number[];
      if (mo! < 1 || mo! > 12 || d! < 1 || h! > 23 || mi > 59 || s > 59) return 'error';
      const utc = new Date(0);
      utc.setUTCFullYear(y!, mo! - 1, d);
      utc.setUTCHours(h!, mi, s, 0);
      if (utc.getUTCDate() !== d || utc.getUTCMonth() !== mo! - 1) return 'error';
      return utc.getTime() - 8 * 3600 * 1000;
    };
    const two = (max: number) => fc.integer({ min: 0, max }).map((n) => String(n).padStart(2, '0'));
    const year = fc
      .oneof(fc.integer({ min: 0, max: 9999 }), fc.constantFrom(0, 4, 100, 400, 1900, 2000, 2024, 2100))
      .map((n) => String(n).padStart(4, '0'));
    const text = fc.oneof(
      fc.tuple(year, two(13), two(32), two(24), two(60), two(60)).map((p) => p.join('')),
      fc
        .tuple(year, two(13), two(32), two(24), two(60), two(60))
        .map(([y, mo, d, h, mi, s]) => `${y}-${mo}-${d} ${h}:${mi}:${s}`),
      fc.tuple(year, two(13), two(32), two(24)).map((p) => p.join('')),
      fc.string({ unit: fc.constantFrom('0', '1', '2', '9', '-', ' ', ':', 'a', '٣'), minLength: 8, maxLength: 20 }),
    );
    fc.assert(
      fc.property(text, (t) => {
        const want = reference(t);
        if (want === 'error') expect(() => parseChinaTime(t, 'PAY_DATE')).toThrow(/^PAY_DATE: /);
        else expect(parseChinaTime(t).getTime()).toBe(want);
      }),
      { numRuns: 5000 },
    );
  });

  it('refuses other formats and impossible dates, naming the field and the expected formats', () => {
    for (const bad of [
      '2017-11-23T18:11:10',
      '201711231811',
      '2017112318111',
      '20171323181110',
      '20170230120000',
      '20171123241110',
      '20171123186010',
      '2017-11-23 18:11',
      ' 20171123181110',
      '２0171123181110',
      '',
      '2017112300',
      '2017113124',
    ]) {
      if (bad === '2017112300') {
        expect(parseChinaTime(bad).toISOString()).toBe('2017-11-22T16:00:00.000Z');
        continue;
      }
      expect(() => parseChinaTime(bad, 'RSPTIME'), bad).toThrow(MmspEncodingError);
      expect(() => parseChinaTime(bad, 'RSPTIME'), bad).toThrow(/^RSPTIME: .*expected China time as YYYYMMDDhhmmss/);
    }
    expect(() => parseChinaTime(20171123181110 as unknown as string)).toThrow(/got number/);
    expect(() => chinaTime(new Date(Number.NaN))).toThrow(/chinaTime: expected a valid Date/);
  });
});
