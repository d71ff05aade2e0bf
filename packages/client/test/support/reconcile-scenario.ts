// Orders planted in a real sandbox for the reconciliation tests (issue #16): paid orders of the
// three notification families (scan QR, quick pay card + SMS, gateway form), unpaid ones and
// closed ones, created through the client over real HTTP, paid the way a customer pays (SMS
// confirmation, the sandbox's pay button), with every notification of the merchant lost.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createClient, MmspTransportError, type MmspClient, type PendingOrder, type Transport } from '@mmsp/client';
import type { Sandbox } from '../../../sandbox/src/index.js';

export type Expect = 'paid' | 'failed' | 'pending';
export interface PlantedOrder extends PendingOrder {
  family: 'scan' | 'quickPay' | 'gateway';
  amount: string;
  expect: Expect;
}

let seq = 0;
const run = Date.now().toString(36).slice(-5);
/** ≤ 20 characters (the families' MERORDERID limit), unique within the process and across runs. */
export function orderId(prefix: string): string {
  return `${prefix}${run}${(++seq).toString().padStart(7, '0')}`;
}

/** fetch as a Transport; `sent` counts requests by CommandID (the envelope header) when given. */
export function countingTransport(sent?: { count: number; commands: Map<number, number> }): Transport {
  return async (req) => {
    if (sent) {
      sent.count++;
      const m = /"CommandID":(\d+)/.exec(req.body);
      const id = m ? Number(m[1]) : -1;
      sent.commands.set(id, (sent.commands.get(id) ?? 0) + 1);
    }
    try {
      const res = await fetch(req.url, {
        method: 'POST',
        headers: req.headers,
        body: req.body,
        signal: req.signal ?? AbortSignal.timeout(req.timeoutMs ?? 10_000),
      });
      return { status: res.status, headers: {}, body: await res.text() };
    } catch (cause) {
      throw new MmspTransportError(`fetch ${req.url} failed`, { mayHaveReachedPlatform: true, cause });
    }
  };
}

const quiet = { debug() {}, info() {}, warn() {}, error() {} };

export function clientOf(sb: Sandbox, transport: Transport = countingTransport()): MmspClient {
  const m = sb.merchant;
  return createClient({ ...m, transport, logger: quiet });
}

/** Runs `tasks` with at most `limit` in flight. */
export async function pool<T>(
  items: readonly T[],
  limit: number,
  task: (item: T, i: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        await task(items[i]!, i);
      }
    }),
  );
}

export interface PlantCounts {
  scan: number;
  quickPay: number;
  gateway: number;
  /** Unpaid orders, spread over the three families. */
  unpaid: number;
  /** Closed (expired) orders, spread over the three families. */
  closed: number;
}

const FAMILIES = ['scan', 'quickPay', 'gateway'] as const;

/** Creates one order of `family` (pending) through the client over HTTP. */
export async function createOrder(
  client: MmspClient,
  family: PlantedOrder['family'],
  merchantOrderId: string,
  amount: string,
  notifyUrl: string,
): Promise<void> {
  if (family === 'scan') {
    await client.scan.wechatOrder({
      TRADETYPE: '1',
      AMT: amount,
      MERORDERID: merchantOrderId,
      GOODSNAME: 'book',
      NOTIFY_URL: notifyUrl,
    });
  } else if (family === 'quickPay') {
    await client.quickPay.pay({
      MERORDERID: merchantOrderId,
      AMT: amount,
      NAME: '张安',
      PHONENO: '18826570890',
      CARDNO: '6227000013830230000',
      CARDTYPE: '1',
      ID_NO: '23210219820916601X',
      NOTIFY_URL: notifyUrl,
    });
  } else {
    const form = await client.gateway.pay({
      MERORDERID: merchantOrderId,
      AMT: amount,
      NOTIFY_URL: notifyUrl,
      JUMP_URL: 'http://127.0.0.1:9/return',
      PAY_CHANNEL: 'YLBILL-NET-B2C',
      GOODSNAME: 'book',
    });
    // What the customer's browser does with the auto-submitting form (网关 §5.1.2).
    const res = await fetch(form.action, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form.fields as Record<string, string>),
    });
    const html = await res.text();
    if (res.status !== 200 || !html.includes(merchantOrderId))
      throw new Error(`gateway form for ${merchantOrderId}: HTTP ${res.status}`);
  }
}

/** Pays an order the way its customer would: the SMS code for quick pay, the pay button otherwise. */
export async function payOrder(sb: Sandbox, client: MmspClient, order: PlantedOrder): Promise<void> {
  if (order.family === 'quickPay') {
    const q = await client.quickPay.query({ MERORDERID: order.merchantOrderId });
    const code = sb.smsCode(order.merchantOrderId);
    if (!code) throw new Error(`no SMS code for ${order.merchantOrderId}`);
    await client.quickPay.confirmSms({ LIST_ID: String(q.body.LIST_ID), MSG_CODE: code });
  } else {
    sb.settleOrder(order.merchantOrderId, 'pay', { family: order.family });
  }
}

/** Plants the orders; amounts vary (fen). Returns them in creation order. */
export async function plantOrders(
  sb: Sandbox,
  client: MmspClient,
  counts: PlantCounts,
  notifyUrl: string,
  parallel = 8,
): Promise<PlantedOrder[]> {
  const orders: PlantedOrder[] = [];
  const add = (family: PlantedOrder['family'], expect: Expect) => {
    const n = orders.length;
    orders.push({
      family,
      merchantOrderId: orderId(family === 'scan' ? 'S' : family === 'quickPay' ? 'Q' : 'G'),
      amount: String(100 + (n % 97) * 13),
      expect,
      createdAt: Date.now(),
    });
  };
  for (const family of FAMILIES) for (let i = 0; i < counts[family]; i++) add(family, 'paid');
  for (let i = 0; i < counts.unpaid; i++) add(FAMILIES[i % 3]!, 'pending');
  for (let i = 0; i < counts.closed; i++) add(FAMILIES[i % 3]!, 'failed');
  await pool(orders, parallel, async (o) => {
    await createOrder(client, o.family, o.merchantOrderId, o.amount, notifyUrl);
    if (o.expect === 'paid') await payOrder(sb, client, o);
    if (o.expect === 'failed') sb.settleOrder(o.merchantOrderId, 'expire', { family: o.family });
  });
  return orders;
}

/** A real node:http notification endpoint answering with `decide(rawText)`. */
export async function startEndpoint(
  decide: (text: string) => Promise<{ status: number; body: string }>,
): Promise<{ url: string; close(): Promise<void>; server: Server }> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      decide(Buffer.concat(chunks).toString('utf8')).then(
        (d) => res.writeHead(d.status, { 'content-type': 'text/plain; charset=utf-8' }).end(d.body),
        () => res.writeHead(500).end('FAIL'),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    server,
    url: `http://127.0.0.1:${port}/mmsp/notify`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
