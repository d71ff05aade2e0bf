/** Small real servers on loopback for the transport tests. */
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer, type ServerOptions } from 'node:https';
import {
  connect as netConnect,
  createServer as createNetServer,
  type AddressInfo,
  type Server as NetServer,
  type Socket,
} from 'node:net';

export type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

export interface Running {
  url: string;
  port: number;
  connections: number;
  sockets: Set<Socket>;
  close(): Promise<void>;
}

function track(server: Server | NetServer, running: Omit<Running, 'url' | 'port' | 'close'>) {
  server.on('connection', (socket: Socket) => {
    running.connections++;
    running.sockets.add(socket);
    socket.on('close', () => running.sockets.delete(socket));
  });
}

async function listen(
  server: Server | NetServer,
  scheme: string,
  state: Omit<Running, 'url' | 'port' | 'close'>,
): Promise<Running> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return Object.assign(state, {
    url: `${scheme}://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of state.sockets) s.destroy();
        server.close(() => resolve());
      }),
  });
}

const withBody = (handler: Handler) => (req: IncomingMessage, res: ServerResponse) => {
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (c: string) => (body += c));
  req.on('end', () => handler(req, res, body));
};

export function startHttp(handler: Handler): Promise<Running> {
  const state = { connections: 0, sockets: new Set<Socket>() };
  const server = createHttpServer(withBody(handler));
  track(server, state);
  return listen(server, 'http', state);
}

export function startHttps(options: ServerOptions, handler: Handler): Promise<Running> {
  const state = { connections: 0, sockets: new Set<Socket>() };
  const server = createHttpsServer(options, withBody(handler));
  server.on('tlsClientError', () => undefined);
  server.on('connection', (socket: Socket) => {
    state.connections++;
    state.sockets.add(socket);
    socket.on('close', () => state.sockets.delete(socket));
  });
  return listen(server, 'https', state);
}

/** A TCP server that accepts and then does nothing (a TLS handshake never completes; a request is never answered). */
export function startSilentTcp(): Promise<Running> {
  const state = { connections: 0, sockets: new Set<Socket>() };
  const server = createNetServer((socket) => socket.on('data', () => undefined));
  track(server, state);
  return listen(server, 'tcp', state);
}

/**
 * A CONNECT and forwarding proxy; `refuse` answers 407 instead of tunnelling or forwarding; `tls`
 * makes it an https:// proxy (TLS between the client and the proxy). Records what it saw, and the
 * headers of the requests it forwarded.
 */
export async function startProxy(options: { refuse?: boolean; tls?: ServerOptions } = {}) {
  const seen: { method: string; target: string; auth: string | undefined }[] = [];
  const forwardedHeaders: IncomingMessage['headers'][] = [];
  const state = { connections: 0, sockets: new Set<Socket>() };
  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    // Absolute-form requests for plain-HTTP targets: forward them.
    seen.push({ method: req.method ?? '', target: req.url ?? '', auth: req.headers['proxy-authorization'] });
    if (options.refuse) {
      req.resume();
      res.writeHead(407, { 'proxy-authenticate': 'Basic realm="test"', 'content-length': '0' }).end();
      return;
    }
    forwardedHeaders.push(req.headers);
    const target = new URL(req.url ?? '');
    const upstream = netConnect(Number(target.port), target.hostname, () => {
      const headers = Object.entries(req.headers)
        .filter(([k]) => k !== 'proxy-authorization')
        .map(([k, v]) => `${k}: ${String(v)}`)
        .join('\r\n');
      upstream.write(
        `${req.method} ${target.pathname}${target.search} HTTP/1.1\r\n${headers}\r\nconnection: close\r\n\r\n`,
      );
      req.pipe(upstream);
      upstream.pipe(res.socket!);
    });
    upstream.on('error', () => res.socket?.destroy());
  };
  const server = options.tls ? createHttpsServer(options.tls, onRequest) : createHttpServer(onRequest);
  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    seen.push({ method: 'CONNECT', target: req.url ?? '', auth: req.headers['proxy-authorization'] });
    if (options.refuse) {
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\ncontent-length: 0\r\n\r\n');
      return;
    }
    const [host, port] = (req.url ?? '').split(':');
    const upstream = netConnect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  if (options.tls) server.on('tlsClientError', () => undefined);
  track(server, state);
  const running = await listen(server, options.tls ? 'https' : 'http', state);
  return Object.assign(running, { seen, forwardedHeaders });
}

export async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
