/**
 * The shop's reconciler (issue #16): every `intervalMs` it queries the orders still open (created,
 * pending, paying) and older than `minAgeMs`, and settles them as their notification would have —
 * so an order whose notification never comes (endpoint down, proxy broken, the platform gave up
 * after its retries) is settled within a minute, and the order page says it was learnt by
 * reconciliation. It shares MmspModule's notification store: a payment is handled once, whether the
 * push or the reconciler sees it first. Only queries are sent.
 */
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { MmspService } from '@mmsp/nestjs-module';
import { createReconciler, type NotificationStore, type PendingOrder, type Reconciler } from '@mmsp/client';
import { ActivityLog } from './activity-log.js';
import type { DemoContext } from './context.js';
import type { ShopDb } from './db.js';
import { ShopService } from './shop.service.js';
import { ACTIVITY_LOG, DEMO_CONTEXT, SHOP_DB } from './tokens.js';

export const NOTIFICATION_STORE = Symbol('NOTIFICATION_STORE');

/** Interval and minimum age (ms); the environment can shorten them (tests) or switch it off (interval 0). */
export function reconcileSettings(env: NodeJS.ProcessEnv): { intervalMs: number; minAgeMs: number } {
  const num = (name: string, fallback: number) => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const n = Number(raw);
    if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a number of milliseconds ≥ 0`);
    return n;
  };
  return { intervalMs: num('MMSP_DEMO_RECONCILE_MS', 15_000), minAgeMs: num('MMSP_DEMO_RECONCILE_MIN_AGE_MS', 20_000) };
}

const OPEN = new Set(['created', 'pending', 'paying']);

@Injectable()
export class ShopReconciler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Reconciler');
  private reconciler: Reconciler | undefined;

  constructor(
    @Inject(MmspService) private readonly mmsp: MmspService,
    @Inject(ShopService) private readonly shop: ShopService,
    @Inject(SHOP_DB) private readonly db: ShopDb,
    @Inject(ACTIVITY_LOG) private readonly activity: ActivityLog,
    @Inject(DEMO_CONTEXT) private readonly ctx: DemoContext,
    @Inject(NOTIFICATION_STORE) private readonly store: NotificationStore,
  ) {}

  onApplicationBootstrap(): void {
    const { intervalMs, minAgeMs } = this.ctx.reconcile ?? { intervalMs: 15_000, minAgeMs: 20_000 };
    if (intervalMs === 0) return;
    this.reconciler = createReconciler({
      client: this.mmsp.client,
      store: this.store,
      minAgeMs,
      concurrency: 2,
      pending: () =>
        this.db
          .orders(1000)
          .filter((o) => OPEN.has(o.state))
          .map((o): PendingOrder => ({
            family: o.family,
            merchantOrderId: o.id,
            amount: o.amount,
            createdAt: o.createdAt,
          })),
      onPaid: (event, info) => {
        this.activity.response(info.result, event.merchantOrderId);
        this.shop.settleByReconciliation(
          event.merchantOrderId,
          'paid',
          'Paid: learnt by reconciliation — the notification never came, the reconciler queried the platform (signed answer).',
          event.platformOrderId,
        );
      },
      onFailed: (order, info) => {
        this.activity.response(info.result, order.merchantOrderId);
        const why = order.code ? ` (${order.code}${order.message ? ` ${order.message}` : ''})` : '';
        this.shop.settleByReconciliation(
          order.merchantOrderId,
          order.state,
          `${order.state === 'refunded' ? 'Refunded' : 'Not paid'}${why}: learnt by reconciliation.`,
        );
      },
    });
    this.reconciler.start(Math.max(100, intervalMs), (report) => {
      if (report.paid + report.failed + report.errors > 0) {
        this.logger.log(
          `reconciliation: ${report.checked} checked, ${report.handled} paid now, ${report.failed} failed, ${report.stillPending} still pending, ${report.errors} errors`,
        );
      }
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.reconciler?.stop();
  }
}
