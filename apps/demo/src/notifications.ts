/**
 * Notifications reach the shop through MmspModule (issue #7): it verifies the signature over the
 * raw body, answers the platform, and calls this handler once per payment.
 */
import { Inject, Injectable, type NestMiddleware } from '@nestjs/common';
import { MmspNotificationHandler, MmspService } from '@mmsp/nestjs-module';
import type { PaidEvent } from '@mmsp/client';
import { ActivityLog } from './activity-log.js';
import { ShopService } from './shop.service.js';
import { ACTIVITY_LOG } from './tokens.js';

@Injectable()
export class PaymentNotifications {
  constructor(@Inject(ShopService) private readonly shop: ShopService) {}

  @MmspNotificationHandler()
  paid(event: PaidEvent): void {
    this.shop.onPaidNotification(event);
  }
}

interface RawRequest {
  rawBody?: Buffer;
}
interface FinishingResponse {
  statusCode: number;
  on(event: 'finish', listener: () => void): unknown;
  write: (...args: unknown[]) => boolean;
  end: (...args: unknown[]) => unknown;
}

/**
 * Records each notification on the live log: the raw text (card data masked), the signature check,
 * the signing string, and what the module answered. It only observes; MmspModule decides.
 */
@Injectable()
export class NotificationLogMiddleware implements NestMiddleware {
  constructor(
    @Inject(MmspService) private readonly mmsp: MmspService,
    @Inject(ACTIVITY_LOG) private readonly activity: ActivityLog,
  ) {}

  use(req: RawRequest, res: FinishingResponse, next: () => void): void {
    const raw = req.rawBody ? req.rawBody.toString('utf8') : '';
    let answer = '';
    const end = res.end.bind(res);
    res.end = (...args: unknown[]) => {
      const chunk = args[0];
      if (typeof chunk === 'string') answer += chunk;
      else if (chunk instanceof Uint8Array) answer += Buffer.from(chunk).toString('utf8');
      return end(...args);
    };
    res.on('finish', () => {
      const opened = this.mmsp.notifications.open(raw);
      const check =
        opened.type === 'paid'
          ? {
              ok: true,
              message: `Sign verified (MD5 of the signing string, constant-time compare): ${opened.family} ${opened.amount} fen paid`,
              orderId: opened.merchantOrderId,
            }
          : {
              ok: false,
              message: `${opened.reason}: ${opened.message}`,
              orderId: /"MERORDERID"\s*:\s*"([^"]{1,40})"/.exec(raw)?.[1] ?? null,
            };
      this.activity.notification(raw, check, { status: res.statusCode, body: answer.slice(0, 80) });
    });
    next();
  }
}
