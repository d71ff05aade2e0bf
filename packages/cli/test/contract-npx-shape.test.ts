/**
 * Issue #8 contract: `npx @mmsp/cli <command>`. npx runs a package's bin when the package has exactly
 * one (whatever its name), so the package must publish one bin, `mmsp`, pointing to a file that is in
 * `files`, starts with a node shebang and answers `--version` with the package's version. The bin is
 * the committed bin/mmsp.js (issue #12: it exists right after `pnpm install`, before any build) and
 * runs the built dist/bin.js.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { BIN, mmsp } from './helpers.js';

const pkgPath = fileURLToPath(new URL('../package.json', import.meta.url));
const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as {
  name: string;
  version: string;
  bin: Record<string, string>;
  files: string[];
};

describe('npx @mmsp/cli', () => {
  const published = fileURLToPath(new URL(`../${pkg.bin.mmsp!}`, import.meta.url));

  it('publishes exactly one bin, mmsp: bin/mmsp.js (published, node shebang), which starts the built dist/bin.js', () => {
    expect(pkg.name).toBe('@mmsp/cli');
    expect(Object.keys(pkg.bin)).toEqual(['mmsp']);
    expect(pkg.bin.mmsp).toBe('./bin/mmsp.js');
    for (const file of [pkg.bin.mmsp!, './dist/bin.js']) {
      expect(
        pkg.files.some((f) => file.replace(/^\.\//, '').startsWith(`${f}/`)),
        file,
      ).toBe(true);
    }
    expect(readFileSync(published, 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
    expect(readFileSync(BIN, 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
  });

  it('answers --version with the package version and exits 0, through the published bin as through dist/bin.js', () => {
    const direct = mmsp(['--version']);
    expect(direct.status).toBe(0);
    expect(direct.stdout.trim()).toBe(pkg.version);
    const r = spawnSync(process.execPath, [published, '--version'], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '' },
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`${pkg.version}\n`);
  });

  it('the published bin passes arguments and the exit code through (unknown command: 64)', () => {
    const r = spawnSync(process.execPath, [published, 'frobnicate'], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '' },
    });
    expect(r.status).toBe(64);
    expect(r.stderr).toMatch(/^mmsp: unknown command "frobnicate"/);
  });
});
