/**
 * Yuan ↔ fen as exact decimal strings (PROTOCOL §7: amounts are integer fen sent as strings,
 * `"100"` = 1.00 yuan). Pure string and BigInt arithmetic: a float never touches an amount.
 */
import { MmspValidationError } from './errors.js';

const YUAN = /^(\d+)(?:\.(\d{1,2}))?$/;
const FEN = /^\d+$/;

function shape(value: unknown): string {
  if (typeof value === 'string') return `string(${value.length})`;
  return value === null ? 'null' : typeof value;
}

function invalid(field: string, rule: string, message: string, value: unknown): MmspValidationError {
  return new MmspValidationError([{ field, rule, message: `${field}: ${message}`, got: shape(value) }]);
}

/**
 * `'1.5'` → `'150'`, `'0.01'` → `'1'`, `'12'` → `'1200'`. Accepts a non-negative decimal string
 * with at most two decimals (`'1.'`, `'.5'`, `'1e2'`, `'-1'`, `'1.234'`, spaces and numbers are
 * refused with an `MmspValidationError` naming `field`). Leading zeros are dropped.
 */
export function yuanToFen(yuan: string, field = 'amount'): string {
  if (typeof yuan !== 'string') {
    throw invalid(field, 'type', 'an amount in yuan must be a decimal string such as "1.50" (never a float)', yuan);
  }
  const m = YUAN.exec(yuan);
  if (!m) {
    const rule = /^\d+\.\d{3,}$/.test(yuan) ? 'decimals' : yuan.trim().startsWith('-') ? 'nonNegative' : 'format';
    const message =
      rule === 'decimals'
        ? 'an amount in yuan has at most 2 decimals (1 fen is 0.01)'
        : rule === 'nonNegative'
          ? 'an amount in yuan must not be negative'
          : 'an amount in yuan must be digits with an optional "." and 1 or 2 decimals, such as "1.50" (no sign, exponent, spaces or separators)';
    throw invalid(field, rule, message, yuan);
  }
  const fen = BigInt(m[1]!) * 100n + BigInt((m[2] ?? '').padEnd(2, '0'));
  return fen.toString();
}

/**
 * `'150'` → `'1.50'`, `1n` → `'0.01'`. Accepts a digits-only string, a non-negative bigint or a
 * non-negative safe integer; anything else is an `MmspValidationError` naming `field`.
 */
export function fenToYuan(fen: string | bigint | number, field = 'amount'): string {
  let value: bigint;
  if (typeof fen === 'bigint') value = fen;
  else if (typeof fen === 'number' && Number.isSafeInteger(fen)) value = BigInt(fen);
  else if (typeof fen === 'string' && FEN.test(fen)) value = BigInt(fen);
  else
    throw invalid(
      field,
      'format',
      'an amount in fen must be a whole number of fen written in digits, such as "150"',
      fen,
    );
  if (value < 0n) throw invalid(field, 'nonNegative', 'an amount in fen must not be negative', fen);
  const digits = value.toString().padStart(3, '0');
  return `${digits.slice(0, -2)}.${digits.slice(-2)}`;
}
