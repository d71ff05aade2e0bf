import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

// Each runtime resolves a build without Node built-ins through its own `exports` condition.
// The dist checks read the BUILT output: `pnpm test` builds first (docs/ARCHITECTURE.md).
const pkgDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
type Target = { types: string; default: string };
const manifest = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as {
  exports: Record<string, Record<string, Target | string>>;
  publishConfig: { exports: Record<string, Record<string, Target | string>> };
};
const RUNTIME_CONDITIONS = ['workerd', 'worker', 'edge-light', 'deno', 'bun', 'browser', 'default'];
const ESM = { types: './dist/index.d.ts', default: './dist/index.js' };

describe('package.json exports', () => {
  it('sends every runtime condition to the ES module build (types first), `require` to CommonJS, `default` last', () => {
    // `source` (first) is for the workspace's own tests; the published manifest has none.
    for (const exports of [manifest.exports, manifest.publishConfig.exports]) {
      const dot = exports['.']!;
      const keys = Object.keys(dot).filter((k) => k !== 'source');
      expect(keys.at(-1)).toBe('default');
      for (const c of [...RUNTIME_CONDITIONS, 'import']) {
        expect(dot[c], c).toEqual(ESM);
        expect(Object.keys(dot[c]!)[0], c).toBe('types');
      }
      expect(dot.require).toEqual({ types: './dist/cjs/index.d.ts', default: './dist/cjs/index.js' });
      expect(keys.indexOf('require')).toBeLessThan(keys.indexOf('default'));
    }
    expect(Object.keys(manifest.exports['.']!)[0]).toBe('source');
    expect(Object.keys(manifest.publishConfig.exports['.']!)).not.toContain('source');
  });

  it.each(RUNTIME_CONDITIONS)(
    'condition %s resolves the built entry, which reaches no Node built-in',
    async (condition) => {
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
    },
  );

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
