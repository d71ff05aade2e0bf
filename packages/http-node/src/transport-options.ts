/**
 * Options of the node:http(s) transport, checked once at construction (one error listing every
 * problem; never a secret's value: TLS keys, pfx and passphrases are only named).
 */
import type { Agent } from 'node:http';
import { MmspConfigError, type FieldIssue } from '@mmsp/codec';
import { parseNoProxy, type NoProxyEntry } from './no-proxy.js';

/**
 * TLS options of the node:http(s) transport (`http.tls` of `createNodeClient`): a private CA,
 * the merchant's client certificate (the document requires one for refunds and cancels), SNI.
 * Checked at construction; key material is only ever named in errors, never shown.
 */
export interface NodeTlsOptions {
  /** Trusted CA certificate(s), PEM, replacing Node's default list (a private CA for a test platform). */
  ca?: string | Buffer | Array<string | Buffer>;
  /** Merchant client certificate (PEM) and its key: the document requires one for refunds and cancels. */
  cert?: string | Buffer;
  /** The private key (PEM) of `cert`; give both or neither. */
  key?: string | Buffer;
  /** Or the certificate and key as one PKCS#12 file. */
  pfx?: Buffer | string;
  /** Passphrase of `key` or `pfx`. */
  passphrase?: string;
  /** Default true. Turning it off is for local tests only. */
  rejectUnauthorized?: boolean;
  /** SNI / certificate host name, when it differs from the URL's host. */
  servername?: string;
  /** Lowest TLS version accepted (Node's default when absent). */
  minVersion?: 'TLSv1.2' | 'TLSv1.3';
}

/**
 * Options of the node:http(s) transport (`nodeHttpTransport`, `http` of
 * `createNodeClient`); all optional. Checked once at construction: one `MmspConfigError`
 * lists every problem.
 */
export interface NodeTransportOptions {
  /** Reuse connections (default true). */
  keepAlive?: boolean;
  /** Sockets per origin (default 16). */
  maxSockets?: number;
  /**
   * Close a kept-alive socket after it sat idle this long (default 4 000 ms), before a server's
   * keep-alive timeout (often 5 s) closes it under us: a request written to a socket the server is
   * closing fails after it may have left, which leaves a payment's outcome unknown.
   */
  idleSocketTimeoutMs?: number;
  /** Time to establish TCP (and TLS) before giving up; the request was not sent (default 10 000 ms). */
  connectTimeoutMs?: number;
  /**
   * Time from the request being sent to the complete response (default 30 000 ms). When it passes,
   * the platform may have received the request: `mayHaveReachedPlatform` is true.
   */
  responseTimeoutMs?: number;
  /** Largest response body accepted, in bytes (default 1 MiB). */
  maxResponseBytes?: number;
  /** TLS: private CA, merchant client certificate (refunds and cancels), SNI. */
  tls?: NodeTlsOptions;
  /**
   * A proxy, `http://[user:password@]host:port` or `https://…` (TLS to the proxy itself, see
   * `proxyTls`), or `'env'`: the operator's `HTTPS_PROXY`, `HTTP_PROXY` and `NO_PROXY` (lower-case
   * names win over upper-case; `HTTP_PROXY` also serves HTTPS endpoints when `HTTPS_PROXY` is unset;
   * read once, when the transport is made). HTTPS endpoints are reached through a CONNECT tunnel
   * (end-to-end TLS with the platform); plain HTTP endpoints are sent to the proxy in absolute form.
   * A proxy that refuses (tunnel refused, 407, unreachable, its TLS rejected) fails with
   * `mayHaveReachedPlatform: false`: the request never left for the platform.
   */
  proxy?: string;
  /** TLS towards an `https://` proxy: its CA (a corporate proxy's own), SNI, `rejectUnauthorized`. */
  proxyTls?: Pick<NodeTlsOptions, 'ca' | 'rejectUnauthorized' | 'servername'>;
  /**
   * Your own `http.Agent` / `https.Agent` (or an agent-base style agent that serves both), used for
   * every request instead of the transport's: its sockets, keep-alive and proxying are yours.
   * Exclusive with `proxy`, `keepAlive`, `maxSockets` and `idleSocketTimeoutMs`. `mayHaveReachedPlatform` stays
   * exact: false while the agent has not handed over a connected socket.
   */
  agent?: Agent;
}

/** How the transport reaches the platform: directly, through one proxy, or as the environment says. */
export type ProxyChoice =
  | { kind: 'none' }
  | { kind: 'fixed'; url: URL }
  | { kind: 'env'; http: URL | undefined; https: URL | undefined; noProxy: NoProxyEntry[] };

export interface ResolvedTransportOptions {
  keepAlive: boolean;
  maxSockets: number;
  idleSocketTimeoutMs: number;
  connectTimeoutMs: number;
  responseTimeoutMs: number;
  maxResponseBytes: number;
  tls: NodeTlsOptions;
  proxy: ProxyChoice;
  proxyTls: NonNullable<NodeTransportOptions['proxyTls']>;
  agent: Agent | undefined;
}

const positiveInt = (issues: FieldIssue[], field: string, value: unknown, fallback: number): number => {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
    issues.push({ field, rule: 'positiveInteger', message: `${field}: must be a positive integer`, got: typeof value });
    return fallback;
  }
  return value;
};

export function resolveTransportOptions(options: NodeTransportOptions = {}): ResolvedTransportOptions {
  const issues: FieldIssue[] = [];
  const field = (name: string) => `http.${name}`;
  const resolved: ResolvedTransportOptions = {
    keepAlive: options.keepAlive ?? true,
    maxSockets: positiveInt(issues, field('maxSockets'), options.maxSockets, 16),
    idleSocketTimeoutMs: positiveInt(issues, field('idleSocketTimeoutMs'), options.idleSocketTimeoutMs, 4_000),
    connectTimeoutMs: positiveInt(issues, field('connectTimeoutMs'), options.connectTimeoutMs, 10_000),
    responseTimeoutMs: positiveInt(issues, field('responseTimeoutMs'), options.responseTimeoutMs, 30_000),
    maxResponseBytes: positiveInt(issues, field('maxResponseBytes'), options.maxResponseBytes, 1024 * 1024),
    tls: { ...options.tls },
    proxy: { kind: 'none' },
    proxyTls: { ...options.proxyTls },
    agent: options.agent,
  };
  if (typeof resolved.keepAlive !== 'boolean') {
    issues.push({ field: field('keepAlive'), rule: 'type', message: `${field('keepAlive')}: must be a boolean` });
  }
  const tls = options.tls ?? {};
  if ((tls.cert === undefined) !== (tls.key === undefined)) {
    issues.push({
      field: field('tls.cert'),
      rule: 'pair',
      message: `${field('tls.cert')} and ${field('tls.key')}: give both or neither`,
    });
  }
  if (tls.pfx !== undefined && tls.cert !== undefined) {
    issues.push({
      field: field('tls.pfx'),
      rule: 'exclusive',
      message: `${field('tls.pfx')}: give either pfx or cert/key, not both`,
    });
  }
  if (options.proxy === 'env') {
    const env = readProxyEnv();
    const http = env.http === undefined ? undefined : proxyUrl(env.http.value);
    const https = env.https === undefined ? undefined : proxyUrl(env.https.value);
    // The variable is named, never its value (it may carry a password).
    if (env.http !== undefined && http === undefined)
      issues.push({
        field: field('proxy'),
        rule: 'url',
        message: `${field('proxy')}: 'env': ${env.http.name} must be an http:// or https:// proxy URL`,
      });
    if (env.https !== undefined && https === undefined)
      issues.push({
        field: field('proxy'),
        rule: 'url',
        message: `${field('proxy')}: 'env': ${env.https.name} must be an http:// or https:// proxy URL`,
      });
    resolved.proxy = { kind: 'env', http, https: https ?? http, noProxy: parseNoProxy(env.noProxy ?? '') };
  } else if (options.proxy !== undefined) {
    const url =
      typeof options.proxy === 'string' && options.proxy.includes('://') ? proxyUrl(options.proxy) : undefined;
    if (url) resolved.proxy = { kind: 'fixed', url };
    else
      issues.push({
        field: field('proxy'),
        rule: 'url',
        message: `${field('proxy')}: must be an http://host:port or https://host:port URL, or 'env'`,
      });
  }
  if (options.agent !== undefined) {
    const a = options.agent as unknown as Record<string, unknown> | null;
    if (a === null || typeof a !== 'object' || typeof a.destroy !== 'function') {
      issues.push({
        field: field('agent'),
        rule: 'type',
        message: `${field('agent')}: must be an http.Agent or https.Agent`,
        got: a === null ? 'null' : typeof a,
      });
    }
    const clashes = (['proxy', 'keepAlive', 'maxSockets', 'idleSocketTimeoutMs'] as const).filter(
      (k) => options[k] !== undefined,
    );
    for (const k of clashes) {
      issues.push({
        field: field(k),
        rule: 'exclusive',
        message: `${field(k)}: not with ${field('agent')} (your agent decides its sockets${k === 'proxy' ? ' and its proxy' : ''})`,
      });
    }
  }
  if (issues.length > 0) throw new MmspConfigError(issues);
  return resolved;
}

/** An http(s) proxy URL, or undefined; a bare `host:port` (as some environments write it) is http. */
function proxyUrl(value: string): URL | undefined {
  try {
    const url = new URL(value.includes('://') ? value : `http://${value}`);
    if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '') return undefined;
    return url;
  } catch {
    return undefined;
  }
}

/** The proxy variables as curl and undici read them: lower-case first, then upper-case; empty is unset. */
function readProxyEnv(): {
  http?: { name: string; value: string };
  https?: { name: string; value: string };
  noProxy?: string;
} {
  const pick = (...names: string[]) => {
    for (const name of names) {
      const value = process.env[name];
      if (value !== undefined && value.trim() !== '') return { name, value: value.trim() };
    }
    return undefined;
  };
  const http = pick('http_proxy', 'HTTP_PROXY');
  const https = pick('https_proxy', 'HTTPS_PROXY');
  const noProxy = pick('no_proxy', 'NO_PROXY');
  return { ...(http ? { http } : {}), ...(https ? { https } : {}), ...(noProxy ? { noProxy: noProxy.value } : {}) };
}

/** The proxy to use for `target`, or undefined to connect directly. */
export function proxyFor(
  choice: ProxyChoice,
  target: URL,
  matches: (entries: NoProxyEntry[], target: URL) => boolean,
): URL | undefined {
  if (choice.kind === 'none') return undefined;
  if (choice.kind === 'fixed') return choice.url;
  if (matches(choice.noProxy, target)) return undefined;
  return target.protocol === 'https:' ? choice.https : choice.http;
}
