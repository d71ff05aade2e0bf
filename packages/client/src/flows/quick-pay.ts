/**
 * Quick pay flows (快捷 §4.2): flow A pay → SMS confirm → query; bound-card flow B
 * boundPaySms → boundPayConfirm → query; flow C unionPayOrder returns a payment URL (or HTML).
 * An SMS is resent at most once per 60 s per order (PROTOCOL §7; 快捷 §5.11).
 */
import { MmspBusinessError, MmspProtocolError, MmspTransportError, MmspValidationError } from '@mmsp/codec';
import type { CallOptions, Engine } from '../engine.js';
import type { MmspResult } from '../result.js';
import { isFinal } from '../state.js';
import type { WaitOptions } from './payout.js';
import { pollUntilFinal } from './poll.js';
import { orderRef, type ResultRef } from './ref.js';
import { moneyCall } from './settle.js';

/**
 * The shortest interval between two SMS of one quick pay order (PROTOCOL §7; 快捷 §5.11): `resendSms`
 * and `boundPaySms` refuse a second SMS sooner with `MmspValidationError` (rule `rateLimit`), before
 * anything is sent.
 */
export const SMS_RESEND_INTERVAL_MS = 60_000;

export function createQuickPayFlows(engine: Engine) {
  const lastSms = new Map<string, number>();

  /** Refuses a second SMS for the same order within 60 s, before anything is sent. */
  const guardSms = (
    operation: 'quickPay.resendSms' | 'quickPay.boundPaySms',
    body: Record<string, unknown>,
  ): { mark: () => void; unmark: () => void } => {
    const id = [body?.LIST_ID, body?.MERORDERID].find((v) => typeof v === 'string' && v !== '') as string | undefined;
    if (id === undefined) return { mark: () => undefined, unmark: () => undefined }; // validation names the missing field
    const key = `${operation === 'quickPay.resendSms' ? 'resend' : 'bound'}:${id}`;
    const now = engine.runtime.now().getTime();
    const at = lastSms.get(key);
    if (at !== undefined && now - at < SMS_RESEND_INTERVAL_MS) {
      const wait = Math.ceil((SMS_RESEND_INTERVAL_MS - (now - at)) / 1000);
      throw new MmspValidationError(
        [
          {
            field: body?.LIST_ID ? 'LIST_ID' : 'MERORDERID',
            rule: 'rateLimit',
            message: `${operation}: an SMS for this order was requested less than 60 s ago; wait ${wait} s (docs/PROTOCOL.md §7)`,
          },
        ],
        operation,
      );
    }
    if (lastSms.size > 50_000) for (const [k, t] of lastSms) if (now - t >= SMS_RESEND_INTERVAL_MS) lastSms.delete(k);
    // A refused request sent no SMS: the window stays where the last SMS put it (issue #13 item 11).
    return {
      mark: () => lastSms.set(key, now),
      unmark: () => (at === undefined ? lastSms.delete(key) : lastSms.set(key, at)),
    };
  };

  /** The SMS `quickPay.pay` sends opens the resend window of its order (快捷 §5.11: 60秒可以重发一次). */
  const markPaySms = (result: MmspResult, sentAt: number) => {
    const listId = result.body.LIST_ID;
    if (
      (typeof listId === 'string' || typeof listId === 'number') &&
      String(listId) !== '' &&
      result.state === 'pending'
    ) {
      lastSms.set(`resend:${String(listId)}`, sentAt);
    }
  };

  /** quickPay.pay: sent once; an unclear outcome is queried (issue #13); its SMS opens the resend window. */
  const pay = async (body: Record<string, unknown>, options: CallOptions = {}): Promise<MmspResult> => {
    let sentAt = engine.runtime.now().getTime();
    const result = await moneyCall(engine, 'quickPay.pay', body, {
      ...options,
      beforeSend: () => {
        sentAt = engine.runtime.now().getTime();
      },
    });
    markPaySms(result, sentAt);
    return result;
  };

  const smsCall =
    (operation: 'quickPay.resendSms' | 'quickPay.boundPaySms') =>
    async (body: Record<string, unknown>, options: CallOptions = {}) => {
      const guard = guardSms(operation, body);
      try {
        // boundPaySms creates the bound-card payment: money-moving, settled by a query (issue #13).
        return await moneyCall(engine, operation, body, { ...options, beforeSend: guard.mark });
      } catch (error) {
        // Known not to have left, or refused: no SMS was sent, so it does not count against the 60 s.
        if (
          (error instanceof MmspTransportError && !error.mayHaveReachedPlatform) ||
          error instanceof MmspBusinessError ||
          error instanceof MmspProtocolError
        )
          guard.unmark();
        throw error;
      }
    };

  /** Polls `quickPay.query` until paid / failed / refunded or the deadline (default 30 s); unreadable answers are polled through. */
  const waitForFinal = async (
    input: { MERORDERID: string } | ResultRef,
    options: WaitOptions = {},
  ): Promise<{ final: boolean; result: MmspResult }> => {
    const ref = orderRef(input) as { MERORDERID: string };
    return pollUntilFinal(engine, {
      operation: 'quickPay.waitForFinal',
      merchantOrderId: ref.MERORDERID,
      query: 'quickPay.query',
      queryBody: { MERORDERID: ref.MERORDERID },
      isFinal: (r) => isFinal(r.state),
      deadlineMs: options.deadlineMs ?? 30_000,
      intervalMs: options.intervalMs ?? 1_000,
      maxIntervalMs: options.maxIntervalMs ?? 5_000,
      ...(options.signal ? { signal: options.signal } : {}),
    });
  };

  /**
   * Flow A, steps 2 and 3: confirm the SMS code, then query the order until final or the deadline.
   * A lost or unreadable confirm answer is settled by querying (never by confirming again blindly).
   * A refused code (wrong SMS code: the platform keeps the order pending) is not a failed payment:
   * the answer has `final: false`, the pending order, and `smsCodeRefused` — ask the payer for the
   * code again and confirm once more with the same LIST_ID (issue #13 item 3).
   */
  const confirmAndWait = async (
    input: { LIST_ID: string; MSG_CODE: string; MERORDERID: string },
    options: WaitOptions = {},
  ) => {
    const merchantOrderId = typeof input?.MERORDERID === 'string' ? input.MERORDERID : undefined;
    let confirmation: MmspResult | undefined;
    let smsCodeRefused: MmspBusinessError | undefined;
    try {
      confirmation = await moneyCall(
        engine,
        'quickPay.confirmSms',
        { LIST_ID: input.LIST_ID, MSG_CODE: input.MSG_CODE },
        options.signal ? { signal: options.signal } : {},
        {
          ...(merchantOrderId !== undefined ? { merchantOrderId, queryBody: { MERORDERID: merchantOrderId } } : {}),
        },
      );
    } catch (error) {
      if (!(error instanceof MmspBusinessError) || merchantOrderId === undefined) throw error;
      smsCodeRefused = error;
    }
    if (smsCodeRefused !== undefined) {
      // What became of the order: still pending (try the code again) or final (the bank declined).
      const after = await waitForFinal({ MERORDERID: merchantOrderId! }, { ...options, deadlineMs: 0 });
      return { confirmation, smsCodeRefused, ...after, ...(after.final ? {} : { retry: true as const }) };
    }
    return { confirmation, ...(await waitForFinal({ MERORDERID: input.MERORDERID }, options)) };
  };

  /** Bound-card flow B, steps 2 and 3: confirm the payment with the SMS code, then query until final. */
  const boundConfirmAndWait = async (
    input: Record<string, unknown> & { MERORDERID: string },
    options: WaitOptions = {},
  ) => {
    const confirmation = await moneyCall(
      engine,
      'quickPay.boundPayConfirm',
      input,
      options.signal ? { signal: options.signal } : {},
    );
    return { confirmation, ...(await waitForFinal({ MERORDERID: input.MERORDERID }, options)) };
  };

  return {
    pay,
    resendSms: smsCall('quickPay.resendSms'),
    boundPaySms: smsCall('quickPay.boundPaySms'),
    waitForFinal,
    confirmAndWait,
    boundConfirmAndWait,
  };
}
