import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getEventListeners } from 'node:events';
import { MmspTransportError } from '@mmsp/codec';
import { fetchTransport } from '../src/fetch-transport.js';

// A real HTTP server on loopback plays every way a platform connection can end.
type Route = (req: IncomingMessage, res: ServerResponse, body: string) => void;
const routes: Record<string, Route> = {
  '/echo': (req, res, body) => {
    res.setHeader('X-Seen-Method', req.method ?? '');
    res.setHeader('X-Seen-Type', req.headers['content-type'] ?? '');
    res.setHeader('X-Seen-Extra', String(req.headers['x-extra'] ?? ''));
    res.end(`echo:${body}`);
  },
  '/slow': (_req, res) => {
    setTimeout(() => res.end('late'), 2_000).unref();
  },
  '/reset-after-read': (req) => {
    req.socket.destroy();
  },
  '/big': (_req, res) => {
    res.end('x'.repeat(5_000));
  },
  '/big-chunked': (_req, res) => {
    res.write('x'.repeat(3_000));
    res.end('x'.repeat(3_000));
  },
  '/redirect': (_req, res) => {
    res.writeHead(302, { location: '/echo' }).end();
  },
  '/status500': (_req, res) => {
    res.writeHead(500).end('oops');
  },
  '/utf8': (_req, res) => {
    res.setHeader('content-type', 'application/json; charset=utf-8');
    res.end('{"ErrMsg":"成功"}');
  },
};

let server: Server;
let base: string;
let closedPortUrl: string;
let received = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      received++;
      (routes[req.url ?? ''] ?? ((_q, s) => s.writeHead(404).end()))(req, res, body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // A port that was just bound and released: nothing listens there.
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  closedPortUrl = `http://127.0.0.1:${(probe.address() as AddressInfo).port}/x`;
  await new Promise<void>((r) => probe.close(() => r()));
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});

const post = (url: string, extra: { timeoutMs?: number; signal?: AbortSignal } = {}) => ({
  url,
  method: 'POST' as const,
  headers: { 'content-type': 'application/json; charset=utf-8' },
  body: '{"CommandID":771}',
  ...extra,
});

async function failure(p: Promise<unknown>): Promise<MmspTransportError> {
  const error = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MmspTransportError);
  return error as MmspTransportError;
}

describe('fetchTransport over a real loopback server', () => {
  it('POSTs the body and headers and returns status, lower-cased headers and text', async () => {
    const t = fetchTransport({ headers: { 'X-Extra': 'yes', 'content-type': 'overridden' } });
    const res = await t(post(`${base}/echo`));
    expect(res.status).toBe(200);
    expect(res.body).toBe('echo:{"CommandID":771}');
    expect(res.headers['x-seen-method']).toBe('POST');
    expect(res.headers['x-seen-type']).toBe('application/json; charset=utf-8');
    expect(res.headers['x-seen-extra']).toBe('yes');
  });

  it('decodes UTF-8 bodies and returns non-2xx statuses for the client to judge', async () => {
    const t = fetchTransport();
    expect((await t(post(`${base}/utf8`))).body).toBe('{"ErrMsg":"成功"}');
    const r = await t(post(`${base}/status500`));
    expect([r.status, r.body]).toEqual([500, 'oops']);
  });

  it('never follows a redirect (a 302 would replay the POST as a GET)', async () => {
    const before = received;
    const r = await fetchTransport()(post(`${base}/redirect`));
    expect(r.status).toBe(302);
    expect(received - before).toBe(1);
  });

  it('a timeout after the request was sent may have reached the platform', async () => {
    const e = await failure(fetchTransport()(post(`${base}/slow`, { timeoutMs: 150 })));
    expect(e.mayHaveReachedPlatform).toBe(true);
    expect(e.message).toMatch(/150 ms/);
  });

  it('the transport default timeout applies when the request has none', async () => {
    const e = await failure(fetchTransport({ timeoutMs: 100 })(post(`${base}/slow`)));
    expect(e.mayHaveReachedPlatform).toBe(true);
  });

  it('a connection reset after the server read the request may have reached the platform', async () => {
    const e = await failure(fetchTransport()(post(`${base}/reset-after-read`)));
    expect(e.mayHaveReachedPlatform).toBe(true);
  });

  it('connection refused: provably not sent', async () => {
    const e = await failure(fetchTransport()(post(closedPortUrl)));
    expect(e.mayHaveReachedPlatform).toBe(false);
  });

  it('an invalid URL or an already-aborted signal: not sent', async () => {
    expect((await failure(fetchTransport()(post('not a url')))).mayHaveReachedPlatform).toBe(false);
    const before = received;
    const e = await failure(fetchTransport()(post(`${base}/echo`, { signal: AbortSignal.abort() })));
    expect(e.mayHaveReachedPlatform).toBe(false);
    expect(received).toBe(before);
  });

  it('a caller abort while waiting may have reached the platform', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const e = await failure(fetchTransport()(post(`${base}/slow`, { signal: controller.signal })));
    expect(e.mayHaveReachedPlatform).toBe(true);
  });

  it('refuses a response over maxResponseBytes, by Content-Length and while streaming', async () => {
    const t = fetchTransport({ maxResponseBytes: 4_096 });
    const a = await failure(t(post(`${base}/big`)));
    const b = await failure(t(post(`${base}/big-chunked`)));
    expect([a.mayHaveReachedPlatform, b.mayHaveReachedPlatform]).toEqual([true, true]);
    expect(a.status).toBe(200);
    expect(b.message).toMatch(/maxResponseBytes/);
  });

  it('uses a passed fetch instead of the global one', async () => {
    const seen: string[] = [];
    const t = fetchTransport({
      fetch: (input, init) => {
        seen.push(String(input));
        return fetch(input, init);
      },
    });
    await t(post(`${base}/echo`));
    expect(seen).toEqual([`${base}/echo`]);
  });

  it('without AbortSignal.any, a long-lived caller signal keeps no listener per request, and still aborts', async () => {
    const any = Object.getOwnPropertyDescriptor(AbortSignal, 'any');
    // The runtimes `engines` allows without AbortSignal.any (Node 20.0–20.2): the hand-made combination.
    Object.defineProperty(AbortSignal, 'any', { value: undefined, configurable: true, writable: true });
    try {
      const shutdown = new AbortController();
      const t = fetchTransport();
      for (let i = 0; i < 20; i++) await t(post(`${base}/echo`, { signal: shutdown.signal }));
      expect(getEventListeners(shutdown.signal, 'abort')).toHaveLength(0);
      const pending = t(post(`${base}/slow`, { signal: shutdown.signal, timeoutMs: 5_000 }));
      setTimeout(() => shutdown.abort(new Error('shutting down')), 50);
      const e = await failure(pending);
      expect(e.message).toMatch(/Aborted by the caller/);
      expect(getEventListeners(shutdown.signal, 'abort')).toHaveLength(0);
    } finally {
      if (any) Object.defineProperty(AbortSignal, 'any', any);
    }
  });
});
