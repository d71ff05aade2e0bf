/**
 * The worker every runtime serves in the *.ci.test.ts proofs: one module, `export default { fetch }`,
 * exactly what a merchant deploys to Cloudflare Workers (the Deno, Bun and Node launchers call the
 * same `fetch(request, env)`). It imports the package by its name, so each runtime's bundle goes
 * through the `exports` condition of that runtime.
 *
 * Routes (test-only; configuration arrives in `env`, like Workers bindings):
 *   POST /crypto   Web Crypto provider on this runtime: SHA1withRSA sign + verify, MD5, RSA round trip
 *   POST /order    createFetchClient → place an order on the sandbox and query it (runtime's own fetch)
 *   POST /notify   createNotificationHandler({ key, onPaid, hooks }) — the merchant's NOTIFY_URL
 *   POST /notify-slow   the same with bodyTimeoutMs 500 (a trickling body gets 408)
 *   GET  /events   the events onPaid received, in order
 *   GET  /notification-events   what hooks.onNotification received for /notify, in order
 *   POST /transport one fetchTransport request to a given URL; the outcome or the error as data
 */
import { createFetchClient, createNotificationHandler, fetchTransport } from '@mmsp/fetch-edge';
import { cryptoRoute } from './worker-crypto.js';

export interface WorkerEnv {
  MMSP_KEY?: string;
  MMSP_RUNTIME?: string;
}

const json = (value: unknown, status = 200): Response =>
  new Response(
    JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)),
    {
      status,
      headers: { 'content-type': 'application/json' },
    },
  );

const events: unknown[] = [];
const notificationEvents: unknown[] = [];
let notify: ((request: Request) => Promise<Response>) | undefined;
let notifySlow: ((request: Request) => Promise<Response>) | undefined;

interface OrderInput {
  merchant: {
    merchantNo: string;
    terminalNo: string;
    key: string;
    endpoints: Record<string, string>;
    platformPublicKey?: string;
    merchantPrivateKey?: string;
  };
  /** Calls in order, e.g. place then query; stops at the first error. */
  calls: { operation: string; body: Record<string, unknown> }[];
}

/** createFetchClient on this runtime's fetch and Web Crypto; each call's state and verified body, or the error. */
async function order(request: Request): Promise<Response> {
  const input = (await request.json()) as OrderInput;
  const m = input.merchant;
  const client = createFetchClient({
    merchantNo: m.merchantNo,
    terminalNo: m.terminalNo,
    key: m.key,
    endpoints: m.endpoints,
    ...(m.platformPublicKey && m.merchantPrivateKey
      ? { payout: { platformPublicKey: m.platformPublicKey, merchantPrivateKey: m.merchantPrivateKey } }
      : {}),
    timeoutMs: 10_000,
    logger: { debug() {}, info() {}, warn() {}, error() {} },
  });
  // Operation names come from the test as data; the typed sugar is exercised by the client's own tests.
  const call = client.call as unknown as (
    op: string,
    body: Record<string, unknown>,
  ) => Promise<{ state?: string; body: unknown }>;
  const results: unknown[] = [];
  for (const c of input.calls) {
    try {
      const r = await call(c.operation, c.body);
      results.push({ operation: c.operation, state: r.state, body: r.body });
    } catch (error) {
      const e = error as { name?: string; message?: string; code?: string };
      results.push({ operation: c.operation, error: { name: e.name, message: e.message, code: e.code } });
      break;
    }
  }
  return json(results);
}

/** One transport request as the client would send it; the outcome as data (error class, mayHaveReachedPlatform). */
async function transport(request: Request): Promise<Response> {
  const input = (await request.json()) as { url: string; timeoutMs?: number };
  try {
    const res = await fetchTransport()({
      url: input.url,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"CommandID":771}',
      timeoutMs: input.timeoutMs ?? 5_000,
    });
    return json({ status: res.status, body: res.body });
  } catch (error) {
    const e = error as { name?: string; message?: string; mayHaveReachedPlatform?: boolean };
    return json({ error: { name: e.name, message: e.message, mayHaveReachedPlatform: e.mayHaveReachedPlatform } });
  }
}

export default {
  async fetch(request: Request, env: WorkerEnv): Promise<Response> {
    const { pathname } = new URL(request.url);
    if (pathname === '/crypto') return cryptoRoute(request);
    if (pathname === '/order') return order(request);
    if (pathname === '/transport') return transport(request);
    if (pathname === '/events') return json(events);
    if (pathname === '/notification-events') return json(notificationEvents);
    if (pathname === '/runtime')
      return json({ runtime: env.MMSP_RUNTIME, hasProcess: typeof (globalThis as { process?: unknown }).process });
    if (pathname === '/notify') {
      notify ??= createNotificationHandler({
        key: env.MMSP_KEY ?? '',
        onPaid: (event) => {
          events.push(event);
        },
        hooks: { onNotification: (event) => void notificationEvents.push(event) },
      });
      return notify(request);
    }
    if (pathname === '/notify-slow') {
      // The same receiver with a short body deadline (issue #13 item 9): a trickling body gets 408.
      notifySlow ??= createNotificationHandler({
        key: env.MMSP_KEY ?? '',
        bodyTimeoutMs: 500,
        onPaid: (event) => void events.push(event),
      });
      return notifySlow(request);
    }
    return new Response('not found', { status: 404 });
  },
};
