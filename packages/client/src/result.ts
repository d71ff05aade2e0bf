/**
 * One result shape across the four families (issue #3): the verified response body (for payouts,
 * the decrypted one), a normalized state where the operation has one, the platform's raw codes
 * and messages, and the raw response text.
 */
import type { MmspRequestMeta, OperationName } from '@mmsp/codec';

/**
 * Normalized trade state.
 * - `paid`: the money moved (payment succeeded, payout paid: PAYSTATE 1, STATUS 1).
 * - `paying`: in flight, not final (micropay STATUS 3 / ERRCODE AA, payout PAYSTATE 2): poll, never resend.
 * - `failed`: final failure of the trade (query STATUS 2, payout PAYSTATE 3).
 * - `refunded`: the payment was refunded (query STATUS 3).
 * - `closed`: cancelled or closed (scan.cancel / scan.close STATUS 1).
 * - `pending`: order created, waiting for the payer (quick pay STATUS 0, scan order STATUS 1).
 * - `accepted`: the platform accepted the request and will decide later (payout PAYSTATE 5,
 *   SMS confirm, refund accepted).
 */
export type TradeState = 'paid' | 'paying' | 'failed' | 'refunded' | 'closed' | 'pending' | 'accepted';

/** The platform's codes and messages of a result, exactly as it sent them (both layers, PROTOCOL §2). */
export interface ResultCodes {
  /** Envelope `RetCode` (MD5 families) or payout `RETCODE`. */
  retCode?: string;
  /** Envelope `ErrMsg`/`ErrorMsg`, or payout `RETMSG`/`REMSG`/`RETMMSG`. */
  message?: string;
  /** Body `STATUS` (MD5 families) or `PAYSTATE` (payout), as text. */
  status?: string;
  /** Body `ERRCODE` / `ERR_CODE`. */
  errCode?: string;
  /** Body `ERRMSG` / `ERR_CODE_MSG`. */
  errMsg?: string;
}

/**
 * One result shape across the four families (issue #3): the verified response body (for payouts,
 * the decrypted one), a normalized state where the operation has one, the platform's raw codes
 * and messages, and the raw response text. A request the platform refused is not a result: it
 * throws `MmspBusinessError`.
 */
export interface MmspResult<Body = Record<string, unknown>, Name extends OperationName = OperationName> {
  /** The operation that was called, e.g. `scan.query`. */
  operation: Name;
  /** The verified response Body in wire field names (payouts: the decrypted data). */
  body: Body;
  /** The normalized trade state, for operations that have one (see {@link TradeState}). */
  state?: TradeState;
  /** `RetCode` / `RETCODE`, `STATUS` / `PAYSTATE`, `ERRCODE` and the messages, as sent. */
  codes: ResultCodes;
  /** The raw response text as received. */
  raw: string;
  /** What the request was: SeqID, operation, family, URL, HTTP status, elapsed time, attempts (issue #15). */
  meta: MmspRequestMeta;
}
