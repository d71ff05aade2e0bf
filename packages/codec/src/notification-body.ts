// The Body of a pushed payment-result notification (PROTOCOL §5), filled from the catalogue's
// `notifications` specs and their `notificationRoles` rather than written out per family:
// quick pay §5.5.2, gateway §5.2.2, scan code §10.8. What a platform stand-in (the sandbox, the
// CLI's `mmsp notify`, a test) sends; a receiver never needs it.
import { MmspEncodingError } from './errors.js';
import { notifications } from './catalogue/index.js';
import type { EnvelopeFamily } from './envelope/header.js';
import type { FieldSpec, NotificationSpec } from './catalogue/types.js';
import { chinaDateTime, chinaTime } from './time.js';

/** What {@link buildNotificationBody} fills into a family's notification Body (by the catalogue's field roles). */
export interface NotificationBodyInput {
  /** The merchant's order number (`MERORDERID`). */
  merchantOrderId: string;
  /** The platform's order number (`LIST_ID`, scan code `ORDERNO`). */
  platformOrderId: string;
  /** Integer fen as digits (PROTOCOL §7); scan code sends it as a JSON number (§10.8 AMT int(20)). */
  amount: string;
  /** When the payment succeeded (written as China time in the family's format). */
  paidAt: Date;
  /** NOTIFY_DATE (quick pay, gateway). Default: now. */
  notifiedAt?: Date;
  /** Scan code TRDETIME, the trade (order) time. Default: `paidAt`. */
  tradeTime?: Date;
  /** PUSH_COUNT, the 1-based attempt (quick pay §5.5.2 推送次数); left out when not given. */
  pushCount?: number;
  /**
   * Other fields of the family's table by their wire names, e.g. `{ TRADETYPE: '2' }`,
   * `{ PAY_CHANNEL, GOODSNAME, REMARK }`, `{ CARDNO, CARDTYPE, BANK_NAME }`. Optional and
   * conditional fields are sent only when given here; `undefined` counts as not given.
   */
  fields?: Readonly<Record<string, unknown>>;
}

const FEN = /^(0|[1-9]\d*)$/;

/** A required field nobody gave: the first documented value (prefer 1, the success/WeChat code), else empty. */
function placeholder(field: FieldSpec): unknown {
  const choices = field.enum ?? (field.meanings ? Object.keys(field.meanings) : []);
  if (choices.length > 0) return choices.includes('1') ? '1' : choices[0];
  return field.type === 'int' ? 0 : '';
}

function value(field: FieldSpec, spec: NotificationSpec, input: NotificationBodyInput, notifiedAt: Date): unknown {
  const r = spec.roles;
  if (field.name === r.merchantOrderId) return input.merchantOrderId;
  if (field.name === r.platformOrderId) return input.platformOrderId;
  if (field.name === r.amount) return field.type === 'int' ? Number(input.amount) : input.amount; // scan §10.8: AMT int(20)
  if (field.name === r.state) return Object.keys(spec.states).find((k) => spec.states[k] === 'paid') ?? '1'; // only payments are pushed
  if (field.name === r.paidAt)
    return spec.paidAtFormat === 'dateTime' ? chinaDateTime(input.paidAt) : chinaTime(input.paidAt);
  if (field.format === 'timestamp14') return chinaTime(notifiedAt); // NOTIFY_DATE
  if (field.format === 'dateTime') return chinaDateTime(input.tradeTime ?? input.paidAt); // scan TRDETIME (PROTOCOL §7 spelling)
  return placeholder(field);
}

/**
 * The notification Body the platform pushes for a paid order of `family`: every required field of
 * the document's table, in the table's order, then PUSH_COUNT where the family has it (the table's
 * last row, 可选). Times are China time whatever the host's zone (PROTOCOL §7).
 */
export function buildNotificationBody(family: EnvelopeFamily, input: NotificationBodyInput): Record<string, unknown> {
  const spec = notifications[family] as NotificationSpec | undefined;
  if (!spec)
    throw new MmspEncodingError(
      `buildNotificationBody: family must be one of ${Object.keys(notifications).join(', ')} (got ${String(family)})`,
    );
  if (typeof input.amount !== 'string' || !FEN.test(input.amount)) {
    throw new MmspEncodingError(
      `buildNotificationBody: amount must be integer fen as digits, e.g. "100" for 1.00 yuan (docs/PROTOCOL.md §7)`,
    );
  }
  const given = input.fields ?? {};
  for (const name of Object.keys(given)) {
    if (!spec.fields.some((f) => f.name === name)) {
      throw new MmspEncodingError(
        `buildNotificationBody: ${name} is not a field of the ${family} notification (§${spec.section})`,
      );
    }
  }
  const notifiedAt = input.notifiedAt ?? new Date();
  const body: Record<string, unknown> = {};
  for (const field of spec.fields) {
    if (field.name === 'PUSH_COUNT') continue;
    if (given[field.name] !== undefined) body[field.name] = given[field.name];
    else if (field.presence === 'required') body[field.name] = value(field, spec, input, notifiedAt);
  }
  if (input.pushCount !== undefined && spec.fields.some((f) => f.name === 'PUSH_COUNT'))
    body.PUSH_COUNT = input.pushCount;
  return body;
}
