// buildNotificationBody: the Body the platform pushes (PROTOCOL §5; quick pay §5.5.2, gateway §5.2.2,
// scan code §10.8), checked against the catalogue's own notification tables.
import { describe, expect, it } from 'vitest';
import {
  buildNotificationBody,
  MmspEncodingError,
  notifications,
  type EnvelopeFamily,
  type OperationSpec,
} from '../src/index.js';
import { notificationRoles } from '../src/catalogue/notifications.js';
import { validateAgainst } from '../src/catalogue/validate.js';

const PAID = new Date('2024-03-01T16:30:05Z'); // 2024-03-02 00:30:05 China time (PROTOCOL §7)
const CREATED = new Date('2024-03-01T16:29:00Z');
const NOTIFIED = new Date('2024-03-01T16:31:00Z');
const order = {
  merchantOrderId: 'M20240302001',
  platformOrderId: 'P9000001',
  amount: '1999',
  paidAt: PAID,
  notifiedAt: NOTIFIED,
};

/** The notification table as a pseudo operation, so the catalogue's request validator checks it. */
function issues(family: EnvelopeFamily, body: unknown): unknown[] {
  const spec = notifications[family];
  return validateAgainst({ name: `${family}.notification`, request: spec.fields } as unknown as OperationSpec, body);
}

describe('buildNotificationBody', () => {
  for (const family of ['scan', 'quickPay', 'gateway'] as const) {
    it(`${family}: every required field of the table, valid, with the order in its roles`, () => {
      const body = buildNotificationBody(family, { ...order, pushCount: 1 });
      const spec = notifications[family];
      for (const f of spec.fields) if (f.presence === 'required') expect(body, f.name).toHaveProperty(f.name);
      expect(issues(family, body)).toEqual([]);
      const roles = notificationRoles[family];
      expect(body[roles.merchantOrderId]).toBe('M20240302001');
      expect(body[roles.platformOrderId]).toBe('P9000001');
      expect(body[roles.state]).toBe('1');
    });
  }

  it('scan §10.8: AMT as a JSON number, TRDETIME the trade time, PAYTIME the paid time, dashed China time', () => {
    const body = buildNotificationBody('scan', { ...order, tradeTime: CREATED, pushCount: 3 });
    expect(body).toEqual({
      AMT: 1999,
      ORDERNO: 'P9000001',
      TRDETIME: '2024-03-02 00:29:00',
      PAYTIME: '2024-03-02 00:30:05',
      STATUS: '1',
      TRADETYPE: '1',
      MERORDERID: 'M20240302001',
    });
    expect(buildNotificationBody('scan', order).TRDETIME).toBe('2024-03-02 00:30:05');
    expect(buildNotificationBody('scan', { ...order, fields: { TRADETYPE: '2' } }).TRADETYPE).toBe('2');
  });

  it('quick pay §5.5.2: compact China times, card fields only when given, PUSH_COUNT last', () => {
    expect(buildNotificationBody('quickPay', { ...order, pushCount: 2 })).toEqual({
      STATUS: '1',
      LIST_ID: 'P9000001',
      MERORDERID: 'M20240302001',
      PAY_DATE: '20240302003005',
      NOTIFY_DATE: '20240302003100',
      AMT: '1999',
      PUSH_COUNT: 2,
    });
    const card = buildNotificationBody('quickPay', {
      ...order,
      pushCount: 1,
      fields: { CARDNO: '6228****1234', CARDTYPE: '2', BANK_NAME: '农业银行' },
    });
    expect(Object.keys(card)).toEqual([
      'STATUS',
      'LIST_ID',
      'MERORDERID',
      'PAY_DATE',
      'NOTIFY_DATE',
      'AMT',
      'CARDNO',
      'CARDTYPE',
      'BANK_NAME',
      'PUSH_COUNT',
    ]);
    expect(buildNotificationBody('quickPay', order)).not.toHaveProperty('PUSH_COUNT');
  });

  it('gateway §5.2.2: the test channel YLBILL-NET-B2C unless given; GOODSNAME and REMARK only when given', () => {
    const plain = buildNotificationBody('gateway', { ...order, pushCount: 1 });
    expect(plain).toEqual({
      STATUS: '1',
      LIST_ID: 'P9000001',
      MERORDERID: 'M20240302001',
      AMT: '1999',
      PAY_CHANNEL: 'YLBILL-NET-B2C',
      PAY_DATE: '20240302003005',
      NOTIFY_DATE: '20240302003100',
    });
    const full = buildNotificationBody('gateway', {
      ...order,
      fields: { GOODSNAME: 'book', PAY_CHANNEL: 'ICBC-NET-B2C', REMARK: undefined },
    });
    expect(full).toMatchObject({ GOODSNAME: 'book', PAY_CHANNEL: 'ICBC-NET-B2C' });
    expect(full).not.toHaveProperty('REMARK');
  });

  it("refuses an amount that is not integer fen and a field the family's table does not have, naming it", () => {
    for (const amount of ['1.00', '-1', '01', '', 100 as unknown as string]) {
      expect(() => buildNotificationBody('quickPay', { ...order, amount })).toThrow(MmspEncodingError);
      expect(() => buildNotificationBody('quickPay', { ...order, amount })).toThrow(/amount must be integer fen/);
    }
    expect(() => buildNotificationBody('scan', { ...order, fields: { PAY_CHANNEL: 'x' } })).toThrow(
      /PAY_CHANNEL is not a field of the scan notification \(§10\.8\)/,
    );
    expect(() => buildNotificationBody('payout' as EnvelopeFamily, order)).toThrow(/family must be one of/);
  });
});
