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

export function MmspNotificationHandler(filter?: MmspNotificationFilter): MethodDecorator {
  return SetMetadata(MMSP_NOTIFICATION_HANDLER, normalizeFilter(filter)) as MethodDecorator;
}
