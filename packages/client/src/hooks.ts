/**
 * Hooks (issue #15 item 2): what an operator sees of every call and every notification, in the
 * runtime-neutral client. `createClient({ …, hooks: { onRequest, onResponse, onRetry, onNotification } })`.
 * The same events are what `@mmsp/http-node` publishes on its `diagnostics_channel`s and what
 * `@mmsp/opentelemetry` turns into spans.
 *
 * Rules: an event never carries a secret (MD5 key, private key, the sealed ENCRYPT / SIGN) and card
 * data is masked (CARDNO, ACCNO, phones, names to their last four characters; CVN2, EXPDATE,
 * ID_NO, MSG_CODE hidden). A hook that throws (or returns a rejected promise) never breaks a call:
 * what it threw is dropped. Hooks run synchronously at the point of the call they describe; a
 * hook's returned promise is not awaited.
 *
 * Order of one call (`callId` ties them together):
 *   onRequest (attempt 1) → [onRetry → onRequest (attempt 2) …] → onResponse (exactly once).
 * Only queries are retried (`QUERY_OPERATIONS`); a money-moving call settled by querying makes
 * separate query calls with their own `callId`s. A call that fails before its request is built
 * (validation, configuration) fires nothing.
 */
import type { MmspRequestMeta, OperationName } from '@mmsp/codec';
import type { EnvelopeFamily } from '@mmsp/codec';
import type { RejectionReason } from './notifications/open.js';
import type { NotificationDecision } from './notifications/handle.js';
import type { TradeState } from './result.js';

export type { MmspRequestMeta } from '@mmsp/codec';

/** A request is about to leave (once per HTTP attempt). */
export interface MmspRequestEvent {
  /** Always `request`. */
  type: 'request';
  /** The call's number, unique within the process (1, 2, …): the same on the call's request, retry and response events. */
  callId: number;
  /** The catalogue name, e.g. `scan.query`. */
  operation: OperationName;
  /** The family: `quickPay`, `scan`, `gateway`, `payout`. */
  family: string;
  /** The endpoint (any user:password part removed). */
  url: string;
  /** The envelope's `SeqID` of this attempt; `undefined` for payouts (no envelope). */
  seqId: number | undefined;
  /** 1 for the first attempt, 2… for a retried query. */
  attempt: number;
  /** The call's metadata so far (`httpStatus` of the previous attempt, `attempts` = attempts before this one). */
  meta: MmspRequestMeta;
  /**
   * The request Body's wire fields, masked (card and account numbers to the last four; CVN2,
   * EXPDATE, ID_NO, MSG_CODE hidden). Computed when first read, so a hook that does not look at it
   * costs no redaction.
   */
  fields: Record<string, unknown>;
}

/** The platform's answer, when the call ended with a result. */
export interface MmspResponseOutcome {
  /** The normalized trade state, when the operation has one. */
  state?: TradeState;
  /** Envelope `RetCode` or payout `RETCODE`. */
  retCode?: string;
  /** Body `STATUS` or payout `PAYSTATE`. */
  status?: string;
  /** Body `ERRCODE` / `ERR_CODE`. */
  errCode?: string;
}

/** What ended a call with an error: names and codes, never the error's body. */
export interface MmspErrorSummary {
  /** The class name, e.g. `MmspTransportError`, `MmspBusinessError`, `MmspSignatureError`. */
  name: string;
  /** The stable code, e.g. `MMSP_TRANSPORT`. */
  code: string;
  /** The first line of the message (at most 200 characters; keys replaced by `[redacted]`). */
  message: string;
  /** `MmspBusinessError`: the platform's code (payout `RETCODE`, Body `ERRCODE`). */
  platformCode?: string;
  /** `MmspProtocolError`: the envelope's `RetCode`. */
  retCode?: string;
  /** `MmspTransportError`: whether the request may have reached the platform. */
  mayHaveReachedPlatform?: boolean;
}

/** A call ended (exactly once per call that fired `onRequest`): with a result or with an error. */
export interface MmspResponseEvent {
  /** Always `response`. */
  type: 'response';
  /** The call's number (see {@link MmspRequestEvent.callId}). */
  callId: number;
  /** The catalogue name. */
  operation: OperationName;
  /** The family. */
  family: string;
  /** The call's final metadata (the same object as `result.meta` / `error.meta`). */
  meta: MmspRequestMeta;
  /** `true` when the call returned a result, `false` when it threw. */
  ok: boolean;
  /** With `ok`: the state and the platform's codes. */
  outcome?: MmspResponseOutcome;
  /** Without `ok`: what was thrown. */
  error?: MmspErrorSummary;
}

/** A query's attempt failed in transport and will be retried after `delayMs`. */
export interface MmspRetryEvent {
  /** Always `retry`. */
  type: 'retry';
  /** The call's number. */
  callId: number;
  /** The catalogue name (a query). */
  operation: OperationName;
  /** The family. */
  family: string;
  /** The attempt that failed (1-based); the next one is `attempt + 1`. */
  attempt: number;
  /** The wait before the next attempt, in milliseconds. */
  delayMs: number;
  /** Why: the failed attempt's error message, first line (no secret). */
  reason: string;
  /** The call's metadata so far. */
  meta: MmspRequestMeta;
}

/** A pushed notification was decided by `notifications.handle` (every receiver goes through it). */
export interface MmspNotificationEvent {
  /** Always `notification`. */
  type: 'notification';
  /** The family read from the signed Body; `undefined` when the push was rejected before it was read. */
  family: EnvelopeFamily | undefined;
  /** The envelope's CommandID (35104, 35090, 2324), when the push opened. */
  commandId: number | undefined;
  /** `MERORDERID`, when the push opened. */
  merchantOrderId: string | undefined;
  /** `AMT` in fen, when the push opened. */
  amount: string | undefined;
  /** The receiver's decision: `handled`, `duplicate`, `rejected`, `busy`, `handler-failed`, `amount-mismatch`. */
  decision: NotificationDecision['outcome'];
  /** The HTTP status the receiver answers with (200, 400, 409, 500, 503). */
  httpStatus: number;
  /** For `rejected`: why (`bad-signature`, `malformed`, `unknown-command`, `not-paid`). */
  reason?: RejectionReason;
  /** Milliseconds `handle` took (the merchant's handler included). */
  elapsedMs: number;
}

/**
 * The client's hooks (`ClientConfig.hooks`): each is optional, called synchronously with one event
 * and never able to break a call (what it throws is dropped). The client reads each hook from this
 * object when its event happens, so an object whose properties are getters may switch a hook on and
 * off (what `@mmsp/http-node` does for its `diagnostics_channel`s).
 *
 * @example
 * ```ts
 * import type { MmspHooks } from '@mmsp/client';
 *
 * const hooks: MmspHooks = {
 *   onRequest: (e) => console.log(`→ ${e.operation} SeqID ${e.seqId ?? '-'} attempt ${e.attempt}`),
 *   onResponse: (e) => console.log(`← ${e.operation} ${e.ok ? e.outcome?.state ?? e.outcome?.retCode : e.error?.code} in ${e.meta.elapsedMs} ms`),
 *   onRetry: (e) => console.log(`↻ ${e.operation} in ${e.delayMs} ms: ${e.reason}`),
 *   onNotification: (e) => console.log(`⇠ ${e.family} ${e.merchantOrderId} ${e.decision} ${e.httpStatus}`),
 * };
 * ```
 */
export interface MmspHooks {
  /** A request is about to leave (every HTTP attempt). */
  onRequest?(event: MmspRequestEvent): void;
  /** A call ended with a result or an error (once per call). */
  onResponse?(event: MmspResponseEvent): void;
  /** A query will be retried after a transport failure. */
  onRetry?(event: MmspRetryEvent): void;
  /** A notification was decided. */
  onNotification?(event: MmspNotificationEvent): void;
}
