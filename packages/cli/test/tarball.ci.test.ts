// CI (needs the npm registry for third-party dependencies): the documented ways to start the CLI
// from the published tarballs, as a merchant's project gets them. `pnpm pack` @mmsp/cli and every
// @mmsp/* package it depends on, transitively (workspace: ranges become versions; nothing is on the
// registry yet), `npm install` them into a fresh project, then `npx mmsp --help`, `npx @mmsp/cli --version`, `npx mmsp sandbox --port 0`
// and `npx @mmsp/sandbox --help` there. Fails, never skips, without npm or the registry.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from './helpers.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const version = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string })
  .version;
const work = tempDir();
const app = join(work, 'app');

function npx(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync('npx', ['--no-install', ...args], { cwd: app, encoding: 'utf8', timeout: 60_000 });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** @mmsp/cli and the workspace packages it needs at run time (its dependencies, transitively). */
function runtimeClosure(start: string): string[] {
  const seen = new Set<string>();
  const visit = (dir: string) => {
    if (seen.has(dir)) return;
    seen.add(dir);
    const manifest = JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8')) as {
      dependencies?: Record<string, string>;
    };
    for (const name of Object.keys(manifest.dependencies ?? {}))
      if (name.startsWith('@mmsp/')) visit(name.slice('@mmsp/'.length));
  };
  visit(start);
  return [...seen];
}

beforeAll(() => {
  const packages = runtimeClosure('cli');
  expect(packages).toEqual(expect.arrayContaining(['cli', 'codec', 'sandbox']));
  for (const pkg of packages) {
    execFileSync('pnpm', ['pack', '--pack-destination', work], { cwd: join(root, 'packages', pkg), stdio: 'pipe' });
  }
  const tarballs = readdirSync(work)
    .filter((f) => f.endsWith('.tgz'))
    .map((f) => join(work, f));
  expect(tarballs).toHaveLength(packages.length);
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'merchant-app', private: true, type: 'module' }));
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--save-dev', ...tarballs], {
    cwd: app,
    stdio: 'pipe',
    timeout: 240_000,
  });
}, 300_000);

describe('after npm install -D @mmsp/cli (from its tarball)', () => {
  it('npx mmsp --help and npx @mmsp/cli --version', () => {
    const help = npx(['mmsp', '--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^Usage: mmsp <command> \[options\] +\(npx @mmsp\/cli <command>\)/);
    const v = npx(['@mmsp/cli', '--version']);
    expect(v.status).toBe(0);
    expect(v.stdout).toBe(`${version}\n`);
  });

  it('npx mmsp sandbox --port 0 --json serves the test merchant until stopped', async () => {
    // A process group of its own: npx does not pass SIGTERM on to the command it started.
    const child = spawn('npx', ['--no-install', 'mmsp', 'sandbox', '--port', '0', '--json'], {
      cwd: app,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
    });
    try {
      const started = await new Promise<{ url: string; merchantNo: string }>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`no JSON line: ${out}`)), 30_000);
        child.stdout.on('data', () => {
          if (out.includes('\n')) {
            clearTimeout(t);
            resolve(JSON.parse(out.split('\n')[0]!) as { url: string; merchantNo: string });
          }
        });
        child.on('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
      });
      expect(started.merchantNo).toBe('001440353999853');
      const merchant = (await (await fetch(`${started.url}/_sandbox/merchant`)).json()) as {
        merchantNo: string;
        platformPublicKey: string;
      };
      expect(merchant.merchantNo).toBe('001440353999853');
      expect(merchant.platformPublicKey).toContain('BEGIN PUBLIC KEY');
    } finally {
      const exited = new Promise((resolve) => child.on('exit', resolve));
      process.kill(-child.pid!, 'SIGTERM');
      await exited;
    }
  });

  it('npx @mmsp/sandbox --help (the sandbox package by name)', () => {
    const r = npx(['@mmsp/sandbox', '--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Usage: mmsp-sandbox \[options\]/);
  });
});
