// Issue #12: the CLI starts the documented ways in this repository. The root depends on @mmsp/cli
// (workspace:*), so `pnpm install` links `mmsp` at the root; the linked file is the committed
// bin/mmsp.js, which exists before any build, runs the built dist/bin.js, and without a build says
// to run `pnpm build` instead of failing with a module-resolution stack trace.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tempDir } from './helpers.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const cliPkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
const rootPkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  scripts: Record<string, string>;
  devDependencies: Record<string, string>;
};
const shim = fileURLToPath(new URL('../bin/mmsp.js', import.meta.url));

function pnpm(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync('pnpm', args, { cwd: root, encoding: 'utf8', timeout: 60_000, env: process.env });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('mmsp at the repository root', () => {
  it('the root package depends on @mmsp/cli, so pnpm install links node_modules/.bin/mmsp', () => {
    expect(rootPkg.devDependencies['@mmsp/cli']).toBe('workspace:*');
    expect(existsSync(join(root, 'node_modules', '.bin', 'mmsp')), 'run pnpm install').toBe(true);
  });

  it('pnpm exec mmsp --version prints the CLI version', () => {
    const r = pnpm(['exec', 'mmsp', '--version']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`${cliPkg.version}\n`);
  });

  it('pnpm mmsp --help prints the usage; pnpm mmsp passes the exit code through', () => {
    const help = pnpm(['mmsp', '--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^Usage: mmsp <command> \[options\] +\(npx @mmsp\/cli <command>\)\n/);
    expect(help.stdout).toContain('  sandbox  ');
    const bad = pnpm(['mmsp', 'frobnicate']);
    expect(bad.status).toBe(64);
    expect(bad.stderr).toContain('mmsp: unknown command "frobnicate"');
  });

  it('pnpm demo builds the CLI too', () => {
    expect(rootPkg.scripts.demo).toMatch(/^turbo run build [^&]*--filter @mmsp\/cli\.\.\. /);
  });
});

describe('bin/mmsp.js before a build', () => {
  it('without dist/: one message naming pnpm build, exit 1, no stack trace', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'bin'));
    writeFileSync(join(dir, 'package.json'), '{"type":"module"}');
    copyFileSync(shim, join(dir, 'bin', 'mmsp.js'));
    const r = spawnSync(process.execPath, [join(dir, 'bin', 'mmsp.js'), '--version'], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^mmsp: @mmsp\/cli is not built yet\.\n.*run `pnpm build`/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('with dist/ but an unbuilt workspace dependency: names it and pnpm build', () => {
    const dir = tempDir();
    for (const d of ['bin', 'dist', 'node_modules/@mmsp/codec']) mkdirSync(join(dir, d), { recursive: true });
    writeFileSync(join(dir, 'package.json'), '{"type":"module"}');
    writeFileSync(
      join(dir, 'node_modules/@mmsp/codec/package.json'),
      JSON.stringify({ name: '@mmsp/codec', type: 'module', exports: { '.': { default: './dist/index.js' } } }),
    );
    writeFileSync(join(dir, 'dist', 'bin.js'), "import '@mmsp/codec';\n");
    copyFileSync(shim, join(dir, 'bin', 'mmsp.js'));
    const r = spawnSync(process.execPath, [join(dir, 'bin', 'mmsp.js')], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`mmsp: ${join(dir, 'node_modules/@mmsp/codec')} is not built yet.`);
    expect(r.stderr).toContain('pnpm build');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('any other failure is not disguised as a missing build', () => {
    const dir = tempDir();
    for (const d of ['bin', 'dist']) mkdirSync(join(dir, d));
    writeFileSync(join(dir, 'package.json'), '{"type":"module"}');
    writeFileSync(join(dir, 'dist', 'bin.js'), "import 'no-such-package-h4';\n");
    copyFileSync(shim, join(dir, 'bin', 'mmsp.js'));
    const r = spawnSync(process.execPath, [join(dir, 'bin', 'mmsp.js')], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("Cannot find package 'no-such-package-h4'");
    expect(r.stderr).not.toContain('not built');
  });
});
