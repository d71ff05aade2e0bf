// @mmsp/client — runtime-neutral client: operations, validation, flows, errors, notifications.
// No node:*, Buffer or process: adapters inject a Transport and a CryptoProvider (issue #3).
export {
  MmspError,
  MmspConfigError,
  MmspValidationError,
  MmspEncodingError,
  MmspTransportError,
  MmspProtocolError,
  MmspSignatureError,
  MmspBusinessError,
  MmspOutcomeUnknownError,
  pureCrypto,
} from '@mmsp/codec';
export type { CryptoProvider, FieldIssue, Family, OperationName, SignOptions } from '@mmsp/codec';
export * from './notification-store.js';
export { DEFAULT_SEND_LEDGER_TTL_MS, MemorySendLedger, readSendLedgerRecord, sendLedgerKey } from './send-ledger.js';
export type { MemorySendLedgerOptions, SendLedger, SendLedgerRecord } from './send-ledger.js';
export { createClient, createClientCore } from './client.js';
export type { MmspClient, FamilyMethods, OperationMethod, OperationResult } from './client.js';
export { validateConfig } from './config.js';
export type { ClientConfig, Endpoints, PayoutKeys } from './config.js';
export type { Transport, TransportRequest, TransportResponse } from './transport.js';
export type { Logger, LogLevel, LogMethod, ObjectFirstLoggerTarget } from './logger.js';
export { objectFirstLogger } from './logger.js';
export { SDK_VERSION, detectRuntime, userAgent } from './user-agent.js';
export type { AppInfo, TransportIdentity } from './user-agent.js';
export type { CallOptions, ClientRuntime } from './engine.js';
export type {
  MmspHooks,
  MmspRequestMeta,
  MmspRequestEvent,
  MmspResponseEvent,
  MmspResponseOutcome,
  MmspErrorSummary,
  MmspRetryEvent,
  MmspNotificationEvent,
} from './hooks.js';
export { QUERY_OPERATIONS } from './engine.js';
export type { MmspResult, ResultCodes, TradeState } from './result.js';
export { STATE_RULES, normalizeState } from './state.js';
export { DEFAULT_QUERY_RETRY, backoffDelay } from './retry.js';
export { anySignal, type CombinedSignal } from './abort.js';
export type { RetryPolicy } from './retry.js';
export { createRedactor, maskTail } from './redact.js';
export type { WaitOptions, WaitResult } from './flows/payout.js';
export type { ScanOrderRef, ScanWaitResult } from './flows/scan.js';
export { SMS_RESEND_INTERVAL_MS } from './flows/quick-pay.js';
export { escapeHtml, gatewayFormHtml, parseGatewayReturn } from './flows/gateway.js';
export type { GatewayBrowserReturn, GatewayForm } from './flows/gateway.js';
export { openIdRedirectUrl, readOpenIdToken, wechatH5WakeUrl } from './url-builders.js';
export type { OpenIdRedirectUrlInput, WechatH5WakeUrlInput } from './url-builders.js';
export { NOTIFICATION_COMMANDS, notificationId, openNotification } from './notifications/open.js';
export type {
  NotificationKeys,
  NotificationRejection,
  OpenedNotification,
  PaidEvent,
  RejectionReason,
} from './notifications/open.js';
export { DEFAULT_CLAIM_TTL_MS } from './notifications/handle.js';
export type { HandleOptions, NotificationDecision, PaidHandler } from './notifications/handle.js';
export { createNotificationReceiver } from './notifications/receiver.js';
export {
  DEFAULT_NOTIFICATION_MAX_BODY_BYTES,
  NOTIFICATION_HTTP_ANSWERS,
  notificationEndpointIssues,
  notificationRequestProblem,
  type NotificationEndpointOptions,
  type NotificationHttpAnswer,
  type NotificationRequestFacts,
} from './notifications/http.js';
export type { NotificationReceiver, NotificationReceiverConfig } from './notifications/receiver.js';
export type {
  BatchFamily,
  BatchPageInfo,
  BatchQueryAllInput,
  BatchQueryAllOptions,
  BatchRecord,
} from './reconcile/batch-query-all.js';
export { createReconciler, failureId, paidEventFromQuery } from './reconcile/reconciler.js';
export type {
  FailedOrder,
  PayoutPaidEvent,
  PendingOrder,
  PendingSource,
  ReconcileItem,
  ReconcileOutcome,
  ReconcileReport,
  ReconcileSource,
  Reconciler,
  ReconcilerOptions,
} from './reconcile/reconciler.js';
export { reconcileRange } from './reconcile/range.js';
export type {
  KnownOrder,
  RangeDifference,
  RangeDifferenceKind,
  RangeProgress,
  RangeReport,
  ReconcileRangeOptions,
} from './reconcile/range.js';
