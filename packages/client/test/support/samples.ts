/** A valid request body for every catalogue operation (wire field names; the client fills the rest). */
import { chinaTime, type OperationName } from '@mmsp/codec';

let n = 0;
const orderId = (len = 20) => `${Date.now()}${String(++n).padStart(6, '0')}`.slice(-len);
const hour = (d: Date) => chinaTime(d).slice(0, 10);

export function sampleBody(name: OperationName): Record<string, unknown> {
  const notify = 'https://shop.example/notify';
  const card = {
    CARDNO: '6227000013830237349',
    CARDTYPE: '1',
    NAME: '张三',
    ID_NO: '23210219820916601X',
    PHONENO: '13800138000',
  };
  const scanOrder = { TRADETYPE: '1', AMT: '100', MERORDERID: orderId(20), GOODSNAME: 'product', NOTIFY_URL: notify };
  const micropay = {
    AMT: '100',
    GOODSNAME: 'product',
    NOTIFY_URL: notify,
    MERORDERID: orderId(20),
    CODE: '134567890123456789',
  };
  const window = {
    START_DATE: hour(new Date(Date.now() - 86_400_000)),
    END_DATE: hour(new Date()),
    PERPAGE: '10',
    PAGE: '1',
  };
  switch (name) {
    case 'payout.pay':
      return {
        ORDERNO: orderId(24),
        AMT: '100',
        BUSIYPE: '001',
        ACCNAME: '张三',
        ACCNO: '6225123456781234',
        MEMO: '代付',
        ACCTYPE: '0',
        MOBILE: '13800138000',
        BANKNAME: '招商银行',
      };
    case 'payout.query':
      return { ORDERNO: orderId(24) };
    case 'payout.balance':
      return { QRYTYPE: '1' };
    case 'quickPay.pay':
      return { MERORDERID: orderId(32), AMT: '1234', ...card, NOTIFY_URL: notify };
    case 'quickPay.confirmSms':
      return { LIST_ID: '100000004985', MSG_CODE: '123456' };
    case 'quickPay.query':
      return { MERORDERID: orderId(32) };
    case 'quickPay.bind':
      return { MERORDERID: orderId(32), USER_ID: 'U1', ...card, MSG_CODE: '123456' };
    case 'quickPay.unbind':
      return { BIND_ID: 'B1' };
    case 'quickPay.bindQuery':
      return { BIND_ID: 'B1' };
    case 'quickPay.batchQuery':
      return window;
    case 'quickPay.resendSms':
      return { LIST_ID: orderId(12) };
    case 'quickPay.boundPayConfirm':
      return {
        BIND_ID: 'B1',
        MERORDERID: orderId(32),
        USER_ID: 'U1',
        AMT: '100',
        MSG_CODE: '123456',
        NOTIFY_URL: notify,
      };
    case 'quickPay.boundPaySms':
      return { BIND_ID: 'B1', MERORDERID: orderId(32), USER_ID: 'U1', PHONENO: '13800138000', AMT: '100' };
    case 'quickPay.bindSms':
      return { MERORDERID: orderId(32), USER_ID: 'U1', CARDNO: '6227000013830237349', PHONENO: '13800138000' };
    case 'quickPay.unionPayOrder':
      return { MERORDERID: orderId(32), AMT: '1000', JUMP_URL: 'https://shop.example/done', NOTIFY_URL: notify };
    case 'scan.wechatOrder':
    case 'scan.qqOrder':
      return scanOrder;
    case 'scan.alipayOrder':
      return scanOrder;
    case 'scan.alipayStaticCode':
    case 'scan.alipayDynamicCode':
    case 'scan.jdOrder':
    case 'scan.unionPayWalletOrder':
      return scanOrder;
    case 'scan.wechatMicropay':
    case 'scan.alipayMicropay':
    case 'scan.qqMicropay':
      return micropay;
    case 'scan.wechatH5':
    case 'scan.alipayH5':
      return {
        AMT: '100',
        GOODSNAME: 'product',
        NOTIFY_URL: notify,
        JUMP_URL: 'https://shop.example/back',
        MERORDERID: orderId(20),
      };
    case 'scan.query':
    case 'scan.cancel':
    case 'scan.close':
      return { MERORDERID: orderId(20) };
    case 'scan.refund':
      return { MERORDERID: orderId(20), REFUND_MERORDERID: orderId(20), AMT: '100' };
    case 'scan.refundQuery':
      return { REFUND_MERORDERID: orderId(20) };
    case 'gateway.pay':
      return {
        MERORDERID: orderId(32),
        AMT: '666',
        NOTIFY_URL: notify,
        JUMP_URL: 'https://shop.example/return',
        PAY_CHANNEL: 'ICBC',
        GOODSNAME: 'product',
      };
    case 'gateway.query':
      return { MERORDERID: orderId(32) };
    case 'gateway.batchQuery':
      return window;
  }
}
