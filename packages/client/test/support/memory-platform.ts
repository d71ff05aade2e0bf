/**
 * An in-memory platform that plays MMSP through @mmsp/codec: it verifies what the client sends
 * the way the platform does (parseRequestEnvelope / RSA decrypt + SHA1withRSA verify) and answers
 * with envelopes signed the PHP way (buildEnvelope) or RSA-sealed payout responses. It keeps
 * order state so that flows (micropay polling, payout settlement) can be played end to end, and
 * it injects transport faults on demand. Test support only: @mmsp/sandbox is the real one.
 */
import {
  MmspTransportError,
  buildEnvelope,
  chinaDateTime,
  chinaTime,
  findOperation,
  negativeResponse,
  parseRequestEnvelope,
  payoutSealWith,
  pureCrypto,
  rsaDecryptSegmentedWith,
  sha1WithRsaVerifyWith,
  type CryptoProvider,
  type Family,
  type OperationSpec,
} from '@mmsp/codec';
import { base64Decode, utf8Decode } from '@mmsp/codec/bytes';
import type { Transport, TransportRequest, TransportResponse } from '../../src/transport.js';

export const ENDPOINTS = {
  quickPay: 'https://mmsp.test/quickpay',
  scan: 'https://mmsp.test/scan',
  gateway: 'https://mmsp.test/gateway',
  payout: 'https://mmsp.test/payout',
} as const;

/**
 * A fault applied to one request:
 * - `refused`: the connection failed before anything was sent (nothing processed; mayHaveReachedPlatform false);
 * - `lost-request`: the request vanished on the way (nothing processed, but the client cannot know);
 * - `lost-response`: processed, then the answer was lost (connection reset);
 * - `timeout`: processed, then no answer at all (the transport hangs until aborted);
 * - `http-502`: a proxy answered 502 without forwarding;
 * - `retcode-0001`: payout only: processed, then answered RETCODE 0001 (state unknown);
 * - `bad-signature`: processed, then the answer's signature is corrupted.
 */
export type Fault =
  'none' | 'refused' | 'lost-request' | 'lost-response' | 'timeout' | 'http-502' | 'retcode-0001' | 'bad-signature';

export interface Exchange {
  family: Family;
  operation: string;
  body: Record<string, unknown>;
  processed: boolean;
  fault: Fault;
}

/** What a responder returns: a Body (MD5 families) or payout data; or a negative / RETCODE error. */
export type Reply =
  | { body: Record<string, unknown>; commandId?: number }
  | { negative: { retCode: number; errorMsg: string } }
  | { payout: { RETCODE: string; RETMSG?: string; data?: Record<string, unknown> } };

export type Responder = (body: Record<string, unknown>, platform: MemoryPlatform) => Reply;

export interface PayoutRecord {
  ORDERNO: string;
  BSORDERNO: string;
  AMT: string;
  PAYSTATE: string;
  /** PAYSTATE after each query (consumed in order), then stays at the last. */
  script: string[];
}

export interface ScanRecord {
  MERORDERID: string;
  ORDERNO: string;
  AMT: string;
  STATUS: string;
  script: string[];
}

export interface MemoryPlatformOptions {
  merchantNo: string;
  terminalNo: string;
  key: string;
  agentNo?: string;
  agentKey?: string;
  /** Payout RSA: the platform's private key and the merchant's public key. */
  platformPrivateKey?: string;
  merchantPublicKey?: string;
  /** The platform's own crypto (default pureCrypto): a different provider than the client's proves interoperability. */
  crypto?: CryptoProvider;
}

export class MemoryPlatform {
  readonly exchanges: Exchange[] = [];
  readonly payouts = new Map<string, PayoutRecord>();
  readonly scanOrders = new Map<string, ScanRecord>();
  /** Faults for the next requests, consumed in order. */
  readonly faults: Fault[] = [];
  /** How many payout.pay requests reached (were processed by) the platform, per ORDERNO. */
  readonly payoutPaySends = new Map<string, number>();
  /** PAYSTATE sequence for new payouts: initial state, then one per query. */
  payoutScript: string[] = ['2', '1'];
  /** STATUS sequence for new micropays: initial, then one per query. */
  micropayScript: string[] = ['3', '1'];
  readonly responders = new Map<string, Responder>();
  private serial = 1000;

  constructor(readonly options: MemoryPlatformOptions) {}

  readonly transport: Transport = (req) => this.handle(req);

  nextId(prefix = ''): string {
    return `${prefix}${++this.serial}`;
  }

  /** Counts processed requests of one operation. */
  count(operation: string, processedOnly = true): number {
    return this.exchanges.filter((e) => e.operation === operation && (!processedOnly || e.processed)).length;
  }

  private async handle(req: TransportRequest): Promise<TransportResponse> {
    const family = (Object.keys(ENDPOINTS) as Family[]).find((f) => ENDPOINTS[f] === req.url);
    if (!family) return { status: 404, headers: {}, body: 'not found' };
    const fault = this.faults.shift() ?? 'none';
    if (fault === 'refused') throw new MmspTransportError('connect ECONNREFUSED', { mayHaveReachedPlatform: false });
    if (fault === 'http-502') return { status: 502, headers: {}, body: 'Bad Gateway' };
    if (fault === 'lost-request') throw new Error('socket hang up');
    const answer = family === 'payout' ? await this.payout(req.body, fault) : this.md5(family, req.body, fault);
    if (fault === 'lost-response') throw new Error('read ECONNRESET');
    if (fault === 'timeout') {
      return new Promise((_, reject) => {
        const fail = () =>
          reject(new MmspTransportError('aborted after the request was written', { mayHaveReachedPlatform: true }));
        if (req.signal?.aborted) fail();
        req.signal?.addEventListener('abort', fail, { once: true });
      });
    }
    return { status: 200, headers: { 'content-type': 'application/json' }, body: answer };
  }

  private md5(family: Exclude<Family, 'payout'>, text: string, fault: Fault): string {
    const o = this.options;
    const parsed = parseRequestEnvelope(text, {
      key: o.key,
      ...(o.agentKey ? { agentKey: o.agentKey } : {}),
      merchantNo: o.merchantNo,
      terminalNo: o.terminalNo,
      ...(o.agentNo ? { agentNo: o.agentNo } : {}),
    });
    const seqId = parsed.seqId ?? 0;
    const op = parsed.commandId !== undefined ? findOperation(family, parsed.commandId) : undefined;
    const body = parsed.plainBody ?? {};
    this.exchanges.push({
      family,
      operation: op?.name ?? `?${parsed.commandId}`,
      body,
      processed: parsed.ok && !!op,
      fault,
    });
    if (!parsed.ok || !op) {
      return negativeResponse({
        retCode: 0,
        errorMsg: parsed.issues.map((i) => `${i.field}: ${i.rule}`).join('; ') || 'unknown command',
        seqId,
        family,
      });
    }
    const reply = (this.responders.get(op.name) ?? defaultResponder(op))(body, this);
    if ('negative' in reply) return negativeResponse({ ...reply.negative, seqId, family });
    if (!('body' in reply)) throw new Error('payout reply for an MD5 operation');
    const built = buildEnvelope({
      family,
      commandId: reply.commandId ?? op.responseId ?? op.acceptResponseIds[0]!,
      seqId,
      merchantNo: o.merchantNo,
      terminalNo: o.terminalNo,
      key: o.key,
      ...(o.agentNo && o.agentKey ? { agentNo: o.agentNo, agentKey: o.agentKey } : {}),
      body: reply.body,
      retCode: 1,
      errorMsg: '',
    });
    if (fault === 'bad-signature')
      return built.text.replace(/"Sign":"([0-9A-F])/, (_, c: string) => `"Sign":"${c === '0' ? '1' : '0'}`);
    return built.text;
  }

  private async payout(text: string, fault: Fault): Promise<string> {
    const o = this.options;
    const crypto = o.crypto ?? pureCrypto;
    if (!o.platformPrivateKey || !o.merchantPublicKey) throw new Error('memory platform: payout keys not configured');
    const sealed = JSON.parse(text) as { ENCRYPT: string; SIGN: string };
    const plain = await rsaDecryptSegmentedWith(crypto, base64Decode(sealed.ENCRYPT), o.platformPrivateKey);
    const verified = await sha1WithRsaVerifyWith(crypto, plain, sealed.SIGN, o.merchantPublicKey);
    const body = JSON.parse(utf8Decode(plain)) as Record<string, unknown>;
    const op = findOperation('payout', Number(body.CMDID));
    this.exchanges.push({
      family: 'payout',
      operation: op?.name ?? `?${String(body.CMDID)}`,
      body,
      processed: verified && !!op,
      fault,
    });
    if (!verified) return JSON.stringify({ RETCODE: '1006', RETMSG: '签名错误' });
    if (!op) return JSON.stringify({ RETCODE: '1001', RETMSG: '参数错误' });
    const reply = (this.responders.get(op.name) ?? defaultResponder(op))(body, this);
    if (fault === 'retcode-0001') return JSON.stringify({ RETCODE: '0001', RETMSG: '系统异常，需要发起订单查询' });
    if (!('payout' in reply)) throw new Error('MD5 reply for a payout operation');
    const { RETCODE, RETMSG = RETCODE === '0000' ? '交易成功' : '失败', data } = reply.payout;
    if (!data) return JSON.stringify({ RETCODE, RETMSG });
    const out = await payoutSealWith(
      crypto,
      { RETCODE, RETMSG, ...data },
      { platformPublicKey: o.merchantPublicKey, merchantPrivateKey: o.platformPrivateKey },
    );
    if (fault === 'bad-signature')
      out.SIGN = out.SIGN.startsWith('A') ? `B${out.SIGN.slice(1)}` : `A${out.SIGN.slice(1)}`;
    return JSON.stringify({ RETCODE, RETMSG, ...out });
  }
}

const str = (v: unknown) => (typeof v === 'string' ? v : v === undefined ? '' : String(v));

/** Plausible answers for every operation, keeping payout and scan-order state. */
export function defaultResponder(op: OperationSpec): Responder {
  const now = () => chinaTime(new Date());
  switch (op.name) {
    case 'payout.pay':
      return (b, p) => {
        const orderNo = str(b.ORDERNO);
        p.payoutPaySends.set(orderNo, (p.payoutPaySends.get(orderNo) ?? 0) + 1);
        if (p.payouts.has(orderNo)) return { payout: { RETCODE: '1008', RETMSG: '流水号重复' } };
        const [first = '2', ...rest] = p.payoutScript;
        const rec: PayoutRecord = {
          ORDERNO: orderNo,
          BSORDERNO: p.nextId('2017'),
          AMT: str(b.AMT),
          PAYSTATE: first,
          script: rest,
        };
        p.payouts.set(orderNo, rec);
        return {
          payout: {
            RETCODE: '0000',
            data: {
              MERNO: str(b.MERNO),
              ORDERNO: orderNo,
              BSORDERNO: rec.BSORDERNO,
              PAYSTATE: rec.PAYSTATE,
              DESC: '代付',
              AMT: rec.AMT,
              RSPTIME: now(),
            },
          },
        };
      };
    case 'payout.query':
      return (b, p) => {
        const rec = [...p.payouts.values()].find(
          (r) => r.ORDERNO === str(b.ORDERNO) || r.BSORDERNO === str(b.BSORDERNO),
        );
        if (!rec) return { payout: { RETCODE: '1028', RETMSG: '商户付款订单号不存在' } };
        if (rec.script.length) rec.PAYSTATE = rec.script.shift()!;
        return {
          payout: {
            RETCODE: '0000',
            data: {
              MERNO: str(b.MERNO),
              ORDERNO: rec.ORDERNO,
              BSORDERNO: rec.BSORDERNO,
              PAYSTATE: rec.PAYSTATE,
              DESC: '',
              AMT: rec.AMT,
              CURTYPE: '1',
              RSPTIME: now(),
            },
          },
        };
      };
    case 'payout.balance':
      return () => ({
        payout: {
          RETCODE: '0000',
          data: {
            RSPTIME: now(),
            ACCINFO: [{ ACCSTATUS: 1, BALANCE: 0, BALANCEPAY: 100000, ADVANCEPAY: 0, FREEZEBAL: 0 }],
          },
        },
      });
    case 'scan.wechatMicropay':
    case 'scan.alipayMicropay':
    case 'scan.qqMicropay':
      return (b, p) => {
        const [first = '3', ...rest] = p.micropayScript;
        const rec: ScanRecord = {
          MERORDERID: str(b.MERORDERID),
          ORDERNO: p.nextId('9'),
          AMT: str(b.AMT),
          STATUS: first,
          script: rest,
        };
        p.scanOrders.set(rec.MERORDERID, rec);
        return {
          body: {
            ORDERNO: rec.ORDERNO,
            TRADETIME: chinaDateTime(),
            MERORDERID: rec.MERORDERID,
            STATUS: rec.STATUS,
            ...(rec.STATUS === '3' ? { ERR_CODE: 'AA', ERR_CODE_MSG: '用户支付中' } : {}),
          },
        };
      };
    case 'scan.query':
    case 'scan.cancel':
    case 'scan.close':
      return (b, p) => {
        const rec = [...p.scanOrders.values()].find(
          (r) => r.MERORDERID === str(b.MERORDERID) || r.ORDERNO === str(b.ORDERNO),
        );
        if (!rec) return { body: { STATUS: '2', ERR_CODE: 'E404', ERR_CODE_MSG: '订单不存在' } };
        if (op.name === 'scan.query') {
          if (rec.script.length) rec.STATUS = rec.script.shift()!;
          return {
            body: {
              ORDERNO: rec.ORDERNO,
              AMT: rec.AMT,
              TRADETIME: chinaDateTime(),
              PAYTIME: chinaDateTime(),
              STATUS: rec.STATUS,
              MERORDERID: rec.MERORDERID,
              TRADETYPE: '1',
              ...(rec.STATUS === '3' ? { ERR_CODE: 'AA', ERR_CODE_MSG: '用户支付中' } : {}),
            },
          };
        }
        rec.STATUS = '4';
        rec.script = [];
        return {
          body: {
            ORDERNO: rec.ORDERNO,
            AMT: rec.AMT,
            TRADETIME: chinaDateTime(),
            PAYTIME: '',
            STATUS: '1',
            MERORDERID: rec.MERORDERID,
            TRADETYPE: '1',
          },
        };
      };
    case 'scan.refund':
    case 'scan.refundQuery':
      return (b, p) => ({
        body: {
          REFUND_ORDERNO: p.nextId('8'),
          AMT: str(b.AMT || '100'),
          REFUND_TIME: chinaDateTime(),
          STATUS: '1',
          REFUND_MERORDERID: str(b.REFUND_MERORDERID),
        },
      });
    case 'quickPay.pay':
    case 'quickPay.unionPayOrder':
      return (b, p) => ({
        body: {
          STATUS: '0',
          LIST_ID: p.nextId('10000'),
          MERORDERID: str(b.MERORDERID),
          AMT: str(b.AMT),
          PAY_DATE: '',
          NOTIFY_DATE: '',
          ...(op.name === 'quickPay.unionPayOrder'
            ? { PAY_URL: 'https://pay.example/u/1' }
            : { BANK_NAME: '招商银行', CARDNO: '6227********7349' }),
        },
      });
    case 'quickPay.boundPaySms':
      // 快捷 §5.13.3: STATUS 1 成功 (the SMS was sent), with USER_ID, LIST_ID, MERORDERID, CARDNO.
      return (b, p) => ({
        body: {
          STATUS: '1',
          USER_ID: str(b.USER_ID),
          LIST_ID: p.nextId('10000'),
          MERORDERID: str(b.MERORDERID),
          CARDNO: '6227********7349',
        },
      });
    case 'quickPay.query':
    case 'gateway.query':
      return (b, p) => ({
        body: {
          STATUS: '1',
          LIST_ID: p.nextId('10000'),
          MERORDERID: str(b.MERORDERID),
          PAY_DATE: now(),
          NOTIFY_DATE: now(),
          AMT: '899',
          CARDTYPE: '1',
          CARDNO: '6227********7349',
        },
      });
    case 'quickPay.batchQuery':
    case 'gateway.batchQuery':
      return (b) => ({
        body: {
          STATUS: '1',
          BIZ_CONTENT: [{ STATUS: '1', LIST_ID: '10000000496', MERORDERID: 'M1', AMT: '1' }],
          PERPAGE: str(b.PERPAGE),
          PAGE: str(b.PAGE),
          TOTAL_NUM: '1',
          TOTAL_PAGE: '1',
        },
      });
    default:
      // Order creation (scan) answers STATUS 1 with an order number; the other quick pay operations STATUS 1.
      return (b, p) => ({
        body: {
          STATUS: '1',
          ORDERNO: p.nextId('9'),
          LIST_ID: p.nextId('10000'),
          MERORDERID: str(b.MERORDERID),
          URL: 'weixin://wxpay/bizpayurl?pr=abc',
          TRADETIME: chinaDateTime(),
        },
      });
  }
}

export function createMemoryPlatform(options: MemoryPlatformOptions): MemoryPlatform {
  return new MemoryPlatform(options);
}
