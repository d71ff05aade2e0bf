/**
 * The receiver decision every adapter answers with (docs/ARCHITECTURE.md, NotificationDecision;
 * PROTOCOL §5). Protocol: open (verify) → check the amount → claim the id in the store → run the
 * merchant's handler → commit → answer `SUCCESS`. The platform retries until it reads SUCCESS,
 * so every other answer is a request to come back later:
 *
 * | outcome          | status | when                                                           |
 * |------------------|--------|----------------------------------------------------------------|
 * | handled          | 200    | the handler resolved (SUCCESS only then)                       |
 * | duplicate        | 200    | the store says done: SUCCESS without running the handler       |
 * | rejected         | 400    | bad signature, malformed, unknown command, not a success       |
 * | amount-mismatch  | 400    | `expectAmount` gave another fen amount; nothing marked done    |
 * | busy             | 409    | another delivery holds the claim (503 if the store failed)     |
 * | handler-failed   | 500    | the handler (or expectAmount) threw; the claim is released     |
 */
import { MmspError, MmspValidationError } from '@mmsp/codec';
import type { MmspHooks } from '../hooks.js';
import { MemoryNotificationStore, type ClaimResult, type NotificationStore } from '../notification-store.js';
import { safeHook } from '../observe.js';
import { notificationId, openNotification, type NotificationKeys, type OpenedNotification, type PaidEvent, type RejectionReason } from './open.js';

/** Why a decision was `rejected`, for `onNotification` (the decision itself keeps its public shape). */
const rejections = new WeakMap<NotificationDecision, RejectionReason>();
const now: () => number = typeof performance !== 'undefined' && typeof performance.now === 'function' ? () => performance.now() : () => Date.now();

/**
 * The receiver's answer to one notification (PROTOCOL §5), which every adapter writes back as is:
 * `status`, `body`, `contentType`. The platform retries until it reads `SUCCESS`, so every answer but
 * 200 asks it to come back later.
 *
 * | outcome          | status | when                                                           |
 * |------------------|--------|----------------------------------------------------------------|
 * | handled          | 200    | the handler resolved (SUCCESS only then)                       |
 * | duplicate        | 200    | the store says done: SUCCESS without running the handler       |
 * | rejected         | 400    | bad signature, malformed, unknown command, not a success       |
 * | amount-mismatch  | 400    | `expectAmount` gave another fen amount; nothing marked done    |
 * | busy             | 409    | another delivery holds the claim (503 if the store failed)     |
 * | handler-failed   | 500    | the handler (or expectAmount) threw; the claim is released     |
 */
export interface NotificationDecision {
  /** The HTTP status to answer with (200, 400, 409, 500, 503). */
  status: number;
  /** The response body: `SUCCESS`, or a short error text (never a secret or card data). */
  body: string;
  /** The response's content type. */
  contentType: 'text/plain; charset=utf-8';
  /** What happened (see the table above). */
  outcome: 'handled' | 'duplicate' | 'rejected' | 'busy' | 'handler-failed' | 'amount-mismatch';
  /** The verified event, when the notification opened as a payment. */
  event?: PaidEvent;
  /** Why it was not handled, for your logs (its message holds no secret). */
  error?: MmspError;
}

/** Options of `notifications.handle` and of every adapter's receiver. */
export interface HandleOptions {
  /** Where claims and commits live; default: one in-memory store per client / receiver. */
  store?: NotificationStore;
  /** How long a claim lasts if the process dies mid-handler (default 60 000 ms). */
  claimTtlMs?: number;
  /** The amount (fen, string) the merchant expects for this order; `undefined` skips the check. */
  expectAmount?: (event: PaidEvent) => string | undefined | Promise<string | undefined>;
}

/**
 * The merchant's handler of a verified payment: mark the order paid. The receiver answers `SUCCESS`
 * only after it resolved; if it throws, the claim is released and the platform's retry runs it again.
 */
export type PaidHandler = (event: PaidEvent) => unknown | Promise<unknown>;

/** Default `claimTtlMs`: a claim lasts 60 s if the process dies mid-handler. */
export const DEFAULT_CLAIM_TTL_MS = 60_000;
const CONTENT_TYPE = 'text/plain; charset=utf-8' as const;

function decision(status: number, body: string, outcome: NotificationDecision['outcome'], extra: { event?: PaidEvent; error?: MmspError } = {}): NotificationDecision {
  return { status, body, contentType: CONTENT_TYPE, outcome, ...extra };
}

/** SUCCESS for a notification handled now or before (the hot path: no spread). */
function success(outcome: 'handled' | 'duplicate', event: PaidEvent): NotificationDecision {
  return { status: 200, body: 'SUCCESS', contentType: CONTENT_TYPE, outcome, event };
}

/** A promise or any other thenable (a handler's or a store's answer); other values are used as they are. */
function isThenable(value: unknown): value is PromiseLike<unknown> {
  return value !== null && (typeof value === 'object' || typeof value === 'function') && typeof (value as { then?: unknown }).then === 'function';
}

/** Wraps anything a handler threw without copying its message (it may carry merchant data). */
function handlerError(error: unknown, what: string): MmspError {
  if (error instanceof MmspError) return error;
  const wrapped = new MmspError(`${what} threw${error instanceof Error ? ` ${error.name}` : ''}; the platform will retry`, 'MMSP_HANDLER', { cause: error });
  return wrapped;
}

export interface NotificationLog {
  warn(message: string, meta?: Record<string, unknown>): void;
  error(message: string, meta?: Record<string, unknown>): void;
}

export function createNotificationHandling(keys: () => NotificationKeys, log?: NotificationLog, hooks?: Pick<MmspHooks, 'onNotification'>) {
  const defaultStore = new MemoryNotificationStore();
  const open = (rawText: string): OpenedNotification => openNotification(rawText, keys());

  /** The decision, then `onNotification` with its facts (issue #15); no extra turn when no hook listens. */
  const handle = (rawText: string, onPaid: PaidHandler, options: HandleOptions = {}): Promise<NotificationDecision> => {
    if (hooks === undefined) return decide(rawText, onPaid, options);
    const started = now();
    return decide(rawText, onPaid, options).then((d) => {
      const onNotification = hooks.onNotification;
      if (onNotification !== undefined) {
        const e = d.event;
        const reason = d.outcome === 'rejected' ? rejections.get(d) : undefined;
        safeHook(hooks, onNotification, {
          type: 'notification', family: e?.family, commandId: e?.command, merchantOrderId: e?.merchantOrderId, amount: e?.amount,
          decision: d.outcome, httpStatus: d.status, ...(reason !== undefined ? { reason } : {}),
          elapsedMs: Math.max(0, Math.round(now() - started)),
        });
      }
      return d;
    });
  };

  const decide = async (rawText: string, onPaid: PaidHandler, options: HandleOptions = {}): Promise<NotificationDecision> => {
    const opened = open(rawText);
    if (opened.type === 'rejected') {
      log?.warn(`notification rejected: ${opened.reason}`, { reason: opened.reason });
      const rejected = decision(400, opened.detail !== undefined ? `FAIL ${opened.reason}: ${opened.detail}` : `FAIL ${opened.reason}`, 'rejected', { error: opened.error });
      if (hooks !== undefined) rejections.set(rejected, opened.reason);
      return rejected;
    }
    const event = opened;
    if (options.expectAmount) {
      let expected: string | undefined;
      try {
        expected = await options.expectAmount(event);
      } catch (error) {
        return decision(500, 'FAIL expectAmount failed', 'handler-failed', { event, error: handlerError(error, 'expectAmount') });
      }
      if (expected !== undefined && String(expected) !== event.amount) {
        log?.warn('notification amount does not match the expected amount', { merchantOrderId: event.merchantOrderId, amount: event.amount });
        const error = new MmspValidationError([{ field: 'AMT', rule: 'expectedAmount', message: `AMT ${event.amount} fen differs from the expected ${String(expected).slice(0, 20)} fen` }], 'notification');
        return decision(400, 'FAIL amount mismatch', 'amount-mismatch', { event, error });
      }
    }
    const store = options.store ?? defaultStore;
    const id = notificationId(event);
    let claim: ClaimResult;
    try {
      const claiming = store.claim(id, options.claimTtlMs ?? DEFAULT_CLAIM_TTL_MS);
      // The in-memory store answers at once: no extra turn of the microtask queue (the receiver's hot path).
      claim = isThenable(claiming) ? await claiming : claiming;
    } catch (error) {
      log?.error('notification store failed to claim', { id });
      return decision(503, 'FAIL store unavailable', 'busy', { event, error: handlerError(error, 'the notification store') });
    }
    if (claim === 'done') return success('duplicate', event);
    if (claim === 'busy') return decision(409, 'FAIL busy, retry later', 'busy', { event });
    try {
      const ran = onPaid(event);
      if (isThenable(ran)) await ran;
    } catch (error) {
      try {
        const releasing = store.release(id);
        if (isThenable(releasing)) await releasing;
      } catch {
        log?.error('notification store failed to release a claim; it will expire', { id });
      }
      log?.error('notification handler failed; the platform will retry', { id });
      return decision(500, 'FAIL handler error', 'handler-failed', { event, error: handlerError(error, 'the notification handler') });
    }
    try {
      const committing = store.commit(id);
      if (isThenable(committing)) await committing;
    } catch {
      // The handler ran: answer SUCCESS so the platform stops; the claim expires on its own.
      log?.error('notification store failed to commit; a later duplicate after the claim expires could run the handler again', { id });
    }
    return success('handled', event);
  };

  return { open, handle };
}
