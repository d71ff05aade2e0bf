/**
 * `createClient(config)` (issue #3, contract). The client object holds no secret: the MD5 key
 * and the private key live in closures (engine.ts), and `toJSON` / `util.inspect` show only the
 * merchant number, terminal number, agent number and endpoints.
 */
import {
  catalogue,
  pureCrypto,
  type MmspBusinessError,
  type CryptoProvider,
  type Family,
  type OperationName,
  type RequestInput,
  type ResponseBody,
} from '@mmsp/codec';
import { validateConfig, type ClientConfig, type Endpoints } from './config.js';
import { createEngine, type CallOptions, type ClientRuntime } from './engine.js';
import { createGatewayPay } from './flows/gateway-pay.js';
import { parseGatewayReturn, type GatewayBrowserReturn, type GatewayForm } from './flows/gateway.js';
import { createPayoutFlows, type WaitOptions, type WaitResult } from './flows/payout.js';
import { createQuickPayFlows } from './flows/quick-pay.js';
import { createScanFlows, type ScanOrderRef, type ScanWaitResult } from './flows/scan.js';
import { isMoneyOperation, moneyCall } from './flows/settle.js';
import { consoleLogger, createSafeLogger } from './logger.js';
import {
  createNotificationHandling,
  DECIDE_NOW,
  type HandleOptions,
  type NotificationDecision,
  type PaidHandler,
} from './notifications/handle.js';
import type { OpenedNotification } from './notifications/open.js';
import { createRedactor } from './redact.js';
import {
  batchQueryAll,
  type BatchQueryAllInput,
  type BatchQueryAllOptions,
  type BatchRecord,
} from './reconcile/batch-query-all.js';
import type { MmspResult } from './result.js';
import type { ResultRef } from './flows/ref.js';
import {
  openIdRedirectUrl,
  wechatH5WakeUrl,
  type OpenIdRedirectUrlInput,
  type WechatH5WakeUrlInput,
} from './url-builders.js';

type OpsOf<F extends Family> = Extract<OperationName, `${F}.${string}`>;
type ShortName<N extends string> = N extends `${string}.${infer S}` ? S : never;

/** The result of operation `N`: an {@link MmspResult} whose `body` is typed from the catalogue's response fields. */
export type OperationResult<N extends OperationName> = MmspResult<ResponseBody<N>, N>;
/**
 * The method of operation `N` on the client (`client.scan.wechatOrder`…): takes the Body in wire
 * field names (autofilled fields such as `RANDSTR` and `REQTIME` may be left out), validates it,
 * sends it, and resolves with the verified result.
 */
export type OperationMethod<N extends OperationName> = (
  body: RequestInput<N>,
  options?: CallOptions,
) => Promise<OperationResult<N>>;

/** Typed sugar, one method per catalogue name of the family (generated from the catalogue). */
export type FamilyMethods<F extends Family> = { [N in OpsOf<F> as ShortName<N>]: OperationMethod<N> };

/**
 * The client {@link createClient} returns (and `createNodeClient`, `createFetchClient`,
 * `MmspService` wrap): one method per operation of the platform's document, grouped by family
 * (`client.scan.wechatOrder(body)`, `client.payout.pay(body)`…), the flows that settle an undecided
 * order (`waitForFinal`), and the notification decision every receiver uses.
 *
 * Before sending, a call fills `RANDSTR`, `REQTIME` (China time), `VERSION`, `CMDID`, `MERNO`, the
 * balance `ORDERNO` and the envelope `SeqID`, validates the Body against the catalogue
 * (`MmspValidationError` lists every issue), signs it (PROTOCOL §3) or seals it (payouts, PROTOCOL
 * §6), and verifies the answer. Every result is `{ operation, body, state?, codes, raw }`. Only
 * queries are retried; a payment or payout whose outcome is unknown is queried, never resent.
 *
 * The object holds no secret: the MD5 key and the private key live in closures, and `toJSON` /
 * `util.inspect` show only the merchant number, terminal number, agent number and endpoints.
 *
 * @example
 * ```ts
 * import { createClient, type MmspClient, type Transport } from '@mmsp/client';
 *
 * declare const transport: Transport;
 * const client: MmspClient = createClient({
 *   merchantNo: '001440353999853', terminalNo: '84970001', key: 'your-md5-key',
 *   endpoints: { scan: 'https://pay.example.com/scan' }, transport,
 * });
 * const order = await client.scan.wechatMicropay({
 *   AMT: '100', GOODSNAME: 'book', MERORDERID: '20261126000001', CODE: '134567890123456789',
 *   NOTIFY_URL: 'https://shop.example.com/mmsp/notify',
 * });
 * if (order.state === 'paying') {
 *   const { final, result, cancel } = await client.scan.waitForFinal(order);
 *   if (!final) await cancel!(); // 扫码 §10.4
 *   else console.log(result.state); // 'paid' or 'failed'
 * }
 * ```
 */
export interface MmspClient {
  /** `MERNO` this client signs for. */
  readonly merchantNo: string;
  /** `TERMNO` this client signs for. */
  readonly terminalNo: string;
  /** `AGENTNO` in agency mode, else `undefined`. */
  readonly agentNo: string | undefined;
  /** The configured endpoint URL of each family. */
  readonly endpoints: Readonly<Endpoints>;
  /** Any catalogue operation by name. `gateway.pay` returns the browser form instead of a result. */
  call<N extends OperationName>(
    operation: N,
    body: RequestInput<N>,
    options?: CallOptions,
  ): Promise<N extends 'gateway.pay' ? GatewayForm : OperationResult<N>>;
  /**
   * Payouts (代付, PROTOCOL §6): `pay`, `query`, `balance`… sealed with RSA. `pay` never resends an
   * `ORDERNO` whose outcome is unknown: it queries it (RETCODE 0001, 1008, a transport failure
   * that may have reached the platform).
   */
  payout: FamilyMethods<'payout'> & {
    /** Polls payout.query while PAYSTATE is 2 or 5, until 1 (paid) or 3 (failed) or the deadline. */
    waitForFinal(ref: { ORDERNO?: string; BSORDERNO?: string } | ResultRef, options?: WaitOptions): Promise<WaitResult>;
  };
  /** Quick pay (快捷支付: card + SMS): orders, SMS, confirmation, binding, queries, refunds. */
  quickPay: FamilyMethods<'quickPay'> & {
    /** Polls quickPay.query by `MERORDERID` until a final state or the deadline. */
    waitForFinal(ref: { MERORDERID: string } | ResultRef, options?: WaitOptions): Promise<WaitResult>;
    /**
     * Flow A steps 2–3: confirm the SMS code, then query until final or the deadline. A lost confirm
     * answer is settled by a query (`confirmation` is then the query's result). A refused code leaves
     * the order pending: `smsCodeRefused` is set, `confirmation` is absent and `retry` is true while
     * the payer may enter the code again (issue #13).
     */
    confirmAndWait(
      input: { LIST_ID: string; MSG_CODE: string; MERORDERID: string },
      options?: WaitOptions,
    ): Promise<WaitResult & { confirmation: MmspResult | undefined; smsCodeRefused?: MmspBusinessError; retry?: true }>;
    /** Bound-card flow B steps 2–3 (after `boundPaySms`): `boundPayConfirm`, then query until final or the deadline. */
    boundConfirmAndWait(
      input: RequestInput<'quickPay.boundPayConfirm'>,
      options?: WaitOptions,
    ): Promise<WaitResult & { confirmation: MmspResult }>;
    /** Every record of the batch query (§5.9), page after page; breaking out of the loop sends no further request. */
    batchQueryAll(input: BatchQueryAllInput, options?: BatchQueryAllOptions): AsyncIterable<BatchRecord>;
  };
  /** Scan code (扫码): WeChat / Alipay / QQ / JD / UnionPay QR orders and micropay, queries, refunds, cancel. */
  scan: FamilyMethods<'scan'> & {
    /** Polls scan.query until final or the deadline; then offers `cancel()` (扫码 §10.4). */
    waitForFinal(ref: ScanOrderRef | ResultRef, options?: WaitOptions): Promise<ScanWaitResult>;
    /** 扫码 §10.1 with this client's merchant and terminal numbers. */
    wechatH5WakeUrl(input: Omit<WechatH5WakeUrlInput, 'merchantNo' | 'terminalNo'>): string;
    /** 扫码 §10.2 with this client's merchant number. */
    openIdRedirectUrl(input: Omit<OpenIdRedirectUrlInput, 'merchantNo'>): string;
  };
  /** The online-banking gateway (网关): the browser form, its return, queries. */
  gateway: Omit<FamilyMethods<'gateway'>, 'pay'> & {
    /** The auto-submitting form whose `web_api` field holds the signed envelope (网关 §5.1). */
    pay(body: RequestInput<'gateway.pay'>, options?: { nonce?: string; formId?: string }): Promise<GatewayForm>;
    /** The browser return (网关 §5.5): parsed, never proof of payment. */
    parseReturn(query: Parameters<typeof parseGatewayReturn>[0]): GatewayBrowserReturn;
    /** Every record of the batch query (§5.4), page after page; breaking out of the loop sends no further request. */
    batchQueryAll(input: BatchQueryAllInput, options?: BatchQueryAllOptions): AsyncIterable<BatchRecord>;
  };
  /**
   * Pushed payment results (PROTOCOL §5), verified with this client's key. Receivers
   * (`@mmsp/http-node`, `@mmsp/fetch-edge`, the NestJS module) call `handle` and answer with its decision.
   */
  notifications: {
    /** Verifies and reads one notification's raw text: a `paid` event or a `rejected` reason, never a throw. */
    open(rawText: string): OpenedNotification;
    /**
     * The receiver's decision: runs `onPaid` once per notification id (with a `store`, across
     * instances), and answers `SUCCESS` only after it resolved (see {@link NotificationDecision}).
     */
    handle(rawText: string, onPaid: PaidHandler, options?: HandleOptions): Promise<NotificationDecision>;
  };
  /** The public description: merchant number, terminal number, agent number, endpoints; never a key. */
  toJSON(): Record<string, unknown>;
}

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/**
 * Creates the runtime-neutral MMSP client (issue #3, contract) with the codec's pure provider (MD5,
 * RSA via node-forge) as the default `crypto`. The configuration is validated at once
 * (`MmspConfigError` lists every problem, never a secret's value). Most applications use an
 * adapter that supplies the transport: `createNodeClient` (`@mmsp/http-node`), `createFetchClient`
 * (`@mmsp/fetch-edge`) or `MmspModule` (`@mmsp/nestjs-module`).
 *
 * @param config - merchant and terminal numbers, keys, endpoints and the transport (see {@link ClientConfig}).
 * @param runtime - clock, sleep, randomness and retry policy; for tests.
 *
 * @example
 * ```ts
 * import { createClient, type Transport } from '@mmsp/client';
 *
 * declare const transport: Transport, platformPublicKey: string, merchantPrivateKey: string;
 * const client = createClient({
 *   merchantNo: '001440353999853', terminalNo: '84970001', key: 'your-md5-key',
 *   endpoints: { payout: 'https://pay.example.com/payout' },
 *   payout: { platformPublicKey, merchantPrivateKey },
 *   transport,
 * });
 * const payout = await client.payout.pay({
 *   ORDERNO: '20261126000001', AMT: '10000', BUSIYPE: '001', ACCNAME: '张三', ACCNO: '6222020000000000000',
 *   MEMO: '货款', ACCTYPE: '0', MOBILE: '13800000000', BANKNAME: '中国工商银行',
 * });
 * const { final, result } = await client.payout.waitForFinal(payout); // PAYSTATE 2 / 5 → 1 or 3
 * console.log(final, result.state);
 * ```
 */
export function createClient(config: ClientConfig, runtime: ClientRuntime = {}): MmspClient {
  return createClientCore(pureCrypto, config, runtime);
}

/**
 * `createClient` for adapters that bring their own provider: `defaultCrypto` is used when
 * `config.crypto` is absent. It does not reference the codec's `pureCrypto`, so a bundle built on it
 * (@mmsp/fetch-edge with Web Crypto) carries no node-forge.
 */
export function createClientCore(
  defaultCrypto: CryptoProvider,
  config: ClientConfig,
  runtime: ClientRuntime = {},
): MmspClient {
  const valid = validateConfig(config);
  // A private copy: later changes to the caller's object do not reach the client.
  const cfg: ClientConfig = {
    ...valid,
    endpoints: { ...valid.endpoints },
    ...(valid.payout
      ? {
          payout: {
            platformPublicKey: valid.payout.platformPublicKey,
            merchantPrivateKey: valid.payout.merchantPrivateKey,
          },
        }
      : {}),
  };
  const redactor = createRedactor([cfg.key, cfg.agentKey, cfg.payout?.merchantPrivateKey]);
  const logger = createSafeLogger(cfg.logger ?? consoleLogger, redactor);
  const engine = createEngine(cfg, logger, runtime, redactor, defaultCrypto);
  const payoutFlows = createPayoutFlows(engine);
  const quickPayFlows = createQuickPayFlows(engine);
  const scanFlows = createScanFlows(engine, logger);
  const gatewayPay = createGatewayPay(engine);
  const notifications = createNotificationHandling(
    { key: cfg.key, ...(cfg.agentKey !== undefined ? { agentKey: cfg.agentKey } : {}), signer: engine.signer },
    logger,
    cfg.hooks,
  );

  const call = (operation: OperationName, body: Record<string, unknown>, options?: CallOptions): Promise<unknown> => {
    switch (operation) {
      case 'gateway.pay':
        return gatewayPay(body);
      case 'payout.pay':
        return payoutFlows.pay(body, options);
      case 'quickPay.resendSms':
        return quickPayFlows.resendSms(body, options);
      case 'quickPay.boundPaySms':
        return quickPayFlows.boundPaySms(body, options);
      case 'quickPay.pay':
        return quickPayFlows.pay(body, options);
      // Micropays, SMS confirm, bound-card confirm, refund: an unclear outcome is queried (issue #13).
      default:
        return isMoneyOperation(operation)
          ? moneyCall(engine, operation, body, options)
          : engine.call(operation, body, options);
    }
  };

  // Typed sugar for every name of the catalogue, so none is missed.
  const families: Record<Family, Record<string, unknown>> = { payout: {}, quickPay: {}, scan: {}, gateway: {} };
  for (const name of Object.keys(catalogue) as OperationName[]) {
    const [family, short] = name.split('.') as [Family, string];
    families[family][short] = (body: Record<string, unknown>, options?: CallOptions) => call(name, body, options);
  }
  families.payout.waitForFinal = payoutFlows.waitForFinal;
  families.quickPay.waitForFinal = quickPayFlows.waitForFinal;
  families.quickPay.confirmAndWait = quickPayFlows.confirmAndWait;
  families.quickPay.boundConfirmAndWait = quickPayFlows.boundConfirmAndWait;
  families.scan.waitForFinal = scanFlows.waitForFinal;
  families.scan.wechatH5WakeUrl = (input: Omit<WechatH5WakeUrlInput, 'merchantNo' | 'terminalNo'>) =>
    wechatH5WakeUrl({ ...input, merchantNo: cfg.merchantNo, terminalNo: cfg.terminalNo });
  families.scan.openIdRedirectUrl = (input: Omit<OpenIdRedirectUrlInput, 'merchantNo'>) =>
    openIdRedirectUrl({ ...input, merchantNo: cfg.merchantNo });
  families.gateway.pay = (body: Record<string, unknown>, options?: { nonce?: string; formId?: string }) =>
    gatewayPay(body, options);
  families.gateway.parseReturn = parseGatewayReturn;
  families.quickPay.batchQueryAll = (input: BatchQueryAllInput, options?: BatchQueryAllOptions) =>
    batchQueryAll(call as never, 'quickPay', input, options);
  families.gateway.batchQueryAll = (input: BatchQueryAllInput, options?: BatchQueryAllOptions) =>
    batchQueryAll(call as never, 'gateway', input, options);

  const describe = () => ({
    type: 'MmspClient',
    merchantNo: cfg.merchantNo,
    terminalNo: cfg.terminalNo,
    ...(cfg.agentNo !== undefined ? { agentNo: cfg.agentNo } : {}),
    endpoints: { ...cfg.endpoints },
    payout: cfg.payout ? 'configured' : 'not configured',
  });

  const client = {
    merchantNo: cfg.merchantNo,
    terminalNo: cfg.terminalNo,
    agentNo: cfg.agentNo,
    endpoints: Object.freeze({ ...cfg.endpoints }),
    call,
    payout: Object.freeze(families.payout),
    quickPay: Object.freeze(families.quickPay),
    scan: Object.freeze(families.scan),
    gateway: Object.freeze(families.gateway),
    notifications: Object.freeze(notificationsOf(notifications)),
    toJSON: describe,
    [INSPECT]: describe,
  };
  return Object.freeze(client) as unknown as MmspClient;
}

/**
 * The client's `notifications`: `open` and `handle`, plus the promise-free `handle` under
 * `DECIDE_NOW` (not enumerable), which `@mmsp/http-node`'s handler uses as it does a key-only receiver's.
 */
function notificationsOf(
  handling: ReturnType<typeof createNotificationHandling>,
): Pick<ReturnType<typeof createNotificationHandling>, 'open' | 'handle'> {
  const out = { open: handling.open, handle: handling.handle };
  Object.defineProperty(out, DECIDE_NOW, { value: handling.decideNow });
  return out;
}
