// The books `mmsp reconcile` compares with the platform: a CSV with the header
// `merchantOrderId,amount,state` (amount in integer fen; state paid, pending, failed or closed) or a
// JSON array of objects with the same names. Problems name the line (CSV) or the index (JSON),
// never more of the file than the order id.
import { CliError } from '../errors.js';

export type BookState = 'paid' | 'pending' | 'failed' | 'closed';
export interface BookOrder {
  merchantOrderId: string;
  amount: string;
  state: BookState;
}

const STATES: readonly BookState[] = ['paid', 'pending', 'failed', 'closed'];
const FEN = /^(0|[1-9]\d{0,17})$/;

/** One CSV line into fields: commas, double-quoted fields with "" for a quote (RFC 4180, one line per record). */
function csvFields(line: string): string[] | undefined {
  const out: string[] = [];
  let i = 0;
  for (;;) {
    if (line[i] === '"') {
      let v = '';
      i++;
      for (;;) {
        if (i >= line.length) return undefined;
        if (line[i] === '"') {
          if (line[i + 1] === '"') {
            v += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        v += line[i++];
      }
      out.push(v);
      if (i < line.length && line[i] !== ',') return undefined;
    } else {
      const end = line.indexOf(',', i);
      out.push((end < 0 ? line.slice(i) : line.slice(i, end)).trim());
      i = end < 0 ? line.length : end;
    }
    if (i >= line.length) return out;
    i++; // the comma
  }
}

function check(command: string, where: string, o: Record<string, unknown>): BookOrder {
  const id = o.merchantOrderId;
  if (typeof id !== 'string' || id.trim() === '')
    throw new CliError(`${command}: ${where}: merchantOrderId is missing`);
  const amount = typeof o.amount === 'number' && Number.isSafeInteger(o.amount) ? String(o.amount) : o.amount;
  if (typeof amount !== 'string' || !FEN.test(amount.trim()))
    throw new CliError(`${command}: ${where} (${id.slice(0, 32)}): amount must be integer fen, e.g. 100 for 1.00 yuan`);
  const state = typeof o.state === 'string' ? o.state.trim().toLowerCase() : '';
  if (!STATES.includes(state as BookState))
    throw new CliError(`${command}: ${where} (${id.slice(0, 32)}): state must be one of ${STATES.join(', ')}`);
  return { merchantOrderId: id.trim(), amount: amount.trim(), state: state as BookState };
}

/** Reads the books from the file's text (CSV or JSON, told apart by the first character). */
export function parseOrders(command: string, text: string, name: string): BookOrder[] {
  const trimmed = text.replace(/^\uFEFF/, '').trimStart();
  const orders: BookOrder[] = [];
  if (trimmed.startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch {
      throw new CliError(
        `${command}: ${name} is not valid JSON (expected an array of { merchantOrderId, amount, state })`,
      );
    }
    if (!Array.isArray(parsed)) throw new CliError(`${command}: ${name}: expected a JSON array`);
    parsed.forEach((o, i) => {
      if (o === null || typeof o !== 'object' || Array.isArray(o))
        throw new CliError(`${command}: ${name} [${i}]: expected an object { merchantOrderId, amount, state }`);
      orders.push(check(command, `${name} [${i}]`, o as Record<string, unknown>));
    });
  } else {
    const lines = trimmed.split(/\r?\n/);
    const header = csvFields(lines[0] ?? '')?.map((h) => h.trim());
    const col = (n: string) => header?.indexOf(n) ?? -1;
    if (!header || col('merchantOrderId') < 0 || col('amount') < 0 || col('state') < 0) {
      throw new CliError(
        `${command}: ${name}: the CSV header must name merchantOrderId,amount,state (or give a JSON array)`,
      );
    }
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i]!;
      if (line.trim() === '') continue;
      const f = csvFields(line);
      if (!f) throw new CliError(`${command}: ${name} line ${i + 1}: unbalanced quotes`);
      orders.push(
        check(command, `${name} line ${i + 1}`, {
          merchantOrderId: f[col('merchantOrderId')],
          amount: f[col('amount')],
          state: f[col('state')],
        }),
      );
    }
  }
  const seen = new Set<string>();
  for (const o of orders) {
    if (seen.has(o.merchantOrderId))
      throw new CliError(`${command}: ${name}: order ${o.merchantOrderId.slice(0, 32)} appears twice`);
    seen.add(o.merchantOrderId);
  }
  return orders;
}
