/**
 * An https.Agent that reaches the origin through a proxy's CONNECT tunnel, keeping TLS end-to-end
 * with the platform (the proxy sees only ciphertext) and keep-alive per tunnel. The proxy itself
 * may be `http://` or `https://` (then the CONNECT goes over TLS to the proxy, and the platform's
 * TLS runs inside it).
 * A proxy that refuses the tunnel fails the request before any byte of it left: the platform
 * cannot have received it (`mayHaveReachedPlatform` false, see node-transport.ts).
 */
import { Agent as HttpsAgent, type AgentOptions } from 'node:https';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import type { Duplex } from 'node:stream';

/** Raised when the tunnel could not be opened: nothing was sent to the platform. */
export class TunnelError extends Error {
  readonly code = 'MMSP_PROXY_TUNNEL';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

export class TunnelAgent extends HttpsAgent {
  readonly #proxy: URL;
  readonly #connectTimeoutMs: number;
  readonly #proxyTls: { ca?: unknown; rejectUnauthorized?: boolean; servername?: string };

  constructor(
    proxy: URL,
    options: AgentOptions & {
      connectTimeoutMs: number;
      proxyTls?: { ca?: unknown; rejectUnauthorized?: boolean; servername?: string };
    },
  ) {
    const { proxyTls, ...agentOptions } = options;
    super(agentOptions);
    this.#proxy = proxy;
    this.#connectTimeoutMs = options.connectTimeoutMs;
    this.#proxyTls = proxyTls ?? {};
  }

  // Node's Agent accepts an asynchronous createConnection (callback form).
  override createConnection(
    options: { host?: string; port?: number; servername?: string } & Record<string, unknown>,
    callback: (error: Error | null, socket?: Duplex) => void,
  ): undefined {
    const host = options.host ?? 'localhost';
    const port = options.port ?? 443;
    const headers: Record<string, string> = { host: `${host}:${port}` };
    if (this.#proxy.username || this.#proxy.password) {
      const credentials = `${decodeURIComponent(this.#proxy.username)}:${decodeURIComponent(this.#proxy.password)}`;
      headers['proxy-authorization'] = `Basic ${Buffer.from(credentials).toString('base64')}`;
    }
    let done = false;
    const finish = (error: Error | null, socket?: Duplex) => {
      if (done) return;
      done = true;
      callback(error, socket);
    };
    const secureProxy = this.#proxy.protocol === 'https:';
    const proxyHost = this.#proxy.hostname.replace(/^\[|\]$/g, '');
    const connectReq = (secureProxy ? httpsRequest : httpRequest)({
      host: proxyHost,
      port: Number(this.#proxy.port || (secureProxy ? 443 : 80)),
      method: 'CONNECT',
      path: `${host.includes(':') ? `[${host}]` : host}:${port}`,
      headers,
      agent: false,
      timeout: this.#connectTimeoutMs,
      ...(secureProxy
        ? {
            ...this.#proxyTls,
            servername: this.#proxyTls.servername ?? (/^[\d.]+$|:/.test(proxyHost) ? undefined : proxyHost),
          }
        : {}),
    } as never);
    connectReq.once('connect', (res, socket) => {
      if (res.statusCode !== 200) {
        socket.destroy();
        finish(new TunnelError(`the proxy refused the tunnel to ${host}:${port} (HTTP ${res.statusCode})`));
        return;
      }
      const tlsSocket: TLSSocket = tlsConnect({
        ...options,
        path: undefined,
        socket,
        servername: options.servername ?? host,
      } as never);
      finish(null, tlsSocket);
    });
    connectReq.once('timeout', () =>
      connectReq.destroy(new TunnelError(`the proxy did not open a tunnel within ${this.#connectTimeoutMs} ms`)),
    );
    connectReq.on('error', (error) => {
      finish(
        error instanceof TunnelError
          ? error
          : new TunnelError(
              `the proxy could not be reached (${(error as NodeJS.ErrnoException).code ?? error.message})`,
              { cause: error },
            ),
      );
    });
    connectReq.end();
    return undefined;
  }
}
