import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RUNTIMES, startRuntime, type RunningRuntime } from './runtime/harness.js';

// fetchTransport on each runtime's own fetch, against a real loopback server: what each runtime
// lets us know about "did the request reach the platform?" (README: the limits under fetch).
let server: Server;
let base: string;
let closedUrl: string;
let hits = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    hits++;
    req.resume();
    req.on('end', () => {
      if (req.url === '/slow') setTimeout(() => res.end('late'), 3_000).unref();
      else if (req.url === '/reset') req.socket.destroy();
      else res.end('{"ok":true}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  closedUrl = `http://127.0.0.1:${(probe.address() as AddressInfo).port}/x`;
  await new Promise<void>((r) => probe.close(() => r()));
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});

/** Runtimes whose fetch names a refused connection; workerd reports every failure alike. */
const refusedIsKnown: Record<string, boolean> = {
  node: true,
  deno: true,
  bun: true,
  workerd: false,
  'workerd-compat': false,
};

describe.each(RUNTIMES)('fetchTransport on %s', (runtime) => {
  let running: RunningRuntime;
  beforeAll(async () => {
    running = await startRuntime(runtime);
  });
  afterAll(async () => {
    await running?.stop();
  });
  const probe = async (url: string, timeoutMs?: number) =>
    (await (
      await fetch(`${running.url}/transport`, { method: 'POST', body: JSON.stringify({ url, timeoutMs }) })
    ).json()) as {
      status?: number;
      body?: string;
      error?: { name: string; message: string; mayHaveReachedPlatform: boolean };
    };

  it('a plain round trip', async () => {
    expect(await probe(`${base}/ok`)).toEqual({ status: 200, body: '{"ok":true}' });
  });

  it('a timeout after sending: may have reached the platform', async () => {
    const before = hits;
    const r = await probe(`${base}/slow`, 300);
    expect(r.error).toMatchObject({ name: 'MmspTransportError', mayHaveReachedPlatform: true });
    expect(hits - before).toBe(1);
  });

  it('a reset after the server read the request: may have reached the platform', async () => {
    const r = await probe(`${base}/reset`);
    expect(r.error).toMatchObject({ name: 'MmspTransportError', mayHaveReachedPlatform: true });
  });

  it(`connection refused: ${refusedIsKnown[runtime] ? 'provably not sent' : 'reported as may-have-reached (the runtime does not say)'}`, async () => {
    const r = await probe(closedUrl);
    expect(r.error?.name, JSON.stringify(r)).toBe('MmspTransportError');
    expect(r.error?.mayHaveReachedPlatform, r.error?.message).toBe(!refusedIsKnown[runtime]);
  });
});
