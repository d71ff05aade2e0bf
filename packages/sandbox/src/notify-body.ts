// The Body of the pushed payment-result notification (PROTOCOL §5) for a sandbox order: the codec's
// buildNotificationBody (quick pay §5.5.2, gateway §5.2.2, scan code §10.8, with the table's
// TRDETIME spelling and int AMT, PROTOCOL §7) filled with the order's own details.
import { buildNotificationBody, notifications } from '@mmsp/codec';
import type { EnvelopeFamily, PaymentOrder } from './model.js';

/** CommandID of the notification: quick pay example 35104, gateway table 35090, scan table 2324 (PROTOCOL §4). */
export const NOTIFY_COMMAND_IDS: Readonly<Record<EnvelopeFamily, number>> = {
  quickPay: notifications.quickPay.commandIds[0],
  gateway: notifications.gateway.commandIds[0],
  scan: notifications.scan.commandIds[0],
};

export function notificationBody(order: PaymentOrder, attempt: number, now: number): Record<string, unknown> {
  return buildNotificationBody(order.family, {
    merchantOrderId: order.merchantOrderId,
    platformOrderId: order.platformOrderId,
    amount: order.amount,
    paidAt: new Date(order.paidAt ?? now),
    notifiedAt: new Date(now),
    tradeTime: new Date(order.createdAt), // scan §10.8 TRDETIME: when the order was placed
    pushCount: attempt,
    fields: details(order),
  });
}

/** The order's optional details under the wire names of its family's table. */
function details(order: PaymentOrder): Record<string, unknown> {
  switch (order.family) {
    case 'scan':
      return { TRADETYPE: order.channel };
    case 'gateway':
      return { GOODSNAME: order.goodsName, PAY_CHANNEL: order.payChannel, REMARK: order.remark };
    case 'quickPay':
      // quick pay §5.5.2: CARDTYPE and BANK_NAME 当有卡号时返回
      return order.cardMasked
        ? { CARDNO: order.cardMasked, CARDTYPE: order.cardType ?? '1', BANK_NAME: order.bankName ?? '招商银行' }
        : {};
  }
}
