// Which pushed time becomes the event's `paidAt` (src/notifications/open.ts): the family's payment
// time (`PAY_DATE` for quick pay and gateway, `PAYTIME` for scan code), unless a scan-code push also
// carries a `PAY_DATE`, which then wins when it reads as a China time and leaves `paidAt` absent
// when it does not. The event is built in one go: its keys in one order, `paidAt` last or absent.
import { describe, expect, it } from 'vitest';
import { createNotificationReceiver } from '../src/notifications/receiver.js';
import type { OpenedNotification, PaidEvent } from '../src/notifications/open.js';
import { MERCHANT } from './support/keys.js';
import { gatewayBody, quickPayBody, scanBody, signedNotification } from './support/notifications.js';

const open = (text: string): OpenedNotification =>
  createNotificationReceiver({ key: MERCHANT.key, logger: {} }).open(text);
const scan = (over: Record<string, unknown>): PaidEvent => {
  const opened = open(signedNotification(scanBody(over), { commandId: 2324, family: 'scan' }));
  if (opened.type !== 'paid') throw new Error(`not accepted: ${opened.message}`);
  return opened;
};
const KEYS = ['type', 'family', 'command', 'merchantOrderId', 'platformOrderId', 'amount', 'body'];

describe('paidAt', () => {
  it("is PAY_DATE for quick pay and gateway, PAYTIME for scan code, the event's last key", () => {
    const q = open(signedNotification(quickPayBody({ PAY_DATE: '20240229235959' })));
    expect(q.type === 'paid' && q.paidAt?.toISOString()).toBe('2024-02-29T15:59:59.000Z');
    expect(Object.keys(q)).toEqual([...KEYS, 'paidAt']);
    const g = open(signedNotification(gatewayBody({ PAY_DATE: '20000101000000' }), { commandId: 35090 }));
    expect(g.type === 'paid' && g.paidAt?.toISOString()).toBe('1999-12-31T16:00:00.000Z');
    const s = scan({ PAYTIME: '2017-12-20 10:11:12' });
    expect(s.paidAt?.toISOString()).toBe('2017-12-20T02:11:12.000Z');
    expect(Object.keys(s)).toEqual([...KEYS, 'paidAt']);
  });

  it("is a scan-code push's own PAY_DATE when it reads as a China time, in any of the three formats", () => {
    expect(scan({ PAY_DATE: '20171220101113' }).paidAt?.toISOString()).toBe('2017-12-20T02:11:13.000Z');
    expect(scan({ PAY_DATE: '2017-12-20 10:11:14' }).paidAt?.toISOString()).toBe('2017-12-20T02:11:14.000Z');
    expect(scan({ PAY_DATE: '2017122011' }).paidAt?.toISOString()).toBe('2017-12-20T03:00:00.000Z');
    expect(scan({ PAY_DATE: 20171220101115 }).paidAt?.toISOString()).toBe('2017-12-20T02:11:15.000Z');
  });

  it("is absent when a scan-code push's PAY_DATE does not read as a time (the push is still a payment)", () => {
    for (const PAY_DATE of ['soon', '20171220241115', '2017-12-20T10:11:15', '']) {
      const s = scan({ PAY_DATE });
      expect(s.merchantOrderId).toBe('20171220000000000001');
      expect('paidAt' in s).toBe(false);
      expect(Object.keys(s)).toEqual(KEYS);
      expect(s.body.PAY_DATE).toBe(PAY_DATE);
    }
    // null and false are not a text: PAYTIME then.
    expect(scan({ PAY_DATE: null }).paidAt?.toISOString()).toBe('2017-12-20T02:11:12.000Z');
  });

  it('is never read from a quick pay or gateway PAYTIME, nor a quick pay time other than PAY_DATE', () => {
    const q = open(signedNotification(quickPayBody({ PAYTIME: '2030-01-01 00:00:00', NOTIFY_DATE: '20300101000000' })));
    expect(q.type === 'paid' && q.paidAt?.toISOString()).toBe('2017-09-26T07:04:35.000Z');
  });
});
