// Test helpers: call the sandbox over real HTTP on loopback with the codec's envelopes, and a real
// node:http notification receiver. No mocks: the sandbox is the component under test.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildEnvelope, openEnvelope, type Family, type OpenedEnvelope } from '@mmsp/codec';
import type { Sandbox } from '../src/index.js';

let seq = 0;

export interface RawCall {
  status: number;
  text: string;
}

export async function postText(url: string, text: string, headers: Record<string, string> = {}): Promise<RawCall> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    body: text,
  });
  return { status: res.status, text: await res.text() };
}

export function envelope(
  sb: Sandbox,
  family: Exclude<Family, 'payout'>,
  commandId: number,
  body: object,
  opts: { key?: string } = {},
): string {
  return buildEnvelope({
    family,
    commandId,
    seqId: ++seq,
    merchantNo: sb.merchant.merchantNo,
    terminalNo: sb.merchant.terminalNo,
    key: opts.key ?? sb.merchant.key,
    body,
  }).text;
}

const PATHS = { quickPay: '/quickpay', scan: '/scan', gateway: '/gateway' } as const;

/** Signs a request with the codec, POSTs it, verifies the signed answer the PHP way. */
export async function call(
  sb: Sandbox,
  family: Exclude<Family, 'payout'>,
  commandId: number,
  body: object,
  headers: Record<string, string> = {},
): Promise<OpenedEnvelope> {
  const res = await postText(sb.url + PATHS[family], envelope(sb, family, commandId, body), headers);
  if (res.status !== 200) throw new Error(`HTTP ${res.status}: ${res.text}`);
  return openEnvelope(res.text, { key: sb.merchant.key, requireSignature: true });
}

export async function getJson<T = unknown>(url: string): Promise<T> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`HTTP ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

export async function postJson<T = unknown>(url: string, value: unknown = {}): Promise<{ status: number; json: T }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(value),
  });
  return { status: res.status, json: (await res.json()) as T };
}

export interface Received {
  text: string;
  at: number;
}

/** A real HTTP receiver on loopback answering with `answer(text, n)`. */
type Answer = { status: number; body: string };

export async function startReceiver(
  answer: (text: string, n: number) => Answer | Promise<Answer> = () => ({ status: 200, body: 'SUCCESS' }),
): Promise<{
  url: string;
  received: Received[];
  close(): Promise<void>;
  waitFor(n: number, timeoutMs?: number): Promise<Received[]>;
}> {
  const received: Received[] = [];
  const server: Server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on(
      'end',
      () =>
        void (async () => {
          const text = Buffer.concat(chunks).toString('utf8');
          received.push({ text, at: Date.now() });
          const a = await answer(text, received.length);
          res.writeHead(a.status, { 'content-type': 'text/plain' });
          res.end(a.body);
        })(),
    );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/notify`,
    received,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
    async waitFor(n, timeoutMs = 5000) {
      const until = Date.now() + timeoutMs;
      while (received.length < n) {
        if (Date.now() > until)
          throw new Error(`receiver got ${received.length} of ${n} notifications within ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 10));
      }
      return received;
    },
  };
}

export function uniqueId(prefix = ''): string {
  return `${prefix}${Date.now().toString().slice(-8)}${Math.floor(Math.random() * 1e6)
    .toString()
    .padStart(6, '0')}`;
}
