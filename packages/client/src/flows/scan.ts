/**
 * Scan-code flows: a micropay (刷卡) that answers "paying" (STATUS 3 / ERR_CODE AA) must be polled
 * with `scan.query` (扫码 §5.2.3 注; PROTOCOL §5) until a final state or a deadline; then the merchant
 * may cancel it (`scan.cancel`, 扫码 §10.4: not sooner than 15 s after the payment).
 */
import type { Engine } from '../engine.js';
import type { SafeLogger } from '../logger.js';
import { pollUntilFinal } from './poll.js';
import type { MmspResult } from '../result.js';
import { isFinal } from '../state.js';
import type { WaitOptions } from './payout.js';
import { orderRef, type ResultRef } from './ref.js';

/** A scan-code order to wait for: the merchant's `MERORDERID` or the platform's `ORDERNO`. */
export interface ScanOrderRef {
  /** The merchant's order number. */
  MERORDERID?: string;
  /** The platform's order number. */
  ORDERNO?: string;
}

/** The end of `client.scan.waitForFinal`: the last query's result, and a way to cancel the order when it is not final. */
export interface ScanWaitResult {
  /** True when the state is final; false when the deadline passed first. */
  final: boolean;
  /** The last `scan.query` result. */
  result: MmspResult;
  /** When not final: cancels the order with `scan.cancel` (扫码 §10.4). */
  cancel?: () => Promise<MmspResult>;
}

/** 扫码 §10.4: a micropay may be cancelled no sooner than 15 s after the payment request. */
export const SCAN_CANCEL_AFTER_MS = 15_000;

export function createScanFlows(engine: Engine, logger?: SafeLogger) {
  const refBody = (input: ScanOrderRef | ResultRef): { MERORDERID?: string; ORDERNO?: string } => {
    const ref = orderRef(input) as ScanOrderRef;
    return {
      ...(ref.MERORDERID !== undefined ? { MERORDERID: ref.MERORDERID } : {}),
      ...(ref.ORDERNO !== undefined ? { ORDERNO: ref.ORDERNO } : {}),
    };
  };

  const waitForFinal = async (ref: ScanOrderRef | ResultRef, options: WaitOptions = {}): Promise<ScanWaitResult> => {
    const callOptions = options.signal ? { signal: options.signal } : {};
    const body = refBody(ref);
    const started = engine.runtime.now().getTime();
    // A bad signature, an unreadable answer or "[-2002] 没有该订单" right after placing the order are
    // polled through like a lost answer (issue #13).
    const { final, result } = await pollUntilFinal(engine, {
      operation: 'scan.waitForFinal',
      merchantOrderId: body.MERORDERID ?? body.ORDERNO,
      query: 'scan.query',
      queryBody: body,
      isFinal: (r) => isFinal(r.state),
      deadlineMs: options.deadlineMs ?? 60_000,
      intervalMs: options.intervalMs ?? 2_000,
      maxIntervalMs: options.maxIntervalMs ?? 10_000,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    if (final) return { final, result };
    const cancel = () => {
      const elapsed = engine.runtime.now().getTime() - started;
      if (elapsed < SCAN_CANCEL_AFTER_MS) {
        // 扫码 §10.4: cancel no sooner than 15 s after the payment request (issue #13 item 11).
        logger?.warn(
          `scan.waitForFinal: cancelling ${body.MERORDERID ?? body.ORDERNO ?? ''} ${Math.round(elapsed / 1000)} s after polling began, before the document's 15 s (扫码 §10.4)`,
          { operation: 'scan.cancel' },
        );
      }
      return engine.call('scan.cancel', body, callOptions);
    };
    return { final: false, result, cancel };
  };

  return { waitForFinal };
}
