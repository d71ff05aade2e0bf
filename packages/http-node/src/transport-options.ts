/**
 * Options of the node:http(s) transport, checked once at construction (one error listing every
 * problem; never a secret's value: TLS keys, pfx and passphrases are only named).
 */
import { MmspConfigError, type FieldIssue } from '@mmsp/codec';

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
   * An HTTP proxy, `http://[user:password@]host:port`. HTTPS endpoints are reached through a
   * CONNECT tunnel (end-to-end TLS with the platform); plain HTTP endpoints are sent to the proxy.
   */
  proxy?: string;
}

export interface ResolvedTransportOptions {
  keepAlive: boolean;
  maxSockets: number;
  idleSocketTimeoutMs: number;
  connectTimeoutMs: number;
  responseTimeoutMs: number;
  maxResponseBytes: number;
  tls: NodeTlsOptions;
  proxy: URL | undefined;
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
    proxy: undefined,
  };
  if (typeof resolved.keepAlive !== 'boolean') {
    issues.push({ field: field('keepAlive'), rule: 'type', message: `${field('keepAlive')}: must be a boolean` });
  }
  const tls = options.tls ?? {};
  if ((tls.cert === undefined) !== (tls.key === undefined)) {
    issues.push({ field: field('tls.cert'), rule: 'pair', message: `${field('tls.cert')} and ${field('tls.key')}: give both or neither` });
  }
  if (tls.pfx !== undefined && tls.cert !== undefined) {
    issues.push({ field: field('tls.pfx'), rule: 'exclusive', message: `${field('tls.pfx')}: give either pfx or cert/key, not both` });
  }
  if (options.proxy !== undefined) {
    try {
      const url = new URL(options.proxy);
      if (url.protocol !== 'http:') throw new Error('protocol');
      resolved.proxy = url;
    } catch {
      issues.push({ field: field('proxy'), rule: 'url', message: `${field('proxy')}: must be an http://host:port URL` });
    }
  }
  if (issues.length > 0) throw new MmspConfigError(issues);
  return resolved;
}
