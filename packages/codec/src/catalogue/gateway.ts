/**
 * Gateway 网关 (PROTOCOL §1, §4): the pay request is an envelope posted by the browser in the
 * `web_api` form field; queries are JSON envelopes. NodeID `openapi`. The fields below are the
 * envelope's `Body`. Source: 网关支付接口规范 §3.2.1, §5.1–5.5 and appendix §8.1 of the platform document (see docs/PROTOCOL.md §12).
 */
import { batchQueryShape } from './quick-pay.js';
import type { FieldSpec, NotificationSpec, OperationSpec } from './types.js';

/** §8.1.1 B2C银行通道编码表 (test environment: YLBILL-NET-B2C; production codes from operations). */
export const GATEWAY_PAY_CHANNELS = {
  'YLBILL-NET-B2C': '银联',
  'ICBC-NET-B2C': '工商银行',
  'CMBCHINA-NET-B2C': '招商银行',
  'ABC-NET-B2C': '中国农业银行',
  'CCB-NET-B2C': '建设银行',
  'BCCB-NET-B2C': '北京银行',
  'BOCO-NET-B2C': '交通银行',
  'CIB-NET-B2C': '兴业银行',
  'CMBC-NET-B2C': '中国民生银行',
  'CEB-NET-B2C': '光大银行',
  'BOC-NET-B2C': '中国银行',
  'PINGANBANK-NET-B2C': '平安银行',
  'ECITIC-NET-B2C': '中信银行',
  'SDB-NET-B2C': '深圳发展银行',
  'GDB-NET-B2C': '广发银行',
  'SHB-NET-B2C': '上海银行',
  'SPDB-NET-B2C': '上海浦东发展银行',
  'POST-NET-B2C': '中国邮政',
  'BJRCB-NET-B2C': '北京农村商业银行',
} as const;

const MERORDERID = {
  name: 'MERORDERID',
  label: '商户订单号',
  type: 'string',
  maxLength: 32,
  presence: 'required',
  format: 'orderNo',
  description: '商户订单号 (PROTOCOL §7: ≤ 32)',
} as const;
const PAY_CHANNEL = {
  name: 'PAY_CHANNEL',
  label: '银行通道编码',
  type: 'string',
  maxLength: 50,
  presence: 'required',
  meanings: GATEWAY_PAY_CHANNELS,
  description:
    '银行通道编码（查看附录编码）; not restricted to the appendix list: production codes come from operations',
} as const;
const GOODSNAME = {
  name: 'GOODSNAME',
  label: '商品名称',
  type: 'string',
  maxLength: 32,
  presence: 'optional',
  description: '商品名称',
} as const;
const REMARK = {
  name: 'REMARK',
  label: '备注信息',
  type: 'string',
  maxLength: 255,
  presence: 'optional',
  description: '备注信息，UTF8编码',
} as const;

/** §5.2.2 / §5.3.3 / §5.5.2: the result fields of a gateway payment. */
const RESULT_FIELDS = [
  {
    name: 'STATUS',
    label: '响应状态',
    type: 'string',
    maxLength: 1,
    presence: 'required',
    meanings: { '0': '待支付', '1': '成功', '2': '失败', '3': '已退款' },
    description: '响应状态，0：待支付；1：成功，2：失败，3：已退款',
  },
  {
    name: 'ERRCODE',
    label: '错误码',
    type: 'string',
    maxLength: 4,
    presence: 'conditional',
    description: '错误码，STATUS不为1的时候，会有返回；错误码见列表',
  },
  {
    name: 'ERRMSG',
    label: '错误信息',
    type: 'string',
    maxLength: 255,
    presence: 'conditional',
    description: '错误信息，STATUS不为1的时候，会有返回',
  },
  {
    name: 'LIST_ID',
    label: '平台订单号',
    type: 'string',
    maxLength: 32,
    presence: 'required',
    description: '平台订单号',
  },
  {
    name: 'MERORDERID',
    label: '商户订单号',
    type: 'string',
    maxLength: 32,
    presence: 'required',
    description: '商户订单号，同请求商户订单号',
  },
  {
    name: 'AMT',
    label: '金额',
    type: 'string',
    maxLength: 12,
    presence: 'required',
    format: 'fen',
    description: '金额，单位：分',
  },
  GOODSNAME,
  { ...PAY_CHANNEL, description: '银行通道编码（查看附录编码）' },
  {
    name: 'PAY_DATE',
    label: '支付成功时间',
    type: 'string',
    maxLength: 14,
    presence: 'required',
    format: 'timestamp14',
    description: '支付成功时间，格式为：YYYYMMDDHHmmss 如：20170926150435',
  },
  {
    name: 'NOTIFY_DATE',
    label: '通知时间',
    type: 'string',
    maxLength: 14,
    presence: 'required',
    format: 'timestamp14',
    description: '通知时间，格式为：YYYYMMDDHHmmss 如：20170926150435',
  },
  { ...REMARK, description: '备注信息' },
] as const;

const TRADE_STATES = { '0': 'pending', '1': 'paid', '2': 'failed', '3': 'refunded' } as const;
const ROLES = {
  merchantOrderId: 'MERORDERID',
  platformOrderId: 'LIST_ID',
  amount: 'AMT',
  state: 'STATUS',
  paidAt: 'PAY_DATE',
} as const;
const md5 = { family: 'gateway', security: 'md5', opened: true } as const;
const HEADER_NOTE =
  'The gateway header table spells the merchant number "MEORDERID string(5)" and the pay example "MERN0": both mean MERNO string(15) (PROTOCOL §7); the envelope, not the Body, carries it.';

export const gatewayOperations = /* @__PURE__ */ (() =>
  ({
    'gateway.pay': {
      ...md5,
      name: 'gateway.pay',
      title: '网关支付请求',
      section: '5.1',
      requestId: 2322,
      responseId: 35090,
      acceptResponseIds: [35090],
      request: [
        MERORDERID,
        {
          name: 'AMT',
          label: '金额',
          type: 'string',
          maxLength: 12,
          presence: 'required',
          format: 'fen',
          description: '金额，单位：分 如：填写数值 1 表示0.01元 即交易金额1分钱',
        },
        {
          name: 'NOTIFY_URL',
          label: '后台接受通知地址',
          type: 'string',
          maxLength: 255,
          presence: 'required',
          format: 'url',
          description: '后台接受通知地址',
        },
        {
          name: 'JUMP_URL',
          label: '前台页面通知地址',
          type: 'string',
          maxLength: 255,
          presence: 'required',
          format: 'url',
          description: '前台页面通知地址',
        },
        PAY_CHANNEL,
        GOODSNAME,
        REMARK,
      ],
      response: [],
      roles: { merchantOrderId: 'MERORDERID' },
      notes: [
        'The request is not sent by the server: an auto-submitting HTML form posts the envelope JSON in the hidden field web_api (§5.1.2). There is no server-side response; 35090 is the table\'s "网关支付应答(前台)". The result arrives by notification (§5.2) or gateway.query; the browser return (§5.5) is not proof of payment.',
        'The table has no RANDSTR for the gateway; none is added.',
        HEADER_NOTE,
      ],
    },
    'gateway.query': {
      ...md5,
      name: 'gateway.query',
      title: '网关支付结果单笔查询',
      section: '5.3',
      requestId: 2323,
      responseId: 35091,
      acceptResponseIds: [35091, 35104],
      request: [MERORDERID],
      response: RESULT_FIELDS,
      roles: ROLES,
      states: TRADE_STATES,
      notes: [
        "Response id: the command table says 35091 (2323 + 0x8000); the response example shows 35104 (the notification example's id, apparently copied). responseId 35091, 35104 accepted.",
        'The response example spells "LIST ID" with a space (PROTOCOL §7 typo): the field is LIST_ID.',
      ],
    },
    'gateway.batchQuery': {
      ...md5,
      name: 'gateway.batchQuery',
      title: '网关支付多笔批量查询',
      section: '5.4',
      requestId: 782,
      responseId: 33550,
      acceptResponseIds: [33550, 33545],
      ...batchQueryShape,
      roles: { state: 'STATUS' },
      notes: [
        "Response id: the command table says 33550 (0x830E = 782 + 0x8000, the family's own rule); the response example shows 33545, which is quick pay's batch-query response (777 + 0x8000) — the example, with its card fields CARDNO/CARDTYPE/BIND_ID, was copied from quick pay §5.9. Chose 33550 (table and rule agree, and it keeps response ids unique per family); 33545 is accepted too, since only the signature is trusted.",
        "BIZ_CONTENT rows are documented with quick pay's card fields; the example sends BIZ_CONTENT as an object rather than a list.",
        'PERPAGE ≤ 1000, window ≤ 3 months (PROTOCOL §7); START_DATE/END_DATE YYYYMMDDHH, example YYYYMMDD: both accepted.',
      ],
    },
  }) as const satisfies Record<string, OperationSpec>)();

/** §5.2 网关支付异步通知. */
export const gatewayNotification = {
  family: 'gateway',
  title: '网关支付异步通知',
  section: '5.2',
  commandIds: [35090, 35104],
  fields: RESULT_FIELDS,
  roles: {
    merchantOrderId: 'MERORDERID',
    platformOrderId: 'LIST_ID',
    amount: 'AMT',
    paidAt: 'PAY_DATE',
    state: 'STATUS',
  },
  paidAtFormat: 'timestamp14',
  states: { '1': 'paid' },
  notes: [
    'The command table gives 35090 for the notification; the example uses 35104 with NodeID "openplat": both accepted, trust only the signature (PROTOCOL §4).',
  ],
} as const satisfies NotificationSpec;

/** §5.5 网关前台页面通知: GET parameters on JUMP_URL. Parsed for display only — never proof of payment (PROTOCOL §5). */
export const GATEWAY_BROWSER_RETURN_FIELDS: readonly FieldSpec[] = RESULT_FIELDS;
