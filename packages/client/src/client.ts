/**
 * `createClient(config)` (issue #3, contract). The client object holds no secret: the MD5 key
 * and the private key live in closures (engine.ts), and `toJSON` / `util.inspect` show only the
 * merchant number, terminal number, agent number and endpoints.
 */
import { catalogue, pureCrypto, type MmspBusinessError, type CryptoProvider, type Family, type OperationName, type RequestInput, type ResponseBody } from '@mmsp/codec';
import { validateConfig, type ClientConfig, type Endpoints } from './config.js';
import { createEngine, type CallOptions, type ClientRuntime } from './engine.js';
import { createGatewayPay } from './flows/gateway-pay.js';
import { parseGatewayReturn, type GatewayBrowserReturn, type GatewayForm } from './flows/gateway.js';
import { createPayoutFlows, type WaitOptions, type WaitResult } from './flows/payout.js';
import { createQuickPayFlows } from './flows/quick-pay.js';
import { createScanFlows, type ScanOrderRef, type ScanWaitResult } from './flows/scan.js';
import { isMoneyOperation, moneyCall } from './flows/settle.js';
import { consoleLogger, createSafeLogger } from './logger.js';
import { createNotificationHandling, type HandleOptions, type NotificationDecision, type PaidHandler } from './notifications/handle.js';
import type { OpenedNotification } from './notifications/open.js';
import { createRedactor } from './redact.js';
import type { MmspResult } from './result.js';
import type { ResultRef } from './flows/ref.js';
import { openIdRedirectUrl, wechatH5WakeUrl, type OpenIdRedirectUrlInput, type WechatH5WakeUrlInput } from './url-builders.js';

type OpsOf<F extends Family> = Extract<OperationName, `${F}.${string}`>;
type ShortName<N extends string> = N extends `${string}.${infer S}` ? S : never;

export type OperationResult<N extends OperationName> = MmspResult<ResponseBody<N>, N>;
export type OperationMethod<N extends OperationName> = (body: RequestInput<N>, options?: CallOptions) => Promise<OperationResult<N>>;

/** Typed sugar, one method per catalogue name of the family (generated from the catalogue). */
export type FamilyMethods<F extends Family> = { [N in OpsOf<F> as ShortName<N>]: OperationMethod<N> };

export interface MmspClient {
  readonly merchantNo: string;
  readonly terminalNo: string;
  readonly agentNo: string | undefined;
  readonly endpoints: Readonly<Endpoints>;
  /** Any catalogue operation by name. `gateway.pay` returns the browser form instead of a result. */
  call<N extends OperationName>(operation: N, body: RequestInput<N>, options?: CallOptions): Promise<N extends 'gateway.pay' ? GatewayForm : OperationResult<N>>;
  payout: FamilyMethods<'payout'> & {
    /** Polls payout.query while PAYSTATE is 2 or 5, until 1 (paid) or 3 (failed) or the deadline. */
    waitForFinal(ref: { ORDERNO?: string; BSORDERNO?: string } | ResultRef, options?: WaitOptions): Promise<WaitResult>;
  };
  quickPay: FamilyMethods<'quickPay'> & {
    waitForFinal(ref: { MERORDERID: string } | ResultRef, options?: WaitOptions): Promise<WaitResult>;
    /**
     * Flow A steps 2–3: confirm the SMS code, then query until final or the deadline. A lost confirm
     * answer is settled by a query (`confirmation` is then the query's result). A refused code leaves
     * the order pending: `smsCodeRefused` is set, `confirmation` is absent and `retry` is true while
     * the payer may enter the code again (issue #13).
     */
    confirmAndWait(input: { LIST_ID: string; MSG_CODE: string; MERORDERID: string }, options?: WaitOptions): Promise<WaitResult & { confirmation: MmspResult | undefined; smsCodeRefused?: MmspBusinessError; retry?: true }>;
    /** Bound-card flow B steps 2–3 (after `boundPaySms`): `boundPayConfirm`, then query until final or the deadline. */
    boundConfirmAndWait(input: RequestInput<'quickPay.boundPayConfirm'>, options?: WaitOptions): Promise<WaitResult & { confirmation: MmspResult }>;
  };
  scan: FamilyMethods<'scan'> & {
    /** Polls scan.query until final or the deadline; then offers `cancel()` (扫码 §10.4). */
    waitForFinal(ref: ScanOrderRef | ResultRef, options?: WaitOptions): Promise<ScanWaitResult>;
    /** 扫码 §10.1 with this client's merchant and terminal numbers. */
    wechatH5WakeUrl(input: Omit<WechatH5WakeUrlInput, 'merchantNo' | 'terminalNo'>): string;
    /** 扫码 §10.2 with this client's merchant number. */
    openIdRedirectUrl(input: Omit<OpenIdRedirectUrlInput, 'merchantNo'>): string;
  };
  gateway: Omit<FamilyMethods<'gateway'>, 'pay'> & {
    /** The auto-submitting form whose `web_api` field holds the signed envelope (网关 §5.1). */
    pay(body: RequestInput<'gateway.pay'>, options?: { nonce?: string; formId?: string }): Promise<GatewayForm>;
    /** The browser return (网关 §5.5): parsed, never proof of payment. */
    parseReturn(query: Parameters<typeof parseGatewayReturn>[0]): GatewayBrowserReturn;
  };
  notifications: {
    open(rawText: string): OpenedNotification;
    handle(rawText: string, onPaid: PaidHandler, options?: HandleOptions): Promise<NotificationDecision>;
  };
  toJSON(): Record<string, unknown>;
}

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/** `createClient` with the codec's pure provider (MD5, RSA via node-forge) as the default `crypto`. */
export function createClient(config: ClientConfig, runtime: ClientRuntime = {}): MmspClient {
  return createClientCore(pureCrypto, config, runtime);
}

/**
 * `createClient` for adapters that bring their own provider: `defaultCrypto` is used when
 * `config.crypto` is absent. It does not reference the codec's `pureCrypto`, so a bundle built on it
 * (@mmsp/fetch-edge with Web Crypto) carries no node-forge.
 */
export function createClientCore(defaultCrypto: CryptoProvider, config: ClientConfig, runtime: ClientRuntime = {}): MmspClient {
  const valid = validateConfig(config);
  // A private copy: later changes to the caller's object do not reach the client.
  const cfg: ClientConfig = {
    ...valid,
    endpoints: { ...valid.endpoints },
    ...(valid.payout ? { payout: { platformPublicKey: valid.payout.platformPublicKey, merchantPrivateKey: valid.payout.merchantPrivateKey } } : {}),
  };
  const redactor = createRedactor([cfg.key, cfg.agentKey, cfg.payout?.merchantPrivateKey]);
  const logger = createSafeLogger(cfg.logger ?? consoleLogger, redactor);
  const engine = createEngine(cfg, logger, runtime, redactor, defaultCrypto);
  const payoutFlows = createPayoutFlows(engine, logger);
  const quickPayFlows = createQuickPayFlows(engine);
  const scanFlows = createScanFlows(engine, logger);
  const gatewayPay = createGatewayPay(engine);
  const notifications = createNotificationHandling(
    () => ({ key: cfg.key, ...(cfg.agentKey !== undefined ? { agentKey: cfg.agentKey } : {}), signOptions: engine.signOptions }),
    logger,
  );

  const call = (operation: OperationName, body: Record<string, unknown>, options: CallOptions = {}): Promise<unknown> => {
    switch (operation) {
      case 'gateway.pay': return gatewayPay(body);
      case 'payout.pay': return payoutFlows.pay(body, options);
      case 'quickPay.resendSms': return quickPayFlows.resendSms(body, options);
      case 'quickPay.boundPaySms': return quickPayFlows.boundPaySms(body, options);
      case 'quickPay.pay': return quickPayFlows.pay(body, options);
      // Micropays, SMS confirm, bound-card confirm, refund: an unclear outcome is queried (issue #13).
      default: return isMoneyOperation(operation) ? moneyCall(engine, operation, body, options) : engine.call(operation, body, options);
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
  families.scan.wechatH5WakeUrl = (input: Omit<WechatH5WakeUrlInput, 'merchantNo' | 'terminalNo'>) => wechatH5WakeUrl({ ...input, merchantNo: cfg.merchantNo, terminalNo: cfg.terminalNo });
  families.scan.openIdRedirectUrl = (input: Omit<OpenIdRedirectUrlInput, 'merchantNo'>) => openIdRedirectUrl({ ...input, merchantNo: cfg.merchantNo });
  families.gateway.pay = (body: Record<string, unknown>, options?: { nonce?: string; formId?: string }) => gatewayPay(body, options);
  families.gateway.parseReturn = parseGatewayReturn;

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
    notifications: Object.freeze({ open: notifications.open, handle: notifications.handle }),
    toJSON: describe,
    [INSPECT]: describe,
  };
  return Object.freeze(client) as unknown as MmspClient;
}
