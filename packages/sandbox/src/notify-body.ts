// The Body of the pushed payment-result notification per family (NOTES §5): quick pay §5.5.2,
// gateway §5.2.2, scan code §10.8 (with the table's TRDETIME spelling and int AMT, NOTES §7).
import type { PaymentOrder } from './model.js';
import { compactTime, dashedTime } from './time.js';

/** CommandID of the notification: quick pay example 35104, gateway table 35090, scan table 2324 (NOTES §4). */
export const NOTIFY_COMMAND_IDS = { quickPay: 35104, gateway: 35090, scan: 2324 } as const;

export function notificationBody(order: PaymentOrder, attempt: number, now: number): Record<string, unknown> {
  const paidAt = order.paidAt ?? now;
  switch (order.family) {
    case 'scan':
      return {
        // scan §10.8: AMT is int(20) and the time is spelled TRDETIME in the push table: sent as documented.
        AMT: Number(order.amount),
        ORDERNO: order.platformOrderId,
        TRDETIME: dashedTime(order.createdAt),
        PAYTIME: dashedTime(paidAt),
        STATUS: '1',
        TRADETYPE: order.channel ?? '1',
        MERORDERID: order.merchantOrderId,
      };
    case 'quickPay':
      return {
        STATUS: '1',
        LIST_ID: order.platformOrderId,
        MERORDERID: order.merchantOrderId,
        PAY_DATE: compactTime(paidAt),
        NOTIFY_DATE: compactTime(now),
        AMT: order.amount,
        ...(order.cardMasked ? { CARDNO: order.cardMasked, CARDTYPE: order.cardType ?? '1', BANK_NAME: order.bankName ?? '招商银行' } : {}),
        PUSH_COUNT: attempt,
      };
    case 'gateway':
      return {
        STATUS: '1',
        LIST_ID: order.platformOrderId,
        MERORDERID: order.merchantOrderId,
        AMT: order.amount,
        ...(order.goodsName !== undefined ? { GOODSNAME: order.goodsName } : {}),
        PAY_CHANNEL: order.payChannel ?? 'YLBILL-NET-B2C',
        PAY_DATE: compactTime(paidAt),
        NOTIFY_DATE: compactTime(now),
        ...(order.remark !== undefined ? { REMARK: order.remark } : {}),
      };
  }
}
