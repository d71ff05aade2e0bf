/**
 * The client's `Transport` on node:http/https (issue #3 contract): keep-alive agents, connect and
 * response timeouts, a response size limit, TLS options (custom CA, merchant client certificate),
 * an optional HTTP proxy.
 *
 * `mayHaveReachedPlatform` is told truthfully (PROTOCOL §5, §6: never resend a payment or payout
 * whose outcome is unknown): it is false only while no byte of the request can have left, i.e.
 * before the TCP connection (and, for HTTPS, the TLS handshake; through a proxy, the CONNECT
 * tunnel) was established on a fresh socket: DNS failure, connection refused, unreachable host,
 * connect timeout, TLS certificate rejected, proxy refused. From the moment the socket is ready
 * (or a kept-alive socket is reused) every failure is "may have reached".
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { MmspConfigError, MmspTransportError } from '@mmsp/codec';
import type { Transport, TransportIdentity, TransportRequest, TransportResponse } from '@mmsp/client';
import { bypassesProxy } from './no-proxy.js';
import { proxyFor, resolveTransportOptions, type NodeTransportOptions } from './transport-options.js';
import { TunnelAgent } from './tunnel-agent.js';

export type { NodeTransportOptions, NodeTlsOptions } from './transport-options.js';

/** The transport function, plus `close()` to drop kept-alive connections (tests, graceful shutdown). */
export interface NodeTransport extends Transport {
  /** Destroys the kept-alive sockets of the transport's own agents; requests in flight fail. A caller's `agent` is left alone. */
  close(): void;
  /** `http-node` and the runtime (`node/22.11.0`, or Bun's / Deno's), for the User-Agent. */
  readonly identity: TransportIdentity;
}

/** The runtime as `process.versions` tells it (Bun and Deno run this package too). */
export function nodeRuntime(): string {
  const v = process.versions as NodeJS.ProcessVersions & { bun?: string; deno?: string };
  if (v.bun) return `bun/${v.bun}`;
  if (v.deno) return `deno/${v.deno}`;
  return `node/${v.node}`;
}

/** A host name usable as TLS SNI (RFC 6066: not an IP address). */
function sniName(host: string): boolean {
  return !/^[\d.]+$/.test(host) && !host.includes(':') && !host.startsWith('[');
}

/** Is the TLS handshake of this socket done (a socket a caller's agent handed over ready)? */
function handshakeDone(socket: Socket): boolean {
  // getFinished(): undefined until this side sent its Finished message, i.e. ended the handshake.
  return (socket as Partial<TLSSocket>).getFinished?.() !== undefined;
}

const PLAIN_CODES: Record<string, string> = {
  ENOTFOUND: 'the host name did not resolve',
  EAI_AGAIN: 'the host name could not be resolved (DNS unavailable)',
  ECONNREFUSED: 'the connection was refused',
  EHOSTUNREACH: 'the host is unreachable',
  ENETUNREACH: 'the network is unreachable',
  ECONNRESET: 'the connection was reset',
  EPIPE: 'the connection was closed while writing',
  ETIMEDOUT: 'the connection timed out',
};

function describe(error: unknown): string {
  const e = error as NodeJS.ErrnoException & { code?: string };
  const code = typeof e?.code === 'string' ? e.code : undefined;
  if (code && PLAIN_CODES[code]) return `${PLAIN_CODES[code]} (${code})`;
  if (code === 'MMSP_PROXY_TUNNEL') return e.message;
  if (code && /CERT|TLS|SSL|EPROTO/.test(code)) return `the TLS handshake failed (${code})`;
  return code ? `${e.message} (${code})` : String(e?.message ?? error);
}

function flatHeaders(res: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(res.headers)) {
    if (value !== undefined) out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/**
 * The client's `Transport` on node:http/https: keep-alive agents, connect and response timeouts, a
 * response size limit, TLS options (custom CA, merchant client certificate), an optional proxy
 * (`http://` or `https://`, or `'env'` for HTTPS_PROXY / HTTP_PROXY / NO_PROXY) or the caller's own
 * agent. Its `identity` names it in the User-Agent (`http-node; node/<version>`). {@link createNodeClient} uses it; on its own it is for `createClient({ transport })`.
 *
 * Failures are `MmspTransportError` whose `mayHaveReachedPlatform` is told truthfully (PROTOCOL §5,
 * §6: never resend a payment or payout whose outcome is unknown): it is `false` only while no byte of
 * the request can have left, i.e. before the TCP connection (and, for HTTPS, the TLS handshake;
 * through a proxy, the CONNECT tunnel) was established on a fresh socket — DNS failure, connection
 * refused, unreachable host, connect timeout, certificate rejected, proxy refused. From the moment
 * the socket is ready (or a kept-alive socket is reused) every failure is "may have reached".
 *
 * @param options - Timeouts, limits, TLS and proxy; all optional (defaults on {@link NodeTransportOptions}).
 * @returns The transport function, with `close()` to drop kept-alive connections.
 * @throws MmspConfigError when an option is invalid (every problem listed, never a TLS secret).
 *
 * @example
 * ```ts
 * import { createClient } from '@mmsp/client';
 * import { nodeHttpTransport, opensslCrypto } from '@mmsp/http-node';
 *
 * const transport = nodeHttpTransport({ connectTimeoutMs: 5_000, proxy: 'http://proxy.internal:3128' });
 * const client = createClient({
 *   merchantNo: '001440353999853', terminalNo: '84970001', key: process.env.MMSP_KEY!,
 *   endpoints: { quickPay: 'https://pay.example.com/quickpay' },
 *   transport, crypto: opensslCrypto,
 * });
 * // on shutdown: transport.close();
 * ```
 */
export function nodeHttpTransport(options: NodeTransportOptions = {}): NodeTransport {
  const o = resolveTransportOptions(options);
  // `timeout` on an Agent applies to its free (idle) sockets: they are destroyed when it passes.
  // Requests in flight are bounded by our own connect/response timers below.
  const agentOptions = {
    keepAlive: o.keepAlive,
    maxSockets: o.maxSockets,
    scheduling: 'lifo' as const,
    timeout: o.idleSocketTimeoutMs,
  };
  const own = o.agent === undefined;
  const httpAgent = own ? new HttpAgent(agentOptions) : undefined;
  const httpsAgent = own ? new HttpsAgent({ ...agentOptions, ...o.tls }) : undefined;
  // Per proxy (one, or two with 'env'): a CONNECT tunnel agent for HTTPS endpoints, and an agent to
  // the proxy itself (TLS when it is https://) for plain-HTTP endpoints sent in absolute form.
  const proxyAgents = new Map<string, { tunnel: TunnelAgent; forward: HttpAgent }>();
  const agentsFor = (proxy: URL) => {
    let agents = proxyAgents.get(proxy.href);
    if (!agents) {
      agents = {
        tunnel: new TunnelAgent(proxy, {
          ...agentOptions,
          ...o.tls,
          connectTimeoutMs: o.connectTimeoutMs,
          proxyTls: o.proxyTls,
        }),
        forward:
          proxy.protocol === 'https:'
            ? new HttpsAgent({ ...agentOptions, ...o.proxyTls })
            : new HttpAgent(agentOptions),
      };
      proxyAgents.set(proxy.href, agents);
    }
    return agents;
  };

  const send = (req: TransportRequest): Promise<TransportResponse> =>
    new Promise<TransportResponse>((resolve, reject) => {
      let url: URL;
      try {
        url = new URL(req.url);
        if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('protocol');
      } catch {
        reject(
          new MmspConfigError([
            { field: 'endpoints', rule: 'url', message: 'endpoint: must be an absolute http:// or https:// URL' },
          ]),
        );
        return;
      }
      const isHttps = url.protocol === 'https:';
      const where = `POST ${url.origin}${url.pathname}`;
      const body = Buffer.from(req.body, 'utf8');
      const headers: Record<string, string> = { ...req.headers, 'content-length': String(body.length) };
      let sent = false; // from here on, bytes of the request may have left
      let settled = false;
      // One timer at a time: the connect limit, then the response limit, each cut short by the
      // call's own deadline when that comes first (on a tie, the connect or response limit).
      let timer: NodeJS.Timeout | undefined;
      const started = performance.now();
      const callDeadline = req.timeoutMs !== undefined && req.timeoutMs > 0 ? started + req.timeoutMs : Infinity;

      if (req.signal?.aborted) {
        reject(
          new MmspTransportError(`${where}: aborted before the request was sent`, {
            mayHaveReachedPlatform: false,
            cause: req.signal.reason,
          }),
        );
        return;
      }

      const proxy = proxyFor(o.proxy, url, bypassesProxy);
      // Plain HTTP through a proxy: the request goes to the proxy (absolute form), over TLS for an https:// proxy.
      const forward = proxy !== undefined && !isHttps ? proxy : undefined;
      const secureSocket = forward ? forward.protocol === 'https:' : isHttps;
      const agent =
        o.agent ??
        (proxy ? (isHttps ? agentsFor(proxy).tunnel : agentsFor(proxy).forward) : isHttps ? httpsAgent : httpAgent);
      const request = (secureSocket ? httpsRequest : httpRequest)({
        protocol: forward ? forward.protocol : url.protocol,
        host: forward ? forward.hostname.replace(/^\[|\]$/g, '') : url.hostname.replace(/^\[|\]$/g, ''),
        port: forward ? Number(forward.port || (secureSocket ? 443 : 80)) : Number(url.port || (isHttps ? 443 : 80)),
        path: forward ? url.href : `${url.pathname}${url.search}`,
        method: 'POST',
        headers: forward ? { ...headers, host: url.host, ...proxyAuth(forward) } : headers,
        agent,
        ...(isHttps && o.agent ? o.tls : {}),
        ...(isHttps && o.tls.servername ? { servername: o.tls.servername } : {}),
        ...(forward && secureSocket
          ? {
              ...o.proxyTls,
              ...(sniName(o.proxyTls.servername ?? forward.hostname)
                ? { servername: o.proxyTls.servername ?? forward.hostname }
                : {}),
            }
          : {}),
      } as never);

      const cleanup = () => {
        clearTimeout(timer);
        req.signal?.removeEventListener('abort', onAbort);
      };
      const fail = (message: string, cause?: unknown, status?: number, notForwarded = false) => {
        if (settled) return;
        settled = true;
        cleanup();
        const mayHaveReachedPlatform = sent && !notForwarded;
        const tail = mayHaveReachedPlatform ? '' : '; the request was not sent';
        reject(
          new MmspTransportError(`${where}: ${message}${tail}`, {
            mayHaveReachedPlatform,
            cause,
            ...(status !== undefined ? { status } : {}),
          }),
        );
        request.destroy();
      };
      const onAbort = () => fail('aborted by the caller', req.signal?.reason);
      req.signal?.addEventListener('abort', onAbort, { once: true });

      /** Arms the one timer: `limitMs` from now, or the call's deadline if that comes first. */
      const arm = (limitMs: number, now: number, onLimit: () => void) => {
        clearTimeout(timer);
        timer =
          callDeadline < now + limitMs
            ? setTimeout(
                () => fail(`no complete response within the call's ${req.timeoutMs} ms deadline`),
                Math.max(1, Math.ceil(callDeadline - now)),
              )
            : setTimeout(onLimit, limitMs);
      };
      const onReady = () => {
        if (sent) return;
        sent = true;
        arm(o.responseTimeoutMs, performance.now(), () =>
          fail(`no complete response within ${o.responseTimeoutMs} ms after the request was sent`),
        );
      };
      arm(o.connectTimeoutMs, started, () => fail(`no connection within ${o.connectTimeoutMs} ms`));

      request.once('socket', (socket: Socket) => {
        if (request.reusedSocket) onReady();
        else if (secureSocket && o.agent && handshakeDone(socket))
          onReady(); // a caller's agent handed over a ready TLS socket
        else if (secureSocket) socket.once('secureConnect', onReady);
        else if (socket.connecting) socket.once('connect', onReady);
        else onReady();
      });
      request.on('error', (error) => fail(describe(error), error)); // `on`: destroy() after a failure may emit again
      request.once('response', (res) => {
        if (forward && res.statusCode === 407) {
          // The proxy asks for credentials: it forwarded nothing (the platform never answers 407).
          fail(`the proxy refused the request (HTTP 407: proxy authentication required)`, undefined, 407, true);
          return;
        }
        const declared = Number(res.headers['content-length']);
        if (Number.isFinite(declared) && declared > o.maxResponseBytes) {
          fail(
            `the response (${declared} bytes) exceeds maxResponseBytes ${o.maxResponseBytes}`,
            undefined,
            res.statusCode,
          );
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > o.maxResponseBytes)
            fail(`the response exceeds maxResponseBytes ${o.maxResponseBytes}`, undefined, res.statusCode);
          else chunks.push(chunk);
        });
        res.on('error', (error) => fail(describe(error), error, res.statusCode));
        res.once('aborted', () =>
          fail('the connection closed before the response was complete', undefined, res.statusCode),
        );
        res.once('end', () => {
          if (settled) return;
          if (!res.complete) {
            fail('the connection closed before the response was complete', undefined, res.statusCode);
            return;
          }
          settled = true;
          cleanup();
          resolve({
            status: res.statusCode ?? 0,
            headers: flatHeaders(res),
            body: Buffer.concat(chunks).toString('utf8'),
          });
        });
      });
      request.end(body);
    });

  return Object.assign(send, {
    close: () => {
      httpAgent?.destroy();
      httpsAgent?.destroy();
      for (const { tunnel, forward } of proxyAgents.values()) {
        tunnel.destroy();
        forward.destroy();
      }
    },
    identity: { adapter: 'http-node', runtime: nodeRuntime() },
  });
}

function proxyAuth(proxy: URL): Record<string, string> {
  if (!proxy.username && !proxy.password) return {};
  const credentials = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
  return { 'proxy-authorization': `Basic ${Buffer.from(credentials).toString('base64')}` };
}
