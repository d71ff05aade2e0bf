// The catalogue's structure: names, ids, roles, secrets, family limits, frozen data, derived types.
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  catalogue,
  findOperation,
  findOperationByResponseId,
  getOperation,
  MmspValidationError,
  NOTIFICATION_COMMAND_IDS,
  notifications,
  operationNames,
  validateRequest,
} from '@mmsp/codec';
import { findNotifications, notificationRoles } from '../src/catalogue/notifications.js';
import type {
  FieldSpec,
  NotificationBody,
  NotificationSpec,
  OperationName,
  OperationSpec,
  RequestBody,
  RequestInput,
  ResponseBody,
} from '@mmsp/codec';

/** Issue #2 item 3, verbatim. */
const ISSUE_NAMES = [
  'payout.pay',
  'payout.query',
  'payout.balance',
  'quickPay.pay',
  'quickPay.confirmSms',
  'quickPay.query',
  'quickPay.bind',
  'quickPay.unbind',
  'quickPay.bindQuery',
  'quickPay.batchQuery',
  'quickPay.resendSms',
  'quickPay.boundPayConfirm',
  'quickPay.boundPaySms',
  'quickPay.bindSms',
  'quickPay.unionPayOrder',
  'scan.wechatOrder',
  'scan.wechatMicropay',
  'scan.wechatH5',
  'scan.alipayOrder',
  'scan.alipayMicropay',
  'scan.alipayStaticCode',
  'scan.alipayDynamicCode',
  'scan.alipayH5',
  'scan.qqOrder',
  'scan.qqMicropay',
  'scan.jdOrder',
  'scan.unionPayWalletOrder',
  'scan.query',
  'scan.cancel',
  'scan.refund',
  'scan.refundQuery',
  'scan.close',
  'gateway.pay',
  'gateway.query',
  'gateway.batchQuery',
];
const ops = operationNames.map((n) => catalogue[n] as OperationSpec);
const allFields = (fs: readonly FieldSpec[]): FieldSpec[] => fs.flatMap((f) => [f, ...allFields(f.items ?? [])]);

describe('names and ids', () => {
  it('has exactly the operation names of issue #2', () => {
    expect([...operationNames].sort()).toEqual([...ISSUE_NAMES].sort());
    for (const n of operationNames) expect(catalogue[n].name).toBe(n);
    for (const n of operationNames) expect(n.startsWith(`${catalogue[n].family}.`)).toBe(true);
  });

  it('request and response ids are unique within a family (776 is shared across families only)', () => {
    for (const family of ['payout', 'quickPay', 'scan', 'gateway'] as const) {
      const f = ops.filter((o) => o.family === family);
      expect(new Set(f.map((o) => o.requestId)).size).toBe(f.length);
      const responses = f.map((o) => o.responseId).filter((r) => r !== null);
      expect(new Set(responses).size).toBe(responses.length);
    }
    expect(findOperation('quickPay', 776)?.name).toBe('quickPay.bindQuery');
    expect(findOperation('scan', 776)?.name).toBe('scan.qqMicropay');
    expect(findOperation('gateway', 776)).toBeUndefined();
    expect(findOperationByResponseId('scan', 776 + 0x8000)).toBeUndefined();
  });

  it('responses are request + 0x8000 except the documented QQ micropay; acceptResponseIds start with responseId', () => {
    for (const o of ops) {
      if (o.family === 'payout') {
        expect(o.responseId).toBeNull();
        continue;
      }
      if (o.name !== 'scan.qqMicropay') expect(o.responseId, o.name).toBe(o.requestId + 0x8000);
      expect(o.acceptResponseIds[0]).toBe(o.responseId);
    }
  });

  it('payout CMDID defaults are the request ids in decimal text', () => {
    for (const o of ops.filter((x) => x.family === 'payout')) {
      expect(o.request.find((f) => f.name === 'CMDID')?.default).toBe(String(o.requestId));
    }
  });

  it('security: rsa for payout, md5 otherwise; 暂未开通 operations flagged', () => {
    for (const o of ops) expect(o.security).toBe(o.family === 'payout' ? 'rsa' : 'md5');
    expect(
      ops
        .filter((o) => !o.opened)
        .map((o) => o.name)
        .sort(),
    ).toEqual(['quickPay.bind', 'quickPay.bindQuery', 'quickPay.bindSms', 'quickPay.unbind']);
  });

  it('getOperation returns the entry and refuses an unknown name with a validation error', () => {
    expect(getOperation('scan.refund').requestId).toBe(2312);
    expect(() => getOperation('scan.nope')).toThrow(MmspValidationError);
  });

  it('notification command ids; 35104 is shared by quick pay and gateway', () => {
    expect([...NOTIFICATION_COMMAND_IDS]).toEqual([35104, 35090, 2324]);
    expect(
      findNotifications(35104)
        .map((n) => n.family)
        .sort(),
    ).toEqual(['gateway', 'quickPay']);
    expect(findNotifications(2324).map((n) => n.family)).toEqual(['scan']);
    expect(findNotifications(1)).toEqual([]);
  });
});

describe('fields', () => {
  it('wire names are unique per table and spelled as the document does', () => {
    for (const o of ops) {
      for (const list of [o.request, o.response])
        expect(new Set(list.map((f) => f.name)).size, o.name).toBe(list.length);
      for (const f of allFields([...o.request, ...o.response])) expect(f.name).toMatch(/^[A-Z][A-Z0-9_]*$/);
    }
    expect(getOperation('payout.pay').request.map((f) => f.name)).toContain('BUSIYPE');
  });

  it('card and identity data are secret wherever they appear (requests, responses, notifications)', () => {
    const SECRET = new Set(['CARDNO', 'CVN2', 'CVV2', 'ID_NO', 'EXPDATE', 'IDCARD', 'ACCNO', 'MSG_CODE', 'CODE']);
    const everywhere = [
      ...ops.flatMap((o) => allFields([...o.request, ...o.response])),
      ...Object.values(notifications).flatMap((n: NotificationSpec) => allFields(n.fields)),
    ];
    for (const f of everywhere) expect(Boolean(f.secret), f.name).toBe(SECRET.has(f.name));
  });

  it('family limits (PROTOCOL §7): MERORDERID 20 scan / 32 quick pay & gateway; RANDSTR 20 / 32; PERPAGE ≤ 1000', () => {
    for (const o of ops) {
      const m = o.request.find((f) => f.name === 'MERORDERID');
      if (m && o.family !== 'payout') expect(m.maxLength, o.name).toBe(o.family === 'scan' ? 20 : 32);
      const r = o.request.find((f) => f.name === 'RANDSTR');
      if (r) expect(r.maxLength, o.name).toBe(o.family === 'scan' ? 20 : 32);
      const p = o.request.find((f) => f.name === 'PERPAGE');
      if (p) expect(p.range).toEqual({ min: 1, max: 1000 });
    }
  });

  it('every amount is fen and every SDK-filled constant has its default', () => {
    for (const o of ops) {
      for (const f of o.request) {
        if (f.name === 'AMT') expect(f.format, o.name).toBe('fen');
        if (f.autofill === 'VERSION' || f.autofill === 'CMDID' || f.autofill === 'CUR')
          expect(f.default, `${o.name}.${f.name}`).toBeDefined();
        if (f.enum && f.default) expect(f.enum).toContain(f.default);
      }
    }
  });

  it('the defaults the SDK fills make a valid body (autofill never produces an issue)', () => {
    for (const o of ops) {
      const filled = Object.fromEntries(
        o.request.filter((f) => f.default !== undefined).map((f) => [f.name, f.default]),
      );
      const issues = validateRequest(o.name, filled).filter((i) => filled[i.field] !== undefined);
      expect(issues, o.name).toEqual([]);
    }
  });

  it('roles and states point at real response fields and documented values', () => {
    for (const o of ops) {
      for (const field of Object.values(o.roles ?? {})) {
        expect(
          [...o.request, ...o.response].some((f) => f.name === field),
          `${o.name} role ${field}`,
        ).toBe(true);
      }
      if (o.states) {
        const state = o.response.find((f) => f.name === o.roles?.state);
        expect(state, o.name).toBeDefined();
        for (const v of Object.keys(o.states))
          expect(Object.keys(state!.meanings ?? {}), `${o.name} state ${v}`).toContain(v);
      }
    }
    expect(catalogue['payout.query'].states).toEqual({ '1': 'paid', '2': 'paying', '3': 'failed', '5': 'accepted' });
    expect(catalogue['scan.wechatMicropay'].states['3']).toBe('paying');
  });

  it("notification roles name each family's own spelling", () => {
    expect(notificationRoles).toEqual({
      quickPay: {
        merchantOrderId: 'MERORDERID',
        platformOrderId: 'LIST_ID',
        amount: 'AMT',
        paidAt: 'PAY_DATE',
        state: 'STATUS',
      },
      scan: {
        merchantOrderId: 'MERORDERID',
        platformOrderId: 'ORDERNO',
        amount: 'AMT',
        paidAt: 'PAYTIME',
        state: 'STATUS',
      },
      gateway: {
        merchantOrderId: 'MERORDERID',
        platformOrderId: 'LIST_ID',
        amount: 'AMT',
        paidAt: 'PAY_DATE',
        state: 'STATUS',
      },
    });
    for (const n of Object.values(notifications) as NotificationSpec[]) {
      for (const field of Object.values(n.roles))
        expect(
          n.fields.some((f) => f.name === field),
          `${n.family} ${field}`,
        ).toBe(true);
      expect(n.fields.find((f) => f.name === n.roles.paidAt)?.format).toBe(n.paidAtFormat);
    }
  });

  it("is frozen: no caller can change the platform's rules at run time", () => {
    expect(Object.isFrozen(catalogue)).toBe(true);
    expect(Object.isFrozen(catalogue['payout.pay'].request[0])).toBe(true);
    expect(() => {
      (catalogue['payout.pay'] as { opened: boolean }).opened = false;
    }).toThrow(TypeError);
  });
});

describe('types derived from the data', () => {
  it('RequestBody: required wire fields required, enums as literal unions, strings', () => {
    expectTypeOf<RequestBody<'payout.pay'>['ACCTYPE']>().toEqualTypeOf<'0' | '2'>();
    expectTypeOf<RequestBody<'payout.pay'>['CMDID']>().toEqualTypeOf<'4097'>();
    expectTypeOf<RequestBody<'payout.pay'>['AMT']>().toEqualTypeOf<string>();
    expectTypeOf<RequestBody<'scan.query'>>().toHaveProperty('RANDSTR').toEqualTypeOf<string>();
    expectTypeOf<{ MERORDERID: string }>().not.toMatchTypeOf<RequestBody<'scan.query'>>();
    expectTypeOf<RequestBody<'quickPay.pay'>['EXPDATE']>().toEqualTypeOf<string | undefined>();
  });

  it('RequestInput: what the SDK fills is optional, the rest stays required', () => {
    expectTypeOf<{ MERORDERID: string }>().toMatchTypeOf<RequestInput<'scan.query'>>();
    expectTypeOf<{ ORDERNO: string }>().toMatchTypeOf<RequestInput<'payout.query'>>();
    expectTypeOf<{ QRYTYPE: '1' }>().toMatchTypeOf<RequestInput<'payout.balance'>>();
    expectTypeOf<{ AMT: string }>().not.toMatchTypeOf<RequestInput<'payout.pay'>>();
  });

  it('ResponseBody / NotificationBody: optional fields, ints either way, extra fields kept', () => {
    expectTypeOf<{ PAYSTATE: 2; AMT: '100'; EXTRA: true }>().toMatchTypeOf<ResponseBody<'payout.query'>>();
    expectTypeOf<{ AMT: 100 }>().toMatchTypeOf<NotificationBody<'scan'>>();
    expectTypeOf<NonNullable<ResponseBody<'quickPay.batchQuery'>['BIZ_CONTENT']>[number]['LIST_ID']>().toEqualTypeOf<
      string | undefined
    >();
    expectTypeOf<OperationName>().toEqualTypeOf<(typeof ISSUE_NAMES_T)[number]>();
  });
});

declare const ISSUE_NAMES_T: readonly [
  'payout.pay',
  'payout.query',
  'payout.balance',
  'quickPay.pay',
  'quickPay.confirmSms',
  'quickPay.query',
  'quickPay.bind',
  'quickPay.unbind',
  'quickPay.bindQuery',
  'quickPay.batchQuery',
  'quickPay.resendSms',
  'quickPay.boundPayConfirm',
  'quickPay.boundPaySms',
  'quickPay.bindSms',
  'quickPay.unionPayOrder',
  'scan.wechatOrder',
  'scan.wechatMicropay',
  'scan.wechatH5',
  'scan.alipayOrder',
  'scan.alipayMicropay',
  'scan.alipayStaticCode',
  'scan.alipayDynamicCode',
  'scan.alipayH5',
  'scan.qqOrder',
  'scan.qqMicropay',
  'scan.jdOrder',
  'scan.unionPayWalletOrder',
  'scan.query',
  'scan.cancel',
  'scan.refund',
  'scan.refundQuery',
  'scan.close',
  'gateway.pay',
  'gateway.query',
  'gateway.batchQuery',
];
