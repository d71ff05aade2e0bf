/**
 * Finding the `@MmspNotificationHandler()` methods (golevelup style): every provider instance from
 * `DiscoveryService`, its methods from `MetadataScanner`, the filter from `Reflector`. Runs at
 * `onModuleInit`, when every singleton exists.
 */
import type { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { MmspConfigError, type PaidEvent } from '@mmsp/client';
import { MMSP_NOTIFICATION_HANDLER } from './mmsp.constants.js';
import type { NotificationHandlerMetadata } from './notification-filter.js';

export interface DiscoveredHandler {
  /** `Class.method`, for logs. */
  name: string;
  meta: NotificationHandlerMetadata;
  run: (event: PaidEvent) => unknown;
}

export function discoverHandlers(
  discovery: DiscoveryService,
  scanner: MetadataScanner,
  reflector: Reflector,
): DiscoveredHandler[] {
  const found: DiscoveredHandler[] = [];
  const seen = new Set<unknown>();
  for (const wrapper of discovery.getProviders()) {
    const instance: unknown = wrapper.instance;
    if (!instance || typeof instance !== 'object' || seen.has(instance)) continue;
    seen.add(instance);
    const prototype = Object.getPrototypeOf(instance) as object | null;
    if (!prototype) continue;
    for (const method of scanner.getAllMethodNames(prototype)) {
      const fn = (instance as Record<string, unknown>)[method];
      if (typeof fn !== 'function') continue;
      const meta = reflector.get<NotificationHandlerMetadata | undefined>(
        MMSP_NOTIFICATION_HANDLER,
        fn as () => unknown,
      );
      if (!meta) continue;
      const name = `${(instance as object).constructor?.name ?? 'provider'}.${method}`;
      // A request-scoped provider has no instance outside a request; a notification is not one.
      if (!wrapper.isDependencyTreeStatic() || wrapper.isTransient) {
        throw new MmspConfigError([
          {
            field: name,
            rule: 'scope',
            message: `@MmspNotificationHandler() on ${name}: request-scoped and transient providers cannot receive notifications; use a singleton provider`,
          },
        ]);
      }
      found.push({ name, meta, run: (event) => (fn as (e: PaidEvent) => unknown).call(instance, event) });
    }
  }
  return found;
}
