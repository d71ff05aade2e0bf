// Issue #15: `findAnyOrder` (the control endpoints' lookup by merchant order id) used to scan every
// order, so planting thousands of orders and settling each was quadratic. It now reads an index:
// the test counts how many entries of the order list a lookup touches (none) over 50 000 orders,
// and checks that "most recent first" and the merchant / family filters still hold.
import { describe, expect, it } from 'vitest';
import { resolveOptions } from '../src/options.js';
import { Platform } from '../src/platform.js';
import type { EnvelopeFamily, PaymentOrder } from '../src/model.js';

function order(
  merchantNo: string,
  family: EnvelopeFamily,
  merchantOrderId: string,
  platformOrderId: string,
): PaymentOrder {
  return {
    family,
    operation: `${family}.x`,
    merchantNo,
    merchantOrderId,
    platformOrderId,
    amount: '100',
    state: 'paid',
    createdAt: 0,
    refunded: '0',
    notify: false,
  };
}

describe('findAnyOrder over 50 000 planted orders', () => {
  it('touches no entry of the order list, and answers the most recent matching order', () => {
    const platform = new Platform(resolveOptions({}));
    const N = 50_000;
    for (let i = 0; i < N; i++) platform.addOrder(order('M1', 'scan', `O${i}`, `P${i}`));
    // The same merchant order id again: another merchant, another family, then a later scan order.
    platform.addOrder(order('M2', 'scan', 'O7', 'PX1'));
    platform.addOrder(order('M1', 'quickPay', 'O7', 'PX2'));
    platform.addOrder(order('M1', 'scan', 'O7', 'PX3'));

    let reads = 0;
    const real = platform.state.orders;
    (platform.state as { orders: PaymentOrder[] }).orders = new Proxy(real, {
      get(target, prop, receiver) {
        if (typeof prop === 'string' && /^\d+$/.test(prop)) reads++;
        return Reflect.get(target, prop, receiver);
      },
    });
    for (let i = 0; i < N; i += 97)
      expect(platform.findAnyOrder(`O${i}`)?.platformOrderId).toBe(i === 7 ? 'PX3' : `P${i}`);
    expect(platform.findAnyOrder('O7')?.platformOrderId).toBe('PX3');
    expect(platform.findAnyOrder('O7', 'M2')?.platformOrderId).toBe('PX1');
    expect(platform.findAnyOrder('O7', 'M1', 'quickPay')?.platformOrderId).toBe('PX2');
    expect(platform.findAnyOrder('O7', 'M1', 'gateway')).toBeUndefined();
    expect(platform.findAnyOrder('nope')).toBeUndefined();
    expect(reads).toBe(0);
  });
});
