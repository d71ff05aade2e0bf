/**
 * The attribute and instrument names this package records. OpenTelemetry's stable names where one
 * fits (`error.type`, `http.request.method`, `http.response.status_code`, `server.address`,
 * `server.port`, `url.full`), `mmsp.*` for what only MMSP has. Exported so that dashboards and
 * tests spell them once.
 */
export const MmspAttributes = {
  /** The catalogue operation, e.g. `scan.query`. */
  OPERATION: 'mmsp.operation',
  /** The family: `quickPay`, `scan`, `gateway`, `payout`. */
  FAMILY: 'mmsp.family',
  /** The envelope's `SeqID` of the last attempt (MD5 families; payouts have none). */
  SEQ_ID: 'mmsp.seq_id',
  /** HTTP exchanges of the call (more than 1 when a query was retried). */
  ATTEMPTS: 'mmsp.attempts',
  /** On the events `mmsp.request` and `mmsp.retry` of a retried query's span: which attempt (1-based). */
  ATTEMPT: 'mmsp.attempt',
  /** On the event `mmsp.retry`: the wait before the next attempt, in milliseconds. */
  RETRY_DELAY_MS: 'mmsp.retry.delay_ms',
  /** On the event `mmsp.retry`: why (the failed attempt's error, first line). */
  RETRY_REASON: 'mmsp.retry.reason',
  /** How the call ended: `ok`, `refused` (the platform said no), `unknown` (it may have acted: query before acting again) or `error`. */
  OUTCOME: 'mmsp.outcome',
  /** The normalized trade state of a result (`paid`, `paying`, `pending`…). */
  STATE: 'mmsp.state',
  /** Envelope `RetCode`, payout `RETCODE`, or a negative response's `RetCode`. */
  RET_CODE: 'mmsp.ret_code',
  /** Body `STATUS` or payout `PAYSTATE`. */
  STATUS: 'mmsp.status',
  /** Body `ERRCODE` / `ERR_CODE`. */
  ERR_CODE: 'mmsp.err_code',
  /** A refusal's platform code (`MmspBusinessError.platformCode`). */
  PLATFORM_CODE: 'mmsp.platform_code',
  /** `MmspTransportError.mayHaveReachedPlatform`. */
  MAY_HAVE_REACHED_PLATFORM: 'mmsp.may_have_reached_platform',
  /** The merchant's order number (`MERORDERID`, payout `ORDERNO`): an identifier, never card data. */
  MERCHANT_ORDER_ID: 'mmsp.merchant_order_id',
  /** A notification's envelope CommandID (35104, 35090, 2324). */
  COMMAND_ID: 'mmsp.command_id',
  /** The receiver's decision on a notification: `handled`, `duplicate`, `rejected`, `busy`, `handler-failed`, `amount-mismatch`. */
  NOTIFICATION_DECISION: 'mmsp.notification.decision',
  /** Why a notification was rejected: `bad-signature`, `malformed`, `unknown-command`, `not-paid`. */
  NOTIFICATION_REASON: 'mmsp.notification.reason',
} as const;

/** OpenTelemetry's stable attribute names used here (semantic conventions: general, HTTP). */
export const SemconvAttributes = {
  ERROR_TYPE: 'error.type',
  HTTP_REQUEST_METHOD: 'http.request.method',
  HTTP_RESPONSE_STATUS_CODE: 'http.response.status_code',
  SERVER_ADDRESS: 'server.address',
  SERVER_PORT: 'server.port',
  URL_FULL: 'url.full',
} as const;

/**
 * The instruments this package records: `mmsp.client.call.duration` (histogram, seconds, by
 * operation, family, outcome, `error.type`, HTTP status), `mmsp.client.call.retries` (counter, by
 * operation), `mmsp.notifications` (counter, by family and decision) and
 * `mmsp.notification.duration` (histogram, seconds, by family and decision).
 */
export const MmspMetrics = {
  /** Histogram, seconds: one measurement per call, retries and their waits included. */
  CALL_DURATION: 'mmsp.client.call.duration',
  /** Counter: query attempts retried after a transport failure. */
  CALL_RETRIES: 'mmsp.client.call.retries',
  /** Counter: notifications decided, by family and decision. */
  NOTIFICATIONS: 'mmsp.notifications',
  /** Histogram, seconds: how long deciding a notification took (the merchant's handler included). */
  NOTIFICATION_DURATION: 'mmsp.notification.duration',
} as const;
