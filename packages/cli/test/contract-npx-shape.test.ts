/**
 * Issue #8 contract: `npx @mmsp/cli <command>`. npx runs a package's bin when the package has exactly
 * one (whatever its name), so the package must publish one bin, `mmsp`, pointing to a built file that
 * is in `files`, starts with a node shebang and answers `--version` with the package's version.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BIN, mmsp } from './helpers.js';

const pkgPath = fileURLToPath(new URL('../package.json', import.meta.url));
const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as { name: string; version: string; bin: Record<string, string>; files: string[] };

describe('npx @mmsp/cli', () => {
  it('publishes exactly one bin, mmsp, the built dist/bin.js with a node shebang', () => {
    expect(pkg.name).toBe('@mmsp/cli');
    expect(Object.keys(pkg.bin)).toEqual(['mmsp']);
    expect(fileURLToPath(new URL(`../${pkg.bin.mmsp!}`, import.meta.url))).toBe(BIN);
    expect(pkg.files.some((f) => pkg.bin.mmsp!.replace(/^\.\//, '').startsWith(`${f}/`))).toBe(true);
    expect(readFileSync(BIN, 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
  });

  it('answers --version with the package version and exits 0', () => {
    const r = mmsp(['--version']);
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(pkg.version);
  });
});
