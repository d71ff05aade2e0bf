/**
 * Quick pay 快捷支付 (PROTOCOL §1, §4): MD5 envelope, NodeID `openapi`. The fields below are the
 * envelope's `Body`; MERNO/TERMNO/AGENTNO are header fields (快捷支付 §3.1 examples) and belong
 * to the envelope, not here. Source: 快捷支付接口规范 §3.2.1 and §5.1–5.14 of the platform document (see docs/PROTOCOL.md §12).
 */
import type { NotificationSpec, OperationSpec } from './types.js';

// ── shared request fields ───────────────────────────────────────────────────────────────────
const MERORDERID = { name: 'MERORDERID', label: '商户订单号', type: 'string', maxLength: 32, presence: 'required', format: 'orderNo', description: '商户订单号，同一商户号下订单号必须唯一 (PROTOCOL §7: ≤ 32)' } as const;
const RANDSTR = { name: 'RANDSTR', label: '随机字符串', type: 'string', maxLength: 32, presence: 'optional', autofill: 'RANDSTR', description: '随机字符串，10位，为保证交易密文的随机性，建议上送此字段 (PROTOCOL §7: ≤ 32)' } as const;
const AMT = { name: 'AMT', label: '金额', type: 'string', maxLength: 12, presence: 'required', format: 'fen', description: '金额，单位：分 如：填写数值 1 表示0.01元' } as const;
const CARDNO = { name: 'CARDNO', label: '卡号', type: 'string', maxLength: 20, presence: 'required', format: 'digits', secret: true, personal: true, description: '卡号' } as const;
const CARDTYPE = { name: 'CARDTYPE', label: '卡类型', type: 'string', maxLength: 1, presence: 'required', enum: ['1', '2'], meanings: { '1': '借记卡', '2': '信用卡' }, description: '1：借记卡 2：信用卡' } as const;
const EXPDATE = { name: 'EXPDATE', label: '信用卡有效期', type: 'string', maxLength: 4, presence: 'conditional', format: 'mmyy', secret: true, description: '如果CARDTYPE为2时；必须填写信用卡有效期 格式：MMYY 如：0617 必须4位合法日期' } as const;
const CVN2 = { name: 'CVN2', label: '信用卡cvn2码', type: 'string', maxLength: 3, presence: 'conditional', format: 'cvn', secret: true, description: '如果CARDTYPE为2时；必须填写信用卡背面cvn2码' } as const;
const NAME = { name: 'NAME', label: '持卡人姓名', type: 'string', maxLength: 32, presence: 'required', personal: true, description: '持卡人姓名' } as const;
const ID_NO = { name: 'ID_NO', label: '身份证号码', type: 'string', maxLength: 32, presence: 'required', secret: true, description: '身份证号码' } as const;
const PHONENO = { name: 'PHONENO', label: '持卡人手机号', type: 'string', maxLength: 11, presence: 'required', format: 'mobile', personal: true, description: '持卡人手机号' } as const;
const USER_ID = { name: 'USER_ID', label: '持卡人用户唯一标识', type: 'string', maxLength: 32, presence: 'required', description: '商户自己系统生成的持卡人用户唯一标识；即持卡人唯一标识ID' } as const;
const MSG_CODE = { name: 'MSG_CODE', label: '短信验证码', type: 'string', maxLength: 6, presence: 'required', format: 'digits', secret: true, description: '短信验证码 示例值：123456' } as const;
const NOTIFY_URL = { name: 'NOTIFY_URL', label: '后台异步接受通知地址', type: 'string', maxLength: 255, presence: 'required', format: 'url', description: '后台异步接受通知地址' } as const;
const BIND_ID = { name: 'BIND_ID', label: '签约序列号', type: 'string', maxLength: 32, presence: 'required', format: 'orderNo', description: '签约序列号；即持卡人绑定ID' } as const;
const LIST_ID = { name: 'LIST_ID', label: '平台订单号', type: 'string', maxLength: 32, presence: 'required', format: 'orderNo', description: '平台订单号' } as const;
const DATE_HOUR = /* @__NO_SIDE_EFFECTS__ */ (name: 'START_DATE' | 'END_DATE', label: string) =>
  ({ name, label, type: 'string', maxLength: 14, presence: 'required', format: 'dateHour', description: `${label} 格式为：YYYYMMDDHH (the document's example is YYYYMMDD)` }) as const;

// ── shared response fields ──────────────────────────────────────────────────────────────────
const R_ERRCODE = { name: 'ERRCODE', label: '错误码', type: 'string', maxLength: 4, presence: 'conditional', description: '错误码，STATUS不为1的时候，会有返回；错误码见列表' } as const;
const R_ERRMSG = { name: 'ERRMSG', label: '错误信息', type: 'string', maxLength: 255, presence: 'conditional', description: '错误信息，STATUS不为1的时候，会有返回' } as const;
const R_LIST_ID = { name: 'LIST_ID', label: '平台订单号', type: 'string', maxLength: 32, presence: 'required', description: '平台订单号' } as const;
const R_MERORDERID = { name: 'MERORDERID', label: '商户订单号', type: 'string', maxLength: 32, presence: 'required', description: '商户订单号，同请求商户订单号' } as const;
const R_PAY_DATE = { name: 'PAY_DATE', label: '支付成功时间', type: 'string', maxLength: 14, presence: 'required', format: 'timestamp14', description: '支付成功时间，格式为：YYYYMMDDHHmmss 如：20170926150435' } as const;
const R_NOTIFY_DATE = { name: 'NOTIFY_DATE', label: '通知时间', type: 'string', maxLength: 14, presence: 'required', format: 'timestamp14', description: '通知时间，格式为：YYYYMMDDHHmmss' } as const;
const R_AMT = { name: 'AMT', label: '金额', type: 'string', maxLength: 12, presence: 'required', format: 'fen', description: '金额，单位：分' } as const;
const R_CARDNO = { name: 'CARDNO', label: '卡号', type: 'string', maxLength: 20, presence: 'required', secret: true, personal: true, description: '卡号' } as const;
const R_CARDTYPE = { name: 'CARDTYPE', label: '卡类型', type: 'string', maxLength: 1, presence: 'required', meanings: { '1': '借记卡', '2': '信用卡' }, description: '1：借记卡 2：信用卡' } as const;
const R_BANK_NAME = { name: 'BANK_NAME', label: '所属银行名称', type: 'string', maxLength: 12, presence: 'required', description: '所属银行名称 如：招商银行' } as const;
const R_USER_ID = { name: 'USER_ID', label: '持卡人用户唯一标识', type: 'string', maxLength: 32, presence: 'required', description: '商户生成的持卡人用户唯一标识' } as const;
const R_BIND_ID = { name: 'BIND_ID', label: '签约序列号', type: 'string', maxLength: 32, presence: 'required', description: '签约序列号；即持卡人绑定ID' } as const;
const R_BIND_ID_COND = { ...R_BIND_ID, presence: 'conditional', description: '签约序列号；即持卡人绑定ID。交易时如传入USER_ID则此字段有返回值。' } as const;
const status = /* @__NO_SIDE_EFFECTS__ */ (description: string, meanings: Readonly<Record<string, string>>) =>
  ({ name: 'STATUS', label: '响应状态', type: 'string', maxLength: 1, presence: 'required', meanings, description }) as const;

/** Trade STATUS of pay / query / notification / batch rows: 0 待支付, 1 成功, 2 失败, 3 已退款. */
const TRADE_STATUS_MEANINGS = { '0': '待支付', '1': '成功', '2': '失败', '3': '已退款' } as const;
const TRADE_STATES = { '0': 'pending', '1': 'paid', '2': 'failed', '3': 'refunded' } as const;
const ORDER_ROLES = { merchantOrderId: 'MERORDERID', platformOrderId: 'LIST_ID', amount: 'AMT', state: 'STATUS', paidAt: 'PAY_DATE' } as const;

const batchQuery = {
  request: [DATE_HOUR('START_DATE', '开始日期'), DATE_HOUR('END_DATE', '结束日期'),
    { name: 'PERPAGE', label: '每页返回的条数', type: 'string', maxLength: 10, presence: 'required', format: 'count', range: { min: 1, max: 1000 }, description: '每页返回的条数 默认10条 最多1000条' },
    { name: 'PAGE', label: '当前页', type: 'string', maxLength: 10, presence: 'required', format: 'count', range: { min: 1, max: 9_999_999_999 }, description: '当前页' }],
  response: [
    status('响应状态，1：查询订单成功表示有数据，0或其他其它均表示查询失败或无数据', { '1': '有数据', '0': '查询失败或无数据' }),
    R_ERRCODE, R_ERRMSG,
    {
      name: 'BIZ_CONTENT', label: '具体数据包', type: 'array', presence: 'required', description: '具体数据包',
      items: [status('支付状态，0：待支付；1：成功，2：失败，3：已退款', TRADE_STATUS_MEANINGS), R_LIST_ID, R_MERORDERID, R_PAY_DATE, R_NOTIFY_DATE, R_CARDNO, R_AMT, R_CARDTYPE, R_BIND_ID],
    },
    { name: 'PERPAGE', label: '每页返回的条数', type: 'string', maxLength: 10, presence: 'required', description: '每页返回的条数' },
    { name: 'PAGE', label: '当前页', type: 'string', maxLength: 10, presence: 'required', description: '当前页' },
    { name: 'TOTAL_NUM', label: '记录总条数', type: 'string', maxLength: 10, presence: 'required', description: '记录总条数' },
    { name: 'TOTAL_PAGE', label: '总页数', type: 'string', maxLength: 10, presence: 'required', description: '总页数' },
  ],
  rules: [{ kind: 'window', start: 'START_DATE', end: 'END_DATE', maxMonths: 3 }],
} as const;
export { batchQuery as batchQueryShape };

const md5 = { family: 'quickPay', security: 'md5' } as const;

export const quickPayOperations = /* @__PURE__ */ (() => ({
  'quickPay.pay': {
    ...md5, name: 'quickPay.pay', title: '快捷支付交易', section: '5.3', requestId: 771, responseId: 33539, acceptResponseIds: [33539, 35095, 33541], opened: true,
    request: [MERORDERID, CARDNO, AMT, CARDTYPE, EXPDATE, CVN2, NAME, ID_NO, PHONENO, RANDSTR,
      { ...USER_ID, presence: 'conditional', description: '商户自己系统生成的持卡人用户唯一标识；如需在交易后完成绑卡 (绑卡模式A) 此字段必传' }, NOTIFY_URL],
    response: [status('响应状态，0：下单成功,订单待支付；1：订单已成功支付（理论上不会返回此状态），2：下单失败，3：已退款', { '0': '下单成功,订单待支付', '1': '订单已成功支付', '2': '下单失败', '3': '已退款' }),
      { ...R_ERRCODE, description: '错误码，STATUS不为0和1的时候，关注此返回值；错误码见列表' }, { ...R_ERRMSG, description: '错误信息，STATUS不为0和1的时候，关注此返回值' },
      R_LIST_ID, R_MERORDERID, R_PAY_DATE, R_NOTIFY_DATE, R_AMT, R_BANK_NAME, R_CARDNO, R_BIND_ID_COND],
    rules: [
      { kind: 'requiredWhen', field: 'EXPDATE', when: { field: 'CARDTYPE', in: ['2'] } },
      { kind: 'requiredWhen', field: 'CVN2', when: { field: 'CARDTYPE', in: ['2'] } },
    ],
    roles: ORDER_ROLES, states: TRADE_STATES,
    notes: [
      'Response id: the command table gives 33539 (771 + 0x8000) and so does the 四要素错误 example; the §3.1 envelope example answers 771 with 35095 and the §5.3 success example with 33541 (the query response id). responseId 33539; the other two are accepted because only the signature is trusted.',
      'The §3.1 request example sends EXPDATE "01117" (5 characters, PROTOCOL §7 typo) with CARDTYPE 1; the signing sample spells it "0117". EXPDATE is MMYY, 4 characters: validation reports the example\'s value.',
      'STATUS 3 is cut off by the extraction ("3：已"); read as 已退款 like the query table.',
    ],
  },
  'quickPay.confirmSms': {
    ...md5, name: 'quickPay.confirmSms', title: '交易短信确认', section: '5.4', requestId: 772, responseId: 33540, acceptResponseIds: [33540], opened: true,
    request: [LIST_ID, MSG_CODE, RANDSTR],
    response: [status('响应状态，1：成功，其他都为失败', { '1': '成功' }), { ...R_LIST_ID, presence: 'conditional', description: '平台订单号,STATUS为1时返回' }, R_ERRCODE, R_ERRMSG],
    roles: { platformOrderId: 'LIST_ID', state: 'STATUS' }, states: { '1': 'accepted' },
    notes: ['The response example sends STATUS as the integer 1 and carries its Sign inside Body, none after it; both forms are read (openEnvelope signInBody, PROTOCOL §11 item 29). A confirmed SMS is not yet a payment: query (§5.7) for the final state (flow A).'],
  },
  'quickPay.query': {
    ...md5, name: 'quickPay.query', title: '单笔交易查询', section: '5.7', requestId: 773, responseId: 33541, acceptResponseIds: [33541], opened: true,
    request: [MERORDERID],
    response: [status('响应状态，0：待支付；1：成功，2：失败，3：已退款', TRADE_STATUS_MEANINGS), R_ERRCODE, R_ERRMSG, R_LIST_ID, R_MERORDERID, R_PAY_DATE, R_NOTIFY_DATE, R_CARDNO, R_AMT, R_CARDTYPE, R_BIND_ID_COND],
    roles: ORDER_ROLES, states: TRADE_STATES,
    notes: ['The §5.7 request example sends CommandID 775 (the unbind command); the command table and the response example (33541 = 773 + 0x8000) say 773: requestId 773.'],
  },
  'quickPay.bind': {
    ...md5, name: 'quickPay.bind', title: '鉴权绑卡', section: '5.2', requestId: 774, responseId: 33542, acceptResponseIds: [33542], opened: false,
    request: [MERORDERID, USER_ID, CARDNO, CARDTYPE, EXPDATE, CVN2, NAME, ID_NO, PHONENO, { ...MSG_CODE, description: '根据绑卡短信接受到的短信验证码 示例值：123456' }, RANDSTR],
    response: [status('响应状态，1：成功 其他表示失败或未绑定', { '1': '成功' }), R_ERRCODE, R_ERRMSG, R_LIST_ID, R_BIND_ID, R_USER_ID, R_MERORDERID, R_CARDNO],
    rules: [
      { kind: 'requiredWhen', field: 'EXPDATE', when: { field: 'CARDTYPE', in: ['2'] } },
      { kind: 'requiredWhen', field: 'CVN2', when: { field: 'CARDTYPE', in: ['2'] } },
    ],
    roles: { merchantOrderId: 'MERORDERID', platformOrderId: 'LIST_ID', state: 'STATUS' },
    notes: ['暂未开通 (command table and section title); 绑卡模式B is marked 无法使用.'],
  },
  'quickPay.unbind': {
    ...md5, name: 'quickPay.unbind', title: '鉴权绑卡解绑请求', section: '5.6', requestId: 775, responseId: 33543, acceptResponseIds: [33543], opened: false,
    request: [BIND_ID],
    response: [status('响应状态，1：成功，其他都为失败', { '1': '成功' }), R_ERRCODE, R_ERRMSG],
    roles: { state: 'STATUS' },
    notes: ['暂未开通. The body has no RANDSTR in the table.'],
  },
  'quickPay.bindQuery': {
    ...md5, name: 'quickPay.bindQuery', title: '鉴权绑卡查询', section: '5.8', requestId: 776, responseId: 33544, acceptResponseIds: [33544], opened: false,
    request: [BIND_ID],
    response: [status('响应状态，1：成功，其他都为失败', { '1': '成功' }), R_ERRCODE, R_ERRMSG, R_LIST_ID, { ...R_CARDNO, label: '持卡人卡号' }, R_CARDTYPE,
      { name: 'EXPDATE', label: '信用卡有效期', type: 'string', maxLength: 4, presence: 'conditional', format: 'mmyy', secret: true, description: '信用卡有效期 格式：MMYY 如：0617' },
      { name: 'CVN2', label: '信用卡背面cvn2码', type: 'string', maxLength: 3, presence: 'conditional', secret: true, description: '信用卡背面cvn2码' },
      { ...NAME }, { ...ID_NO }, { name: 'PHONENO', label: '持卡人手机号', type: 'string', maxLength: 11, presence: 'required', personal: true, description: '持卡人手机号' }, R_BIND_ID],
    roles: { platformOrderId: 'LIST_ID', state: 'STATUS' },
    notes: ['暂未开通. 776 is also the scan-code QQ micropay request id: ids are per family (PROTOCOL §4).'],
  },
  'quickPay.batchQuery': {
    ...md5, name: 'quickPay.batchQuery', title: '快捷支付多笔批量查询', section: '5.9', requestId: 777, responseId: 33545, acceptResponseIds: [33545], opened: true,
    ...batchQuery,
    roles: { state: 'STATUS' },
    notes: [
      'Only successful (STATUS 1) orders are returned, PERPAGE ≤ 1000, dates within 3 months of now (PROTOCOL §7); "not found" is STATUS 0.',
      'START_DATE/END_DATE: the format says YYYYMMDDHH, the example value is YYYYMMDD (20170926); both are accepted.',
      'The request example spells the header MERNNO (typo for MERNO, PROTOCOL §7).',
    ],
  },
  'quickPay.resendSms': {
    ...md5, name: 'quickPay.resendSms', title: '快捷支付交易短信重发', section: '5.11', requestId: 778, responseId: 33546, acceptResponseIds: [33546], opened: true,
    request: [LIST_ID, RANDSTR],
    response: [status('响应状态，1：发送成功，其他都为失败', { '1': '发送成功' }), R_LIST_ID, R_ERRCODE, R_ERRMSG],
    roles: { platformOrderId: 'LIST_ID', state: 'STATUS' },
    notes: ['60秒可以重发一次: at most one resend per 60 s per order (the client enforces it).'],
  },
  'quickPay.boundPayConfirm': {
    ...md5, name: 'quickPay.boundPayConfirm', title: '快捷绑卡支付确认', section: '5.12', requestId: 779, responseId: 33547, acceptResponseIds: [33547], opened: true,
    request: [{ ...BIND_ID, description: '签约序列号；绑定ID' }, MERORDERID, { ...USER_ID, description: '商户生成的持卡人用户唯一标识' }, AMT, MSG_CODE, RANDSTR, NOTIFY_URL],
    response: [status('响应状态，0：状态未知,请发查询；1：确认成功，2：失败，3：已退款', { '0': '状态未知,请发查询', '1': '确认成功', '2': '失败', '3': '已退款' }), R_ERRCODE, R_ERRMSG, R_USER_ID, R_BIND_ID, R_LIST_ID, R_MERORDERID, R_PAY_DATE, R_NOTIFY_DATE, R_AMT, R_BANK_NAME, R_CARDNO],
    roles: ORDER_ROLES, states: { '0': 'paying', '1': 'paid', '2': 'failed', '3': 'refunded' },
    notes: ['Not marked 暂未开通 in the command table, but §4.2.2 交易流程B, which uses it, is marked 无法使用: opened stays true per the table.', 'STATUS 0 means "state unknown, query": normalised to paying, never resend.'],
  },
  'quickPay.boundPaySms': {
    ...md5, name: 'quickPay.boundPaySms', title: '绑卡支付短信', section: '5.13', requestId: 780, responseId: 33548, acceptResponseIds: [33548], opened: true,
    request: [{ ...BIND_ID, description: '签约序列号；绑定ID' }, MERORDERID, { ...USER_ID, description: '商户生成的持卡人用户唯一标识' }, PHONENO, AMT, { ...RANDSTR, presence: 'required' }],
    response: [status('响应状态，1：成功 其他请求失败', { '1': '成功' }), R_ERRCODE, R_ERRMSG, R_USER_ID, R_LIST_ID, R_MERORDERID, R_CARDNO],
    roles: { merchantOrderId: 'MERORDERID', platformOrderId: 'LIST_ID', state: 'STATUS' },
    notes: [
      'The AMT row is garbled by the extraction ("AMT 字段名 string(12) 属性 是否必须 描述"): read as string(12), required, fen like every quick-pay AMT.',
      'RANDSTR is 必须 in this table only (可选 elsewhere); the SDK fills it.',
      '§4.2.2 交易流程B is marked 无法使用; the command table does not mark it 暂未开通.',
    ],
  },
  'quickPay.bindSms': {
    ...md5, name: 'quickPay.bindSms', title: '鉴权绑卡短信', section: '5.1', requestId: 781, responseId: 33549, acceptResponseIds: [33549], opened: false,
    request: [MERORDERID, USER_ID, CARDNO, PHONENO, RANDSTR],
    response: [status('响应状态，1：绑卡中', { '1': '绑卡中' }), R_ERRCODE, R_ERRMSG, R_USER_ID, R_MERORDERID, R_CARDNO, R_LIST_ID],
    roles: { merchantOrderId: 'MERORDERID', platformOrderId: 'LIST_ID', state: 'STATUS' },
    notes: ['暂未开通.'],
  },
  'quickPay.unionPayOrder': {
    ...md5, name: 'quickPay.unionPayOrder', title: '银联快捷支付下单', section: '5.14', requestId: 783, responseId: 33551, acceptResponseIds: [33551], opened: true,
    request: [MERORDERID, AMT,
      { name: 'JUMP_URL', label: '前台支付成功跳转地址', type: 'string', maxLength: 255, presence: 'required', format: 'url', description: '前台支付成功跳转地址,不携带任何交易数据,只做展示用.部分上游可能不支持跳转.' },
      NOTIFY_URL,
      { name: 'TRADE_MODE', label: '返回方式', type: 'string', maxLength: 1, presence: 'optional', enum: ['1', '2'], meanings: { '1': '返回url地址', '2': '返回html' }, description: '传 1 返回url地址; 传 2 返回html，可直接在页面上输出html' },
      RANDSTR,
      { ...CARDNO, maxLength: 32, presence: 'optional', description: '部分上游需要此字段必传，具体是否需要传入请等生产账号下来后咨询技术' }],
    response: [status('响应状态，0：下单成功,订单待支付；1：订单已成功支付（理论上不会返回此状态），2：下单失败，3：已退款', { '0': '下单成功,订单待支付', '1': '订单已成功支付', '2': '下单失败', '3': '已退款' }),
      { ...R_ERRCODE, description: '错误码，STATUS不为0和1的时候，关注此返回值；错误码见列表' }, { ...R_ERRMSG, description: '错误信息，STATUS不为0和1的时候，关注此返回值' },
      R_LIST_ID, R_MERORDERID, R_PAY_DATE, R_NOTIFY_DATE,
      { name: 'PAY_URL', label: '支付地址', type: 'string', maxLength: 255, presence: 'required', format: 'url', description: '支付地址' }, R_AMT,
      { name: 'HTML', label: 'HTML', type: 'string', presence: 'conditional', description: 'TRADE_MODE传2时返回' }],
    roles: ORDER_ROLES, states: TRADE_STATES,
    notes: ['The response example carries ERRMSG "用户支付中" with the order still open: the order is settled by the notification or a query (§5.7), flow C.'],
  },
}) as const satisfies Record<string, OperationSpec>)();

/** §5.5 快捷支付异步通知: pushed to NOTIFY_URL, answered with a text starting with SUCCESS. */
export const quickPayNotification = {
  family: 'quickPay',
  title: '快捷支付异步通知',
  section: '5.5',
  commandIds: [35104],
  fields: [
    status('响应状态，1：成功', { '1': '成功' }), R_LIST_ID, R_MERORDERID, R_PAY_DATE, R_NOTIFY_DATE, R_AMT,
    { ...R_CARDNO, presence: 'conditional' },
    { name: 'PUSH_COUNT', label: '推送次数', type: 'int', presence: 'optional', description: '推送次数 (int(2))' },
    { name: 'CARDTYPE', label: '卡片类型', type: 'string', maxLength: 2, presence: 'conditional', meanings: { '1': '储蓄卡', '2': '信用卡' }, description: '当有卡号时返回,卡片类型 1 储蓄卡 2 信用卡' },
    { name: 'BANK_NAME', label: '银行名称', type: 'string', maxLength: 10, presence: 'conditional', description: '当有卡号时返回,银行名称' },
  ],
  roles: { merchantOrderId: 'MERORDERID', platformOrderId: 'LIST_ID', amount: 'AMT', paidAt: 'PAY_DATE', state: 'STATUS' },
  paidAtFormat: 'timestamp14',
  states: { '1': 'paid' },
  notes: [
    'No command id in the table; the example uses CommandID 35104 with NodeID "openplat".',
    'PUSH_COUNT appears twice in the table (条件 and 可选): one optional int field.',
  ],
} as const satisfies NotificationSpec;
