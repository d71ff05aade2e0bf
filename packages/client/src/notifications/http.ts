// The HTTP-level part of receiving a pushed notification (PROTOCOL §5: the platform POSTs the envelope
// JSON as the raw body), shared by every receiver adapter (@mmsp/http-node, @mmsp/fetch-edge and
// through them @mmsp/nestjs-module) so they refuse the same requests with the same status and
// text. Framework-free: the adapter reads the method, headers and body bytes its own way and asks.
// Each answer starts with FAIL, so the platform never takes a refusal for an acknowledgement.
import type { FieldIssue } from '@mmsp/codec';

/** A refusal of the request before `notifications.handle` sees the text. */
export interface NotificationHttpAnswer {
  /** The HTTP status (400, 405, 413, 415, 500). */
  status: number;
  /** The plain-text body, starting with `FAIL` (never `SUCCESS`: the platform retries). */
  body: string;
  /** Extra response headers (405 names the allowed method). */
  headers?: Readonly<Record<string, string>>;
}

/** Refusals that do not depend on the request (400 unreadable / not UTF-8, 500 internal). */
export const NOTIFICATION_HTTP_ANSWERS = Object.freeze({
  /** The connection broke while the body was read: the platform retries. */
  unreadable: Object.freeze({ status: 400, body: 'FAIL the request body could not be read' }),
  notUtf8: Object.freeze({ status: 400, body: 'FAIL body is not valid UTF-8' }),
  /** `handle` answers every expected case itself; anything else is ours to retry, never SUCCESS. */
  internal: Object.freeze({ status: 500, body: 'FAIL internal error' }),
}) satisfies Readonly<Record<string, NotificationHttpAnswer>>;

/** Media types the platform may use for its raw JSON body (PHP's curl sends form-urlencoded by default). */
const ACCEPTED_TYPES = new Set(['application/json', 'text/plain', 'application/x-www-form-urlencoded', 'text/json']);

/** Why a Content-Type header is refused, or `undefined` when acceptable (or absent). */
function contentTypeProblem(header: string | readonly string[] | null | undefined): string | undefined {
  if (
    header === undefined ||
    header === null ||
    header === '' ||
    (typeof header === 'string' && ACCEPTED_TYPES.has(header))
  )
    return undefined;
  const value = typeof header === 'string' ? header : header.join(',');
  const [type, ...params] = value.split(';').map((p) => p.trim().toLowerCase());
  if (!type || !ACCEPTED_TYPES.has(type)) return `content type ${type ? type.slice(0, 60) : '(empty)'} is not accepted`;
  for (const p of params) {
    const [name, raw] = p.split('=');
    const charset = raw?.replace(/^"|"$/g, '');
    if (name === 'charset' && charset !== 'utf-8' && charset !== 'utf8')
      return `charset ${charset?.slice(0, 20)} is not accepted (UTF-8 only)`;
  }
  return undefined;
}

/** What a receiver knows of a notification request before reading its body, for {@link notificationRequestProblem}. */
export interface NotificationRequestFacts {
  /** Checked when given: only POST (405 otherwise). */
  method?: string | undefined;
  /** Checked when given: the Content-Type header (415 for another type or a charset other than UTF-8). */
  contentType?: string | readonly string[] | null | undefined;
  /** Body bytes, declared (Content-Length) or read so far; checked against `maxBodyBytes` when both are numbers (413). */
  size?: number | undefined;
  /** The receiver's limit (default {@link DEFAULT_NOTIFICATION_MAX_BODY_BYTES}, 64 KiB). */
  maxBodyBytes?: number | undefined;
}

/**
 * The refusal a notification request deserves on what is known so far, or `undefined` to carry on:
 * 405 for a method other than POST, 415 for a content type the platform would not send, 413 for a
 * body larger than `maxBodyBytes`. Call it before reading (method, headers, declared length) and
 * again with the running size while reading.
 */
export function notificationRequestProblem(facts: NotificationRequestFacts): NotificationHttpAnswer | undefined {
  if ('method' in facts && facts.method !== 'POST')
    return { status: 405, body: 'FAIL method not allowed', headers: { allow: 'POST' } };
  const problem = contentTypeProblem(facts.contentType);
  if (problem) return { status: 415, body: `FAIL ${problem}` };
  const { size, maxBodyBytes } = facts;
  if (typeof size === 'number' && typeof maxBodyBytes === 'number' && size > maxBodyBytes) {
    return { status: 413, body: `FAIL body larger than ${maxBodyBytes} bytes` };
  }
  return undefined;
}

/** Largest notification body a receiver accepts unless configured (a notification is about 1 KiB). */
export const DEFAULT_NOTIFICATION_MAX_BODY_BYTES = 64 * 1024;

/** The options every receiver adapter takes, as given (unchecked). */
export interface NotificationEndpointOptions {
  /** The merchant's `onPaid` handler (required). */
  onPaid?: unknown;
  /** A client whose `notifications.handle` decides (or `key`, not both). */
  client?: { notifications?: { handle?: unknown } } | undefined;
  /** The MD5 key, for a receiver without a client (or `client`, not both). */
  key?: unknown;
  /** The body limit in bytes (default {@link DEFAULT_NOTIFICATION_MAX_BODY_BYTES}). */
  maxBodyBytes?: number | undefined;
  /** How long a claim lasts without an extend, in ms (checked: a positive integer). */
  claimTtlMs?: number | undefined;
  /** How long the handler may run, in ms (checked: a positive integer). */
  handlerTimeoutMs?: number | undefined;
}

/**
 * The problems of a receiver adapter's common options (`onPaid`; `client` or `key`, not both;
 * `maxBodyBytes`, `claimTtlMs`, `handlerTimeoutMs`), all at once, and the body limit in force. The adapter adds its own and throws
 * one `MmspConfigError`. Messages name the option, never a key's value.
 */
export function notificationEndpointIssues(options: NotificationEndpointOptions): {
  issues: FieldIssue[];
  maxBodyBytes: number;
} {
  const o = options ?? {};
  const issues: FieldIssue[] = [];
  if (typeof o.onPaid !== 'function')
    issues.push({
      field: 'onPaid',
      rule: 'required',
      message: 'onPaid is required: a function run once per paid order',
    });
  if (o.client && o.key !== undefined)
    issues.push({ field: 'key', rule: 'exclusive', message: 'give either client or key, not both' });
  if (!o.client && o.key === undefined)
    issues.push({
      field: 'key',
      rule: 'required',
      message: 'key (the MD5 key) or client is required to verify notifications',
    });
  if (o.client && typeof o.client.notifications?.handle !== 'function')
    issues.push({
      field: 'client',
      rule: 'type',
      message: 'client must be an MMSP client (client.notifications.handle)',
    });
  const maxBodyBytes = o.maxBodyBytes ?? DEFAULT_NOTIFICATION_MAX_BODY_BYTES;
  if (!Number.isSafeInteger(maxBodyBytes) || maxBodyBytes <= 0)
    issues.push({ field: 'maxBodyBytes', rule: 'positiveInteger', message: 'maxBodyBytes must be a positive integer' });
  for (const field of ['claimTtlMs', 'handlerTimeoutMs'] as const) {
    const value = o[field];
    if (value !== undefined && (!Number.isSafeInteger(value) || value <= 0))
      issues.push({
        field,
        rule: 'positiveInteger',
        message: `${field} must be a positive integer number of milliseconds`,
      });
  }
  return { issues, maxBodyBytes };
}
