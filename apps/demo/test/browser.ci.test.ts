// End to end in a real browser (Chromium): a person clicking through every flow of the shop, with
// a screenshot of each step in apps/demo/test-results/ (kept by CI as artifacts).
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
  browser.setDefaultTimeout(30_000);
  page.setDefaultTimeout(30_000);
});
// On a failure: a screenshot and where the page was, to see what a person would have seen.
afterEach(async (ctx) => {
  if (ctx.task.result?.state !== 'fail' || !page) return;
  const name = `FAILED-${ctx.task.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 40)}`;
  await shot(page, name).catch(() => undefined);
  console.error(
    `${name}: page ${page.url()} state ${
      (await page
        .locator('#order')
        .getAttribute('data-state')
        .catch(() => null)) ?? '-'
    }\n--- demo output ---\n${demo.output().slice(-3000)}`,
  );
});
afterAll(async () => {
  if (browser) await closeWithin(browser, 20_000);
  await demo?.stop();
});

const state = (p: Page) => p.locator('#order').getAttribute('data-state');

/** A close, bounded: a tab that will not close is left to the browser's close in afterAll. */
async function closeWithin(target: { close(): Promise<void> }, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([
    target.close().catch(() => undefined),
    new Promise<void>((resolve) => (timer = setTimeout(resolve, ms))),
  ]);
  clearTimeout(timer);
}

async function waitForState(p: Page, wanted: string): Promise<void> {
  // The order page reloads itself when the state changes (it polls /api/orders/:id).
  await p.waitForSelector(`#order[data-state="${wanted}"]`, { timeout: 30_000 });
}

describe('the demo shop in Chromium', () => {
  beforeEach(() => {
    if (startError) throw startError;
  });

  it('shows the shop', async () => {
    await page.goto(demo.url);
    await expect(page.title()).resolves.toContain('MMSP demo shop');
    expect(await page.locator('.product').count()).toBe(3);
    await shot(page, '01-shop');
  });

  it('QR: the code is drawn, "scan and pay" on the sandbox page, the order page turns paid by itself', async () => {
    await page.goto(demo.url);
    await page.locator('.product[data-product="tea"] [data-test="qr-wechat"]').click();
    await page.waitForSelector('.qr svg');
    expect(await state(page)).toBe('pending');
    await shot(page, '02-qr-order');
    const [sandboxPage] = await Promise.all([browser.waitForEvent('page'), page.locator('#pay-link').click()]);
    await sandboxPage.waitForLoadState();
    await shot(sandboxPage, '03-qr-sandbox-pay-page');
    await sandboxPage.locator('#pay').click();
    // The pay form redirects to the sandbox's result page. Closing a tab while Chromium is still
    // committing that navigation can hang page.close() for ever (microsoft/playwright#42366; it
    // timed this test out once in CI), so wait for the result page, then close with a bound.
    await sandboxPage.waitForSelector('#state:text-is("paid")');
    await closeWithin(sandboxPage, 5_000);
    await waitForState(page, 'paid');
    await expect(page.locator('#paid-banner').textContent()).resolves.toContain('signed notification');
    await shot(page, '04-qr-paid');
  });

  it('refund: part, then the rest', async () => {
    await page.locator('input[name="amount"]').fill('1000');
    await page.locator('[data-test="refund"]').click();
    await page.waitForSelector('text=Refund of 1000 fen accepted');
    await page.locator('[data-test="refund"]').click();
    await waitForState(page, 'refunded');
    await shot(page, '05-refunded');
  });

  it('close an unpaid order', async () => {
    await page.goto(demo.url);
    await page.locator('.product[data-product="fan"] [data-test="qr-jd"]').click();
    await page.waitForSelector('.qr svg');
    await page.locator('[data-test="close"]').click();
    await waitForState(page, 'closed');
    await shot(page, '06-closed');
  });

  it('micropay with a sandbox test code that is "paying" first', async () => {
    await page.goto(demo.url);
    await page.locator('.product[data-product="tea"] [data-test="micropay"]').click();
    await shot(page, '07-micropay-form');
    await page.locator('button[data-code="134567890123451111"]').click();
    await page.locator('[data-test="micropay-submit"]').click();
    await page.waitForSelector('#order');
    expect(['paying', 'paid']).toContain(await state(page));
    await waitForState(page, 'paid');
    await shot(page, '08-micropay-paid');
  });

  it('H5: to the wallet page and back', async () => {
    await page.goto(demo.url);
    await page.locator('.product[data-product="mooncake"] [data-test="h5-alipay"]').click();
    const orderUrl = page.url();
    await page.locator('#h5-link').click();
    await page.locator('#pay').click();
    // Once paid, the wallet page sends the browser back to JUMP_URL: the order page.
    await page.waitForURL(orderUrl);
    await waitForState(page, 'paid');
    await shot(page, '09-h5-paid');
  });

  it('quick pay: prefilled card, SMS code from the sandbox, confirm', async () => {
    await page.goto(demo.url);
    await page.locator('.product[data-product="mooncake"] [data-test="quickpay"]').click();
    await shot(page, '10-quickpay-form');
    await page.locator('[data-test="quickpay-submit"]').click();
    await page.waitForSelector('#sms-hint');
    const code = (await page.locator('#sms-hint').textContent())!.trim();
    expect(code).toMatch(/^\d{6}$/);
    await shot(page, '11-quickpay-sms');
    await page.locator('#sms-code').fill(code);
    await page.locator('[data-test="sms-confirm"]').click();
    await waitForState(page, 'paid');
    await shot(page, '12-quickpay-paid');
  });

  it('gateway: bank list, sandbox bank page, return page waits for the notification', async () => {
    await page.goto(demo.url);
    await page.locator('.product[data-product="tea"] [data-test="gateway"]').click();
    await page.locator('input[value="CMBCHINA-NET-B2C"]').check();
    await shot(page, '13-gateway-banks');
    await page.locator('[data-test="gateway-submit"]').click();
    await page.waitForSelector('#pay'); // the sandbox bank page, reached by the auto-submitted form
    await shot(page, '14-gateway-bank-page');
    const id = new URL((await page.locator('form').first().getAttribute('action')) ?? '', page.url()).pathname.split(
      '/',
    )[3]!;
    // Hold the notification a little so the return page shows "waiting for confirmation" first.
    const sandboxUrl = new URL(page.url()).origin;
    await fetch(`${sandboxUrl}/_sandbox/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        fault: { kind: 'notify-out-of-order', ms: 2500 },
        match: { merchantOrderId: decodeURIComponent(id) },
      }),
    });
    await page.locator('#pay').click();
    await page.waitForSelector('#return-panel');
    if ((await state(page)) !== 'paid') {
      await expect(page.locator('#waiting-confirmation').textContent()).resolves.toContain('not proof of payment');
      await shot(page, '15-gateway-return-waiting');
    }
    await waitForState(page, 'paid');
    await shot(page, '16-gateway-paid');
  });

  it('payout: send one and watch it settle; balance', async () => {
    await page.goto(`${demo.base}/payouts`);
    await page.locator('[data-test="payout-submit"]').click();
    await page.waitForSelector('#payouts tr[data-state]');
    await shot(page, '17-payout-sent');
    await page.waitForSelector('#payouts tr[data-state="paid"]', { timeout: 20_000 });
    await shot(page, '18-payout-paid');
    await page.goto(`${demo.base}/balance`);
    await expect(page.locator('#balancepay').textContent()).resolves.toMatch(/¥[\d,]+\.\d\d/);
    await shot(page, '19-balance');
  });

  it('live log: requests, responses, notifications with signature checks and signing strings', async () => {
    await page.goto(`${demo.base}/log`);
    expect(await page.locator('.log-entry[data-kind="notification"]').count()).toBeGreaterThan(0);
    expect(await page.locator('.log-entry[data-kind="request"] .signing-string').count()).toBeGreaterThan(0);
    const text = await page.locator('#log').textContent();
    expect(text).toContain('✓ Sign verified');
    expect(text).toContain('&key=<MD5 key: never shown>');
    expect(text).not.toContain('6225880113756648');
    await shot(page, '20-log', false);
  });
});
