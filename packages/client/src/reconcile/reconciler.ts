// `createReconciler(...)` (issue #16 item 2): settles unsettled orders by query when notifications
// never came (documented on `createReconciler` below).
import {
  MmspBusinessError,
  MmspError,
  MmspProtocolError,
  MmspTransportError,
  catalogue,
  negativeResponseCode,
  parseChinaTime,
  payoutRetCode,
  type Family,
  type OperationName,
} from '@mmsp/codec';
import type { MmspClient } from '../client.js';
import { MemoryNotificationStore, type NotificationStore } from '../notification-store.js';
import { DEFAULT_HANDLER_TIMEOUT_MS, runOnce } from '../notifications/run-once.js';
import { DEFAULT_CLAIM_TTL_MS } from '../notifications/handle.js';
import type { EnvelopeFamily } from '@mmsp/codec';
import { notificationId, type PaidEvent } from '../notifications/open.js';
import type { MmspResult, TradeState } from '../result.js';
import { DEFAULT_QUERY_RETRY, backoffDelay, sleep as realSleep, type RetryPolicy } from '../retry.js';

/** An order the merchant has not settled yet. */
export interface PendingOrder {
  /** `scan` covers QR orders and micropay (scan.query); `payout` uses payout.query by ORDERNO. */
  family: Family;
  /** MERORDERID (payout: ORDERNO). */
  merchantOrderId: string;
  /** The amount the merchant expects, integer fen as a string: a paid order with another AMT is not handed to onPaid. */
  amount?: string;
  /** When the order was created; younger than `minAgeMs` → not queried this run. */
  createdAt?: Date | number | string;
}

/**
 * What `ReconcilerOptions.pending` returns: the unsettled orders as an array (any iterable), an
 * async iterable (a database cursor, read as the run goes) or a promise of either.
 */
export type PendingSource =
  Iterable<PendingOrder> | AsyncIterable<PendingOrder> | Promise<Iterable<PendingOrder> | AsyncIterable<PendingOrder>>;

/** How the reconciler learnt what it reports (the second argument of `onPaid` / `onFailed`). */
export interface ReconcileSource {
  /** Always `reconciliation`: tells a handler shared with the notification receiver where the news came from. */
  source: 'reconciliation';
  /** The query that told it, e.g. `quickPay.query`. */
  operation: OperationName;
  /** The query's result (verified body, codes, raw text). */
  result: MmspResult;
}

/** A payout the platform reports paid (PAYSTATE 1). */
export interface PayoutPaidEvent {
  /** Always `paid`: only final successes are handed over. */
  type: 'paid';
  /** Always `payout` (代付; the payout has no notification, PROTOCOL §10.4). */
  family: 'payout';
  /** ORDERNO. */
  merchantOrderId: string;
  /** BSORDERNO. */
  platformOrderId: string;
  /** AMT, integer fen as a string. */
  amount: string;
  /** The verified body of the `payout.query` response, wire names as the document spells them. */
  body: Record<string, unknown>;
}

/**
 * An order the platform reports final without a payment (PROTOCOL §9.5: `failed`, `closed`,
 * `refunded`): what `ReconcilerOptions.onFailed` receives, at most once per order with a shared
 * store (claimed under `failureId(family, merchantOrderId)`). A refunded scan order was paid
 * first: it goes to `onPaid` like its notification would.
 */
export interface FailedOrder {
  /** The order's family, as given in `pending()`. */
  family: Family;
  /** MERORDERID (payout: ORDERNO), as given in `pending()`. */
  merchantOrderId: string;
  /** `failed` (declined, expired and closed read as failed or closed per family), `closed` or `refunded`. */
  state: 'failed' | 'closed' | 'refunded';
  /** The platform's order number when it answered one: `LIST_ID`, scan `ORDERNO`, payout `BSORDERNO`. */
  platformOrderId?: string;
  /** The platform's code and message (ERRCODE / ERR_CODE, ERRMSG), e.g. D4 订单已关闭. */
  code?: string;
  /** The platform's message (ERRMSG), when it gave one. */
  message?: string;
  /** The verified body of the query response, wire names as the document spells them. */
  body: Record<string, unknown>;
}

/**
 * What `createReconciler` needs: the client, the merchant's unsettled orders and what to do with
 * each final result; the rest tunes the runs.
 */
export interface ReconcilerOptions {
  /** The client whose merchant's orders are queried (`createClient`, `createNodeClient`…); it sends only queries. */
  client: MmspClient;
  /** The merchant's unsettled orders: an array, a promise of one, or an (async) iterable. Called once per run. */
  pending: () => PendingSource | Iterable<PendingOrder>;
  /** Runs once per paid order (with the receiver's store: once across pushes and reconciliations). */
  onPaid: (event: PaidEvent, info: ReconcileSource) => unknown;
  /** Final failures: failed, closed / expired, refunded. Also at most once per order with a shared store. */
  onFailed?: (order: FailedOrder, info: ReconcileSource) => unknown;
  /** Paid payouts (PAYSTATE 1); payouts in `pending()` without it are reported as errors. */
  onPayoutPaid?: (event: PayoutPaidEvent, info: ReconcileSource) => unknown;
  /** The receiver's store (Redis, Postgres…): exactly once across instances. Default: a private in-memory store. */
  store?: NotificationStore;
  /** How long a claim holds an order while its handler runs, as the receiver's `claimTtlMs` (default 60 000 ms: a claim of a process that died mid-handler expires). */
  claimTtlMs?: number;
  /** How long `onPaid` / `onFailed` / `onPayoutPaid` may run before it is abandoned and its claim released, as the receiver's `handlerTimeoutMs` (default 60 000 ms). */
  handlerTimeoutMs?: number;
  /** Orders younger than this are left to their notification (default 60 000 ms). Orders without `createdAt` are always queried. */
  minAgeMs?: number;
  /** Queries in flight at once (default 4). */
  concurrency?: number;
  /** Stop the run after this many consecutive transport failures: the platform is unreachable (default 5). */
  maxConsecutiveFailures?: number;
  /** Backoff before the next query after a transport failure (full jitter; default the client's query policy). */
  backoff?: RetryPolicy;
  /** Injectable clock and sleep (tests). */
  now?: () => number;
  /** Injectable sleep for the backoff (tests); default a timer. */
  sleep?: (ms: number) => Promise<void>;
}

/**
 * What one run did with one order (`ReconcileItem.outcome`):
 * - `paid`: paid on the platform, `onPaid` (or `onPayoutPaid`) ran now;
 * - `already-handled`: paid, and the store says a notification (or an earlier run) handled it;
 * - `busy`: paid, but another claim holds it right now (a push being handled): the next run sees it;
 * - `failed`: final without a payment (failed, closed / expired, refunded: PROTOCOL §9.5);
 * - `pending`: not final yet (pending, paying, accepted);
 * - `unknown`: the platform has no such order (`[-2002] 没有该订单`, payout RETCODE 1028/1029);
 * - `amount-mismatch`: paid with another `AMT` than the order's `amount`: `onPaid` not run;
 * - `too-young`: younger than `minAgeMs`, left to its notification, not queried;
 * - `error`: the query, the handler or the store failed (`ReconcileItem.error` says which).
 */
export type ReconcileOutcome =
  | 'paid' // onPaid ran now
  | 'already-handled' // paid, and the store says a push (or an earlier run) handled it
  | 'busy' // paid, but another claim holds it right now (a push being handled): next run
  | 'failed'
  | 'pending'
  | 'unknown' // the platform has no such order
  | 'amount-mismatch'
  | 'too-young'
  | 'error';

/** One order of a run and what became of it (an entry of `ReconcileReport.items`). */
export interface ReconcileItem {
  /** The order's family, as given in `pending()`. */
  family: Family;
  /** MERORDERID (payout: ORDERNO), as given in `pending()`. */
  merchantOrderId: string;
  /** What the run did with the order. */
  outcome: ReconcileOutcome;
  /** The query's normalised trade state (PROTOCOL §9.5), when the platform answered one. */
  state?: TradeState;
  /** The platform's order number when it answered one: `LIST_ID`, scan `ORDERNO`, payout `BSORDERNO`. */
  platformOrderId?: string;
  /** AMT on the platform, integer fen as a string. */
  amount?: string;
  /** Short text, never a secret. */
  error?: string;
}

/** What one run of the reconciler did: counts by outcome, and every order (`items`). */
export interface ReconcileReport {
  /** Orders queried. */
  checked: number;
  /** Paid on the platform: handled now or before. */
  paid: number;
  /** Final without a payment: failed, closed / expired, refunded (`onFailed`, when given, ran now or before). */
  failed: number;
  /** Not final yet (also: paid but another instance is handling it right now; too young to query). */
  stillPending: number;
  /** The platform does not know the order. */
  unknown: number;
  /** Orders that ended in `error` or `amount-mismatch` (a query, handler or store failure; a different AMT). */
  errors: number;
  /** onPaid ran in this run. */
  handled: number;
  /** Paid orders a notification (or an earlier run) had already handled. */
  alreadyHandled: number;
  /** Paid with another AMT than the order's `amount` (also counted in `errors`); `onPaid` not run. */
  amountMismatch: number;
  /** Left for their notification (younger than minAgeMs). */
  tooYoung: number;
  /** Query calls made. */
  queries: number;
  /** The run stopped early after `maxConsecutiveFailures` transport failures. */
  aborted: boolean;
  /** Wall time of the run, in milliseconds. */
  durationMs: number;
  /** Every order of the run, in the order it finished. */
  items: ReconcileItem[];
}

/** A reconciler made by `createReconciler`: one run on demand, or runs on a schedule. */
export interface Reconciler {
  /** Runs once over `pending()` and resolves with its report; a call while a run is in progress shares that run. */
  runOnce(): Promise<ReconcileReport>;
  /** Runs every `intervalMs` (the next run starts `intervalMs` after the previous one ended). */
  start(intervalMs: number, onReport?: (report: ReconcileReport) => void): void;
  /** Stops the schedule and resolves when the run in progress (if any) has finished. */
  stop(): Promise<void>;
}

const QUERY_OF: Record<Family, OperationName> = {
  quickPay: 'quickPay.query',
  gateway: 'gateway.query',
  scan: 'scan.query',
  payout: 'payout.query',
};

function text(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isSafeInteger(v)) return String(v);
  if (typeof v === 'bigint') return v.toString();
  return undefined;
}

function timeOf(v: Date | number | string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const t = v instanceof Date ? v.getTime() : typeof v === 'number' ? v : Date.parse(v);
  return Number.isFinite(t) ? t : undefined;
}

/**
 * The platform does not know this order, by the codec's code tables (PROTOCOL §9): a negative
 * response classified `not-found` ("[-2002] 没有该订单"), payout RETCODE 1028/1029.
 */
export function isNotFound(error: unknown): boolean {
  if (error instanceof MmspProtocolError)
    return negativeResponseCode(error.platformMessage ?? error.message).outcome === 'not-found';
  if (error instanceof MmspBusinessError) return payoutRetCode(error.platformCode).outcome === 'not-found';
  return false;
}

const FAMILIES: ReadonlySet<string> = new Set(['quickPay', 'gateway', 'scan', 'payout']);

/** The PaidEvent a notification of this order would give, from a query's verified body. */
export function paidEventFromQuery(
  family: EnvelopeFamily,
  operation: OperationName,
  body: Record<string, unknown>,
  fallbackOrderId: string,
): PaidEvent | undefined {
  const platformOrderId = family === 'scan' ? text(body.ORDERNO) : (text(body.LIST_ID) ?? text(body['LIST ID']));
  const amount = text(body.AMT);
  if (!platformOrderId || amount === undefined || !/^(0|[1-9][0-9]*)$/.test(amount)) return undefined;
  const event: PaidEvent = {
    type: 'paid',
    family,
    command: catalogue[operation].responseId ?? 0,
    merchantOrderId: text(body.MERORDERID) || fallbackOrderId,
    platformOrderId,
    amount,
    body,
  };
  const when = text(body.PAY_DATE) ?? text(body.PAYTIME);
  if (when) {
    try {
      const date = parseChinaTime(when);
      if (!Number.isNaN(date.getTime())) event.paidAt = date;
    } catch {
      // paidAt stays absent, as in a notification with an unreadable date.
    }
  }
  return event;
}

/** Store id of a final failure (not a notification id: it never collides with one). */
export function failureId(family: Family, merchantOrderId: string): string {
  return `mmsp-failed:${family}:${encodeURIComponent(merchantOrderId)}`;
}

async function* orders(source: PendingSource | Iterable<PendingOrder>): AsyncGenerator<PendingOrder> {
  const resolved = await source;
  if (resolved === null || resolved === undefined) return;
  if (Symbol.asyncIterator in (resolved as object)) {
    for await (const o of resolved as AsyncIterable<PendingOrder>) yield o;
  } else {
    for (const o of resolved as Iterable<PendingOrder>) yield o;
  }
}

/**
 * Settles the merchant's unsettled orders by querying the platform, for when notifications never
 * came (issue #16 item 2): the platform pushes only successes, retries for a few hours, then stops
 * (PROTOCOL §5.2); an order without news is settled by a query, never by sending it again
 * (PROTOCOL §5.5). Each order is queried with its family's own query (`quickPay.query`,
 * `gateway.query`, `scan.query` for QR orders and micropay, `payout.query` by ORDERNO:
 * PROTOCOL §10).
 *
 * Exactly once: a paid order is handed to `onPaid` as the same `PaidEvent` a notification would
 * give, under the same store id (`notificationId`: family + MERORDERID + LIST_ID / scan ORDERNO,
 * PROTOCOL §5.3). With the receiver's `NotificationStore`, whichever of the push and the reconciler
 * claims the id first runs the handler; the other sees `done` (or `busy` while it runs). A handler
 * that throws releases its claim: the next run retries.
 *
 * Money safety: only queries are sent (the client retries them on transport failures); never a
 * payment, cancel, close, refund or payout. Throws `TypeError` for missing or malformed options.
 *
 * @example
 * ```ts
 * import { createReconciler, type MmspClient, type NotificationStore, type PendingOrder } from '@mmsp/client';
 *
 * declare const client: MmspClient, store: NotificationStore; // the receiver's store (Redis, Postgres…)
 * declare const db: {
 *   unsettledOrders(): Promise<PendingOrder[]>; // [{ family, merchantOrderId, amount?, createdAt? }]
 *   markPaid(merchantOrderId: string, amountFen: string): Promise<void>;
 *   markFailed(merchantOrderId: string, state: string): Promise<void>;
 * };
 *
 * const reconciler = createReconciler({
 *   client,
 *   store,
 *   pending: () => db.unsettledOrders(),
 *   onPaid: (event) => db.markPaid(event.merchantOrderId, event.amount), // the notification handler's work
 *   onFailed: (order) => db.markFailed(order.merchantOrderId, order.state),
 * });
 * const report = await reconciler.runOnce();
 * console.log(report.handled, report.alreadyHandled, report.stillPending, report.errors);
 * reconciler.start(60_000); // then every minute, until `await reconciler.stop()`
 * ```
 */
export function createReconciler(options: ReconcilerOptions): Reconciler {
  if (!options || typeof options !== 'object')
    throw new TypeError('createReconciler: options { client, pending, onPaid } are required');
  const { client, pending, onPaid } = options;
  if (!client || typeof client.call !== 'function')
    throw new TypeError('createReconciler: client must be an MmspClient (createClient, createNodeClient…)');
  if (typeof pending !== 'function')
    throw new TypeError('createReconciler: pending must be a function returning the unsettled orders');
  if (typeof onPaid !== 'function') throw new TypeError('createReconciler: onPaid must be a function');
  const concurrency = options.concurrency ?? 4;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64)
    throw new TypeError('createReconciler: concurrency must be an integer 1..64');
  const minAgeMs = options.minAgeMs ?? 60_000;
  if (!Number.isFinite(minAgeMs) || minAgeMs < 0)
    throw new TypeError('createReconciler: minAgeMs must be a number ≥ 0');
  const store = options.store ?? new MemoryNotificationStore();
  const claimTtlMs = options.claimTtlMs ?? DEFAULT_CLAIM_TTL_MS;
  const handlerTimeoutMs = options.handlerTimeoutMs ?? DEFAULT_HANDLER_TIMEOUT_MS;
  for (const [name, value] of [
    ['claimTtlMs', claimTtlMs],
    ['handlerTimeoutMs', handlerTimeoutMs],
  ] as const) {
    if (!Number.isSafeInteger(value) || value <= 0)
      throw new TypeError(`createReconciler: ${name} must be a positive integer number of milliseconds`);
  }
  const maxFailures = options.maxConsecutiveFailures ?? 5;
  const backoff = options.backoff ?? DEFAULT_QUERY_RETRY;
  const now = options.now ?? Date.now;
  const wait = options.sleep ?? ((ms: number) => realSleep(ms));

  /** The run in progress and its stop flag (stop() lets it finish the orders in flight, then ends it). */
  let running: Promise<ReconcileReport> | undefined;
  let runFlags: { stop: boolean } | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  /** Bumped by stop(): a tick of an earlier start() schedules nothing more. */
  let generation = 0;
  let scheduled = false;

  /** claim → handler → commit (release when it throws), as the receiver does (notifications/run-once.ts). */
  const once = async (id: string, run: () => unknown): Promise<'ran' | 'done' | 'busy'> => {
    const result = await runOnce(id, run, { store, claimTtlMs, handlerTimeoutMs });
    switch (result.outcome) {
      case 'store-failed':
      case 'failed':
        throw result.error;
      case 'timed-out':
        throw new MmspError(
          'the handler did not settle within handlerTimeoutMs; its claim was released',
          'MMSP_HANDLER',
        );
      case 'lost':
        throw new MmspError(
          'the claim expired and was taken over while the handler ran; its result was not committed',
          'MMSP_HANDLER',
        );
      case 'ran':
        if (result.commitError !== undefined) throw result.commitError;
        return 'ran';
      default:
        return result.outcome;
    }
  };

  const runReconciliation = async (flags: { stop: boolean }): Promise<ReconcileReport> => {
    const started = now();
    const report: ReconcileReport = {
      checked: 0,
      paid: 0,
      failed: 0,
      stillPending: 0,
      unknown: 0,
      errors: 0,
      handled: 0,
      alreadyHandled: 0,
      amountMismatch: 0,
      tooYoung: 0,
      queries: 0,
      aborted: false,
      durationMs: 0,
      items: [],
    };
    let consecutiveFailures = 0;
    const source = orders(pending());

    const settle = async (order: PendingOrder): Promise<ReconcileItem> => {
      const family = order.family;
      const item: ReconcileItem = { family, merchantOrderId: order.merchantOrderId, outcome: 'error' };
      if (!FAMILIES.has(family) || typeof order.merchantOrderId !== 'string' || order.merchantOrderId === '') {
        item.error = 'pending() gave an order without a family (quickPay, gateway, scan, payout) or a merchantOrderId';
        return item;
      }
      const created = timeOf(order.createdAt);
      if (created !== undefined && now() - created < minAgeMs) {
        item.outcome = 'too-young';
        return item;
      }
      if (family === 'payout' && !options.onPayoutPaid) {
        item.error = 'a payout in pending() needs onPayoutPaid';
        return item;
      }
      const operation = QUERY_OF[family];
      let result: MmspResult;
      report.queries++;
      report.checked++;
      try {
        result = (await client.call(
          operation,
          (family === 'payout' ? { ORDERNO: order.merchantOrderId } : { MERORDERID: order.merchantOrderId }) as never,
        )) as MmspResult;
        consecutiveFailures = 0;
      } catch (error) {
        if (isNotFound(error)) {
          consecutiveFailures = 0;
          item.outcome = 'unknown';
          return item;
        }
        if (error instanceof MmspTransportError) {
          consecutiveFailures++;
          item.error = `transport: ${error.message}`;
          await wait(backoffDelay(backoff, Math.min(consecutiveFailures, 10)));
        } else {
          item.error = error instanceof MmspError ? `${error.name}: ${error.message}` : 'the query failed';
        }
        return item;
      }
      const info: ReconcileSource = { source: 'reconciliation', operation, result };
      const body = result.body;
      const state = result.state;
      if (state !== undefined) item.state = state;
      const platformOrderId =
        family === 'scan'
          ? text(body.ORDERNO)
          : family === 'payout'
            ? text(body.BSORDERNO)
            : (text(body.LIST_ID) ?? text(body['LIST ID']));
      if (platformOrderId) item.platformOrderId = platformOrderId;
      const amount = text(body.AMT);
      if (amount !== undefined) item.amount = amount;

      if (state === 'paid' || (state === 'refunded' && family === 'scan')) {
        if (order.amount !== undefined && amount !== undefined && String(order.amount) !== amount) {
          item.outcome = 'amount-mismatch';
          item.error = `AMT ${amount} fen differs from the expected ${String(order.amount).slice(0, 20)} fen`;
          return item;
        }
        let id: string;
        let run: () => unknown;
        if (family === 'payout') {
          if (!platformOrderId || amount === undefined) {
            item.error = 'payout.query answered PAYSTATE 1 without BSORDERNO or AMT';
            return item;
          }
          const event: PayoutPaidEvent = {
            type: 'paid',
            family: 'payout',
            merchantOrderId: text(body.ORDERNO) || order.merchantOrderId,
            platformOrderId,
            amount,
            body,
          };
          id = notificationId({
            family: 'payout' as EnvelopeFamily,
            merchantOrderId: event.merchantOrderId,
            platformOrderId,
          });
          run = () => options.onPayoutPaid!(event, info);
        } else {
          const event = paidEventFromQuery(family, operation, body, order.merchantOrderId);
          if (!event) {
            item.error = `${operation} answered paid without ${family === 'scan' ? 'ORDERNO' : 'LIST_ID'} or an integer AMT`;
            return item;
          }
          id = notificationId(event);
          run = () => onPaid(event, info);
        }
        try {
          const done = await once(id, run);
          item.outcome = done === 'ran' ? 'paid' : done === 'done' ? 'already-handled' : 'busy';
        } catch (error) {
          item.error =
            error instanceof MmspError
              ? `${error.name}: ${error.message}`
              : `the handler or the store threw${error instanceof Error ? ` ${error.name}` : ''}`;
        }
        return item;
      }
      if (state === 'failed' || state === 'closed' || state === 'refunded') {
        const failure: FailedOrder = {
          family,
          merchantOrderId: order.merchantOrderId,
          state,
          body,
          ...(platformOrderId ? { platformOrderId } : {}),
          ...(result.codes.errCode !== undefined ? { code: result.codes.errCode } : {}),
          ...(result.codes.errMsg !== undefined ? { message: result.codes.errMsg } : {}),
        };
        const onFailed = options.onFailed;
        if (onFailed) {
          try {
            await once(failureId(family, order.merchantOrderId), () => onFailed(failure, info));
          } catch (error) {
            item.error =
              error instanceof MmspError
                ? `${error.name}: ${error.message}`
                : `onFailed or the store threw${error instanceof Error ? ` ${error.name}` : ''}`;
            return item;
          }
        }
        item.outcome = 'failed';
        return item;
      }
      // pending, paying (scan STATUS 3, PAYSTATE 2), accepted (PAYSTATE 5): not final yet.
      item.outcome = 'pending';
      return item;
    };

    const count = (item: ReconcileItem) => {
      report.items.push(item);
      switch (item.outcome) {
        case 'paid':
          report.paid++;
          report.handled++;
          break;
        case 'already-handled':
          report.paid++;
          report.alreadyHandled++;
          break;
        case 'busy':
          report.stillPending++;
          break;
        case 'failed':
          report.failed++;
          break;
        case 'pending':
          report.stillPending++;
          break;
        case 'too-young':
          report.stillPending++;
          report.tooYoung++;
          break;
        case 'unknown':
          report.unknown++;
          break;
        case 'amount-mismatch':
          report.amountMismatch++;
          report.errors++;
          break;
        case 'error':
          report.errors++;
          break;
      }
    };

    const worker = async () => {
      for (;;) {
        if (flags.stop || consecutiveFailures >= maxFailures) {
          if (consecutiveFailures >= maxFailures) report.aborted = true;
          return;
        }
        const next = await source.next();
        if (next.done) return;
        count(await settle(next.value));
      }
    };
    try {
      await Promise.all(Array.from({ length: concurrency }, worker));
    } finally {
      await source.return(undefined);
    }
    report.durationMs = now() - started;
    return report;
  };

  /** One run at a time: a second call while a run is in progress shares it. */
  const runGuarded = (): Promise<ReconcileReport> => {
    if (running) return running;
    const flags = { stop: false };
    runFlags = flags;
    running = runReconciliation(flags).finally(() => {
      running = undefined;
      runFlags = undefined;
    });
    return running;
  };

  return {
    runOnce: runGuarded,
    start(intervalMs, onReport) {
      if (!Number.isFinite(intervalMs) || intervalMs < 100)
        throw new TypeError('reconciler.start: intervalMs must be a number ≥ 100');
      if (scheduled) return;
      scheduled = true;
      const mine = generation;
      const tick = () => {
        timer = undefined;
        runGuarded()
          .then(
            (report) => onReport?.(report),
            () => undefined,
          )
          .finally(() => {
            if (generation === mine) timer = setTimeout(tick, intervalMs);
          });
      };
      timer = setTimeout(tick, 0);
    },
    async stop() {
      generation++;
      scheduled = false;
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      if (runFlags) runFlags.stop = true;
      if (running) await running.catch(() => undefined);
    },
  };
}
