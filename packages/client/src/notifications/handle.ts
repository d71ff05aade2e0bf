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
 * | handler-failed   | 500    | the handler (or expectAmount) threw or outlived               |
 * |                  |        | `handlerTimeoutMs`, or its claim was lost; released            |
 */
import { MmspError, MmspValidationError } from '@mmsp/codec';
import type { MmspHooks } from '../hooks.js';
import { MemoryNotificationStore, type NotificationStore } from '../notification-store.js';
import { safeHook } from '../observe.js';
import {
  DEFAULT_HANDLER_TIMEOUT_MS,
  isThenable,
  runOnce,
  type RunOnceOptions,
  type RunOnceResult,
} from './run-once.js';
import {
  notificationId,
  notificationOpener,
  type NotificationKeys,
  type OpenedNotification,
  type PaidEvent,
  type RejectionReason,
} from './open.js';

/** Why a decision was `rejected`, for `onNotification` (the decision itself keeps its public shape). */
const rejections = new WeakMap<NotificationDecision, RejectionReason>();
const now: () => number =
  typeof performance !== 'undefined' && typeof performance.now === 'function'
    ? () => performance.now()
    : () => Date.now();

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
 * | handler-failed   | 500    | the handler (or expectAmount) threw or outlived               |
 * |                  |        | `handlerTimeoutMs`, or its claim was lost; released            |
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
  /**
   * How long a claim lasts if the process dies mid-handler (default 60 000 ms): while the handler
   * runs, the claim is extended every `claimTtlMs / 3`, so it may be shorter than the handler.
   */
  claimTtlMs?: number;
  /**
   * How long `onPaid` may run before it is abandoned (default 60 000 ms): the platform is answered
   * 500 (it retries), the claim is released and the handler's later result is ignored.
   */
  handlerTimeoutMs?: number;
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

function decision(
  status: number,
  body: string,
  outcome: NotificationDecision['outcome'],
  extra: { event?: PaidEvent; error?: MmspError } = {},
): NotificationDecision {
  return { status, body, contentType: CONTENT_TYPE, outcome, ...extra };
}

/** SUCCESS for a notification handled now or before (the hot path: no spread). */
function success(outcome: 'handled' | 'duplicate', event: PaidEvent): NotificationDecision {
  return { status: 200, body: 'SUCCESS', contentType: CONTENT_TYPE, outcome, event };
}

/** Wraps anything a handler threw without copying its message (it may carry merchant data). */
function handlerError(error: unknown, what: string): MmspError {
  if (error instanceof MmspError) return error;
  const wrapped = new MmspError(
    `${what} threw${error instanceof Error ? ` ${error.name}` : ''}; the platform will retry`,
    'MMSP_HANDLER',
    { cause: error },
  );
  return wrapped;
}

/**
 * What a handler threw, for the log (issue #13 item 9): its name and message, and at debug its
 * stack — never the notification's raw text. The logger's redactor then removes the keys; a run of
 * 13 to 19 digits (a card number's length) is masked here to its last four, and the text is cut.
 */
export function thrownForLog(error: unknown): { name: string; message: string; stack?: string } {
  const clean = (text: string, max: number) =>
    text
      .slice(0, max)
      .replace(/(?<!\d)\d{9,15}(\d{4})(?!\d)/g, (m, tail: string) =>
        m.length >= 13 ? `${'*'.repeat(m.length - 4)}${tail}` : m,
      );
  if (error instanceof Error) {
    return {
      name: clean(error.name, 100),
      message: clean(error.message, 500),
      ...(typeof error.stack === 'string' ? { stack: clean(error.stack, 4000) } : {}),
    };
  }
  return {
    name: typeof error,
    message: clean(
      typeof error === 'string'
        ? error
        : String(typeof error === 'object' ? Object.prototype.toString.call(error) : error),
      500,
    ),
  };
}

export interface NotificationLog {
  debug?(message: string, meta?: Record<string, unknown>): void;
  warn(message: string, meta?: Record<string, unknown>): void;
  error(message: string, meta?: Record<string, unknown>): void;
}

/** Logs a failing handler: name and message at error, the stack at debug (issue #13 item 9). */
function logThrown(
  log: NotificationLog | undefined,
  what: string,
  meta: Record<string, unknown>,
  error: unknown,
): void {
  if (log === undefined) return;
  const { stack, ...thrown } = thrownForLog(error);
  log.error(`${what}; the platform will retry`, { ...meta, error: thrown });
  if (stack !== undefined) log.debug?.(`${what}: stack`, { ...meta, stack });
}

/**
 * The name under which a receiver made by `createNotificationHandling` also offers `handle` without
 * its promise: the decision itself when the store and the handler answered synchronously, else a
 * promise of it. Adapters of this SDK (`@mmsp/http-node`) look it up with `Symbol.for` and fall back
 * to `handle`; it is not part of the public API.
 */
export const DECIDE_NOW = Symbol.for('@mmsp/client:notifications.decideNow');

/** `handle` without its promise (see {@link DECIDE_NOW}). */
export type DecideNow = (
  rawText: string,
  onPaid: PaidHandler,
  options?: HandleOptions,
) => NotificationDecision | Promise<NotificationDecision>;

const NO_OPTIONS: HandleOptions = Object.freeze({});

export function createNotificationHandling(
  keys: NotificationKeys,
  log?: NotificationLog,
  hooks?: Pick<MmspHooks, 'onNotification'>,
) {
  const defaultStore = new MemoryNotificationStore();
  // The envelope options and the signer are made once per receiver (a client passes its own signer).
  const open: (rawText: string) => OpenedNotification = notificationOpener(keys);
  const onExtendFailed = log
    ? (claimed: string, reason: 'lost' | 'error') =>
        log.error(
          reason === 'lost'
            ? 'notification claim lost while the handler runs (expired and taken over); its result will not be committed'
            : 'notification claim not extended in time (store slow or unreachable): it may expire under the running handler; still trying',
          { id: claimed },
        )
    : undefined;

  /** The run settings of the last options seen, reused while they have the same values (an adapter passes one object every time). */
  let runOptions: RunOnceOptions | undefined;
  const runOptionsFor = (options: HandleOptions): RunOnceOptions => {
    const store = options.store ?? defaultStore;
    const claimTtlMs = options.claimTtlMs ?? DEFAULT_CLAIM_TTL_MS;
    const handlerTimeoutMs = options.handlerTimeoutMs ?? DEFAULT_HANDLER_TIMEOUT_MS;
    const last = runOptions;
    if (
      last !== undefined &&
      last.store === store &&
      last.claimTtlMs === claimTtlMs &&
      last.handlerTimeoutMs === handlerTimeoutMs
    )
      return last;
    return (runOptions = { store, claimTtlMs, handlerTimeoutMs, ...(onExtendFailed ? { onExtendFailed } : {}) });
  };

  /** `onNotification` with a decision's facts (issue #15). */
  const report = (d: NotificationDecision, started: number): NotificationDecision => {
    const onNotification = hooks?.onNotification;
    if (onNotification !== undefined) {
      const e = d.event;
      const reason = d.outcome === 'rejected' ? rejections.get(d) : undefined;
      safeHook(hooks, onNotification, {
        type: 'notification',
        family: e?.family,
        commandId: e?.command,
        merchantOrderId: e?.merchantOrderId,
        amount: e?.amount,
        decision: d.outcome,
        httpStatus: d.status,
        ...(reason !== undefined ? { reason } : {}),
        elapsedMs: Math.max(0, Math.round(now() - started)),
      });
    }
    return d;
  };

  /** The decision, then `onNotification` with its facts; synchronous as long as the store and the handler are, and no hook work while none listens. */
  const decideNow: DecideNow = (rawText, onPaid, options = NO_OPTIONS) => {
    if (hooks === undefined || hooks.onNotification === undefined) return decide(rawText, onPaid, options);
    const started = now();
    const d = decide(rawText, onPaid, options);
    return isThenable(d) ? d.then((x) => report(x, started)) : report(d, started);
  };

  const handle = (rawText: string, onPaid: PaidHandler, options?: HandleOptions): Promise<NotificationDecision> => {
    try {
      return Promise.resolve(decideNow(rawText, onPaid, options));
    } catch (error) {
      return Promise.reject(error);
    }
  };

  const decide = (
    rawText: string,
    onPaid: PaidHandler,
    options: HandleOptions,
  ): NotificationDecision | Promise<NotificationDecision> => {
    const opened = open(rawText);
    if (opened.type === 'rejected') {
      log?.warn(`notification rejected: ${opened.reason}`, { reason: opened.reason });
      const rejected = decision(
        400,
        opened.detail !== undefined ? `FAIL ${opened.reason}: ${opened.detail}` : `FAIL ${opened.reason}`,
        'rejected',
        { error: opened.error },
      );
      if (hooks !== undefined) rejections.set(rejected, opened.reason);
      return rejected;
    }
    return options.expectAmount
      ? checkAmount(opened, onPaid, options, options.expectAmount)
      : claimAndRun(opened, onPaid, options);
  };

  const checkAmount = async (
    event: PaidEvent,
    onPaid: PaidHandler,
    options: HandleOptions,
    expectAmount: NonNullable<HandleOptions['expectAmount']>,
  ): Promise<NotificationDecision> => {
    let expected: string | undefined;
    try {
      expected = await expectAmount(event);
    } catch (error) {
      logThrown(log, 'notification expectAmount failed', { merchantOrderId: event.merchantOrderId }, error);
      return decision(500, 'FAIL expectAmount failed', 'handler-failed', {
        event,
        error: handlerError(error, 'expectAmount'),
      });
    }
    if (expected !== undefined && String(expected) !== event.amount) {
      log?.warn('notification amount does not match the expected amount', {
        merchantOrderId: event.merchantOrderId,
        amount: event.amount,
      });
      const error = new MmspValidationError(
        [
          {
            field: 'AMT',
            rule: 'expectedAmount',
            message: `AMT ${event.amount} fen differs from the expected ${String(expected).slice(0, 20)} fen`,
          },
        ],
        'notification',
      );
      return decision(400, 'FAIL amount mismatch', 'amount-mismatch', { event, error });
    }
    return claimAndRun(event, onPaid, options);
  };

  const claimAndRun = (
    event: PaidEvent,
    onPaid: PaidHandler,
    options: HandleOptions,
  ): NotificationDecision | Promise<NotificationDecision> => {
    const id = notificationId(event);
    // `runOnce` calls `onPaid(event)` itself: no closure or object per notification.
    const running = runOnce(id, onPaid, runOptionsFor(options), event);
    // The in-memory store and a synchronous handler answer at once: no turn of the microtask queue (the receiver's hot path).
    return isThenable(running) ? running.then((result) => outcome(result, event, id)) : outcome(running, event, id);
  };

  const outcome = (result: RunOnceResult, event: PaidEvent, id: string): NotificationDecision => {
    switch (result.outcome) {
      case 'done':
        return success('duplicate', event);
      case 'busy':
        return decision(409, 'FAIL busy, retry later', 'busy', { event });
      case 'store-failed':
        log?.error('notification store failed to claim', { id });
        return decision(503, 'FAIL store unavailable', 'busy', {
          event,
          error: handlerError(result.error, 'the notification store'),
        });
      case 'failed':
        if (result.releaseError !== undefined)
          log?.error('notification store failed to release a claim; it will expire', { id });
        logThrown(log, 'notification handler failed', { id }, result.error);
        return decision(500, 'FAIL handler error', 'handler-failed', {
          event,
          error: handlerError(result.error, 'the notification handler'),
        });
      case 'timed-out':
        if (result.releaseError !== undefined)
          log?.error('notification store failed to release a claim; it will expire', { id });
        log?.error('notification handler did not settle within handlerTimeoutMs; abandoned, the platform will retry', {
          id,
        });
        return decision(500, 'FAIL handler timeout', 'handler-failed', {
          event,
          error: new MmspError(
            'the notification handler did not settle within handlerTimeoutMs; its claim was released and the platform will retry',
            'MMSP_HANDLER',
          ),
        });
      case 'lost':
        log?.error(
          'notification handler finished after its claim was taken over; not committed, the platform will retry',
          { id },
        );
        return decision(500, 'FAIL claim lost', 'handler-failed', {
          event,
          error: new MmspError(
            'the notification claim expired and was taken over while the handler ran; its result was not committed and the platform will retry',
            'MMSP_HANDLER',
          ),
        });
      case 'ran':
        // The handler ran: answer SUCCESS so the platform stops; the claim expires on its own.
        if (result.commitError !== undefined)
          log?.error(
            'notification store failed to commit; a later duplicate after the claim expires could run the handler again',
            { id },
          );
    }
    return success('handled', event);
  };

  return { open, handle, decideNow };
}
