/**
 * Redaction for logs and error context: secrets (MD5 key, private keys) and card data (CARDNO,
 * CVN2, CVV2, ID_NO, EXPDATE, account numbers) never leave the client in clear (project standard;
 * PROTOCOL §8 keeps the test key only for the sandbox).
 */

/** Configuration names that are secrets (not wire fields), and the payout envelope's sealed parts. */
const CONFIG_SECRETS = ['key', 'agentKey', 'merchantPrivateKey', 'privateKey', 'ENCRYPT', 'SIGN'];

/**
 * The catalogue's field flags (issue #13 item 7), written out so that a receiver does not carry the
 * whole catalogue: wire fields flagged `secret` and never `personal`, hidden entirely...
 * `test/redact-fields.test.ts` fails when these lists and the catalogue's flags part.
 */
export const SECRET_FIELDS: readonly string[] = ['CODE', 'CVN2', 'CVV2', 'EXPDATE', 'IDCARD', 'ID_NO', 'MSG_CODE'];
/** ...and those flagged `personal` (names, phones, card and account numbers), masked to their last four characters. */
export const PERSONAL_FIELDS: readonly string[] = ['ACCNAME', 'ACCNO', 'CARDNO', 'MOBILE', 'NAME', 'PHONENO'];

const HIDDEN = new Set([...CONFIG_SECRETS, ...SECRET_FIELDS]);
const MASKED = new Set(PERSONAL_FIELDS);

/** `6225123456781234` → `************1234`; short values are hidden entirely. */
export function maskTail(value: string): string {
  if (value.length <= 4) return '*'.repeat(value.length);
  return '*'.repeat(value.length - 4) + value.slice(-4);
}

/** True for a wire field whose value must never be printed in clear. */
export function isSensitiveField(name: string): boolean {
  return HIDDEN.has(name) || MASKED.has(name);
}

/** Hides secrets and card data in values and text before they reach a log or an error. */
export interface Redactor {
  /** A deep copy of `value` with sensitive fields hidden or masked and known secrets replaced. */
  value(value: unknown): unknown;
  /** `text` with every known secret replaced by `[redacted]`. */
  text(text: string): string;
}

/**
 * A {@link Redactor} that replaces each of `secrets` (keys; values shorter than 4 characters are
 * ignored) by `[redacted]` wherever it appears, hides sensitive wire fields (CVN2, EXPDATE, ID_NO,
 * MSG_CODE, keys…) and masks card and account numbers and phones but for their last four characters.
 *
 * @example
 * ```ts
 * import { createRedactor } from '@mmsp/client';
 *
 * const redactor = createRedactor(['your-md5-key']);
 * redactor.value({ CARDNO: '6225123456781234', CVN2: '123', note: 'key your-md5-key' });
 * // { CARDNO: '************1234', CVN2: '[redacted]', note: 'key [redacted]' }
 * ```
 */
export function createRedactor(secrets: readonly (string | undefined)[]): Redactor {
  // Longest first so that a secret containing another is replaced whole.
  const known = secrets
    .filter((s): s is string => typeof s === 'string' && s.length >= 4)
    .sort((a, b) => b.length - a.length);
  const text = (input: string): string => {
    let out = input;
    for (const secret of known) if (out.includes(secret)) out = out.split(secret).join('[redacted]');
    return out;
  };
  const walk = (input: unknown, depth: number, seen: WeakSet<object>): unknown => {
    if (typeof input === 'string') return text(input);
    if (input === null || typeof input !== 'object') return input;
    if (depth > 16 || seen.has(input)) return '[…]';
    seen.add(input);
    if (Array.isArray(input)) return input.map((v) => walk(v, depth + 1, seen));
    if (input instanceof Error) return { name: input.name, message: text(input.message) };
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(input)) {
      let safe: unknown;
      if (HIDDEN.has(k)) safe = v === undefined || v === '' ? v : '[redacted]';
      else if (MASKED.has(k) && (typeof v === 'string' || typeof v === 'number')) safe = maskTail(String(v));
      else safe = walk(v, depth + 1, seen);
      // defineProperty: a `__proto__` key stays an own property, never the copy's prototype.
      Object.defineProperty(out, k, { value: safe, enumerable: true, writable: true, configurable: true });
    }
    return out;
  };
  return { value: (v) => walk(v, 0, new WeakSet()), text };
}
