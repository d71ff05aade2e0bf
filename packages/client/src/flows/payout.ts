/**
 * Payouts: never resend a payout whose outcome is unknown (issue #3; PROTOCOL §6; 代付 §6.2 注 2).
 * `RETCODE` 0001 (and the other "unknown" codes), 1008 (duplicate number), a transport failure
 * after the request may have left, or a response that cannot be read all lead to `payout.query`
 * by `ORDERNO`. The client also remembers every ORDERNO it has sent: asking it to pay the same
 * ORDERNO again queries instead of sending a second payout.
 */
import { MmspBusinessError, MmspTransportError } from '@mmsp/codec';
import type { CallOptions, Engine } from '../engine.js';
import type { SafeLogger } from '../logger.js';
import type { MmspResult } from '../result.js';
import { pollUntilFinal } from './poll.js';
import { isDocumentedRefusal, settleByQuery } from './settle.js';
import { orderRef, type ResultRef } from './ref.js';

/** How a `waitForFinal` flow polls: its deadline, its interval and its cancellation. */
export interface WaitOptions {
  /** Give up polling after this many milliseconds (default 60 000). */
  deadlineMs?: number;
  /** First poll interval; grows ×1.5 up to `maxIntervalMs` (defaults 1 000 / 10 000; `scan.waitForFinal` starts at 2 000). */
  intervalMs?: number;
  /** The longest poll interval. */
  maxIntervalMs?: number;
  /** Stops polling (the sleep and the query in flight). */
  signal?: AbortSignal;
}

/** The end of a `waitForFinal` flow: the last query's result, and whether its state is final. */
export interface WaitResult {
  /** True when the state is final; false when the deadline passed first. */
  final: boolean;
  /** The last query's result (`result.state`: `paid`, `failed`… or still `paying`). */
  result: MmspResult;
}

const SENT_MEMORY = 100_000;

export function createPayoutFlows(engine: Engine, logger: SafeLogger) {
  const sent = new Set<string>();
  /** ORDERNOs the platform refused for good (nothing carried out): a repeat says so instead of querying. */
  const refused = new Map<string, MmspBusinessError>();
  const remember = (orderNo: string) => {
    sent.add(orderNo);
    if (sent.size > SENT_MEMORY) {
      const oldest = sent.values().next().value as string;
      sent.delete(oldest);
      refused.delete(oldest);
    }
  };

  /**
   * Queries `ORDERNO` until the platform gives a readable answer with a state (RETCODE 0000 and a
   * documented PAYSTATE), with backoff, until the deadline; then `MmspOutcomeUnknownError`. An
   * unreadable answer (garbled ENCRYPT, bad SIGN, an HTML page) is like a lost one (issue #13).
   */
  const settle = (orderNo: string, options: CallOptions = {}, why = 'the payout was sent earlier by this client', cause?: unknown): Promise<MmspResult> =>
    settleByQuery(engine, { operation: 'payout.pay', merchantOrderId: orderNo, query: 'payout.query', queryBody: { ORDERNO: orderNo }, reason: why, cause, options });

  /** Payouts of this client in flight, by ORDERNO: a concurrent pay of the same number waits, then queries. */
  const inFlight = new Map<string, Promise<unknown>>();

  const pay = async (body: Record<string, unknown>, options: CallOptions = {}): Promise<MmspResult> => {
    const orderNo = typeof body?.ORDERNO === 'string' ? body.ORDERNO : undefined;
    if (orderNo === undefined) return engine.call('payout.pay', body, options); // validation names the missing ORDERNO
    const running = inFlight.get(orderNo);
    if (running !== undefined || sent.has(orderNo)) {
      logger.warn(`payout.pay: ORDERNO ${orderNo} was already sent by this client; querying it instead of paying twice (docs/PROTOCOL.md §6)`, { ORDERNO: orderNo });
      await running?.catch(() => undefined);
      if (!sent.has(orderNo)) return pay(body, options); // the other attempt never left (validation, refused connection)
      const refusal = refused.get(orderNo);
      if (refusal) {
        throw new MmspBusinessError(`payout.pay: ORDERNO ${orderNo} was refused by the platform earlier (RETCODE ${refusal.platformCode}: ${refusal.meaning ?? ''}); nothing was paid. Send the corrected payout under a new ORDERNO.`, {
          platformCode: refusal.platformCode,
          ...(refusal.platformMessage !== undefined ? { platformMessage: refusal.platformMessage } : {}),
          ...(refusal.meaning !== undefined ? { meaning: refusal.meaning } : {}),
          body: { ORDERNO: orderNo },
        });
      }
      return settle(orderNo, options);
    }
    const attempt = send(orderNo, body, options);
    inFlight.set(orderNo, attempt);
    try {
      return await attempt;
    } finally {
      inFlight.delete(orderNo);
    }
  };

  const send = async (orderNo: string, body: Record<string, unknown>, options: CallOptions): Promise<MmspResult> => {
    let result: MmspResult;
    try {
      result = await engine.call('payout.pay', body, { ...options, beforeSend: () => remember(orderNo) });
    } catch (error) {
      if (!sent.has(orderNo)) throw error; // never sent (validation, config, sealing)
      if (error instanceof MmspTransportError && !error.mayHaveReachedPlatform) {
        sent.delete(orderNo); // the transport knows it never left: the merchant may send it again
        throw error;
      }
      if (isDocumentedRefusal('payout.pay', error)) {
        refused.set(orderNo, error as MmspBusinessError);
        throw error;
      }
      logger.warn(`payout.pay: outcome of ORDERNO ${orderNo} unknown (${(error as Error).name}); querying, never resending`, { ORDERNO: orderNo });
      return settle(orderNo, options, `the answer to payout.pay was lost, unreadable or "query it" (${(error as Error).name})`, error);
    }
    if (result.state === undefined) {
      logger.warn(`payout.pay: ORDERNO ${orderNo} answered a PAYSTATE the document does not list; querying, never resending`, { ORDERNO: orderNo });
      return settle(orderNo, options, `payout.pay answered a PAYSTATE the document does not list (${result.codes.status ?? 'none'})`);
    }
    return result;
  };

  /**
   * Polls `payout.query` while PAYSTATE is 2 (paying) or 5 (accepted, awaiting review) until 1 or 3.
   * Lost, unreadable or untrusted answers and "no such order yet" are polled through; when no
   * readable answer came before the deadline: `MmspOutcomeUnknownError` (issue #13).
   */
  const waitForFinal = async (input: { ORDERNO?: string; BSORDERNO?: string } | ResultRef, options: WaitOptions = {}): Promise<WaitResult> => {
    const ref = orderRef(input) as { ORDERNO?: string; BSORDERNO?: string };
    const query = { ...(ref.ORDERNO !== undefined ? { ORDERNO: ref.ORDERNO } : {}), ...(ref.BSORDERNO !== undefined ? { BSORDERNO: ref.BSORDERNO } : {}) };
    return pollUntilFinal(engine, {
      operation: 'payout.waitForFinal',
      merchantOrderId: ref.ORDERNO ?? ref.BSORDERNO,
      query: 'payout.query',
      queryBody: query,
      isFinal: (r) => r.state === 'paid' || r.state === 'failed',
      deadlineMs: options.deadlineMs ?? 60_000,
      intervalMs: options.intervalMs ?? 1_000,
      maxIntervalMs: options.maxIntervalMs ?? 10_000,
      ...(options.signal ? { signal: options.signal } : {}),
    });
  };

  return { pay, settle, waitForFinal, hasSent: (orderNo: string) => sent.has(orderNo) };
}
