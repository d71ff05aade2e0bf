// What a shopper sees in a real browser (Chromium, no emoji font installed): a refused card
// explains itself in Chinese and English and offers to try again; a wrong SMS code can be entered
// again; the refund error page leads back to the order; icons are drawn (inline SVG), one "paid"
// banner, China time, a favicon. Screenshots in apps/demo/test-results/shopper-*.png.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { launch, shot } from './support/browser.js';
import { startDemo, type DemoProcess } from './support/demo.js';

let demo: DemoProcess;
let browser: BrowserContext;
let page: Page;
let startError: unknown;

beforeAll(async () => {
  try {
    demo = await startDemo();
    browser = await launch();
  } catch (error) {
    // Kept and rethrown by every test: a machine without Chromium FAILS each one (never skips).
    startError = error;
    return;
  }
  page = browser.pages()[0] ?? (await browser.newPage());
  page.setDefaultTimeout(30_000);
});
afterEach(async (ctx) => {
  if (ctx.task.result?.state !== 'fail' || !page) return;
  await shot(page, `FAILED-shopper-${ctx.task.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 40)}`).catch(() => undefined);
  console.error(`page ${page.url()}\n--- demo output ---\n${demo.output().slice(-3000)}`);
});
afterAll(async () => {
  await browser?.close();
  await demo?.stop();
});

const EMOJI = /[\p{Extended_Pictographic}\p{Emoji_Presentation}\p{Regional_Indicator}\uFE0F]/u;

async function cardCheckout(p: Page, product: string, cardNo: string): Promise<void> {
  await p.goto(demo.url);
  await p.locator(`.product[data-product="${product}"] [data-test="quickpay"]`).click();
  await p.locator('input[name="CARDNO"]').fill(cardNo);
  await p.locator('[data-test="quickpay-submit"]').click();
  await p.waitForSelector('#order');
}

describe('the shop speaks to shoppers (Chromium)', () => {
  beforeEach(() => {
    if (startError) throw startError;
  });

  it('icons are drawn without an emoji font; the page has no emoji; the favicon loads', async () => {
    await page.goto(demo.url);
    const icons = page.locator('.product h2 svg.icon');
    expect(await icons.count()).toBe(3);
    for (let i = 0; i < 3; i++) {
      const box = await icons.nth(i).boundingBox();
      expect(box?.width).toBeGreaterThan(10);
      expect(box?.height).toBeGreaterThan(10);
    }
    expect(EMOJI.test(await page.locator('body').innerText())).toBe(false);
    const favicon = await page.evaluate(async () => {
      const link = document.querySelector<HTMLLinkElement>('link[rel="icon"]');
      if (!link) return null;
      const r = await fetch(link.href);
      return { status: r.status, type: r.headers.get('content-type') };
    });
    expect(favicon).toEqual({ status: 200, type: expect.stringMatching(/^image\/svg\+xml/) });
    await shot(page, 'shopper-01-icons');
  });

  it('a refused card: the reason in Chinese and English, and "Try again" leads back to the card form', async () => {
    await cardCheckout(page, 'fan', '6225880113759999');
    await page.waitForSelector('#order[data-state="failed"]');
    const reason = page.locator('#reason');
    await expect(reason.locator('.zh').innerText()).resolves.toContain('银行卡信息与持卡人信息不一致');
    await expect(reason.locator('.en').innerText()).resolves.toContain('The card details do not match');
    await shot(page, 'shopper-02-refused-card');
    await page.locator('#retry').click();
    await page.waitForURL(/\/checkout\/quickpay\?product=fan$/);
    expect(await page.locator('[data-test="quickpay-submit"]').isVisible()).toBe(true);
  });

  it('a declined payment code: reason and "Try again" to the payment-code form', async () => {
    await page.goto(`${demo.base}/checkout/micropay?product=tea`);
    await page.locator('button[data-code="134567890123459999"]').click();
    await page.locator('[data-test="micropay-submit"]').click();
    await page.waitForSelector('#order[data-state="failed"]');
    await expect(page.locator('#reason .en').innerText()).resolves.toContain('declined the payment');
    await shot(page, 'shopper-03-declined-code');
    await page.locator('#retry').click();
    await page.waitForURL(/\/checkout\/micropay\?product=tea$/);
  });

  it('a wrong SMS code: the order stays pending, the code is entered again, then it is paid with one banner', async () => {
    await cardCheckout(page, 'mooncake', '6225880113756648');
    const code = (await page.locator('#sms-hint').innerText()).trim();
    await page.locator('#sms-code').fill(code === '000000' ? '111111' : '000000');
    await page.locator('[data-test="sms-confirm"]').click();
    await page.waitForSelector('#reason');
    expect(await page.locator('#order').getAttribute('data-state')).toBe('pending');
    await expect(page.locator('#reason .zh').innerText()).resolves.toContain('短信验证码不正确');
    await expect(page.locator('#reason .en').innerText()).resolves.toContain('The SMS code was not correct');
    await shot(page, 'shopper-04-wrong-sms');
    await page.locator('#sms-code').fill(code);
    await page.locator('[data-test="sms-confirm"]').click();
    await page.waitForSelector('#order[data-state="paid"]', { timeout: 30_000 });
    expect(await page.locator('#paid-banner').count()).toBe(1);
    expect(await page.locator('.ok').count()).toBe(1);
    expect(await page.locator('#reason').count()).toBe(0);
    await shot(page, 'shopper-05-paid-once');
  });

  it('a refund beyond what was paid: a refund error page that leads back to the order', async () => {
    await page.goto(demo.url);
    await page.locator('.product[data-product="tea"] [data-test="qr-alipay"]').click();
    await page.waitForSelector('#pay-link');
    const orderUrl = page.url();
    const id = decodeURIComponent(new URL(orderUrl).pathname.split('/').pop()!);
    const sandboxUrl = new URL((await page.locator('#pay-link').getAttribute('href'))!).origin;
    await fetch(`${sandboxUrl}/_sandbox/orders/${id}/pay`, {
      method: 'POST',
      body: new URLSearchParams({ family: 'scan' }),
    });
    await page.waitForSelector('#order[data-state="paid"]', { timeout: 30_000 });
    await page.locator('input[name="amount"]').fill('99999');
    await page.locator('[data-test="refund"]').click();
    await page.waitForSelector('#back-to-order');
    expect(await page.title()).toBe('The refund could not be made · MMSP demo shop');
    await shot(page, 'shopper-06-refund-error');
    await page.locator('#back-to-order').click();
    await page.waitForURL(orderUrl);
    expect(await page.locator('#order').getAttribute('data-state')).toBe('paid');
  });

  it('every time shown is China time (+08:00)', async () => {
    await page.goto(`${demo.base}/orders`);
    const times = await page
      .locator('time')
      .evaluateAll((els) => els.map((e) => ({ iso: e.getAttribute('datetime'), text: (e as HTMLElement).innerText })));
    expect(times.length).toBeGreaterThan(0);
    for (const t of times) {
      expect(t.iso).toMatch(/\+08:00$/);
      expect(t.text).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \+08:00$/);
      expect(Math.abs(Date.parse(t.iso!) - Date.now())).toBeLessThan(30 * 60_000);
    }
    await shot(page, 'shopper-07-orders-china-time');
  });
});
