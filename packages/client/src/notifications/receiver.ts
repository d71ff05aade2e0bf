/**
 * `createNotificationReceiver({ key, agentKey?, signOptions? })`: the notification half of the
 * client for a receiver configured with only a key (docs/ARCHITECTURE.md). The key stays in this
 * closure; the returned object prints as `{ type: 'MmspNotificationReceiver' }`.
 */
import { MmspConfigError, type FieldIssue, type SignOptions } from '@mmsp/codec';
import type { Logger } from '../logger.js';
import { createSafeLogger, consoleLogger } from '../logger.js';
import { createRedactor } from '../redact.js';
import { createNotificationHandling, type HandleOptions, type NotificationDecision, type PaidHandler } from './handle.js';
import type { OpenedNotification } from './open.js';

export interface NotificationReceiverConfig {
  key: string;
  agentKey?: string;
  signOptions?: SignOptions;
  logger?: Logger;
}

export interface NotificationReceiver {
  open(rawText: string): OpenedNotification;
  handle(rawText: string, onPaid: PaidHandler, options?: HandleOptions): Promise<NotificationDecision>;
}

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

export function createNotificationReceiver(config: NotificationReceiverConfig): NotificationReceiver {
  const issues: FieldIssue[] = [];
  const c = (config ?? {}) as unknown as Record<string, unknown>;
  if (typeof c.key !== 'string' || c.key.trim() === '') issues.push({ field: 'key', rule: 'required', message: 'key is required: the MD5 key as a non-empty string (its value is never shown)' });
  if (c.agentKey !== undefined && (typeof c.agentKey !== 'string' || c.agentKey.trim() === '')) issues.push({ field: 'agentKey', rule: 'type', message: 'agentKey must be a non-empty string (its value is never shown)' });
  if (issues.length) throw new MmspConfigError(issues);
  const keys = { key: config.key, ...(config.agentKey !== undefined ? { agentKey: config.agentKey } : {}), ...(config.signOptions ? { signOptions: config.signOptions } : {}) };
  const logger = createSafeLogger(config.logger ?? consoleLogger, createRedactor([config.key, config.agentKey]));
  const handling = createNotificationHandling(() => keys, logger);
  const describe = () => ({ type: 'MmspNotificationReceiver' });
  return Object.freeze({
    open: handling.open,
    handle: handling.handle,
    toJSON: describe,
    [INSPECT]: describe,
  });
}
