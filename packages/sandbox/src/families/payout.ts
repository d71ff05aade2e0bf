// Payout 代付 (payout §3–§6, PROTOCOL §6): the request `{ENCRYPT, SIGN}` is decrypted with the
// platform's private key (128-byte blocks) and its SHA1withRSA signature checked with the
// merchant's registered public key, both through OpenSSL (@mmsp/http-node's `opensslCrypto`, the
// one OpenSSL provider of the repository); the answer carries RETCODE and, on success, the
// result encrypted with the merchant's public key and signed with the platform's private key
// (OpenSSL too). Plaintexts are JSON through the codec (toWireJson / phpJsonDecode).
// A ledger per merchant (balance, advance, frozen) backs payouts and the balance query.
import {
  findOperation,
  phpJsonDecode,
  rsaDecryptSegmented,
  rsaEncryptSegmented,
  toPlain,
  toWireJson,
  validateRequest,
  type FieldIssue,
} from '@mmsp/codec';
import { base64Decode, base64Encode, utf8Decode, utf8Encode } from '@mmsp/codec/bytes';
import { opensslCrypto } from '@mmsp/http-node';
import { PAYOUT } from '../codes.js';
import { field } from '../handler.js';
import { maskCard, maskName } from '../mask.js';
import { describeIssues, type PreparedRequest, type Reply } from '../dispatch.js';
import type { MerchantRecord, PayoutRecord, PayState } from '../model.js';
import type { Platform } from '../platform.js';
import { compactTime } from '../time.js';

/** Test account numbers by the last four digits of ACCNO (README "Test codes"). */
export const PAYOUT_TEST_ACCOUNTS = {
  '9999': 'PAYSTATE 2, then 3 (failed; the amount returns to the balance) after payoutDelayMs',
  '5555': 'PAYSTATE 5 (accepted, awaiting review), then 2, then 1',
  '0001': 'carried out, but the answer is RETCODE 0001 (query it, never resend)',
  other: 'PAYSTATE 2, then 1 (paid) after payoutDelayMs',
} as const;

const JSON_TYPE = 'application/json; charset=utf-8';
const PAYSTATE_DESC: Record<PayState, string> = {
  1: '付款成功',
  2: '付款中',
  3: '付款失败',
  5: '代付请求已受理,等待审核',
};
/** The message field is spelled differently in each table (PROTOCOL §6): sent as documented. */
const MESSAGE_FIELD: Record<string, string> = {
  'payout.pay': 'RETMSG',
  'payout.query': 'REMSG',
  'payout.balance': 'RETMMSG',
};

/** Doc codes for a field's validation failure (payout §6.2); 1001 otherwise. */
const FIELD_CODES: Record<string, readonly [string, string]> = {
  BUSIYPE: PAYOUT.busiType,
  AMT: PAYOUT.amount,
  ACCTYPE: PAYOUT.accType,
  VERSION: PAYOUT.version,
};

type Code = readonly [string, string];

interface Outcome {
  code: Code;
  data?: Record<string, unknown>;
}

function fail(code: Code): Outcome {
  return { code };
}

function payoutFields(p: PayoutRecord): Record<string, unknown> {
  return {
    MERNO: p.merchantNo,
    ORDERNO: p.orderNo,
    BSORDERNO: p.platformOrderNo,
    PAYSTATE: String(p.payState),
    DESC: PAYSTATE_DESC[p.payState],
    AMT: p.amount,
    ACCNAME: p.accNameMasked,
    ACCNO: p.accNoMasked,
  };
}

function pay(
  platform: Platform,
  merchant: MerchantRecord,
  data: Record<string, unknown>,
): Outcome & { unknown?: boolean } {
  const orderNo = field(data, 'ORDERNO');
  if (platform.findPayout(merchant.merchantNo, { orderNo })) return fail(PAYOUT.duplicate);
  const amount = field(data, 'AMT');
  const payType = field(data, 'PAYTYPE') || '1';
  const shortfall = platform.reserve(merchant, amount, payType);
  if (shortfall) return fail(shortfall === '1031' ? PAYOUT.balance : PAYOUT.advance);
  const now = platform.now();
  const delay = platform.options.payoutDelayMs;
  const accNo = field(data, 'ACCNO');
  const steps: PayoutRecord['steps'] = accNo.endsWith('9999')
    ? [{ at: now + delay, to: 3 }]
    : accNo.endsWith('5555')
      ? [
          { at: now + delay, to: 2 },
          { at: now + 2 * delay, to: 1 },
        ]
      : [{ at: now + delay, to: 1 }];
  const p: PayoutRecord = {
    merchantNo: merchant.merchantNo,
    orderNo,
    platformOrderNo: platform.issueId('2', 16),
    amount,
    payType,
    payState: accNo.endsWith('5555') ? 5 : 2,
    steps,
    accNameMasked: maskName(field(data, 'ACCNAME')),
    accNoMasked: maskCard(accNo),
    busiType: field(data, 'BUSIYPE'),
    memo: field(data, 'MEMO'),
    createdAt: now,
  };
  platform.addPayout(p);
  platform.log(`payout ${orderNo} (${p.platformOrderNo}) accepted, ${amount} fen, PAYSTATE ${p.payState}`);
  platform.settlePayout(p, now);
  return {
    code: PAYOUT.ok,
    data: { ...payoutFields(p), RSPTIME: compactTime(now) },
    ...(accNo.endsWith('0001') ? { unknown: true } : {}),
  };
}

function query(platform: Platform, merchant: MerchantRecord, data: Record<string, unknown>): Outcome {
  const orderNo = field(data, 'ORDERNO');
  const platformOrderNo = field(data, 'BSORDERNO');
  if (!orderNo && !platformOrderNo) return fail(PAYOUT.bothEmpty);
  const p = platform.findPayout(merchant.merchantNo, {
    ...(orderNo ? { orderNo } : {}),
    ...(platformOrderNo ? { platformOrderNo } : {}),
  });
  if (!p) return fail(orderNo ? PAYOUT.noOrder : PAYOUT.noPlatformOrder);
  return {
    code: PAYOUT.ok,
    data: { ...payoutFields(p), CURTYPE: '1', BUSIYPE: p.busiType, MEMO: p.memo, RSPTIME: compactTime(platform.now()) },
  };
}

function balance(platform: Platform, merchant: MerchantRecord): Outcome {
  platform.tick();
  const l = merchant.ledger;
  return {
    code: PAYOUT.ok,
    data: {
      RSPTIME: compactTime(platform.now()),
      ACCINFO: [
        {
          ACCSTATUS: 1,
          BALANCE: Number(l.pendingSettlement),
          BALANCEPAY: Number(l.balance),
          ADVANCEPAY: Number(l.advance),
          FREEZEBAL: Number(l.frozen),
          ISCHARGE: '2',
          MERTYPE: '2',
          CHLNO: 'SANDBOX',
          CHLMERNO: merchant.merchantNo,
          LIMIT_DOWN: '1',
          LIMIT_TOP: '1000000000',
          BEGIN_AT: '00:00:00',
          END_AT: '23:59:59',
          HOLIDAYTYPE: 3,
          SETTLE_AT: 16,
          SETTLE_TYPE: '1',
        },
      ],
    },
  };
}

function issueCode(issues: readonly FieldIssue[]): Code {
  for (const i of issues) {
    const code = FIELD_CODES[i.field];
    if (code) return code;
  }
  if (issues.some((i) => i.rule === 'atLeastOne')) return PAYOUT.bothEmpty;
  return PAYOUT.parameter;
}

export function preparePayout(platform: Platform, text: string): PreparedRequest & { runUnknown(): Reply } {
  let envelope: Record<string, unknown> | undefined;
  try {
    const v = toPlain(phpJsonDecode(text));
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) envelope = v as Record<string, unknown>;
  } catch {
    envelope = undefined;
  }
  let decrypted: { bytes: Uint8Array; data: Record<string, unknown> } | undefined;
  let early: Code | undefined;
  if (!envelope || typeof envelope.ENCRYPT !== 'string' || typeof envelope.SIGN !== 'string') {
    early = PAYOUT.parameter;
  } else {
    try {
      const bytes = rsaDecryptSegmented(
        base64Decode(envelope.ENCRYPT, 'ENCRYPT'),
        platform.state.platformKeys.privateKeyPem,
        'ENCRYPT',
        opensslCrypto,
      );
      const data = toPlain(phpJsonDecode(utf8Decode(bytes, 'ENCRYPT plaintext')));
      if (data === null || typeof data !== 'object' || Array.isArray(data)) early = PAYOUT.parameter;
      else decrypted = { bytes, data: data as Record<string, unknown> };
    } catch {
      early = PAYOUT.encrypt;
    }
  }
  const data = decrypted?.data ?? {};
  const merchantNo = field(data, 'MERNO') || field(data, 'MERNNO');
  const merchant = merchantNo ? platform.merchant(merchantNo) : undefined;
  const op = findOperation('payout', Number(field(data, 'CMDID')));
  const orderNo = field(data, 'ORDERNO');

  const answer = (outcome: Outcome, messageField = 'RETMSG'): Reply => {
    const head = { RETCODE: outcome.code[0], [messageField]: outcome.code[1] };
    if (!outcome.data || !merchant?.publicKeyPem) {
      return { status: 200, contentType: JSON_TYPE, text: toWireJson(head) };
    }
    const plaintext = utf8Encode(toWireJson({ ...head, ...outcome.data }));
    const ENCRYPT = base64Encode(rsaEncryptSegmented(plaintext, merchant.publicKeyPem, opensslCrypto));
    const SIGN = base64Encode(opensslCrypto.sha1WithRsaSign(platform.state.platformKeys.privateKeyPem, plaintext));
    return { status: 200, contentType: JSON_TYPE, text: toWireJson({ ...head, ENCRYPT, SIGN }) };
  };

  const execute = (): { outcome: Outcome & { unknown?: boolean }; messageField: string } => {
    if (early) return { outcome: fail(early), messageField: 'RETMSG' };
    if (!merchant) return { outcome: fail(PAYOUT.merchant), messageField: 'RETMSG' };
    if (!merchant.publicKeyPem) return { outcome: fail(PAYOUT.noCert), messageField: 'RETMSG' };
    let signature: Uint8Array | undefined;
    try {
      signature = base64Decode(envelope!.SIGN as string, 'SIGN');
    } catch {
      signature = undefined;
    }
    if (!signature || !opensslCrypto.sha1WithRsaVerify(merchant.publicKeyPem, decrypted!.bytes, signature)) {
      platform.log(`payout refused: SIGN does not verify with the public key registered for ${merchant.merchantNo}`);
      return { outcome: fail(PAYOUT.sign), messageField: 'RETMSG' };
    }
    if (!op || op.security !== 'rsa') return { outcome: fail(PAYOUT.parameter), messageField: 'RETMSG' };
    const messageField = MESSAGE_FIELD[op.name] ?? 'RETMSG';
    if (field(data, 'VERSION') !== '1.0') return { outcome: fail(PAYOUT.version), messageField };
    const issues = validateRequest(op.name, data, { unknownFields: 'allow' }); // as the MD5 families (dispatch.ts)
    if (issues.length > 0) {
      platform.log(`${op.name} refused: ${describeIssues(issues)}`);
      return { outcome: fail(issueCode(issues)), messageField };
    }
    const outcome =
      op.name === 'payout.pay'
        ? pay(platform, merchant, data)
        : op.name === 'payout.query'
          ? query(platform, merchant, data)
          : balance(platform, merchant);
    return { outcome, messageField };
  };

  return {
    family: 'payout',
    ...(op ? { operation: op.name } : {}),
    ...(merchantNo ? { merchantNo } : {}),
    ...(orderNo ? { merchantOrderId: orderNo } : {}),
    run() {
      const { outcome, messageField } = execute();
      return answer(outcome.unknown ? fail(PAYOUT.unknown) : outcome, messageField);
    },
    /** Fault retcode-0001: the platform acts, the caller learns nothing but "query it". */
    runUnknown() {
      const { messageField } = execute();
      return answer(fail(PAYOUT.unknown), messageField);
    },
    refuse() {
      return answer(fail(PAYOUT.unknown));
    },
  };
}
