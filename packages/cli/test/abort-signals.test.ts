// The CLI's two HTTP paths (reconcile's client calls, notify's POST) combine a timeout, the request's
// and the run's signals. `engines` says Node `>=20`, and `AbortSignal.any` is Node ≥ 20.3: each
// case runs with the runtime's `AbortSignal.any` and with it removed (Node 20.0–20.2), against
// a real node:http server on loopback.
import { getEventListeners } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { KEY, tempDir, write } from './helpers.js';
import { post } from '../src/notify/post.js';
import { run } from '../src/run.js';

let server: Server;
let base: string;
beforeAll(async () => {
  // `/hang` never answers (until the client goes away); anything else answers "SUCCESS".
  server = createServer((req, res) => {
    req.resume();
    if (req.url === '/hang') return;
    req.on('end', () => res.writeHead(200, { 'content-type': 'text/plain' }).end('SUCCESS'));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

/** `mmsp reconcile` of an empty orders file against a stand-in platform (`/hang` never answers). */
const reconcile = async (extra: string[], signal?: AbortSignal, endpoint = `${base}/hang`) => {
  const dir = tempDir();
  const merchant = write(
    dir,
    'merchant.json',
    JSON.stringify({
      merchantNo: '001440353999853',
      terminalNo: '84970001',
      key: KEY,
      endpoints: { quickPay: endpoint },
    }),
  );
  const orders = write(dir, 'orders.csv', 'merchantOrderId,amount,state\n');
  let err = '';
  const started = Date.now();
  const code = await run(
    [
      'reconcile',
      '--family',
      'quickPay',
      '--from',
      '20261201',
      '--to',
      '20261201',
      '--orders',
      orders,
      '--merchant',
      merchant,
      ...extra,
    ],
    { stdout: () => {}, stderr: (t) => void (err += t), cwd: dir, env: {}, ...(signal ? { signal } : {}) },
  );
  return { code, err, elapsed: Date.now() - started };
};

const native = AbortSignal.any;
for (const runtime of ['AbortSignal.any', 'Node 20.0 (no AbortSignal.any)'] as const) {
  describe(runtime, () => {
    beforeEach(() => {
      if (runtime !== 'AbortSignal.any') delete (AbortSignal as { any?: unknown }).any;
    });
    afterEach(() => {
      AbortSignal.any = native;
    });

    it('mmsp reconcile: answers; Ctrl-C stops a request waiting for its answer; no listener is left behind', async () => {
      const ok = await reconcile(['--timeout', '5000'], undefined, `${base}/ok`);
      // The stand-in platform answers SUCCESS, which is no envelope: the answer reached the client.
      expect(ok.code).toBe(1);
      expect(ok.err).toMatch(/^mmsp reconcile: The envelope is not valid JSON/);
      expect(ok.elapsed).toBeLessThan(5_000);
      const ctrlC = new AbortController();
      setTimeout(() => ctrlC.abort(), 100);
      const r = await reconcile(['--timeout', '60000'], ctrlC.signal);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/^mmsp reconcile: stopped \(interrupted\) before the comparison was complete\n$/);
      expect(r.elapsed).toBeLessThan(5_000);
      expect(getEventListeners(ctrlC.signal, 'abort')).toHaveLength(0);
    });

    it('notify POST: answers; a silent receiver times out; Ctrl-C stops it; no listener is left behind', async () => {
      const ctrlC = new AbortController();
      for (let i = 0; i < 20; i++)
        expect(await post(new URL(`${base}/ok`), '{}', 5_000, ctrlC.signal)).toEqual({ status: 200, body: 'SUCCESS' });
      expect(getEventListeners(ctrlC.signal, 'abort')).toHaveLength(0);
      expect(await post(new URL(`${base}/hang`), '{}', 50, ctrlC.signal)).toEqual({ error: 'no answer within 50 ms' });
      const stopped = post(new URL(`${base}/hang`), '{}', 5_000, ctrlC.signal);
      setTimeout(() => ctrlC.abort(), 50);
      expect(await stopped).toEqual({ error: 'stopped' });
    });
  });
}

describe('mmsp reconcile against a platform that never answers', () => {
  it('--timeout bounds each answer: exit 1, one line, well before the default 10 s', async () => {
    const r = await reconcile(['--timeout', '300']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^mmsp reconcile: the platform could not be reached: .*300 ms/);
    expect(r.err.trimEnd().split('\n')).toHaveLength(1);
    expect(r.elapsed).toBeLessThan(5_000);
    expect(r.err).not.toContain(KEY);
  });

  it('--timeout must be an integer number of milliseconds up to 600000', async () => {
    for (const t of ['1.5', '0', '600001']) {
      const r = await reconcile(['--timeout', t]);
      expect(r.code, t).toBe(64);
      expect(r.err, t).toMatch(/--timeout must be/);
    }
  });
});
