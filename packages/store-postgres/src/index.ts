// @mmsp/store-postgres — a PostgreSQL NotificationStore for receivers running as several instances.
export { PostgresNotificationStore, createPostgresNotificationStore } from './postgres-store.js';
export type { PostgresNotificationStoreOptions } from './postgres-store.js';
export { PostgresSendLedger } from './postgres-send-ledger.js';
export type { PostgresSendLedgerOptions } from './postgres-send-ledger.js';
