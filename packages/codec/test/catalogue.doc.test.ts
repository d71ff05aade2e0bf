// The catalogue checked against the platform document itself (the platform document, PROTOCOL §4).
// The excerpts below are the document's command tables and request-parameter tables copied
// verbatim (tabs and extraction damage included) by line number; this test parses them on its own
// — not through the catalogue — and compares. Every place where the catalogue deviates from a table
// (a length, a presence, a type, a field added or missing) must be explained by a `notes` entry of
// that operation that names the field: an unexplained deviation fails.
import { describe, expect, it } from 'vitest';
import {
  catalogue,
  findOperation,
  findOperationByResponseId,
  NOTIFICATION_COMMAND_IDS,
  notifications,
  operationNames,
} from '@mmsp/codec';
import type { Family, FieldSpec, NotificationSpec, OperationName, OperationSpec } from '@mmsp/codec';

/** Command tables: 代付 §6.1.1, 快捷 §3.2.1, 扫码 §3.2.1, 网关 §3.2.1 ([first line, text]). */
const COMMAND_TABLES: Record<Family, [number, string]> = {
  payout: [
    593,
    String.raw`
CommandID值	命令字说明
0x1001	单笔代付请求
0x1002	单笔代付结果查询请求
0x1003	账户余额查询请求
`,
  ],
  quickPay: [
    872,
    String.raw`

CommandID值	十进制	命令字说明
0x8000	32768	统一否定应答
0x0303	771	快捷支付交易请求
0x8303	33539	快捷支付交易应答
0x0304	772	交易发送短信确认请求
0x8304	33540	交易发送短信确认应答
0x0305	773	快捷单笔交易查询请求
0x8305	33541	快捷单笔交易查询应答
0x0306	774	鉴权绑卡请求(暂未开通)
0x8306	33542	鉴权绑卡应答
0x030D	781	鉴权绑卡短信请求(暂未开通)
0x830D	33549	鉴权绑卡短信应答
0x030B	779	快捷绑卡支付确认请求
0x830B	33547	快捷绑卡支付确认应答
0x030C	780	绑卡支付短信请求
0x830C	33548	绑卡支付短信应答
0x0307	775	快捷支付解绑请求(暂未开通)
0x8307	33543	快捷支付解绑应答
0x0308	776	快捷支付绑卡查询请求(暂未开通)
0x8308	33544	快捷支付绑卡查询应答
0x0309	777	快捷支付多笔批量查询请求
0x8309	33545	快捷支付多笔批量查询应答
0x030A	778	快捷支付交易短信重发
0x830A	33546	快捷支付交易短信重发应答
0x030F	783	银联快捷下单
0x830F	33551	银联快捷下单应答
`,
  ],
  scan: [
    1691,
    String.raw`
CommandID值	CommandID值(十进制)	命令字说明
0x8000	32768	统一否定应答
0x0902	2306	微信公众号/正扫下预订单
0x8902	35074	微信公众号/正扫下预订单返回
0x0903	2307	微信刷卡支付
0x8903	35075	微信刷卡支付返回
0x0904	2308	支付宝公众号/正扫下预订单
0x8904	35076	支付宝公众号/正扫下预订单返回
0x0905	2309	支付宝刷卡
0x8905	35077	支付宝刷卡返回
0x0915	2325	QQ正扫/钱包下预订单
0x8915	35093	QQ正扫/钱包下预订单返回
0x0308	776	QQ钱包反扫支付
0x8916	35094	QQ钱包反扫支付返回
0x0401	1025	银联钱包正扫
0x8401	33793	银联钱包正扫返回
0x0402	1026	支付宝静态码支付
0x8402	33794	支付宝静态码支付返回
0x0403	1027	支付宝动态码支付
0x8403	33795	支付宝动态码支付返回
0x0406	1030	支付宝H5
0x8406	33798	支付宝H5返回
0x0407	1031	京东扫码支付
0x8407	33799	京东扫码支付返回
0x0906	2310	查询订单
0x8906	35078	查询订单返回
0x0907	2311	撤销订单
0x8907	35079	撤销订单返回
0x0908	2312	退款
0x8908	35080	退款返回
0x0909	2313	退款查询订单
0x8909	35081	退款查询订单返回
0x090A	2314	关闭订单
0x890A	35082	关闭订单返回
0x0911	2321	微信H5
0x8911	35089	微信H5返回
0x0914	2324	推送支付结果
`,
  ],
  gateway: [
    2405,
    String.raw`
CommandID值	十进制	命令字说明
0x8000	32768	统一否定应答
0x0912	2322	网关支付请求
0x8912	35090	网关支付应答(前台)
0x8912	35090	网关支付异步通知请求
0x8912	35090	网关支付异步通知应答
0x0913	2323	网关支付结果单笔查询请求
0x8913	35091	网关支付结果单笔查询应答
0x030E	782	网关支付结果多笔查询请求
0x830E	33550	网关支付结果多笔查询应答
`,
  ],
};

/** Request-parameter tables (请求参数) of every operation ([heading line, text up to the example]). */
const REQUEST_TABLES: Record<OperationName, [number, string]> = {
  'payout.pay': [
    375,
    String.raw`

字段名	中文名	类型	是否必填	说明
CMDID	命令字	int	必须	0x1001
VERSION	版本号	string(3)	必须	默认填1.0
MERNO	商户号	string(20)	必须	MMSP平台分配的商户号
ORDERNO	商户代付单号	string(32)	必须	商户系统内部的订单号,确保在商户端唯一, 必须为数字
REQTIME	请求时间	string(14)	必须	商户请求付款时间, 年月日时分秒固定为YYYYMMDDhhmmss
AMT	交易金额	string	必须	交易金额不大于一千万, 单位为分, 如金额为100元, 应填10000
BUSIYPE	业务类型	string(3)	必须	参见《附录: 业务类型定义》。默认填001 (业务往来款项)
ACCNAME	收款人姓名	string(20)	必须	收款人银行卡户名
ACCNO	收款人账号	string(20)	必须	收款人银行卡账号
MEMO	备注信息	string(64)	必须	备注
PAYTYPE	付款方式	int	选填	付款方式 1-余额支付 2-企业网银 3-垫资支付 缺省值为1
ACCTYPE	账号类型	string	必须	0-借记卡, 1-贷记卡, 2-对公账号, 暂不支持贷记卡
CVV2	信用卡安全码	string	选填	信用卡安全码
MOBILE	收款人手机号码	string(11)	必须	收款人手机号码
BANKNAME	开户行名称	string	必须	开户行全称
BANKSETTLENO	开户行支行联行号	string(10)	选填	对公账户必传: 传开户所在支行的联行号, 参考《银行联行号.xlsx》对私账户: 不传
BANKBRANCHNAME	支行名称	string(32)	选填	预留
BANKPROV	开户行省	string	选填	直辖市省: 北京, 上海, 重庆, 天津。其他XX省
BANKCITY	开户行市	string	选填	直辖市市: 北京市, 上海市, 重庆市, 天津市。其XX市
IDCARD	身份证	string(32)	选填	收款人身份证
CHLNO	渠道号	string	选填	代付渠道号
CHLMERNO	代付商户号	string	选填	代付商户号
`,
  ],
  'payout.query': [
    459,
    String.raw`

字段名	中文名	类型	是否必填	说明
CMDID	命令字	int	必须	0x1002
VERSION	版本号	string	必须	默认填"1.0"
MERNO	商户号	string	必须	MMSP平台分配商户号
ORDERNO	商户代付单号	string	选填	商户系统内部的订单号与BSORDERNO二选一
BSORDERNO	MMSP平台代付单号	string	选填	MMSP平台代付单号与ORDERNO二选一
REQTIME	请求时间	string	必须	商户时间,年月日时分秒固定为YYYYMMDDhhmmss;本查询请求的发起时间
`,
  ],
  'payout.balance': [
    514,
    String.raw`

字段名	中文名	类型	是否必填	说明
CMDID	命令字	int	必须	0x1003
VERSION	版本号	string	必须	默认填写1.0
QRYTYPE	查询类型	int	必须	查询类型1-只查余额，2-所有账目，3-查询垫资可用额度，目前只支持查询商户余额
MERNO	商户号	string	必须	MMSP平台分配的商户号
ORDERNO	查询流水	string	必须	余额查询流水，纯数字
REQTIME	请求时间	string	必须	商户时间，年月日时分秒固定为YYYYMMDDhhmmss；本查询交易的发起时间；同时日期可作为垫资可用额度的查询条件
`,
  ],
  'quickPay.bindSms': [
    1017,
    String.raw`

字段名	属性	是否必须	描述
MERORDERID	string(32)	必须	商户订单号，同一商户号下订单号必须唯一
USER_ID	string(32)	必须	商户自己系统生成的持卡人用户唯一标识；即持卡人唯一标识ID
CARDNO	string(20)	必须	卡号
PHONENO	string(11)	必须	持卡人手机号
RANDSTR	string(32)	可选	随机字符串，10位，为保证交易密文的随机性，建议上送此字段
`,
  ],
  'quickPay.bind': [
    1055,
    String.raw`

字段名	属性	是否必须	描述
MERORDERID	string(32)	必须	商户订单号，同一商户号下订单号必须唯一
USER_ID	string(32)	必须	商户自己系统生成的持卡人用户唯一标识；即持卡人唯一标识ID
CARDNO	string(20)	必须	卡号
CARDTYPE	string(1)	必须	1：借记卡 2：信用卡
EXPDATE	string(4)	条件	如果CARDTYPE为2时；必须填写信用卡有效期 格式：MMYY 如：0617 必须4位合法日期
CVN2	string(3)	条件	如果CARDTYPE为2时；必须填写信用卡背面cvn2码
NAME	string(32)	必须	持卡人姓名
ID_NO	string(32)	必须	身份证号码
PHONENO	string(11)	必须	持卡人手机号
MSG_CODE	string(6)	必须	根据绑卡短信接受到的短信验证码 示例值：123456
RANDSTR	string(32)	可选	随机字符串，10位，为保证交易密文的随机性，建议上送此字段
`,
  ],
  'quickPay.pay': [
    1102,
    String.raw`

字段名	属性	是否必须	描述
MERORDERID	string(32)	必须	商户订单号，必须唯一
CARDNO	string(20)	必须	卡号
AMT	string(12)	必须	金额，单位：分 如：填写数值 1 表示0.01元
CARDTYPE	string(1)	必须	1：借记卡 2：信用卡
EXPDATE	string(4)	条件	如果CARDTYPE为1时不需要填;如果CARDTYPE为2时；必须填写信用卡有效期 格式：MMYY 如：0617 必须4
CVN2	string(3)	条件	如果CARDTYPE为1时不需要填;如果CARDTYPE为2时；必须填写信用卡背面cvn2码
NAME	string(32)	必须	持卡人姓名
ID_NO	string(32)	必须	身份证号码
PHONENO	string(11)	必须	持卡人手机号
RANDSTR	string(32)	可选	随机字符串，10位，为保证交易密文的随机性，建议上送此字段
USER_ID	string(32)	条件	商户自己系统生成的持卡人用户唯一标识；即持卡人在商户侧唯一标识ID，如需在交易后完成绑卡此字段
NOTIFY_URL	string(255)	必须	后台异步接受通知地址
`,
  ],
  'quickPay.confirmSms': [
    1157,
    String.raw`

字段名	属性	是否必须	描述
LIST_ID	string(32)	必须	平台订单号
MSG_CODE	string(6)	必须	短信验证码 示例值：123456
RANDSTR	string(32)	可选	随机字符串，10位，为保证交易密文的随机性，建议上送此字段

字段名	属性	是否必须	描述
-----	----	------	----
`,
  ],
  'quickPay.unbind': [
    1227,
    String.raw`

字段名	属性	是否必须	描述
BIND_ID	string(32)	必须	签约序列号
`,
  ],
  'quickPay.query': [
    1246,
    String.raw`

字段名	属性	是否必须	描述
MERORDERID	string(32)	必须	商户订单号
`,
  ],
  'quickPay.bindQuery': [
    1280,
    String.raw`

字段名	属性	是否必须	描述
BIND_ID	string(32)	必须	签约序列号
`,
  ],
  'quickPay.batchQuery': [
    1307,
    String.raw`

字段名	属性	是否必须	描述
START_DATE	string(14)	必须	开始日期 格式为：YYYYMMDDHH 如：20170926
END_DATE	string(14)	必须	结束日期 格式为：YYYYMMDDHH 如：20171211
PERPAGE	string(10)	必须	每页返回的条数 默认10条 最多1000条
PAGE	string(10)	必须	当前页
`,
  ],
  'quickPay.resendSms': [
    1362,
    String.raw`

字段名	属性	是否必须	描述
LIST_ID	string(32)	必须	平台订单号
RANDSTR	string(32)	可选	随机字符串，10位，为保证交易密文的随机性，建议上送此字段
`,
  ],
  'quickPay.boundPayConfirm': [
    1394,
    String.raw`

字段名	属性	是否必须	描述
BIND_ID	string(32)	必须	签约序列号；绑定ID
MERORDERID	string(32)	必须	商户订单号，必须唯一
USER_ID	string(32)	必须	商户生成的持卡人用户唯一标识
AMT	string(12)	必须	金额，单位：分 如：填写数值 1 表示0.01元
MSG_CODE	string(6)	必须	短信验证码 示例值：123456
RANDSTR	string(32)	可选	随机字符串，10位，为保证交易密文的随机性，建议上送此字段
NOTIFY_URL	string(255)	必须	后台异步接受通知地址
`,
  ],
  'quickPay.boundPaySms': [
    1439,
    String.raw`

字段名	属性	是否必须	描述
BIND_ID	string(32)	必须	签约序列号；绑定ID
MERORDERID	string(32)	必须	商户订单号，必须唯一
USER_ID	string(32)	必须	商户生成的持卡人用户唯一标识
PHONENO	string(11)	必须	持卡人手机号

AMT 字段名 string(12) 属性 是否必须 描述
RANDSTR string(32) 必须 随机字符串，10位，为保证交易密文的随机性，建议上送此字段
`,
  ],
  'quickPay.unionPayOrder': [
    1479,
    String.raw`

字段名	属性	是否必须	描述
MERORDERID	string(32)	必须	商户订单号，必须唯一
AMT	string(12)	必须	金额，单位：分 如：填写数值 1 表示0.01元
JUMP_URL	string(255)	必须	前台支付成功跳转地址,不携带任何交易数据,只做展示用.部分上游可能不支持跳转.
NOTIFY_URL	string(255)	必须	后台异步接受通知地址
TRADE_MODE	string(1)	可选	传 1 返回url地址; 传 2 返回html，可直接在页面上输出html
RANDSTR	string(32)	可选	随机字符串，10位，为保证交易密文的随机性，建议上送此字段
CARDNO	string(32)	可选	部分上游需要此字段必传，具体是否需要传入请等生产账号下来后咨询技术
`,
  ],
  'scan.wechatOrder': [
    1765,
    String.raw`

字段名	属性	是否必须	描述
TRADETYPE	string(1)	必须	交易类型：1、正扫、2公众号支付
AMT	string(20)	必须	金额，单位：分
MERORDERID	string(20)	必须	商户订单号，必须唯一
RANDSTR	string(20)	必须	随机字符串，不长于20位
GOODSNAME	string(15)	必须	商品名称，长度限制 1~15个字符串
NOTIFY_URL	string(50)	必须	支付结果通知地址
TIME_END	string(30)	条件	交易过期时间，格式：yyyy-mm-dd hh24:mi:ss，不传默认5分钟订单失效
CUR	string(4)	条件	默认人民币，上送CNY
IP	string(18)	条件	交易IP地址
JUMP_URL	string(32)	条件	支付成功后前台跳转地址（暂不传）
OPENID	string(32)	条件	微信用户openid，TRADETYPE为2的时候，必传
IS_RAW	string(1)	条件	公众号下预订单是否原生态返回：1 是 2 否，默认是2(是否支持原生态返回请咨询技术)
ISTO	string(1)	条件	1：T1(默认) 2：T0 做T0交易的时候，如果T0交易失败，默认走T1交易，只会扣除T1的手续费，不会多扣除T0
LIMIT_PAY	string(32)	条件	是否限制信用卡交易 1: 限制 2: 不限制(默认)
IS_MINIPG	string(32)	条件	TRADETYPE 为2（公众号支付）时，此值为1，表示小程序支付；不传或值不为1，表示公众账号内支付
SUP_APPID	string(32)	条件	当发起公众号支付时，值是微信公众平台基本配置中的AppID(应用ID)；当发起小程序支付时，值是对应小程序的AppID
`,
  ],
  'scan.wechatMicropay': [
    1802,
    String.raw`

字段名	属性	是否必须	描述
AMT	string(20)	必须	金额，单位：分
CUR	string(4)	必须	默认人民币，上送CNY
GOODSNAME	string(15)	必须	商品名称，长度限制 1~15个字符串

字段名	属性	是否必须	描述
NOTIFY_URL	string(100)	必须	支付结果通知地址
MERORDERID	string(20)	必须	商户订单号，必须唯一
RANDSTR	string(20)	必须	随机字符串，不长于20位
CODE	string(32)	必须	用户微信支付款码
TIME_END	string(30)	条件	交易过期时间，格式：yyyy-mm-dd hh24:mi:ss，不传默认5分钟订单失效
IP	string(18)	条件	交易IP地址
ISTO	string(1)	条件	1：T1(默认) 2：T0 做T0交易的时候，如果T0交易失败，默认走T1交易，只会扣除T1的手续费，不会多扣除T0
LIMIT_PAY	string(32)	条件	是否限制信用卡交易 1: 限制 2: 不限制(默认)
`,
  ],
  'scan.wechatH5': [
    1838,
    String.raw`

字段名	属性	是否必须	描述
AMT	string(20)	必须	金额，单位：分
CUR	string(4)	必须	默认人民币，上送CNY
GOODSNAME	string(15)	必须	商品名称，长度限制 1~15个字符串
NOTIFY_URL	string(100)	必须	支付结果通知地址
JUMP_URL	string(100)	必须	前端支付跳转地址
TIME_END	string(30)	条件	交易过期时间，格式：yyyy-mm-dd
IP	string(18)	条件	交易IP地址
MERORDERID	string(20)	必须	商户订单号，必须唯一
RANDSTR	string(20)	必须	随机字符串，不长于20位
LIMIT_PAY	string(32)	条件	是否限制信用卡交易 1: 限制 2: 不限制(默认)
`,
  ],
  'scan.alipayOrder': [
    1867,
    String.raw`

字段名	属性	是否必须	描述
TRADETYPE	string(1)	必须	交易类型：1、正扫、2服务窗
AMT	string(20)	必须	金额，单位：分
MERORDERID	string(20)	必须	商户订单号，必须唯一
RANDSTR	string(20)	必须	随机字符串，不长于20位
GOODSNAME	string(15)	必须	商品名称，长度限制 1~15个字符串
NOTIFY_URL	string(50)	必须	支付结果通知地址
TIME_END	string(30)	条件	交易过期时间，格式：yyyy-mm-dd hh24:mi:ss，不传默认5分钟订单失效
CUR	string(4)	条件	默认人民币，上送CNY
IP	string(18)	条件	交易IP地址
JUMP_URL	string(32)	条件	支付成功后前台跳转地址（暂不传）
ALIPAY_USER_ID	string(32)	条件	买家支付宝用户id user_id
ALIPAY_ACCOUNT	string(32)	条件	买家支付宝用户账号(TRADETYPE为2时,用户id和买家账号不可同时为空)
IS_RAW	string(1)	条件	支付宝服务窗下预订单是否原生态返回：1 是 2 否，默认是2(是否支持原生态返回请咨询技术)
ISTO	string(1)	条件	1：T1(默认) 2：T0 做T0交易的时候，如果T0交易失败，默认走T1交易，只会扣除T1的手续费，不会多扣除T0
LIMIT_PAY	string(32)	条件	是否限制信用卡交易 1: 限制 2: 不限制(默认)
`,
  ],
  'scan.alipayMicropay': [
    1903,
    String.raw`

字段名	属性	是否必须	描述
AMT	string(20)	必须	金额，单位：分
CUR	string(4)	必须	默认人民币，上送CNY
GOODSNAME	string(15)	必须	商品名称，长度限制 1~15个字符串
NOTIFY_URL	string(100)	必须	支付结果通知地址
MERORDERID	string(20)	必须	商户订单号，必须唯一
RANDSTR	string(20)	必须	随机字符串，不长于20位
CODE	string(32)	必须	用户支付宝付款码
TIME_END	string(30)	条件	交易过期时间，格式：yyyy-mm-dd hh24:mi:ss，不传默认5分钟订单失效
IP	string(18)	条件	交易IP地址
ISTO	string(1)	条件	1：T1(默认) 2：T0 做T0交易的时候，如果T0交易失败，默认走T1交易，只会扣除T1的手续费，不会多扣除T0
LIMIT_PAY	string(32)	条件	是否限制信用卡交易 1: 限制 2: 不限制(默认)
`,
  ],
  'scan.alipayStaticCode': [
    1937,
    String.raw`

字段名	属性	是否必须	描述
TRADETYPE	string(1)	必须	交易类型：1、正扫
AMT	string(20)	必须	金额，单位：分
MERORDERID	string(20)	必须	商户订单号，必须唯一
RANDSTR	string(20)	必须	随机字符串，不长于20位
GOODSNAME	string(15)	必须	商品名称，长度限制 1~15个字符串
NOTIFY_URL	string(50)	必须	支付结果通知地址
TIME_END	string(30)	条件	交易过期时间，格式：yyyy-mm-dd hh24:mi:ss，不传默认5分钟订单失效
CUR	string(4)	条件	默认人民币，上送CNY
IP	string(18)	条件	交易IP地址
`,
  ],
  'scan.alipayDynamicCode': [
    1967,
    String.raw`

字段名	属性	是否必须	描述
TRADETYPE	string(1)	必须	交易类型：1、正扫
AMT	string(20)	必须	金额，单位：分
MERORDERID	string(20)	必须	商户订单号，必须唯一
RANDSTR	string(20)	必须	随机字符串，不长于20位
GOODSNAME	string(15)	必须	商品名称，长度限制 1~15个字符串
NOTIFY_URL	string(50)	必须	支付结果通知地址
TIME_END	string(30)	条件	交易过期时间，格式：yyyy-mm-dd hh24:mi:ss，不传默认5分钟订单失效
CUR	string(4)	条件	默认人民币，上送CNY
IP	string(18)	条件	交易IP地址
`,
  ],
  'scan.alipayH5': [
    1998,
    String.raw`

字段名	属性	是否必须	描述
AMT	string(20)	必须	金额, 单位: 分
CUR	string(4)	必须	默认人民币, 上送CNY
GOODSNAME	string(15)	必须	商品名称, 长度限制 1~15个字符串
NOTIFY_URL	string(100)	必须	支付结果通知地址
JUMP_URL	string(100)	必须	前端支付跳转地址(暂不传)
TIME_END	string(30)	条件	交易过期时间, 格式: yyyy-mm-dd
IP	string(18)	条件	交易IP地址
MERORDERID	string(20)	必须	商户订单号, 必须唯一
RANDSTR	string(20)	必须	随机字符串, 不长于20位
`,
  ],
  'scan.qqOrder': [
    2026,
    String.raw`

字段名	属性	是否必须	描述
TRADETYPE	string(1)	必须	交易类型: 1、正扫、2服务窗
AMT	string(20)	必须	金额, 单位: 分
MERORDERID	string(20)	必须	商户订单号, 必须唯一
RANDSTR	string(20)	必须	随机字符串, 不长于20位
GOODSNAME	string(15)	必须	商品名称, 长度限制 1~15个字符串
NOTIFY_URL	string(50)	必须	支付结果通知地址
TIME_END	string(30)	条件	交易过期时间, 格式: yyyy-mm-dd hh24:mi:ss, 不传默认5分钟订单失效
CUR	string(4)	条件	默认人民币, 上送CNY
IP	string(18)	条件	交易IP地址
JUMP_URL	string(32)	条件	支付成功后前台跳转地址 (暂不传)
IS_RAW	string(1)	条件	QQ钱包下预订单是否原生态返回: 1 是 2 否, 默认是2(是否支持原生态返回请咨询技术)
ISTO	string(1)	条件	1: T1(默认) 2: T0 做T0交易的时候, 如果T0交易失败, 默认走T1交易, 只会扣除T1的手续费, 不会多扣除T0
LIMIT_PAY	string(32)	条件	是否限制信用卡交易 1: 限制 2: 不限制(默认)
`,
  ],
  'scan.qqMicropay': [
    2061,
    String.raw`

字段名	属性	是否必须	描述
AMT	string(20)	必须	金额，单位：分
CUR	string(4)	必须	默认人民币，上送CNY
GOODSNAME	string(15)	必须	商品名称，长度限制 1~15个字符串
NOTIFY_URL	string(100)	必须	支付结果通知地址
MERORDERID	string(20)	必须	商户订单号，必须唯一
RANDSTR	string(20)	必须	随机字符串，不长于20位
CODE	string(32)	必须	用户QQ钱包付款码
TIME_END	string(30)	条件	交易过期时间，格式：yyyy-mm-dd hh24:mi:ss，不传默认5分钟订单失效
IP	string(18)	条件	交易IP地址
ISTO	string(1)	条件	1：T1(默认) 2：T0 做T0交易的时候，如果T0交易失败，默认走T1交易，只会扣除T1的手续费，不会多扣除T0
LIMIT_PAY	string(32)	条件	是否限制信用卡交易 1: 限制 2: 不限制(默认)
`,
  ],
  'scan.jdOrder': [
    2093,
    String.raw`

字段名	属性	是否必须	描述
TRADETYPE	string(1)	必须	交易类型：1、正扫
AMT	string(20)	必须	金额，单位：分
MERORDERID	string(20)	必须	商户订单号，必须唯一
RANDSTR	string(20)	必须	随机字符串，不长于20位
GOODSNAME	string(15)	必须	商品名称，长度限制 1~15个字符串
NOTIFY_URL	string(50)	必须	支付结果通知地址
TIME_END	string(30)	条件	交易过期时间，格式：yyyy-mm-dd hh24:mi:ss，不传默认5分钟订单失效
CUR	string(4)	条件	默认人民币，上送CNY
IP	string(18)	条件	交易IP地址
`,
  ],
  'scan.unionPayWalletOrder': [
    2123,
    String.raw`

字段名	属性	是否必须	描述
TRADETYPE	string(1)	必须	交易类型：1、正扫
AMT	string(20)	必须	金额，单位：分
MERORDERID	string(20)	必须	商户订单号，必须唯一
RANDSTR	string(20)	必须	随机字符串，不长于20位
GOODSNAME	string(15)	必须	商品名称，长度限制 1~15个字符串
NOTIFY_URL	string(50)	必须	支付结果通知地址
TIME_END	string(30)	条件	交易过期时间，格式：yyyy-mm-dd hh24:mi:ss，不传默认5分钟订单失效
CUR	string(4)	条件	默认人民币，上送CNY
IP	string(18)	条件	交易IP地址
`,
  ],
  'scan.query': [
    2168,
    String.raw`

字段名	属性	是否必须	描述
ORDERNO	string(20)	必须	交易订单号，跟商户订单号其中必须上送一个
MERORDERID	string(20)	必须	商户订单号，跟交易订单号其中必须上送一个
RANDSTR	string(15)	必须	随机字符串，不长于20位
`,
  ],
  'scan.cancel': [
    2192,
    String.raw`

字段名	属性	是否必须	描述
ORDERNO	string(20)	必须	交易订单号，跟商户订单号其中必须上送一个
MERORDERID	string(20)	必须	商户订单号，跟交易订单号其中必须上送一个
RANDSTR	string(15)	必须	随机字符串，不长于20位
`,
  ],
  'scan.close': [
    2214,
    String.raw`

字段名	属性	是否必须	描述
ORDERNO	string(20)	必须	交易订单号,跟商户订单号其中必须上送一个
MERORDERID	string(20)	必须	商户订单号,跟交易订单号其中必须上送一个
RANDSTR	string(15)	必须	随机字符串,不长于20位
`,
  ],
  'scan.refund': [
    2236,
    String.raw`

字段名	属性	是否必须	描述
ORDERNO	string(20)	必须	交易订单号,跟商户订单号其中必须上送一个
MERORDERID	string(20)	必须	商户订单号,跟交易订单号其中必须上送一个
RANDSTR	string(15)	必须	随机字符串,不长于20位
REFUND_MERORDERID	string(20)	必须	商户退款订单号
AMT	string(20)	必须	退款金额
`,
  ],
  'scan.refundQuery': [
    2258,
    String.raw`

字段名	属性	是否必须	描述
REFUND_ORDERNO	string(20)	必须	平台退款订单号,跟商户退款订单号其中必须上送一个
RANDSTR	string(15)	必须	随机数
`,
  ],
  'gateway.pay': [
    2467,
    String.raw`

字段名	属性	是否必须	描述
MERORDERID	string(32)	必须	商户订单号
AMT	string(12)	必须	金额，单位：分 如：填写数值 1 表示0.01元 即交易金额1分钱
NOTIFY_URL	string(255)	必须	后台接受通知地址
JUMP_URL	string(255)	必须	前台页面通知地址
PAY_CHANNEL	string(50)	必须	银行通道编码（查看附录编码）
GOODSNAME	string(32)	可选	商品名称
REMARK	string(255)	可选	备注信息，UTF8编码
`,
  ],
  'gateway.query': [
    2532,
    String.raw`

字段名	属性	是否必须	描述
-----	----	------	----

- | - | - | - MERORDERID | string(32) | 必须 | 商户订单号
`,
  ],
  'gateway.batchQuery': [
    2572,
    String.raw`

字段名	属性	是否必须	描述
START_DATE	string(14)	必须	开始日期 格式为: YYYYMMDDHH 如: 20170926
END_DATE	string(14)	必须	结束日期 格式为: YYYYMMDDHH 如: 20171211
PERPAGE	string(10)	必须	每页返回的条数 默认10条 最多1000条
PAGE	string(10)	必须	当前页
`,
  ],
};

/** Response-parameter tables (应答参数) and the notification tables (快捷 §5.5.2, 扫码 §10.8, 网关 §5.2.2). */
const RESPONSE_TABLES: Record<string, [number, string]> = {
  'payout.pay': [
    401,
    String.raw`

字段名	中文名	类型	是否必填	说明
RETCODE	结果	string(4)	必须	错误码, 具体参见错误码对照表
RETMSG	结果描述	string(255)	必须	错误信息描述, 成功则返回以下数据的加密结果, 存入到ENCRYPT字段
MERNO	商户号	string(20)	必须	MMSP平台分配的商户号
ORDERNO	商户代付单号	string(14)	必须	商户系统内部的订单号
BSORDERNO	MMSP平台代付单号	string(14)	必须	MMSP平台代付订单号
PAYSTATE	该笔代付状态	int	必须	该笔代付状态: 1-付款成功, 2-付款中, 3-付款失败
DESC	该笔代付状态描述	string	必须	代付状态描述
RSPTIME	响应时间	string(14)	必须	响应时间, 年月日时分秒固定为YYYYMMDDhhmmss
`,
  ],
  'payout.query': [
    469,
    String.raw`

字段名	中文名	类型	是否必填	说明
RETCODE	结果	string	必须	错误码,具体参见错误码对照表
REMSG	结果描述	string	必须	错误信息描述成功则返回以下数据的加密结果,存入到ENCRYPT字段
MERNO	商户号	string	必须	MMSP平台分配的商户号
ORDERNO	商户代付单号	string	必须	商户系统请求付款订单号
BSORDERNO	MMSP平台代付单号	string	必须	MMSP平台代付单号
PAYSTATE	该笔代付状态	int	必须	该笔代付状态:1-付款成功,2-付款中,3-付款失败,5-代付请求已受理,等待审核
DESC	该笔代付状态描述	string	必须	状态描述
AMT	付款金额	int	必须	订单总金额,单位为分
CURTYPE	金额类型	Int	必须	金额类型1-人民币(单位:分)
ACCNAME	收款人姓名	string	必须	收款人姓名
ACCNO	收款人账号	string	必须	收款人账号
BUSIYPE	业务类型	string	必须	参见《附录:业务类型定义》。默认填001(业务往来款项)
MEMO	摘要	string	必须	简单的附言
RSPTIME	响应时间	string	必须	响应时间,年月日时分秒固定为YYYYMMDDhhmmss

MOBILE	字段名	收款人手机号码	类型	是否必填	收款人手机号码	说明
BANKNAME	开户行名称		string	选填	参见《附录：支持银行列表》	
BANKSETTLENO	开户行银联机构号		string	选填	参见《附录：支持银行列表》	
BANKBRACHNONAME	支行名称		string	选填	预留	
BUSINO	业务号码		string	选填	业务类型对应的号码，预留	
`,
  ],
  'payout.balance': [
    524,
    String.raw`

字段名	中文名	类型	是否必填	说明
RETCODE	结果	string	必须	错误码，具体参见错误码对照表
RETMMSG	结果描述	string	必须	错误信息描述，成功则返回以下数据的加密结果，存入到ENCRYPT字段
RSPTIME	响应时间	string	必须	响应时间，年月日时分秒固定为YYYYMMDDhhmmss
ACCINFO	账户信息	string	必须	当商户走多种业务渠道时，账户信息会有多组，以下信息会出现多组
ACCSTATUS	账户状态	int	必须	帐户状态：1.正常，0.冻结
BALANCE	待清算金额	int	必须	T1商户每笔交易的实时进账后的金额（单位分）
BALANCEPAY	余额代付可用金额	int	必须	当前商户可用来代付的余额（单位分）
ADVANCEPAY	垫资代付可用金额	int	必须	当前商户可用来垫资代付（单位分）
FREEZEBAL	冻结余额	int	必须	账户冻结余额（单位分）
ISCHARGE	商户属性	string	必须	商户属性：1:不记账，2:记账
MERTYPE	商户类型	string	必须	商户类型：1：T1交易，2：D0交易
CHLNO	渠道号	string	必须	代付渠道号
CHLMERNO	渠道商户	string	必须	代付渠道商户号
LIMIT_DOWN	最小金额	string	必须	渠道代付最小金额
LIMIT_TOP	最大金额	string	必须	渠道代付最大金额
BEGIN_AT	开始时间	string	必须	渠道代付开始时间
END_AT	结束时间	string	必须	渠道代付结束时间
HOLIDAYTYPE	节假日的出款方式	int	必须	节假日的出款方式：0:不可以，1:垫资，2:余额，3:垫资余额都可以
SETTLE_AT	清算时间	int	必须	渠道清算时间
SETTLE_TYPE	清算类型	string	必须	渠道清算类型：1：T1清算，2：D1清算
`,
  ],
  'quickPay.bindSms': [
    1032,
    String.raw`

字段名	属性	是否必须	描述
STATUS	string(1)	必须	响应状态，1：绑卡中
ERRCODE	string(4)	条件	错误码，STATUS不为1的时候，会有返回；错误码见列表
ERRMSG	string(255)	条件	错误信息，STATUS不为1的时候，会有返回
USER_ID	string(32)	必须	商户生成的持卡人用户唯一标识
MERORDERID	string(32)	必须	商户订单号，同请求商户订单号
CARDNO	string(20)	必须	卡号
LIST_ID	string(32)	必须	平台订单号
`,
  ],
  'quickPay.bind': [
    1076,
    String.raw`

字段名	属性	是否必须	描述
STATUS	string(1)	必须	响应状态，1：成功 其他表示失败或未绑定
ERRCODE	string(4)	条件	错误码，STATUS不为1的时候，会有返回；错误码见列表
ERRMSG	string(255)	条件	错误信息，STATUS不为1的时候，会有返回
LIST_ID	string(32)	必须	平台订单号
BIND_ID	string(32)	必须	签约序列号；即持卡人绑定ID
USER_ID	string(32)	必须	商户生成的持卡人用户唯一标识
MERORDERID	string(32)	必须	商户订单号，同请求商户订单号

CARDNO string(20) 必须 卡号
`,
  ],
  'quickPay.pay': [
    1124,
    String.raw`

字段名	属性	是否必须	描述
STATUS	string(1)	必须	响应状态，0：下单成功,订单待支付；1：订单已成功支付（理论上不会返回此状态），2：下单失败，3：已
ERRCODE	string(4)	条件	错误码，STATUS不为0和1的时候，关注此返回值；错误码见列表
ERRMSG	string(255)	条件	错误信息，STATUS不为0和1的时候，关注此返回值，其他情况无需关注
LIST_ID	string(32)	必须	平台订单号
MERORDERID	string(32)	必须	商户订单号，同请求商户订单号
PAY_DATE	string(14)	必须	支付成功时间，格式为：YYYYMMDDHHmmss 如：20170926150435
NOTIFY_DATE	string(14)	必须	通知时间，格式为：YYYYMMDDHHmmss
AMT	string(12)	必须	金额，单位：分
BANK_NAME	string(12)	必须	所属银行名称 如：招商银行
CARDNO	string(20)	必须	卡号
BIND_ID	string(32)	条件	签约序列号；即持卡人绑定ID。交易时如传入USER_ID则此字段有返回值。
`,
  ],
  'quickPay.confirmSms': [
    1173,
    String.raw`

字段名	属性	是否必须	描述
STATUS	string(1)	必须	响应状态，1：成功，其他都为失败
LIST_ID	string(32)	条件	平台订单号,STATUS为1时返回
ERRCODE	string(4)	条件	错误码，STATUS不为1的时候，会有返回；错误码见列表
ERRMSG	string(255)	条件	错误信息，STATUS不为1的时候，会有返回
`,
  ],
  'quickPay.unbind': [
    1232,
    String.raw`

字段名	属性	是否必须	描述
STATUS	string(1)	必须	响应状态，1：成功，其他都为失败
ERRCODE	string(4)	条件	错误码，STATUS不为1的时候，会有返回；错误码见列表

ERRMSG string(255) 条件 错误信息，STATUS不为1的时候，会有返回
`,
  ],
  'quickPay.query': [
    1255,
    String.raw`

字段名	属性	是否必须	描述
STATUS	string(1)	必须	响应状态，0：待支付；1：成功，2：失败，3：已退款
ERRCODE	string(4)	条件	错误码，STATUS不为1的时候，会有返回；错误码见列表
ERRMSG	string(255)	条件	错误信息，STATUS不为1的时候，会有返回
LIST_ID	string(32)	必须	平台订单号
MERORDERID	string(32)	必须	商户订单号，同请求商户订单号
PAY_DATE	string(14)	必须	支付成功时间，格式为：YYYYMMDDHHmmss 如：20170926150435
NOTIFY_DATE	string(14)	必须	通知时间，格式为：YYYYMMDDHHmmss
CARDNO	string(20)	必须	卡号
AMT	string(12)	必须	金额，单位：分
CARDTYPE	string(1)	必须	1：借记卡 2：信用卡
BIND_ID	string(32)	条件	签约序列号；即持卡人绑定ID。交易时如传入USER_ID则此字段有返回值。
`,
  ],
  'quickPay.bindQuery': [
    1285,
    String.raw`

字段名	属性	是否必须	描述
STATUS	string(1)	必须	响应状态，1：成功，其他都为失败
ERRCODE	string(4)	条件	错误码，STATUS不为1的时候，会有返回；错误码见列表
ERRMSG	string(255)	条件	错误信息，STATUS不为1的时候，会有返回
LIST_ID	string(32)	必须	平台订单号
CARDNO	string(20)	必须	持卡人卡号
CARDTYPE	string(1)	必须	1：借记卡 2：信用卡
EXPDATE	string(4)	条件	信用卡有效期 格式：MMYY 如：0617
CVN2	string(3)	条件	信用卡背面cvn2码
NAME	string(32)	必须	持卡人姓名
ID_NO	string(32)	必须	身份证号码
PHONENO	string(11)	必须	持卡人手机号
BIND_ID	string(32)	必须	签约序列号
`,
  ],
  'quickPay.batchQuery': [
    1321,
    String.raw`

字段名	属性	是否必须	描述
STATUS	string(1)	必须	响应状态，1：查询订单成功表示有数据，0或其他其它均表示查询失败或无数据
ERRCODE	string(4)	条件	错误码，STATUS不为1的时候，会有返回；错误码见列表
ERRMSG	string(255)	条件	错误信息，STATUS不为1的时候，会有返回
BIZ_CONTENT	[]	必须	具体数据包
PERPAGE	string(10)	必须	每页返回的条数
PAGE	string(10)	必须	当前页
TOTAL_NUM	string(10)	必须	记录总条数
TOTAL_PAGE	string(10)	必须	总页数

BIZ_CONTENT 参数内容如下:

字段名	属性	是否必须	描述
STATUS	string(1)	必须	支付状态，0：待支付；1：成功，2：失败，3：已退款
LIST_ID	string(32)	必须	平台订单号
MERORDERID	string(32)	必须	商户订单号，同请求商户订单号
PAY_DATE	string(14)	必须	支付成功时间，格式为：YYYYMMDDHHmmss 如：20170926150435
NOTIFY_DATE	string(14)	必须	通知时间，格式为：YYYYMMDDHHmmss
CARDNO	string(20)	必须	卡号
AMT	string(12)	必须	金额，单位：分
CARDTYPE	string(1)	必须	1：借记卡 2：信用卡
BIND_ID	string(32)	必须	签约序列号
`,
  ],
  'quickPay.resendSms': [
    1374,
    String.raw`

字段名	属性	是否必须	描述
STATUS	string(1)	必须	响应状态，1：发送成功，其他都为失败
LIST_ID	string(32)	必须	平台订单号
ERRCODE	string(4)	条件	错误码，STATUS不为1的时候，会有返回；错误码见列表
ERRMSG	string(255)	条件	错误信息，STATUS不为1的时候，会有返回
`,
  ],
  'quickPay.boundPayConfirm': [
    1411,
    String.raw`

字段名	属性	是否必须	描述
STATUS	string(1)	必须	响应状态，0：状态未知,请发查询；1：确认成功，2：失败，3：已退款
ERRCODE	string(4)	条件	错误码，STATUS不为1的时候，会有返回；错误码见列表
ERRMSG	string(255)	条件	错误信息，STATUS不为1的时候，会有返回
USER_ID	string(32)	必须	商户生成的持卡人用户唯一标识
BIND_ID	string(32)	必须	签约序列号；绑定ID
LIST_ID	string(32)	必须	平台订单号
MERORDERID	string(32)	必须	商户订单号，同请求商户订单号
PAY_DATE	string(14)	必须	支付成功时间，格式为：YYYYMMDDHHmmss 如：20170926150435
NOTIFY_DATE	string(14)	必须	通知时间，格式为：YYYYMMDDHHmmss
AMT	string(12)	必须	金额，单位：分
BANK_NAME	string(12)	必须	所属银行名称 如：招商银行
CARDNO	string(20)	必须	卡号
`,
  ],
  'quickPay.boundPaySms': [
    1456,
    String.raw`

字段名	属性	是否必须	描述
STATUS	string(1)	必须	响应状态，1：成功 其他请求失败
ERRCODE	string(4)	条件	错误码，STATUS不为1的时候，会有返回；错误码见列表
ERRMSG	string(255)	条件	错误信息，STATUS不为1的时候，会有返回
USER_ID	string(32)	必须	商户生成的持卡人用户唯一标识
LIST_ID	string(32)	必须	平台订单号
MERORDERID	string(32)	必须	商户订单号，同请求商户订单号
CARDNO	string(20)	必须	卡号
`,
  ],
  'quickPay.unionPayOrder': [
    1496,
    String.raw`

字段名	属性	是否必须	描述
STATUS	string(1)	必须	响应状态，0：下单成功,订单待支付；1：订单已成功支付（理论上不会返回此状态），2：下单失败，3：已
ERRCODE	string(4)	条件	错误码，STATUS不为0和1的时候，关注此返回值；错误码见列表
ERRMSG	string(255)	条件	错误信息，STATUS不为0和1的时候，关注此返回值，其他情况无需关注
LIST_ID	string(32)	必须	平台订单号
MERORDERID	string(32)	必须	商户订单号，同请求商户订单号
PAY_DATE	string(14)	必须	支付成功时间，格式为：YYYYMMDDHHmmss 如：20170926150435
NOTIFY_DATE	string(14)	必须	通知时间，格式为：YYYYMMDDHHmmss
PAY_URL	string(255)	必须	支付地址
AMT	string(12)	必须	金额，单位：分
HTML	string	条件	TRADE_MODE传2时返回
`,
  ],
  'scan.wechatOrder': [
    1785,
    String.raw`

字段名	属性	是否必须	描述
ORDERNO	string(18)	必须	平台订单号
URL	string(100)	必须	支付地址，在微信app扫码打开这个地址，公众号支付的时候跟PAY_INFO字段互斥
PAY_INFO	string(100)	条件	公众号下单原生态数据，json字符串
TRADETYPE	string(1)	必须	交易类型：1、正扫、2公众号支付
TRADETIME	date	必须	下订单交易时间,格式：YYYY-MM-DD 24H:i:s
MERORDERID	string(20)	必须	商户订单号，必须唯一
STATUS	string(1)	必须	下订单状态：1成功，2失败
ERR_CODE_MSG	string(100)	条件	错误信息，STATUS为2的时候，会有返回
ERR_CODE	string(20)	条件	错误码，STATUS为2的时候，会有返回；错误码见列表
`,
  ],
  'scan.wechatMicropay': [
    1819,
    String.raw`

字段名	属性	是否必须	描述
ORDERNO	string(18)	必须	平台订单号
TRADETIME	date	必须	下订单交易时间,格式：YYYY-MM-DD 24H:i:s
MERORDERID	string(20)	必须	商户订单号，必须唯一
STATUS	string(1)	必须	订单状态，1：成功，2失败，3支付中
ERR_CODE_MSG	string(100)	条件	STATUS为2的时候，返回错误信息
STATUS为3的时候，返回用户支付中信息			
ERR_CODE	string(20)	条件	错误码，STATUS为2的时候，返回错误信息；STATUS为3的时候，返回AA；错误码见列表
`,
  ],
  'scan.wechatH5': [
    1852,
    String.raw`

字段名	属性	是否必须	描述
ORDERNO	string(18)	必须	平台订单号
TRADETIME	date	必须	下订单交易时间,格式：YYYY-MM-DD 24H:i:s
MERORDERID	string(20)	必须	商户订单号，必须唯一
STATUS	string(1)	必须	订单状态，1：成功，2失败
URL	string(100)	必须	支付地址，打开会唤醒微信app进行支付（必须在微信APP外打开链接才能发起支付，不能在微信APP里面打开
ERR_CODE_MSG	string(100)	条件	错误信息，STATUS为2的时候，会有返回
ERR_CODE	string(20)	条件	错误码，STATUS为2的时候，会有返回；错误码见列表
`,
  ],
  'scan.alipayOrder': [
    1886,
    String.raw`

字段名	属性	是否必须	描述
ORDERNO	string(18)	必须	平台订单号
URL	string(100)	必须	支付地址，在微信app扫码打开这个地址，公众号支付的时候跟PAY_INFO字段互斥
PAY_INFO	string(100)	条件	公众号下单原生态数据，json字符串
TRADETYPE	string(1)	必须	交易类型：1、正扫、2公众号支付
TRADETIME	date	必须	下订单交易时间,格式：YYYY-MM-DD 24H:i:s
MERORDERID	string(20)	必须	商户订单号，必须唯一
STATUS	string(1)	必须	下订单状态：1成功，2失败
ERR_CODE_MSG	string(100)	条件	错误信息，STATUS为2的时候，会有返回
ERR_CODE	string(20)	条件	错误码，STATUS为2的时候，会有返回；错误码见列表
`,
  ],
  'scan.alipayMicropay': [
    1918,
    String.raw`

字段名	属性	是否必须	描述
ORDERNO	string(18)	必须	平台订单号
TRADETIME	date	必须	下订单交易时间,格式：YYYY-MM-DD 24H:i:s
MERORDERID	string(20)	必须	商户订单号，必须唯一

字段名	属性	是否必须	描述
STATUS	string(1)	必须	订单状态，1：成功，2失败，3支付中
ERR_CODE_MSG	string(100)	条件	STATUS为2的时候，返回错误信息
STATUS为3的时候，返回用户支付中信息			
ERR_CODE	string(20)	条件	错误码，STATUS为2的时候，返回错误信息；STATUS为3的时候，返回AA；错误码见列表
`,
  ],
  'scan.alipayStaticCode': [
    1950,
    String.raw`

字段名	属性	是否必须	描述
ORDERNO	string(18)	必须	平台订单号
URL	string(100)	必须	支付地址，在微信app扫码打开这个地址，公众号支付的时候跟PAY_INFO字段互斥
PAY_INFO	string(100)	条件	公众号下单原生态数据，json字符串
TRADETYPE	string(1)	必须	交易类型：1、正扫、2公众号支付
TRADETIME	date	必须	下订单交易时间,格式：YYYY-MM-DD 24H:i:s
MERORDERID	string(20)	必须	商户订单号，必须唯一
STATUS	string(1)	必须	下订单状态：1成功，2失败
ERR_CODE_MSG	string(100)	条件	错误信息，STATUS为2的时候，会有返回
ERR_CODE	string(20)	条件	错误码，STATUS为2的时候，会有返回；错误码见列表
`,
  ],
  'scan.alipayDynamicCode': [
    1980,
    String.raw`

字段名	属性	是否必须	描述
ORDERNO	string(18)	必须	平台订单号
URL	string(100)	必须	支付地址，在微信app扫码打开这个地址，公众号支付的时候跟PAY_INFO字段互斥

PAY_字段名	string(100)	是否必须	公共号下单原生态数据, json字符串	描述
TRADETYPE	string(1)	必须	交易类型: 1、正扫、2公众号支付	
TRADETIME	date	必须	下订单交易时间,格式: YYYY-MM-DD 24H:i:s	
MERORDERID	string(20)	必须	商户订单号, 必须唯一	
STATUS	string(1)	必须	下订单状态: 1成功, 2失败	
ERR_CODE_MSG	string(100)	条件	错误信息, STATUS为2的时候, 会有返回	
ERR_CODE	string(20)	条件	错误码, STATUS为2的时候, 会有返回; 错误码见列表	
`,
  ],
  'scan.alipayH5': [
    2011,
    String.raw`

字段名	属性	是否必须	描述
ORDERNO	string(18)	必须	平台订单号
TRADETIME	date	必须	下订单交易时间,格式: YYYY-MM-DD 24H:i:s
MERORDERID	string(20)	必须	商户订单号, 必须唯一
STATUS	string(1)	必须	订单状态, 1: 成功, 2失败
URL	string(100)	必须	支付地址, 打开会唤醒支付宝app进行支付
ERR_CODE_MSG	string(100)	条件	错误信息, STATUS为2的时候, 会有返回
ERR_CODE	string(20)	条件	错误码, STATUS为2的时候, 会有返回; 错误码见列表
`,
  ],
  'scan.qqOrder': [
    2043,
    String.raw`

字段名	属性	是否必须	描述
ORDERNO	string(18)	必须	平台订单号

URL	string(100)	是否必须	支付地址，在微信app扫码打开这个地址	描述	公众号支付的时候跟PAY_INFO字段互斥
PAY_INFO	string(100)	条件	公众号下单原生态数据，json字符串		
TRADETYPE	string(1)	必须	交易类型：1、正扫、2公众号支付		
TRADETIME	date	必须	下订单交易时间,格式：YYYY-MM-DD 24H:i:s		
MERORDERID	string(20)	必须	商户订单号，必须唯一		
STATUS	string(1)	必须	下订单状态：1成功，2失败		
ERR_CODE_MSG	string(100)	条件	错误信息，STATUS为2的时候，会有返回		
ERR_CODE	string(20)	条件	错误码，STATUS为2的时候，会有返回；错误码见列表		
`,
  ],
  'scan.qqMicropay': [
    2076,
    String.raw`

字段名	属性	是否必须	描述
ORDERNO	string(18)	必须	平台订单号
TRADETIME	date	必须	下订单交易时间,格式：YYYY-MM-DD 24H:i:s
MERORDERID	string(20)	必须	商户订单号，必须唯一
STATUS	string(1)	必须	订单状态，1：成功，2失败，3支付中
ERR_CODE_MSG	string(100)	条件	STATUS为2的时候，返回错误信息
STATUS为3的时候，返回用户支付中信息			
ERR_CODE	string(20)	条件	错误码，STATUS为2的时候，返回错误信息；STATUS为3的时候，返回AA；错误码见列表
`,
  ],
  'scan.jdOrder': [
    2106,
    String.raw`

字段名	属性	是否必须	描述
ORDERNO	string(18)	必须	平台订单号
URL	string(100)	必须	支付地址，在微信app扫码打开这个地址，公众号支付的时候跟PAY_INFO字段互斥
PAY_INFO	string(100)	条件	公众号下单原生态数据，json字符串
TRADETYPE	string(1)	必须	交易类型：1、正扫、2公众号支付
TRADETIME	date	必须	下订单交易时间,格式：YYYY-MM-DD 24H:i:s
MERORDERID	string(20)	必须	商户订单号，必须唯一
STATUS	string(1)	必须	下订单状态：1成功，2失败
ERR_CODE_MSG	string(100)	条件	错误信息，STATUS为2的时候，会有返回
ERR_CODE	string(20)	条件	错误码，STATUS为2的时候，会有返回；错误码见列表
`,
  ],
  'scan.unionPayWalletOrder': [
    2136,
    String.raw`

 
字段名	属性	是否必须	描述
ORDERNO	string(18)	必须	平台订单号
URL	string(100)	必须	支付地址，在微信app扫码打开这个地址，公众号支付的时候跟PAY_INFO字段互斥
PAY_INFO	string(100)	条件	公众号下单原生态数据，json字符串
TRADETYPE	string(1)	必须	交易类型：1、正扫、2公众号支付
TRADETIME	date	必须	下订单交易时间,格式：YYYY-MM-DD 24H:i:s
MERORDERID	string(20)	必须	商户订单号，必须唯一
STATUS	string(1)	必须	下订单状态：1成功，2失败
ERR_CODE_MSG	string(100)	条件	错误信息，STATUS为2的时候，会有返回
ERR_CODE	string(20)	条件	错误码，STATUS为2的时候，会有返回；错误码见列表
`,
  ],
  'scan.query': [
    2175,
    String.raw`

字段名	属性	是否必须	描述
ORDERNO	string(20)	必须	平台订单号
AMT	string(20)	必须	交易金额，单位：分
TRADETIME	date	必须	交易时间,格式：YYYY-MM-DD 24H:i:s
PAYTIME	date	必须	支付时间，格式：YYYY-MM-DD 24H:i:s
STATUS	string(1)	必须	订单状态，1：成功，2失败，3支付中
MERORDERID	string(20)	必须	商户订单号
TRADETYPE	string(1)	必须	交易类型1，微信，2支付宝，3 QQ钱包
ERR_CODE_MSG	string(100)	条件	STATUS为2的时候，返回错误信息STATUS为3的时候，返回用户支付中信息
ERR_CODE	string(4)	条件	错误码，STATUS为2的时候，会有返回；错误码见列表STATUS为3的时候，返回AA
`,
  ],
  'scan.cancel': [
    2199,
    String.raw`

字段名	属性	是否必须	描述
ORDERNO	string(20)	必须	平台订单号
AMT	string(20)	必须	交易金额,单位:分
TRADETIME	date	必须	交易时间,格式:YYYY-MM-DD 24H:i:s
PAYTIME	date	必须	支付时间,格式:YYYY-MM-DD 24H:i:s
STATUS	string(1)	必须	订单状态:1、撤单成功,2撤单失败
MERORDERID	string(20)	必须	商户订单号
TRADETYPE	string(1)	必须	交易类型1,微信,2支付宝,3 QQ钱包
ERR_CODE_MSG	string(100)	条件	STATUS为2的时候,返回错误信息
ERR_CODE	string(4)	条件	错误码,STATUS为2的时候,会有返回;错误码见列表
`,
  ],
  'scan.close': [
    2221,
    String.raw`

字段名	属性	是否必须	描述
ORDERNO	string(20)	必须	平台订单号
AMT	string(20)	必须	交易金额,单位:分
TRADETIME	date	必须	交易时间,格式:YYYY-MM-DD 24H:i:s
PAYTIME	date	必须	支付时间,格式:YYYY-MM-DD 24H:i:s
STATUS	string(1)	必须	订单状态:1、关闭订单成功,2关闭订单失败
MERORDERID	string(20)	必须	商户订单号
TRADETYPE	string(1)	必须	交易类型1,微信,2支付宝,3 QQ钱包
ERR_CODE_MSG	string(100)	条件	STATUS为2的时候,返回错误信息
ERR_CODE	string(4)	条件	错误码,STATUS为2的时候,会有返回;错误码见列表
`,
  ],
  'scan.refund': [
    2245,
    String.raw`

字段名	属性	是否必须	描述
REFUND_ORDERNO	string(20)	必须	平台退款订单号
AMT	string(20)	必须	退款金额,单位:分
REFUND_TIME	date	必须	退款申请时间,格式:YYYY-MM-DD 24H:i:s
STATUS	string(1)	必须	订单状态:1、受理成功,2退款失败
REFUND_MERORDERID	string(20)	必须	商户退款订单号
ERR_CODE_MSG	string(100)	条件	STATUS为2的时候,返回错误信息
ERR_CODE	string(4)	条件	错误码,STATUS为2的时候,会有返回;错误码见列表
`,
  ],
  'scan.refundQuery': [
    2268,
    String.raw`

字段名	属性	是否必须	描述
REFUND_ORDERNO	string(20)	必须	平台退款订单号
AMT	string(20)	必须	退款金额,单位:分
REFUND_TIME	date	必须	退款申请时间,格式:YYYY-MM-DD 24H:i:s
STATUS	string(1)	必须	订单状态:1、受理成功,2退款失败
REFUND_MERORDERID	string(20)	必须	商户退款订单号
ERR_CODE_MSG	string(100)	条件	STATUS为2的时候,返回错误信息
ERR_CODE	string(4)	条件	错误码,STATUS为2的时候,会有返回;错误码见列表
`,
  ],
  'gateway.query': [
    2545,
    String.raw`

字段名	属性	是否必须	描述
STATUS	string(1)	必须	响应状态，0：待支付；1：成功，2：失败，3：已退款
ERRCODE	string(4)	条件	错误码，STATUS不为1的时候，会有返回；错误码见列表
ERRMSG	string(255)	条件	错误信息，STATUS不为1的时候，会有返回
LIST_ID	string(32)	必须	平台订单号
MERORDERID	string(32)	必须	商户订单号，同请求商户订单号
AMT	string(12)	必须	金额，单位：分
GOODSNAME	string(32)	可选	商品名称
PAY_CHANNEL	string(50)	必须	银行通道编码（查看附录编码）
PAY_DATE	string(14)	必须	支付成功时间，格式为：YYYYMMDDHHmmss 如：20170926150435
NOTIFY_DATE	string(14)	必须	通知时间，格式为：YYYYMMDDHHmmss 如：20170926150435
REMARK	string(255)	可选	备注信息
`,
  ],
  'gateway.batchQuery': [
    2580,
    String.raw`

字段名	属性	是否必须	描述
STATUS	string(1)	必须	响应状态，1：查询订单成功表示有数据，0或其他其它均表示查询失败或无数据
ERRCODE	string(4)	条件	错误码，STATUS不为1的时候，会有返回；错误码见列表
ERRMSG	string(255)	条件	错误信息，STATUS不为1的时候，会有返回
BIZ_CONTENT []		必须	具体数据包
PERPAGE	string(10)	必须	每页返回的条数
PAGE	string(10)	必须	当前页
TOTAL_NUM	string(10)	必须	记录总条数
TOTAL_PAGE	string(10)	必须	总页数

BIZ_CONTENT 参数内容如下:

字段名	属性	是否必须	描述
STATUS	string(1)	必须	支付状态，0：待支付；1：成功，2：失败，3：已退款
LIST_ID	string(32)	必须	平台订单号
MERORDERID	string(32)	必须	商户订单号，同请求商户订单号
PAY_DATE	string(14)	必须	支付成功时间，格式为：YYYYMMDDHHmmss 如：20170926150435
NOTIFY_DATE	string(14)	必须	通知时间，格式为：YYYYMMDDHHmmss
CARDNO	string(20)	必须	卡号
AMT	string(12)	必须	金额，单位：分
CARDTYPE	string(1)	必须	1：借记卡 2：信用卡
BIND_ID	string(32)	必须	签约序列号
`,
  ],
  'notification:quickPay': [
    1193,
    String.raw`

字段名	属性	是否必须	描述
STATUS	string(1)	必须	响应状态，1：成功
LIST_ID	string(32)	必须	平台订单号
MERORDERID	string(32)	必须	商户订单号，同请求商户订单号
PAY_DATE	string(14)	必须	支付成功时间，格式为：YYYYMMDDHHmmss 如：20170926150435
NOTIFY_DATE	string(14)	必须	通知时间，格式为：YYYYMMDDHHmmss
AMT	string(12)	必须	金额，单位：分
CARDNO	string(20)	条件	卡号
PUSH_COUNT	int(2)	条件	推送次数
CARDTYPE	string(2)	条件	当有卡号时返回,卡片类型 1 储蓄卡 2 信用卡
BANK_NAME	string(10)	条件	当有卡号时返回,银行名称
PUSH_COUNT	int(2)	可选	推送次数
`,
  ],
  'notification:scan': [
    2279,
    String.raw`

支付成功,推送数据,推送频率是:0,15,15,30,180,1800,1800,1800,1800,1800,3600(单位:秒)

支付成功后,会对刷卡支付、公众号支付和正扫支付的支付结果进行推送。

推送的Body里面的业务数据,接收到数据后,验证Body外的sign字段来检测数据是否篡改

字段名	属性	是否必须	描述
AMT	int(20)	必须	交易金额,单位:分
ORDERNO	string(20)	必须	平台订单号
TRDETIME	date	必须	交易时间,格式:YYYY-MM-DD 24H:i:s
PAYTIME	date	必须	支付时间,格式:YYYY-MM-DD 24H:i:s
STATUS	string(1)	必须	支付状态:1,支付成功,支付成功才会推送交易结果,其他的支付状态不推送结果
TRADETYPE	string(1)	必须	支付类型:1 微信 2 支付宝 3 QQ钱包
MERORDERID	string(20)	必须	商户订单号
`,
  ],
  'notification:gateway': [
    2496,
    String.raw`

字段名	属性	是否必须	描述
STATUS	string(1)	必须	响应状态，0：待支付；1：成功，2：失败，3：已退款
ERRCODE	string(4)	条件	错误码，STATUS不为1的时候，会有返回；错误码见列表
ERRMSG	string(255)	条件	错误信息，STATUS不为1的时候，会有返回
LIST_ID	string(32)	必须	平台订单号
MERORDERID	string(32)	必须	商户订单号，同请求商户订单号
AMT	string(12)	必须	金额，单位：分
GOODSNAME	string(32)	可选	商品名称
PAY_CHANNEL	string(50)	必须	银行通道编码（查看附录编码）
PAY_DATE	string(14)	必须	支付成功时间，格式为：YYYYMMDDHHmmss 如：20170926150435
NOTIFY_DATE	string(14)	必须	通知时间，格式为：YYYYMMDDHHmmss 如：20170926150435
REMARK	string(255)	可选	备注信息
`,
  ],
};

// ── independent parsing ──────────────────────────────────────────────────────────────────────

interface CommandRow {
  hex: number;
  decimal: number | undefined;
  description: string;
}

function parseCommandTable(text: string): CommandRow[] {
  return text.split('\n').flatMap((line) => {
    const m = /^0x([0-9A-Fa-f]{4})\t(?:(\d+)\t)?(.+)$/.exec(line);
    return m
      ? [
          {
            hex: parseInt(m[1]!, 16),
            decimal: m[2] === undefined ? undefined : Number(m[2]),
            description: m[3]!.trim(),
          },
        ]
      : [];
  });
}

/** The document's own words for each operation's request row (this mapping is the test's knowledge, not the catalogue's). */
const REQUEST_ROW: Record<string, OperationName> = {
  单笔代付请求: 'payout.pay',
  单笔代付结果查询请求: 'payout.query',
  账户余额查询请求: 'payout.balance',
  快捷支付交易请求: 'quickPay.pay',
  交易发送短信确认请求: 'quickPay.confirmSms',
  快捷单笔交易查询请求: 'quickPay.query',
  '鉴权绑卡请求(暂未开通)': 'quickPay.bind',
  '鉴权绑卡短信请求(暂未开通)': 'quickPay.bindSms',
  快捷绑卡支付确认请求: 'quickPay.boundPayConfirm',
  绑卡支付短信请求: 'quickPay.boundPaySms',
  '快捷支付解绑请求(暂未开通)': 'quickPay.unbind',
  '快捷支付绑卡查询请求(暂未开通)': 'quickPay.bindQuery',
  快捷支付多笔批量查询请求: 'quickPay.batchQuery',
  快捷支付交易短信重发: 'quickPay.resendSms',
  银联快捷下单: 'quickPay.unionPayOrder',
  '微信公众号/正扫下预订单': 'scan.wechatOrder',
  微信刷卡支付: 'scan.wechatMicropay',
  '支付宝公众号/正扫下预订单': 'scan.alipayOrder',
  支付宝刷卡: 'scan.alipayMicropay',
  'QQ正扫/钱包下预订单': 'scan.qqOrder',
  QQ钱包反扫支付: 'scan.qqMicropay',
  银联钱包正扫: 'scan.unionPayWalletOrder',
  支付宝静态码支付: 'scan.alipayStaticCode',
  支付宝动态码支付: 'scan.alipayDynamicCode',
  支付宝H5: 'scan.alipayH5',
  京东扫码支付: 'scan.jdOrder',
  查询订单: 'scan.query',
  撤销订单: 'scan.cancel',
  退款: 'scan.refund',
  退款查询订单: 'scan.refundQuery',
  关闭订单: 'scan.close',
  微信H5: 'scan.wechatH5',
  网关支付请求: 'gateway.pay',
  网关支付结果单笔查询请求: 'gateway.query',
  网关支付结果多笔查询请求: 'gateway.batchQuery',
};
/** Rows that are not operations: the negative response and the pushed notifications. */
const NOT_OPERATIONS = ['统一否定应答', '推送支付结果', '网关支付异步通知请求', '网关支付异步通知应答'];

const PRESENCE: Record<string, FieldSpec['presence']> = {
  必须: 'required',
  必填: 'required',
  是: 'required',
  条件: 'conditional',
  二选一: 'conditional',
  选填: 'optional',
  可选: 'optional',
  否: 'optional',
};

interface DocField {
  name: string;
  type: string | undefined;
  maxLength: number | undefined;
  presence: FieldSpec['presence'] | undefined;
}

/** A table row: tabs, or the extraction's `|`/space-separated variants. Header and separator rows are skipped. */
function parseFieldTable(text: string): DocField[] {
  return text.split('\n').flatMap((raw) => {
    const line = raw.replace(/^(-\s*\|\s*)+-\s*/, '');
    const cells = line
      .split(/\t|\s*\|\s*|\s+/)
      .map((c) => c.trim())
      .filter(Boolean);
    const name = cells[0];
    if (!name || !/^[A-Z][A-Z0-9_]*$/.test(name)) return [];
    const type = cells.find((c) => /^(string(\(\d+\))?|[Ii]nt(\(\d+\))?|date|\[\])$/.test(c));
    const presenceWord = cells.find((c) => c in PRESENCE);
    const len = type && /^string\((\d+)\)$/.exec(type);
    return [
      {
        name,
        type,
        maxLength: len ? Number(len[1]) : undefined,
        presence: presenceWord ? PRESENCE[presenceWord] : undefined,
      },
    ];
  });
}

function docType(t: string | undefined): FieldSpec['type'] | undefined {
  if (t === undefined) return undefined;
  if (/^[Ii]nt/.test(t)) return 'int';
  if (t === '[]') return 'array';
  return 'string';
}

const spec = (name: OperationName) => catalogue[name] as OperationSpec;
const FAMILIES: Family[] = ['payout', 'quickPay', 'scan', 'gateway'];

describe("command ids against the document's command tables", () => {
  for (const family of FAMILIES) {
    const [line, text] = COMMAND_TABLES[family];
    const rows = parseCommandTable(text);

    it(`${family} (line ${line}): hex and decimal columns agree`, () => {
      for (const row of rows) if (row.decimal !== undefined) expect(row.decimal, row.description).toBe(row.hex);
    });

    it(`${family}: every request row is a catalogue operation with that request id, response id and opened flag`, () => {
      const seen: string[] = [];
      rows.forEach((row, i) => {
        const op = REQUEST_ROW[row.description];
        if (op === undefined) {
          expect(
            NOT_OPERATIONS.some((w) => row.description.startsWith(w)) || row.hex >= 0x8000,
            `unmapped request row ${row.description}`,
          ).toBe(true);
          return;
        }
        seen.push(op);
        const s = spec(op);
        expect(s.family).toBe(family);
        expect(s.requestId, op).toBe(row.hex);
        expect(findOperation(family, row.hex)?.name).toBe(op);
        expect(s.opened, op).toBe(!row.description.includes('暂未开通'));
        const next = rows[i + 1];
        if (family === 'payout') {
          expect(s.responseId).toBeNull(); // the RSA response carries no command id (PROTOCOL §6)
        } else {
          expect(next !== undefined && next.hex >= 0x8000, `${op} has a response row`).toBe(true);
          expect(s.responseId, op).toBe(next!.hex);
          expect(s.acceptResponseIds[0]).toBe(next!.hex);
          expect(findOperationByResponseId(family, next!.hex)?.name).toBe(op);
        }
      });
      expect(seen.sort()).toEqual(operationNames.filter((n) => spec(n).family === family).sort());
    });
  }

  it("documented exceptions: QQ micropay answers 35094; gateway batch query 33550 with the example's 33545 accepted", () => {
    expect(spec('scan.qqMicropay').responseId).toBe(35094);
    expect(spec('scan.qqMicropay').responseId).not.toBe(776 + 0x8000);
    expect(spec('gateway.batchQuery').responseId).toBe(33550);
    expect(spec('gateway.batchQuery').acceptResponseIds).toEqual([33550, 33545]);
    expect(findOperationByResponseId('gateway', 33545)?.name).toBe('gateway.batchQuery');
    expect(findOperationByResponseId('quickPay', 33545)?.name).toBe('quickPay.batchQuery');
    expect(spec('gateway.batchQuery').notes?.join(' ')).toMatch(/33545/);
  });

  it('notification command ids: scan 2324 and gateway 35090 from the tables, 35104 from the examples', () => {
    const scanPush = parseCommandTable(COMMAND_TABLES.scan[1]).find((r) => r.description === '推送支付结果');
    const gatewayPush = parseCommandTable(COMMAND_TABLES.gateway[1]).find(
      (r) => r.description === '网关支付异步通知请求',
    );
    expect(notifications.scan.commandIds).toContain(scanPush!.hex);
    expect(notifications.gateway.commandIds).toContain(gatewayPush!.hex);
    expect(notifications.quickPay.commandIds).toContain(35104);
    expect(notifications.gateway.commandIds).toContain(35104);
    expect([...NOTIFICATION_COMMAND_IDS].sort()).toEqual(
      [...new Set(Object.values(notifications).flatMap((n) => [...n.commandIds]))].sort(),
    );
  });
});

describe("request fields against the document's request tables", () => {
  for (const name of operationNames) {
    const [line, text] = REQUEST_TABLES[name];
    it(`${name} (line ${line}): every documented field is there, and every deviation is explained in notes`, () => {
      const s = spec(name);
      const doc = parseFieldTable(text);
      expect(doc.length, 'the excerpt parses to at least one field').toBeGreaterThan(0);
      const notes = (s.notes ?? []).join('\n');
      const explained = (field: string) => notes.includes(field);
      const deviations: string[] = [];
      for (const d of doc) {
        const f = s.request.find((x) => x.name === d.name);
        if (!f) {
          deviations.push(`${d.name}: in the table, not in the catalogue`);
          continue;
        }
        if (d.maxLength !== f.maxLength && !explained(d.name))
          deviations.push(`${d.name}: table string(${d.maxLength}), catalogue ${f.maxLength}`);
        if (d.presence !== undefined && d.presence !== f.presence && !explained(d.name))
          deviations.push(`${d.name}: table ${d.presence}, catalogue ${f.presence}`);
        if (d.presence === undefined && !explained(d.name))
          deviations.push(`${d.name}: unreadable presence not explained`);
        if (docType(d.type) !== undefined && docType(d.type) !== f.type && !explained(d.name))
          deviations.push(`${d.name}: table ${d.type}, catalogue ${f.type}`);
      }
      for (const f of s.request) {
        if (!doc.some((d) => d.name === f.name) && !explained(f.name))
          deviations.push(`${f.name}: in the catalogue, not in the table`);
      }
      expect(deviations).toEqual([]);
    });
  }

  it('the parser sees the damaged rows the notes talk about (so the explanations are not vacuous)', () => {
    const boundPaySms = parseFieldTable(REQUEST_TABLES['quickPay.boundPaySms'][1]);
    expect(boundPaySms.find((d) => d.name === 'AMT')).toMatchObject({ maxLength: 12, presence: undefined });
    expect(parseFieldTable(REQUEST_TABLES['scan.refundQuery'][1]).map((d) => d.name)).toEqual([
      'REFUND_ORDERNO',
      'RANDSTR',
    ]);
    expect(parseFieldTable(REQUEST_TABLES['gateway.query'][1])).toEqual([
      { name: 'MERORDERID', type: 'string(32)', maxLength: 32, presence: 'required' },
    ]);
    expect(parseFieldTable(REQUEST_TABLES['payout.pay'][1]).map((d) => d.name)).toContain('BUSIYPE');
  });
});

/** Compare a parsed table with catalogue fields; every deviation must be named in `notes`. */
function deviations(doc: DocField[], fields: readonly FieldSpec[], notes: readonly string[], label: string): string[] {
  const text = notes.join('\n');
  const explained = (field: string) => text.includes(field);
  const out: string[] = [];
  for (const d of doc) {
    const f = fields.find((x) => x.name === d.name);
    if (!f) {
      if (!explained(d.name)) out.push(`${label} ${d.name}: in the table, not in the catalogue`);
      continue;
    }
    if (d.maxLength !== f.maxLength && !explained(d.name))
      out.push(`${label} ${d.name}: table string(${d.maxLength}), catalogue ${f.maxLength}`);
    if (d.presence !== undefined && d.presence !== f.presence && !explained(d.name))
      out.push(`${label} ${d.name}: table ${d.presence}, catalogue ${f.presence}`);
    if (d.presence === undefined && !explained(d.name))
      out.push(`${label} ${d.name}: unreadable presence not explained`);
    if (docType(d.type) !== undefined && docType(d.type) !== f.type && !explained(d.name))
      out.push(`${label} ${d.name}: table ${d.type}, catalogue ${f.type}`);
  }
  for (const f of fields)
    if (!doc.some((d) => d.name === f.name) && !explained(f.name))
      out.push(`${label} ${f.name}: in the catalogue, not in the table`);
  return out;
}

describe("response and notification fields against the document's tables", () => {
  const SUBTABLE = /^BIZ_CONTENT 参数内容如下/m;
  for (const [key, [line, text]] of Object.entries(RESPONSE_TABLES)) {
    it(`${key} (line ${line}): every documented field is there, and every deviation is explained in notes`, () => {
      const [top, sub] = text.split(SUBTABLE) as [string, string | undefined];
      let fields: readonly FieldSpec[];
      let notes: readonly string[];
      if (key.startsWith('notification:')) {
        const n = notifications[key.slice('notification:'.length) as keyof typeof notifications] as NotificationSpec;
        fields = n.fields;
        notes = n.notes ?? [];
      } else {
        const s = spec(key as OperationName);
        // payout balance: the table lists the ACCINFO group's rows flat; the catalogue nests them (see its notes).
        fields = key === 'payout.balance' ? s.response.flatMap((f) => [f, ...(f.items ?? [])]) : s.response;
        notes = s.notes ?? [];
      }
      const doc = parseFieldTable(top);
      expect(doc.length).toBeGreaterThan(0);
      const out = deviations(doc, fields, notes, 'response');
      if (sub !== undefined) {
        const items = fields.find((f) => f.name === 'BIZ_CONTENT')?.items ?? [];
        out.push(...deviations(parseFieldTable(sub), items, notes, 'BIZ_CONTENT'));
      }
      expect(out).toEqual([]);
    });
  }

  it('covers every operation that has a response table, and the three notifications', () => {
    const covered = Object.keys(RESPONSE_TABLES);
    expect(operationNames.filter((n) => !covered.includes(n))).toEqual(['gateway.pay']); // no server-side response (browser form)
    expect(covered.filter((k) => k.startsWith('notification:')).sort()).toEqual([
      'notification:gateway',
      'notification:quickPay',
      'notification:scan',
    ]);
  });
});
