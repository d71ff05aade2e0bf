/**
 * Issue #15 items 6 and 7 for createFetchClient, over real sockets: the User-Agent as a loopback
 * server in front of the sandbox receives it (and its absence in a browser, where the browser sends
 * its own), and `retry` honoured against the sandbox's injected resets (queries only).
 */
import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '@mmsp/sandbox';
import { MmspConfigError, MmspTransportError, SDK_VERSION } from '@mmsp/client';
import { createFetchClient } from '../src/index.js';

let sb: Sandbox;
let front: Server;
let frontUrl: string;
const seen: IncomingHttpHeaders[] = [];
let n = 0;
const id = (p: string) => `${p}${Date.now() % 1e9}${++n}`;

beforeAll(async () => {
  sb = await startSandbox({ port: 0, timeScale: 0.001 });
  // Records the headers of each request, then passes it to the sandbox.
  front = createServer((req, res) => {
    seen.push(req.headers);
    const up = request(
      `${sb.url}${req.url}`,
      { method: req.method, headers: { 'content-type': req.headers['content-type'] ?? '' } },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    up.on('error', () => res.socket?.destroy());
    req.pipe(up);
  });
  await new Promise<void>((r) => front.listen(0, '127.0.0.1', r));
  frontUrl = `http://127.0.0.1:${(front.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await sb?.close();
  front?.closeAllConnections();
  await new Promise((r) => front?.close(r));
});

const make = (extra: Record<string, unknown> = {}) =>
  createFetchClient({
    merchantNo: sb.merchant.merchantNo,
    terminalNo: sb.merchant.terminalNo,
    key: sb.merchant.key,
    endpoints: { scan: `${frontUrl}/scan` },
    logger: {},
    ...extra,
  });
const order = (MERORDERID: string) =>
  ({ AMT: '300', MERORDERID, GOODSNAME: 'tea', TRADETYPE: '1', NOTIFY_URL: 'http://127.0.0.1:9/notify' }) as never;

describe('User-Agent through createFetchClient', () => {
  it('the server receives mmsp-sdk/<version> (fetch-edge; <runtime>) and the appInfo', async () => {
    seen.length = 0;
    const client = make({ appInfo: { name: 'EdgeShop', version: '2.0.0' } });
    await client.scan.wechatOrder(order(id('E')));
    expect(seen[0]!['user-agent']).toMatch(
      new RegExp(
        `^mmsp-sdk/${SDK_VERSION.replace(/\./g, '\\.')} \\(fetch-edge; (unknown|node/\\d+)\\) EdgeShop/2\\.0\\.0$`,
      ),
    );
  });

  it('in a browser the header is left to the browser, and the call still works', async () => {
    const g = globalThis as Record<string, unknown>;
    const navigator = Object.getOwnPropertyDescriptor(g, 'navigator');
    Object.defineProperty(g, 'navigator', {
      value: { userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0' },
      configurable: true,
      writable: true,
    });
    g.document = {};
    let client: ReturnType<typeof make>;
    try {
      client = make(); // the runtime is read when the transport is made
    } finally {
      delete g.document;
      delete g.navigator;
      if (navigator) Object.defineProperty(g, 'navigator', navigator);
    }
    seen.length = 0;
    const placed = await client.scan.wechatOrder(order(id('B')));
    expect(placed.body).toMatchObject({ STATUS: '1' });
    expect(seen[0]!['user-agent'] ?? '').not.toMatch(/mmsp-sdk/);
    expect(Object.keys(seen[0]!).filter((h) => h.includes('mmsp'))).toEqual([]);
  });
});

describe('retry settings through createFetchClient', () => {
  it.each([[1], [3]])(
    'attempts: %i — a query reset every time is sent that many times; an order once',
    async (attempts) => {
      const client = make({ retry: { attempts, baseDelayMs: 1, maxDelayMs: 2 } });
      const q = id('Q');
      const queryFault = sb.injectFault('reset-before', {
        match: { operation: 'scan.query', merchantOrderId: q },
        times: 0,
      });
      await expect(client.scan.query({ MERORDERID: q } as never)).rejects.toBeInstanceOf(MmspTransportError);
      expect(queryFault.hits).toBe(attempts);
      const o = id('O');
      const orderFault = sb.injectFault('reset-before', {
        match: { operation: 'scan.wechatOrder', merchantOrderId: o },
        times: 0,
      });
      await expect(client.scan.wechatOrder(order(o))).rejects.toBeInstanceOf(MmspTransportError);
      expect(orderFault.hits).toBe(1);
      sb.clearFaults();
    },
  );

  it('a bad setting is an MmspConfigError naming the field', () => {
    expect(() => make({ retry: { attempts: 11 } })).toThrow(MmspConfigError);
    try {
      make({ retry: { attempts: 11 } });
    } catch (e) {
      expect((e as MmspConfigError).issues.map((i) => i.field)).toEqual(['retry.attempts']);
    }
  });
});
