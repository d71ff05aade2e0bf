// Issue #13 item 5: a notification is accepted only when it is a payment push. Every case carries a
// valid signature with the merchant's key; each must be refused (400, a reason naming the field and
// the rule, never a secret) without running onPaid. The receivers' own tests replay the same cases.
import { describe, expect, it } from 'vitest';
import { createNotificationReceiver } from '../src/index.js';
import { forgedPushes, genuinePushes } from './support/forged-pushes.js';
import { MERCHANT } from './support/keys.js';

describe('only payment pushes are accepted', () => {
  it('refuses signed requests re-posted as pushes, odd STATUS / AMT / order numbers / times and the wrong CommandID', async () => {
    const receiver = createNotificationReceiver({ key: MERCHANT.key });
    const cases = await forgedPushes(MERCHANT, `${Date.now()}`.slice(-9));
    expect(cases.length).toBeGreaterThanOrEqual(30);
    const accepted: string[] = [];
    for (const c of cases) {
      let ran = false;
      const d = await receiver.handle(c.text, () => {
        ran = true;
      });
      if (d.status !== 400 || ran || d.outcome !== 'rejected') accepted.push(`${c.label}: ${d.status} ${d.outcome}`);
      expect(d.body, c.label).toMatch(/^FAIL (malformed|not-paid|unknown-command)/);
      expect(d.body, c.label).not.toContain(MERCHANT.key);
    }
    expect(accepted).toEqual([]);
  });

  it('names the field and the rule in the answer', async () => {
    const receiver = createNotificationReceiver({ key: MERCHANT.key });
    const byLabel = new Map((await forgedPushes(MERCHANT, `${Date.now()}`.slice(-9))).map((c) => [c.label, c.text]));
    const answer = async (label: string) => (await receiver.handle(byLabel.get(label)!, () => undefined)).body;
    expect(await answer('STATUS null')).toBe(
      'FAIL malformed: STATUS must be exactly 1 (a successful payment; only successes are pushed), got null',
    );
    expect(await answer('STATUS 2')).toMatch(/^FAIL not-paid: STATUS must be exactly 1/);
    expect(await answer('AMT 1e2')).toBe(
      'FAIL malformed: AMT must be a positive integer amount in fen written as digits',
    );
    expect(await answer("the SDK's scan.refund request re-posted as a 2324 push")).toBe(
      'FAIL unknown-command: CommandID 2324 is not the quickPay push (expected 35104 or 35090)',
    );
    expect(await answer('a scan push sent as 35104')).toBe(
      'FAIL unknown-command: CommandID 35104 is not the scan push (expected 2324)',
    );
    expect(await answer('PAY_DATE missing')).toBe('FAIL malformed: PAY_DATE must be a China time YYYYMMDDhhmmss');
  });

  it('still accepts the genuine pushes', async () => {
    const receiver = createNotificationReceiver({ key: MERCHANT.key });
    for (const c of genuinePushes(MERCHANT, `${Date.now()}`.slice(-9))) {
      const paid: string[] = [];
      const d = await receiver.handle(c.text, (e) => {
        paid.push(e.amount);
      });
      expect({ status: d.status, paid }, c.label).toEqual({ status: 200, paid: ['100'] });
    }
  });
});
