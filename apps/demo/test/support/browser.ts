// Debian's Chromium driven by playwright-core (never `npx playwright install`). Missing Chromium
// makes the launch throw, so the browser tests FAIL rather than skip.
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const RESULTS = fileURLToPath(new URL('../../test-results/', import.meta.url));

export async function launch(): Promise<BrowserContext> {
  mkdirSync(RESULTS, { recursive: true });
  // launchPersistentContext: a fresh --user-data-dir of our own for every run.
  return chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'mmsp-demo-chromium-')), {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1200, height: 900 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export async function shot(page: Page, name: string, fullPage = true): Promise<void> {
  await page.screenshot({ path: join(RESULTS, `${name}.png`), fullPage });
}
