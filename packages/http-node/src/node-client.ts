/**
 * `createNodeClient(config)`: the `@mmsp/client` client wired to Node — the node:http(s) transport
 * (keep-alive, timeouts, size limit, TLS client certificate, proxy) and the OpenSSL crypto provider.
 * `config` is `createClient`'s configuration without `transport` and `crypto`, plus `http` for the
 * transport's options. Idle kept-alive sockets never hold the process open (Node unrefs them).
 */
import {
  MmspConfigError,
  createClient,
  validateConfig,
  type ClientConfig,
  type FieldIssue,
  type MmspClient,
} from '@mmsp/client';
import { nodeHttpTransport, type NodeTransport, type NodeTransportOptions } from './node-transport.js';
import { diagnosticsHooks } from './diagnostics.js';
import { opensslCrypto } from './openssl-crypto.js';

/**
 * What {@link createNodeClient} takes: `createClient`'s configuration (`merchantNo` = `MERNO`,
 * `terminalNo` = `TERMNO`, the MD5 `key`, `agentNo`/`agentKey` for agency mode, `endpoints`,
 * `payout` keys, `timeoutMs`, `logger`, `sendLedger`, `retry`, `settleDeadlineMs`, `appInfo`; PROTOCOL §2, §3, §6)
 * without `transport` and `crypto`, which this package supplies, plus `http` for the node:http(s)
 * transport's options (timeouts, TLS, `proxy` including `'env'`, `proxyTls`, your own `agent`).
 */
export type NodeClientConfig = Omit<ClientConfig, 'transport' | 'crypto'> & {
  /** Options of the node:http(s) transport (timeouts, TLS client certificate, proxy, …). */
  http?: NodeTransportOptions;
};

const issuesOf = (fn: () => unknown): FieldIssue[] => {
  try {
    fn();
    return [];
  } catch (error) {
    if (error instanceof MmspConfigError) return error.issues;
    throw error;
  }
};

/**
 * The `@mmsp/client` client wired to Node: the node:http(s) transport ({@link nodeHttpTransport}:
 * keep-alive, connect and response timeouts, a response size limit, TLS client certificate, HTTP
 * proxy) and the OpenSSL crypto provider ({@link opensslCrypto}). Every operation, validation,
 * autofill and never-resend rule is the client's own.
 *
 * The configuration is checked at once: one `MmspConfigError` lists every problem of the client's
 * options and of `http` together, never a secret's value. The client's `timeoutMs` (the whole call's
 * deadline) is also the transport's response timeout unless `http.responseTimeoutMs` is given. Idle
 * kept-alive sockets never hold the process open (Node unrefs them).
 *
 * @param config - `createClient`'s configuration without `transport` and `crypto`, plus `http`.
 * @param adapter - The adapter the User-Agent names (`mmsp-sdk/<version> (<adapter>; node/<version>)`):
 *   `http-node` by default; a package built on this one names itself (`nestjs-module`).
 * @returns The client: `payout`, `quickPay`, `scan`, `gateway`, `call(operation, body)`, `notifications`.
 * @throws MmspConfigError when the configuration is invalid (every problem listed).
 *
 * @example
 * ```ts
 * import { createNodeClient } from '@mmsp/http-node';
 *
 * const mmsp = createNodeClient({
 *   merchantNo: '001440353999853',
 *   terminalNo: '84970001',
 *   key: process.env.MMSP_KEY!, // MD5 key: never logged, never in an error
 *   endpoints: { scan: 'https://pay.example.com/scan' },
 *   http: { connectTimeoutMs: 5_000, responseTimeoutMs: 20_000, proxy: 'env' }, // HTTPS_PROXY / NO_PROXY
 *   retry: { attempts: 2 },                      // queries only; payments are never resent
 *   appInfo: { name: 'MyShop', version: '1.4.2' }, // appended to the User-Agent
 * });
 * const order = await mmsp.scan.wechatOrder({
 *   TRADETYPE: '1', AMT: '100', MERORDERID: 'ORD20250101000001', GOODSNAME: 'book',
 *   NOTIFY_URL: 'https://shop.example.com/mmsp/notify',
 * });
 * console.log(order.state, order.body);
 * ```
 */
export function createNodeClient(config: NodeClientConfig, adapter?: string): MmspClient {
  const { http, ...rest } = (config ?? {}) as NodeClientConfig;
  // The client's `timeoutMs` is the whole-call deadline; the transport's response timeout follows it unless set.
  const followDeadline =
    http?.responseTimeoutMs === undefined && Number.isSafeInteger(rest.timeoutMs) && (rest.timeoutMs ?? 0) > 0;
  const transportOptions = followDeadline ? { ...http, responseTimeoutMs: rest.timeoutMs! } : http;
  let transport: NodeTransport | undefined;
  // One error listing every problem, the transport's and the client's (issue #3).
  const issues = [
    ...issuesOf(() => (transport = nodeHttpTransport(transportOptions))),
    ...issuesOf(() =>
      validateConfig({
        ...rest,
        transport: transport ?? (async () => ({ status: 0, headers: {}, body: '' })),
        crypto: opensslCrypto,
      }),
    ),
  ];
  if (issues.length > 0) {
    transport?.close();
    throw new MmspConfigError(issues);
  }
  if (adapter !== undefined) Object.assign(transport!, { identity: { ...transport!.identity, adapter } });
  // The caller's hooks, and the diagnostics channels while someone subscribes (issue #15).
  return createClient({ ...rest, hooks: diagnosticsHooks(rest.hooks), transport: transport!, crypto: opensslCrypto });
}
