// @mmsp/sandbox — the MMSP platform on localhost, for tests, demos and first steps (README).
export { startSandbox, type Sandbox, type SandboxMerchant } from './server.js';
export { TEST_MERCHANT, type SandboxOptions, type SandboxMerchantInput } from './options.js';
export type { FaultKind, FaultSpec, FaultMatch, ArmedFault } from './faults.js';
export type { LostFilter } from './lost-notifications.js';
export type { PaymentOrder, PayoutRecord, SmsRecord, NotificationAttempt, Ledger, OrderState } from './model.js';
export { MICROPAY_TEST_CODES } from './families/scan.js';
export { CARD_TEST_NUMBERS } from './families/quick-pay.js';
export { PAYOUT_TEST_ACCOUNTS } from './families/payout.js';
export { retrySchedule } from './notifier.js';
