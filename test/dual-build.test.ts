import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// Every library package ships ES modules (dist/) and CommonJS (dist/cjs/), issue #12. These checks
// read the BUILT output (`pnpm test` builds first): the manifests, then Node itself loading both
// formats without require(esm), then TypeScript (node16, skipLibCheck false) reading the types of
// both formats. scripts/check-tarballs.mjs does the same from the packed tarballs in a fresh
// project (CI), where the registry is at hand.
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
type Target = { types: string; default: string };
interface Manifest {
  name: string;
  type: string;
  main: string;
  types: string;
  sideEffects: boolean;
  exports: Record<string, Record<string, Target | string> | string>;
  publishConfig: { exports: Record<string, Record<string, Target | string> | string> };
}
const read = (dir: string): Manifest => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;
const libraries = readdirSync(join(root, 'packages'))
  .filter((name) => name !== 'cli') // a bin, ESM only
  .map((name) => ({ dir: join(root, 'packages', name), manifest: read(join(root, 'packages', name)) }));
const ESM = { types: './dist/index.d.ts', default: './dist/index.js' };
const CJS = { types: './dist/cjs/index.d.ts', default: './dist/cjs/index.js' };

it('covers the nine library packages', () => {
  expect(libraries.map((l) => l.manifest.name).sort()).toEqual([
    '@mmsp/client',
    '@mmsp/codec',
    '@mmsp/fetch-edge',
    '@mmsp/http-node',
    '@mmsp/nestjs-module',
    '@mmsp/opentelemetry',
    '@mmsp/sandbox',
    '@mmsp/store-postgres',
    '@mmsp/store-redis',
  ]);
});

describe.each(libraries)('$manifest.name', ({ dir, manifest }) => {
  it('exports: `source` for the workspace only, `import` → ESM, `require` → CommonJS, types first in each', () => {
    const dot = manifest.exports['.'] as Record<string, Target | string>;
    expect(Object.keys(dot)[0]).toBe('source');
    expect(dot.import).toEqual(ESM);
    expect(dot.require).toEqual(CJS);
    for (const [condition, target] of Object.entries(dot)) {
      if (condition !== 'source') expect(Object.keys(target as Target)[0], condition).toBe('types');
    }
    // Subpath exports (`@mmsp/codec/php`…): the same layout, each to its own built module.
    for (const [path, entry] of Object.entries(manifest.exports)) {
      if (path === '.' || path === './package.json') continue;
      const e = entry as Record<string, Target | string>;
      expect(Object.keys(e), path).toEqual(['source', 'import', 'require']);
      const base = /^\.\/src\/(.+)\.ts$/.exec(e.source as string)?.[1];
      expect(base, path).toBeDefined();
      expect(e.import, path).toEqual({ types: `./dist/${base}.d.ts`, default: `./dist/${base}.js` });
      expect(e.require, path).toEqual({ types: `./dist/cjs/${base}.d.ts`, default: `./dist/cjs/${base}.js` });
    }
    const published = Object.fromEntries(
      Object.entries(manifest.exports).map(([path, entry]) => {
        if (typeof entry === 'string') return [path, entry];
        const { source: _source, ...rest } = entry;
        return [path, rest];
      }),
    );
    expect(manifest.publishConfig.exports).toEqual(published);
    expect([manifest.main, manifest.types]).toEqual(['./dist/cjs/index.js', './dist/cjs/index.d.ts']);
    expect(manifest.type).toBe('module');
    expect(manifest.sideEffects).toBe(false);
    expect(JSON.parse(readFileSync(join(dir, 'dist/cjs/package.json'), 'utf8'))).toEqual({ type: 'commonjs' });
  });

  it('CommonJS (require, no require(esm)) and ES module builds export the same names as the sources', () => {
    // Node without the `source` condition: what an installed package resolves to.
    const script = `
      const { createRequire } = require('node:module');
      const req = createRequire(${JSON.stringify(join(dir, 'package.json'))});
      const cjs = Object.keys(req(${JSON.stringify(manifest.name)})).filter((k) => k !== '__esModule').sort();
      import(req.resolve(${JSON.stringify(manifest.name)}).replace(/[\\\\/]cjs[\\\\/]index\\.js$/, '/index.js'))
        .then((esm) => console.log(JSON.stringify({ cjs, esm: Object.keys(esm).sort(), resolved: req.resolve(${JSON.stringify(manifest.name)}) })));`;
    const out = execFileSync(process.execPath, ['--no-experimental-require-module', '-e', script], {
      cwd: dir,
      encoding: 'utf8',
    });
    const { cjs, esm, resolved } = JSON.parse(out.trim().split('\n').at(-1)!) as {
      cjs: string[];
      esm: string[];
      resolved: string;
    };
    expect(resolved).toBe(join(dir, 'dist/cjs/index.js'));
    // The names the package's own test/exports.test.ts snapshots from its sources.
    const snapshot = readFileSync(join(dir, 'test/exports.test.ts'), 'utf8');
    const block = /toMatchInlineSnapshot\(`([^`]*)`\)/.exec(snapshot)?.[1] ?? '';
    const source = [...block.matchAll(/"([^"]+)",/g)].map((m) => m[1]!).sort();
    expect(source.length).toBeGreaterThan(0);
    expect(cjs).toEqual(source);
    expect(esm).toEqual(source);
  });

  const subpaths = Object.keys(manifest.exports).filter((p) => p !== '.' && p !== './package.json');
  if (subpaths.length > 0)
    it('every subpath export loads from CommonJS and ESM with the same names', () => {
      const specifiers = subpaths.map((p) => `${manifest.name}${p.slice(1)}`);
      const script = `
      const { createRequire } = require('node:module');
      const { pathToFileURL } = require('node:url');
      const req = createRequire(${JSON.stringify(join(dir, 'package.json'))});
      Promise.all(${JSON.stringify(specifiers)}.map(async (s) => {
        const resolved = req.resolve(s);
        const cjs = Object.keys(req(s)).filter((k) => k !== '__esModule').sort();
        const esm = Object.keys(await import(pathToFileURL(resolved.replace(/[\\/]cjs[\\/]/, '/')).href)).sort();
        return { s, resolved, cjs, esm };
      })).then((all) => console.log(JSON.stringify({ all })));`;
      const out = execFileSync(process.execPath, ['--no-experimental-require-module', '-e', script], {
        cwd: dir,
        encoding: 'utf8',
      });
      const { all } = JSON.parse(out.trim().split('\n').at(-1)!) as {
        all: { s: string; resolved: string; cjs: string[]; esm: string[] }[];
      };
      // Each subpath's names as the package's test/exports.test.ts snapshots them from its sources.
      const snapshots = readFileSync(join(dir, 'test/exports.test.ts'), 'utf8');
      for (const { s, resolved, cjs, esm } of all) {
        expect(resolved, s).toContain(join(dir, 'dist/cjs'));
        expect(cjs.length, s).toBeGreaterThan(0);
        expect(esm, s).toEqual(cjs);
        const block = snapshots.split(`import('${s}')).sort()).toMatchInlineSnapshot(\``)[1]?.split('`')[0];
        expect(block, `${s}: no exports snapshot in test/exports.test.ts`).toBeDefined();
        expect(cjs, s).toEqual([...block!.matchAll(/"([^"]+)",/g)].map((m) => m[1]!).sort());
      }
    });
});

it('every subpath export loads from CommonJS (no require(esm)) and as an ES module, with the same names', () => {
  const subpaths = libraries.flatMap(({ dir, manifest }) =>
    Object.keys(manifest.exports)
      .filter((s) => s !== '.' && s !== './package.json')
      .map((s) => ({ dir, specifier: `${manifest.name}/${s.slice(2)}` })),
  );
  expect(subpaths.map((s) => s.specifier)).toContain('@mmsp/codec/rsa');
  for (const { dir, specifier } of subpaths) {
    const script = `
      const { createRequire } = require('node:module');
      const req = createRequire(${JSON.stringify(join(dir, 'package.json'))});
      const cjs = Object.keys(req(${JSON.stringify(specifier)})).filter((k) => k !== '__esModule').sort();
      import(req.resolve(${JSON.stringify(specifier)}).replace(/[\\\\/]cjs[\\\\/]/, '/'))
        .then((esm) => console.log(JSON.stringify({ cjs, esm: Object.keys(esm).sort(), resolved: req.resolve(${JSON.stringify(specifier)}) })));`;
    const out = execFileSync(process.execPath, ['--no-experimental-require-module', '-e', script], {
      cwd: dir,
      encoding: 'utf8',
    });
    const { cjs, esm, resolved } = JSON.parse(out.trim().split('\n').at(-1)!) as {
      cjs: string[];
      esm: string[];
      resolved: string;
    };
    expect(resolved, specifier).toMatch(/[\\/]dist[\\/]cjs[\\/]/);
    expect(cjs.length, specifier).toBeGreaterThan(0);
    expect(esm, specifier).toEqual(cjs);
  }
});

it('TypeScript (node16, skipLibCheck false) types a .cts and an .mts consumer of every package', () => {
  const work = mkdtempSync(join(tmpdir(), 'mmsp-dual-types-'));
  try {
    mkdirSync(join(work, 'node_modules', '@mmsp'), { recursive: true });
    mkdirSync(join(work, 'node_modules', '@types'), { recursive: true });
    for (const { dir, manifest } of libraries) symlinkSync(dir, join(work, 'node_modules', manifest.name), 'dir');
    symlinkSync(join(root, 'node_modules', '@types', 'node'), join(work, 'node_modules', '@types', 'node'), 'dir');
    writeFileSync(join(work, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));
    const uses = consumerSource();
    writeFileSync(join(work, 'consumer.cts'), `${uses.imports}\n${uses.body}\nexport = checks;\n`);
    writeFileSync(join(work, 'consumer.mts'), `${uses.imports}\n${uses.body}\nexport default checks;\n`);
    writeFileSync(
      join(work, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'node16',
          moduleResolution: 'node16',
          target: 'es2022',
          strict: true,
          noEmit: true,
          skipLibCheck: false,
          types: ['node'],
          experimentalDecorators: true,
          emitDecoratorMetadata: true,
          listFiles: true,
        },
        files: ['consumer.cts', 'consumer.mts'],
      }),
    );
    const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    let listed: string;
    try {
      listed = execFileSync(process.execPath, [tsc, '-p', work], {
        cwd: work,
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
      });
    } catch (err) {
      const out = (err as { stdout?: string }).stdout ?? '';
      throw new Error(
        `tsc failed:\n${out
          .split('\n')
          .filter((l) => /error TS/.test(l))
          .join('\n')}`,
      );
    }
    // Both formats' declarations were read: the .cts through `require` (had it met the ESM types,
    // node16 would have refused them, TS1479), the .mts through `import`.
    const files = new Set(listed.split('\n').map((l) => l.trim()));
    for (const { dir } of libraries) {
      expect(files, dir).toContain(join(dir, 'dist/cjs/index.d.ts'));
      expect(files, dir).toContain(join(dir, 'dist/index.d.ts'));
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}, 180_000);

/** A consumer that uses one typed name of each package (so a wrong or missing declaration fails). */
function consumerSource(): { imports: string; body: string } {
  return {
    imports: [
      "import { md5Sign, type OperationName } from '@mmsp/codec';",
      "import { phpKsort } from '@mmsp/codec/php';",
      "import { notificationRoles } from '@mmsp/codec/catalogue';",
      "import { RsaKeyRing } from '@mmsp/codec/rsa';",
      "import { base64Encode } from '@mmsp/codec/bytes';",
      "import { createClient, MemoryNotificationStore } from '@mmsp/client';",
      "import { createNodeClient, createNotificationHandler } from '@mmsp/http-node';",
      "import { createFetchClient } from '@mmsp/fetch-edge';",
      "import { MmspModule, MmspService, MmspNotificationHandler } from '@mmsp/nestjs-module';",
      "import { RedisNotificationStore } from '@mmsp/store-redis';",
      "import { PostgresNotificationStore } from '@mmsp/store-postgres';",
      "import { startSandbox } from '@mmsp/sandbox';",
      "import { mmspTelemetryHooks } from '@mmsp/opentelemetry';",
      "import { instrumentMmsp } from '@mmsp/opentelemetry/node';",
    ].join('\n'),
    body: [
      "const op: OperationName = 'scan.wechatOrder';",
      'const checks = {',
      "  sign: md5Sign({ A: '1' }, 'k') satisfies string,",
      '  subpaths: [phpKsort(Object.entries({ b: 1 })), notificationRoles.scan.amount satisfies string, new RsaKeyRing(), base64Encode(new Uint8Array(1)) satisfies string],',
      '  op, createClient, store: new MemoryNotificationStore(), createNodeClient, createNotificationHandler, createFetchClient,',
      '  MmspModule, MmspService, MmspNotificationHandler, RedisNotificationStore, PostgresNotificationStore, hooks: mmspTelemetryHooks() satisfies { onRequest?: unknown }, instrumentMmsp,',
      '  sandbox: startSandbox satisfies (...args: never[]) => Promise<{ url: string }>,',
      '};',
    ].join('\n'),
  };
}
