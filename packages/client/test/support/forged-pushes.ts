/**
 * Issue #13 item 5: signed bodies that are not payment pushes. Every text here carries a VALID
 * signature with the merchant's key (requests and pushes share it), so only the push's own
 * documented fields and types can refuse them. Shared by every receiver's tests.
 */
import { buildEnvelope, MmspTransportError, PhpFloat, type Family } from '@mmsp/codec';
import { createClient } from '../../src/index.js';

export interface MerchantKeys {
  merchantNo: string;
  terminalNo: string;
  key: string;
}

export interface PushCase {
  label: string;
  text: string;
}

let seq = 1;
const quickPay = (id: string) => ({
  STATUS: '1',
  LIST_ID: `1000${id}`,
  MERORDERID: id,
  PAY_DATE: '20261126103000',
  NOTIFY_DATE: '20261126103001',
  AMT: '100',
  PUSH_COUNT: 1,
});
const scan = (id: string) => ({
  AMT: 100,
  ORDERNO: `9000${id}`.slice(0, 20),
  TRDETIME: '2026-11-26 10:29:00',
  PAYTIME: '2026-11-26 10:30:00',
  STATUS: '1',
  TRADETYPE: '1',
  MERORDERID: id,
});

function sign(
  m: MerchantKeys,
  family: Exclude<Family, 'payout'>,
  commandId: number,
  body: Record<string, unknown>,
): string {
  return buildEnvelope({
    family,
    commandId,
    seqId: seq++,
    merchantNo: m.merchantNo,
    terminalNo: m.terminalNo,
    key: m.key,
    nodeId: 'openplat',
    body,
    retCode: 1,
    errorMsg: '',
  }).text;
}

/** The text with one literal replaced; the signature stays valid when PHP decodes both to the same value. */
function edit(text: string, from: string, to: string): string {
  if (!text.includes(from)) throw new Error(`fixture: ${from} not in ${text.slice(0, 80)}`);
  return text.replace(from, to);
}

/** What the SDK itself sends for `operation`, captured at the transport (nothing leaves). */
async function capturedRequest(
  m: MerchantKeys,
  operation: 'scan.refund' | 'scan.wechatMicropay' | 'quickPay.pay',
  body: Record<string, unknown>,
): Promise<string> {
  let text = '';
  const client = createClient({
    merchantNo: m.merchantNo,
    terminalNo: m.terminalNo,
    key: m.key,
    endpoints: { scan: 'http://127.0.0.1:9/scan', quickPay: 'http://127.0.0.1:9/quickpay' },
    logger: {},
    transport: async (req) => {
      text = req.body;
      throw new MmspTransportError('captured, not sent', { mayHaveReachedPlatform: false });
    },
  });
  await client.call(operation as never, body as never).catch(() => undefined);
  if (text === '') throw new Error(`fixture: ${operation} was not captured`);
  return text;
}

/** A valid quick-pay and scan push (control cases: accepted). */
export function genuinePushes(m: MerchantKeys, id: string): PushCase[] {
  return [
    { label: 'quick-pay push', text: sign(m, 'quickPay', 35104, quickPay(`1${id}`)) },
    { label: 'scan push', text: sign(m, 'scan', 2324, scan(`2${id}`)) },
  ];
}

/** Signed texts every receiver must refuse with 400 (never running onPaid). `id`: digits, unique per call. */
export async function forgedPushes(m: MerchantKeys, id: string): Promise<PushCase[]> {
  const q = (n: number, over: Record<string, unknown> = {}, drop: string[] = []) => {
    const body: Record<string, unknown> = { ...quickPay(`3${n}${id}`), ...over };
    for (const d of drop) delete body[d];
    return sign(m, 'quickPay', 35104, body);
  };
  const s = (n: number, over: Record<string, unknown> = {}, drop: string[] = []) => {
    const body: Record<string, unknown> = { ...scan(`4${n}${id}`.slice(0, 20)), ...over };
    for (const d of drop) delete body[d];
    return sign(m, 'scan', 2324, body);
  };
  const refund = await capturedRequest(m, 'scan.refund', {
    MERORDERID: `5${id}`.slice(0, 20),
    REFUND_MERORDERID: `6${id}`.slice(0, 20),
    AMT: '100',
  });
  const micropay = await capturedRequest(m, 'scan.wechatMicropay', {
    MERORDERID: `7${id}`.slice(0, 20),
    AMT: '100',
    GOODSNAME: 'tea',
    CODE: '134567890123456789',
    NOTIFY_URL: 'https://shop.example/n',
  });
  const pay = await capturedRequest(m, 'quickPay.pay', {
    MERORDERID: `8${id}`,
    AMT: '100',
    CARDNO: '6227000013830237349',
    CARDTYPE: '1',
    NAME: '张三',
    ID_NO: '23210219820916601X',
    PHONENO: '13800138000',
    NOTIFY_URL: 'https://shop.example/n',
  });
  return [
    // Merchant-signed requests re-posted as pushes (the unsigned header's CommandID edited).
    {
      label: "the SDK's scan.refund request re-posted as a 2324 push",
      text: edit(refund, '"CommandID":2312', '"CommandID":2324'),
    },
    {
      label: "the SDK's micropay request re-posted as a 2324 push",
      text: edit(micropay, '"CommandID":2307', '"CommandID":2324'),
    },
    {
      label: "the SDK's quickPay.pay request re-posted as a 35104 push",
      text: edit(pay, '"CommandID":771', '"CommandID":35104'),
    },
    // STATUS
    { label: 'STATUS null', text: q(1, { STATUS: null }) },
    { label: 'STATUS []', text: q(2, { STATUS: [] }) },
    { label: 'STATUS missing', text: q(3, {}, ['STATUS']) },
    { label: 'STATUS missing (scan)', text: s(4, {}, ['STATUS']) },
    { label: 'STATUS 1.0', text: q(5, { STATUS: new PhpFloat(1) }) },
    { label: 'STATUS "01"', text: q(6, { STATUS: '01' }) },
    { label: 'STATUS true', text: q(7, { STATUS: true }) },
    { label: 'STATUS 2', text: q(8, { STATUS: '2' }) },
    // AMT
    { label: 'AMT 1e2', text: edit(s(9, { AMT: new PhpFloat(100) }), '"AMT":100.0', '"AMT":1e2') },
    { label: 'AMT 100.0', text: s(10, { AMT: new PhpFloat(100) }) },
    { label: 'AMT -0', text: edit(s(11, { AMT: 0 }), '"AMT":0', '"AMT":-0') },
    { label: 'AMT 0.0', text: s(12, { AMT: new PhpFloat(0) }) },
    { label: 'AMT 0', text: s(13, { AMT: 0 }) },
    { label: 'AMT "0"', text: q(14, { AMT: '0' }) },
    { label: 'AMT "-100"', text: q(15, { AMT: '-100' }) },
    { label: 'AMT "1e2"', text: q(16, { AMT: '1e2' }) },
    { label: 'AMT "100.0"', text: q(17, { AMT: '100.0' }) },
    { label: 'AMT missing', text: q(18, {}, ['AMT']) },
    // Order numbers and times
    { label: 'MERORDERID with a newline', text: q(19, { MERORDERID: 'A\nB' }) },
    { label: 'MERORDERID with a space', text: q(20, { MERORDERID: 'A B' }) },
    { label: 'LIST_ID missing', text: q(21, {}, ['LIST_ID']) },
    { label: 'ORDERNO missing (scan)', text: s(22, {}, ['ORDERNO']) },
    { label: 'PAY_DATE missing', text: q(23, {}, ['PAY_DATE']) },
    { label: 'PAY_DATE not YYYYMMDDhhmmss', text: q(24, { PAY_DATE: '2026-11-26 10:30:00' }) },
    { label: 'PAYTIME missing (scan)', text: s(25, {}, ['PAYTIME']) },
    { label: 'NOTIFY_DATE garbled', text: q(26, { NOTIFY_DATE: '20261340999999' }) },
    // The family's push CommandID
    { label: 'a scan push sent as 35104', text: edit(s(27), '"CommandID":2324', '"CommandID":35104') },
    { label: 'a quick-pay push sent as 2324', text: edit(q(28), '"CommandID":35104', '"CommandID":2324') },
  ];
}
