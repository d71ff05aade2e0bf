// The codes the sandbox answers with. The document's own: envelope RetCode 1 / 0 (快捷 §6,
// 扫码 §11, 网关 §6), body codes 00 / AA / D4, payout RETCODE table (代付 §6.2), and the
// negative-response text style of its examples ("[-2002] 没有该订单", FAQ "[-3005]").
// Where the document has no code for a situation the sandbox must still answer, it uses the
// `S…` codes below (README "Codes"), never a code the document gives another meaning.

export const RETCODE_STRUCTURE = 0; // 消息结构体错误

/** Texts of the negative response (CommandID 32768), in the document's "[code] text" style. */
export const NEGATIVE = {
  parameter: '[1001] 参数错误',
  merchant: '[1002] 不存在此商户或商户未激活',
  sign: '[1006] 签名错误',
  version: '[1007] 版本号错误',
  noOrder: '[-2002] 没有该订单',
  command: '[1001] 不支持的命令字',
  structure: '[0] 消息结构体错误',
} as const;

/** Body codes: [ERRCODE / ERR_CODE, text]. */
export const BODY = {
  duplicate: ['1008', '商户订单号重复'],
  paying: ['AA', '用户支付中'],
  closed: ['D4', '订单已关闭'],
  mismatch: ['D4', '要素不匹配'],
  declined: ['S1', '支付失败'],
  smsCode: ['S2', '短信验证码错误'],
  smsTooSoon: ['S3', '短信发送过于频繁，60秒内只能发送一次'],
  badState: ['S4', '订单状态不允许此操作'],
  refundTooMuch: ['S5', '退款金额超过可退金额'],
  noBind: ['S6', '绑定关系不存在或已解除'],
} as const;

/** 代付 §6.2 返回码 used by the sandbox. */
export const PAYOUT = {
  ok: ['0000', '交易成功'],
  unknown: ['0001', '系统异常，需要发起订单查询'],
  parameter: ['1001', '参数错误'],
  merchant: ['1002', '不存在此商户或商户未激活'],
  noCert: ['1004', '商户未生成证书'],
  encrypt: ['1005', '加密错误'],
  sign: ['1006', '签名错误'],
  version: ['1007', '版本号错误'],
  duplicate: ['1008', '流水号重复'],
  busiType: ['1011', '业务类型错误'],
  amount: ['1030', '代付金额错误'],
  accType: ['1019', '付款人账号类型错误'],
  bothEmpty: ['1027', '商户付款订单号和平台代付流水号不能同时为空'],
  noOrder: ['1028', '商户付款订单号不存在'],
  noPlatformOrder: ['1029', '平台代付流水号不存在'],
  balance: ['1031', '商户余额不足'],
  advance: ['1049', '商户垫资余额不足'],
} as const;
