/**
 * `@MmspNotificationHandler(filter?)` marks a provider method that receives each verified, typed
 * `PaidEvent` (`@mmsp/client`). Metadata only (SetMetadata): the module finds the methods at
 * `onModuleInit` with `DiscoveryService` and calls them from its notification route. The platform
 * reads `SUCCESS` only after every matching method resolved; a method that throws makes the
 * platform retry (PROTOCOL §5), so a handler must be safe to run again after its own failure.
 *
 *   @Injectable()
 *   class Orders {
 *     @MmspNotificationHandler('scan')
 *     async paid(event: PaidEvent) { await this.repo.markPaid(event.merchantOrderId, event.amount); }
 *   }
 */
import { SetMetadata } from '@nestjs/common';
import { MMSP_NOTIFICATION_HANDLER } from './mmsp.constants.js';
import { normalizeFilter, type MmspNotificationFilter } from './notification-filter.js';

/**
 * Marks a provider method that receives each verified, typed `PaidEvent` (`@mmsp/client`) of the
 * platform's pushed payment notifications (PROTOCOL §5): `{ type: 'paid', family, command,
 * merchantOrderId, platformOrderId, amount, paidAt?, body }`, `amount` in fen as a string.
 *
 * Metadata only: {@link MmspModule} finds the methods at `onModuleInit` and calls them from its
 * notification route, one after the other. The platform reads `SUCCESS` only after every matching
 * method resolved; a method that throws (or no method matching) makes the platform retry on its
 * schedule, so a handler must be safe to run again after its own failure. A duplicate delivery of a
 * handled notification is answered `SUCCESS` without running the methods again (the `store` decides).
 * Methods of request-scoped or transient providers fail the start-up.
 *
 * @param filter - Which notifications: all (none given), a family (`'quickPay'`, `'scan'`,
 *   `'gateway'`), a list of families, or `{ family?, command? }` with the notification CommandIDs
 *   35104, 35090, 2324 (PROTOCOL §4). Checked when the class is defined (TypeError naming the bad value).
 *
 * @example
 * ```ts
 * import { Injectable } from '@nestjs/common';
 * import { MmspNotificationHandler, type PaidEvent } from '@mmsp/nestjs-module';
 *
 * @Injectable()
 * export class Orders {
 *   readonly paid = new Map<string, string>();
 *
 *   @MmspNotificationHandler('scan') // WeChat, Alipay, QQ, JD, UnionPay QR and micropay
 *   async scanPaid(event: PaidEvent) {
 *     this.paid.set(event.merchantOrderId, event.amount); // must be safe to run twice
 *   }
 *
 *   @MmspNotificationHandler({ family: ['quickPay', 'gateway'] })
 *   async cardPaid(event: PaidEvent) {
 *     this.paid.set(event.merchantOrderId, event.amount);
 *   }
 * }
 * ```
 */
export function MmspNotificationHandler(filter?: MmspNotificationFilter): MethodDecorator {
  return SetMetadata(MMSP_NOTIFICATION_HANDLER, normalizeFilter(filter)) as MethodDecorator;
}
