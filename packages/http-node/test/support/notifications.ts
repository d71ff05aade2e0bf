/** Signed notifications as the platform pushes them (PROTOCOL §5), built with the codec (not under test here). */
import { buildEnvelope } from '@mmsp/codec';

export const MERCHANT = {
  merchantNo: '001440353999853',
  terminalNo: '84970001',
  key: 'ea21842eea24e448b991b1cb0a0294cf',
};
let seq = 1;

export function quickPayNotification(overrides: Record<string, unknown> = {}, key = MERCHANT.key): string {
  const body = {
    MERORDERID: `Q${Date.now()}${Math.floor(Math.random() * 1e6)}`,
    LIST_ID: `L${Math.floor(Math.random() * 1e12)}`,
    AMT: '100',
    PAY_DATE: '20261126103000',
    STATUS: '1',
    ...overrides,
  };
  return buildEnvelope({
    family: 'quickPay',
    commandId: 35104,
    seqId: seq++,
    ...MERCHANT,
    key,
    body,
    nodeId: 'openplat',
    retCode: 1,
    errorMsg: '',
    errorMsgField: 'ErrMsg',
  }).text;
}

export function scanNotification(overrides: Record<string, unknown> = {}): string {
  const body = {
    MERORDERID: `S${Math.floor(Math.random() * 1e12)}`,
    ORDERNO: `O${Math.floor(Math.random() * 1e12)}`,
    AMT: '2500',
    PAYTIME: '2026-11-26 10:30:00',
    STATUS: '1', // 扫码 §10.8: required; a push without it is not a payment push (issue #13)
    TRADETYPE: 'WEIXIN',
    ...overrides,
  };
  return buildEnvelope({
    family: 'scan',
    commandId: 2324,
    seqId: seq++,
    ...MERCHANT,
    body,
    nodeId: 'openplat',
    retCode: 1,
    errorMsg: '',
  }).text;
}
