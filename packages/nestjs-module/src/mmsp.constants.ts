/** Injection token of the `@mmsp/client` client the module builds (`@InjectMmspClient()`). */
export const MMSP_CLIENT = Symbol.for('@mmsp/nestjs-module:client');

/** Metadata key `@MmspNotificationHandler()` writes on a method (read at `onModuleInit`). */
export const MMSP_NOTIFICATION_HANDLER = '@mmsp/nestjs-module:notification-handler';

/** Where the module answers the platform's pushed notifications unless `notifyPath` says otherwise. */
export const DEFAULT_NOTIFY_PATH = '/mmsp/notify';
