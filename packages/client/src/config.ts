/**
 * `createClient` configuration (issue #3, contract): validated at construction; one
 * `MmspConfigError` lists every problem. A message names the field and the rule and describes
 * the shape of what was given, never a secret's value.
 */
import { MmspConfigError, type CryptoProvider, type FieldIssue } from '@mmsp/codec';
import type { MmspHooks } from './hooks.js';
import type { Logger } from './logger.js';
import { isSendLedger, type SendLedger } from './send-ledger.js';
import type { RetryPolicy } from './retry.js';
import type { Transport } from './transport.js';
import { PRODUCT_TOKEN, type AppInfo } from './user-agent.js';

/**
 * The platform's full POST URL for each family (PROTOCOL §1): the one you were given for quick
 * pay, scan code, gateway and payouts. Only the families you use need one; calling a family without
 * its endpoint is an `MmspConfigError` before anything is sent.
 */
export interface Endpoints {
  /** Quick pay (快捷支付: card + SMS). */
  quickPay?: string;
  /** Scan code (扫码: WeChat / Alipay / QQ / JD / UnionPay QR and micropay). */
  scan?: string;
  /** Online-banking gateway (网关). */
  gateway?: string;
  /** Payouts (代付). */
  payout?: string;
}

/** The RSA keys of the payout family (PROTOCOL §6): needed only for payout calls. */
export interface PayoutKeys {
  /** The platform's RSA public key, PEM (PROTOCOL §6). */
  platformPublicKey: string;
  /** The merchant's RSA private key, PEM, PKCS#8 or PKCS#1 (PROTOCOL §6). */
  merchantPrivateKey: string;
}

/**
 * What `createClient` takes (issue #3, contract). It is validated at construction: one
 * `MmspConfigError` lists every problem, naming the field and the rule and describing the shape of
 * what was given, never a secret's value. The client keeps a private copy; the MD5 key and the
 * private key are never in its `toJSON`, an error or a log line.
 *
 * The sandbox's `GET /_sandbox/merchant` answer can be spread in as is: its top-level
 * `platformPublicKey` / `merchantPrivateKey` become `payout`.
 *
 * @example
 * ```ts
 * import type { ClientConfig, Transport } from '@mmsp/client';
 *
 * declare const transport: Transport; // e.g. from @mmsp/http-node or @mmsp/fetch-edge
 * declare const platformPublicKey: string, merchantPrivateKey: string;
 * const config: ClientConfig = {
 *   merchantNo: '001440353999853',      // MERNO
 *   terminalNo: '84970001',             // TERMNO
 *   key: 'your-md5-key',                // signs every MD5 envelope (PROTOCOL §3)
 *   endpoints: { scan: 'https://pay.example.com/scan', payout: 'https://pay.example.com/payout' },
 *   payout: { platformPublicKey, merchantPrivateKey }, // PEM, payouts only (PROTOCOL §6)
 *   transport,
 *   timeoutMs: 15_000,
 * };
 * ```
 */
export interface ClientConfig {
  /** `MERNO`: the merchant number the platform assigned (letters and digits). */
  merchantNo: string;
  /** `TERMNO`: the terminal number the platform assigned (letters and digits). */
  terminalNo: string;
  /** MD5 key (PROTOCOL §3). */
  key: string;
  /** Agency mode: the agent's key takes priority over the merchant's (PROTOCOL §3). */
  agentNo?: string;
  /** Agency mode (机构模式): the agent's MD5 key; with `agentNo`, it signs and verifies instead of `key` (PROTOCOL §3). */
  agentKey?: string;
  /** Full POST URLs, one per family. */
  endpoints: Endpoints;
  /** The payout family's RSA keys (PROTOCOL §6); checked at the first payout call when absent. */
  payout?: PayoutKeys;
  /** How a request reaches the platform: `(request) => Promise<{ status, headers, body }>`; the adapters supply one. */
  transport: Transport;
  /** MD5, random bytes and RSA; default the codec's `pureCrypto` (`createClient`) or the adapter's. */
  crypto?: CryptoProvider;
  /** Deadline of one HTTP exchange, in milliseconds (default 30 000); a call may override it. */
  timeoutMs?: number;
  /**
   * Where the client logs (default: warnings and errors to `console`); every line is redacted first
   * (keys, card data). Console-style loggers (`warn(message, fields)`) and pino / bunyan loggers
   * (`warn(fields, message)`, recognised by their own markers) both fit; wrap any other object-first
   * logger in `objectFirstLogger(logger)`.
   */
  logger?: Logger;
  /**
   * Where money-moving requests are recorded before they leave (issue #13): a request whose order
   * number the ledger holds — sent by this instance, another one, or before a restart — is never
   * sent again; the client queries it and answers with the platform's outcome (or
   * `MmspOutcomeUnknownError`). Default: a `MemorySendLedger` of this client alone. Give every
   * instance the same `RedisSendLedger` (`@mmsp/store-redis`) or `PostgresSendLedger`
   * (`@mmsp/store-postgres`) to cover restarts and several instances.
   */
  sendLedger?: SendLedger;
  /**
   * How queries are retried after a transport failure (default `DEFAULT_QUERY_RETRY`: 3 attempts,
   * 200 ms base, 2 s cap); `attempts: 1` turns retries off. Only queries are ever retried: payments,
   * refunds, payouts and SMS are never resent, whatever this says (PROTOCOL §5, §6).
   */
  retry?: Partial<RetryPolicy>;
  /**
   * Money-moving operations: how long an unclear outcome is settled by querying before
   * `MmspOutcomeUnknownError` (default 60 000 ms); a call's own `settleDeadlineMs` wins.
   */
  settleDeadlineMs?: number;
  /** Your application, appended to the User-Agent of every request (`MyShop/1.4.2 (+https://…)`). */
  appInfo?: AppInfo;
  /**
   * `onRequest`, `onResponse`, `onRetry`, `onNotification` (issue #15): called with each event's
   * metadata (never a secret, card data masked); a hook that throws never breaks a call. See {@link MmspHooks}.
   */
  hooks?: MmspHooks;
}

const KNOWN = new Set([
  'merchantNo',
  'terminalNo',
  'key',
  'agentNo',
  'agentKey',
  'endpoints',
  'payout',
  'transport',
  'crypto',
  'timeoutMs',
  'logger',
  'sendLedger',
  'retry',
  'settleDeadlineMs',
  'appInfo',
  'hooks',
]);
const RETRY_LIMITS = { attempts: [1, 10], baseDelayMs: [0, 60_000], maxDelayMs: [0, 600_000] } as const;
const HOOK_NAMES = ['onRequest', 'onResponse', 'onRetry', 'onNotification'];
const ENDPOINTS = ['quickPay', 'scan', 'gateway', 'payout'] as const;
const CRYPTO_METHODS = [
  'md5',
  'randomBytes',
  'rsaEncryptBlock',
  'rsaDecryptBlock',
  'sha1WithRsaSign',
  'sha1WithRsaVerify',
] as const;
export const DEFAULT_TIMEOUT_MS = 30_000;

/** `hooks`: an object whose known members are functions (or absent); an unknown member is a typo. */
function hookIssues(issues: FieldIssue[], hooks: unknown): void {
  if (hooks === null || typeof hooks !== 'object' || Array.isArray(hooks)) {
    issues.push(issue('hooks', 'type', `hooks must be an object { ${HOOK_NAMES.join(', ')} } of functions`, hooks));
    return;
  }
  for (const name of HOOK_NAMES) {
    const hook = (hooks as Record<string, unknown>)[name];
    if (hook !== undefined && typeof hook !== 'function')
      issues.push(issue(`hooks.${name}`, 'type', `hooks.${name} must be a function`, hook));
  }
  for (const name of Object.keys(hooks)) {
    if (!HOOK_NAMES.includes(name))
      issues.push({
        field: `hooks.${name}`,
        rule: 'unknown',
        message: `hooks.${name} is not a hook (known: ${HOOK_NAMES.join(', ')})`,
      });
  }
}

/** Describes the shape of a value without showing it. */
export function shapeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `array(${value.length})`;
  if (typeof value === 'string') return `string(${value.length})`;
  return typeof value;
}

function issue(field: string, rule: string, message: string, value?: unknown): FieldIssue {
  return value === undefined && rule === 'required'
    ? { field, rule, message }
    : { field, rule, message, got: shapeOf(value) };
}

function checkId(issues: FieldIssue[], field: string, value: unknown, max: number, required: boolean): void {
  if (value === undefined && !required) return;
  if (typeof value !== 'string' || value.length === 0) {
    issues.push(
      issue(
        field,
        value === undefined ? 'required' : 'type',
        `${field} is required and must be a non-empty string`,
        value,
      ),
    );
  } else if (value.length > max) {
    issues.push(issue(field, 'maxLength', `${field} must be at most ${max} characters`, value));
  } else if (!/^[0-9A-Za-z]+$/.test(value)) {
    issues.push(issue(field, 'format', `${field} must contain only letters and digits`, value));
  }
}

function checkSecret(issues: FieldIssue[], field: string, value: unknown, required: boolean): void {
  if (value === undefined && !required) return;
  if (typeof value !== 'string' || value.trim().length === 0) {
    issues.push(
      issue(
        field,
        value === undefined ? 'required' : 'type',
        `${field} is required and must be a non-empty string (its value is never shown)`,
        value,
      ),
    );
  }
}

function checkPem(issues: FieldIssue[], field: string, value: unknown, kind: 'PUBLIC' | 'PRIVATE'): void {
  if (typeof value !== 'string' || value.trim().length === 0) {
    issues.push(
      issue(field, value === undefined ? 'required' : 'type', `${field} is required and must be a PEM string`, value),
    );
  } else if (!new RegExp(`-----BEGIN (RSA )?${kind} KEY-----`).test(value) && !/^[A-Za-z0-9+/=\s]{64,}$/.test(value)) {
    issues.push(
      issue(
        field,
        'format',
        `${field} must be a PEM ${kind.toLowerCase()} key (-----BEGIN ${kind} KEY----- or -----BEGIN RSA ${kind} KEY-----) or its base64 body`,
        value,
      ),
    );
  }
}

/**
 * The sandbox's `GET /_sandbox/merchant` JSON (issue #4: `{ merchantNo, terminalNo, key,
 * platformPublicKey, merchantPrivateKey, merchantPublicKey, endpoints }`) spread into the config as
 * is: its top-level `platformPublicKey` / `merchantPrivateKey` are the `payout` keys and
 * `merchantPublicKey` (public; the platform's copy) is not needed. Giving both forms is an error.
 */
function sandboxShape(c: Record<string, unknown>, issues: FieldIssue[]): Record<string, unknown> {
  if (!('platformPublicKey' in c) && !('merchantPrivateKey' in c) && !('merchantPublicKey' in c)) return c;
  const { platformPublicKey, merchantPrivateKey, merchantPublicKey: _public, ...rest } = c;
  if (platformPublicKey === undefined && merchantPrivateKey === undefined) return rest;
  if (rest.payout !== undefined) {
    issues.push({
      field: 'payout',
      rule: 'ambiguous',
      message:
        'give the payout keys once: either payout: { platformPublicKey, merchantPrivateKey } or both at the top level (the sandbox merchant shape)',
    });
    return rest;
  }
  return { ...rest, payout: { platformPublicKey, merchantPrivateKey } };
}

function checkRetry(issues: FieldIssue[], retry: unknown): void {
  if (retry === undefined) return;
  if (retry === null || typeof retry !== 'object' || Array.isArray(retry)) {
    issues.push(issue('retry', 'type', 'retry must be an object { attempts?, baseDelayMs?, maxDelayMs? }', retry));
    return;
  }
  const r = retry as Record<string, unknown>;
  for (const name of Object.keys(r)) {
    if (!(name in RETRY_LIMITS))
      issues.push({
        field: `retry.${name}`,
        rule: 'unknown',
        message: `retry.${name} is not a retry setting (known: ${Object.keys(RETRY_LIMITS).join(', ')})`,
      });
  }
  for (const [name, [min, max]] of Object.entries(RETRY_LIMITS)) {
    const v = r[name];
    if (v !== undefined && (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max)) {
      issues.push(
        issue(
          `retry.${name}`,
          'range',
          `retry.${name} must be an integer between ${min} and ${max}${name === 'attempts' ? ' (attempts in total; 1 = no retry)' : ' ms'}`,
          v,
        ),
      );
    }
  }
}

function checkAppInfo(issues: FieldIssue[], appInfo: unknown): void {
  if (appInfo === undefined) return;
  if (appInfo === null || typeof appInfo !== 'object' || Array.isArray(appInfo)) {
    issues.push(issue('appInfo', 'type', 'appInfo must be an object { name, version?, url? }', appInfo));
    return;
  }
  const a = appInfo as Record<string, unknown>;
  for (const name of Object.keys(a)) {
    if (!['name', 'version', 'url'].includes(name))
      issues.push({
        field: `appInfo.${name}`,
        rule: 'unknown',
        message: `appInfo.${name} is not known (known: name, version, url)`,
      });
  }
  if (typeof a.name !== 'string' || !PRODUCT_TOKEN.test(a.name)) {
    issues.push(
      issue(
        'appInfo.name',
        a.name === undefined ? 'required' : 'format',
        'appInfo.name is required: 1 to 64 letters, digits or ._~+- (a User-Agent product token)',
        a.name,
      ),
    );
  }
  if (a.version !== undefined && (typeof a.version !== 'string' || !PRODUCT_TOKEN.test(a.version))) {
    issues.push(
      issue('appInfo.version', 'format', 'appInfo.version must be 1 to 64 letters, digits or ._~+-', a.version),
    );
  }
  if (a.url !== undefined) {
    let ok = typeof a.url === 'string' && a.url.length <= 200 && !/[\s()]/.test(a.url);
    if (ok) {
      try {
        ok = /^https?:$/.test(new URL(a.url as string).protocol);
      } catch {
        ok = false;
      }
    }
    if (!ok)
      issues.push(
        issue(
          'appInfo.url',
          'url',
          'appInfo.url must be an absolute http(s) URL of at most 200 characters, without spaces or parentheses',
          a.url,
        ),
      );
  }
}

/** Validates a configuration; throws one `MmspConfigError` listing every problem. */
export function validateConfig(input: unknown): ClientConfig {
  const issues: FieldIssue[] = [];
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new MmspConfigError([issue('config', 'type', 'the configuration must be an object', input)]);
  }
  const c = sandboxShape(input as Record<string, unknown>, issues);
  for (const name of Object.keys(c)) {
    if (!KNOWN.has(name))
      issues.push({
        field: name,
        rule: 'unknown',
        message: `${name} is not a configuration option (known: ${[...KNOWN].join(', ')})`,
      });
  }
  checkId(issues, 'merchantNo', c.merchantNo, 20, true); // MERNO string(20) in 代付 §5.1.2; 15 in practice
  checkId(issues, 'terminalNo', c.terminalNo, 8, true); // TERMNO (8), PROTOCOL §2
  checkSecret(issues, 'key', c.key, true);
  checkId(issues, 'agentNo', c.agentNo, 20, false);
  checkSecret(issues, 'agentKey', c.agentKey, false);
  if ((c.agentNo === undefined) !== (c.agentKey === undefined)) {
    issues.push({
      field: c.agentNo === undefined ? 'agentNo' : 'agentKey',
      rule: 'together',
      message: 'agentNo and agentKey go together (agency mode): give both or neither',
    });
  }
  const endpoints = c.endpoints;
  if (endpoints === null || typeof endpoints !== 'object' || Array.isArray(endpoints)) {
    issues.push(
      issue(
        'endpoints',
        endpoints === undefined ? 'required' : 'type',
        'endpoints is required: an object of full POST URLs { quickPay?, scan?, gateway?, payout? }',
        endpoints,
      ),
    );
  } else {
    const e = endpoints as Record<string, unknown>;
    for (const name of Object.keys(e)) {
      if (!(ENDPOINTS as readonly string[]).includes(name))
        issues.push({
          field: `endpoints.${name}`,
          rule: 'unknown',
          message: `endpoints.${name} is not a family (known: ${ENDPOINTS.join(', ')})`,
        });
    }
    for (const name of ENDPOINTS) {
      const url = e[name];
      if (url === undefined) continue;
      let ok = false;
      if (typeof url === 'string') {
        try {
          const parsed = new URL(url);
          ok = parsed.protocol === 'https:' || parsed.protocol === 'http:';
        } catch {
          ok = false;
        }
      }
      if (!ok) issues.push(issue(`endpoints.${name}`, 'url', `endpoints.${name} must be an absolute http(s) URL`, url));
    }
    // endpoints.payout without payout keys is not a construction error: a client made from the
    // sandbox's `endpoints` (all four families) for scan or quick pay only must construct. A payout
    // call without keys fails before anything is sent (engine.ts exchangeRsa, MmspConfigError 'payout').
  }
  if (c.payout !== undefined) {
    if (c.payout === null || typeof c.payout !== 'object') {
      issues.push(
        issue('payout', 'type', 'payout must be an object { platformPublicKey, merchantPrivateKey }', c.payout),
      );
    } else {
      const p = c.payout as Record<string, unknown>;
      checkPem(issues, 'payout.platformPublicKey', p.platformPublicKey, 'PUBLIC');
      checkPem(issues, 'payout.merchantPrivateKey', p.merchantPrivateKey, 'PRIVATE');
    }
  }
  if (typeof c.transport !== 'function') {
    issues.push(
      issue(
        'transport',
        c.transport === undefined ? 'required' : 'type',
        'transport is required: a function (req) => Promise<{ status, headers, body }>',
        c.transport,
      ),
    );
  }
  if (c.crypto !== undefined) {
    const p = c.crypto as Record<string, unknown> | null;
    if (p === null || typeof p !== 'object')
      issues.push(issue('crypto', 'type', 'crypto must be a CryptoProvider object', c.crypto));
    else
      for (const m of CRYPTO_METHODS)
        if (typeof p[m] !== 'function')
          issues.push({
            field: `crypto.${m}`,
            rule: 'required',
            message: `crypto.${m} must be a function (CryptoProvider)`,
          });
  }
  if (
    c.timeoutMs !== undefined &&
    (typeof c.timeoutMs !== 'number' || !Number.isInteger(c.timeoutMs) || c.timeoutMs <= 0 || c.timeoutMs > 600_000)
  ) {
    issues.push(
      issue(
        'timeoutMs',
        'range',
        'timeoutMs must be an integer number of milliseconds between 1 and 600000',
        c.timeoutMs,
      ),
    );
  }
  if (c.logger !== undefined && (c.logger === null || typeof c.logger !== 'object')) {
    issues.push(issue('logger', 'type', 'logger must be an object with debug/info/warn/error functions', c.logger));
  }
  if (c.sendLedger !== undefined && !isSendLedger(c.sendLedger)) {
    issues.push(
      issue(
        'sendLedger',
        'type',
        'sendLedger must be a SendLedger: an object with reserve, update and forget functions (MemorySendLedger, RedisSendLedger, PostgresSendLedger)',
        c.sendLedger,
      ),
    );
  }
  checkRetry(issues, c.retry);
  if (
    c.settleDeadlineMs !== undefined &&
    (typeof c.settleDeadlineMs !== 'number' ||
      !Number.isInteger(c.settleDeadlineMs) ||
      c.settleDeadlineMs < 0 ||
      c.settleDeadlineMs > 86_400_000)
  ) {
    issues.push(
      issue(
        'settleDeadlineMs',
        'range',
        'settleDeadlineMs must be an integer number of milliseconds between 0 and 86400000',
        c.settleDeadlineMs,
      ),
    );
  }
  checkAppInfo(issues, c.appInfo);
  if (c.hooks !== undefined) hookIssues(issues, c.hooks);
  if (issues.length > 0) throw new MmspConfigError(issues);
  return c as unknown as ClientConfig;
}
