/**
 * Payouts: never resend a payout whose outcome is unknown (issue #3; PROTOCOL §6; 代付 §6.2 注 2).
 * `RETCODE` 0001 (and the other "unknown" codes), 1008 (duplicate number), a transport failure
 * after the request may have left, or a response that cannot be read all lead to `payout.query`
 * by `ORDERNO`. The send ledger remembers every ORDERNO sent (by this client, another instance,
 * or before a restart, with a shared ledger): asking to pay the same ORDERNO again queries instead
 * of sending a second payout (issue #13 item 4).
 */
import type { CallOptions, Engine } from '../engine.js';
import type { MmspResult } from '../result.js';
import { pollUntilFinal } from './poll.js';
import { moneyCall } from './settle.js';
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

export function createPayoutFlows(engine: Engine) {
  /**
   * payout.pay through the send ledger (issue #13 item 4): an ORDERNO the ledger holds — sent by this
   * client, another instance or before a restart — is queried, never paid twice; one the platform
   * refused for good is answered with that refusal (send the corrected payout under a new ORDERNO).
   * RETCODE 0001 and the other "query it" codes, 1008, a lost, unreadable or untrusted answer and
   * an undocumented PAYSTATE are settled by `payout.query` (PROTOCOL §6.3).
   */
  const pay = (body: Record<string, unknown>, options: CallOptions = {}): Promise<MmspResult> =>
    moneyCall(engine, 'payout.pay', body, options);

  /**
   * Polls `payout.query` while PAYSTATE is 2 (paying) or 5 (accepted, awaiting review) until 1 or 3.
   * Lost, unreadable or untrusted answers and "no such order yet" are polled through; when no
   * readable answer came before the deadline: `MmspOutcomeUnknownError` (issue #13).
   */
  const waitForFinal = async (
    input: { ORDERNO?: string; BSORDERNO?: string } | ResultRef,
    options: WaitOptions = {},
  ): Promise<WaitResult> => {
    const ref = orderRef(input) as { ORDERNO?: string; BSORDERNO?: string };
    const query = {
      ...(ref.ORDERNO !== undefined ? { ORDERNO: ref.ORDERNO } : {}),
      ...(ref.BSORDERNO !== undefined ? { BSORDERNO: ref.BSORDERNO } : {}),
    };
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

  return { pay, waitForFinal };
}
