// `reconcileRange(...)` (issue #16 item 3): the platform's paid orders of a period against the
// merchant's books (documented on `reconcileRange` below).
import { MmspValidationError, chinaTime, type OperationName } from '@mmsp/codec';
import type { MmspClient } from '../client.js';
import type { MmspResult, TradeState } from '../result.js';
import { batchQueryAll, type BatchFamily, type BatchPageInfo, type BatchRecord } from './batch-query-all.js';
import { isNotFound } from './reconciler.js';

/** What the books say about an order. */
export interface KnownOrder {
  /** Integer fen as a string. */
  amount?: string;
  /** The merchant's own word: `paid`, `pending`, `failed`, `closed`… Anything but `paid` counts as not paid. */
  state?: string;
}

/**
 * How the platform and the books disagree about one order. The platform's side is what its batch
 * query lists, paid orders only (PROTOCOL §7.5), and for `not-paid-on-platform` the order's single
 * query (PROTOCOL §9.5 trade states).
 */
export type RangeDifferenceKind =
  /** Paid on the platform; the books do not have the order. */
  | 'missing'
  /** Paid on the platform; the books have it, but not as paid. */
  | 'not-paid-in-books'
  /** Paid on both sides with different amounts. */
  | 'amount-differs'
  /** Paid in the books; the platform has not paid it (not listed in the period, and its single query is not paid). */
  | 'not-paid-on-platform';

/** One order on which the platform and the books disagree (an entry of `RangeReport.differences`). */
export interface RangeDifference {
  /** What disagrees. */
  kind: RangeDifferenceKind;
  /** `MERORDERID`, the merchant's order number. */
  merchantOrderId: string;
  /** `LIST_ID` on the platform, when it answered one. */
  platformOrderId?: string;
  /** AMT on the platform (fen). */
  platformAmount?: string;
  /** The books' amount (fen). */
  booksAmount?: string;
  /** The books' state (`KnownOrder.state`; `paid` for an entry of `paidInBooks`). */
  booksState?: string;
  /** `not-paid-on-platform`: what the single query said (`unknown`: the platform has no such order). */
  platformState?: TradeState | 'unknown';
  /** `PAY_DATE` on the platform. */
  paidAt?: string;
}

/** What `reconcileRange` compares: a family's batch query over a period, and the books. */
export interface ReconcileRangeOptions {
  /** The client whose merchant is reconciled (`createClient`, `createNodeClient`…); it sends only queries. */
  client: MmspClient;
  /** `quickPay` or `gateway`: the families with a batch query (PROTOCOL §7.5). */
  family: BatchFamily;
  /** First day (or hour): `YYYYMMDD`, `YYYYMMDDHH` (China time) or a Date (its China day); at most 3 months back (PROTOCOL §7.5). */
  from: string | Date;
  /** Last day (or hour), inclusive. */
  to: string | Date;
  /** The books' view of one order (sync or async); `undefined` / `false` = unknown to the books, `true` = known, nothing to compare. */
  known: (merchantOrderId: string) => KnownOrder | boolean | undefined | Promise<KnownOrder | boolean | undefined>;
  /** Orders the books call paid, to find those the platform has not paid. Without it that kind is not looked for. */
  paidInBooks?:
    | Iterable<string | { merchantOrderId: string; amount?: string }>
    | AsyncIterable<string | { merchantOrderId: string; amount?: string }>;
  /** Batch page size (1..1000, default 1000). */
  perPage?: number;
  /** Single queries in flight at once when confirming `not-paid-on-platform` (default 4). */
  concurrency?: number;
  /** Progress: after each batch page and each confirmation query. */
  onProgress?: (progress: RangeProgress) => void;
  /**
   * Stops the reconciliation (a deadline, Ctrl-C, a shutdown): the request in flight is cancelled,
   * no further one is sent, and `reconcileRange` rejects with the signal's `reason`. Only queries are
   * sent, so stopping never leaves a payment's outcome unknown.
   */
  signal?: AbortSignal;
}

/** Progress of `reconcileRange`, given to `onProgress`. */
export interface RangeProgress {
  /** `batch`: reading the batch query's pages; `confirm`: the single queries of `not-paid-on-platform` candidates. */
  phase: 'batch' | 'confirm';
  /** batch: pages read / total pages; confirm: queries done / to do. */
  done: number;
  /** batch: `TOTAL_PAGE` as the platform answered (undefined when it did not say); confirm: the candidates to query. */
  total: number | undefined;
}

/** What `reconcileRange` found: the counts of the sweep and every difference. */
export interface RangeReport {
  /** The family reconciled. */
  family: BatchFamily;
  /** First day (or hour) of the period as sent (`START_DATE`). */
  from: string;
  /** Last day (or hour) of the period as sent (`END_DATE`). */
  to: string;
  /** Paid records the batch query listed. */
  platformPaid: number;
  /** Batch pages read. */
  pages: number;
  /** Requests sent: batch pages + confirmation queries. */
  queries: number;
  /** Every disagreement found, in the order found (batch pages first, then confirmations); empty when the books agree. */
  differences: RangeDifference[];
}

function day(value: string | Date, name: string): string {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime()))
      throw new MmspValidationError([{ field: name, rule: 'format', message: `${name} is an invalid Date` }]);
    return chinaTime(value).slice(0, 8);
  }
  if (typeof value !== 'string' || !/^\d{8}(\d{2})?$/.test(value)) {
    throw new MmspValidationError([
      { field: name, rule: 'format', message: `${name} must be YYYYMMDD or YYYYMMDDHH (China time) or a Date` },
    ]);
  }
  return value;
}

/** Throws the signal's reason once it has aborted (an `AbortError` `DOMException` unless the caller gave one). */
function stopIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw signal.reason ?? new Error('reconcileRange: aborted');
}

function text(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  return undefined;
}

/**
 * Compares the platform's paid orders of a period with the merchant's books (issue #16 item 3):
 * walks the batch query of quick pay (快捷 §5.9) or the gateway (网关 §5.4) page by page over the
 * period (PROTOCOL §7.5: paid orders only, a window of at most 3 months back, China time) and asks
 * `known` about each listed order. With `paidInBooks`, each order the books call paid but the
 * period's pages do not list is confirmed by one single query (`quickPay.query` /
 * `gateway.query`, PROTOCOL §10.1, §10.3): it may have been paid outside the period (no
 * difference), or not paid (`not-paid-on-platform`; `unknown` when the platform has no such order).
 *
 * Only queries are sent, never a payment or a refund. `mmsp reconcile` is this on a CSV / JSON file.
 * Throws `MmspValidationError` for a family without a batch query, a malformed period or a window
 * the batch query refuses, before any request.
 *
 * @example
 * ```ts
 * import { reconcileRange, type MmspClient } from '@mmsp/client';
 *
 * declare const client: MmspClient;
 * declare const books: Map<string, { amount: string; state: string }>; // your November orders, by MERORDERID
 *
 * const report = await reconcileRange({
 *   client,
 *   family: 'quickPay',
 *   from: '20261101',
 *   to: '20261130',
 *   known: (merchantOrderId) => books.get(merchantOrderId), // undefined: not in the books
 *   paidInBooks: [...books].filter(([, o]) => o.state === 'paid').map(([merchantOrderId, o]) => ({ merchantOrderId, amount: o.amount })),
 * });
 * for (const d of report.differences) console.log(d.kind, d.merchantOrderId, d.platformAmount, d.booksAmount);
 * ```
 */
export async function reconcileRange(options: ReconcileRangeOptions): Promise<RangeReport> {
  const { signal } = options;
  try {
    return await reconcile(options);
  } catch (error) {
    // A request cancelled by the signal fails as the transport says; the caller learns why it stopped.
    stopIfAborted(signal);
    throw error;
  }
}

async function reconcile(options: ReconcileRangeOptions): Promise<RangeReport> {
  const { client, family, known, signal } = options;
  if (family !== 'quickPay' && family !== 'gateway') {
    throw new MmspValidationError([
      {
        field: 'family',
        rule: 'enum',
        message: 'family must be quickPay or gateway (the families with a batch query)',
      },
    ]);
  }
  if (typeof known !== 'function') throw new TypeError('reconcileRange: known(merchantOrderId) is required');
  const from = day(options.from, 'from');
  const to = day(options.to, 'to');
  stopIfAborted(signal);
  const callOptions = signal !== undefined ? { signal } : undefined;
  const perPage = options.perPage ?? 1000;
  const report: RangeReport = { family, from, to, platformPaid: 0, pages: 0, queries: 0, differences: [] };
  const listed = new Set<string>();
  const onPage = (info: BatchPageInfo) => {
    report.pages++;
    report.queries++;
    options.onProgress?.({ phase: 'batch', done: info.page, total: info.totalPages });
  };
  const records: AsyncIterable<BatchRecord> = batchQueryAll(
    (operation, body, perCall) => client.call(operation, body as never, perCall),
    family,
    { START_DATE: from, END_DATE: to, PERPAGE: String(perPage) },
    { onPage, ...callOptions },
  );
  for await (const row of records) {
    const merchantOrderId = text(row.MERORDERID);
    if (!merchantOrderId) continue;
    stopIfAborted(signal);
    report.platformPaid++;
    listed.add(merchantOrderId);
    const platformAmount = text(row.AMT);
    const platformOrderId = text(row.LIST_ID) ?? text(row['LIST ID']);
    const paidAt = text(row.PAY_DATE);
    const base = {
      merchantOrderId,
      ...(platformOrderId ? { platformOrderId } : {}),
      ...(platformAmount !== undefined ? { platformAmount } : {}),
      ...(paidAt ? { paidAt } : {}),
    };
    const books = await known(merchantOrderId);
    if (books === undefined || books === false) {
      report.differences.push({ kind: 'missing', ...base });
      continue;
    }
    if (books === true) continue;
    const booksExtra = {
      ...(books.amount !== undefined ? { booksAmount: String(books.amount) } : {}),
      ...(books.state !== undefined ? { booksState: books.state } : {}),
    };
    if (books.state !== undefined && books.state !== 'paid') {
      report.differences.push({ kind: 'not-paid-in-books', ...base, ...booksExtra });
    } else if (books.amount !== undefined && platformAmount !== undefined && String(books.amount) !== platformAmount) {
      report.differences.push({ kind: 'amount-differs', ...base, ...booksExtra });
    }
  }

  if (options.paidInBooks) {
    const toConfirm: Array<{ merchantOrderId: string; amount?: string }> = [];
    for await (const entry of options.paidInBooks as AsyncIterable<
      string | { merchantOrderId: string; amount?: string }
    >) {
      const o = typeof entry === 'string' ? { merchantOrderId: entry } : entry;
      if (!listed.has(o.merchantOrderId)) toConfirm.push(o);
    }
    stopIfAborted(signal);
    const operation = `${family}.query` as OperationName;
    let next = 0;
    let done = 0;
    const confirm = async () => {
      while (next < toConfirm.length) {
        stopIfAborted(signal);
        const o = toConfirm[next++]!;
        let state: TradeState | 'unknown' | undefined;
        let result: MmspResult | undefined;
        report.queries++;
        try {
          result = (await client.call(
            operation,
            { MERORDERID: o.merchantOrderId } as never,
            callOptions,
          )) as MmspResult;
          state = result.state;
        } catch (error) {
          if (isNotFound(error)) state = 'unknown';
          else throw error;
        }
        done++;
        options.onProgress?.({ phase: 'confirm', done, total: toConfirm.length });
        if (state === 'paid') {
          const amount = result ? text(result.body.AMT) : undefined;
          if (o.amount !== undefined && amount !== undefined && String(o.amount) !== amount) {
            const platformOrderId = result ? (text(result.body.LIST_ID) ?? text(result.body['LIST ID'])) : undefined;
            report.differences.push({
              kind: 'amount-differs',
              merchantOrderId: o.merchantOrderId,
              ...(platformOrderId ? { platformOrderId } : {}),
              platformAmount: amount,
              booksAmount: String(o.amount),
              booksState: 'paid',
            });
          }
          continue; // paid outside the period
        }
        report.differences.push({
          kind: 'not-paid-on-platform',
          merchantOrderId: o.merchantOrderId,
          booksState: 'paid',
          ...(o.amount !== undefined ? { booksAmount: String(o.amount) } : {}),
          platformState: state ?? 'pending',
        });
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency ?? 4, 64)) }, confirm));
  }
  return report;
}
