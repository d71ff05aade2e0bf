// @mmsp/nestjs-module — MmspModule for NestJS: the client as MmspService, notifications as decorated handlers.
export { MmspModule } from './mmsp.module.js';
export { MMSP_MODULE_OPTIONS } from './mmsp.module-definition.js';
export type {
  MmspModuleAsyncOptions,
  MmspModuleForRootOptions,
  MmspModuleOptionsFactory,
} from './mmsp.module-definition.js';
export type { MmspModuleOptions, MmspNotificationOptions } from './mmsp.options.js';
export { MmspService } from './mmsp.service.js';
export { MMSP_CLIENT, MMSP_NOTIFICATION_HANDLER, DEFAULT_NOTIFY_PATH } from './mmsp.constants.js';
export { InjectMmspClient } from './inject-mmsp-client.decorator.js';
export { MmspNotificationHandler } from './notification-handler.decorator.js';
export type { MmspNotificationFilter, NotificationHandlerMetadata } from './notification-filter.js';
export { MmspExceptionFilter, mmspErrorResponse } from './mmsp-exception.filter.js';
export type { MmspErrorResponse } from './mmsp-exception.filter.js';
export { MmspOutcomeUnknownError } from '@mmsp/client';
export type { MmspClient, NotificationStore, PaidEvent, NotificationDecision } from '@mmsp/client';
