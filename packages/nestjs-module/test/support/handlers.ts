/** A merchant's provider with decorated notification handlers that record what they received. */
import { Injectable } from '@nestjs/common';
import type { PaidEvent } from '@mmsp/client';
import { MmspNotificationHandler } from '../../src/index.js';

@Injectable()
export class PaidOrders {
  /** Successful runs of `onPaid` (every family). */
  readonly paid: PaidEvent[] = [];
  /** Every call, including the failing ones. */
  readonly calls: PaidEvent[] = [];
  /** merchantOrderId → how many more calls throw before one succeeds. */
  readonly failBeforeSuccess = new Map<string, number>();

  @MmspNotificationHandler()
  async onPaid(event: PaidEvent): Promise<void> {
    this.calls.push(event);
    await new Promise((r) => setTimeout(r, 1)); // a real handler awaits its database
    const left = this.failBeforeSuccess.get(event.merchantOrderId) ?? 0;
    if (left > 0) {
      this.failBeforeSuccess.set(event.merchantOrderId, left - 1);
      throw new Error('merchant database unavailable');
    }
    this.paid.push(event);
  }

  paidFor(id: string): PaidEvent[] {
    return this.paid.filter((e) => e.merchantOrderId === id);
  }
  callsFor(id: string): PaidEvent[] {
    return this.calls.filter((e) => e.merchantOrderId === id);
  }
}

/** Receives scan-code notifications only (filter by family). */
@Injectable()
export class ScanOnly {
  readonly seen: PaidEvent[] = [];

  @MmspNotificationHandler('scan')
  scanPaid(event: PaidEvent): void {
    this.seen.push(event);
  }
}
