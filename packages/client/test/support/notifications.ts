/** Signed notifications as the platform pushes them (快捷 §5.5, 网关 §5.2, 扫码 §10.8), signed by the codec the PHP way. */
import { buildEnvelope, type Family } from '@mmsp/codec';
import { MERCHANT } from './keys.js';

export function quickPayBody(over: Record<string, unknown> = {}) {
  return {
    AMT: '200',
    BANK_NAME: '农业银行',
    CARDNO: '62284**********7349',
    CARDTYPE: '1',
    LIST_ID: '100000004985',
    MERORDERID: '20170926151023152438',
    NOTIFY_DATE: '20170926150500',
    PAY_DATE: '20170926150435',
    PUSH_COUNT: 1,
    STATUS: '1',
    ...over,
  };
}
export function gatewayBody(over: Record<string, unknown> = {}) {
  return {
    AMT: '666',
    GOODSNAME: 'product',
    LIST_ID: '1000000C0001',
    MERORDERID: '711245',
    NOTIFY_DATE: '20170926150500',
    PAY_CHANNEL: 'ICBC',
    PAY_DATE: '20170926150435',
    STATUS: '1',
    ...over,
  };
}
export function scanBody(over: Record<string, unknown> = {}) {
  return {
    AMT: 100,
    MERORDERID: '20171220000000000001',
    ORDERNO: '90000000000000000123',
    PAYTIME: '2017-12-20 10:11:12',
    STATUS: '1',
    TRADETYPE: '1',
    TRDETIME: '2017-12-20 10:11:00',
    ...over,
  };
}

export function signedNotification(
  body: Record<string, unknown>,
  options: {
    commandId?: number;
    family?: Exclude<Family, 'payout'>;
    key?: string;
    agentNo?: string;
    agentKey?: string;
    seqId?: number;
  } = {},
): string {
  return buildEnvelope({
    family: options.family ?? 'quickPay',
    commandId: options.commandId ?? 35104,
    seqId: options.seqId ?? 1,
    merchantNo: MERCHANT.merchantNo,
    terminalNo: MERCHANT.terminalNo,
    key: options.key ?? MERCHANT.key,
    ...(options.agentNo && options.agentKey ? { agentNo: options.agentNo, agentKey: options.agentKey } : {}),
    nodeId: 'openplat',
    body,
    retCode: 1,
    errorMsg: '',
    errorMsgField: 'ErrMsg',
  }).text;
}
