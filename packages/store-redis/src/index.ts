// @mmsp/store-redis — a Redis NotificationStore for receivers running as several instances.
export { RedisNotificationStore, createRedisNotificationStore } from './redis-store.js';
export type { RedisNotificationStoreOptions } from './redis-store.js';
export { RedisSendLedger } from './redis-send-ledger.js';
export type { RedisSendLedgerOptions } from './redis-send-ledger.js';
