import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MmspConfigError } from '../src/errors.js';
import { newOrderNo, randStr, randomChars } from '../src/ids.js';
import { pureCrypto } from '../src/rsa/pure.js';
import { chinaTime } from '../src/time.js';

const families = ['payout', 'quickPay', 'scan', 'gateway'] as const;

describe('newOrderNo', () => {
  it('is digits only, China-time prefixed, within each family length (scan 20, payout 24, quick pay / gateway 32)', () => {
    const date = new Date('2017-11-23T10:11:10Z');
    const expected = { payout: 24, quickPay: 32, scan: 20, gateway: 32 };
    for (const f of families) {
      const id = newOrderNo(f, { date });
      expect(id, f).toMatch(/^\d+$/);
      expect(id, f).toHaveLength(expected[f]);
      expect(id.startsWith('20171123181110'), f).toBe(true);
    }
    expect(newOrderNo('scan').slice(0, 14) >= chinaTime(new Date(Date.now() - 2000))).toBe(true);
  });

  it('honours a length within [18, family max] and refuses others', () => {
    fc.assert(
      fc.property(fc.constantFrom(...families), fc.integer({ min: 18, max: 32 }), (f, length) => {
        const max = f === 'scan' ? 20 : 32;
        if (length <= max) expect(newOrderNo(f, { length })).toMatch(new RegExp(`^\\d{${length}}$`));
        else expect(() => newOrderNo(f, { length })).toThrow(/newOrderNo: length must be an integer from 18 to 20/);
      }),
    );
    expect(() => newOrderNo('quickPay', { length: 17 })).toThrow(MmspConfigError);
    expect(() => newOrderNo('quickPay', { length: 20.5 })).toThrow(MmspConfigError);
    expect(() => newOrderNo('alipay' as 'scan')).toThrow(/family must be one of payout, quickPay, scan, gateway/);
  });

  it('does not repeat within one second (18 random digits for quick pay)', () => {
    const date = new Date();
    const seen = new Set(Array.from({ length: 5000 }, () => newOrderNo('quickPay', { date })));
    expect(seen.size).toBe(5000);
  });
});

describe('randStr', () => {
  it('is [0-9A-Za-z], 20 for scan code and 32 for the others, or a given shorter length', () => {
    for (const f of families) expect(randStr(f), f).toMatch(f === 'scan' ? /^[0-9A-Za-z]{20}$/ : /^[0-9A-Za-z]{32}$/);
    expect(randStr('quickPay', { length: 10 })).toMatch(/^[0-9A-Za-z]{10}$/);
    expect(() => randStr('scan', { length: 21 })).toThrow(/randStr: length must be an integer from 1 to 20/);
    expect(() => randStr('scan', { length: 0 })).toThrow(MmspConfigError);
  });

  it('draws characters uniformly: rejection sampling leaves no modulo bias (chi-square over 248 000 draws)', () => {
    const charset = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
    const text = randomChars(248_000, charset);
    const counts = new Map<string, number>();
    for (const c of text) counts.set(c, (counts.get(c) ?? 0) + 1);
    expect(counts.size).toBe(62);
    const expected = text.length / 62;
    const chi2 = [...counts.values()].reduce((s, n) => s + (n - expected) ** 2 / expected, 0);
    // 61 degrees of freedom: P(chi2 > 120) < 1e-5. A plain `byte % 62` gives chi2 ≈ 1600 here.
    expect(chi2).toBeLessThan(120);
  });

  it('takes its bytes from the given provider, skipping the bytes that would bias', () => {
    // A provider replaying fixed bytes: 248..255 must be skipped, 0..247 map to charset[b % 62].
    let calls = 0;
    const replay = {
      randomBytes: (n: number) => {
        calls++;
        return Uint8Array.from({ length: n }, (_, i) => [255, 248, 0, 61, 62, 247][i % 6]!);
      },
    };
    const out = randStr('scan', { length: 8, provider: replay });
    expect(out).toBe('0z0z0z0z');
    expect(calls).toBeGreaterThan(0);
    // Sanity of the mapping itself: 0 → '0', 61 → 'z', 62 → '0', 247 → 247 % 62 = 61 → 'z'.
    expect(randomChars(4, '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz', replay)).toBe('0z0z');
    expect(pureCrypto.randomBytes(4)).toHaveLength(4);
  });
});
