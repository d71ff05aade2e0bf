// Every flow of the shop driven over HTTP (fetch, no browser) against the built app and its
// embedded sandbox: orders are settled only by verified answers (notification, response, query).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startDemo, type DemoProcess } from './support/demo.js';
import { formAction, getText, hiddenValue, order, orderIdOf, postForm } from './support/http.js';

let demo: DemoProcess;
let sandboxUrl: string;

beforeAll(async () => {
  demo = await startDemo();
  const about = (await (await fetch(`${demo.base}/api/about`)).json()) as {
    mode: string;
    sandboxUrl: string;
    notifyUrl: string;
  };
  expect(about.mode).toBe('sandbox');
  expect(about.notifyUrl).toBe(`${demo.base}/mmsp/notify`);
  sandboxUrl = about.sandboxUrl;
});
afterAll(async () => {
  await demo?.stop();
});

const paidBy = (base: string, id: string, source = 'notification') =>
  eventually(
    () => order(base, id),
    (o) => o.state === 'paid' && o.stateSource === source,
    15_000,
    `order ${id} paid by ${source}`,
  );

describe('the demo shop over HTTP', () => {
  it('prints one URL and serves the shop', async () => {
    expect(demo.output().match(/https?:\/\//g)).toHaveLength(1);
    const home = await getText(demo.url);
    expect(home.status).toBe(200);
    expect(home.text).toContain('WeChat Pay');
    expect(home.text).toContain('embedded sandbox');
  });

  it.each(['wechat', 'alipay', 'qq', 'jd', 'unionpay'])(
    'QR %s: drawn QR, paid on the sandbox page, settled by the notification',
    async (method) => {
      const id = orderIdOf(await postForm(`${demo.base}/checkout/qr`, { product: 'tea', method }));
      const pending = await order(demo.base, id);
      expect(pending.state).toBe('pending');
      expect(pending.payUrl).toMatch(new RegExp(`^${sandboxUrl}/_sandbox/pay/`));
      const page = await getText(`${demo.base}/orders/${id}`);
      expect(page.text).toContain('<svg');
      expect(page.text).toContain('id="pay-link"');
      // The customer presses "Pay" on the sandbox page the QR code opens.
      const payPage = await getText(pending.payUrl!);
      const res = await fetch(new URL(formAction(payPage.text), pending.payUrl!), {
        method: 'POST',
        body: new URLSearchParams({ merchantNo: hiddenValue(payPage.text, 'merchantNo'), family: 'scan' }),
        redirect: 'manual',
      });
      expect(res.status).toBeLessThan(400);
      const paid = await paidBy(demo.base, id);
      expect(paid.detail.notifications).toBe(1);
    },
  );

  it('refunds partly then fully, never beyond what was paid', async () => {
    const id = orderIdOf(await postForm(`${demo.base}/checkout/qr`, { product: 'mooncake', method: 'alipay' }));
    await fetch(`${sandboxUrl}/_sandbox/orders/${id}/pay`, {
      method: 'POST',
      body: new URLSearchParams({ family: 'scan' }),
    });
    await paidBy(demo.base, id);
    await postForm(`${demo.base}/orders/${id}/refund`, { amount: '2800' });
    expect((await order(demo.base, id)).refunded).toBe('2800');
    const tooMuch = await fetch(`${demo.base}/orders/${id}/refund`, {
      method: 'POST',
      body: new URLSearchParams({ amount: '10001' }),
      redirect: 'manual',
    });
    expect(tooMuch.status).toBe(400);
    expect(await tooMuch.text()).toContain('At most 10000 fen');
    await postForm(`${demo.base}/orders/${id}/refund`, { amount: '10000' });
    const done = await order(demo.base, id);
    expect(done.state).toBe('refunded');
    expect(done.refunded).toBe('12800');
    const page = await getText(`${demo.base}/orders/${id}`);
    expect(page.text).toContain('Refunds');
  });

  it('closes an unpaid QR order; the sandbox then refuses to take the money', async () => {
    const id = orderIdOf(await postForm(`${demo.base}/checkout/qr`, { product: 'fan', method: 'wechat' }));
    await postForm(`${demo.base}/orders/${id}/close`, {});
    expect((await order(demo.base, id)).state).toBe('closed');
    const pay = await fetch(`${sandboxUrl}/_sandbox/orders/${id}/pay`, {
      method: 'POST',
      body: new URLSearchParams({ family: 'scan' }),
    });
    expect(pay.status).toBe(409);
  });

  it('micropay: paid at once, paying then paid (polled and notified), declined', async () => {
    const now = orderIdOf(
      await postForm(`${demo.base}/checkout/micropay`, {
        product: 'tea',
        wallet: 'wechat',
        code: '134567890123450000',
      }),
    );
    expect(await order(demo.base, now)).toMatchObject({ state: 'paid', stateSource: 'response' });
    const later = orderIdOf(
      await postForm(`${demo.base}/checkout/micropay`, {
        product: 'tea',
        wallet: 'alipay',
        code: '134567890123451111',
      }),
    );
    expect((await order(demo.base, later)).state).toBe('paying');
    await eventually(
      () => order(demo.base, later),
      (o) => o.state === 'paid',
      15_000,
      'paying micropay settles',
    );
    const no = orderIdOf(
      await postForm(`${demo.base}/checkout/micropay`, { product: 'tea', wallet: 'qq', code: '134567890123459999' }),
    );
    expect((await order(demo.base, no)).state).toBe('failed');
    const bad = await fetch(`${demo.base}/checkout/micropay`, {
      method: 'POST',
      body: new URLSearchParams({ product: 'tea', wallet: 'qq', code: 'abc' }),
      redirect: 'manual',
    });
    expect(bad.status).toBe(400);
  });

  it('micropay paying then cancelled (撤销)', async () => {
    const id = orderIdOf(
      await postForm(`${demo.base}/checkout/micropay`, {
        product: 'fan',
        wallet: 'wechat',
        code: '134567890123452222',
      }),
    );
    expect((await order(demo.base, id)).state).toBe('paying');
    await postForm(`${demo.base}/orders/${id}/cancel`, {});
    expect((await order(demo.base, id)).state).toBe('closed');
  });

  it('H5: the order answers the wallet page URL; paying it is notified', async () => {
    const id = orderIdOf(await postForm(`${demo.base}/checkout/h5`, { product: 'tea', wallet: 'wechat' }));
    const o = await order(demo.base, id);
    expect(o.state).toBe('pending');
    expect(o.payUrl).toContain('/_sandbox/pay/');
    await fetch(`${sandboxUrl}/_sandbox/orders/${id}/pay`, {
      method: 'POST',
      body: new URLSearchParams({ family: 'scan' }),
    });
    await paidBy(demo.base, id);
  });

  it('quick pay: card form, SMS code from the sandbox shown as a hint, confirm, notified', async () => {
    const id = orderIdOf(
      await postForm(`${demo.base}/checkout/quickpay`, {
        product: 'mooncake',
        CARDNO: '6225880113756648',
        CARDTYPE: '1',
        NAME: '张三',
        ID_NO: '440301199001011234',
        PHONENO: '13800138000',
      }),
    );
    const o = await order(demo.base, id);
    expect(o.state).toBe('pending');
    expect(o.detail.card).toBe('************6648');
    const page = await getText(`${demo.base}/orders/${id}`);
    const code = /id="sms-hint">(\d+)</.exec(page.text)?.[1];
    expect(code).toMatch(/^\d{6}$/);
    const sandboxCode = (
      (await (await fetch(`${sandboxUrl}/_sandbox/sms?merchantOrderId=${id}`)).json()) as { code: string }[]
    ).at(-1)?.code;
    expect(code).toBe(sandboxCode);
    await postForm(`${demo.base}/orders/${id}/sms`, { code: code! });
    await paidBy(demo.base, id);
    // The card number is never stored or shown in clear.
    const log = await getText(`${demo.base}/log`);
    expect(log.text).not.toContain('6225880113756648');
    expect(log.text).not.toContain('440301199001011234');
  });

  it('quick pay: a refused card fails with the platform reason', async () => {
    const id = orderIdOf(
      await postForm(`${demo.base}/checkout/quickpay`, {
        product: 'fan',
        CARDNO: '6225880113759999',
        CARDTYPE: '1',
        NAME: '张三',
        ID_NO: '440301199001011234',
        PHONENO: '13800138000',
      }),
    );
    const o = await order(demo.base, id);
    expect(o.state).toBe('failed');
    expect(o.detail.reason).toMatchObject({ code: 'D4', platformMessage: '要素不匹配' });
  });

  it('gateway: signed form → sandbox bank page → browser return says "waiting" → notification settles', async () => {
    const formPage = await fetch(`${demo.base}/checkout/gateway`, {
      method: 'POST',
      body: new URLSearchParams({ product: 'tea', channel: 'ICBC-NET-B2C' }),
    });
    const formHtml = await formPage.text();
    expect(formHtml).toContain('document.getElementById');
    const action = formAction(formHtml);
    expect(action).toBe(`${sandboxUrl}/gateway`);
    const webApi = hiddenValue(formHtml, 'web_api');
    const id = JSON.parse(webApi).Body.MERORDERID as string;
    expect(JSON.parse(webApi).Body.PAY_CHANNEL).toBe('ICBC-NET-B2C');
    // Hold the notification so the browser return comes first (as on a slow platform).
    await fetch(`${sandboxUrl}/_sandbox/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ fault: { kind: 'notify-out-of-order', ms: 1500 }, match: { merchantOrderId: id } }),
    });
    const bank = await fetch(action, { method: 'POST', body: new URLSearchParams({ web_api: webApi }) });
    const bankHtml = await bank.text();
    expect(bank.status).toBe(200);
    const payAction = new URL(formAction(bankHtml), action);
    const back = await fetch(payAction, {
      method: 'POST',
      body: new URLSearchParams({ merchantNo: hiddenValue(bankHtml, 'merchantNo'), family: 'gateway', redirect: '1' }),
      redirect: 'manual',
    });
    expect(back.status).toBe(303);
    const jump = back.headers.get('location')!;
    expect(jump.startsWith(`${demo.base}/gateway/return?`)).toBe(true);
    const orderUrl = await (async () => {
      const r = await fetch(jump, { redirect: 'manual' });
      expect(r.status).toBe(303);
      return new URL(r.headers.get('location')!, jump).toString();
    })();
    const waiting = await getText(orderUrl);
    const now = await order(demo.base, id);
    if (now.state !== 'paid') {
      expect(waiting.text).toContain('Waiting for confirmation');
      expect(waiting.text).toContain('not proof of payment');
    }
    await paidBy(demo.base, id);
    const after = await getText(orderUrl);
    expect(after.text).toContain('id="paid-banner"');
    expect(after.text).toContain('signed notification (signature verified)');
    expect(after.text).not.toContain('Waiting for confirmation');
  });

  it('a forged browser return never marks an order paid', async () => {
    const formHtml = await (
      await fetch(`${demo.base}/checkout/gateway`, {
        method: 'POST',
        body: new URLSearchParams({ product: 'fan', channel: 'CCB-NET-B2C' }),
      })
    ).text();
    const id = JSON.parse(hiddenValue(formHtml, 'web_api')).Body.MERORDERID as string;
    const r = await fetch(`${demo.base}/gateway/return?STATUS=1&MERORDERID=${id}&AMT=990`, { redirect: 'manual' });
    expect(r.status).toBe(303);
    expect((await order(demo.base, id)).state).toBe('pending');
    // The bank page was never reached: the platform does not know the order, and says so.
    const query = await fetch(`${demo.base}/orders/${id}/query`, { method: 'POST', redirect: 'manual' });
    expect(query.status).toBe(409);
    const page = await query.text();
    expect(page).toContain('The order could not be queried');
    expect(page).toContain(`id="back-to-order" href="/orders/${id}"`);
    expect((await order(demo.base, id)).state).toBe('pending');
  });

  it('payout: sent RSA-sealed, settles to paid; a failing account ends failed; the balance reflects it', async () => {
    await postForm(`${demo.base}/payouts`, {
      AMT: '1000',
      ACCNAME: '李四',
      ACCNO: '6217000010001234567',
      BANKNAME: '中国建设银行',
      MOBILE: '13900139000',
      MEMO: 'demo',
    });
    await postForm(`${demo.base}/payouts`, {
      AMT: '2000',
      ACCNAME: '王五',
      ACCNO: '6217000010001239999',
      BANKNAME: '中国建设银行',
      MOBILE: '13900139000',
      MEMO: 'demo',
    });
    const payouts = await eventually(
      async () =>
        (await (await fetch(`${demo.base}/api/payouts`)).json()) as {
          amount: string;
          state: string;
          accNoMasked: string;
        }[],
      (list) => list.length === 2 && list.every((p) => p.state === 'paid' || p.state === 'failed'),
      20_000,
      'payouts settle',
    );
    expect(payouts.find((p) => p.amount === '1000')!.state).toBe('paid');
    expect(payouts.find((p) => p.amount === '2000')!.state).toBe('failed');
    expect(payouts.every((p) => /^\*+\d{4}$/.test(p.accNoMasked))).toBe(true);
    const balance = await getText(`${demo.base}/balance`);
    expect(balance.status).toBe(200);
    expect(balance.text).toContain('payout.balance');
  });

  it('payout answered RETCODE 0001 (outcome unknown): queried, never resent, ends paid', async () => {
    await postForm(`${demo.base}/payouts`, {
      AMT: '300',
      ACCNAME: '赵六',
      ACCNO: '6217000010001230001',
      BANKNAME: '中国建设银行',
      MOBILE: '13900139000',
      MEMO: 'demo',
    });
    const mine = await eventually(
      async () =>
        (
          (await (await fetch(`${demo.base}/api/payouts`)).json()) as {
            orderNo: string;
            amount: string;
            state: string;
          }[]
        ).find((p) => p.amount === '300'),
      (p) => p?.state === 'paid',
      20_000,
      'payout 0001 settles',
    );
    const onPlatform = (
      (await (await fetch(`${sandboxUrl}/_sandbox/payouts`)).json()) as { orderNo?: string; ORDERNO?: string }[]
    ).filter((p) => (p.orderNo ?? p.ORDERNO) === mine!.orderNo);
    expect(onPlatform).toHaveLength(1);
    const log = (await (await fetch(`${demo.base}/api/log`)).json()) as { title: string }[];
    expect(log.filter((r) => r.title.startsWith(`→ payout.pay ORDERNO ${mine!.orderNo}`))).toHaveLength(1);
    expect(log.some((r) => r.title.startsWith(`→ payout.query ORDERNO ${mine!.orderNo}`))).toBe(true);
  });

  it('the log shows requests, responses and notifications with signing strings, never the key', async () => {
    const rows = (await (await fetch(`${demo.base}/api/log`)).json()) as {
      kind: string;
      signingString: string | null;
      signature: string | null;
      text: string | null;
    }[];
    const kinds = new Set(rows.map((r) => r.kind));
    for (const k of ['request', 'response', 'notification', 'browser']) expect(kinds).toContain(k);
    const notes = rows.filter((r) => r.kind === 'notification');
    expect(notes.length).toBeGreaterThan(0);
    expect(
      notes.every((r) => r.signature?.startsWith('✓') && r.signingString?.endsWith('&key=<MD5 key: never shown>')),
    ).toBe(true);
    const page = await getText(`${demo.base}/log`);
    expect(page.text).toContain('Signing string');
    const { key } = (await (await fetch(`${sandboxUrl}/_sandbox/merchant`)).json()) as { key: string };
    expect(JSON.stringify(rows)).not.toContain(key);
    expect(page.text).not.toContain(key);
  });

  it('a tampered notification is refused and shown as such; the genuine retry settles the order', async () => {
    const id = orderIdOf(await postForm(`${demo.base}/checkout/qr`, { product: 'fan', method: 'qq' }));
    await fetch(`${sandboxUrl}/_sandbox/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ fault: { kind: 'notify-tampered-sign' }, match: { merchantOrderId: id } }),
    });
    await fetch(`${sandboxUrl}/_sandbox/orders/${id}/pay`, {
      method: 'POST',
      body: new URLSearchParams({ family: 'scan' }),
    });
    await paidBy(demo.base, id);
    const rows = (await (await fetch(`${demo.base}/api/log`)).json()) as {
      kind: string;
      orderId: string | null;
      signature: string | null;
      title: string;
    }[];
    const mine = rows.filter((r) => r.kind === 'notification' && r.orderId === id);
    expect(mine.some((r) => r.signature?.startsWith('✗ bad-signature'))).toBe(true);
    expect(mine.some((r) => r.signature?.startsWith('✓') && r.title.includes('200 SUCCESS'))).toBe(true);
  });

  it('escapes what it shows: an order id from the URL is never markup', async () => {
    const r = await getText(`${demo.base}/orders/%3Cscript%3Ealert(1)%3C%2Fscript%3E`);
    expect(r.status).toBe(404);
    expect(r.text).not.toContain('<script>alert(1)</script>');
    expect(r.text).toContain('&#60;script&#62;');
  });
});
