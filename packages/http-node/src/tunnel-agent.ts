/**
 * An https.Agent that reaches the origin through an HTTP proxy's CONNECT tunnel, keeping TLS
 * end-to-end with the platform (the proxy sees only ciphertext) and keep-alive per tunnel.
 * A proxy that refuses the tunnel fails the request before any byte of it left: the platform
 * cannot have received it (`mayHaveReachedPlatform` false, see node-transport.ts).
 */
import { Agent as HttpsAgent, type AgentOptions } from 'node:https';
import { request as httpRequest } from 'node:http';
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

  constructor(proxy: URL, options: AgentOptions & { connectTimeoutMs: number }) {
    super(options);
    this.#proxy = proxy;
    this.#connectTimeoutMs = options.connectTimeoutMs;
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
    const connectReq = httpRequest({
      host: this.#proxy.hostname,
      port: Number(this.#proxy.port || 80),
      method: 'CONNECT',
      path: `${host}:${port}`,
      headers,
      agent: false,
      timeout: this.#connectTimeoutMs,
    });
    connectReq.once('connect', (res, socket) => {
      if (res.statusCode !== 200) {
        socket.destroy();
        finish(new TunnelError(`the proxy refused the tunnel to ${host}:${port} (HTTP ${res.statusCode})`));
        return;
      }
      const tlsSocket: TLSSocket = tlsConnect({ ...options, path: undefined, socket, servername: options.servername ?? host } as never);
      finish(null, tlsSocket);
    });
    connectReq.once('timeout', () => connectReq.destroy(new TunnelError(`the proxy did not open a tunnel within ${this.#connectTimeoutMs} ms`)));
    connectReq.on('error', (error) => {
      finish(error instanceof TunnelError ? error : new TunnelError(`the proxy could not be reached (${(error as NodeJS.ErrnoException).code ?? error.message})`, { cause: error }));
    });
    connectReq.end();
    return undefined;
  }
}
