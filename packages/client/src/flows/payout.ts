/**
 * Payouts: never resend a payout whose outcome is unknown (issue #3; PROTOCOL §6; 代付 §6.2 注 2).
 * `RETCODE` 0001 (and the other "unknown" codes), 1008 (duplicate number), a transport failure
 * after the request may have left, or a response that cannot be read all lead to `payout.query`
 * by `ORDERNO`. The client also remembers every ORDERNO it has sent: asking it to pay the same
 * ORDERNO again queries instead of sending a second payout.
 */
import {
  MmspBusinessError,
  MmspEncodingError,
  MmspError,
  MmspSignatureError,
  MmspTransportError,
  payoutRetCode,
  requiresQuery,
} from '@mmsp/codec';
import type { CallOptions, Engine } from '../engine.js';
import type { SafeLogger } from '../logger.js';
import type { MmspResult } from '../result.js';
import { backoffDelay } from '../retry.js';
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

  /** Whether an error leaves the payout's outcome unknown (so: query, never resend). */
  const outcomeUnknown = (error: unknown): boolean => {
    if (error instanceof MmspTransportError) return error.mayHaveReachedPlatform;
    if (error instanceof MmspBusinessError) return requiresQuery(payoutRetCode(error.platformCode).outcome);
    // The platform answered but we could not read or trust the answer: it may have paid.
    return error instanceof MmspSignatureError || error instanceof MmspEncodingError;
  };

  /** Queries `ORDERNO` until the platform gives a readable answer (RETCODE 0000), with backoff. */
  const settle = async (orderNo: string, options: CallOptions = {}, attempts = 5): Promise<MmspResult> => {
    let last: unknown;
    for (let n = 0; n < attempts; n++) {
      if (n > 0) await engine.runtime.sleep(backoffDelay({ attempts, baseDelayMs: 500, maxDelayMs: 8_000 }, n, engine.runtime.random) + 250, options.signal);
      try {
        return await engine.call('payout.query', { ORDERNO: orderNo }, options);
      } catch (error) {
        last = error;
        const code = error instanceof MmspBusinessError ? payoutRetCode(error.platformCode).outcome : undefined;
        // Keep asking while the answer is "unknown" or "not found yet" (the platform may still be recording it).
        if (error instanceof MmspTransportError || code === 'unknown-query' || code === 'duplicate-query' || code === 'not-found') continue;
        throw error;
      }
    }
    const detail = last instanceof MmspError ? `${last.name}: ${last.message}` : String(last);
    throw new MmspBusinessError(`payout ${orderNo}: the outcome is still unknown after ${attempts} queries (${detail}); query it again later with payout.query, never resend it`, {
      platformCode: last instanceof MmspBusinessError ? last.platformCode : '0001',
      meaning: 'outcome unknown: query by ORDERNO, never resend (代付 §6.2 注 2)',
      body: { ORDERNO: orderNo },
    });
  };

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
    try {
      return await engine.call('payout.pay', body, { ...options, beforeSend: () => remember(orderNo) });
    } catch (error) {
      if (!sent.has(orderNo)) throw error; // never sent (validation, config, sealing)
      if (error instanceof MmspTransportError && !error.mayHaveReachedPlatform) {
        sent.delete(orderNo); // the transport knows it never left: the merchant may send it again
        throw error;
      }
      if (!outcomeUnknown(error)) {
        const outcome = error instanceof MmspBusinessError ? payoutRetCode(error.platformCode).outcome : undefined;
        if (error instanceof MmspBusinessError && (outcome === 'failed' || outcome === 'config')) refused.set(orderNo, error);
        throw error;
      }
      logger.warn(`payout.pay: outcome of ORDERNO ${orderNo} unknown (${(error as Error).name}); querying, never resending`, { ORDERNO: orderNo });
      return settle(orderNo, options);
    }
  };

  /** Polls `payout.query` while PAYSTATE is 2 (paying) or 5 (accepted, awaiting review) until 1 or 3. */
  const waitForFinal = async (input: { ORDERNO?: string; BSORDERNO?: string } | ResultRef, options: WaitOptions = {}): Promise<WaitResult> => {
    const ref = orderRef(input) as { ORDERNO?: string; BSORDERNO?: string };
    const deadline = engine.runtime.now().getTime() + (options.deadlineMs ?? 60_000);
    let interval = options.intervalMs ?? 1_000;
    const query = { ...(ref.ORDERNO !== undefined ? { ORDERNO: ref.ORDERNO } : {}), ...(ref.BSORDERNO !== undefined ? { BSORDERNO: ref.BSORDERNO } : {}) };
    for (;;) {
      let result: MmspResult | undefined;
      try {
        result = await engine.call('payout.query', query, options.signal ? { signal: options.signal } : {});
      } catch (error) {
        const outcome = error instanceof MmspBusinessError ? payoutRetCode(error.platformCode).outcome : undefined;
        if (!(error instanceof MmspTransportError) && outcome !== 'unknown-query') throw error;
      }
      if (result && (result.state === 'paid' || result.state === 'failed')) return { final: true, result };
      const now = engine.runtime.now().getTime();
      if (now + interval > deadline) {
        if (result) return { final: false, result };
        // No readable answer at all before the deadline: one last query, errors propagate.
        return { final: false, result: await engine.call('payout.query', query, options.signal ? { signal: options.signal } : {}) };
      }
      await engine.runtime.sleep(interval, options.signal);
      interval = Math.min(Math.ceil(interval * 1.5), options.maxIntervalMs ?? 10_000);
    }
  };

  return { pay, settle, waitForFinal, hasSent: (orderNo: string) => sent.has(orderNo) };
}
