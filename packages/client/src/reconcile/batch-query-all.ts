// `client.quickPay.batchQueryAll` / `client.gateway.batchQueryAll` (issue #16 item 1): every record
// of a batch query, page after page (documented on `batchQueryAll` below).
import { MmspProtocolError, MmspValidationError, validateRequest, type OperationName } from '@mmsp/codec';
import type { CallOptions } from '../engine.js';
import type { MmspResult } from '../result.js';

/**
 * The families that have a batch query listing their paid orders: quick pay (`quickPay.batchQuery`,
 * 快捷 §5.9) and the gateway (`gateway.batchQuery`, 网关 §5.4); scan code and payout have none
 * (PROTOCOL §7.5, §10).
 */
export type BatchFamily = 'quickPay' | 'gateway';

/**
 * The batch query's own wire fields without `PAGE` (the iterator sets it). The platform lists only
 * paid orders of a window that reaches back at most 3 months from now, China time (PROTOCOL §7.5).
 */
export interface BatchQueryAllInput {
  /** `YYYYMMDDHH` (the table) or `YYYYMMDD` (the example), China time. */
  START_DATE: string;
  /** Last day (or hour) of the window, same format; not before `START_DATE` (PROTOCOL §7.5). */
  END_DATE: string;
  /** Records per page, 1..1000 as a string; default `'1000'`. */
  PERPAGE?: string;
  [field: string]: unknown;
}

/** One row of `BIZ_CONTENT`, with the document's wire names (`STATUS`, `LIST_ID`, `MERORDERID`, `AMT`, `PAY_DATE`…). */
export type BatchRecord = Record<string, unknown>;

/** One page of a batch query as it was read: what `onPage` receives (PROTOCOL §7.5). */
export interface BatchPageInfo {
  /** The family whose batch query was read. */
  family: BatchFamily;
  /** 1-based page just read. */
  page: number;
  /** `TOTAL_PAGE` as the platform answered (undefined when it did not say). */
  totalPages: number | undefined;
  /** `TOTAL_NUM`. */
  totalRecords: number | undefined;
  /** Rows on this page. */
  records: number;
}

/** Options of `batchQueryAll`: the per-call options of every page's request, and a page callback. */
export interface BatchQueryAllOptions extends CallOptions {
  /** Called after each page, before its records are yielded (progress bars, request counts). */
  onPage?: (info: BatchPageInfo) => void;
}

type Call = (operation: OperationName, body: Record<string, unknown>, options?: CallOptions) => Promise<unknown>;

function count(v: unknown): number | undefined {
  const s = typeof v === 'number' ? String(v) : typeof v === 'string' ? v.trim() : undefined;
  return s !== undefined && /^\d{1,15}$/.test(s) ? Number(s) : undefined;
}

/** BIZ_CONTENT as rows: a list, an object of rows keyed "0".."n-1", or one row sent as an object (网关 §5.4 example). */
export function batchRows(value: unknown): BatchRecord[] {
  if (Array.isArray(value))
    return value.filter((r): r is BatchRecord => r !== null && typeof r === 'object' && !Array.isArray(r));
  if (value === null || typeof value !== 'object') return [];
  const o = value as Record<string, unknown>;
  const values = Object.values(o);
  if (values.length > 0 && values.every((r) => r !== null && typeof r === 'object' && !Array.isArray(r)))
    return values as BatchRecord[];
  return Object.keys(o).length > 0 ? [o] : [];
}

function text(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  return undefined;
}

/** The identity of a row for de-duplication across pages: LIST_ID (also spelled "LIST ID"), else MERORDERID. */
function rowKey(row: BatchRecord): string | undefined {
  const list = text(row.LIST_ID) ?? text(row['LIST ID']);
  if (list) return `L:${list}`;
  const mer = text(row.MERORDERID);
  return mer ? `M:${mer}` : undefined;
}

/** Checks the input the way the first page will be sent; throws `MmspValidationError` listing every issue. */
export function checkBatchInput(family: BatchFamily, input: BatchQueryAllInput, now?: Date): Record<string, unknown> {
  const operation = `${family}.batchQuery` as OperationName;
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new MmspValidationError(
      [
        {
          field: 'body',
          rule: 'type',
          message: `${family}.batchQueryAll: the input must be an object { START_DATE, END_DATE, PERPAGE? }`,
        },
      ],
      operation,
    );
  }
  if (Object.prototype.hasOwnProperty.call(input, 'PAGE')) {
    throw new MmspValidationError(
      [
        {
          field: 'PAGE',
          rule: 'forbidden',
          message: `${family}.batchQueryAll sets PAGE itself (1, 2, …); leave it out (use ${family}.batchQuery for one page)`,
        },
      ],
      operation,
    );
  }
  const body: Record<string, unknown> = { ...input, PERPAGE: input.PERPAGE ?? '1000', PAGE: '1' };
  const issues = validateRequest(operation, body, now ? { now } : {});
  if (issues.length > 0) throw new MmspValidationError(issues, operation);
  return body;
}

/**
 * Every record of a batch query (快捷 §5.9, 网关 §5.4), page after page, as an `AsyncIterable`:
 * what `client.quickPay.batchQueryAll(input)` and `client.gateway.batchQueryAll(input)` return
 * (issue #16 item 1).
 *
 * The document's rules are enforced before anything is sent (PROTOCOL §7.5): only paid orders are
 * listed, `PERPAGE` ≤ 1000 (default here: 1000, the fewest requests), `START_DATE` within the last
 * 3 months (China time) and `END_DATE` not before it; pages count from 1 and `TOTAL_PAGE` says how
 * many there are; "no data" is `STATUS 0`. Pages are fetched lazily: breaking out of a `for await`
 * loop sends no further request. A record seen on an earlier page (a page boundary that moved
 * while paging) is yielded once; a page that repeats only earlier records stops the loop with
 * `MmspProtocolError` rather than paging forever.
 */
export function batchQueryAll(
  call: Call,
  family: BatchFamily,
  input: BatchQueryAllInput,
  options: BatchQueryAllOptions = {},
): AsyncIterable<BatchRecord> {
  // Checked now, before any request: a wrong window or PERPAGE fails at the call, not mid-loop.
  const first = checkBatchInput(family, input);
  const operation = `${family}.batchQuery` as OperationName;
  const { onPage, ...callOptions } = options;
  return {
    async *[Symbol.asyncIterator]() {
      const seen = new Set<string>();
      const perPage = Number(first.PERPAGE);
      for (let page = 1; ; page++) {
        const result = (await call(operation, { ...first, PAGE: String(page) }, callOptions)) as MmspResult;
        const body = result.body;
        const rows = text(body.STATUS)?.trim() === '1' ? batchRows(body.BIZ_CONTENT) : [];
        const totalPages = count(body.TOTAL_PAGE);
        onPage?.({ family, page, totalPages, totalRecords: count(body.TOTAL_NUM), records: rows.length });
        let fresh = 0;
        for (const row of rows) {
          const key = rowKey(row);
          if (key !== undefined) {
            if (seen.has(key)) continue;
            seen.add(key);
          }
          fresh++;
          yield row;
        }
        if (rows.length === 0) return;
        if (totalPages !== undefined ? page >= totalPages : rows.length < perPage) return;
        if (fresh === 0) {
          throw new MmspProtocolError(
            `${operation}: page ${page} repeated only records of earlier pages (PAGE ignored?); stopped to avoid an endless loop`,
          );
        }
      }
    },
  };
}
