/**
 * The shop: MmspModule (client + notification route at /mmsp/notify) and the shop's pages.
 * Built by main.ts once the platform (embedded sandbox or environment) and the port are known.
 */
import { Module, RequestMethod, type DynamicModule, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { MmspModule, DEFAULT_NOTIFY_PATH } from '@mmsp/nestjs-module';
import { MemoryNotificationStore } from '@mmsp/client';
import { ActivityLog } from './activity-log.js';
import type { DemoContext } from './context.js';
import type { ShopDb } from './db.js';
import { NotificationLogMiddleware, PaymentNotifications } from './notifications.js';
import { ApiController } from './api.controller.js';
import { PagesController } from './pages.controller.js';
import { NOTIFICATION_STORE, ShopReconciler } from './reconciliation.js';
import { ShopService } from './shop.service.js';
import { ACTIVITY_LOG, DEMO_CONTEXT, SHOP_DB } from './tokens.js';

export interface AppModuleOptions {
  context: DemoContext;
  db: ShopDb;
  activity: ActivityLog;
}

@Module({})
export class AppModule implements NestModule {
  static register({ context, db, activity }: AppModuleOptions): DynamicModule {
    const { settings } = context;
    // One store for the notification route and the reconciler: each payment is handled once.
    const store = new MemoryNotificationStore();
    return {
      module: AppModule,
      imports: [
        MmspModule.forRoot({
          merchantNo: settings.merchantNo,
          terminalNo: settings.terminalNo,
          key: settings.key,
          endpoints: settings.endpoints,
          ...(settings.payout ? { payout: settings.payout } : {}),
          logger: activity.clientLogger,
          timeoutMs: 15_000,
          notifyPath: DEFAULT_NOTIFY_PATH,
          store,
          // A notification whose amount is not the order's is refused (issue #3 expectAmount).
          expectAmount: (event) => db.order(event.merchantOrderId)?.amount,
        }),
      ],
      controllers: [PagesController, ApiController],
      providers: [
        { provide: SHOP_DB, useValue: db },
        { provide: ACTIVITY_LOG, useValue: activity },
        { provide: DEMO_CONTEXT, useValue: context },
        ShopService,
        PaymentNotifications,
        NotificationLogMiddleware,
        { provide: NOTIFICATION_STORE, useValue: store },
        ShopReconciler,
      ],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply(NotificationLogMiddleware)
      .forRoutes({ path: DEFAULT_NOTIFY_PATH.slice(1), method: RequestMethod.POST });
  }
}
