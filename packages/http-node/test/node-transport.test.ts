/**
 * The node:http transport against real servers on loopback: what it sends, keep-alive, limits,
 * TLS (custom CA, merchant client certificate), proxies, and a truthful `mayHaveReachedPlatform`
 * (PROTOCOL §6: false only when the request cannot have left).
 */
import type { TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MmspConfigError, MmspTransportError } from '@mmsp/codec';
import { nodeHttpTransport, type NodeTransport } from '../src/node-transport.js';
import { freePort, startHttp, startHttps, startProxy, startSilentTcp, type Running } from './support/servers.js';
import { makeTlsFixtures, type TlsFixtures } from './support/tls-fixtures.js';

const post = (url: string, body = '{"CommandID":771}') => ({
  url,
  method: 'POST' as const,
  headers: { 'content-type': 'application/json; charset=utf-8' },
  body,
});

async function failure(promise: Promise<unknown>): Promise<MmspTransportError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MmspTransportError);
  return error as MmspTransportError;
}

const transports: NodeTransport[] = [];
const servers: Running[] = [];
const make = (options?: Parameters<typeof nodeHttpTransport>[0]) => {
  const t = nodeHttpTransport(options);
  transports.push(t);
  return t;
};
afterAll(async () => {
  for (const t of transports) t.close();
  await Promise.all(servers.map((s) => s.close()));
});

describe('nodeHttpTransport over plain HTTP', () => {
  let echo: Running;
  const seen: { method: string; url: string; headers: Record<string, unknown>; body: string }[] = [];
  beforeAll(async () => {
    echo = await startHttp((req, res, body) => {
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      res
        .writeHead(200, { 'content-type': 'application/json;charset=UTF-8', 'x-multi': ['a', 'b'] })
        .end(`{"echo":${JSON.stringify(body)}}`);
    });
    servers.push(echo);
  });

  it('POSTs the exact text with its length and returns status, lower-cased headers and the UTF-8 body', async () => {
    const body = '{"Body":{"GOODSNAME":"测试商品 \\/ ✓"}}';
    const res = await make()(post(`${echo.url}/api/quickpay?x=1`, body));
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json;charset=UTF-8');
    expect(res.headers['x-multi']).toBe('a, b');
    expect(JSON.parse(res.body)).toEqual({ echo: body });
    const last = seen.at(-1)!;
    expect(last).toMatchObject({ method: 'POST', url: '/api/quickpay?x=1', body });
    expect(last.headers['content-length']).toBe(String(Buffer.byteLength(body)));
    expect(last.headers['content-type']).toBe('application/json; charset=utf-8');
  });

  it('keeps the connection alive across calls (one TCP connection for sequential calls)', async () => {
    const server = await startHttp((_req, res) => res.end('ok'));
    servers.push(server);
    const t = make();
    for (let i = 0; i < 5; i++) expect((await t(post(server.url))).body).toBe('ok');
    expect(server.connections).toBe(1);
  });

  it('closes idle kept-alive sockets after idleSocketTimeoutMs, never a socket with a request in flight', async () => {
    const server = await startHttp((req, res) => setTimeout(() => res.end('slow'), req.url === '/slow' ? 1_500 : 0));
    servers.push(server);
    const t = make({ idleSocketTimeoutMs: 1_000 });
    await t(post(server.url));
    await t(post(server.url));
    expect(server.connections).toBe(1);
    await new Promise((r) => setTimeout(r, 1_600));
    await t(post(server.url));
    expect(server.connections).toBe(2);
    expect((await t(post(`${server.url}/slow`))).body).toBe('slow');
  });

  it('returns non-2xx answers as responses (the client decides what they mean)', async () => {
    const server = await startHttp((_req, res) => res.writeHead(502).end('bad gateway'));
    servers.push(server);
    expect(await make()(post(server.url))).toMatchObject({ status: 502, body: 'bad gateway' });
  });
});

describe('mayHaveReachedPlatform is told truthfully', () => {
  it('false: connection refused', async () => {
    const port = await freePort();
    const e = await failure(make()(post(`http://127.0.0.1:${port}/pay`)));
    expect(e.mayHaveReachedPlatform).toBe(false);
    expect(e.message).toMatch(/refused \(ECONNREFUSED\); the request was not sent/);
  });

  it('false: the host name does not resolve', async () => {
    const e = await failure(make()(post('http://mmsp-platform.invalid/pay')));
    expect(e.mayHaveReachedPlatform).toBe(false);
    expect(e.message).toMatch(/ENOTFOUND|EAI_AGAIN/);
  });

  it('false: connect (TLS handshake) timeout', async () => {
    const silent = await startSilentTcp();
    servers.push(silent);
    const e = await failure(make({ connectTimeoutMs: 300 })(post(`https://127.0.0.1:${silent.port}/pay`)));
    expect(e.mayHaveReachedPlatform).toBe(false);
    expect(e.message).toMatch(/no connection within 300 ms; the request was not sent/);
  });

  it('false: aborted before sending', async () => {
    const controller = new AbortController();
    controller.abort();
    const e = await failure(make()({ ...post('http://127.0.0.1:1/pay'), signal: controller.signal }));
    expect(e.mayHaveReachedPlatform).toBe(false);
  });

  it('true: the server received the request and never answered (response timeout)', async () => {
    let received = 0;
    const server = await startHttp(() => void received++);
    servers.push(server);
    const e = await failure(make({ responseTimeoutMs: 300 })(post(server.url)));
    expect(received).toBe(1);
    expect(e.mayHaveReachedPlatform).toBe(true);
    expect(e.message).toMatch(/no complete response within 300 ms after the request was sent/);
  });

  it("true: the call's own deadline passed after sending", async () => {
    const server = await startHttp(() => undefined);
    servers.push(server);
    const e = await failure(make()({ ...post(server.url), timeoutMs: 200 }));
    expect(e.mayHaveReachedPlatform).toBe(true);
  });

  it("one timer a request: whichever of the connect or response limit and the call's deadline comes first", async () => {
    // Before the connection: the call's deadline first, then the connect limit first.
    const silent = await startSilentTcp();
    servers.push(silent);
    const https = `https://127.0.0.1:${silent.port}/pay`;
    const t0 = performance.now();
    const early = await failure(make({ connectTimeoutMs: 5_000 })({ ...post(https), timeoutMs: 200 }));
    // Node's timers count from the event loop's time, which may be a few ms behind performance.now().
    expect(performance.now() - t0).toBeGreaterThanOrEqual(180);
    expect(early.message).toMatch(/no complete response within the call's 200 ms deadline; the request was not sent/);
    expect(early.mayHaveReachedPlatform).toBe(false);
    const connect = await failure(make({ connectTimeoutMs: 200 })({ ...post(https), timeoutMs: 5_000 }));
    expect(connect.message).toMatch(/no connection within 200 ms; the request was not sent/);
    // After sending: the response limit first, then the call's deadline first (what is left of it).
    const server = await startHttp(() => undefined);
    servers.push(server);
    const response = await failure(make({ responseTimeoutMs: 200 })({ ...post(server.url), timeoutMs: 5_000 }));
    expect(response.message).toMatch(/no complete response within 200 ms after the request was sent$/);
    expect(response.mayHaveReachedPlatform).toBe(true);
    const t1 = performance.now();
    const deadline = await failure(make({ responseTimeoutMs: 5_000 })({ ...post(server.url), timeoutMs: 250 }));
    expect(performance.now() - t1).toBeGreaterThanOrEqual(230);
    expect(deadline.message).toMatch(/no complete response within the call's 250 ms deadline$/);
    expect(deadline.mayHaveReachedPlatform).toBe(true);
  });

  it('true: the connection is reset after the server read the request', async () => {
    const server = await startHttp((req) => req.socket.destroy());
    servers.push(server);
    const e = await failure(make()(post(server.url)));
    expect(e.mayHaveReachedPlatform).toBe(true);
  });

  it('true: the connection closes in the middle of the response body', async () => {
    const server = await startHttp((_req, res) => {
      res.writeHead(200, { 'content-length': '100' });
      res.write('{"partial":');
      setTimeout(() => res.socket?.destroy(), 20);
    });
    servers.push(server);
    const e = await failure(make()(post(server.url)));
    expect(e.mayHaveReachedPlatform).toBe(true);
  });

  it('true: aborted by the caller after sending', async () => {
    const server = await startHttp(() => undefined);
    servers.push(server);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 150);
    const e = await failure(make()({ ...post(server.url), signal: controller.signal }));
    expect(e.mayHaveReachedPlatform).toBe(true);
  });
});

describe('response size limit', () => {
  it('refuses a declared Content-Length over the limit, and a chunked body that grows over it', async () => {
    const big = 'x'.repeat(5_000);
    const declared = await startHttp((_req, res) =>
      res.writeHead(200, { 'content-length': String(big.length) }).end(big),
    );
    const chunked = await startHttp((_req, res) => {
      res.writeHead(200);
      for (let i = 0; i < 10; i++) res.write(big.slice(0, 500));
      res.end();
    });
    servers.push(declared, chunked);
    const t = make({ maxResponseBytes: 4_096 });
    const a = await failure(t(post(declared.url)));
    expect(a.message).toMatch(/5000 bytes\) exceeds maxResponseBytes 4096/);
    expect(a.status).toBe(200);
    const b = await failure(t(post(chunked.url)));
    expect(b.message).toMatch(/exceeds maxResponseBytes 4096/);
    expect(b.mayHaveReachedPlatform).toBe(true);
    expect((await make({ maxResponseBytes: 5_000 })(post(declared.url))).body).toHaveLength(5_000);
  });
});

describe('TLS', () => {
  let tls: TlsFixtures;
  let server: Running;
  const peers: (string | undefined)[] = [];
  beforeAll(async () => {
    tls = makeTlsFixtures();
    server = await startHttps(
      { cert: tls.serverCert, key: tls.serverKey, ca: tls.ca, requestCert: true, rejectUnauthorized: false },
      (req, res) => {
        const socket = req.socket as TLSSocket;
        const cn = socket.authorized ? (socket.getPeerCertificate().subject?.CN as string | undefined) : undefined;
        peers.push(cn);
        res.end(JSON.stringify({ clientCert: cn ?? null }));
      },
    );
    servers.push(server);
  });

  it('rejects a server certificate from an unknown CA before sending (mayHaveReachedPlatform false)', async () => {
    const e = await failure(make()(post(`${server.url}/refund`)));
    expect(e.mayHaveReachedPlatform).toBe(false);
    expect(e.message).toMatch(/TLS handshake failed|certificate/i);
    expect(peers).toHaveLength(0);
  });

  it('trusts a custom CA', async () => {
    const res = await make({ tls: { ca: tls.ca } })(post(`${server.url}/query`));
    expect(JSON.parse(res.body)).toEqual({ clientCert: null });
  });

  it('presents the merchant client certificate (PEM cert/key, or PKCS#12) for refunds and cancels', async () => {
    const pem = await make({ tls: { ca: tls.ca, cert: tls.clientCert, key: tls.clientKey } })(
      post(`${server.url}/refund`),
    );
    expect(JSON.parse(pem.body)).toEqual({ clientCert: 'merchant-001440353999853' });
    const pfx = await make({ tls: { ca: tls.ca, pfx: tls.clientPfx, passphrase: tls.pfxPassphrase } })(
      post(`${server.url}/cancel`),
    );
    expect(JSON.parse(pfx.body)).toEqual({ clientCert: 'merchant-001440353999853' });
  });

  it('checks TLS options at construction without printing them', () => {
    const e = (() => {
      try {
        nodeHttpTransport({ tls: { cert: tls.clientCert }, maxSockets: 0, proxy: 'socks5://user:proxy-secret@h:1' });
      } catch (error) {
        return error as MmspConfigError;
      }
    })();
    expect(e).toBeInstanceOf(MmspConfigError);
    expect(e!.issues.map((i) => i.field)).toEqual(['http.maxSockets', 'http.tls.cert', 'http.proxy']);
    expect(e!.message).not.toContain('proxy-secret');
    expect(e!.message).not.toContain(tls.clientCert.slice(30, 60));
  });
});

describe('HTTP proxy', () => {
  let tls: TlsFixtures;
  beforeAll(() => {
    tls = makeTlsFixtures();
  });

  it('tunnels HTTPS through CONNECT with proxy credentials, TLS end to end, and reuses the tunnel', async () => {
    const origin = await startHttps({ cert: tls.serverCert, key: tls.serverKey }, (_req, res, body) =>
      res.end(`got ${body}`),
    );
    const proxy = await startProxy();
    servers.push(origin, proxy);
    const t = make({ proxy: `http://mmsp:p%40ss@127.0.0.1:${proxy.port}`, tls: { ca: tls.ca } });
    expect((await t(post(`${origin.url}/pay`, 'one'))).body).toBe('got one');
    expect((await t(post(`${origin.url}/pay`, 'two'))).body).toBe('got two');
    expect(proxy.seen).toEqual([
      {
        method: 'CONNECT',
        target: `127.0.0.1:${origin.port}`,
        auth: `Basic ${Buffer.from('mmsp:p@ss').toString('base64')}`,
      },
    ]);
    expect(origin.connections).toBe(1);
  });

  it('a proxy that refuses the tunnel fails before sending (mayHaveReachedPlatform false)', async () => {
    const origin = await startHttps({ cert: tls.serverCert, key: tls.serverKey }, (_req, res) => res.end('never'));
    const proxy = await startProxy({ refuse: true });
    servers.push(origin, proxy);
    const e = await failure(
      make({ proxy: `http://127.0.0.1:${proxy.port}`, tls: { ca: tls.ca } })(post(`${origin.url}/pay`)),
    );
    expect(e.mayHaveReachedPlatform).toBe(false);
    expect(e.message).toMatch(/proxy refused the tunnel .*HTTP 407/);
    expect(origin.connections).toBe(0);
  });

  it('an unreachable proxy fails before sending', async () => {
    const port = await freePort();
    const e = await failure(make({ proxy: `http://127.0.0.1:${port}` })(post('https://127.0.0.1:9/pay')));
    expect(e.mayHaveReachedPlatform).toBe(false);
  });

  it('sends plain-HTTP endpoints to the proxy in absolute form', async () => {
    const origin = await startHttp((req, res, body) => res.end(`${req.url} ${body}`));
    const proxy = await startProxy();
    servers.push(origin, proxy);
    const res = await make({ proxy: `http://127.0.0.1:${proxy.port}` })(post(`${origin.url}/notify?a=1`, 'plain'));
    expect(res.body).toBe('/notify?a=1 plain');
    expect(proxy.seen[0]).toMatchObject({ method: 'POST', target: `${origin.url}/notify?a=1` });
  });
});
