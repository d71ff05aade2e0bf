/**
 * What one call to the platform was (issue #15): on every `MmspResult` and on every `MmspError`
 * raised after the request was built, and in every hook / `diagnostics_channel` event. Never a
 * secret, never card data.
 *
 * @example
 * ```ts
 * import { MmspError } from '@mmsp/codec';
 *
 * function where(err: unknown): string {
 *   const m = err instanceof MmspError ? err.meta : undefined;
 *   return m ? `${m.operation} SeqID ${m.seqId ?? '-'} HTTP ${m.httpStatus ?? '-'} after ${m.elapsedMs} ms, ${m.attempts} attempt(s)` : 'no request was sent';
 * }
 * ```
 */
export interface MmspRequestMeta {
  /** The envelope's `SeqID` of the last attempt (MD5 families); `undefined` for payouts, which have no envelope (PROTOCOL §6). */
  seqId: number | undefined;
  /** The catalogue name, e.g. `scan.query`. */
  operation: string;
  /** The family: `quickPay`, `scan`, `gateway` or `payout`. */
  family: string;
  /** The endpoint the request was POSTed to (any user:password part removed). */
  url: string;
  /** The HTTP status of the last answer; `undefined` when none came (timeout, connection failure). */
  httpStatus: number | undefined;
  /** Milliseconds from the first attempt's send to the end of the call (retries and their waits included). */
  elapsedMs: number;
  /** HTTP exchanges made: 1, or more when a query was retried after a transport failure. */
  attempts: number;
}

/**
 * The base class of every error the SDK throws. They live in the codec so that the codec, the
 * client, the sandbox and every adapter throw and catch the very same classes; `@mmsp/client`
 * re-exports them. Branch on the subclass or on `code`.
 *
 * Rule: a message names the field and the rule, never the value of a
 * secret (MD5 key, private key) or of card data (CARDNO, CVN2, ID_NO, EXPDATE).
 *
 * @example
 * ```ts
 * import { MmspError, MmspTransportError } from '@mmsp/codec';
 *
 * function explain(err: unknown): string {
 *   if (err instanceof MmspTransportError && err.mayHaveReachedPlatform) return 'unknown outcome: query, never resend';
 *   if (err instanceof MmspError) return `${err.code}: ${err.message}`;
 *   return 'not an MMSP error';
 * }
 * ```
 */
export class MmspError extends Error {
  /** Stable machine-readable code, e.g. `MMSP_VALIDATION`. */
  readonly code: string;
  /**
   * What the request was, when the error was raised after the client built one (a lost answer, a
   * bad signature, a refusal…): SeqID, operation, family, URL, HTTP status, time and attempts
   * (issue #15). Absent on errors raised before anything was built (validation, configuration).
   */
  declare meta?: MmspRequestMeta;
  constructor(message: string, code = 'MMSP_ERROR', options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** A problem with one field: which field, which rule, and the shape (never the value) of what was given. */
export interface FieldIssue {
  /** Wire field name or configuration path, e.g. `AMT`, `Body.MERORDERID`, `endpoints.scan`. */
  field: string;
  /** Short rule identifier: `required`, `maxLength`, `digits`, `format`, `enum`, `type`, ... */
  rule: string;
  /** Human sentence naming the field and the rule. Never contains a secret value. */
  message: string;
  /** A description of the value's shape, e.g. `string(40)` or `number`, never the value itself. */
  got?: string;
  /** Rule `unknown` (a key the operation's table does not list): the nearest known field name, e.g. `AMT` for `amt` or `AMOUNT`. */
  suggestion?: string;
}

/**
 * The SDK was configured wrongly (`createClient`'s configuration, a receiver's options, an
 * unusable key): code `MMSP_CONFIG`. Thrown before anything is sent; every problem is listed.
 */
export class MmspConfigError extends MmspError {
  /** Every problem, each naming the configuration path and the rule (never a secret's value). */
  readonly issues: FieldIssue[];
  constructor(issues: FieldIssue[]) {
    super(`Invalid MMSP configuration:\n${issues.map((i) => `  - ${i.message}`).join('\n')}`, 'MMSP_CONFIG');
    this.issues = issues;
  }
}

/**
 * A request Body (or an envelope's header input) breaks the document's field rules (required,
 * length, format, enum, cross-field rules): code `MMSP_VALIDATION`. Thrown before anything is
 * sent, with every problem at once; never carries a secret's or card data's value.
 */
export class MmspValidationError extends MmspError {
  /** The operation whose Body was checked (e.g. `scan.wechatOrder`), when known. */
  readonly operation: string | undefined;
  /** Every problem, each naming the wire field and the rule. */
  readonly issues: FieldIssue[];
  constructor(issues: FieldIssue[], operation?: string) {
    super(
      `${operation ? `${operation}: ` : ''}invalid request body:\n${issues.map((i) => `  - ${i.message}`).join('\n')}`,
      'MMSP_VALIDATION',
    );
    this.operation = operation;
    this.issues = issues;
  }
}

/** Text could not be encoded or decoded the way PHP does (invalid UTF-8, depth > 512, syntax). */
export class MmspEncodingError extends MmspError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, 'MMSP_ENCODING', options);
  }
}

/**
 * The HTTP exchange with the platform failed (DNS, connection, TLS, timeout, non-2xx status,
 * oversized or unreadable response): code `MMSP_TRANSPORT`. When `mayHaveReachedPlatform` is
 * true, the outcome of a payment or payout is unknown: settle it by a query, never by a resend
 * (PROTOCOL §6).
 */
export class MmspTransportError extends MmspError {
  /**
   * Whether the request may have reached the platform. `false` only when we know it did not
   * (DNS failure, connection refused, aborted before the first byte was written); when `true`, the
   * outcome of a payment or payout is unknown and must be settled by a query, never by a resend.
   */
  readonly mayHaveReachedPlatform: boolean;
  /** The HTTP status when the platform answered with a non-2xx one; `undefined` otherwise. */
  readonly status: number | undefined;
  constructor(message: string, opts: { mayHaveReachedPlatform: boolean; status?: number; cause?: unknown }) {
    super(message, 'MMSP_TRANSPORT', { cause: opts.cause });
    this.mayHaveReachedPlatform = opts.mayHaveReachedPlatform;
    this.status = opts.status;
  }
}

/** The platform answered at the protocol layer with an error: the negative response (CommandID 32768) or `RetCode` ≠ 1. */
export class MmspProtocolError extends MmspError {
  /** The envelope's `RetCode` (as text) when there was one. */
  readonly retCode: string | undefined;
  /** The envelope's `CommandID` (32768 for the negative response) when it could be read. */
  readonly commandId: number | undefined;
  /** The platform's own `ErrorMsg` / `ErrMsg` text, when it sent one. */
  readonly platformMessage: string | undefined;
  constructor(message: string, opts: { retCode?: string; commandId?: number; platformMessage?: string } = {}) {
    super(message, 'MMSP_PROTOCOL');
    this.retCode = opts.retCode;
    this.commandId = opts.commandId;
    this.platformMessage = opts.platformMessage;
  }
}

/** A response or notification whose signature does not verify. Its content is never trusted. */
export class MmspSignatureError extends MmspError {
  constructor(message = 'The signature does not match: the message is not trusted.') {
    super(message, 'MMSP_SIGNATURE');
  }
}

/** The platform understood the request and refused it: payout `RETCODE`, body `ERRCODE`. */
export class MmspBusinessError extends MmspError {
  /** The platform's code: payout `RETCODE` (e.g. `0003`) or the Body's `ERRCODE`. */
  readonly platformCode: string;
  /** The platform's own message text (`RETMSG`, `ERRMSG`…), when it sent one. */
  readonly platformMessage: string | undefined;
  /** The document's meaning of the code, when the catalogue knows it. */
  readonly meaning: string | undefined;
  /** The verified response Body, as plain JS, for fields the SDK does not interpret. */
  readonly body: unknown;
  constructor(
    message: string,
    opts: { platformCode: string; platformMessage?: string; meaning?: string; body?: unknown },
  ) {
    super(message, 'MMSP_BUSINESS');
    this.platformCode = opts.platformCode;
    this.platformMessage = opts.platformMessage;
    this.meaning = opts.meaning;
    this.body = opts.body;
  }
}

/**
 * A money-moving request (payout, micropay, quick-pay pay / SMS confirm / bound-card confirm /
 * bound-card SMS, refund) may have reached the platform, and no readable answer said what became
 * of it before the deadline (issue #13; PROTOCOL §5, §6). The money may have moved. Query the
 * order by its number until it is final; never resend it under a new order number.
 */
export class MmspOutcomeUnknownError extends MmspError {
  /** The catalogue name of the money-moving operation, e.g. `payout.pay`. */
  readonly operation: string;
  /** The merchant's order number (`MERORDERID`, payout `ORDERNO`, refund `REFUND_MERORDERID`), when the request had one. */
  readonly merchantOrderId: string | undefined;
  /** The last state a readable answer gave (e.g. `paying`), `undefined` when none did. */
  readonly lastKnownState: string | undefined;
  /** The query operation that settles it, e.g. `payout.query`. */
  readonly queryOperation: string | undefined;
  constructor(opts: {
    operation: string;
    merchantOrderId?: string;
    lastKnownState?: string;
    queryOperation?: string;
    reason: string;
    cause?: unknown;
  }) {
    const id = opts.merchantOrderId !== undefined ? ` ${opts.merchantOrderId}` : '';
    const query = opts.queryOperation ? ` with ${opts.queryOperation}` : '';
    super(
      `${opts.operation}${id}: the outcome is unknown (${opts.reason})${opts.lastKnownState ? `; last known state: ${opts.lastKnownState}` : ''}. ` +
        `The money may have moved: query the order${query} until it is final; never resend it under a new order number.`,
      'MMSP_OUTCOME_UNKNOWN',
      opts.cause !== undefined ? { cause: opts.cause } : undefined,
    );
    this.operation = opts.operation;
    this.merchantOrderId = opts.merchantOrderId;
    this.lastKnownState = opts.lastKnownState;
    this.queryOperation = opts.queryOperation;
  }
}
