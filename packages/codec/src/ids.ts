/**
 * Merchant order numbers and `RANDSTR` from a cryptographic random source, within each family's
 * length and charset rules (PROTOCOL §6, §7; document tables):
 * - payout `ORDERNO`: digits only, string(32) (the document's own response example is 25 digits);
 * - scan code `MERORDERID` ≤ 20, `RANDSTR` ≤ 20;
 * - quick pay and gateway `MERORDERID` ≤ 32, `RANDSTR` string(32).
 * Order numbers are a China-time `YYYYMMDDhhmmss` prefix (what merchants and the platform's
 * examples use) followed by random digits. Randomness comes from `CryptoProvider.randomBytes`
 * (default `pureCrypto`), mapped to digits / alphanumerics by rejection sampling (no modulo bias).
 */
import type { CryptoProvider, Family } from './crypto-provider.js';
import { MmspConfigError } from './errors.js';
import { secureRandomBytes } from './random.js';

/** `pureCrypto.randomBytes` without the rest of `pureCrypto` (its RSA). */
const DEFAULT_RANDOM: Pick<CryptoProvider, 'randomBytes'> = { randomBytes: secureRandomBytes };
import { chinaTime } from './time.js';

const FAMILIES: readonly Family[] = ['payout', 'quickPay', 'scan', 'gateway'];

/** Longest order number per family (document field tables). */
export const ORDER_NO_MAX_LENGTH: Readonly<Record<Family, number>> = Object.freeze({
  payout: 32,
  quickPay: 32,
  scan: 20,
  gateway: 32,
});
/**
 * Default order-number length per family: 14 timestamp digits + random digits. Scan code is
 * capped at 20 (6 random digits: collisions become likely beyond ~100 orders in one second;
 * use `randStr`-style ids or a sequence of your own at that rate). Payout uses 24 digits,
 * within the 25 the document's response example shows.
 */
export const ORDER_NO_DEFAULT_LENGTH: Readonly<Record<Family, number>> = Object.freeze({
  payout: 24,
  quickPay: 32,
  scan: 20,
  gateway: 32,
});
/** Longest `RANDSTR` per family (payout has none; its length is used for generic nonces). */
export const RANDSTR_MAX_LENGTH: Readonly<Record<Family, number>> = Object.freeze({
  payout: 32,
  quickPay: 32,
  scan: 20,
  gateway: 32,
});

const ALNUM = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const TIMESTAMP_DIGITS = 14;
const MIN_RANDOM_DIGITS = 4;

/** Options of {@link newOrderNo}. */
export interface OrderNoOptions {
  /** Total length (default per family, see `ORDER_NO_DEFAULT_LENGTH`); at least 18, at most the family's maximum. */
  length?: number;
  /** The instant of the timestamp prefix (default now). */
  date?: Date;
  /** Source of random bytes (default `pureCrypto`). */
  provider?: Pick<CryptoProvider, 'randomBytes'>;
}

/** Options of {@link randStr}. */
export interface RandStrOptions {
  /** Length (default and maximum: the family's `RANDSTR` length, 20 for scan code, else 32). */
  length?: number;
  /** Source of random bytes (default `pureCrypto`). */
  provider?: Pick<CryptoProvider, 'randomBytes'>;
}

function checkFamily(family: unknown, fn: string): Family {
  if (!FAMILIES.includes(family as Family)) {
    throw new MmspConfigError([
      { field: 'family', rule: 'enum', message: `${fn}: family must be one of ${FAMILIES.join(', ')}` },
    ]);
  }
  return family as Family;
}

function checkLength(value: number | undefined, fallback: number, min: number, max: number, fn: string): number {
  const length = value ?? fallback;
  if (!Number.isInteger(length) || length < min || length > max) {
    throw new MmspConfigError([
      { field: 'length', rule: 'range', message: `${fn}: length must be an integer from ${min} to ${max}` },
    ]);
  }
  return length;
}

/** `count` characters of `charset`, uniformly, by rejection sampling random bytes. */
export function randomChars(
  count: number,
  charset: string,
  provider: Pick<CryptoProvider, 'randomBytes'> = DEFAULT_RANDOM,
): string {
  if (charset.length < 2 || charset.length > 256)
    throw new RangeError('randomChars: the charset must have 2 to 256 characters');
  const limit = 256 - (256 % charset.length); // bytes ≥ limit would bias the modulo: drop them
  let out = '';
  while (out.length < count) {
    const bytes = provider.randomBytes(Math.ceil((count - out.length) * 1.25) + 4);
    for (let i = 0; i < bytes.length && out.length < count; i++) {
      if (bytes[i]! < limit) out += charset[bytes[i]! % charset.length];
    }
  }
  return out;
}

/**
 * A new merchant order number: China-time `YYYYMMDDhhmmss` + crypto-random digits, digits only,
 * so it suits every family (payout `ORDERNO` must be digits). Default lengths: scan 20,
 * payout 24, quick pay and gateway 32.
 */
export function newOrderNo(family: Family, options: OrderNoOptions = {}): string {
  const f = checkFamily(family, 'newOrderNo');
  const length = checkLength(
    options.length,
    ORDER_NO_DEFAULT_LENGTH[f],
    TIMESTAMP_DIGITS + MIN_RANDOM_DIGITS,
    ORDER_NO_MAX_LENGTH[f],
    'newOrderNo',
  );
  return (
    chinaTime(options.date ?? new Date()) + randomChars(length - TIMESTAMP_DIGITS, ALNUM.slice(0, 10), options.provider)
  );
}

/** A `RANDSTR`: crypto-random `[0-9A-Za-z]`, 20 characters for scan code, 32 for the others (or `length`). */
export function randStr(family: Family, options: RandStrOptions = {}): string {
  const f = checkFamily(family, 'randStr');
  const length = checkLength(options.length, RANDSTR_MAX_LENGTH[f], 1, RANDSTR_MAX_LENGTH[f], 'randStr');
  return randomChars(length, ALNUM, options.provider);
}
