import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MmspValidationError } from '../src/errors.js';
import { fenToYuan, yuanToFen } from '../src/money.js';

describe('yuanToFen', () => {
  it('converts the usual forms exactly', () => {
    const cases: [string, string][] = [
      ['1', '100'],
      ['1.5', '150'],
      ['1.50', '150'],
      ['0.01', '1'],
      ['0', '0'],
      ['0.1', '10'],
      ['007.07', '707'],
      ['10000000', '1000000000'],
      ['123456789012345678901.99', '12345678901234567890199'],
      ['0.29', '29'],
      ['1.13', '113'],
    ];
    for (const [yuan, fen] of cases) expect(yuanToFen(yuan), yuan).toBe(fen);
  });

  it('refuses more than 2 decimals, negatives, exponents, blanks and non-strings, naming the field and the rule', () => {
    const cases: [unknown, string][] = [
      ['1.234', 'decimals'],
      ['0.001', 'decimals'],
      ['-1', 'nonNegative'],
      ['-0.5', 'nonNegative'],
      ['1e2', 'format'],
      ['', 'format'],
      [' 1', 'format'],
      ['1.', 'format'],
      ['.5', 'format'],
      ['1,000', 'format'],
      ['+1', 'format'],
      ['NaN', 'format'],
      ['Infinity', 'format'],
      ['１', 'format'],
      [1.5, 'type'],
      [null, 'type'],
      [150n, 'type'],
    ];
    for (const [value, rule] of cases) {
      let error: unknown;
      try {
        yuanToFen(value as string, 'AMT');
      } catch (e) {
        error = e;
      }
      expect(error, String(value)).toBeInstanceOf(MmspValidationError);
      const issue = (error as MmspValidationError).issues[0]!;
      expect(issue, String(value)).toMatchObject({ field: 'AMT', rule });
      expect(issue.message).toMatch(/^AMT: /);
    }
  });

  it('agrees with the exact decimal value for every 2-decimal amount, and round-trips through fenToYuan', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 30n }), fc.integer({ min: 0, max: 2 }), (fen, decimals) => {
        // Build the yuan text with 0, 1 or 2 decimals when the value allows it.
        const full = fenToYuan(fen); // 'I.DD'
        const text =
          decimals === 2
            ? full
            : decimals === 1 && full.endsWith('0')
              ? full.slice(0, -1)
              : decimals === 0 && full.endsWith('.00')
                ? full.slice(0, -3)
                : full;
        expect(yuanToFen(text)).toBe(fen.toString());
        expect(fenToYuan(yuanToFen(text))).toBe(full);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('fenToYuan', () => {
  it('formats with two decimals from digits, bigint or safe integers', () => {
    expect(fenToYuan('150')).toBe('1.50');
    expect(fenToYuan('1')).toBe('0.01');
    expect(fenToYuan('0')).toBe('0.00');
    expect(fenToYuan('0007')).toBe('0.07');
    expect(fenToYuan(99n)).toBe('0.99');
    expect(fenToYuan(1000000000)).toBe('10000000.00');
    expect(fenToYuan('92233720368547758070')).toBe('922337203685477580.70');
  });

  it('refuses decimals, signs, floats and negatives', () => {
    for (const bad of ['1.5', '-1', '', ' 1', '1e3', 1.5, -1, -1n, Number.MAX_SAFE_INTEGER + 2, null]) {
      expect(() => fenToYuan(bad as string, 'AMT'), String(bad)).toThrow(MmspValidationError);
      expect(() => fenToYuan(bad as string, 'AMT'), String(bad)).toThrow(/AMT: an amount in fen/);
    }
  });

  it('matches a float-free reference for every integer (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 25n }), (fen) => {
        const yuan = fenToYuan(fen);
        const [i, d] = yuan.split('.') as [string, string];
        expect(d).toHaveLength(2);
        expect(BigInt(i) * 100n + BigInt(d)).toBe(fen);
      }),
      { numRuns: 1000 },
    );
  });
});
