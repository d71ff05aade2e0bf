/**
 * The pushed payment-result notifications of the MD5 families (PROTOCOL §4, §5): their specs, field
 * roles and CommandIDs. A module of its own, apart from the operations, so that a receiver takes
 * these three tables without the whole catalogue.
 */
import { gatewayNotification } from './gateway.js';
import { quickPayNotification } from './quick-pay.js';
import { scanNotification } from './scan.js';
import { deepFreeze } from './freeze.js';
import type { NotificationSpec } from './types.js';

/** CommandIDs of pushed notifications (PROTOCOL §4): quick pay / gateway examples 35104, gateway table 35090, scan code 2324. */
export const NOTIFICATION_COMMAND_IDS = Object.freeze([35104, 35090, 2324] as const);

/** The pushed payment-result notification of each MD5 family. */
export const notifications: {
  readonly quickPay: typeof quickPayNotification;
  readonly scan: typeof scanNotification;
  readonly gateway: typeof gatewayNotification;
} = /* @__PURE__ */ deepFreeze({
  quickPay: quickPayNotification,
  scan: scanNotification,
  gateway: gatewayNotification,
});

/** Role → wire field name of each family's notification, for `{ merchantOrderId, platformOrderId, amount, paidAt }`. */
export const notificationRoles: { readonly [F in keyof typeof notifications]: (typeof notifications)[F]['roles'] } =
  /* @__PURE__ */ (() =>
    deepFreeze({
      quickPay: quickPayNotification.roles,
      scan: scanNotification.roles,
      gateway: gatewayNotification.roles,
    }))();

/** The notification specs a CommandID may belong to (35104 is shared by quick pay and gateway: decide by the endpoint). */
export function findNotifications(commandId: number): NotificationSpec[] {
  return Object.values(notifications).filter((n: NotificationSpec) => n.commandIds.includes(commandId));
}
