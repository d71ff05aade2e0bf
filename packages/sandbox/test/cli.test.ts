// The published bin (bin/mmsp-sandbox.js, committed, which runs the built dist/cli.js; `pnpm test`
// builds first): prints its URLs and the PROTOCOL §8 credentials, serves them, stops on SIGTERM;
// bad options exit 2 with a message; without a build it says to run `pnpm build`.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  bin: Record<string, string>;
  files: string[];
};
const bin = fileURLToPath(new URL(`../${pkg.bin['mmsp-sandbox']!}`, import.meta.url));
const built = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

it('publishes one bin, mmsp-sandbox: the committed bin/mmsp-sandbox.js (in files, node shebang)', () => {
  expect(pkg.bin).toEqual({ 'mmsp-sandbox': './bin/mmsp-sandbox.js' });
  expect(pkg.files).toContain('bin');
  expect(readFileSync(bin, 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
});

it('mmsp-sandbox --port 0 prints its URL and the test merchant, serves /_sandbox/merchant, exits on SIGTERM', async () => {
  expect(existsSync(built), `${built} is missing: run pnpm build (pnpm test builds first)`).toBe(true);
  const child = spawn(process.execPath, [bin, '--port', '0', '--quiet'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (c: Buffer) => {
    out += c.toString();
  });
  const url = await new Promise<string>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no URL printed: ${out}`)), 15_000);
    child.stdout.on('data', () => {
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m && out.includes('Inspection')) {
        clearTimeout(t);
        resolve(m[1]!);
      }
    });
  });
  expect(out).toContain('001440353999853');
  expect(out).toContain('84970001');
  expect(out).toContain('ea21842eea24e448b991b1cb0a0294cf');
  expect(out).toContain(`${url}/payout`);
  const m = (await (await fetch(`${url}/_sandbox/merchant`)).json()) as { merchantNo: string };
  expect(m.merchantNo).toBe('001440353999853');
  const code = await new Promise<number | null>((resolve) => {
    child.on('exit', resolve);
    child.kill('SIGTERM');
  });
  expect(code).toBe(0);
});

it('a bad option exits 2 naming it', () => {
  const r = spawnSync(process.execPath, [bin, '--port', 'abc'], { encoding: 'utf8' });
  expect(r.status).toBe(2);
  expect(r.stderr).toContain('--port');
});

it('before a build: one message naming pnpm build, exit 1, no stack trace', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mmsp-sandbox-bin-'));
  try {
    mkdirSync(join(dir, 'bin'));
    writeFileSync(join(dir, 'package.json'), '{"type":"module"}');
    copyFileSync(bin, join(dir, 'bin', 'mmsp-sandbox.js'));
    const r = spawnSync(process.execPath, [join(dir, 'bin', 'mmsp-sandbox.js'), '--help'], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^mmsp-sandbox: @mmsp\/sandbox is not built yet\.\n.*run `pnpm build`/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

it('--help names the package for npx (npx @mmsp/sandbox), never a bare unscoped npx name', () => {
  const r = spawnSync(process.execPath, [bin, '--help'], { encoding: 'utf8' });
  expect(r.status).toBe(0);
  expect(r.stdout).toContain('npx @mmsp/sandbox');
  expect(r.stdout).not.toMatch(/npx (?!@mmsp\/)/);
});
