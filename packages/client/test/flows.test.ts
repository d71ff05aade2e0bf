import { describe, expect, it } from 'vitest';
import { MmspValidationError, md5Verify, phpJsonDecode } from '@mmsp/codec';
import { harness } from './support/harness.js';
import { MERCHANT } from './support/keys.js';
import { ENDPOINTS } from './support/memory-platform.js';
import { sampleBody } from './support/samples.js';

describe('scan micropay: paying → poll scan.query → final, or cancel at the deadline', () => {
  it('polls with growing intervals until paid', async () => {
    const slept: number[] = [];
    let clock = 0;
    const { client, platform } = harness({
      runtime: {
        now: () => new Date(clock),
        sleep: async (ms) => {
          slept.push(ms);
          clock += ms;
        },
      },
    });
    platform.micropayScript = ['3', '3', '3', '1'];
    const pay = await client.scan.wechatMicropay(sampleBody('scan.wechatMicropay') as never);
    expect(pay.state).toBe('paying');
    expect(pay.codes.errCode).toBe('AA');
    const done = await client.scan.waitForFinal({ MERORDERID: pay.body.MERORDERID as string });
    expect(done.final).toBe(true);
    expect(done.result.state).toBe('paid');
    expect(platform.count('scan.query')).toBe(3);
    expect(slept).toEqual([2000, 3000]);
  });

  it('offers scan.cancel when the deadline passes', async () => {
    const { client, platform } = harness();
    platform.micropayScript = ['3'];
    const pay = await client.scan.alipayMicropay(sampleBody('scan.alipayMicropay') as never);
    const waited = await client.scan.waitForFinal(
      { MERORDERID: pay.body.MERORDERID as string },
      { deadlineMs: 10_000 },
    );
    expect(waited.final).toBe(false);
    expect(waited.result.state).toBe('paying');
    const cancelled = await waited.cancel!();
    expect(cancelled).toMatchObject({ operation: 'scan.cancel', state: 'closed' });
  });

  it("says when it cancels before the document's 15 s (扫码 §10.4), and is silent after (issue #13 item 11)", async () => {
    const early = harness();
    early.platform.micropayScript = ['3'];
    const pay = await early.client.scan.alipayMicropay(sampleBody('scan.alipayMicropay') as never);
    const waited = await early.client.scan.waitForFinal(
      { MERORDERID: pay.body.MERORDERID as string },
      { deadlineMs: 5_000 },
    );
    await waited.cancel!();
    const warned = early.lines.filter((l) => l.level === 'warn' && l.message.includes('15 s'));
    expect(warned).toHaveLength(1);
    expect(warned[0]!.message).toMatch(/cancelling \S+ \d+ s after polling began, before the document's 15 s/);
    expect(early.platform.count('scan.cancel')).toBe(1); // a warning, not a refusal: the merchant decides

    const late = harness();
    late.platform.micropayScript = ['3'];
    const pay2 = await late.client.scan.alipayMicropay(sampleBody('scan.alipayMicropay') as never);
    const waited2 = await late.client.scan.waitForFinal(
      { MERORDERID: pay2.body.MERORDERID as string },
      { deadlineMs: 20_000 },
    );
    await waited2.cancel!();
    expect(late.lines.filter((l) => l.level === 'warn' && l.message.includes('15 s'))).toEqual([]);
  });
});

describe('quick pay flows', () => {
  it('flow A: pay (SMS sent) → confirm → query until final', async () => {
    const { client } = harness();
    const order = await client.quickPay.pay(sampleBody('quickPay.pay') as never);
    expect(order.state).toBe('pending');
    const done = await client.quickPay.confirmAndWait({
      LIST_ID: order.body.LIST_ID as string,
      MSG_CODE: '123456',
      MERORDERID: order.body.MERORDERID as string,
    });
    expect(done.confirmation?.state).toBe('accepted');
    expect(done).toMatchObject({ final: true, result: { operation: 'quickPay.query', state: 'paid' } });
  });

  it('resends an SMS at most once per 60 s per order, refusing before anything is sent', async () => {
    const { client, platform, advance } = harness();
    await client.quickPay.resendSms({ LIST_ID: 'L1' } as never);
    const refused = await client.quickPay.resendSms({ LIST_ID: 'L1' } as never).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(MmspValidationError);
    expect((refused as MmspValidationError).issues[0]).toMatchObject({ field: 'LIST_ID', rule: 'rateLimit' });
    await client.quickPay.resendSms({ LIST_ID: 'L2' } as never); // another order is independent
    advance(60_000);
    await client.call('quickPay.resendSms', { LIST_ID: 'L1' } as never);
    expect(platform.count('quickPay.resendSms')).toBe(3);
  });

  it('the 60 s start at the SMS pay sent; a resend the client refuses, or that never left, does not move them (issue #13 item 11)', async () => {
    const { client, platform, advance } = harness();
    const order = await client.quickPay.pay(sampleBody('quickPay.pay') as never);
    expect(order.state).toBe('pending');
    const LIST_ID = order.body.LIST_ID as string;
    advance(30_000);
    const early = await client.quickPay.resendSms({ LIST_ID } as never).catch((e: unknown) => e);
    expect((early as MmspValidationError).issues[0]).toMatchObject({
      field: 'LIST_ID',
      rule: 'rateLimit',
      message: expect.stringContaining('wait 30 s'),
    });
    advance(30_000); // 60 s after pay's SMS, 30 s after the refused attempt
    await client.quickPay.resendSms({ LIST_ID } as never);
    expect(platform.count('quickPay.resendSms')).toBe(1);
    advance(60_000);
    platform.faults.push('refused'); // this one never leaves: no SMS, the window stays at the last one
    await expect(client.quickPay.resendSms({ LIST_ID } as never)).rejects.toThrow();
    advance(1_000);
    await client.quickPay.resendSms({ LIST_ID } as never);
    expect(platform.count('quickPay.resendSms')).toBe(2);
  });

  it('a failed SMS request (never sent) does not count against the 60 s', async () => {
    const { client, platform } = harness();
    platform.faults.push('refused');
    await expect(client.quickPay.resendSms({ LIST_ID: 'L9' } as never)).rejects.toThrow();
    await client.quickPay.resendSms({ LIST_ID: 'L9' } as never);
    expect(platform.count('quickPay.resendSms')).toBe(1);
  });

  it('flow B: bound-card SMS → confirm → query until final', async () => {
    const { client, platform } = harness();
    const sms = await client.quickPay.boundPaySms(sampleBody('quickPay.boundPaySms') as never);
    expect(sms.state).toBe('accepted'); // §5.13.3: STATUS 1 = the SMS was sent
    const done = await client.quickPay.boundConfirmAndWait({
      ...sampleBody('quickPay.boundPayConfirm'),
      MERORDERID: sms.body.MERORDERID,
    } as never);
    expect(done.confirmation.operation).toBe('quickPay.boundPayConfirm');
    expect(done).toMatchObject({ final: true, result: { state: 'paid' } });
    expect(platform.exchanges.map((e) => e.operation)).toEqual([
      'quickPay.boundPaySms',
      'quickPay.boundPayConfirm',
      'quickPay.query',
    ]);
  });

  it('flow C: the UnionPay order returns the payment URL', async () => {
    const { client } = harness();
    const r = await client.quickPay.unionPayOrder(sampleBody('quickPay.unionPayOrder') as never);
    expect(r.body.PAY_URL).toMatch(/^https:/);
  });
});

describe('gateway pay: the auto-submitting form', () => {
  it('posts to endpoints.gateway with web_api holding the signed envelope', async () => {
    const { client } = harness();
    const body = { ...sampleBody('gateway.pay'), GOODSNAME: `"><script>alert('x')</script>`.slice(0, 32) };
    const form = await client.gateway.pay(body as never);
    expect(form.action).toBe(ENDPOINTS.gateway);
    expect(form.html).toContain(`action="${ENDPOINTS.gateway}"`);
    expect(form.html).not.toContain('<script>alert');
    // The browser sends the attribute value decoded: decode it and verify like the platform does.
    const m = /name="web_api" value="([^"]*)"/.exec(form.html)!;
    const decoded = m[1]!.replace(/&#(\d+);/g, (_, d: string) => String.fromCharCode(Number(d)));
    expect(decoded).toBe(form.fields.web_api);
    const env = phpJsonDecode(decoded) as { get(k: string): unknown };
    expect(env.get('CommandID')).toBe(2322);
    const bodyText = /"Body":(\{.*\}),"Sign"/.exec(decoded)![1]!;
    expect(md5Verify(bodyText, env.get('Sign') as string, MERCHANT.key)).toBe(true);
  });

  it('parses the browser return as not proof of payment', () => {
    const { client } = harness();
    expect(client.gateway.parseReturn('STATUS=1&MERORDERID=M1')).toMatchObject({
      proofOfPayment: false,
      claimedState: 'paid',
    });
  });
});

describe('URL builders on the client', () => {
  it('fill the merchant and terminal numbers', () => {
    const { client } = harness();
    const wake = new URL(
      client.scan.wechatH5WakeUrl({ platformBase: 'https://pay.example.com', returnUrl: 'https://shop.example/r' }),
    );
    expect(wake.searchParams.get('memo')).toBe(MERCHANT.merchantNo);
    expect(wake.searchParams.get('termno')).toBe(MERCHANT.terminalNo);
    const openid = new URL(
      client.scan.openIdRedirectUrl({
        platformUrl: 'https://pay.example.com/oid',
        returnUrl: 'https://shop.example/r?a=1',
        tradeType: 1,
      }),
    );
    expect(openid.searchParams.get('merno')).toBe(MERCHANT.merchantNo);
    expect(openid.searchParams.get('merurl')).toBe('https://shop.example/r?a=1');
  });
});
