/**
 * `createNotificationReceiver({ key, agentKey?, signOptions? })`: the notification half of the
 * client for a receiver configured with only a key (docs/ARCHITECTURE.md). The key stays in this
 * closure; the returned object prints as `{ type: 'MmspNotificationReceiver' }`.
 */
import { MmspConfigError, type FieldIssue, type SignOptions } from '@mmsp/codec';
import type { MmspHooks } from '../hooks.js';
import type { Logger } from '../logger.js';
import { createSafeLogger, consoleLogger } from '../logger.js';
import { createRedactor } from '../redact.js';
import {
  createNotificationHandling,
  DECIDE_NOW,
  type HandleOptions,
  type NotificationDecision,
  type PaidHandler,
} from './handle.js';
import type { OpenedNotification } from './open.js';

/** What {@link createNotificationReceiver} takes: the key(s) that verify notifications. */
export interface NotificationReceiverConfig {
  /** The merchant's MD5 key (PROTOCOL §3). */
  key: string;
  /** Agency mode: the agent's MD5 key, which verifies instead of `key` (PROTOCOL §3). */
  agentKey?: string;
  /** How the Body is re-encoded for the signature check; the defaults are the document's. */
  signOptions?: SignOptions;
  /** Where the receiver logs (default: warnings and errors to `console`), redacted. */
  logger?: Logger;
  /** `onNotification` (issue #15): called with every decision's facts (family, order, amount, decision, status); a hook that throws is ignored. */
  hooks?: Pick<MmspHooks, 'onNotification'>;
}

/** The notification half of a client: `open` and `handle`, as on `client.notifications`. */
export interface NotificationReceiver {
  /** Verifies and reads one notification's raw text: a `paid` event or a `rejected` reason, never a throw. */
  open(rawText: string): OpenedNotification;
  /** The receiver's decision for one notification (see {@link NotificationDecision}). */
  handle(rawText: string, onPaid: PaidHandler, options?: HandleOptions): Promise<NotificationDecision>;
}

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/**
 * The notification half of the client, for a receiver configured with only a key (no endpoints,
 * no transport). The key stays in a closure; the returned object prints as
 * `{ type: 'MmspNotificationReceiver' }`. Throws `MmspConfigError` without a usable key.
 *
 * @example
 * ```ts
 * import { createNotificationReceiver } from '@mmsp/client';
 *
 * const receiver = createNotificationReceiver({ key: 'your-md5-key' });
 * declare const rawText: string; // the POST body exactly as received
 * const decision = await receiver.handle(rawText, async (event) => {
 *   console.log(event.family, event.merchantOrderId, event.amount); // mark the order paid
 * });
 * // respond with decision.status, decision.contentType and decision.body
 * ```
 */
export function createNotificationReceiver(config: NotificationReceiverConfig): NotificationReceiver {
  const issues: FieldIssue[] = [];
  const c = (config ?? {}) as unknown as Record<string, unknown>;
  if (typeof c.key !== 'string' || c.key.trim() === '')
    issues.push({
      field: 'key',
      rule: 'required',
      message: 'key is required: the MD5 key as a non-empty string (its value is never shown)',
    });
  if (c.agentKey !== undefined && (typeof c.agentKey !== 'string' || c.agentKey.trim() === ''))
    issues.push({
      field: 'agentKey',
      rule: 'type',
      message: 'agentKey must be a non-empty string (its value is never shown)',
    });
  if (issues.length) throw new MmspConfigError(issues);
  const keys = {
    key: config.key,
    ...(config.agentKey !== undefined ? { agentKey: config.agentKey } : {}),
    ...(config.signOptions ? { signOptions: config.signOptions } : {}),
  };
  const logger = createSafeLogger(config.logger ?? consoleLogger, createRedactor([config.key, config.agentKey]));
  const handling = createNotificationHandling(keys, logger, config.hooks);
  const describe = () => ({ type: 'MmspNotificationReceiver' });
  const receiver = {
    open: handling.open,
    handle: handling.handle,
    toJSON: describe,
    [INSPECT]: describe,
  };
  // `handle` without its promise, for this SDK's adapters (not enumerable: not part of the API).
  Object.defineProperty(receiver, DECIDE_NOW, { value: handling.decideNow });
  return Object.freeze(receiver);
}
