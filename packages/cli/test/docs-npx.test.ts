// Issue #12: `npx mmsp` runs whatever is published under the unscoped name `mmsp` unless
// @mmsp/cli is installed in the project. So every README, every docs/ page and every help text
// names the package (`npx @mmsp/cli …`, `npx @mmsp/sandbox …`), or runs a bare bin name with npx
// only after telling to install the package that provides it (`npm install -D @mmsp/cli`, then
// `npx mmsp …`).
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../src/run.js';
import { mmsp } from './helpers.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));

/** bin name → the workspace package that provides it. */
function workspaceBins(): Map<string, string> {
  const bins = new Map<string, string>();
  for (const dir of ['packages', 'apps']) {
    for (const name of readdirSync(join(root, dir))) {
      const path = join(root, dir, name, 'package.json');
      if (!existsSync(path)) continue;
      const pkg = JSON.parse(readFileSync(path, 'utf8')) as { name: string; bin?: Record<string, string> };
      for (const bin of Object.keys(pkg.bin ?? {})) bins.set(bin, pkg.name);
    }
  }
  return bins;
}

const RUNNERS = /\b(?:npx|bunx|pnpm dlx|yarn dlx|npm exec)\s+(?:--?[\w-]+(?:=\S+)?\s+)*([^\s`'"|;&)]+)/g;

/** Every bare (unscoped) package run through npx-like runners with no earlier install of its package. */
function bareRunnerProblems(text: string, bins: Map<string, string>): string[] {
  const problems: string[] = [];
  for (const m of text.matchAll(RUNNERS)) {
    const name = m[1]!;
    if (name.startsWith('@')) continue;
    const pkg = bins.get(name);
    const before = text.slice(0, m.index);
    const install =
      pkg &&
      new RegExp(
        `\\b(?:npm (?:install|i|add)|pnpm add|yarn add|bun add)\\b[^\\n]*${pkg.replace('/', '\\/')}(?![\\w/-])`,
      ).test(before);
    if (!install) {
      const line = before.split('\n').length;
      problems.push(
        `line ${line}: "${m[0]}" runs the unscoped name ${JSON.stringify(name)}${pkg ? ` without installing ${pkg} first (write npx ${pkg} …)` : ''}`,
      );
    }
  }
  return problems;
}

function documents(): string[] {
  const files = [join(root, 'README.md')];
  for (const dir of ['packages', 'apps']) {
    for (const name of readdirSync(join(root, dir))) {
      const readme = join(root, dir, name, 'README.md');
      if (existsSync(readme)) files.push(readme);
    }
  }
  for (const name of readdirSync(join(root, 'docs'))) if (name.endsWith('.md')) files.push(join(root, 'docs', name));
  return files;
}

describe('npx names the package', () => {
  const bins = workspaceBins();

  it('the checker: bare names without an install are caught, package names and installed bins pass', () => {
    expect(bins.get('mmsp')).toBe('@mmsp/cli');
    expect(bins.get('mmsp-sandbox')).toBe('@mmsp/sandbox');
    expect(bareRunnerProblems('run `npx mmsp sandbox`', bins)).toEqual([
      'line 1: "npx mmsp" runs the unscoped name "mmsp" without installing @mmsp/cli first (write npx @mmsp/cli …)',
    ]);
    expect(bareRunnerProblems('a\n`npx --yes mmsp-sandbox --port 1`', bins)).toHaveLength(1);
    expect(bareRunnerProblems('npx @mmsp/cli sign -\npnpm dlx @mmsp/sandbox', bins)).toEqual([]);
    expect(bareRunnerProblems('npm install -D @mmsp/cli\nnpx mmsp --help', bins)).toEqual([]);
    expect(bareRunnerProblems('npm install -D @mmsp/client\nnpx mmsp --help', bins)).toHaveLength(1);
    expect(bareRunnerProblems('npx mmsp --help\nnpm install -D @mmsp/cli', bins)).toHaveLength(1);
    expect(bareRunnerProblems('bunx some-tool', bins)).toHaveLength(1);
  });

  it('every README and docs/ page', () => {
    const found = documents().flatMap((file) =>
      bareRunnerProblems(readFileSync(file, 'utf8'), bins).map((p) => `${relative(root, file)} ${p}`),
    );
    expect(found).toEqual([]);
  });

  it('every help text: mmsp --help, each command --help, mmsp-sandbox --help', () => {
    const texts: [string, string][] = [
      ['mmsp --help', mmsp(['--help']).stdout],
      ...COMMANDS.map((c): [string, string] => [`mmsp ${c.name} --help`, c.help]),
    ];
    const sandboxBin = fileURLToPath(new URL('../../sandbox/bin/mmsp-sandbox.js', import.meta.url));
    const sandbox = spawnSync(process.execPath, [sandboxBin, '--help'], { encoding: 'utf8' });
    expect(sandbox.status).toBe(0);
    texts.push(['mmsp-sandbox --help', sandbox.stdout]);
    expect(texts[0]![1]).toContain('npx @mmsp/cli');
    expect(sandbox.stdout).toContain('npx @mmsp/sandbox');
    const found = texts.flatMap(([what, text]) => bareRunnerProblems(text, bins).map((p) => `${what} ${p}`));
    expect(found).toEqual([]);
  });
});
