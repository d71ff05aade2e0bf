/**
 * Why a payment did not go through, in the shopper's words (Chinese and English), from what the
 * platform answered: a refusal (`MmspBusinessError`: STATUS 2 with ERRCODE / ERR_CODE and its
 * message), a final "failed" answer to a query, or an error on the way (timeout, connection,
 * signature). The technical text stays on the live log and in the page's "for the merchant" part.
 *
 * The rules are the demo's own: the platform document gives codes only for some situations
 * (00, AA, D4, 1008); the `S…` codes are the sandbox's (its README, "Codes").
 */
import {
  MmspBusinessError,
  MmspOutcomeUnknownError,
  MmspProtocolError,
  MmspSignatureError,
  MmspTransportError,
  MmspValidationError,
  type MmspResult,
} from '@mmsp/client';

export interface ShopperReason {
  /** In Chinese, for the shopper. */
  zh: string;
  /** The same in English. */
  en: string;
  /** The platform's code when there was one (ERRCODE, ERR_CODE, RETCODE). */
  code: string | null;
  /** The platform's own message (ERRMSG, ERR_CODE_MSG), shown as it came. */
  platformMessage: string | null;
  /** The technical account (error class and message) for the merchant; never card data. */
  technical: string;
  /** Refused by the shop's own client before anything was sent (a rule the client checks itself). */
  refusedBeforeSending?: boolean;
}

interface Rule {
  /** Operation prefix ('quickPay.', 'scan.refund') or '*' for any. */
  operation: string;
  code: string;
  zh: string;
  en: string;
}

/** Codes → the shopper's words. The first rule whose operation prefix and code match wins. */
export const REASON_RULES: readonly Rule[] = [
  {
    operation: 'quickPay.pay',
    code: 'D4',
    zh: '银行卡信息与持卡人信息不一致，请核对卡号、姓名、身份证号和手机号。',
    en: 'The card details do not match the card holder (card number, name, ID number or phone): please check them.',
  },
  {
    operation: 'quickPay.',
    code: 'S2',
    zh: '短信验证码不正确，请重新输入。',
    en: 'The SMS code was not correct: please enter it again.',
  },
  {
    operation: 'quickPay.',
    code: 'S3',
    zh: '短信发送过于频繁，请一分钟后再试。',
    en: 'An SMS code was sent less than a minute ago: please wait a minute.',
  },
  {
    operation: '*',
    code: 'S1',
    zh: '付款被银行或钱包拒绝，请换一张卡或换一种支付方式。',
    en: 'The bank or the wallet declined the payment: please try another card or another way to pay.',
  },
  {
    operation: '*',
    code: 'D4',
    zh: '订单已关闭，没有扣款。',
    en: 'The order was closed before it was paid: no money was taken.',
  },
  {
    operation: '*',
    code: '1008',
    zh: '订单号重复，请重新下单。',
    en: 'This order number was already used: please place the order again.',
  },
  {
    operation: 'scan.refund',
    code: 'S5',
    zh: '退款金额超过了可退金额。',
    en: 'The refund is more than what can still be refunded.',
  },
  {
    operation: '*',
    code: 'S4',
    zh: '订单当前的状态不允许这个操作。',
    en: 'The order is not in a state that allows this.',
  },
  { operation: 'payout.', code: '1031', zh: '商户余额不足。', en: "The merchant's balance is too low." },
];

const GENERIC = { zh: '付款未成功，没有扣款。', en: 'The payment did not go through: no money was taken.' };
/** For what is not a payment (a query, a refund, a cancel or close). */
const GENERIC_ACTION = { zh: '支付平台没有办理这个请求。', en: 'The payment service did not carry out this request.' };

/** Payouts and the balance are the merchant's own pages: said to the merchant, not to a shopper (issue #15). */
const PAYOUT_WORDS = {
  refused: { zh: '代付未成功，没有出款。', en: 'The payout was not made: no money left the account.' },
  unknown: {
    zh: '代付结果暂时未知：请稍后在代付列表中点“查询”，切勿重新发起同一笔代付。',
    en: "The payout's outcome is not known yet: press Query in the payouts list in a moment, and do not send the same payout again.",
  },
  noAnswer: {
    zh: '支付平台没有及时答复，请稍后再试。',
    en: 'The payment service did not answer in time: please try again in a moment.',
  },
  unreachable: {
    zh: '暂时无法连接支付平台，请稍后再试。',
    en: 'The payment service could not be reached: please try again in a moment.',
  },
  notDone: {
    zh: '支付平台没有办理这个请求，请稍后再试。',
    en: 'The payment service did not carry out this request: please try again in a moment.',
  },
} as const;

/** The reason for a failed payout, payout query or balance request, in the merchant's words. */
function payoutReason(operation: string, error: unknown, technical: string): ShopperReason {
  const none = { code: null, platformMessage: null, technical };
  if (error instanceof MmspBusinessError) {
    const words =
      byCode(operation, error.platformCode) ??
      (operation === 'payout.pay' ? PAYOUT_WORDS.refused : PAYOUT_WORDS.notDone);
    return { ...words, code: error.platformCode || null, platformMessage: error.platformMessage ?? null, technical };
  }
  if (error instanceof MmspOutcomeUnknownError) return { ...PAYOUT_WORDS.unknown, ...none };
  if (error instanceof MmspTransportError) {
    if (operation === 'payout.pay' && error.mayHaveReachedPlatform) return { ...PAYOUT_WORDS.unknown, ...none };
    return { ...(error.mayHaveReachedPlatform ? PAYOUT_WORDS.noAnswer : PAYOUT_WORDS.unreachable), ...none };
  }
  if (error instanceof MmspSignatureError) {
    return {
      zh: '支付平台的答复未通过安全校验，本店不予采信，请稍后再试。',
      en: "The payment service's answer failed the security check and was not trusted: please try again later.",
      ...none,
    };
  }
  if (error instanceof MmspValidationError) {
    return {
      zh: '填写的信息格式不正确，请检查后重试。',
      en: 'Some of the details are not in the expected form: please check them and try again.',
      ...none,
    };
  }
  if (error instanceof MmspProtocolError)
    return {
      ...PAYOUT_WORDS.notDone,
      code: error.retCode ?? null,
      platformMessage: error.platformMessage ?? null,
      technical,
    };
  return { ...PAYOUT_WORDS.notDone, ...none };
}

const isPayment = (operation: string): boolean =>
  !/\.(query|refund|cancel|close|resendSms|balance)$|^(query|refund|cancel|close|resend)$/.test(operation);

function byCode(operation: string, code: string | null): { zh: string; en: string } | undefined {
  if (!code) return undefined;
  const rule = REASON_RULES.find((r) => r.code === code && (r.operation === '*' || operation.startsWith(r.operation)));
  return rule ? { zh: rule.zh, en: rule.en } : undefined;
}

/** The reason for an error thrown by a call (or a shop-side failure). */
export function reasonFromError(operation: string, error: unknown): ShopperReason {
  const technical = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  if (operation.startsWith('payout.')) return payoutReason(operation, error, technical);
  const generic = isPayment(operation) ? GENERIC : GENERIC_ACTION;
  if (error instanceof MmspBusinessError) {
    const words = byCode(operation, error.platformCode) ?? generic;
    return { ...words, code: error.platformCode || null, platformMessage: error.platformMessage ?? null, technical };
  }
  if (error instanceof MmspTransportError) {
    return error.mayHaveReachedPlatform
      ? {
          zh: '支付平台没有及时答复，付款结果未知：请稍后查看订单，不要重复付款。',
          en: 'The payment service did not answer in time, so the outcome is not known yet: check the order again in a moment rather than paying twice.',
          code: null,
          platformMessage: null,
          technical,
        }
      : {
          zh: '暂时无法连接支付平台，没有扣款，请稍后再试。',
          en: 'The payment service could not be reached: no money was taken; please try again in a moment.',
          code: null,
          platformMessage: null,
          technical,
        };
  }
  if (error instanceof MmspSignatureError) {
    return {
      zh: '支付平台的答复未通过安全校验，本店不予采信，请稍后再试。',
      en: "The payment service's answer failed the security check and was not trusted: please try again later.",
      code: null,
      platformMessage: null,
      technical,
    };
  }
  if (error instanceof MmspValidationError) {
    // The client keeps the document's one-SMS-per-60-s rule itself (PROTOCOL §7.6): the shopper
    // hears what the platform would have said, and nothing was sent.
    if (error.issues.some((issue) => issue.rule === 'rateLimit')) {
      return {
        ...byCode('quickPay.', 'S3')!,
        code: null,
        platformMessage: null,
        technical,
        refusedBeforeSending: true,
      };
    }
    return {
      zh: '填写的信息格式不正确，请检查后重试。',
      en: 'Some of the details are not in the expected form: please check them and try again.',
      code: null,
      platformMessage: null,
      technical,
    };
  }
  if (error instanceof MmspProtocolError) {
    return { ...generic, code: error.retCode ?? null, platformMessage: error.platformMessage ?? null, technical };
  }
  return { ...generic, code: null, platformMessage: null, technical };
}

/** The reason for an answer that says "failed" or "closed" without an error (micropay declined, a query). */
export function reasonFromResult(result: MmspResult): ShopperReason {
  const code = result.codes.errCode ?? null;
  const words = byCode(result.operation, code) ?? (result.state === 'closed' ? byCode('*', 'D4')! : GENERIC);
  return {
    ...words,
    code,
    platformMessage: result.codes.errMsg ?? null,
    technical: `${result.operation} answered ${result.state ?? 'no state'} (${Object.entries(result.codes)
      .map(([k, v]) => `${k}=${String(v)}`)
      .join(' ')})`,
  };
}
