// Configuration: the real-platform mode from environment variables (with a separately running
// platform: a sandbox started here, reached only through the documented variables), clear errors,
// and PORT falling back to a free port when busy.
import { createServer, type Server } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '@mmsp/sandbox';
import { platformFromEnv } from '../src/config.js';
import { choosePort } from '../src/port.js';
import { eventually, startDemo, type DemoProcess } from './support/demo.js';
import { order, orderIdOf, postForm } from './support/http.js';

const cleanup: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const c of cleanup.reverse()) await c();
});

describe('platformFromEnv', () => {
  it('is undefined without MMSP_MERCHANT_NO (embedded sandbox)', () => {
    expect(platformFromEnv({})).toBeUndefined();
  });

  it('lists every missing variable at once and never prints a value', () => {
    const secret = 'abcdef0123456789abcdef0123456789';
    let message = '';
    try {
      platformFromEnv({ MMSP_MERCHANT_NO: '001440353999853', MMSP_KEY: secret, MMSP_PAYOUT_URL: 'https://x.example/payout', MMSP_MERCHANT_PRIVATE_KEY: 'not-a-file' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('MMSP_TERMINAL_NO is required');
    expect(message).toContain('MMSP_MERCHANT_PRIVATE_KEY must be PEM text or the path of an existing PEM file');
    expect(message).toContain('MMSP_PAYOUT_URL needs MMSP_PLATFORM_PUBLIC_KEY and MMSP_MERCHANT_PRIVATE_KEY');
    expect(message).not.toContain(secret);
    expect(message).not.toContain('not-a-file');
  });
});

describe('PORT', () => {
  it('falls back to a free port when the wanted one is busy, and says so', async () => {
    const busy: Server = await new Promise((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => resolve(s));
    });
    cleanup.push(() => new Promise((r) => busy.close(r)));
    const taken = (busy.address() as { port: number }).port;
    const chosen = await choosePort(taken, '127.0.0.1');
    expect(chosen.fellBack).toBe(true);
    expect(chosen.port).not.toBe(taken);
    const demo = await startDemo({ env: { PORT: String(taken) } });
    cleanup.push(() => demo.stop());
    expect(demo.output()).toContain(`Port ${taken} is busy: using port`);
    expect(demo.url).not.toContain(`:${taken}/`);
    expect(demo.output().match(/https?:\/\//g)).toHaveLength(1);
  });
});

describe('real platform mode', () => {
  it('fails at start with the list of problems', async () => {
    await expect(startDemo({ env: { MMSP_MERCHANT_NO: '001440353999853' } })).rejects.toThrow(/MMSP_TERMINAL_NO is required[\s\S]*MMSP_KEY is required/);
  });

  it('takes URLs and credentials from the environment only', async () => {
    const platform: Sandbox = await startSandbox({ port: 0, timeScale: 0.01 });
    cleanup.push(() => platform.close());
    const m = platform.merchant;
    const demo: DemoProcess = await startDemo({
      env: {
        MMSP_MERCHANT_NO: m.merchantNo, MMSP_TERMINAL_NO: m.terminalNo, MMSP_KEY: m.key,
        MMSP_SCAN_URL: m.endpoints.scan!, MMSP_QUICKPAY_URL: m.endpoints.quickPay!, MMSP_GATEWAY_URL: m.endpoints.gateway!, MMSP_PAYOUT_URL: m.endpoints.payout!,
        MMSP_PLATFORM_PUBLIC_KEY: m.platformPublicKey, MMSP_MERCHANT_PRIVATE_KEY: m.merchantPrivateKey,
      },
    });
    cleanup.push(() => demo.stop());
    expect(demo.output()).toContain('real platform');
    const about = (await (await fetch(`${demo.base}/api/about`)).json()) as { mode: string; sandboxUrl: string | null };
    expect(about).toMatchObject({ mode: 'platform', sandboxUrl: null });
    const id = orderIdOf(await postForm(`${demo.base}/checkout/qr`, { product: 'tea', method: 'jd' }));
    expect(platform.orders().some((o) => o.merchantOrderId === id)).toBe(true);
    platform.settleOrder(id, 'pay');
    await eventually(() => order(demo.base, id), (o) => o.state === 'paid' && o.stateSource === 'notification', 15_000, 'paid by notification');
    const home = await (await fetch(demo.url)).text();
    expect(home).toContain('REAL PLATFORM');
    expect(home).not.toContain('embedded sandbox');
  });
});
