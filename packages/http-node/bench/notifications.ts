/** Signed notifications for the benchmark, made by the codec the way the platform signs them (PROTOCOL §3, §5). */
import { buildEnvelope } from '@mmsp/codec';

export const MERCHANT = {
  merchantNo: '001440353999853',
  terminalNo: '84970001',
  key: 'ea21842eea24e448b991b1cb0a0294cf',
};

/**
 * `count` distinct quick-pay notifications shaped like the document's example (快捷 §5.5), written
 * the way the platform's PHP `json_encode` writes them (non-ASCII as `\uXXXX`, PROTOCOL §3), or with
 * raw UTF-8 when `platformEscaping` is false.
 */
export function makeNotifications(count: number, platformEscaping = true): string[] {
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const body = {
      AMT: String(100 + (i % 900)),
      BANK_NAME: '农业银行',
      CARDNO: '62284**********1234',
      GOODSNAME: '测试商品',
      LIST_ID: `10000000${String(i).padStart(10, '0')}`,
      MERORDERID: `BENCH${String(i).padStart(12, '0')}`,
      PAY_DATE: '20261126103000',
      REMARK: '',
      STATUS: '1',
    };
    out.push(
      buildEnvelope({
        family: 'quickPay',
        commandId: 35104,
        seqId: 1,
        ...MERCHANT,
        body,
        nodeId: 'openplat',
        retCode: 1,
        errorMsg: '',
        errorMsgField: 'ErrMsg',
        platformEscaping,
      }).text,
    );
  }
  return out;
}
