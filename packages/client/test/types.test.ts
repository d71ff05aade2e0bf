/** Compile-time checks (tsc runs over test/): bodies and results are typed per operation from the catalogue. */
import { describe, expectTypeOf, it } from 'vitest';
import type { MmspClient, GatewayForm, MmspResult, NotificationDecision, PaidEvent } from '../src/index.js';

describe('types', () => {
  it("sugar takes the operation's wire fields and returns its typed body", () => {
    type WechatOrder = MmspClient['scan']['wechatOrder'];
    expectTypeOf<Parameters<WechatOrder>[0]>().toHaveProperty('MERORDERID');
    expectTypeOf<Parameters<WechatOrder>[0]>().toHaveProperty('AMT');
    expectTypeOf<Awaited<ReturnType<WechatOrder>>>().toMatchTypeOf<MmspResult<Record<string, unknown>>>();
    expectTypeOf<Awaited<ReturnType<MmspClient['gateway']['pay']>>>().toEqualTypeOf<GatewayForm>();
    expectTypeOf<Awaited<ReturnType<MmspClient['notifications']['handle']>>>().toEqualTypeOf<NotificationDecision>();
    expectTypeOf<PaidEvent['amount']>().toEqualTypeOf<string>();
    expectTypeOf<MmspClient['payout']['pay']>().toBeFunction();
    expectTypeOf<MmspClient['quickPay']['boundPayConfirm']>().toBeFunction();
  });

  it('accepts bodies without the fields the client fills', () => {
    const check = async (c: MmspClient) => {
      const p = await c.payout.pay({
        ORDERNO: '1',
        AMT: '1',
        BUSIYPE: '001',
        ACCNAME: 'a',
        ACCNO: '1',
        MEMO: 'm',
        ACCTYPE: '0',
        MOBILE: '13800138000',
        BANKNAME: 'b',
      });
      expectTypeOf(p.operation).toEqualTypeOf<'payout.pay'>();
      await c.scan.query({ MERORDERID: 'M1' });
      await c.payout.balance({ QRYTYPE: '1' });
      await c.call('gateway.query', { MERORDERID: 'M1' });
    };
    void check;
  });

  it('rejects a wrong field at compile time', () => {
    const check = (c: MmspClient) => {
      void c.payout.pay({
        ORDERNO: '1',
        AMT: '1',
        // @ts-expect-error BUSIYPE must be one of the document's codes
        BUSIYPE: '777',
        ACCNAME: 'a',
        ACCNO: '1',
        MEMO: 'm',
        ACCTYPE: '0',
        MOBILE: '13800138000',
        BANKNAME: 'b',
      });
      // @ts-expect-error MERORDERID is required
      void c.quickPay.query({});
    };
    void check;
  });
});
