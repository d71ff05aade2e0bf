/**
 * Scan code 扫码 (PROTOCOL §1, §4): MD5 envelope, NodeID `openplat`. The fields below are the
 * envelope's `Body`; MERNO/TERMNO/AGENTNO are header fields (扫码 §3.1 examples).
 * Source: 扫码接口规范 §3.2.1, §5–§10 of the platform document (see docs/PROTOCOL.md §12). Limits: MERORDERID ≤ 20, RANDSTR ≤ 20 (PROTOCOL §7).
 */
import type { NotificationSpec, OperationSpec } from './types.js';

// ── shared request fields ───────────────────────────────────────────────────────────────────
const AMT = { name: 'AMT', label: '金额', type: 'string', maxLength: 20, presence: 'required', format: 'fen', description: '金额，单位：分' } as const;
const MERORDERID = { name: 'MERORDERID', label: '商户订单号', type: 'string', maxLength: 20, presence: 'required', format: 'orderNo', description: '商户订单号，必须唯一 (PROTOCOL §7: ≤ 20)' } as const;
const RANDSTR = { name: 'RANDSTR', label: '随机字符串', type: 'string', maxLength: 20, presence: 'required', autofill: 'RANDSTR', description: '随机字符串，不长于20位' } as const;
const GOODSNAME = { name: 'GOODSNAME', label: '商品名称', type: 'string', maxLength: 15, minLength: 1, presence: 'required', description: '商品名称，长度限制 1~15个字符串' } as const;
const NOTIFY_URL_50 = { name: 'NOTIFY_URL', label: '支付结果通知地址', type: 'string', maxLength: 50, presence: 'required', format: 'url', description: '支付结果通知地址' } as const;
const NOTIFY_URL_100 = { ...NOTIFY_URL_50, maxLength: 100 } as const;
const TIME_END = { name: 'TIME_END', label: '交易过期时间', type: 'string', maxLength: 30, presence: 'conditional', format: 'dateTime', description: '交易过期时间，格式：yyyy-mm-dd hh24:mi:ss，不传默认5分钟订单失效' } as const;
const CUR_COND = { name: 'CUR', label: '币种', type: 'string', maxLength: 4, presence: 'conditional', enum: ['CNY'], description: '默认人民币，上送CNY' } as const;
const CUR_REQ = { ...CUR_COND, presence: 'required', autofill: 'CUR', default: 'CNY' } as const;
const IP = { name: 'IP', label: '交易IP地址', type: 'string', maxLength: 18, presence: 'conditional', description: '交易IP地址' } as const;
const JUMP_URL_32 = { name: 'JUMP_URL', label: '支付成功后前台跳转地址', type: 'string', maxLength: 32, presence: 'conditional', format: 'url', description: '支付成功后前台跳转地址（暂不传）' } as const;
const JUMP_URL_100 = { name: 'JUMP_URL', label: '前端支付跳转地址', type: 'string', maxLength: 100, presence: 'required', format: 'url', description: '前端支付跳转地址' } as const;
const IS_RAW = { name: 'IS_RAW', label: '是否原生态返回', type: 'string', maxLength: 1, presence: 'conditional', enum: ['1', '2'], meanings: { '1': '是', '2': '否' }, description: '下预订单是否原生态返回：1 是 2 否，默认是2(是否支持原生态返回请咨询技术)' } as const;
const ISTO = { name: 'ISTO', label: '结算方式', type: 'string', maxLength: 1, presence: 'conditional', enum: ['1', '2'], meanings: { '1': 'T1(默认)', '2': 'T0' }, description: '1：T1(默认) 2：T0 做T0交易的时候，如果T0交易失败，默认走T1交易' } as const;
const LIMIT_PAY = { name: 'LIMIT_PAY', label: '是否限制信用卡交易', type: 'string', maxLength: 32, presence: 'conditional', enum: ['1', '2'], meanings: { '1': '限制', '2': '不限制(默认)' }, description: '是否限制信用卡交易 1: 限制 2: 不限制(默认)' } as const;
const TRADETYPE_SCAN_ONLY = { name: 'TRADETYPE', label: '交易类型', type: 'string', maxLength: 1, presence: 'required', enum: ['1'], meanings: { '1': '正扫' }, description: '交易类型：1、正扫' } as const;
const code = /* @__NO_SIDE_EFFECTS__ */ (wallet: string) => ({ name: 'CODE', label: '付款码', type: 'string', maxLength: 32, presence: 'required', secret: true, description: `用户${wallet}付款码` }) as const;
const ORDERNO_EITHER = { name: 'ORDERNO', label: '交易订单号', type: 'string', maxLength: 20, presence: 'conditional', format: 'orderNo', description: '交易订单号，跟商户订单号其中必须上送一个' } as const;
const MERORDERID_EITHER = { name: 'MERORDERID', label: '商户订单号', type: 'string', maxLength: 20, presence: 'conditional', format: 'orderNo', description: '商户订单号，跟交易订单号其中必须上送一个' } as const;

// ── shared response fields ──────────────────────────────────────────────────────────────────
const R_ORDERNO = { name: 'ORDERNO', label: '平台订单号', type: 'string', maxLength: 18, presence: 'required', description: '平台订单号' } as const;
const R_URL = { name: 'URL', label: '支付地址', type: 'string', maxLength: 100, presence: 'required', description: '支付地址，在app扫码打开这个地址，公众号支付的时候跟PAY_INFO字段互斥' } as const;
const R_PAY_INFO = { name: 'PAY_INFO', label: '原生态数据', type: 'string', maxLength: 100, presence: 'conditional', format: 'json', description: '公众号下单原生态数据，json字符串' } as const;
const R_TRADETYPE = { name: 'TRADETYPE', label: '交易类型', type: 'string', maxLength: 1, presence: 'required', meanings: { '1': '正扫', '2': '公众号支付' }, description: '交易类型：1、正扫、2公众号支付' } as const;
const R_TRADETIME = { name: 'TRADETIME', label: '下订单交易时间', type: 'string', presence: 'required', format: 'dateTime', description: '下订单交易时间,格式：YYYY-MM-DD 24H:i:s' } as const;
const R_MERORDERID = { name: 'MERORDERID', label: '商户订单号', type: 'string', maxLength: 20, presence: 'required', description: '商户订单号' } as const;
const R_ERR_CODE_MSG = { name: 'ERR_CODE_MSG', label: '错误信息', type: 'string', maxLength: 100, presence: 'conditional', description: '错误信息，STATUS为2的时候，会有返回 (STATUS为3的时候，返回用户支付中信息)' } as const;
const R_ERR_CODE = { name: 'ERR_CODE', label: '错误码', type: 'string', maxLength: 20, presence: 'conditional', description: '错误码，STATUS为2的时候，会有返回；STATUS为3的时候，返回AA；错误码见列表' } as const;
const R_ERR_CODE_4 = { ...R_ERR_CODE, maxLength: 4 } as const;
const status = /* @__NO_SIDE_EFFECTS__ */ (description: string, meanings: Readonly<Record<string, string>>) =>
  ({ name: 'STATUS', label: '状态', type: 'string', maxLength: 1, presence: 'required', meanings, description }) as const;
const R_WALLET_TRADETYPE = { name: 'TRADETYPE', label: '交易类型', type: 'string', maxLength: 1, presence: 'required', meanings: { '1': '微信', '2': '支付宝', '3': 'QQ钱包' }, description: '交易类型1，微信，2支付宝，3 QQ钱包' } as const;
const R_AMT_20 = { name: 'AMT', label: '交易金额', type: 'string', maxLength: 20, presence: 'required', format: 'fen', description: '交易金额，单位：分' } as const;
const R_PAYTIME = { name: 'PAYTIME', label: '支付时间', type: 'string', presence: 'required', format: 'dateTime', description: '支付时间，格式：YYYY-MM-DD 24H:i:s' } as const;

/** Native / JSAPI pre-order response (§5.1.3, §6.1.2, §6.3.2, §6.4.2, §7.1.2, §8.1.2, §9.1.2). */
const ORDER_RESPONSE = [R_ORDERNO, R_URL, R_PAY_INFO, R_TRADETYPE, R_TRADETIME, R_MERORDERID, status('下订单状态：1成功，2失败', { '1': '下订单成功', '2': '下订单失败' }), R_ERR_CODE_MSG, R_ERR_CODE] as const;
/** Micropay 刷卡 response (§5.2.3, §6.2.3, §7.2.3): STATUS 3 / ERR_CODE AA = paying, poll scan.query (PROTOCOL §5). */
const MICROPAY_RESPONSE = [R_ORDERNO, R_TRADETIME, R_MERORDERID, status('订单状态，1：成功，2失败，3支付中', { '1': '成功', '2': '失败', '3': '支付中' }), R_ERR_CODE_MSG, R_ERR_CODE] as const;
/** H5 response (§5.3, §6.5.2). */
const H5_RESPONSE = [R_ORDERNO, R_TRADETIME, R_MERORDERID, status('订单状态，1：成功，2失败', { '1': '成功', '2': '失败' }), { ...R_URL, description: '支付地址，打开会唤醒app进行支付' }, R_ERR_CODE_MSG, R_ERR_CODE] as const;
/** Static/dynamic code, JD, UnionPay wallet request (§6.3.1, §6.4.1, §8.1.1, §9.1.1). */
const SIMPLE_ORDER_REQUEST = [TRADETYPE_SCAN_ONLY, AMT, MERORDERID, RANDSTR, GOODSNAME, NOTIFY_URL_50, TIME_END, CUR_COND, IP] as const;
const MICROPAY_REQUEST = /* @__NO_SIDE_EFFECTS__ */ (wallet: string) => [AMT, CUR_REQ, GOODSNAME, NOTIFY_URL_100, MERORDERID, RANDSTR, code(wallet), TIME_END, IP, ISTO, LIMIT_PAY] as const;
const ORDER_QUERY_LIKE_REQUEST = [ORDERNO_EITHER, MERORDERID_EITHER, { ...RANDSTR, description: '随机字符串，不长于20位 (table: string(15))' }] as const;
const ORDER_QUERY_LIKE_RESPONSE = /* @__NO_SIDE_EFFECTS__ */ (meanings: Readonly<Record<string, string>>, description: string) =>
  [{ ...R_ORDERNO, maxLength: 20 }, R_AMT_20, R_TRADETIME, R_PAYTIME, status(description, meanings), R_MERORDERID, R_WALLET_TRADETYPE, R_ERR_CODE_MSG, R_ERR_CODE_4] as const;
const REFUND_RESPONSE = [
  { name: 'REFUND_ORDERNO', label: '平台退款订单号', type: 'string', maxLength: 20, presence: 'required', description: '平台退款订单号' },
  { name: 'AMT', label: '退款金额', type: 'string', maxLength: 20, presence: 'required', format: 'fen', description: '退款金额,单位:分' },
  { name: 'REFUND_TIME', label: '退款申请时间', type: 'string', presence: 'required', format: 'dateTime', description: '退款申请时间,格式:YYYY-MM-DD 24H:i:s' },
  status('订单状态:1、受理成功,2退款失败', { '1': '受理成功', '2': '退款失败' }),
  { name: 'REFUND_MERORDERID', label: '商户退款订单号', type: 'string', maxLength: 20, presence: 'required', description: '商户退款订单号' },
  R_ERR_CODE_MSG, R_ERR_CODE_4,
] as const;

const ORDER_ROLES = { merchantOrderId: 'MERORDERID', platformOrderId: 'ORDERNO', state: 'STATUS' } as const;
const ORDER_STATES = { '1': 'pending', '2': 'failed' } as const;
const MICROPAY_STATES = { '1': 'paid', '2': 'failed', '3': 'paying' } as const;
const EITHER_ORDER = { kind: 'atLeastOne', fields: ['ORDERNO', 'MERORDERID'] } as const;
const md5 = { family: 'scan', security: 'md5', opened: true } as const;
const EITHER_NOTE = 'ORDERNO and MERORDERID are both 必须 in the table but "跟…其中必须上送一个" in prose: presence conditional, rule atLeastOne.';
const RANDSTR15_NOTE = 'RANDSTR: the table says string(15), its description ("不长于20位") and PROTOCOL §7 say ≤ 20: maxLength 20.';
const ORDER_NOTE = 'Pre-order STATUS 1 means the order was created (下订单成功), not paid: normalised to pending; payment arrives by notification (2324) or scan.query.';
const MICROPAY_NOTE = 'Micropay: STATUS 3 / ERR_CODE AA means the user is still paying: poll scan.query, then scan.cancel (PROTOCOL §5). An immediate success is not pushed.';

export const scanOperations = /* @__PURE__ */ (() => ({
  'scan.wechatOrder': {
    ...md5, name: 'scan.wechatOrder', title: '微信公众号/正扫下预订单', section: '5.1', requestId: 2306, responseId: 35074, acceptResponseIds: [35074],
    request: [
      { name: 'TRADETYPE', label: '交易类型', type: 'string', maxLength: 1, presence: 'required', enum: ['1', '2'], meanings: { '1': '正扫', '2': '公众号支付' }, description: '交易类型：1、正扫、2公众号支付' },
      AMT, MERORDERID, RANDSTR, GOODSNAME, NOTIFY_URL_50, TIME_END, CUR_COND, IP, JUMP_URL_32,
      { name: 'OPENID', label: '微信用户openid', type: 'string', maxLength: 32, presence: 'conditional', description: '微信用户openid，TRADETYPE为2的时候，必传' },
      IS_RAW, ISTO, LIMIT_PAY,
      { name: 'IS_MINIPG', label: '小程序支付', type: 'string', maxLength: 32, presence: 'conditional', meanings: { '1': '小程序支付' }, description: 'TRADETYPE 为2（公众号支付）时，此值为1，表示小程序支付；不传表示公众账号内支付' },
      { name: 'SUP_APPID', label: 'AppID', type: 'string', maxLength: 32, presence: 'conditional', description: '公众号支付时为微信公众平台AppID；小程序支付时为小程序的AppID' },
    ],
    response: ORDER_RESPONSE,
    rules: [{ kind: 'requiredWhen', field: 'OPENID', when: { field: 'TRADETYPE', in: ['2'] } }],
    roles: ORDER_ROLES, states: ORDER_STATES, notes: [ORDER_NOTE],
  },
  'scan.wechatMicropay': {
    ...md5, name: 'scan.wechatMicropay', title: '微信刷卡支付', section: '5.2', requestId: 2307, responseId: 35075, acceptResponseIds: [35075],
    request: MICROPAY_REQUEST('微信支付'), response: MICROPAY_RESPONSE,
    roles: ORDER_ROLES, states: MICROPAY_STATES, notes: [MICROPAY_NOTE],
  },
  'scan.wechatH5': {
    ...md5, name: 'scan.wechatH5', title: '微信H5支付', section: '5.3', requestId: 2321, responseId: 35089, acceptResponseIds: [35089],
    request: [AMT, CUR_REQ, GOODSNAME, NOTIFY_URL_100, JUMP_URL_100, TIME_END, IP, MERORDERID, RANDSTR, LIMIT_PAY],
    response: H5_RESPONSE,
    roles: ORDER_ROLES, states: ORDER_STATES,
    notes: [ORDER_NOTE, 'TIME_END format is cut to "yyyy-mm-dd" in this table; read as yyyy-mm-dd hh24:mi:ss like every other scan table.', 'The URL must be opened outside the WeChat app.'],
  },
  'scan.alipayOrder': {
    ...md5, name: 'scan.alipayOrder', title: '支付宝服务窗/正扫下预订单', section: '6.1', requestId: 2308, responseId: 35076, acceptResponseIds: [35076],
    request: [
      { name: 'TRADETYPE', label: '交易类型', type: 'string', maxLength: 1, presence: 'required', enum: ['1', '2'], meanings: { '1': '正扫', '2': '服务窗' }, description: '交易类型：1、正扫、2服务窗' },
      AMT, MERORDERID, RANDSTR, GOODSNAME, NOTIFY_URL_50, TIME_END, CUR_COND, IP, JUMP_URL_32,
      { name: 'ALIPAY_USER_ID', label: '买家支付宝用户id', type: 'string', maxLength: 32, presence: 'conditional', description: '买家支付宝用户id user_id' },
      { name: 'ALIPAY_ACCOUNT', label: '买家支付宝用户账号', type: 'string', maxLength: 32, presence: 'conditional', description: '买家支付宝用户账号(TRADETYPE为2时,用户id和买家账号不可同时为空)' },
      IS_RAW, ISTO, LIMIT_PAY,
    ],
    response: ORDER_RESPONSE,
    rules: [{ kind: 'atLeastOne', fields: ['ALIPAY_USER_ID', 'ALIPAY_ACCOUNT'], when: { field: 'TRADETYPE', in: ['2'] } }],
    roles: ORDER_ROLES, states: ORDER_STATES, notes: [ORDER_NOTE],
  },
  'scan.alipayMicropay': {
    ...md5, name: 'scan.alipayMicropay', title: '支付宝刷卡支付', section: '6.2', requestId: 2309, responseId: 35077, acceptResponseIds: [35077],
    request: MICROPAY_REQUEST('支付宝'), response: MICROPAY_RESPONSE,
    roles: ORDER_ROLES, states: MICROPAY_STATES,
    notes: [MICROPAY_NOTE, 'The §3.1 envelope example (CommandID 2309) sends Body {AMT, RANDSTR, MERORDER} with trailing commas: MERORDER is a typo for MERORDERID and the text is not valid JSON; it only illustrates the envelope.'],
  },
  'scan.alipayStaticCode': {
    ...md5, name: 'scan.alipayStaticCode', title: '支付宝静态码支付', section: '6.3', requestId: 1026, responseId: 33794, acceptResponseIds: [33794],
    request: SIMPLE_ORDER_REQUEST, response: ORDER_RESPONSE, roles: ORDER_ROLES, states: ORDER_STATES, notes: [ORDER_NOTE],
  },
  'scan.alipayDynamicCode': {
    ...md5, name: 'scan.alipayDynamicCode', title: '支付宝动态码支付', section: '6.4', requestId: 1027, responseId: 33795, acceptResponseIds: [33795],
    request: SIMPLE_ORDER_REQUEST, response: ORDER_RESPONSE, roles: ORDER_ROLES, states: ORDER_STATES,
    notes: [ORDER_NOTE, 'The PAY_INFO row of the response table is garbled ("PAY_字段名"): read as PAY_INFO like the other order responses.'],
  },
  'scan.alipayH5': {
    ...md5, name: 'scan.alipayH5', title: '支付宝H5支付', section: '6.5', requestId: 1030, responseId: 33798, acceptResponseIds: [33798],
    request: [AMT, CUR_REQ, GOODSNAME, NOTIFY_URL_100, { ...JUMP_URL_100, description: '前端支付跳转地址(暂不传)' }, TIME_END, IP, MERORDERID, RANDSTR],
    response: H5_RESPONSE, roles: ORDER_ROLES, states: ORDER_STATES,
    notes: [ORDER_NOTE, 'JUMP_URL is 必须 yet described "(暂不传)": kept required as the table says.', 'TIME_END format is cut to "yyyy-mm-dd": read as yyyy-mm-dd hh24:mi:ss.'],
  },
  'scan.qqOrder': {
    ...md5, name: 'scan.qqOrder', title: 'QQ钱包/正扫下预订单', section: '7.1', requestId: 2325, responseId: 35093, acceptResponseIds: [35093],
    request: [
      { name: 'TRADETYPE', label: '交易类型', type: 'string', maxLength: 1, presence: 'required', enum: ['1', '2'], meanings: { '1': '正扫', '2': '服务窗' }, description: '交易类型: 1、正扫、2服务窗' },
      AMT, MERORDERID, RANDSTR, GOODSNAME, NOTIFY_URL_50, TIME_END, CUR_COND, IP, JUMP_URL_32, IS_RAW, ISTO, LIMIT_PAY,
    ],
    response: ORDER_RESPONSE, roles: ORDER_ROLES, states: ORDER_STATES,
    notes: [ORDER_NOTE, 'The URL row of the response table is garbled by the extraction (header words in its cells): read as URL string(100) 必须 like the other order responses.'],
  },
  'scan.qqMicropay': {
    ...md5, name: 'scan.qqMicropay', title: 'QQ钱包反扫支付', section: '7.2', requestId: 776, responseId: 35094, acceptResponseIds: [35094],
    request: MICROPAY_REQUEST('QQ钱包'), response: MICROPAY_RESPONSE, roles: ORDER_ROLES, states: MICROPAY_STATES,
    notes: [MICROPAY_NOTE, 'Documented exception (PROTOCOL §4): request 776 (0x0308) answers 35094 (0x8916), not 776 + 0x8000. 776 is also quick pay\'s bind query: ids are per family.'],
  },
  'scan.jdOrder': {
    ...md5, name: 'scan.jdOrder', title: '京东正扫下预订单', section: '8.1', requestId: 1031, responseId: 33799, acceptResponseIds: [33799],
    request: SIMPLE_ORDER_REQUEST, response: ORDER_RESPONSE, roles: ORDER_ROLES, states: ORDER_STATES, notes: [ORDER_NOTE],
  },
  'scan.unionPayWalletOrder': {
    ...md5, name: 'scan.unionPayWalletOrder', title: '银联钱包正扫下预订单', section: '9.1', requestId: 1025, responseId: 33793, acceptResponseIds: [33793],
    request: SIMPLE_ORDER_REQUEST, response: ORDER_RESPONSE, roles: ORDER_ROLES, states: ORDER_STATES, notes: [ORDER_NOTE],
  },
  'scan.query': {
    ...md5, name: 'scan.query', title: '查询订单', section: '10.3', requestId: 2310, responseId: 35078, acceptResponseIds: [35078],
    request: ORDER_QUERY_LIKE_REQUEST,
    response: ORDER_QUERY_LIKE_RESPONSE({ '1': '成功', '2': '失败', '3': '支付中' }, '订单状态，1：成功，2失败，3支付中'),
    rules: [EITHER_ORDER],
    roles: { ...ORDER_ROLES, amount: 'AMT', paidAt: 'PAYTIME' }, states: MICROPAY_STATES,
    notes: [EITHER_NOTE, RANDSTR15_NOTE],
  },
  'scan.cancel': {
    ...md5, name: 'scan.cancel', title: '撤销订单', section: '10.4', requestId: 2311, responseId: 35079, acceptResponseIds: [35079],
    request: ORDER_QUERY_LIKE_REQUEST,
    response: ORDER_QUERY_LIKE_RESPONSE({ '1': '撤单成功', '2': '撤单失败' }, '订单状态:1、撤单成功,2撤单失败'),
    rules: [EITHER_ORDER],
    roles: { ...ORDER_ROLES, amount: 'AMT' }, states: { '1': 'closed' },
    notes: [EITHER_NOTE, RANDSTR15_NOTE, 'Call at least 15 s after the payment request.', 'STATUS 2 (撤单失败) says nothing about the trade: no normalised state.'],
  },
  'scan.refund': {
    ...md5, name: 'scan.refund', title: '退款', section: '10.6', requestId: 2312, responseId: 35080, acceptResponseIds: [35080],
    request: [...ORDER_QUERY_LIKE_REQUEST,
      { name: 'REFUND_MERORDERID', label: '商户退款订单号', type: 'string', maxLength: 20, presence: 'required', format: 'orderNo', description: '商户退款订单号' },
      { ...AMT, label: '退款金额', description: '退款金额 (单位：分)' }],
    response: REFUND_RESPONSE,
    rules: [EITHER_ORDER],
    roles: { merchantOrderId: 'REFUND_MERORDERID', platformOrderId: 'REFUND_ORDERNO', amount: 'AMT', state: 'STATUS' }, states: { '1': 'accepted', '2': 'failed' },
    notes: [EITHER_NOTE, RANDSTR15_NOTE, 'Roles name the refund\'s own order numbers.', 'Never resent blindly: settle an unknown outcome with scan.refundQuery.'],
  },
  'scan.refundQuery': {
    ...md5, name: 'scan.refundQuery', title: '退款查询订单', section: '10.7', requestId: 2313, responseId: 35081, acceptResponseIds: [35081],
    request: [
      { name: 'REFUND_ORDERNO', label: '平台退款订单号', type: 'string', maxLength: 20, presence: 'conditional', format: 'orderNo', description: '平台退款订单号,跟商户退款订单号其中必须上送一个' },
      { ...RANDSTR, description: '随机数 (table: string(15))' },
      { name: 'REFUND_MERORDERID', label: '商户退款订单号', type: 'string', maxLength: 20, presence: 'conditional', format: 'orderNo', description: '商户退款订单号，跟平台退款订单号其中必须上送一个' },
    ],
    response: REFUND_RESPONSE,
    rules: [{ kind: 'atLeastOne', fields: ['REFUND_ORDERNO', 'REFUND_MERORDERID'] }],
    roles: { merchantOrderId: 'REFUND_MERORDERID', platformOrderId: 'REFUND_ORDERNO', amount: 'AMT', state: 'STATUS' }, states: { '1': 'accepted', '2': 'failed' },
    notes: [
      'The REFUND_MERORDERID row was displaced by the extraction below the "11. 响应码说明" heading; it belongs to this table.',
      'REFUND_ORDERNO and REFUND_MERORDERID are both 必须 in the table but "其中必须上送一个" in prose: presence conditional, rule atLeastOne.',
      RANDSTR15_NOTE,
    ],
  },
  'scan.close': {
    ...md5, name: 'scan.close', title: '关闭订单', section: '10.5', requestId: 2314, responseId: 35082, acceptResponseIds: [35082],
    request: ORDER_QUERY_LIKE_REQUEST,
    response: ORDER_QUERY_LIKE_RESPONSE({ '1': '关闭订单成功', '2': '关闭订单失败' }, '订单状态:1、关闭订单成功,2关闭订单失败'),
    rules: [EITHER_ORDER],
    roles: { ...ORDER_ROLES, amount: 'AMT' }, states: { '1': 'closed' },
    notes: [EITHER_NOTE, RANDSTR15_NOTE],
  },
}) as const satisfies Record<string, OperationSpec>)();

/** §10.8 支付结果通知 (CommandID 2324): pushed for micropay, JSAPI and native payments. */
export const scanNotification = {
  family: 'scan',
  title: '支付结果通知',
  section: '10.8',
  commandIds: [2324],
  fields: [
    { name: 'AMT', label: '交易金额', type: 'int', presence: 'required', format: 'fen', description: '交易金额,单位:分 (int(20): may arrive as a JSON number)' },
    { name: 'ORDERNO', label: '平台订单号', type: 'string', maxLength: 20, presence: 'required', description: '平台订单号' },
    { name: 'TRDETIME', label: '交易时间', type: 'string', presence: 'required', format: 'dateTime', description: '交易时间,格式:YYYY-MM-DD 24H:i:s (spelled TRDETIME in the push table)' },
    { name: 'TRADETIME', label: '交易时间', type: 'string', presence: 'optional', format: 'dateTime', description: 'The spelling every other scan table uses; accepted in case the platform sends it' },
    { name: 'PAYTIME', label: '支付时间', type: 'string', presence: 'required', format: 'dateTime', description: '支付时间,格式:YYYY-MM-DD 24H:i:s' },
    status('支付状态:1,支付成功,支付成功才会推送交易结果', { '1': '支付成功' }),
    R_WALLET_TRADETYPE,
    { name: 'MERORDERID', label: '商户订单号', type: 'string', maxLength: 20, presence: 'required', description: '商户订单号' },
  ],
  roles: { merchantOrderId: 'MERORDERID', platformOrderId: 'ORDERNO', amount: 'AMT', paidAt: 'PAYTIME', state: 'STATUS' },
  paidAtFormat: 'dateTime',
  states: { '1': 'paid' },
  notes: [
    'TRDETIME is the push table\'s spelling (PROTOCOL §7 typo of TRADETIME); both are listed, neither is needed for normalisation.',
    'AMT is typed int(20) here (string elsewhere): normalise a JSON number to its digits; the signature covers whichever form arrived.',
    'Retry schedule 0,15,15,30,180,1800×5,3600 s; answer SUCCESS.',
  ],
} as const satisfies NotificationSpec;
