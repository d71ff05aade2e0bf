// Notifications signed the way the platform signs them, by the codec (the codec is not the thing
// under test here; its PHP-exactness is proved by its own PHP vectors). Merchant values: PROTOCOL §8.
import { buildEnvelope } from '@mmsp/codec';

export const MERCHANT = {
  merchantNo: '001440353999853',
  terminalNo: '84970001',
  key: 'ea21842eea24e448b991b1cb0a0294cf',
} as const;

let seq = 1;

/** A quick-pay payment push for `merchantOrderId`, shaped like the document's example (快捷 §5.5.2: CommandID 35104, NodeID openplat, RetCode 1). */
export function paidNotification(merchantOrderId: string, amount = '100', key: string = MERCHANT.key): string {
  return buildEnvelope({
    family: 'quickPay',
    commandId: 35104,
    seqId: seq++,
    merchantNo: MERCHANT.merchantNo,
    terminalNo: MERCHANT.terminalNo,
    key,
    nodeId: 'openplat',
    retCode: 1,
    errorMsg: '',
    body: {
      MERORDERID: merchantOrderId,
      LIST_ID: `L${merchantOrderId}`,
      AMT: amount,
      STATUS: '1',
      PAY_DATE: '20261126103000',
    },
  }).text;
}

/** The same text with the signed amount changed and the signature left as it was. */
export function tamperAmount(text: string, from = '"AMT":"100"', to = '"AMT":"1"'): string {
  if (!text.includes(from)) throw new Error(`fixture: ${from} not in the notification`);
  return text.replace(from, to);
}
