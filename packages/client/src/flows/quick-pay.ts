/**
 * Quick pay flows (快捷 §4.2): flow A pay → SMS confirm → query; bound-card flow B
 * boundPaySms → boundPayConfirm → query; flow C unionPayOrder returns a payment URL (or HTML).
 * An SMS is resent at most once per 60 s per order (PROTOCOL §7; 快捷 §5.11).
 */
import { MmspTransportError, MmspValidationError } from '@mmsp/codec';
import type { CallOptions, Engine } from '../engine.js';
import type { MmspResult } from '../result.js';
import { isFinal } from '../state.js';
import type { WaitOptions } from './payout.js';
import { orderRef, type ResultRef } from './ref.js';

/**
 * The shortest interval between two SMS of one quick pay order (PROTOCOL §7; 快捷 §5.11): `resendSms`
 * and `boundPaySms` refuse a second SMS sooner with `MmspValidationError` (rule `rateLimit`), before
 * anything is sent.
 */
export const SMS_RESEND_INTERVAL_MS = 60_000;

export function createQuickPayFlows(engine: Engine) {
  const lastSms = new Map<string, number>();

  /** Refuses a second SMS for the same order within 60 s, before anything is sent. */
  const guardSms = (operation: 'quickPay.resendSms' | 'quickPay.boundPaySms', body: Record<string, unknown>): { mark: () => void; unmark: () => void } => {
    const id = [body?.LIST_ID, body?.MERORDERID].find((v) => typeof v === 'string' && v !== '') as string | undefined;
    if (id === undefined) return { mark: () => undefined, unmark: () => undefined }; // validation names the missing field
    const key = `${operation === 'quickPay.resendSms' ? 'resend' : 'bound'}:${id}`;
    const now = engine.runtime.now().getTime();
    const at = lastSms.get(key);
    if (at !== undefined && now - at < SMS_RESEND_INTERVAL_MS) {
      const wait = Math.ceil((SMS_RESEND_INTERVAL_MS - (now - at)) / 1000);
      throw new MmspValidationError([{ field: body?.LIST_ID ? 'LIST_ID' : 'MERORDERID', rule: 'rateLimit', message: `${operation}: an SMS for this order was requested less than 60 s ago; wait ${wait} s (docs/PROTOCOL.md §7)` }], operation);
    }
    if (lastSms.size > 50_000) for (const [k, t] of lastSms) if (now - t >= SMS_RESEND_INTERVAL_MS) lastSms.delete(k);
    return { mark: () => lastSms.set(key, now), unmark: () => lastSms.delete(key) };
  };

  const smsCall = (operation: 'quickPay.resendSms' | 'quickPay.boundPaySms') => async (body: Record<string, unknown>, options: CallOptions = {}) => {
    const guard = guardSms(operation, body);
    try {
      return await engine.call(operation, body, { ...options, beforeSend: guard.mark });
    } catch (error) {
      // Known not to have left: no SMS was requested, so it does not count against the 60 s.
      if (error instanceof MmspTransportError && !error.mayHaveReachedPlatform) guard.unmark();
      throw error;
    }
  };

  /** Polls `quickPay.query` until paid / failed / refunded or the deadline (default 30 s). */
  const waitForFinal = async (input: { MERORDERID: string } | ResultRef, options: WaitOptions = {}): Promise<{ final: boolean; result: MmspResult }> => {
    const ref = orderRef(input) as { MERORDERID: string };
    const deadline = engine.runtime.now().getTime() + (options.deadlineMs ?? 30_000);
    let interval = options.intervalMs ?? 1_000;
    for (;;) {
      const result = await engine.call('quickPay.query', { MERORDERID: ref.MERORDERID }, options.signal ? { signal: options.signal } : {});
      if (isFinal(result.state)) return { final: true, result };
      if (engine.runtime.now().getTime() + interval > deadline) return { final: false, result };
      await engine.runtime.sleep(interval, options.signal);
      interval = Math.min(Math.ceil(interval * 1.5), options.maxIntervalMs ?? 5_000);
    }
  };

  /** Flow A, step 2 and 3: confirm the SMS code, then query the order until final or the deadline. */
  const confirmAndWait = async (input: { LIST_ID: string; MSG_CODE: string; MERORDERID: string }, options: WaitOptions = {}) => {
    const confirmation = await engine.call('quickPay.confirmSms', { LIST_ID: input.LIST_ID, MSG_CODE: input.MSG_CODE }, options.signal ? { signal: options.signal } : {});
    return { confirmation, ...(await waitForFinal({ MERORDERID: input.MERORDERID }, options)) };
  };

  /** Bound-card flow B, steps 2 and 3: confirm the payment with the SMS code, then query until final. */
  const boundConfirmAndWait = async (input: Record<string, unknown> & { MERORDERID: string }, options: WaitOptions = {}) => {
    const confirmation = await engine.call('quickPay.boundPayConfirm', input, options.signal ? { signal: options.signal } : {});
    return { confirmation, ...(await waitForFinal({ MERORDERID: input.MERORDERID }, options)) };
  };

  return { resendSms: smsCall('quickPay.resendSms'), boundPaySms: smsCall('quickPay.boundPaySms'), waitForFinal, confirmAndWait, boundConfirmAndWait };
}
