/**
 * Opening a pushed payment notification (PROTOCOL §5; 快捷 §5.5, 网关 §5.2, 扫码 §10.8). The platform
 * POSTs the envelope JSON; only the signature over the Body is trusted. The CommandID (35104 in
 * the quick pay and gateway examples, 35090 in the gateway table, 2324 in the scan-code table) is
 * accepted in any of its variants but never used to decide anything that matters: the header is
 * not signed, so the family and the ids come from the signed Body alone.
 */
import {
  MmspEncodingError,
  MmspError,
  MmspProtocolError,
  MmspSignatureError,
  openEnvelope,
  parseChinaTime,
  type OpenEnvelopeOptions,
  type SignOptions,
} from '@mmsp/codec';

/** The families that push a payment result: quick pay, scan code and gateway (payouts are queried). */
export type NotificationFamily = 'quickPay' | 'scan' | 'gateway';

/** A verified "payment succeeded" notification. */
export interface PaidEvent {
  /** Always `paid`. */
  type: 'paid';
  /** The family, read from signed Body fields (never from the unsigned header). */
  family: NotificationFamily;
  /** The CommandID the platform used (35104, 35090 or 2324). */
  command: number;
  /** `MERORDERID`. */
  merchantOrderId: string;
  /** `LIST_ID` (quick pay, gateway) or `ORDERNO` (scan code). */
  platformOrderId: string;
  /** `AMT`: integer fen as a string (PROTOCOL §7). */
  amount: string;
  /** `PAY_DATE` (YYYYMMDDHHmmss) or `PAYTIME` (YYYY-MM-DD HH:mm:ss), China time. */
  paidAt?: Date;
  /** The verified Body with the document's wire field names. */
  body: Record<string, unknown>;
}

/**
 * Why a notification was not accepted: its signature does not verify, it is not a readable
 * envelope, its CommandID is not a payment push, or its Body does not say the payment succeeded.
 */
export type RejectionReason = 'bad-signature' | 'malformed' | 'unknown-command' | 'not-paid';

/** A notification that was not accepted, and why (answered 400; the handler never runs). */
export interface NotificationRejection {
  /** Always `rejected`. */
  type: 'rejected';
  /** Why (see {@link RejectionReason}). */
  reason: RejectionReason;
  /** Short text, never a secret or card data. */
  message: string;
  /** The error behind it (`MmspSignatureError`, `MmspEncodingError`, `MmspProtocolError`…). */
  error: MmspError;
}

/** What opening a notification gives: a verified {@link PaidEvent} or a {@link NotificationRejection}. */
export type OpenedNotification = PaidEvent | NotificationRejection;

/** Every CommandID the document uses for a payment push (PROTOCOL §4). */
export const NOTIFICATION_COMMANDS: readonly number[] = [35104, 35090, 2324];

/** The key(s) that verify a notification. */
export interface NotificationKeys {
  /** The merchant's MD5 key. */
  key: string;
  /** Agency mode: the agent's MD5 key, which verifies instead of `key`. */
  agentKey?: string;
  /** How the Body is re-encoded for the signature check; the defaults are the document's. */
  signOptions?: SignOptions;
}

const reject = (reason: RejectionReason, error: MmspError): NotificationRejection => ({ type: 'rejected', reason, message: error.message, error });
const malformed = (message: string) => reject('malformed', new MmspEncodingError(`notification: ${message}`));

function text(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isSafeInteger(v)) return String(v);
  if (typeof v === 'bigint') return v.toString();
  return undefined;
}

/** The family, from signed Body fields only (the header is not signed). */
export function familyOf(body: Record<string, unknown>): NotificationFamily {
  const hasListId = body.LIST_ID !== undefined || body['LIST ID'] !== undefined;
  if (!hasListId && body.ORDERNO !== undefined) return 'scan'; // 扫码 §10.8: ORDERNO, TRADETYPE, PAYTIME
  if (body.PAY_CHANNEL !== undefined) return 'gateway'; // 网关 §5.2.2
  return 'quickPay'; // 快捷 §5.5.2
}

/**
 * The last `openEnvelope` options made, reused while the keys' values stay the same (a receiver opens
 * every notification with one key; a client passes a fresh keys object each time, with equal values).
 */
let lastOptions: OpenEnvelopeOptions | undefined;

function envelopeOptionsOf(keys: NotificationKeys): OpenEnvelopeOptions {
  const o = lastOptions;
  if (o !== undefined && o.key === keys.key && o.agentKey === keys.agentKey && o.signOptions === keys.signOptions) return o;
  return (lastOptions = {
    key: keys.key,
    ...(keys.agentKey !== undefined ? { agentKey: keys.agentKey } : {}),
    ...(keys.signOptions ? { signOptions: keys.signOptions } : {}),
    requireSignature: true,
  });
}

/**
 * Verifies and reads one pushed notification (PROTOCOL §5): only the signature over the Body is
 * trusted, so the family and the ids come from the signed Body, never from the header. Never throws:
 * a bad message is a {@link NotificationRejection}. `client.notifications.open` is this with the
 * client's keys.
 *
 * @example
 * ```ts
 * import { openNotification } from '@mmsp/client';
 *
 * declare const rawText: string;
 * const opened = openNotification(rawText, { key: 'your-md5-key' });
 * if (opened.type === 'paid') console.log(opened.merchantOrderId, opened.amount, opened.paidAt);
 * else console.warn(opened.reason, opened.message);
 * ```
 */
export function openNotification(rawText: string, keys: NotificationKeys): OpenedNotification {
  if (typeof rawText !== 'string' || rawText.trim() === '') return malformed('empty body');
  // A UTF-8 byte order mark (some proxies and PHP files add one) is not part of the JSON: every
  // adapter ignores it alike, whether or not its decoder already dropped it. Only the Body is signed.
  if (rawText.charCodeAt(0) === 0xfeff) rawText = rawText.slice(1);
  let opened: ReturnType<typeof openEnvelope>;
  try {
    opened = openEnvelope(rawText, envelopeOptionsOf(keys));
  } catch (error) {
    if (error instanceof MmspSignatureError) return reject('bad-signature', error);
    // A negative response (32768) or an unexpected command is not a push; a RetCode ≠ 1 is a broken one.
    if (error instanceof MmspProtocolError) return reject(error.commandId === 32768 ? 'unknown-command' : 'malformed', error);
    if (error instanceof MmspError) return reject('malformed', error);
    return malformed('the text could not be read');
  }
  const command = Number(opened.commandId);
  if (!NOTIFICATION_COMMANDS.includes(command)) {
    return reject('unknown-command', new MmspProtocolError(`notification: CommandID ${Number.isFinite(command) ? command : '?'} is not a payment push (expected one of ${NOTIFICATION_COMMANDS.join(', ')})`, { commandId: command }));
  }
  const body = opened.plainBody as Record<string, unknown>;
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return malformed('Body is not an object');
  const status = text(body.STATUS);
  if (status !== undefined && status.trim() !== '1') {
    return reject('not-paid', new MmspProtocolError(`notification: STATUS ${status.slice(0, 4)} is not a successful payment (only successes are pushed, docs/PROTOCOL.md §5)`, { commandId: command }));
  }
  const merchantOrderId = text(body.MERORDERID);
  if (!merchantOrderId) return malformed('MERORDERID is missing');
  const family = familyOf(body);
  const platformOrderId = family === 'scan' ? text(body.ORDERNO) : text(body.LIST_ID) ?? text(body['LIST ID']);
  if (!platformOrderId) return malformed(`${family === 'scan' ? 'ORDERNO' : 'LIST_ID'} is missing`);
  const amount = text(body.AMT);
  if (amount === undefined || !/^(0|[1-9][0-9]*)$/.test(amount)) return malformed('AMT must be an integer amount in fen');
  const event: PaidEvent = { type: 'paid', family, command, merchantOrderId, platformOrderId, amount, body };
  const when = text(body.PAY_DATE) ?? text(body.PAYTIME);
  if (when !== undefined) {
    try {
      const date = parseChinaTime(when);
      if (!Number.isNaN(date.getTime())) event.paidAt = date;
    } catch {
      // paidAt stays absent; the raw text is in body.
    }
  }
  return event;
}

/**
 * The id a notification store deduplicates on: family + MERORDERID + platform order id, all from
 * the signed Body (a replay with an edited, unsigned header maps to the same id). The parts are
 * percent-encoded; ids of plain alphanumeric orders read as `mmsp:quickPay:<MERORDERID>:<LIST_ID>`.
 */
export function notificationId(event: Pick<PaidEvent, 'family' | 'merchantOrderId' | 'platformOrderId'>): string {
  // Each part percent-encoded, so `a:b` + `c` and `a` + `b:c` never share an id.
  return `mmsp:${event.family}:${uriComponent(event.merchantOrderId)}:${uriComponent(event.platformOrderId)}`;
}

/** What `encodeURIComponent` leaves as it is: order ids almost always consist of these alone. */
const URI_UNRESERVED = /^[A-Za-z0-9\-_.!~*'()]*$/;

/** `encodeURIComponent(s)`, without its cost for the common all-unreserved id. */
function uriComponent(s: string): string {
  return URI_UNRESERVED.test(s) ? s : encodeURIComponent(s);
}
