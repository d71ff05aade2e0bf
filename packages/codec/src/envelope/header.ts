/**
 * The envelope's header (PROTOCOL §2): the families' defaults, and the readers of its fields that
 * the opening side (envelope/open.ts) and the platform side (envelope/parse-request.ts) share.
 */
import type { Family } from '../crypto-provider.js';
import { MmspEncodingError, type FieldIssue } from '../errors.js';
import { PhpArray, PhpFloat, type PhpValue } from '../php-json/value.js';
import { phpJsonDecode } from '../php-json/decode.js';
import { toPlain } from '../php-json/js.js';

/** CommandID of the platform's negative response 统一否定应答 (0x8000). */
export const NEGATIVE_RESPONSE_COMMAND_ID = 32768;

/** The header defaults of a family (PROTOCOL §2; quick pay §3.1, scan code §3.1, gateway §3.1). */
export interface HeaderDefaults {
  /** `NodeType`: 3 (the merchant's own system) for every family. */
  readonly nodeType: number;
  /** `NodeID`: `openplat` for scan code, `openapi` for quick pay and gateway. */
  readonly nodeId: string;
  /** `Version`: `1.0.0`. */
  readonly version: string;
}

/**
 * The families that speak the MD5 envelope: quick pay, scan code and gateway. The payout family
 * sends `{ENCRYPT, SIGN}` instead (PROTOCOL §6).
 */
export type EnvelopeFamily = Exclude<Family, 'payout'>;

/**
 * NodeType 3, Version `1.0.0`; NodeID `openplat` for scan code, `openapi` for quick pay and gateway.
 * The payout family has no MD5 envelope (it sends `{ENCRYPT, SIGN}`, PROTOCOL §6).
 */
export function headerDefaults(family: Family): HeaderDefaults {
  switch (family) {
    case 'quickPay':
    case 'gateway':
      return { nodeType: 3, nodeId: 'openapi', version: '1.0.0' };
    case 'scan':
      return { nodeType: 3, nodeId: 'openplat', version: '1.0.0' };
    case 'payout':
      throw new TypeError(
        'headerDefaults: the payout family has no MD5 envelope; it sends {ENCRYPT, SIGN} (docs/PROTOCOL.md §6)',
      );
    default:
      throw new TypeError(`headerDefaults: unknown family (expected quickPay, scan or gateway)`);
  }
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function shape(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'string') return `string(${value.length})`;
  return typeof value;
}

export function checkText(
  issues: FieldIssue[],
  field: string,
  value: unknown,
  rule: { required: boolean; secret?: boolean },
): void {
  if (value === undefined && !rule.required) return;
  if (typeof value !== 'string' || (rule.required && value === '')) {
    issues.push({ field, rule: 'required', message: `${field} must be a non-empty string`, got: shape(value) });
  } else if (LONE_SURROGATE.test(value)) {
    issues.push({
      field,
      rule: 'utf8',
      message: `${field} contains a lone UTF-16 surrogate, which PHP cannot decode`,
      ...(rule.secret ? {} : { got: shape(value) }),
    });
  }
}

export function checkInt(issues: FieldIssue[], field: string, value: unknown, min: number): void {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    issues.push({ field, rule: 'integer', message: `${field} must be an integer ≥ ${min}`, got: shape(value) });
  }
}

/** The top-level fields of an envelope: the PHP model (`PhpArray`) or the flat reader's header (envelope/flat-read.ts). */
export interface Fields {
  get(field: string): PhpValue | undefined;
  has(field: string): boolean;
}

/** A PHP value read from the header, or the reason it cannot be used. */
export type Read<T> = { ok: true; value: T } | { ok: false; rule: string; message: string; got: string };

export function phpShape(value: PhpValue | undefined): string {
  if (value === undefined) return 'missing';
  if (value instanceof PhpArray) return 'object';
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) return 'float';
  return shape(value);
}

/** An integer header field: JSON integer, or a string of digits (the examples send `"SeqID":"1"`, PROTOCOL §2). */
export function readInt(raw: Fields, field: string): Read<number> {
  const v = raw.get(field);
  // An integral float (`1.0`, `1e2`: only the PHP model reads floats) is the integer, as PHP's `==` reads it.
  const n = v instanceof PhpFloat ? v.value : v;
  if (typeof n === 'number' && Number.isSafeInteger(n)) return { ok: true, value: n === 0 ? 0 : n };
  if (typeof v === 'string' && /^-?\d{1,15}$/.test(v.trim())) return { ok: true, value: Number(v.trim()) };
  if (v === undefined) return { ok: false, rule: 'required', message: `${field} is missing`, got: 'missing' };
  return {
    ok: false,
    rule: 'integer',
    message: `${field} must be an integer (or a string of digits)`,
    got: phpShape(v),
  };
}

/** A text header field; `null` and absence read as `""` when `optional`. */
export function readText(raw: Fields, field: string, optional: boolean): Read<string> {
  const v = raw.get(field);
  if (typeof v === 'string') return { ok: true, value: v };
  if ((v === undefined || v === null) && optional) return { ok: true, value: '' };
  if (v === undefined) return { ok: false, rule: 'required', message: `${field} is missing`, got: 'missing' };
  if (typeof v === 'number' || typeof v === 'bigint') return { ok: true, value: String(v) };
  if (v instanceof PhpFloat && Number.isSafeInteger(v.value)) return { ok: true, value: String(v.value) };
  return { ok: false, rule: 'type', message: `${field} must be a string`, got: phpShape(v) };
}

export function decodeEnvelope(text: unknown): PhpArray {
  if (typeof text !== 'string') {
    throw new MmspEncodingError(`The envelope must be JSON text; got ${shape(text)}`);
  }
  let raw: PhpValue;
  try {
    raw = phpJsonDecode(text);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new MmspEncodingError(`The envelope is not valid JSON: ${reason}`, { cause: err });
  }
  if (!(raw instanceof PhpArray)) {
    throw new MmspEncodingError(
      `The envelope must be a JSON object with CommandID, …, Body and Sign; got ${phpShape(raw)}`,
    );
  }
  return raw;
}

type BodyRead = { ok: true; body: PhpArray | PhpValue[] } | { ok: false; rule: string; message: string; got: string };

/** Body: an object (PROTOCOL §2), or a JSON string holding one (the tables type it "string(x)"). */
export function readBody(raw: PhpArray): BodyRead {
  const v = raw.get('Body');
  if (v instanceof PhpArray || Array.isArray(v)) return { ok: true, body: v };
  if (typeof v === 'string' && v.trim() !== '') {
    let inner: PhpValue;
    try {
      inner = phpJsonDecode(v);
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      return {
        ok: false,
        rule: 'json',
        message: `Body is a string that is not valid JSON: ${reason}`,
        got: `string(${v.length})`,
      };
    }
    if (inner instanceof PhpArray || Array.isArray(inner)) return { ok: true, body: inner };
    return {
      ok: false,
      rule: 'type',
      message: 'Body is a JSON string that does not hold an object',
      got: phpShape(inner),
    };
  }
  if (v === undefined || v === '' || v === null)
    return { ok: false, rule: 'required', message: 'Body is missing or empty', got: phpShape(v) };
  return {
    ok: false,
    rule: 'type',
    message: 'Body must be an object (or a JSON string holding one)',
    got: phpShape(v),
  };
}

export function plainOf(body: PhpArray | PhpValue[]): Record<string, unknown> {
  const plain = toPlain(body);
  if (Array.isArray(plain)) {
    // `{}` decodes to an empty list in PHP (PROTOCOL §3): present it as an empty object.
    const out: Record<string, unknown> = {};
    plain.forEach((v, i) => {
      out[String(i)] = v;
    });
    return out;
  }
  return plain as Record<string, unknown>;
}
