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
  NOTIFICATION_COMMAND_IDS,
  PhpArray,
  PhpFloat,
  Signer,
  chinaTimeMillis,
  isChinaTime,
  openEnvelope,
  type EnvelopeFamily,
  type OpenEnvelopeOptions,
  type OpenedEnvelope,
  type PhpValue,
  type SignOptions,
} from '@mmsp/codec';

/** A verified "payment succeeded" notification. */
export interface PaidEvent {
  /** Always `paid`. */
  type: 'paid';
  /** The family, read from signed Body fields (never from the unsigned header). */
  family: EnvelopeFamily;
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
  /** For a push that is not a well-formed payment push: which field and which rule (never its value). */
  detail?: string;
  /** The error behind it (`MmspSignatureError`, `MmspEncodingError`, `MmspProtocolError`…). */
  error: MmspError;
}

/** What opening a notification gives: a verified {@link PaidEvent} or a {@link NotificationRejection}. */
export type OpenedNotification = PaidEvent | NotificationRejection;

/** Every CommandID the document uses for a payment push (PROTOCOL §4): the codec's `NOTIFICATION_COMMAND_IDS`. */
export const NOTIFICATION_COMMANDS: readonly number[] = NOTIFICATION_COMMAND_IDS;

/** The key(s) that verify a notification. */
export interface NotificationKeys {
  /** The merchant's MD5 key. */
  key: string;
  /** Agency mode: the agent's MD5 key, which verifies instead of `key`. */
  agentKey?: string;
  /** How the Body is re-encoded for the signature check; the defaults are the document's. */
  signOptions?: SignOptions;
  /** The signer that verifies (a client passes its own); default one of the receiver's own. */
  signer?: Signer;
}

const reject = (reason: RejectionReason, error: MmspError, detail?: string): NotificationRejection => ({
  type: 'rejected',
  reason,
  message: error.message,
  ...(detail !== undefined ? { detail } : {}),
  error,
});
const malformed = (message: string) => reject('malformed', new MmspEncodingError(`notification: ${message}`), message);

function text(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isSafeInteger(v)) return String(v);
  if (typeof v === 'bigint') return v.toString();
  return undefined;
}

/** The family, from signed Body fields only (the header is not signed). */
export function familyOf(body: Record<string, unknown>): EnvelopeFamily {
  const hasListId = body.LIST_ID !== undefined || body['LIST ID'] !== undefined;
  if (!hasListId && body.ORDERNO !== undefined) return 'scan'; // 扫码 §10.8: ORDERNO, TRADETYPE, PAYTIME
  if (body.PAY_CHANNEL !== undefined) return 'gateway'; // 网关 §5.2.2
  return 'quickPay'; // 快捷 §5.5.2
}

function envelopeOptionsOf(keys: NotificationKeys, signer: Signer | undefined): OpenEnvelopeOptions {
  return {
    key: keys.key,
    ...(keys.agentKey !== undefined ? { agentKey: keys.agentKey } : {}),
    ...(keys.signOptions ? { signOptions: keys.signOptions } : {}),
    ...(signer !== undefined ? { signer } : {}),
    requireSignature: true,
  };
}

/** `openNotification` with `keys` fixed: the envelope options and the signer made once (a receiver, a client). */
export function notificationOpener(keys: NotificationKeys): (rawText: string) => OpenedNotification {
  const options = envelopeOptionsOf(keys, keys.signer ?? new Signer());
  return (rawText) => openWith(rawText, options);
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
  return openWith(rawText, envelopeOptionsOf(keys, keys.signer));
}

/** Whether `s` is empty or only white space (`trim()` is only needed when it starts with some). */
function isBlank(s: string): boolean {
  if (s.length === 0) return true;
  const c = s.charCodeAt(0);
  return (c <= 0x20 || c >= 0x7f) && s.trim() === '';
}

function openWith(rawText: string, options: OpenEnvelopeOptions): OpenedNotification {
  if (typeof rawText !== 'string' || isBlank(rawText)) return malformed('empty body');
  // A UTF-8 byte order mark (some proxies and PHP files add one) is not part of the JSON: every
  // adapter ignores it alike, whether or not its decoder already dropped it. Only the Body is signed.
  if (rawText.charCodeAt(0) === 0xfeff) rawText = rawText.slice(1);
  let opened: ReturnType<typeof openEnvelope>;
  try {
    opened = openEnvelope(rawText, options);
  } catch (error) {
    if (error instanceof MmspSignatureError) return reject('bad-signature', error);
    // A negative response (32768) or an unexpected command is not a push; a RetCode ≠ 1 is a broken one.
    if (error instanceof MmspProtocolError)
      return reject(error.commandId === 32768 ? 'unknown-command' : 'malformed', error);
    if (error instanceof MmspError) return reject('malformed', error);
    return malformed('the text could not be read');
  }
  const command = Number(opened.commandId);
  if (!NOTIFICATION_COMMANDS.includes(command)) {
    return reject(
      'unknown-command',
      new MmspProtocolError(
        `notification: CommandID ${Number.isFinite(command) ? command : '?'} is not a payment push (expected one of ${NOTIFICATION_COMMANDS.join(', ')})`,
        { commandId: command },
      ),
    );
  }
  const body = opened.plainBody as Record<string, unknown>;
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return malformed('Body is not an object');
  // A push is recognised by its documented fields and their documented types, never by the
  // signature alone: requests and pushes are signed with the same key, so a captured request body
  // (a refund, a micropay) re-posted as a push must not read as a payment (issue #13 item 5).
  const family = familyOf(body);
  return paidEventOf(family, PUSH_CHECKS[family], command, body, opened);
}

/** The push CommandIDs of the families that carry LIST_ID (quick pay and gateway share 35104 in the examples). */
const LIST_ID_COMMANDS: readonly number[] = [35104, 35090];

/** What the push checks read from one family's notification spec (the codec's `notifications`). */
export interface PushTable {
  /** The spec's `commandIds`. */
  commandIds: readonly number[];
  /** `roles.merchantOrderId`: the wire name of the merchant's order number. */
  merchantOrderId: string;
  /** `roles.platformOrderId`: the wire name of the platform's order number. */
  platformOrderId: string;
  /** `roles.paidAt`: the wire name of the payment time. */
  paidAt: string;
  /** `maxLength` of the spec's fields that have one, by wire name (AMT and the two order numbers are read). */
  maxLength: Readonly<Record<string, number>>;
  /** The spec's documented times (`format` timestamp14 or dateTime), in the table's order. */
  times: readonly { name: string; format: 'timestamp14' | 'dateTime' }[];
}

/**
 * Each family's push table, written out from the catalogue's notification specs so that a receiver
 * does not bundle the specs themselves: `test/push-table.test.ts` derives it from `notifications`
 * and fails when the two disagree.
 */
export const PUSH_TABLE: Readonly<Record<EnvelopeFamily, PushTable>> = {
  quickPay: {
    commandIds: [35104],
    merchantOrderId: 'MERORDERID',
    platformOrderId: 'LIST_ID',
    paidAt: 'PAY_DATE',
    maxLength: { MERORDERID: 32, LIST_ID: 32, AMT: 12 },
    times: [
      { name: 'PAY_DATE', format: 'timestamp14' },
      { name: 'NOTIFY_DATE', format: 'timestamp14' },
    ],
  },
  scan: {
    commandIds: [2324],
    merchantOrderId: 'MERORDERID',
    platformOrderId: 'ORDERNO',
    paidAt: 'PAYTIME',
    maxLength: { MERORDERID: 20, ORDERNO: 20 },
    times: [
      { name: 'TRDETIME', format: 'dateTime' },
      { name: 'TRADETIME', format: 'dateTime' },
      { name: 'PAYTIME', format: 'dateTime' },
    ],
  },
  gateway: {
    commandIds: [35090, 35104],
    merchantOrderId: 'MERORDERID',
    platformOrderId: 'LIST_ID',
    paidAt: 'PAY_DATE',
    maxLength: { MERORDERID: 32, LIST_ID: 32, AMT: 12 },
    times: [
      { name: 'PAY_DATE', format: 'timestamp14' },
      { name: 'NOTIFY_DATE', format: 'timestamp14' },
    ],
  },
};

function maxLengthOf(table: PushTable, name: string): number | undefined {
  return Object.prototype.hasOwnProperty.call(table.maxLength, name) ? table.maxLength[name] : undefined;
}

/** One documented time of a push, as the checks read it. */
interface PushTime {
  name: string;
  format: 'timestamp14' | 'dateTime';
  /** The payment time: required, and read as an instant (the event's `paidAt`); the others are only checked when present. */
  paid: boolean;
  /** The rejection's text when it is not a valid time of its format. */
  problem: string;
}

/** What the push checks of one family read, from its {@link PushTable}, made once. */
interface PushChecks {
  /** The family's push CommandIDs (quick pay and gateway accept each other's, as in the examples). */
  commands: readonly number[];
  /** `maxLength` of AMT (20 when the table gives none). */
  amtMax: number;
  merchantOrderId: string;
  merchantMax: number;
  platformOrderId: string;
  platformMax: number;
  /** The documented times, in the table's order. */
  times: readonly PushTime[];
}

function pushChecksOf(family: EnvelopeFamily): PushChecks {
  const table = PUSH_TABLE[family];
  return {
    commands: family === 'scan' ? table.commandIds : LIST_ID_COMMANDS,
    amtMax: maxLengthOf(table, 'AMT') ?? 20,
    merchantOrderId: table.merchantOrderId,
    merchantMax: maxLengthOf(table, table.merchantOrderId) ?? 64,
    platformOrderId: table.platformOrderId,
    platformMax: maxLengthOf(table, table.platformOrderId) ?? 64,
    times: table.times.map((t) => ({
      name: t.name,
      format: t.format,
      paid: t.name === table.paidAt,
      problem: `${t.name} must be a China time ${t.format === 'timestamp14' ? 'YYYYMMDDhhmmss' : 'YYYY-MM-DD hh:mm:ss'}`,
    })),
  };
}

const PUSH_CHECKS: Readonly<Record<EnvelopeFamily, PushChecks>> = {
  quickPay: pushChecksOf('quickPay'),
  scan: pushChecksOf('scan'),
  gateway: pushChecksOf('gateway'),
};

/**
 * `value` read as a pushed China time of `format` (`timestamp14` YYYYMMDDhhmmss, `dateTime`
 * YYYY-MM-DD hh:mm:ss), in milliseconds since the epoch, or NaN when it is not one: the codec's
 * `chinaTimeMillis` (the reader of `parseChinaTime`) on a text of the format's length, which
 * tells the codec's formats apart (test/push-times.property.test.ts). Internal.
 */
export function pushedTimeMs(value: string, format: 'timestamp14' | 'dateTime'): number {
  return value.length === (format === 'timestamp14' ? 14 : 19) ? chinaTimeMillis(value) : NaN;
}

/** Whether `value` is a pushed China time of `format`: `pushedTimeMs` without computing the instant. Internal. */
export function isPushedTime(value: string, format: 'timestamp14' | 'dateTime'): boolean {
  return value.length === (format === 'timestamp14' ? 14 : 19) && isChinaTime(value);
}

/** Whether `s` is an order number of at most `max` characters: printable ASCII without spaces (the document's ids are digits and letters). */
function isOrderId(s: string, max: number): boolean {
  const n = s.length;
  if (n > max) return false;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x21 || c > 0x7e) return false;
  }
  return true;
}

/** Whether `s` is a positive integer in fen written as at most `max` digits, without a leading zero. */
function isFenDigits(s: string, max: number): boolean {
  const n = s.length;
  if (n === 0 || n > max || s.charCodeAt(0) === 48) return false;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/**
 * A Body field as the PHP model holds it. A string, boolean or null reads the same in the plain
 * Body and in the PHP model; only a number (integer or float?) or a container needs the model,
 * which an envelope read by the flat reader then makes on first use.
 */
function rawOf(body: Record<string, unknown>, opened: OpenedEnvelope, name: string): PhpValue | undefined {
  return modelOf(body[name], opened, name);
}

/** `rawOf` of a field already read from the plain Body (`v` is `body[name]`). */
function modelOf(v: unknown, opened: OpenedEnvelope, name: string): PhpValue | undefined {
  if (v === undefined || v === null || typeof v === 'string' || typeof v === 'boolean') return v;
  const model = opened.body;
  return model instanceof PhpArray ? model.get(name) : (v as PhpValue);
}

/**
 * The merchant's or the platform's order number `name` (at most `max` characters) as text, or why
 * it is not one. A JSON integer reads as its digits.
 */
function orderIdOf(
  body: Record<string, unknown>,
  opened: OpenedEnvelope,
  name: string,
  max: number,
): string | NotificationRejection {
  const value = rawOf(body, opened, name) ?? (name === 'LIST_ID' ? rawOf(body, opened, 'LIST ID') : undefined);
  const asText =
    typeof value === 'string'
      ? value
      : typeof value === 'number' && Number.isSafeInteger(value) && value >= 0
        ? String(value)
        : undefined;
  if (asText === undefined || asText === '') return malformed(`${name} is missing or not an order number`);
  if (!isOrderId(asText, max))
    return malformed(`${name} must be an order number of at most ${max} printable characters without spaces`);
  return asText;
}

/** Why `STATUS` (not exactly 1) keeps a Body from being a payment push. */
function statusProblem(status: PhpValue | undefined, command: number): NotificationRejection {
  const shape =
    status === undefined
      ? 'missing'
      : status === null
        ? 'null'
        : status instanceof PhpFloat
          ? 'a float'
          : Array.isArray(status) || status instanceof PhpArray
            ? 'an array'
            : typeof status === 'string' && /^[023]$/.test(status)
              ? `${status}`
              : typeof status === 'number' && [0, 2, 3].includes(status)
                ? String(status)
                : `a ${typeof status}`;
  const detail = `STATUS must be exactly 1 (a successful payment; only successes are pushed), got ${shape}`;
  const notPaid = /^[023]$/.test(shape);
  return reject(
    notPaid ? 'not-paid' : 'malformed',
    notPaid
      ? new MmspProtocolError(`notification: ${detail}`, { commandId: command })
      : new MmspEncodingError(`notification: ${detail}`),
    detail,
  );
}

/**
 * The verified Body read as a payment push of `family`, or what keeps it from being one: the
 * family's push CommandID, `STATUS` exactly 1 (the integer or the one-character string), `AMT` a
 * positive integer in fen written as digits (a JSON integer or a digit string: never `1e2`,
 * `100.0`, `-0`, `0`), the merchant's and the platform's order numbers, the payment time in the
 * family's format, and every other documented time that is present (only checked: its instant is
 * not computed). The rejection names the field and the rule, never a value. Each field is read
 * once; what the checks read is what the event carries.
 */
function paidEventOf(
  family: EnvelopeFamily,
  spec: PushChecks,
  command: number,
  body: Record<string, unknown>,
  opened: OpenedEnvelope,
): OpenedNotification {
  const allowed = spec.commands;
  if (!allowed.includes(command)) {
    const detail = `CommandID ${command} is not the ${family} push (expected ${allowed.join(' or ')})`;
    return reject('unknown-command', new MmspProtocolError(`notification: ${detail}`, { commandId: command }), detail);
  }
  // Every family names these two alike: read by name, not through the table.
  const status = modelOf(body.STATUS, opened, 'STATUS');
  if (status !== '1' && status !== 1) return statusProblem(status, command);
  const amt = modelOf(body.AMT, opened, 'AMT');
  const amount =
    typeof amt === 'string'
      ? isFenDigits(amt, spec.amtMax)
        ? amt
        : undefined
      : typeof amt === 'number' && Number.isSafeInteger(amt) && amt > 0
        ? String(amt)
        : undefined;
  if (amount === undefined) return malformed('AMT must be a positive integer amount in fen written as digits');
  const merchantOrderId = orderIdOf(body, opened, spec.merchantOrderId, spec.merchantMax);
  if (typeof merchantOrderId !== 'string') return merchantOrderId;
  const platformOrderId = orderIdOf(body, opened, spec.platformOrderId, spec.platformMax);
  if (typeof platformOrderId !== 'string') return platformOrderId;
  let paidMs: number | undefined;
  const times = spec.times;
  for (let i = 0; i < times.length; i++) {
    const field = times[i]!;
    const value = rawOf(body, opened, field.name);
    if (value === undefined && !field.paid) continue;
    if (typeof value !== 'string') return malformed(field.problem);
    if (field.paid) {
      paidMs = pushedTimeMs(value, field.format);
      if (Number.isNaN(paidMs)) return malformed(field.problem);
    } else if (!isPushedTime(value, field.format)) return malformed(field.problem);
  }
  // `PAY_DATE`, else `PAYTIME`: that is the family's payment time, which the checks read, unless
  // a scan-code push also carries a `PAY_DATE` (then that one, when it reads as a time).
  if (paidMs === undefined || family === 'scan') {
    const when = text(body.PAY_DATE) ?? (paidMs === undefined ? text(body.PAYTIME) : undefined);
    if (when !== undefined) {
      const ms = chinaTimeMillis(when);
      paidMs = Number.isNaN(ms) ? undefined : ms; // else paidAt stays absent; the raw text is in body.
    }
  }
  return paidMs === undefined
    ? { type: 'paid', family, command, merchantOrderId, platformOrderId, amount, body }
    : { type: 'paid', family, command, merchantOrderId, platformOrderId, amount, body, paidAt: new Date(paidMs) };
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
