/**
 * Issue #15 item 6 through MmspModule, over real sockets: a loopback server in front of the sandbox
 * records the User-Agent of each request, `mmsp-sdk/<version> (nestjs-module; node/<version>)`
 * followed by the `appInfo` the module's options give.
 */
import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Test } from '@nestjs/testing';
import type { Sandbox, SandboxMerchant } from '@mmsp/sandbox';
import { SDK_VERSION } from '@mmsp/client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { MmspModule, MmspService } from '../src/index.js';
import { optionsFor, orderId, sandboxWithMerchant } from './support/sandbox.js';

let sandbox: Sandbox;
let merchant: SandboxMerchant;
let front: Server;
let frontUrl: string;
const seen: IncomingHttpHeaders[] = [];

beforeAll(async () => {
  ({ sandbox, merchant } = await sandboxWithMerchant());
  // Records the headers of each request, then passes it to the sandbox.
  front = createServer((req, res) => {
    seen.push(req.headers);
    const up = request(
      `${sandbox.url}${req.url}`,
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
  await sandbox?.close();
  front?.closeAllConnections();
  await new Promise((r) => front?.close(r));
});

it('the platform receives mmsp-sdk/<version> (nestjs-module; node/<version>) and the appInfo', async () => {
  const options = optionsFor(merchant, {
    notifyPath: false,
    endpoints: { ...merchant.endpoints, scan: `${frontUrl}/scan` },
    appInfo: { name: 'NestShop', version: '3.1.0' },
  });
  const moduleRef = await Test.createTestingModule({ imports: [MmspModule.forRoot(options)] }).compile();
  await moduleRef.init();
  try {
    const id = orderId('UA');
    const order = await moduleRef.get(MmspService).scan.wechatOrder({
      TRADETYPE: '1',
      AMT: '300',
      MERORDERID: id,
      GOODSNAME: 'tea',
      NOTIFY_URL: 'http://127.0.0.1:9/notify',
    } as never);
    expect(order.body).toMatchObject({ MERORDERID: id });
    const version = SDK_VERSION.replace(/\./g, '\\.');
    expect(seen.map((h) => h['user-agent'])).toEqual([
      expect.stringMatching(
        new RegExp(`^mmsp-sdk/${version} \\(nestjs-module; node/\\d+\\.\\d+\\.\\d+\\) NestShop/3\\.1\\.0$`),
      ),
    ]);
  } finally {
    await moduleRef.close();
  }
});
