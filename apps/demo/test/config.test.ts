// Configuration: the real-platform mode from environment variables (with a separately running
// platform: a sandbox started here, reached only through the documented variables), clear errors,
// and PORT falling back to a free port when busy.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '@mmsp/sandbox';
import { platformFromEnv } from '../src/config.js';
import { choosePort } from '../src/port.js';
import { eventually, MAIN, newDataDir, startDemo, type DemoProcess } from './support/demo.js';
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
      platformFromEnv({
        MMSP_MERCHANT_NO: '001440353999853',
        MMSP_KEY: secret,
        MMSP_PAYOUT_URL: 'https://x.example/payout',
        MMSP_MERCHANT_PRIVATE_KEY: 'not-a-file',
      });
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

/** Runs `node dist/main.js` with this environment to its end: exit code and everything it printed. */
function runToExit(env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  const dataDir = newDataDir();
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('MMSP_') && k !== 'PORT' && k !== 'DEMO_VERBOSE'),
  );
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MAIN], {
      env: { ...clean, PORT: '0', MMSP_DEMO_DB: join(dataDir, 'demo.sqlite'), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the demo did not stop in 30 s:\n${out}`));
    }, 30_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

describe('a bad real-platform configuration', () => {
  it('stops the start with one message listing every problem: non-zero exit, no stack, no value', async () => {
    const secret = 'abcdef0123456789abcdef0123456789';
    const notAKey = join(newDataDir(), 'not-a-key.pem');
    writeFileSync(notAKey, '-----BEGIN PUBLIC KEY-----\nbm90IGEga2V5\n-----END PUBLIC KEY-----\n');
    const { code, out } = await runToExit({
      MMSP_MERCHANT_NO: '0014403539-99853',
      MMSP_TERMINAL_NO: '123456789',
      MMSP_KEY: secret,
      MMSP_SCAN_URL: 'gateway.example/scan',
      MMSP_QUICKPAY_URL: 'ftp://gateway.example/quick',
      MMSP_PAYOUT_URL: 'https://gateway.example/payout',
      MMSP_PLATFORM_PUBLIC_KEY: notAKey,
      MMSP_NOTIFY_BASE_URL: 'shop.example',
      PORT: '70000',
    });
    expect(code).not.toBe(0);
    expect(code).not.toBeNull();
    // One message: a single "cannot start" line, then its list.
    expect(out.match(/cannot start/g)).toHaveLength(1);
    for (const problem of [
      'PORT must be an integer 0..65535',
      'MMSP_MERCHANT_NO must contain only letters and digits',
      'MMSP_TERMINAL_NO must be at most 8 characters',
      'MMSP_SCAN_URL must be an absolute http:// or https:// URL',
      'MMSP_QUICKPAY_URL must be an absolute http:// or https:// URL',
      'MMSP_PLATFORM_PUBLIC_KEY is not a readable RSA public key',
      'MMSP_PAYOUT_URL needs MMSP_PLATFORM_PUBLIC_KEY and MMSP_MERCHANT_PRIVATE_KEY',
      'MMSP_NOTIFY_BASE_URL must be an absolute http:// or https:// URL',
    ])
      expect(out).toContain(problem);
    expect(out.match(/^ {2}- /gm)).toHaveLength(8);
    // No stack trace, no Nest error dump, no value.
    expect(out).not.toMatch(/^\s+at /m);
    expect(out).not.toMatch(/ExceptionHandler|\[Nest\]/);
    for (const value of [secret, 'gateway.example', 'shop.example', notAKey, '0014403539-99853'])
      expect(out).not.toContain(value);
  });

  it('a URL the client would refuse is caught by the demo first (no Nest stack)', async () => {
    const { code, out } = await runToExit({
      MMSP_MERCHANT_NO: '001440353999853',
      MMSP_TERMINAL_NO: '84970001',
      MMSP_KEY: 'k'.repeat(32),
      MMSP_SCAN_URL: 'notaurl',
    });
    expect(code).toBe(1);
    expect(out.trim().split('\n')).toEqual([
      'demo cannot start: demo configuration (real platform mode, because MMSP_MERCHANT_NO is set):',
      '  - MMSP_SCAN_URL must be an absolute http:// or https:// URL',
    ]);
  });

  it("the shop's own log lines are stamped in China time", async () => {
    const demo = await startDemo({ env: { DEMO_VERBOSE: '1' } });
    cleanup.push(() => demo.stop());
    const nest = demo
      .output()
      .split('\n')
      .filter((l) => l.includes('[Nest]'));
    expect(nest.length).toBeGreaterThan(0);
    for (const line of nest) expect(line).toMatch(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \+08:00/);
  });
});

describe('real platform mode', () => {
  it('fails at start with the list of problems', async () => {
    await expect(startDemo({ env: { MMSP_MERCHANT_NO: '001440353999853' } })).rejects.toThrow(
      /MMSP_TERMINAL_NO is required[\s\S]*MMSP_KEY is required/,
    );
  });

  it('takes URLs and credentials from the environment only', async () => {
    const platform: Sandbox = await startSandbox({ port: 0, timeScale: 0.01 });
    cleanup.push(() => platform.close());
    const m = platform.merchant;
    const demo: DemoProcess = await startDemo({
      env: {
        MMSP_MERCHANT_NO: m.merchantNo,
        MMSP_TERMINAL_NO: m.terminalNo,
        MMSP_KEY: m.key,
        MMSP_SCAN_URL: m.endpoints.scan!,
        MMSP_QUICKPAY_URL: m.endpoints.quickPay!,
        MMSP_GATEWAY_URL: m.endpoints.gateway!,
        MMSP_PAYOUT_URL: m.endpoints.payout!,
        MMSP_PLATFORM_PUBLIC_KEY: m.platformPublicKey,
        MMSP_MERCHANT_PRIVATE_KEY: m.merchantPrivateKey,
      },
    });
    cleanup.push(() => demo.stop());
    expect(demo.output()).toContain('real platform');
    const about = (await (await fetch(`${demo.base}/api/about`)).json()) as { mode: string; sandboxUrl: string | null };
    expect(about).toMatchObject({ mode: 'platform', sandboxUrl: null });
    const id = orderIdOf(await postForm(`${demo.base}/checkout/qr`, { product: 'tea', method: 'jd' }));
    expect(platform.orders().some((o) => o.merchantOrderId === id)).toBe(true);
    platform.settleOrder(id, 'pay');
    await eventually(
      () => order(demo.base, id),
      (o) => o.state === 'paid' && o.stateSource === 'notification',
      15_000,
      'paid by notification',
    );
    const home = await (await fetch(demo.url)).text();
    expect(home).toContain('REAL PLATFORM');
    expect(home).not.toContain('embedded sandbox');
  });
});
