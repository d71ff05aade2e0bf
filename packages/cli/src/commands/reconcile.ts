// `mmsp reconcile`: the merchant's books against the platform's batch query (issue #16 item 4;
// 快捷 §5.9, 网关 §5.4). Prints every difference — paid on the platform but missing or unpaid in the
// file, amounts that differ, paid in the file but not on the platform (each confirmed by a single
// query) — and exits 1 when there is any. Only queries are sent.
import {
  createClient,
  MmspError,
  MmspTransportError,
  reconcileRange,
  type RangeDifference,
  type RangeProgress,
  type RangeReport,
} from '@mmsp/client';
import { nodeHttpTransport } from '@mmsp/http-node';
import { num, required, str, type Command, type CommandContext } from '../args.js';
import { CliError, EXIT_FAIL, EXIT_OK, oneLine } from '../errors.js';
import { readKey, readText, KEY_OPTIONS } from '../input.js';
import { parseOrders, type BookOrder } from '../reconcile/orders-file.js';

const NAME = 'mmsp reconcile';
const FAMILIES = ['quickPay', 'gateway'] as const;

const LABEL: Record<RangeDifference['kind'], string> = {
  missing: 'paid on the platform, missing in the file',
  'not-paid-in-books': 'paid on the platform, not paid in the file',
  'amount-differs': 'amounts differ',
  'not-paid-on-platform': 'paid in the file, not paid on the platform',
};

interface MerchantFile {
  merchantNo: string;
  terminalNo: string;
  key?: string;
  agentNo?: string;
  agentKey?: string;
  endpoints: Record<string, string>;
}

async function readMerchant(ctx: CommandContext, path: string): Promise<MerchantFile> {
  const { text } = await readText(ctx, NAME, path, '--merchant');
  let m: unknown;
  try {
    m = JSON.parse(text);
  } catch {
    throw new CliError(
      `${NAME}: --merchant ${JSON.stringify(path)} is not JSON (the shape of the sandbox's GET /_sandbox/merchant)`,
    );
  }
  const o = (m ?? {}) as Record<string, unknown>;
  for (const k of ['merchantNo', 'terminalNo'] as const) {
    if (typeof o[k] !== 'string' || o[k] === '') throw new CliError(`${NAME}: --merchant: ${k} is required (a string)`);
  }
  if (o.endpoints === null || typeof o.endpoints !== 'object')
    throw new CliError(`${NAME}: --merchant: endpoints is required ({ quickPay, gateway, … } URLs)`);
  if (o.key !== undefined && typeof o.key !== 'string') throw new CliError(`${NAME}: --merchant: key must be a string`);
  return o as unknown as MerchantFile;
}

function progressBar(ctx: CommandContext): ((p: RangeProgress) => void) | undefined {
  if (ctx.json || ctx.io.stderrIsTTY !== true) return undefined;
  return (p) => {
    const width = 24;
    const frac = p.total ? Math.min(1, p.done / p.total) : 0;
    const bar = '#'.repeat(Math.round(frac * width)).padEnd(width, ' ');
    const what =
      p.phase === 'batch' ? `batch page ${p.done}/${p.total ?? '?'}` : `confirming ${p.done}/${p.total ?? '?'} orders`;
    ctx.io.stderr(`\r[${bar}] ${what}   `);
    if (p.total !== undefined && p.done >= p.total) ctx.io.stderr('\n');
  };
}

function describe(d: RangeDifference): string {
  const parts = [`${LABEL[d.kind]}: ${d.merchantOrderId}`];
  if (d.platformAmount !== undefined) parts.push(`platform ${d.platformAmount} fen`);
  if (d.platformOrderId) parts.push(`LIST_ID ${d.platformOrderId}`);
  if (d.paidAt) parts.push(`paid ${d.paidAt}`);
  if (d.booksState !== undefined || d.booksAmount !== undefined)
    parts.push(
      `file ${[d.booksState, d.booksAmount !== undefined ? `${d.booksAmount} fen` : undefined].filter(Boolean).join(' ')}`,
    );
  if (d.platformState) parts.push(`platform state ${d.platformState}`);
  return parts.join(', ');
}

export const reconcileCommand: Command = {
  name: 'reconcile',
  summary: "compare your orders with the platform's batch query (quick pay, gateway) and list the differences",
  help: `Usage: mmsp reconcile --family quickPay|gateway --from YYYYMMDD --to YYYYMMDD --orders FILE --merchant FILE [options]

Walks the platform's batch query (quick pay §5.9, gateway §5.4: paid orders, the last 3 months)
over the period and compares it with your orders. Prints every difference:
  - paid on the platform, missing in the file
  - paid on the platform, not paid in the file
  - amounts that differ
  - paid in the file, not paid on the platform (confirmed by a single query each: an order paid
    outside the period is no difference)
Exit 0 when there is none, 1 when there is any (or the platform could not be reached), 64 for bad
input. Only queries are sent, never a payment.

  --family F         quickPay or gateway
  --from YYYYMMDD    first day (China time; YYYYMMDDHH for an hour)
  --to YYYYMMDD      last day, inclusive
  --orders FILE      CSV with the header merchantOrderId,amount,state (amount in fen; state paid,
                     pending, failed or closed), or a JSON array of such objects
  --merchant FILE    JSON { merchantNo, terminalNo, key, endpoints } (the sandbox's GET /_sandbox/merchant)
  --key KEY          the MD5 key, if merchant.json has none (or --key-file FILE, or MMSP_KEY)
  --per-page N       batch page size, 1..1000 (default 1000)
  --timeout MS       wait at most this long for each answer (default 10000)
  --json             print one JSON object: { family, from, to, platformPaid, ordersInFile, queries, differences }
  -h, --help         this text

Example:
  mmsp reconcile --family quickPay --from 20261101 --to 20261130 --orders orders.csv --merchant merchant.json
`,
  options: {
    ...KEY_OPTIONS,
    family: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    orders: { type: 'string' },
    merchant: { type: 'string' },
    'per-page': { type: 'string' },
    timeout: { type: 'string' },
    json: { type: 'boolean' },
  },
  maxPositionals: 0,
  async run(ctx) {
    const v = ctx.values;
    const family = required('reconcile', v, 'family', 'quickPay or gateway') as (typeof FAMILIES)[number];
    if (!FAMILIES.includes(family))
      throw new CliError(`${NAME}: --family must be quickPay or gateway (the families with a batch query)`);
    const from = required('reconcile', v, 'from', 'YYYYMMDD');
    const to = required('reconcile', v, 'to', 'YYYYMMDD');
    for (const [name, value] of [
      ['from', from],
      ['to', to],
    ] as const) {
      if (!/^\d{8}(\d{2})?$/.test(value))
        throw new CliError(`${NAME}: --${name} must be YYYYMMDD (or YYYYMMDDHH), China time`);
    }
    const ordersPath = required('reconcile', v, 'orders', 'a CSV or JSON file of your orders');
    const merchantPath = required('reconcile', v, 'merchant', 'merchant.json');
    const perPage = num('reconcile', v, 'per-page', 1000, { integer: true, positive: true });
    if (perPage > 1000) throw new CliError(`${NAME}: --per-page must be 1..1000 (PERPAGE, quick pay §5.9)`);
    const timeoutMs = num('reconcile', v, 'timeout', 10_000, { integer: true, positive: true });
    if (timeoutMs > 600_000) throw new CliError(`${NAME}: --timeout must be 1..600000 milliseconds`);
    const merchant = await readMerchant(ctx, merchantPath);
    const explicitKey =
      str(v, 'key') !== undefined || str(v, 'key-file') !== undefined
        ? await readKey(ctx, 'reconcile', 'key', 'MMSP_KEY')
        : undefined;
    const key = explicitKey ?? merchant.key ?? (await readKey(ctx, 'reconcile', 'key', 'MMSP_KEY'));
    if (key === undefined || key === '')
      throw new CliError(`${NAME}: the MD5 key is required: in merchant.json, --key KEY, --key-file FILE or MMSP_KEY`);
    const endpoint = merchant.endpoints[family];
    if (typeof endpoint !== 'string' || endpoint === '')
      throw new CliError(`${NAME}: --merchant: endpoints.${family} is required`);
    const books: BookOrder[] = parseOrders(
      NAME,
      (await readText(ctx, 'reconcile', ordersPath, '--orders')).text,
      ordersPath,
    );
    const byId = new Map(books.map((o) => [o.merchantOrderId, o]));

    let report: RangeReport;
    // @mmsp/http-node's node:http transport (the CLI runs on Node); each answer's deadline is the
    // client's `timeoutMs` (`--timeout`), and the run's signal (Ctrl-C) reaches every request
    // through `reconcileRange`.
    const transport = nodeHttpTransport();
    try {
      const client = createClient({
        merchantNo: merchant.merchantNo,
        terminalNo: merchant.terminalNo,
        key,
        ...(merchant.agentNo !== undefined && merchant.agentKey !== undefined
          ? { agentNo: merchant.agentNo, agentKey: merchant.agentKey }
          : {}),
        endpoints: { [family]: endpoint },
        transport,
        timeoutMs,
        logger: { debug() {}, info() {}, warn() {}, error() {} },
      });
      const onProgress = progressBar(ctx);
      report = await reconcileRange({
        client,
        family,
        from,
        to,
        perPage,
        known: (id) => byId.get(id),
        paidInBooks: books.filter((o) => o.state === 'paid'),
        ...(onProgress ? { onProgress } : {}),
        ...(ctx.io.signal ? { signal: ctx.io.signal } : {}),
      });
    } catch (err) {
      // Only queries were sent: stopping leaves nothing unknown, only an incomplete comparison.
      if (ctx.io.signal?.aborted)
        throw new CliError(`${NAME}: stopped (interrupted) before the comparison was complete`, EXIT_FAIL);
      if (err instanceof MmspTransportError)
        throw new CliError(`${NAME}: the platform could not be reached: ${oneLine(err.message)}`, EXIT_FAIL);
      if (err instanceof MmspError)
        throw new CliError(
          `${NAME}: ${oneLine(err.message)}`,
          err.name === 'MmspValidationError' || err.name === 'MmspConfigError' ? undefined : EXIT_FAIL,
        );
      throw err;
    } finally {
      transport.close();
    }
    const d = report.differences;
    const counts = Object.fromEntries(
      (Object.keys(LABEL) as Array<RangeDifference['kind']>).map((k) => [k, d.filter((x) => x.kind === k).length]),
    );
    if (ctx.json) {
      ctx.io.stdout(
        `${JSON.stringify({ family, from: report.from, to: report.to, platformPaid: report.platformPaid, ordersInFile: books.length, pages: report.pages, queries: report.queries, counts, differences: d })}\n`,
      );
    } else {
      ctx.io.stdout(
        `${family} ${report.from}..${report.to}: ${report.platformPaid} paid on the platform, ${books.length} orders in ${ordersPath} (${report.queries} queries)\n`,
      );
      for (const x of d) ctx.io.stdout(`  ${describe(x)}\n`);
      ctx.io.stdout(
        d.length === 0
          ? 'no differences\n'
          : `${d.length} difference${d.length === 1 ? '' : 's'}: ${Object.entries(counts)
              .filter(([, n]) => n > 0)
              .map(([k, n]) => `${n} ${LABEL[k as RangeDifference['kind']]}`)
              .join('; ')}\n`,
      );
    }
    return d.length === 0 ? EXIT_OK : EXIT_FAIL;
  },
};
