/**
 * Money-moving operations end in exactly one of three ways (issue #13; PROTOCOL §5, §6):
 * a state the platform answered (final, or `accepted` / `paying` / `pending` with its next step),
 * a documented refusal (`MmspBusinessError` with the document's final code; `MmspProtocolError`
 * for the envelope's own refusal, 包头 RetCode 0, nothing carried out), or
 * `MmspOutcomeUnknownError`. Once the request may have reached the platform, a lost, unreadable or
 * untrusted answer, an undocumented state or a duplicate number is settled by querying the order
 * (with backoff) until a readable answer or the deadline — never by a resend.
 */
import {
  MmspBusinessError,
  MmspConfigError,
  MmspEncodingError,
  MmspError,
  MmspOutcomeUnknownError,
  MmspProtocolError,
  MmspSignatureError,
  MmspTransportError,
  MmspValidationError,
  negativeResponseCode,
  payoutRetCode,
  requiresQuery,
  type MmspRequestMeta,
  type OperationName,
} from '@mmsp/codec';
import type { CallOptions, Engine, EngineCallOptions } from '../engine.js';
import type { MmspResult } from '../result.js';
import { backoffDelay } from '../retry.js';
import { sendLedgerKey, type SendLedgerRecord } from '../send-ledger.js';
import { isDuplicateCode } from '../state.js';

/** How long a money-moving call keeps querying an unclear outcome before `MmspOutcomeUnknownError` (default). */
export const DEFAULT_SETTLE_DEADLINE_MS = 60_000;

/** The money-moving operations and the query that settles each (by the merchant's order number). */
export const MONEY_OPERATIONS: Readonly<Partial<Record<OperationName, { query: OperationName; key: string }>>> = {
  'payout.pay': { query: 'payout.query', key: 'ORDERNO' },
  'scan.wechatMicropay': { query: 'scan.query', key: 'MERORDERID' },
  'scan.alipayMicropay': { query: 'scan.query', key: 'MERORDERID' },
  'scan.qqMicropay': { query: 'scan.query', key: 'MERORDERID' },
  'scan.refund': { query: 'scan.refundQuery', key: 'REFUND_MERORDERID' },
  'quickPay.pay': { query: 'quickPay.query', key: 'MERORDERID' },
  'quickPay.confirmSms': { query: 'quickPay.query', key: 'MERORDERID' },
  'quickPay.boundPayConfirm': { query: 'quickPay.query', key: 'MERORDERID' },
  'quickPay.boundPaySms': { query: 'quickPay.query', key: 'MERORDERID' },
};

export function isMoneyOperation(name: string): boolean {
  return Object.prototype.hasOwnProperty.call(MONEY_OPERATIONS, name);
}

/** The negative response (CommandID 32768) or a RetCode other than 1: the envelope was refused, nothing carried out. */
function isRefusalEnvelope(error: MmspProtocolError): boolean {
  return error.commandId === 32768 || (error.retCode !== undefined && error.retCode !== '1');
}

/** Errors that cannot change by asking again (the local request itself is wrong). */
function deterministic(error: unknown): boolean {
  return error instanceof MmspValidationError || error instanceof MmspConfigError;
}

/** A query error that only says "not readable / not recorded yet / no answer": ask again. */
export function queryMayAnswerLater(error: unknown): boolean {
  if (error instanceof MmspTransportError || error instanceof MmspEncodingError || error instanceof MmspSignatureError)
    return true;
  if (error instanceof MmspBusinessError) {
    // Payout RETCODE: 0001 and the other "unknown" codes, 1028/1029 (not recorded yet).
    const outcome = payoutRetCode(error.platformCode).outcome;
    return requiresQuery(outcome) || outcome === 'not-found';
  }
  if (error instanceof MmspProtocolError) {
    if (!isRefusalEnvelope(error)) return true; // an answer we could not read (unexpected CommandID, no RetCode)
    // "[-2002] 没有该订单" right after placing the order may mean "not recorded yet"; RetCode 0
    // (消息结构体错误) or a negative answer without a code says nothing about the order.
    const known = negativeResponseCode(error.platformMessage ?? error.message);
    return known.outcome === 'not-found' || known.code === '' || known.code === '0';
  }
  return !deterministic(error);
}

function describe(error: unknown): string {
  return error instanceof MmspError
    ? `${error.name}: ${error.message.split('\n')[0]!.slice(0, 200)}`
    : String(error).slice(0, 200);
}

export interface SettleInput {
  operation: string;
  merchantOrderId: string | undefined;
  query: OperationName;
  queryBody: Record<string, unknown> | undefined;
  /** Why the outcome is unclear (for the message). */
  reason: string;
  cause?: unknown;
  lastKnownState?: string;
  options?: CallOptions & { settleDeadlineMs?: number };
  /** Which answers settle it; default: any answer with a state. */
  settles?: (result: MmspResult) => boolean;
  /** The unclear request's metadata, when no `cause` carries it (an undocumented state). */
  meta?: MmspRequestMeta;
}

/**
 * Queries until an answer with a state (or what `settles` accepts), with backoff and full jitter,
 * until the deadline; then `MmspOutcomeUnknownError`. Never throws anything else.
 */
export async function settleByQuery(engine: Engine, input: SettleInput): Promise<MmspResult> {
  const unknown = (reason: string, cause: unknown, lastKnownState: string | undefined) => {
    const error = new MmspOutcomeUnknownError({
      operation: input.operation,
      ...(input.merchantOrderId !== undefined ? { merchantOrderId: input.merchantOrderId } : {}),
      ...(lastKnownState !== undefined ? { lastKnownState } : {}),
      queryOperation: input.query,
      reason,
      cause,
    });
    // The metadata of the request whose outcome is unknown (issue #15), not of the queries after it.
    const meta = input.meta ?? (input.cause instanceof MmspError ? input.cause.meta : undefined);
    if (meta !== undefined) error.meta = meta;
    return error;
  };
  if (input.queryBody === undefined) {
    throw unknown(
      `${input.reason}; the request carries no order number to query by (${input.query} needs it)`,
      input.cause,
      input.lastKnownState,
    );
  }
  const options = input.options ?? {};
  const settles = input.settles ?? ((r: MmspResult) => r.state !== undefined);
  const deadline =
    engine.runtime.now().getTime() +
    (options.settleDeadlineMs ?? engine.settleDeadlineMs ?? DEFAULT_SETTLE_DEADLINE_MS);
  const policy = { attempts: 1_000, baseDelayMs: 500, maxDelayMs: 8_000 };
  let lastKnownState = input.lastKnownState;
  let last: unknown = input.cause;
  let queries = 0;
  try {
    for (let n = 0; ; n++) {
      if (n > 0) {
        if (engine.runtime.now().getTime() >= deadline) break;
        await engine.runtime.sleep(backoffDelay(policy, Math.min(n, 10), engine.runtime.random) + 250, options.signal);
      }
      queries++;
      try {
        const result = await engine.call(input.query, input.queryBody, {
          ...(options.signal ? { signal: options.signal } : {}),
          ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
        });
        if (settles(result)) return result;
        if (result.state !== undefined) lastKnownState = result.state;
        last = new Error(
          `${input.query} answered ${result.codes.status !== undefined ? `state ${result.codes.status}` : 'without a state'}`,
        );
      } catch (error) {
        last = error;
        if (!queryMayAnswerLater(error)) break;
      }
    }
  } catch (error) {
    // The caller's signal, a throwing clock or sleep: the outcome is still unknown.
    last = error;
  }
  throw unknown(
    `${input.reason}; ${queries} quer${queries === 1 ? 'y' : 'ies'} gave no readable answer with a state (last: ${describe(last)})`,
    last,
    lastKnownState,
  );
}

/** Whether an error from a money-moving request is a documented refusal (nothing carried out). */
export function isDocumentedRefusal(operation: string, error: unknown): boolean {
  if (error instanceof MmspProtocolError) return isRefusalEnvelope(error);
  if (!(error instanceof MmspBusinessError)) return false;
  if (operation === 'payout.pay') {
    const outcome = payoutRetCode(error.platformCode).outcome;
    return outcome === 'failed' || outcome === 'config';
  }
  return !isDuplicateCode(error.platformCode);
}

/** A request the send ledger already holds: answered from the ledger (a refusal) or by a query, never sent. */
class HeldByLedger extends Error {
  constructor(readonly record: SendLedgerRecord) {
    super('held by the send ledger');
  }
}

/**
 * Operations whose documented refusal invites the same request again: a wrong SMS code leaves the
 * order pending and the platform accepts the right code afterwards (issue #13 item 3), so the
 * ledger forgets a refused confirm instead of answering every later one with the refusal.
 */
const SENDABLE_AGAIN_AFTER_REFUSAL: ReadonlySet<string> = new Set(['quickPay.confirmSms', 'quickPay.boundPayConfirm']);

/** The order number the send ledger keys a request by: the settling number; SMS confirm carries only `LIST_ID`. */
function ledgerOrderNo(
  name: OperationName,
  body: Record<string, unknown>,
  merchantOrderId: string | undefined,
): { field: string; value: string } | undefined {
  const field = name === 'quickPay.confirmSms' ? 'LIST_ID' : MONEY_OPERATIONS[name]!.key;
  const own = body !== null && typeof body === 'object' ? body[field] : undefined;
  if (typeof own === 'string' && own !== '') return { field, value: own };
  if (typeof own === 'number' && Number.isSafeInteger(own)) return { field, value: String(own) };
  return field === MONEY_OPERATIONS[name]!.key && merchantOrderId !== undefined
    ? { field, value: merchantOrderId }
    : undefined;
}

/**
 * One money-moving request: sent at most once; an unclear outcome is settled by a query.
 * `queryBody` defaults to `{ [key]: body[key] }` from the catalogue table above.
 *
 * The send ledger (issue #13 item 4): just before the request leaves (after validation and sealing),
 * `(merchant, operation, order number)` is reserved atomically. When the ledger already holds it —
 * sent by this client, another instance, or before a restart — nothing is sent: a remembered
 * refusal is answered as such, anything else is settled by querying the order. The entry is
 * forgotten only when the transport knows the request never left (`mayHaveReachedPlatform: false`)
 * or when the platform's refusal invites the same request again (a wrong SMS code). Within one
 * client, a repeat that arrives while the first is in flight waits for it first.
 */
export async function moneyCall(
  engine: Engine,
  name: OperationName,
  body: Record<string, unknown>,
  options: EngineCallOptions & { settleDeadlineMs?: number } = {},
  extra: { merchantOrderId?: string; queryBody?: Record<string, unknown> } = {},
): Promise<MmspResult> {
  const money = MONEY_OPERATIONS[name];
  if (money === undefined) return engine.call(name, body, options);
  const own = body !== null && typeof body === 'object' ? (body as Record<string, unknown>)[money.key] : undefined;
  const merchantOrderId = extra.merchantOrderId ?? (typeof own === 'string' && own !== '' ? own : undefined);
  const orderNo = ledgerOrderNo(name, body, merchantOrderId);
  // No order number: validation refuses the request before anything is sent or reserved.
  if (orderNo === undefined) return sendOnce(engine, name, body, options, extra, undefined);
  const key = sendLedgerKey(engine.merchantNo, name, orderNo.value);
  const running = engine.inFlight.get(key);
  if (running !== undefined) {
    engine.logger.warn(
      `${name}: ${orderNo.field} ${orderNo.value} is being sent by this client; waiting for it, then querying instead of sending it twice`,
      { operation: name, [orderNo.field]: orderNo.value },
    );
    await running.catch(() => undefined);
    return moneyCall(engine, name, body, options, extra);
  }
  const attempt = sendOnce(engine, name, body, options, extra, { key, ...orderNo });
  engine.inFlight.set(key, attempt);
  try {
    return await attempt;
  } finally {
    if (engine.inFlight.get(key) === attempt) engine.inFlight.delete(key);
  }
}

async function sendOnce(
  engine: Engine,
  name: OperationName,
  body: Record<string, unknown>,
  options: EngineCallOptions & { settleDeadlineMs?: number },
  extra: { merchantOrderId?: string; queryBody?: Record<string, unknown> },
  ledger: { key: string; field: string; value: string } | undefined,
): Promise<MmspResult> {
  const money = MONEY_OPERATIONS[name]!;
  const own = body !== null && typeof body === 'object' ? (body as Record<string, unknown>)[money.key] : undefined;
  const merchantOrderId = extra.merchantOrderId ?? (typeof own === 'string' && own !== '' ? own : undefined);
  const queryBody = extra.queryBody ?? (merchantOrderId !== undefined ? { [money.key]: merchantOrderId } : undefined);
  const settle = (reason: string, cause: unknown, lastKnownState?: string) =>
    settleByQuery(engine, {
      operation: name,
      merchantOrderId,
      query: money.query,
      queryBody,
      reason,
      cause,
      ...(lastKnownState !== undefined ? { lastKnownState } : {}),
      options,
    });
  /** The ledger's own failures after the request left are logged, never thrown: the outcome matters more. */
  const quietly = async (what: string, act: () => unknown) => {
    try {
      await act();
    } catch (error) {
      engine.logger.warn(
        `${name}: the send ledger failed to ${what} ${ledger!.field} ${ledger!.value} (${describe(error)})`,
        { operation: name },
      );
    }
  };
  let sent = false;
  let result: MmspResult;
  try {
    result = await engine.call(name, body, {
      ...options,
      beforeSend: async () => {
        if (ledger !== undefined) {
          const held = await engine.sendLedger.reserve(ledger.key, { sentAt: engine.runtime.now().getTime() });
          if (held !== undefined) throw new HeldByLedger(held);
        }
        sent = true;
        await options.beforeSend?.();
      },
    });
  } catch (error) {
    if (error instanceof HeldByLedger && ledger !== undefined) {
      const refused = error.record.refused;
      if (refused !== undefined) {
        throw new MmspBusinessError(
          `${name}: ${ledger.field} ${ledger.value} was refused by the platform earlier (${refused.platformCode}${refused.meaning ? `: ${refused.meaning}` : ''}); nothing was carried out. Send the corrected request under a new ${ledger.field}.`,
          {
            platformCode: refused.platformCode,
            ...(refused.platformMessage !== undefined ? { platformMessage: refused.platformMessage } : {}),
            ...(refused.meaning !== undefined ? { meaning: refused.meaning } : {}),
            body: { [ledger.field]: ledger.value },
          },
        );
      }
      engine.logger.warn(
        `${name}: ${ledger.field} ${ledger.value} was sent before (the send ledger holds it); querying it instead of sending it twice`,
        { operation: name, [ledger.field]: ledger.value },
      );
      return settle(
        `${name} ${ledger.field} ${ledger.value} was sent before (by this client, another instance or before a restart: the send ledger holds it); it is queried, never sent again`,
        undefined,
      );
    }
    if (!sent) throw error; // never left: validation, configuration, sealing, the ledger itself
    if (error instanceof MmspTransportError && !error.mayHaveReachedPlatform) {
      if (ledger !== undefined) await quietly('forget', () => engine.sendLedger.forget(ledger.key)); // the merchant may send it again
      throw error;
    }
    if (isDocumentedRefusal(name, error)) {
      if (ledger !== undefined) {
        if (error instanceof MmspBusinessError && !SENDABLE_AGAIN_AFTER_REFUSAL.has(name)) {
          const refused = {
            platformCode: error.platformCode,
            ...(error.meaning !== undefined ? { meaning: error.meaning } : {}),
            ...(error.platformMessage !== undefined ? { platformMessage: error.platformMessage } : {}),
          };
          await quietly('record the refusal of', () =>
            engine.sendLedger.update(ledger.key, { sentAt: engine.runtime.now().getTime(), refused }),
          );
        } else {
          // The envelope refused (nothing carried out, nothing about the order), or a wrong SMS code.
          await quietly('forget', () => engine.sendLedger.forget(ledger.key));
        }
      }
      throw error;
    }
    // The order number in the line and as a field: what an operator searches the logs for.
    engine.logger.warn(
      `${name}: outcome${ledger !== undefined ? ` of ${ledger.field} ${ledger.value}` : ''} unknown (${(error as Error)?.name ?? 'error'}); querying, never resending`,
      ledger !== undefined ? { operation: name, [ledger.field]: ledger.value } : { operation: name },
    );
    return settle(
      `the answer to ${name} was ${error instanceof MmspTransportError ? 'lost' : error instanceof MmspBusinessError ? `"${error.platformCode}" (query, never resend)` : 'unreadable or untrusted'} (${describe(error)})`,
      error,
    );
  }
  if (result.state === undefined) {
    return settleByQuery(engine, {
      operation: name,
      merchantOrderId,
      query: money.query,
      queryBody,
      reason: `${name} answered a state the document does not list (${result.codes.status ?? 'none'})`,
      meta: result.meta,
      options,
    });
  }
  return result;
}
