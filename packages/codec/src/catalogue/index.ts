// The command catalogue (issue #2 item 3, docs/ARCHITECTURE.md "Catalogue"): every operation of the
// four families as data (one file per family), typed from that data, with request validation.
export type * from './types.js';
export * from './operations.js';
export * from './notifications.js';
export { validateRequest, type ValidateOptions } from './validate.js';
export { GATEWAY_PAY_CHANNELS, GATEWAY_BROWSER_RETURN_FIELDS } from './gateway.js';
