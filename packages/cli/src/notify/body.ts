// The Body of a payment-result notification, filled from the codec's notification specs
// (catalogue `notifications` / `notificationRoles`: quick pay §5.5, gateway §5.2, scan code §10.8)
// rather than written out per family: every required field from its role, format or meanings.
// (The sandbox's own builder, notify-body.ts, is not exported by @mmsp/sandbox.)
import { chinaDateTime, chinaTime, notifications, type FieldSpec, type NotificationSpec } from '@mmsp/codec';

export type NotifyFamily = keyof typeof notifications;

export interface NotifyOrder {
  merchantOrderId: string;
  platformOrderId: string;
  /** Integer fen as digits (NOTES §7). */
  amount: string;
  paidAt: Date;
}

function fill(field: FieldSpec, spec: NotificationSpec, order: NotifyOrder, now: Date): unknown {
  const r = spec.roles;
  if (field.name === r.merchantOrderId) return order.merchantOrderId;
  if (field.name === r.platformOrderId) return order.platformOrderId;
  if (field.name === r.amount) return field.type === 'int' ? Number(order.amount) : order.amount; // scan §10.8: AMT int(20)
  if (field.name === r.state) return Object.keys(spec.states).find((k) => spec.states[k] === 'paid') ?? '1';
  if (field.name === r.paidAt) return spec.paidAtFormat === 'dateTime' ? chinaDateTime(order.paidAt) : chinaTime(order.paidAt);
  if (field.format === 'timestamp14') return chinaTime(now);
  if (field.format === 'dateTime') return chinaDateTime(order.paidAt);
  const choices = field.enum ?? (field.meanings ? Object.keys(field.meanings) : []);
  if (choices.length > 0) return choices.includes('1') ? '1' : choices[0];
  return field.type === 'int' ? 0 : '';
}

/** The notification Body of attempt `attempt` (1-based): required fields, plus PUSH_COUNT where the spec has it. */
export function notificationBody(family: NotifyFamily, order: NotifyOrder, attempt: number, now: Date): Record<string, unknown> {
  const spec = notifications[family] as NotificationSpec;
  const body: Record<string, unknown> = {};
  for (const field of spec.fields) {
    if (field.presence === 'required') body[field.name] = fill(field, spec, order, now);
    else if (field.name === 'PUSH_COUNT') body[field.name] = attempt; // quick pay §5.5.2: 推送次数
  }
  return body;
}

export function notificationCommandId(family: NotifyFamily): number {
  return (notifications[family] as NotificationSpec).commandIds[0] as number;
}
