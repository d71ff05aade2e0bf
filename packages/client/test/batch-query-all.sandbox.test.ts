// Issue #16 items 1 and 3 against the real sandbox: batchQueryAll walks every page of the batch
// queries (快捷 §5.9, 网关 §5.4) lazily, with the document's limits checked before sending;
// reconcileRange finds every planted difference between the platform and the books.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogue, chinaTime } from '@mmsp/codec';
import {
  MmspTransportError,
  MmspValidationError,
  reconcileRange,
  type KnownOrder,
  type MmspClient,
} from '@mmsp/client';
import { startSandbox, type Sandbox } from '../../sandbox/src/index.js';
import {
  clientOf,
  countingTransport,
  createOrder,
  plantOrders,
  type PlantedOrder,
} from './support/reconcile-scenario.js';

let sb: Sandbox;
let client: MmspClient;
const sent = { count: 0, commands: new Map<number, number>() };
let planted: PlantedOrder[];
const today = chinaTime(new Date()).slice(0, 8);
const QUICK_BATCH = catalogue['quickPay.batchQuery'].requestId;
const GATEWAY_BATCH = catalogue['gateway.batchQuery'].requestId;
const reset = () => {
  sent.count = 0;
  sent.commands.clear();
};

beforeAll(async () => {
  sb = await startSandbox({ timeScale: 0.0005, seed: 'batch-all' });
  sb.loseNotifications({ merchantNo: sb.merchant.merchantNo });
  client = clientOf(sb, countingTransport(sent));
  planted = await plantOrders(
    sb,
    clientOf(sb),
    { scan: 0, quickPay: 23, gateway: 7, unpaid: 0, closed: 0 },
    'http://127.0.0.1:9/n',
  );
  for (const id of ['QU1', 'QU2', 'QU3'])
    await createOrder(clientOf(sb), 'quickPay', `${id}${Date.now()}`.slice(0, 20), '100', 'http://127.0.0.1:9/n');
});
afterAll(() => sb.close());

async function collect(
  iterable: AsyncIterable<Record<string, unknown>>,
  stopAfter = Infinity,
): Promise<Array<Record<string, unknown>>> {
  const out: Array<Record<string, unknown>> = [];
  for await (const row of iterable) {
    out.push(row);
    if (out.length >= stopAfter) break;
  }
  return out;
}

describe('batchQueryAll', () => {
  it('quick pay: every paid order across pages of PERPAGE 5 (5 requests), none unpaid', async () => {
    reset();
    const pages: number[] = [];
    const rows = await collect(
      client.quickPay.batchQueryAll(
        { START_DATE: today, END_DATE: today, PERPAGE: '5' },
        { onPage: (p) => pages.push(p.page) },
      ),
    );
    const paid = planted
      .filter((o) => o.family === 'quickPay')
      .map((o) => o.merchantOrderId)
      .sort();
    expect(rows.map((r) => r.MERORDERID).sort()).toEqual(paid);
    expect(rows.every((r) => r.STATUS === '1' && typeof r.LIST_ID === 'string')).toBe(true);
    expect(pages).toEqual([1, 2, 3, 4, 5]);
    expect(sent.commands.get(QUICK_BATCH)).toBe(5);
    expect(sent.count).toBe(5);
  });

  it('breaking out of the loop sends no further request; the default PERPAGE (1000) needs one', async () => {
    reset();
    expect(
      await collect(client.quickPay.batchQueryAll({ START_DATE: today, END_DATE: today, PERPAGE: '5' }), 3),
    ).toHaveLength(3);
    expect(sent.count).toBe(1);
    reset();
    expect(await collect(client.quickPay.batchQueryAll({ START_DATE: today, END_DATE: today }))).toHaveLength(23);
    expect(sent.count).toBe(1);
  });

  it('gateway: its own paid orders, PERPAGE 3 → 3 pages; an hour window (YYYYMMDDHH) is accepted: one request', async () => {
    reset();
    const rows = await collect(client.gateway.batchQueryAll({ START_DATE: today, END_DATE: today, PERPAGE: '3' }));
    expect(rows.map((r) => r.MERORDERID).sort()).toEqual(
      planted
        .filter((o) => o.family === 'gateway')
        .map((o) => o.merchantOrderId)
        .sort(),
    );
    expect(sent.commands.get(GATEWAY_BATCH)).toBe(3);
    reset();
    const startOfToday = `${today}00`;
    const hourAgo = chinaTime(new Date(Date.now() - 3600_000)).slice(0, 10);
    const empty = await collect(
      client.gateway.batchQueryAll({
        START_DATE: hourAgo < startOfToday ? startOfToday : hourAgo,
        END_DATE: hourAgo < startOfToday ? startOfToday : hourAgo,
      }),
    );
    expect(sent.count).toBe(1);
    expect(empty.length).toBeLessThanOrEqual(7);
  });

  it("the document's limits are checked at the call, before any request", () => {
    reset();
    const fourMonthsAgo = chinaTime(new Date(Date.now() - 122 * 86_400_000)).slice(0, 8);
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ START_DATE: today, END_DATE: today, PERPAGE: '1001' }, 'PERPAGE'],
      [{ START_DATE: fourMonthsAgo, END_DATE: today }, 'START_DATE'],
      [{ START_DATE: today, END_DATE: today, PAGE: '2' }, 'PAGE'],
      [{ START_DATE: today, END_DATE: '20200101' }, 'END_DATE'],
      [{ START_DATE: '2024-01-01', END_DATE: today }, 'START_DATE'],
    ];
    for (const [input, field] of cases) {
      let error: unknown;
      try {
        client.quickPay.batchQueryAll(input as never);
      } catch (e) {
        error = e;
      }
      expect(error, JSON.stringify(input)).toBeInstanceOf(MmspValidationError);
      expect((error as MmspValidationError).issues.map((i) => i.field)).toContain(field);
    }
    expect(sent.count).toBe(0);
  });
});

describe('reconcileRange', () => {
  it('finds every planted difference and nothing else', async () => {
    const qp = planted.filter((o) => o.family === 'quickPay');
    const books = new Map<string, KnownOrder>(qp.map((o) => [o.merchantOrderId, { amount: o.amount, state: 'paid' }]));
    const missing = [qp[0]!, qp[1]!].map((o) => o.merchantOrderId);
    for (const id of missing) books.delete(id);
    const amount = [qp[2]!, qp[3]!].map((o) => o.merchantOrderId);
    for (const id of amount) books.set(id, { amount: '1', state: 'paid' });
    const unpaidInBooks = [qp[4]!, qp[5]!].map((o) => o.merchantOrderId);
    for (const id of unpaidInBooks) books.set(id, { amount: books.get(id)!.amount!, state: 'pending' });
    const ghost = `GH${Date.now()}`.slice(0, 20);
    books.set(ghost, { amount: '100', state: 'paid' });
    const unpaidOnPlatform = (await sb.orders()).find(
      (o) => o.family === 'quickPay' && o.state === 'pending',
    )!.merchantOrderId;
    books.set(unpaidOnPlatform, { amount: '100', state: 'paid' });
    reset();
    const progress: string[] = [];
    const report = await reconcileRange({
      client,
      family: 'quickPay',
      from: today,
      to: new Date(),
      perPage: 10,
      known: async (id) => books.get(id),
      paidInBooks: [...books]
        .filter(([, b]) => b.state === 'paid')
        .map(([merchantOrderId, b]) => ({ merchantOrderId, amount: b.amount! })),
      onProgress: (p) => progress.push(`${p.phase}:${p.done}/${p.total}`),
    });
    const byKind = (kind: string) =>
      report.differences
        .filter((d) => d.kind === kind)
        .map((d) => d.merchantOrderId)
        .sort();
    expect(byKind('missing')).toEqual([...missing].sort());
    expect(byKind('amount-differs')).toEqual([...amount].sort());
    expect(byKind('not-paid-in-books')).toEqual([...unpaidInBooks].sort());
    expect(byKind('not-paid-on-platform')).toEqual([ghost, unpaidOnPlatform].sort());
    expect(report.differences).toHaveLength(8);
    expect(report.differences.find((d) => d.merchantOrderId === ghost)?.platformState).toBe('unknown');
    expect(report.differences.find((d) => d.merchantOrderId === unpaidOnPlatform)?.platformState).toBe('pending');
    expect(report.differences.find((d) => d.kind === 'amount-differs')).toMatchObject({ booksAmount: '1' });
    expect(report).toMatchObject({ platformPaid: 23, pages: 3, queries: 5 });
    expect(sent.count).toBe(5);
    expect(progress).toEqual(['batch:1/3', 'batch:2/3', 'batch:3/3', 'confirm:1/2', 'confirm:2/2']);
  });

  it('a signal stops it: before the first request, between pages, and while a request is in flight', async () => {
    const input = { client, family: 'quickPay' as const, from: today, to: today, perPage: 5, known: () => true };
    const already = new AbortController();
    const reason = new Error('stopped by the test');
    already.abort(reason);
    reset();
    await expect(reconcileRange({ ...input, signal: already.signal })).rejects.toBe(reason);
    expect(sent.count).toBe(0);

    // Aborted after the first of the five pages: no second page is asked for.
    const afterFirst = new AbortController();
    reset();
    const stopped = await reconcileRange({
      ...input,
      signal: afterFirst.signal,
      onProgress: () => afterFirst.abort(),
    }).catch((e: unknown) => e);
    expect(stopped).toBeInstanceOf(Error);
    expect((stopped as Error).name).toBe('AbortError');
    expect(sent.count).toBe(1);

    // A platform that never answers: the request in flight sees the signal and the call ends at once.
    const inFlight = new AbortController();
    let cancelled = false;
    const silent = clientOf(sb, (req) => {
      return new Promise((_, reject) => {
        const signal = req.signal!;
        signal.addEventListener('abort', () => {
          cancelled = true;
          reject(new MmspTransportError('silent platform: aborted', { mayHaveReachedPlatform: true }));
        });
        setTimeout(() => inFlight.abort(), 20);
      });
    });
    const started = Date.now();
    const error = await reconcileRange({ ...input, client: silent, signal: inFlight.signal }).catch((e: unknown) => e);
    expect((error as Error).name).toBe('AbortError');
    expect(cancelled).toBe(true);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('agrees with books that match: no difference', async () => {
    const books = new Map(
      planted
        .filter((o) => o.family === 'gateway')
        .map((o) => [o.merchantOrderId, { amount: o.amount, state: 'paid' }]),
    );
    const report = await reconcileRange({
      client,
      family: 'gateway',
      from: today,
      to: today,
      known: (id) => books.get(id),
      paidInBooks: books.keys(),
    });
    expect(report.differences).toEqual([]);
    expect(report.platformPaid).toBe(7);
  });
});
