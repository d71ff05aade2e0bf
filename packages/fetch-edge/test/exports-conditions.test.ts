import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

// Each runtime resolves a build without Node built-ins through its own `exports` condition.
// The dist checks read the BUILT output: `pnpm test` builds first (docs/ARCHITECTURE.md).
const pkgDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const manifest = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as { exports: Record<string, Record<string, string>> };
const RUNTIME_CONDITIONS = ['workerd', 'worker', 'edge-light', 'deno', 'bun', 'browser', 'default'];

describe('package.json exports', () => {
  it('lists `types` first and every runtime condition, `default` last', () => {
    const keys = Object.keys(manifest.exports['.']!);
    expect(keys[0]).toBe('types');
    expect(keys.at(-1)).toBe('default');
    for (const c of RUNTIME_CONDITIONS) expect(keys, c).toContain(c);
    for (const c of RUNTIME_CONDITIONS) expect(manifest.exports['.']![c], c).toBe('./dist/index.js');
  });

  it.each(RUNTIME_CONDITIONS)('condition %s resolves the built entry, which reaches no Node built-in', async (condition) => {
    const entry = join(pkgDir, 'dist/index.js');
    expect(existsSync(entry), `${entry} is missing: run \`pnpm build\` (pnpm test does)`).toBe(true);
    const result = await build({
      stdin: { contents: "export * from '@mmsp/fetch-edge';", resolveDir: pkgDir },
      absWorkingDir: pkgDir,
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'neutral',
      conditions: [condition],
      metafile: true,
      logLevel: 'silent',
      // Only this package's build is examined here; the codec and the client have their own checks.
      external: ['@mmsp/client', '@mmsp/codec'],
    });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs).toContain('dist/index.js');
    const imports = Object.values(result.metafile.inputs).flatMap((i) => i.imports.map((x) => x.path));
    expect(imports.filter((p) => p.startsWith('node:'))).toEqual([]);
  });

  it('no built file imports node:* or uses require/Buffer/process', () => {
    const dist = join(pkgDir, 'dist');
    expect(existsSync(dist), 'dist/ is missing: run `pnpm build`').toBe(true);
    const files = readdirSync(dist).filter((f) => f.endsWith('.js'));
    expect(files).toContain('index.js');
    for (const f of files) {
      const code = readFileSync(join(dist, f), 'utf8').replace(/\/\/.*$|\/\*[\s\S]*?\*\//gm, '');
      expect(code, f).not.toMatch(/from ['"]node:|import\(['"]node:|\brequire\(|\bBuffer\b|\bprocess\b/);
    }
  });
});
