// Contract probe (issue #3 "waitForFinal"): a stranger hands the undecided result itself to
// waitForFinal (`const r = await client.scan.wechatMicropay(…); if (r.state === 'paying')
// await client.scan.waitForFinal(r)`). That used to fail validation ("one of ORDERNO, MERORDERID is
// required") because only `{ MERORDERID }`-style references were read; the result's verified body
// carries the same fields.
import { expect, it } from 'vitest';
import { harness } from './support/harness.js';
import { sampleBody } from './support/samples.js';

const instant = () => {
  let clock = 0;
  return {
    now: () => new Date(clock),
    sleep: async (ms: number) => {
      clock += ms;
    },
  };
};

it('scan.waitForFinal takes the micropay result and queries by its MERORDERID / ORDERNO', async () => {
  const { client, platform } = harness({ runtime: instant() });
  platform.micropayScript = ['3', '3', '1'];
  const pay = await client.scan.wechatMicropay(sampleBody('scan.wechatMicropay') as never);
  expect(pay.state).toBe('paying');
  const done = await client.scan.waitForFinal(pay);
  expect(done).toMatchObject({
    final: true,
    result: { operation: 'scan.query', state: 'paid', body: { MERORDERID: pay.body.MERORDERID } },
  });
});

it('payout.waitForFinal takes the payout.pay result', async () => {
  const { client, platform } = harness({ runtime: instant() });
  platform.payoutScript = ['5', '2', '1'];
  const first = await client.payout.pay(sampleBody('payout.pay') as never);
  expect(first.state).toBe('accepted');
  const done = await client.payout.waitForFinal(first);
  expect(done).toMatchObject({
    final: true,
    result: { operation: 'payout.query', state: 'paid', body: { ORDERNO: first.body.ORDERNO } },
  });
});

it('quickPay.waitForFinal takes the quickPay.pay result', async () => {
  const { client } = harness({ runtime: instant() });
  const order = await client.quickPay.pay(sampleBody('quickPay.pay') as never);
  await client.quickPay.confirmSms({ LIST_ID: order.body.LIST_ID as string, MSG_CODE: '123456' } as never);
  const done = await client.quickPay.waitForFinal(order);
  expect(done).toMatchObject({
    final: true,
    result: { operation: 'quickPay.query', state: 'paid', body: { MERORDERID: order.body.MERORDERID } },
  });
});
