/**
 * Proxies as operators expect (issue #15 item 8), against real servers on loopback: a CONNECT and
 * forwarding proxy (test/support/servers.ts), an https:// proxy with a self-signed certificate,
 * `proxy: 'env'` reading HTTPS_PROXY / HTTP_PROXY / NO_PROXY, a caller's own agent, and the
 * sandbox reached through a proxy over plain HTTP and over TLS. `mayHaveReachedPlatform` stays
 * exact: false when the proxy refuses or cannot be reached, true once the request was written.
 */
import { request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import { Agent as HttpsAgent, createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MmspConfigError, MmspTransportError } from '@mmsp/codec';
import { startSandbox, type Sandbox, type SandboxMerchant } from '../../sandbox/src/index.js';
import { bypassesProxy, parseNoProxy } from '../src/no-proxy.js';
import { createNodeClient } from '../src/node-client.js';
import { nodeHttpTransport, type NodeTransport } from '../src/node-transport.js';
import { freePort, startHttp, startHttps, startProxy, type Running } from './support/servers.js';
import { makeSelfSigned, makeTlsFixtures, type TlsFixtures } from './support/tls-fixtures.js';

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
let tls: TlsFixtures;
let proxyCert: { cert: string; key: string };
beforeAll(() => {
  tls = makeTlsFixtures();
  proxyCert = makeSelfSigned();
});
afterAll(async () => {
  for (const t of transports) t.close();
  await Promise.all(servers.map((s) => s.close()));
});

const ENV_NAMES = ['HTTP_PROXY', 'http_proxy', 'HTTPS_PROXY', 'https_proxy', 'NO_PROXY', 'no_proxy'] as const;
const savedEnv = Object.fromEntries(ENV_NAMES.map((n) => [n, process.env[n]]));
function setEnv(values: Partial<Record<(typeof ENV_NAMES)[number], string>>): void {
  for (const n of ENV_NAMES) delete process.env[n];
  Object.assign(process.env, values);
}
afterEach(() => {
  for (const n of ENV_NAMES) {
    if (savedEnv[n] === undefined) delete process.env[n];
    else process.env[n] = savedEnv[n];
  }
});

describe('NO_PROXY as curl and undici read it', () => {
  const cases: [string, string, boolean][] = [
    ['example.com', 'https://example.com/pay', true],
    ['example.com', 'https://pay.example.com/pay', true],
    ['example.com', 'https://notexample.com/pay', false],
    ['.example.com', 'https://example.com/pay', true],
    ['*.example.com', 'https://a.b.example.com/pay', true],
    ['EXAMPLE.COM', 'https://Pay.Example.com/pay', true],
    ['example.com:8443', 'https://example.com:8443/pay', true],
    ['example.com:8443', 'https://example.com/pay', false],
    ['example.com:443', 'https://example.com/pay', true],
    ['example.com:80', 'http://example.com/pay', true],
    ['127.0.0.1', 'http://127.0.0.1:8080/pay', true],
    ['127.0.0.1', 'http://127.0.0.10/pay', false],
    ['[::1]:8080', 'http://[::1]:8080/pay', true],
    ['::1', 'http://[::1]:8080/pay', true],
    ['*', 'https://anything.test/pay', true],
    ['a.test, b.test  c.test', 'https://c.test/pay', true],
    ['a.test,,b.test', 'https://d.test/pay', false],
    ['', 'https://d.test/pay', false],
  ];
  it.each(cases)('NO_PROXY=%j, %s → direct: %s', (noProxy, url, direct) => {
    expect(bypassesProxy(parseNoProxy(noProxy), new URL(url))).toBe(direct);
  });
});

describe("proxy: 'env'", () => {
  it('HTTPS_PROXY tunnels HTTPS endpoints, HTTP_PROXY forwards plain ones, NO_PROXY goes direct', async () => {
    const secure = await startHttps({ cert: tls.serverCert, key: tls.serverKey }, (_req, res, body) =>
      res.end(`tls ${body}`),
    );
    const plain = await startHttp((_req, res, body) => res.end(`plain ${body}`));
    const forHttps = await startProxy();
    const forHttp = await startProxy();
    servers.push(secure, plain, forHttps, forHttp);
    setEnv({
      HTTPS_PROXY: `http://127.0.0.1:${forHttps.port}`,
      HTTP_PROXY: `127.0.0.1:${forHttp.port}`,
      NO_PROXY: 'localhost, .internal.example',
    });
    const t = make({ proxy: 'env', tls: { ca: tls.ca } });
    delete process.env.HTTPS_PROXY; // read once, when the transport was made
    expect((await t(post(`${secure.url}/pay`, 'a'))).body).toBe('tls a');
    expect((await t(post(`${plain.url}/pay`, 'b'))).body).toBe('plain b');
    expect((await t(post(`http://localhost:${plain.port}/pay`, 'c'))).body).toBe('plain c');
    expect(forHttps.seen).toEqual([{ method: 'CONNECT', target: `127.0.0.1:${secure.port}`, auth: undefined }]);
    expect(forHttp.seen).toEqual([{ method: 'POST', target: `${plain.url}/pay`, auth: undefined }]); // not localhost
  });

  it('lower-case names win over upper-case; HTTP_PROXY serves HTTPS endpoints when HTTPS_PROXY is unset', async () => {
    const secure = await startHttps({ cert: tls.serverCert, key: tls.serverKey }, (_req, res) => res.end('ok'));
    const lower = await startProxy();
    const upper = await startProxy();
    servers.push(secure, lower, upper);
    setEnv({ http_proxy: `http://127.0.0.1:${lower.port}`, HTTP_PROXY: `http://127.0.0.1:${upper.port}` });
    expect((await make({ proxy: 'env', tls: { ca: tls.ca } })(post(`${secure.url}/pay`))).body).toBe('ok');
    expect(lower.seen.map((s) => s.method)).toEqual(['CONNECT']);
    expect(upper.seen).toEqual([]);
  });

  it('a NO_PROXY entry with another port, or no variable at all, changes nothing; * bypasses every host', async () => {
    const plain = await startHttp((_req, res) => res.end('ok'));
    const proxy = await startProxy();
    servers.push(plain, proxy);
    setEnv({ HTTP_PROXY: `http://127.0.0.1:${proxy.port}`, NO_PROXY: `127.0.0.1:${plain.port + 1}` });
    await make({ proxy: 'env' })(post(`${plain.url}/x`));
    expect(proxy.seen).toHaveLength(1);
    setEnv({ HTTP_PROXY: `http://127.0.0.1:${proxy.port}`, no_proxy: '*' });
    await make({ proxy: 'env' })(post(`${plain.url}/y`));
    setEnv({});
    await make({ proxy: 'env' })(post(`${plain.url}/z`));
    expect(proxy.seen).toHaveLength(1);
  });

  it('an unusable variable is a config error naming the variable, never its value', () => {
    setEnv({ HTTPS_PROXY: 'socks5://user:env-proxy-secret@h:1' });
    const e = (() => {
      try {
        nodeHttpTransport({ proxy: 'env' });
      } catch (error) {
        return error;
      }
    })();
    expect(e).toBeInstanceOf(MmspConfigError);
    expect((e as MmspConfigError).issues).toEqual([expect.objectContaining({ field: 'http.proxy', rule: 'url' })]);
    expect((e as Error).message).toContain('HTTPS_PROXY');
    expect((e as Error).message).not.toContain('env-proxy-secret');
  });
});

describe('https:// proxy with a self-signed certificate', () => {
  it('tunnels an HTTPS endpoint (the platform TLS inside the proxy TLS) and forwards a plain one over TLS', async () => {
    const secure = await startHttps({ cert: tls.serverCert, key: tls.serverKey }, (_req, res, body) =>
      res.end(`tls ${body}`),
    );
    const plain = await startHttp((req, res, body) => res.end(`${req.url} ${body}`));
    const proxy = await startProxy({ tls: { cert: proxyCert.cert, key: proxyCert.key } });
    servers.push(secure, plain, proxy);
    const t = make({
      proxy: `https://u:p@127.0.0.1:${proxy.port}`,
      proxyTls: { ca: proxyCert.cert },
      tls: { ca: tls.ca },
    });
    expect((await t(post(`${secure.url}/pay`, 'one'))).body).toBe('tls one');
    expect((await t(post(`${secure.url}/pay`, 'two'))).body).toBe('tls two');
    expect((await t(post(`${plain.url}/n?q=1`, 'three'))).body).toBe('/n?q=1 three');
    const auth = `Basic ${Buffer.from('u:p').toString('base64')}`;
    expect(proxy.seen).toEqual([
      { method: 'CONNECT', target: `127.0.0.1:${secure.port}`, auth },
      { method: 'POST', target: `${plain.url}/n?q=1`, auth },
    ]);
    expect(secure.connections).toBe(1); // the tunnel is kept alive
  });

  it('a proxy whose certificate is not trusted fails before anything left (mayHaveReachedPlatform false)', async () => {
    const secure = await startHttps({ cert: tls.serverCert, key: tls.serverKey }, (_req, res) => res.end('never'));
    const plain = await startHttp((_req, res) => res.end('never'));
    const proxy = await startProxy({ tls: { cert: proxyCert.cert, key: proxyCert.key } });
    servers.push(secure, plain, proxy);
    const t = make({ proxy: `https://127.0.0.1:${proxy.port}`, tls: { ca: tls.ca } }); // Node's CAs only
    for (const url of [`${secure.url}/pay`, `${plain.url}/pay`]) {
      const e = await failure(t(post(url)));
      expect(e.mayHaveReachedPlatform).toBe(false);
    }
    expect(secure.connections + plain.connections).toBe(0);
    expect(proxy.seen).toEqual([]);
  });
});

describe('whether the request may have left, through a proxy', () => {
  it('a forwarding proxy answering 407 forwarded nothing: false; the origin saw no connection', async () => {
    const plain = await startHttp((_req, res) => res.end('never'));
    const proxy = await startProxy({ refuse: true });
    servers.push(plain, proxy);
    const e = await failure(make({ proxy: `http://127.0.0.1:${proxy.port}` })(post(`${plain.url}/pay`)));
    expect(e.mayHaveReachedPlatform).toBe(false);
    expect(e.message).toMatch(/407/);
    expect(plain.connections).toBe(0);
  });

  it('a tunnel opened, the request written, then the connection dropped: true', async () => {
    const received: string[] = [];
    const secure = await startHttps({ cert: tls.serverCert, key: tls.serverKey }, (req, _res, body) => {
      received.push(body);
      req.socket.destroy();
    });
    const proxy = await startProxy();
    servers.push(secure, proxy);
    const e = await failure(
      make({ proxy: `http://127.0.0.1:${proxy.port}`, tls: { ca: tls.ca } })(post(`${secure.url}/pay`, 'paid?')),
    );
    expect(e.mayHaveReachedPlatform).toBe(true);
    expect(received).toEqual(['paid?']);
  });

  it('an https:// proxy that cannot be reached: false', async () => {
    const port = await freePort();
    const e = await failure(make({ proxy: `https://127.0.0.1:${port}` })(post('https://127.0.0.1:9/pay')));
    expect(e.mayHaveReachedPlatform).toBe(false);
  });
});

describe('http.agent: the caller’s own agent', () => {
  class CountingAgent extends HttpsAgent {
    created = 0;
    override createConnection(...args: Parameters<HttpsAgent['createConnection']>) {
      this.created++;
      return super.createConnection(...args);
    }
  }

  it('is used for every request, keep-alive included; close() leaves it alone', async () => {
    const secure = await startHttps({ cert: tls.serverCert, key: tls.serverKey }, (_req, res, body) =>
      res.end(`got ${body}`),
    );
    servers.push(secure);
    const agent = new CountingAgent({ keepAlive: true, ca: tls.ca });
    const t = make({ agent });
    expect((await t(post(`${secure.url}/pay`, 'a'))).body).toBe('got a');
    expect((await t(post(`${secure.url}/pay`, 'b'))).body).toBe('got b');
    expect(agent.created).toBe(1);
    t.close();
    expect((await t(post(`${secure.url}/pay`, 'c'))).body).toBe('got c');
    expect(agent.created).toBe(1);
    agent.destroy();
  });

  it('a connection its agent could not make is known not sent', async () => {
    const port = await freePort();
    const agent = new HttpsAgent({ keepAlive: true });
    const e = await failure(make({ agent })(post(`https://127.0.0.1:${port}/pay`)));
    expect(e.mayHaveReachedPlatform).toBe(false);
    agent.destroy();
  });

  it('with proxy or socket settings is a config error naming each clash', () => {
    const agent = new HttpsAgent();
    const e = (() => {
      try {
        nodeHttpTransport({ agent, proxy: 'http://127.0.0.1:1', maxSockets: 4 });
      } catch (error) {
        return error;
      }
    })() as MmspConfigError;
    expect(e).toBeInstanceOf(MmspConfigError);
    expect(e.issues.map((i) => i.field)).toEqual(['http.proxy', 'http.maxSockets']);
    agent.destroy();
  });
});

describe('the sandbox through a proxy, plain and over TLS, with the User-Agent', () => {
  let sb: Sandbox;
  let merchant: SandboxMerchant;
  let front: Server;
  let frontUrl: string;
  const frontHeaders: IncomingHttpHeaders[] = [];
  beforeAll(async () => {
    sb = await startSandbox({ port: 0, timeScale: 0.001 });
    merchant = (await (await fetch(`${sb.url}/_sandbox/merchant`)).json()) as SandboxMerchant;
    // TLS in front of the sandbox (a platform served over https), forwarding to it over loopback.
    front = createHttpsServer({ cert: tls.serverCert, key: tls.serverKey }, (req, res) => {
      frontHeaders.push(req.headers);
      const upstream = httpRequest(
        `${sb.url}${req.url}`,
        { method: req.method, headers: { 'content-type': req.headers['content-type'] ?? '' } },
        (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        },
      );
      upstream.on('error', () => res.socket?.destroy());
      req.pipe(upstream);
    });
    front.on('connection', (s: Socket) => s.unref());
    await new Promise<void>((r) => front.listen(0, '127.0.0.1', r));
    frontUrl = `https://127.0.0.1:${(front.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await sb?.close();
    front?.closeAllConnections();
    await new Promise((r) => front?.close(r));
  });

  const UA =
    /^mmsp-sdk\/\d+\.\d+\.\d+\S* \(http-node; node\/\d+\.\d+\.\d+\) MyShop\/1\.2\.3 \(\+https:\/\/shop\.example\.com\/ops\)$/;
  const order = (id: string) =>
    ({ TRADETYPE: '1', AMT: '100', MERORDERID: id, GOODSNAME: 'p', NOTIFY_URL: 'http://127.0.0.1:9/n' }) as never;

  it("plain HTTP: proxy: 'env' forwards every call to the sandbox, each with the User-Agent", async () => {
    const proxy = await startProxy();
    servers.push(proxy);
    setEnv({ HTTP_PROXY: `http://127.0.0.1:${proxy.port}` });
    const client = createNodeClient({
      ...merchant,
      http: { proxy: 'env' },
      appInfo: { name: 'MyShop', version: '1.2.3', url: 'https://shop.example.com/ops' },
      logger: {},
    });
    const id = `PX${Date.now()}`;
    await client.scan.wechatOrder(order(id));
    expect((await client.scan.query({ MERORDERID: id } as never)).body).toMatchObject({ MERORDERID: id });
    expect(proxy.seen.map((s) => s.target)).toEqual([merchant.endpoints.scan, merchant.endpoints.scan]);
    expect(proxy.forwardedHeaders.map((h) => h['user-agent'])).toEqual([
      expect.stringMatching(UA),
      expect.stringMatching(UA),
    ]);
  });

  it('TLS: an https:// proxy tunnels to the platform, which sees the User-Agent', async () => {
    const proxy = await startProxy({ tls: { cert: proxyCert.cert, key: proxyCert.key } });
    servers.push(proxy);
    const client = createNodeClient({
      ...merchant,
      endpoints: { scan: `${frontUrl}/scan` },
      http: { proxy: `https://127.0.0.1:${proxy.port}`, proxyTls: { ca: proxyCert.cert }, tls: { ca: tls.ca } },
      appInfo: { name: 'MyShop', version: '1.2.3', url: 'https://shop.example.com/ops' },
      logger: {},
    });
    const id = `PT${Date.now()}`;
    await client.scan.wechatOrder(order(id));
    expect((await client.scan.query({ MERORDERID: id } as never)).body).toMatchObject({ MERORDERID: id });
    expect(proxy.seen).toEqual([{ method: 'CONNECT', target: `127.0.0.1:${new URL(frontUrl).port}`, auth: undefined }]);
    expect(frontHeaders.map((h) => h['user-agent'])).toEqual([expect.stringMatching(UA), expect.stringMatching(UA)]);
  });
});
