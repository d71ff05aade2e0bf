/**
 * Scan-code flows: a micropay (刷卡) that answers "paying" (STATUS 3 / ERR_CODE AA) must be polled
 * with `scan.query` (扫码 §5.2.3 注; PROTOCOL §5) until a final state or a deadline; then the merchant
 * may cancel it (`scan.cancel`, 扫码 §10.4: not sooner than 15 s after the payment).
 */
import { MmspTransportError } from '@mmsp/codec';
import type { Engine } from '../engine.js';
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

export function createScanFlows(engine: Engine) {
  const refBody = (input: ScanOrderRef | ResultRef) => {
    const ref = orderRef(input) as ScanOrderRef;
    return {
      ...(ref.MERORDERID !== undefined ? { MERORDERID: ref.MERORDERID } : {}),
      ...(ref.ORDERNO !== undefined ? { ORDERNO: ref.ORDERNO } : {}),
    };
  };

  const waitForFinal = async (ref: ScanOrderRef | ResultRef, options: WaitOptions = {}): Promise<ScanWaitResult> => {
    const deadline = engine.runtime.now().getTime() + (options.deadlineMs ?? 60_000);
    let interval = options.intervalMs ?? 2_000;
    const callOptions = options.signal ? { signal: options.signal } : {};
    let last: MmspResult | undefined;
    for (;;) {
      try {
        last = await engine.call('scan.query', refBody(ref), callOptions);
        if (isFinal(last.state)) return { final: true, result: last };
      } catch (error) {
        if (!(error instanceof MmspTransportError)) throw error;
      }
      if (engine.runtime.now().getTime() + interval > deadline) break;
      await engine.runtime.sleep(interval, options.signal);
      interval = Math.min(Math.ceil(interval * 1.5), options.maxIntervalMs ?? 10_000);
    }
    last ??= await engine.call('scan.query', refBody(ref), callOptions);
    return { final: false, result: last, cancel: () => engine.call('scan.cancel', refBody(ref), callOptions) };
  };

  return { waitForFinal };
}
