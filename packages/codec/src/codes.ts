/**
 * The platform's response codes as data: the payout `RETCODE` table (代付 §6.2 返回码), the
 * payout `PAYSTATE` values (代付 §5.1.3 / §5.2.3), the envelope `RetCode` table (包头响应码列表)
 * and the body `ERRCODE` / `ERR_CODE` tables (包体错误码列表) of the three MD5 families.
 *
 * Every entry keeps the document's Chinese text (`meaning`), a short English gloss and an
 * `outcome` that says what a caller must do next. The outcomes are built for the rule
 * "never resend a payment or payout whose outcome is unknown: query it" (PROTOCOL §5, §6).
 *
 * Codes the document does not list are still classified (`documented: false`), conservatively:
 * an unknown payout `RETCODE` or body code means "query, never resend", an unknown envelope
 * `RetCode` is a protocol error. The payout table itself says it "会不定期更新" (is updated from
 * time to time), so undocumented codes will occur.
 */
import type { Family } from './crypto-provider.js';
import type { EnvelopeFamily } from './envelope/header.js';

/**
 * What a code means for the caller's next step.
 * - `success`: processed; read the body / trade state next (two-layer logic, PROTOCOL §2).
 * - `paying`: the payer is still paying (`AA`): poll the query operation, never resend.
 * - `unknown-query`: the outcome is unknown (payout `0001`, system or channel faults): query by
 *   the order number, never resend.
 * - `duplicate-query`: the order number was already used (payout `1008`): the first request may
 *   have been carried out; query it, never resend under a new number without knowing.
 * - `not-found`: a query found no such order.
 * - `closed`: the order is closed (`D4`): final, it can no longer be paid.
 * - `failed`: the platform refused the request (bad field, insufficient balance, ...); nothing was
 *   carried out. Fix the request; a new attempt needs a new order number.
 * - `config`: the merchant's account or configuration (keys, certificate, channel, rates) is
 *   wrong; nothing was carried out. Not fixable by changing the request body.
 * - `protocol`: the envelope itself was rejected (`RetCode` ≠ 1); nothing was carried out.
 */
export type CodeOutcome =
  | 'success'
  | 'paying'
  | 'unknown-query'
  | 'duplicate-query'
  | 'not-found'
  | 'closed'
  | 'failed'
  | 'config'
  | 'protocol';

/** One row of a response-code table. */
export interface ResponseCode {
  /** The code exactly as the platform sends it (`'0000'`, `'AA'`, `'1'`). */
  readonly code: string;
  /** The document's text (Chinese), as printed in its table; `''` for codes the document does not list. */
  readonly meaning: string;
  /** Short English gloss of `meaning`. */
  readonly gloss: string;
  /** What the code means for the caller: success, still paying, query (never resend), failed… (see {@link CodeOutcome}). */
  readonly outcome: CodeOutcome;
  /** The document's 处理方法 (what to do), when its table gives one. */
  readonly action?: string;
  /** Where the document defines it, e.g. `代付 §6.2`. */
  readonly section: string;
  /** `false` when the code is not in the document's table and was classified by our default rule. */
  readonly documented: boolean;
  /** Our remark where the document is silent or contradicts itself. */
  readonly note?: string;
}

/** The outcomes that must be settled by a query, never by sending the request again. */
export function requiresQuery(outcome: CodeOutcome): boolean {
  return outcome === 'paying' || outcome === 'unknown-query' || outcome === 'duplicate-query';
}

type Row = readonly [
  code: string,
  meaning: string,
  gloss: string,
  outcome: CodeOutcome,
  extra?: { action?: string; note?: string },
];

function table(section: string, rows: readonly Row[]): Readonly<Record<string, ResponseCode>> {
  const out: Record<string, ResponseCode> = Object.create(null) as Record<string, ResponseCode>;
  for (const [code, meaning, gloss, outcome, extra] of rows) {
    out[code] = Object.freeze({ code, meaning, gloss, outcome, section, documented: true, ...extra });
  }
  return Object.freeze(out);
}

const CONSERVATIVE =
  'The document does not say whether anything was carried out; we treat it as unknown: query, never resend.';

/** 代付 §6.2 返回码. `RETCODE` of a payout, payout query or balance query response (PROTOCOL §6). */
export const payoutRetCodes: Readonly<Record<string, ResponseCode>> = table('代付 §6.2', [
  [
    '0000',
    '交易成功',
    'success; read PAYSTATE',
    'success',
    { note: 'For payout and payout query, read PAYSTATE (代付 §6.2 注 1).' },
  ],
  [
    '0001',
    '系统异常，需要发起订单查询',
    'system exception: query the order',
    'unknown-query',
    {
      action: '需要发起订单查询',
      note: 'Whatever PAYSTATE says, query again (代付 §6.2 注 2). Never resend.',
    },
  ],
  ['0002', '上送参数有问题', 'problem with the submitted parameters', 'failed'],
  ['1001', '参数错误', 'parameter error', 'failed'],
  ['1002', '不存在此商户或商户未激活', 'merchant unknown or not activated', 'config'],
  ['1003', '平台配置错误', 'platform configuration error', 'config'],
  ['1004', '商户未生成证书', 'merchant has no certificate (RSA keys) yet', 'config'],
  ['1005', '加密错误', 'encryption error (check the platform public key)', 'config'],
  ['1006', '签名错误', 'signature error (check the merchant private key)', 'config'],
  ['1007', '版本号错误', 'wrong VERSION', 'failed'],
  [
    '1008',
    '流水号重复',
    'duplicate order number: query it',
    'duplicate-query',
    {
      note: 'The first request with this ORDERNO may have been carried out: query by ORDERNO, never resend (docs/PROTOCOL.md §6).',
    },
  ],
  ['1009', '系统故障', 'system fault', 'unknown-query', { note: CONSERVATIVE }],
  ['1010', '不支持的银行', 'bank not supported', 'failed'],
  ['1011', '业务类型错误', 'wrong business type (BUSIYPE)', 'failed'],
  ['1012', '总金额错误或交易存在风险', 'total amount wrong or transaction flagged as risky', 'failed'],
  ['1013', '金额类型错误', 'wrong amount type', 'failed'],
  ['1014', '付款人姓名错误', 'wrong account holder name', 'failed'],
  ['1015', '付款人手机号码错误信息', 'wrong mobile number', 'failed'],
  ['1017', '付款人证件类型错误', 'wrong ID document type', 'failed'],
  ['1018', '付款人账号错误', 'wrong account number', 'failed'],
  ['1019', '付款人账号类型错误', 'wrong account type', 'failed'],
  ['1020', '开户行名称错误', 'wrong bank name', 'failed'],
  ['1021', '开户行银联机构号错误', 'wrong bank UnionPay institution number', 'failed'],
  ['1022', '开户行省份错误', 'wrong bank province', 'failed'],
  ['1023', '不满足渠道交易要素要求', 'the channel requires more transaction elements', 'failed'],
  ['1024', '身份验证不通过', 'identity verification failed', 'failed'],
  ['1025', '银联机构号不支持', 'UnionPay institution number not supported', 'failed'],
  ['1026', '付款人信息不匹配', 'account holder details do not match', 'failed'],
  [
    '1027',
    '商户付款订单号和平台代付流水号不能同时为空',
    'order number and platform number cannot both be empty',
    'failed',
  ],
  ['1028', '商户付款订单号不存在', 'no such merchant order number', 'not-found'],
  ['1029', '平台代付流水号不存在', 'no such platform payout number', 'not-found'],
  ['1030', '代付金额错误', 'wrong payout amount', 'failed'],
  ['1031', '商户余额不足', 'insufficient merchant balance', 'failed'],
  ['1032', '商户未配置代付渠道', 'no payout channel configured for the merchant', 'config'],
  ['1033', '商户费率未配置', 'merchant rate not configured', 'config'],
  ['1034', '渠道商户费率未配置', 'channel merchant rate not configured', 'config'],
  ['1035', '渠道商户密钥未配置', 'channel merchant key not configured', 'config'],
  ['1036', '渠道暂未开通', 'channel not opened yet', 'config'],
  ['1037', '渠道通讯异常', 'channel communication error', 'unknown-query', { note: CONSERVATIVE }],
  [
    '1038',
    '重复记账',
    'duplicate booking',
    'duplicate-query',
    {
      note: 'The order was already booked: query it, never resend.',
    },
  ],
  ['1039', '商户交易异常,暂停交易', 'merchant trading suspended', 'config'],
  ['1040', '商户记账失败', 'merchant booking failed', 'unknown-query', { note: CONSERVATIVE }],
  ['1045', '商户未开通资金户', 'merchant has no funds account', 'config'],
  ['1046', '更新实时余额失败', 'updating the real-time balance failed', 'unknown-query', { note: CONSERVATIVE }],
  ['1047', '商户资金户异常', 'merchant funds account abnormal', 'config'],
  ['1048', '商户未开通垫资垫付', 'merchant has no advance (垫资) payout', 'config'],
  ['1049', '商户垫资余额不足', 'insufficient advance balance', 'failed'],
]);

/** The classification of a payout `RETCODE`; an undocumented code means "query, never resend". */
export function payoutRetCode(code: string | number): ResponseCode {
  const key = String(code).trim();
  return (
    payoutRetCodes[key] ??
    Object.freeze({
      code: key,
      meaning: '',
      gloss: "code not in the document's table",
      outcome: 'unknown-query',
      section: '代付 §6.2',
      documented: false,
      note: 'The table is "updated from time to time" (会不定期更新): an unknown code is treated as an unknown outcome.',
    } satisfies ResponseCode)
  );
}

/** Normalized state of one payout (`PAYSTATE`). */
export type PayoutState = 'paid' | 'paying' | 'failed' | 'accepted' | 'unknown';

/** One value of a payout's `PAYSTATE` (代付 §5.1.3, §5.2.3; PROTOCOL §6) and what it means. */
export interface PayoutPayState {
  /** The `PAYSTATE` value exactly as sent (`'1'`, `'2'`, `'3'`, `'5'`). */
  readonly code: string;
  /** The document's text (Chinese), e.g. `付款成功`; `''` for a value the document does not list. */
  readonly meaning: string;
  /** Short English gloss of `meaning`. */
  readonly gloss: string;
  /** The normalized state: `paid`, `paying`, `failed`, `accepted` or `unknown`. */
  readonly state: PayoutState;
  /** Final states need no further query. */
  readonly final: boolean;
  /** `false` when the value is not in the document's table (then `state` is `unknown`: query again). */
  readonly documented: boolean;
}

function payState(code: string, meaning: string, gloss: string, state: PayoutState, final: boolean): PayoutPayState {
  return Object.freeze({ code, meaning, gloss, state, final, documented: true });
}

/** `PAYSTATE` (代付 §5.1.3, §5.2.3): 1 paid, 2 paying, 3 failed, 5 accepted awaiting review (PROTOCOL §6). */
export const payoutPayStates: Readonly<Record<string, PayoutPayState>> = Object.freeze({
  '1': payState('1', '付款成功', 'paid', 'paid', true),
  '2': payState('2', '付款中', 'paying', 'paying', false),
  '3': payState('3', '付款失败', 'failed', 'failed', true),
  '5': payState('5', '代付请求已受理,等待审核', 'accepted, awaiting review', 'accepted', false),
});

/** The state of a `PAYSTATE` value (int on the wire; a string is accepted). Unknown values are `unknown`, not final. */
export function payoutPayState(value: string | number): PayoutPayState {
  const key = String(value).trim();
  return (
    payoutPayStates[key] ??
    Object.freeze({
      code: key,
      meaning: '',
      gloss: 'state not in the document',
      state: 'unknown',
      final: false,
      documented: false,
    })
  );
}

/**
 * 包头响应码列表 (quick pay §6, scan code §11, gateway §6): the envelope `RetCode`. The three
 * tables are identical. Only 1 is success (PROTOCOL §2).
 */
export const envelopeRetCodes: Readonly<Record<string, ResponseCode>> = table(
  '快捷 §6 / 扫码 §11 / 网关 §6 包头响应码',
  [
    ['1', '成功', 'success; read the body', 'success', { action: '请处理业务响应部分' }],
    [
      '0',
      '消息结构体错误',
      'malformed message structure',
      'protocol',
      {
        action: '检查报文结构',
        note: 'The scan-code "success" example shows RetCode 0; every table says 0 is an error, and the quick-pay negative-response example uses 0. We follow the tables.',
      },
    ],
  ],
);

/** The classification of an envelope `RetCode`; anything but 1 is a protocol error (e.g. 39999 in the scan-code example). */
export function envelopeRetCode(code: string | number): ResponseCode {
  const key = String(code).trim();
  return (
    envelopeRetCodes[key] ??
    Object.freeze({
      code: key,
      meaning: '',
      gloss: "protocol error code not in the document's table",
      outcome: 'protocol',
      section: '包头响应码',
      documented: false,
    } satisfies ResponseCode)
  );
}

/** The families whose body carries `ERRCODE` / `ERR_CODE` (payout uses `RETCODE` instead). */

const BODY_ROWS = (d4Note?: string): readonly Row[] => [
  ['00', '交易成功', 'success', 'success', { action: '本次请求交易/查询成功！' }],
  [
    'AA',
    '用户支付中',
    'the payer is still paying: query again',
    'paying',
    { action: '用户还在支付中，请继续发起查询订单' },
  ],
  ['D4', '订单已关闭', 'order closed', 'closed', { action: '订单已关闭', ...(d4Note ? { note: d4Note } : {}) }],
];

/**
 * 包体错误码列表 per family ("appears when the body STATUS is not 1"). The body field is
 * `ERRCODE` in quick pay and gateway, `ERR_CODE` in scan code (see `bodyErrCodeField`).
 */
export const bodyErrCodes: Readonly<Record<EnvelopeFamily, Readonly<Record<string, ResponseCode>>>> = Object.freeze({
  quickPay: table(
    '快捷 §6 包体错误码',
    BODY_ROWS(
      'The quick-pay pay example (快捷 §5.3.3) returns D4 with ERRMSG 要素不匹配 (card details do not match): in quick pay D4 also means the order failed on its elements. Either way it is final.',
    ),
  ),
  scan: table('扫码 §11 包体错误码', BODY_ROWS()),
  gateway: table('网关 §6 包体错误码', BODY_ROWS()),
});

/** The body field that carries the error code in a family's responses. */
export function bodyErrCodeField(family: EnvelopeFamily): 'ERRCODE' | 'ERR_CODE' {
  return family === 'scan' ? 'ERR_CODE' : 'ERRCODE';
}

/**
 * The classification of a body `ERRCODE` / `ERR_CODE`. An undocumented code is classified
 * `unknown-query`: read `STATUS` first; when the code is all you have, a query settles it.
 */
export function bodyErrCode(family: EnvelopeFamily, code: string | number): ResponseCode {
  const codes = bodyErrCodes[family];
  if (codes === undefined)
    throw new TypeError(`bodyErrCode: family must be one of quickPay, scan, gateway (payout uses payoutRetCode)`);
  const key = String(code).trim();
  return (
    codes[key] ??
    Object.freeze({
      code: key,
      meaning: '',
      gloss: "code not in the document's table",
      outcome: 'unknown-query',
      section: codes['00']?.section ?? '',
      documented: false,
      note: 'Read STATUS for the trade state; the code alone does not say whether the order was carried out.',
    } satisfies ResponseCode)
  );
}

/** The codes a response body carries, read under whichever spelling the family uses. */
export interface BodyCodes {
  /** `STATUS` as text (the examples send `"1"` and `1`), `undefined` when absent. */
  status: string | undefined;
  /** `ERRCODE` (quick pay, gateway) or `ERR_CODE` (scan code). */
  errCode: string | undefined;
  /** `ERRMSG` (quick pay, gateway) or `ERR_CODE_MSG` (scan code). */
  errMsg: string | undefined;
  /** The classification of `errCode`, when there is one. */
  errCodeInfo: ResponseCode | undefined;
}

function scalarText(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  return undefined;
}

/**
 * Reads `STATUS` and the error code and message of a verified response body (plain JS, e.g.
 * `OpenedEnvelope.plainBody`). Both spellings are accepted in every family (`ERRCODE`/`ERR_CODE`,
 * `ERRMSG`/`ERR_CODE_MSG`), the family's own first. An empty code is no code.
 */
export function bodyCodes(family: EnvelopeFamily, body: Readonly<Record<string, unknown>>): BodyCodes {
  const own = Object.prototype.hasOwnProperty;
  const pick = (names: readonly string[]): string | undefined => {
    for (const n of names) {
      if (!own.call(body, n)) continue;
      const t = scalarText(body[n]);
      if (t !== undefined && t !== '') return t;
    }
    return undefined;
  };
  const scan = family === 'scan';
  const errCode = pick(scan ? ['ERR_CODE', 'ERRCODE'] : ['ERRCODE', 'ERR_CODE']);
  return {
    status: pick(['STATUS']),
    errCode,
    errMsg: pick(scan ? ['ERR_CODE_MSG', 'ERRMSG', 'ERR_MSG'] : ['ERRMSG', 'ERR_CODE_MSG', 'ERR_MSG']),
    errCodeInfo: errCode === undefined ? undefined : bodyErrCode(family, errCode),
  };
}

/**
 * Codes the platform puts in brackets at the start of a negative response's `ErrorMsg`, e.g.
 * `[-2002] 没有该订单` (quick pay §3.1 错误响应报文示例). The document lists no table; this holds
 * the codes its examples show.
 */
export const negativeResponseCodes: Readonly<Record<string, ResponseCode>> = table('快捷 §3.1 错误响应报文示例', [
  [
    '-2002',
    '没有该订单',
    'no such order',
    'not-found',
    {
      note: 'Seen in the document\'s negative-response example. After a payment whose outcome was unknown, "not found" right away may mean "not recorded yet": query again before concluding.',
    },
  ],
  [
    '-3005',
    '交易金额不符',
    'the amount does not match: set the amount the message gives',
    'failed',
    {
      action: '请参考返回的消息设置交易金额',
      note: "From the document's FAQ (常见问题 1), not from this example; the request was refused, nothing carried out.",
    },
  ],
]);

/** The bracketed code and the text of a negative response's `ErrorMsg` (`[-2002] 没有该订单` → `-2002`, `没有该订单`). */
export function splitPlatformMessage(message: string): { code: string | undefined; text: string } {
  const m = /^\s*\[\s*(-?\w+)\s*\]\s*/.exec(typeof message === 'string' ? message : '');
  if (!m) return { code: undefined, text: typeof message === 'string' ? message : '' };
  return { code: m[1], text: message.slice(m[0].length) };
}

/**
 * The classification of a negative response (CommandID 32768) from its `ErrorMsg`: the bracketed
 * code when the document shows it, otherwise `protocol` (`documented: false`).
 */
export function negativeResponseCode(message: string): ResponseCode {
  const { code, text } = splitPlatformMessage(message);
  return (
    (code !== undefined ? negativeResponseCodes[code] : undefined) ??
    Object.freeze({
      code: code ?? '',
      meaning: text,
      gloss: 'negative response the document does not describe',
      outcome: 'protocol',
      section: '统一否定应答 (CommandID 32768)',
      documented: false,
    } satisfies ResponseCode)
  );
}
