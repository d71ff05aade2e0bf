import { Injectable } from '@nestjs/common';
import { MmspNotificationHandler, type PaidEvent } from '@mmsp/nestjs-module';

@Injectable()
export class OrdersService {
  /** Paid orders: merchant order id → amount in fen. A real app writes its database here. */
  readonly paid = new Map<string, string>();
  /** How many times the handler ran (the module runs it once per notification, however often it is pushed). */
  handled = 0;

  @MmspNotificationHandler()
  async markPaid(event: PaidEvent): Promise<void> {
    this.handled++;
    this.paid.set(event.merchantOrderId, event.amount);
  }
}
