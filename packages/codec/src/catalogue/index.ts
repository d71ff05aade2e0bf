/**
 * `@mmsp/codec/catalogue`: the command catalogue (PROTOCOL §4, §10) for tools that read it as data:
 * every operation of the four families (ids, whether the platform has opened it, request and
 * response fields with their presence, length, format and secret / personal flags), the push
 * specs with the role of each field (`notificationRoles`, `findNotifications`), the gateway's bank
 * list and browser-return fields, and request validation. The main entry `@mmsp/codec` has the
 * operations, the push specs, `validateRequest` and `GATEWAY_PAY_CHANNELS` too.
 *
 * @example
 * ```ts
 * import { findNotifications, getOperation, notificationRoles, validateRequest } from '@mmsp/codec/catalogue';
 *
 * const op = getOperation('scan.query');
 * op.requestId;                                   // the CommandID the request is sent with
 * op.request.filter((f) => f.presence === 'required').map((f) => f.name);
 * findNotifications(2324).map((n) => n.family);   // which families push CommandID 2324
 * notificationRoles.scan.amount;                  // the wire name of a scan push's amount
 * validateRequest('scan.query', { MERORDERID: '' }); // every problem at once, never a value
 * ```
 *
 * @packageDocumentation
 */
export type * from './types.js';
export * from './operations.js';
export * from './notifications.js';
export { validateAgainst, validateRequest, type ValidateOptions } from './validate.js';
export { GATEWAY_PAY_CHANNELS, GATEWAY_BROWSER_RETURN_FIELDS } from './gateway.js';
