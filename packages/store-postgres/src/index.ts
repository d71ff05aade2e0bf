// @mmsp/store-postgres — a PostgreSQL NotificationStore for receivers running as several instances.
export { PostgresNotificationStore, createPostgresNotificationStore } from './postgres-store.js';
export type { PostgresNotificationStoreOptions } from './postgres-store.js';
