// @mmsp/client — runtime-neutral client: operations, validation, flows, errors, notifications.
export * from './notification-store.js';
