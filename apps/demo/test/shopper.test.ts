// What shoppers and merchants see (issue #12): a refused payment explains itself in Chinese and
// English with a way to try again; a wrong SMS code can be re-entered; the refund error page is
// titled after the refund and leads back to the order; no emoji; one "paid" banner; China time
// everywhere; polling is one line of the live log; a favicon. Over HTTP against the built app.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startDemo, type DemoProcess } from './support/demo.js';
import { formAction, getText, hiddenValue, order, orderIdOf, postForm } from './support/http.js';

let demo: DemoProcess;
let sandboxUrl: string;

beforeAll(async () => {
  demo = await startDemo();
  sandboxUrl = ((await (await fetch(`${demo.base}/api/about`)).json()) as { sandboxUrl: string }).sandboxUrl;
});
afterAll(async () => {
  await demo?.stop();
});

const CARD = { CARDTYPE: '1', NAME: '张三', ID_NO: '440301199001011234', PHONENO: '13800138000' };
const HAN = /\p{Script=Han}/u;

/** The texts of an element with this id (first match), tags removed, entities decoded. */
function textOf(page: string, id: string): string {
  const start = page.indexOf(`id="${id}"`);
  if (start < 0) return '';
  const open = page.lastIndexOf('<', start);
  const tag = /^<(\w+)/.exec(page.slice(open))![1]!;
  // Naive but enough for our own markup: up to the matching close of the same tag name.
  let depth = 0;
  const re = new RegExp(`<(/?)${tag}\\b[^>]*>`, 'g');
  re.lastIndex = open;
  let end = page.length;
  for (let m = re.exec(page); m; m = re.exec(page)) {
    depth += m[1] ? -1 : 1;
    if (depth === 0) {
      end = m.index;
      break;
    }
  }
  return decode(page.slice(open, end).replace(/<[^>]+>/g, ' '))
    .replace(/\s+/g, ' ')
    .trim();
}

const decode = (s: string) =>
  s
    .replace(/&#(\d+);/g, (_x, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

/** Emoji code points: pictographs, emoji-presentation characters, regional indicators, VS16, and non-ASCII \p{Emoji} (✔, ↩, ©…). */
export function emojiIn(text: string): string[] {
  return [...text].filter(
    (c) =>
      /[\p{Extended_Pictographic}\p{Emoji_Presentation}\p{Regional_Indicator}\uFE0F\u20E3]/u.test(c) ||
      (c.codePointAt(0)! > 0x7f && /\p{Emoji}/u.test(c)),
  );
}

async function quickPayOrder(cardNo: string, product = 'fan'): Promise<string> {
  return orderIdOf(await postForm(`${demo.base}/checkout/quickpay`, { product, CARDNO: cardNo, ...CARD }));
}

describe('a refused or failed payment speaks to the shopper', () => {
  it('a card refused at pay (…9999): the reason in Chinese and English, and a link to try again', async () => {
    const id = await quickPayOrder('6225880113759999');
    expect((await order(demo.base, id)).state).toBe('failed');
    const page = (await getText(`${demo.base}/orders/${id}`)).text;
    const reason = textOf(page, 'reason');
    expect(reason).toContain('银行卡信息与持卡人信息不一致');
    expect(reason).toContain('The card details do not match the card holder');
    // The retry link leads back to the card form for the same product.
    expect(page).toContain('id="retry" href="/checkout/quickpay?product=fan"');
    expect((await getText(`${demo.base}/checkout/quickpay?product=fan`)).status).toBe(200);
    // The technical account stays for the merchant, never the card number.
    expect(page).toContain('For the merchant');
    expect(page).not.toContain('6225880113759999');
  });

  it('a card declined at the SMS step (…8888) and a declined payment code (…9999): reason and retry', async () => {
    const id = await quickPayOrder('6225880113758888', 'tea');
    const code = /id="sms-hint">(\d+)</.exec((await getText(`${demo.base}/orders/${id}`)).text)![1]!;
    await postForm(`${demo.base}/orders/${id}/sms`, { code });
    expect((await order(demo.base, id)).state).toBe('failed');
    const page = (await getText(`${demo.base}/orders/${id}`)).text;
    expect(textOf(page, 'reason')).toMatch(/拒绝[\s\S]*declined the payment/);
    expect(page).toContain('id="retry" href="/checkout/quickpay?product=tea"');

    const mp = orderIdOf(
      await postForm(`${demo.base}/checkout/micropay`, {
        product: 'mooncake',
        wallet: 'alipay',
        code: '134567890123459999',
      }),
    );
    const mpPage = (await getText(`${demo.base}/orders/${mp}`)).text;
    expect((await order(demo.base, mp)).state).toBe('failed');
    const mpReason = textOf(mpPage, 'reason');
    expect(mpReason).toMatch(HAN);
    expect(mpReason).toContain('declined the payment');
    expect(mpPage).toContain('id="retry" href="/checkout/micropay?product=mooncake"');
  });

  it('a payment code that fails after "paying" (…3333) shows a reason once the poll settles it', async () => {
    const id = orderIdOf(
      await postForm(`${demo.base}/checkout/micropay`, {
        product: 'fan',
        wallet: 'wechat',
        code: '134567890123453333',
      }),
    );
    await eventually(
      () => order(demo.base, id),
      (o) => o.state === 'failed',
      15_000,
      'paying micropay fails',
    );
    const page = (await getText(`${demo.base}/orders/${id}`)).text;
    expect(textOf(page, 'reason')).toMatch(HAN);
    expect(textOf(page, 'reason')).toMatch(/[A-Za-z]{4,}/);
    expect(page).toContain('id="retry"');
  });

  it('card details the client refuses: the card form again with what to correct, in Chinese and English; no order left open', async () => {
    const res = await fetch(`${demo.base}/checkout/quickpay`, {
      method: 'POST',
      body: new URLSearchParams({
        product: 'tea',
        CARDNO: '6225880113756648',
        CARDTYPE: '1',
        NAME: '张三',
        ID_NO: '440301199001011234',
        PHONENO: '12',
      }),
      redirect: 'manual',
    });
    expect(res.status).toBe(400);
    const page = await res.text();
    expect(page).toContain('action="/checkout/quickpay"');
    expect(page).toContain('请检查以下信息后重试');
    expect(page).toContain('Please check these details and try again');
    expect(textOf(page, 'problems')).toContain('PHONENO');
    // The order that was never sent is failed, not left "created" (waiting for nothing).
    const orders = (await getText(`${demo.base}/orders`)).text;
    expect(orders).not.toContain('data-state="created"');
  });

  it('a wrong SMS code leaves the order pending and the form shown again; the right code then pays it', async () => {
    const id = await quickPayOrder('6225880113756648', 'mooncake');
    const first = (await getText(`${demo.base}/orders/${id}`)).text;
    const code = /id="sms-hint">(\d+)</.exec(first)![1]!;
    const wrong = code === '000000' ? '111111' : '000000';
    await postForm(`${demo.base}/orders/${id}/sms`, { code: wrong });
    expect((await order(demo.base, id)).state).toBe('pending');
    const again = (await getText(`${demo.base}/orders/${id}`)).text;
    expect(again).toContain('id="sms-code"');
    expect(textOf(again, 'reason')).toContain('短信验证码不正确');
    expect(textOf(again, 'reason')).toContain('The SMS code was not correct');
    expect(again).not.toContain('id="retry"');
    // A malformed code is not even sent: same page, same form.
    await postForm(`${demo.base}/orders/${id}/sms`, { code: '12' });
    expect((await order(demo.base, id)).state).toBe('pending');
    expect(textOf((await getText(`${demo.base}/orders/${id}`)).text, 'reason')).toContain('4 to 6 digits');
    await postForm(`${demo.base}/orders/${id}/sms`, { code });
    await eventually(
      () => order(demo.base, id),
      (o) => o.state === 'paid',
      15_000,
      'paid after the right code',
    );
    const paid = (await getText(`${demo.base}/orders/${id}`)).text;
    expect(paid).not.toContain('id="reason"');
  });
});

describe('the refund error page', () => {
  it('is titled after the refund and links back to the order', async () => {
    const id = orderIdOf(await postForm(`${demo.base}/checkout/qr`, { product: 'tea', method: 'wechat' }));
    await fetch(`${sandboxUrl}/_sandbox/orders/${id}/pay`, {
      method: 'POST',
      body: new URLSearchParams({ family: 'scan' }),
    });
    await eventually(
      () => order(demo.base, id),
      (o) => o.state === 'paid',
      15_000,
      'paid',
    );
    for (const amount of ['99999', 'abc']) {
      const res = await fetch(`${demo.base}/orders/${id}/refund`, {
        method: 'POST',
        body: new URLSearchParams({ amount }),
        redirect: 'manual',
      });
      expect(res.status).toBe(400);
      const page = await res.text();
      expect(/<title>([^<]*)<\/title>/.exec(page)![1]).toBe('The refund could not be made · MMSP demo shop');
      expect(/<h1>([^<]*)<\/h1>/.exec(page)![1]).toBe('The refund could not be made');
      expect(page).toContain(`id="back-to-order" href="/orders/${id}"`);
      expect(page).not.toContain('Something is missing');
      expect(textOf(page, 'error')).toMatch(HAN);
    }
    // Another action's error page is titled after it, too: an SMS resent too soon.
    const card = await quickPayOrder('6225880113756648', 'tea');
    const resend = await fetch(`${demo.base}/orders/${card}/resend`, { method: 'POST', redirect: 'manual' });
    expect(resend.status).toBe(409);
    const resendPage = await resend.text();
    expect(/<h1>([^<]*)<\/h1>/.exec(resendPage)![1]).toBe('The SMS code could not be sent again');
    expect(textOf(resendPage, 'reason')).toContain('短信发送过于频繁');
    expect(resendPage).toContain(`id="back-to-order" href="/orders/${card}"`);
    // A refund on an order that does not exist: not found, with a way to the orders.
    const none = await fetch(`${demo.base}/orders/NOPE123/refund`, {
      method: 'POST',
      body: new URLSearchParams({ amount: '1' }),
      redirect: 'manual',
    });
    expect(none.status).toBe(404);
    expect(await none.text()).toContain('href="/orders"');
  });
});

describe('the pages', () => {
  it('carry no emoji code point (icons are inline SVG) and link a favicon that answers', async () => {
    const qr = orderIdOf(await postForm(`${demo.base}/checkout/qr`, { product: 'mooncake', method: 'alipay' }));
    const failed = await quickPayOrder('6225880113759999');
    const paths = [
      '/',
      '/orders',
      `/orders/${qr}`,
      `/orders/${failed}`,
      '/checkout/micropay?product=tea',
      '/checkout/quickpay?product=fan',
      '/checkout/gateway?product=mooncake',
      '/payouts',
      '/balance',
      '/log',
      '/orders/unknown',
    ];
    for (const path of paths) {
      const page = (await getText(`${demo.base}${path}`)).text;
      expect(emojiIn(page), path).toEqual([]);
      expect(page, path).toContain('<link rel="icon" href="/favicon.svg" type="image/svg+xml">');
    }
    const home = (await getText(demo.url)).text;
    expect(home.match(/<svg class="icon icon-(tea|mooncake|fan)"/g)).toHaveLength(3);
    for (const path of ['/favicon.ico', '/favicon.svg']) {
      const res = await fetch(`${demo.base}${path}`);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type'), path).toMatch(/^image\/svg\+xml/);
      expect(await res.text(), path).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    }
  });

  it('show one "paid" banner, also after the bank return', async () => {
    const id = orderIdOf(await postForm(`${demo.base}/checkout/qr`, { product: 'fan', method: 'qq' }));
    await fetch(`${sandboxUrl}/_sandbox/orders/${id}/pay`, {
      method: 'POST',
      body: new URLSearchParams({ family: 'scan' }),
    });
    await eventually(
      () => order(demo.base, id),
      (o) => o.state === 'paid' && o.stateSource === 'notification',
      15_000,
      'paid',
    );
    const page = (await getText(`${demo.base}/orders/${id}`)).text;
    expect(page.match(/id="paid-banner"/g)).toHaveLength(1);
    expect(page.match(/class="ok"/g)).toHaveLength(1);
    expect(decode(page.replace(/<[^>]+>/g, ' ')).match(/confirmed by/gi)).toHaveLength(1);

    // Gateway: the browser comes back, then the notification lands; the page still says "paid" once.
    const formHtml = await (
      await fetch(`${demo.base}/checkout/gateway`, {
        method: 'POST',
        body: new URLSearchParams({ product: 'tea', channel: 'ICBC-NET-B2C' }),
      })
    ).text();
    const webApi = hiddenValue(formHtml, 'web_api');
    const gid = JSON.parse(webApi).Body.MERORDERID as string;
    // The browser posts the signed form to the (sandbox) bank page, which opens the order there.
    expect(
      (await fetch(formAction(formHtml), { method: 'POST', body: new URLSearchParams({ web_api: webApi }) })).status,
    ).toBe(200);
    await fetch(`${demo.base}/gateway/return?STATUS=1&MERORDERID=${gid}&AMT=3800`, { redirect: 'manual' });
    await fetch(`${sandboxUrl}/_sandbox/orders/${gid}/pay`, {
      method: 'POST',
      body: new URLSearchParams({ family: 'gateway' }),
    });
    await eventually(
      () => order(demo.base, gid),
      (o) => o.state === 'paid',
      15_000,
      'gateway paid',
    );
    const back = (await getText(`${demo.base}/orders/${gid}?returned=1`)).text;
    expect(back.match(/class="ok"/g)).toHaveLength(1);
    expect(decode(back.replace(/<[^>]+>/g, ' ')).match(/confirmed by/gi)).toHaveLength(1);
    expect(back).not.toContain('Waiting for confirmation');
  });

  it('show every time in China time (+08:00), never UTC', async () => {
    const id = orderIdOf(await postForm(`${demo.base}/checkout/qr`, { product: 'tea', method: 'jd' }));
    await postForm(`${demo.base}/payouts`, {
      AMT: '100',
      ACCNAME: '李四',
      ACCNO: '6217000010001234567',
      BANKNAME: '中国建设银行',
      MOBILE: '13900139000',
      MEMO: 'demo',
    });
    const now = Date.now();
    for (const path of ['/orders', `/orders/${id}`, '/log', '/payouts', '/balance']) {
      const page = (await getText(`${demo.base}${path}`)).text;
      expect(page, path).not.toMatch(/\bUTC\b|\bGMT\b|\d\d:\d\d(:\d\d(\.\d+)?)?Z\b|\b(AM|PM)\b/);
      const times = [...page.matchAll(/<time datetime="([^"]+)">([^<]+)<\/time>/g)];
      if (path !== '/balance') expect(times.length, path).toBeGreaterThan(0);
      for (const [, iso, shown] of times) {
        expect(iso, path).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/);
        expect(shown, path).toBe(`${iso!.slice(0, 10)} ${iso!.slice(11, 19)} +08:00`);
        // The offset is true: the instant is within the test's run, not eight hours off.
        expect(Math.abs(Date.parse(iso!) - now), `${path} ${iso}`).toBeLessThan(10 * 60_000);
      }
    }
    const balance = (await getText(`${demo.base}/balance`)).text;
    expect(balance).toMatch(/answered \d{4}-\d\d-\d\d \d\d:\d\d:\d\d \+08:00/);
  });
});

describe('the live log', () => {
  it('is not flooded by polling: a "paying" order polled many times is one line', async () => {
    const id = orderIdOf(
      await postForm(`${demo.base}/checkout/micropay`, {
        product: 'tea',
        wallet: 'wechat',
        code: '134567890123452222',
      }),
    );
    expect((await order(demo.base, id)).state).toBe('paying');
    type Row = { kind: string; orderId: string | null; title: string };
    const mine = async () =>
      ((await (await fetch(`${demo.base}/api/log`)).json()) as Row[]).filter((r) => r.orderId === id);
    const queries = (rows: Row[]) =>
      Number(
        /: (\d+) quer(?:y|ies) so far/.exec(
          rows.find((r) => r.title.startsWith('⟳ polling scan.query'))?.title ?? '',
        )?.[1] ?? 0,
      );
    // The client queries every 1 s at first: wait for three queries.
    const rows = await eventually(mine, (r) => queries(r) >= 3, 20_000, 'three poll queries');
    expect(rows.filter((r) => r.title.startsWith('→ scan.query'))).toHaveLength(0);
    expect(rows.filter((r) => r.title.startsWith('⟳ polling'))).toHaveLength(1);
    // request + response of the micropay, and the one poll line.
    expect(rows).toHaveLength(3);
    // The customer pays: the poll's final answer is logged once, and the order is paid.
    await fetch(`${sandboxUrl}/_sandbox/orders/${id}/pay`, {
      method: 'POST',
      body: new URLSearchParams({ family: 'scan' }),
    });
    await eventually(
      () => order(demo.base, id),
      (o) => o.state === 'paid',
      20_000,
      'paid',
    );
    const after = await eventually(
      mine,
      (r) => r.some((x) => x.title.startsWith('← scan.query')),
      20_000,
      'final answer logged',
    );
    expect(after.filter((r) => r.title.startsWith('← scan.query'))).toHaveLength(1);
    expect(after.filter((r) => r.kind === 'request')).toHaveLength(2);
  });
});
