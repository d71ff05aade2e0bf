// The second step of every package's build, run in the package directory after
// `tsc -p tsconfig.build.json` has written the ES modules to dist/ (issue #12): it copies the
// root LICENSE into the package (so that its tarball carries it; packages/*/LICENSE is ignored by
// git) and writes the CommonJS half of the dual build:
//
//   dist/*.js, *.d.ts          ES modules and their types (tsc)            exports → "import"
//   dist/cjs/*.js, *.d.ts      CommonJS and the same types in a CommonJS   exports → "require"
//                              scope (dist/cjs/package.json {"type":"commonjs"})
//
// The CommonJS files are esbuild's one-to-one conversion of tsc's output (no bundling: one file
// per module, requires between them), so decorators and their metadata are exactly what tsc
// emitted. The declarations are tsc's, copied: the same text read as CommonJS, which is what
// TypeScript expects under `require` (node16/nodenext).
//
// What a tarball carries besides: src/ and the declaration maps (ESM and CommonJS, both resolving
// to the shipped src/), so that go-to-definition lands in the TypeScript source. No JavaScript
// source maps: dist/ is tsc's unminified output, readable as it is in a stack trace
// (scripts/pack-all.mjs checks all this). A file of dist/ whose source is gone (a module moved
// or deleted since the last build: tsc never removes outputs) is deleted first.
//
// Usage: node ../../scripts/build-package.mjs [--exclude cli.js ...]  files that stay ESM-only (bins)
//        node ../../scripts/build-package.mjs --esm-only              LICENSE only (the CLI, a bin)
import { build } from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const dist = resolve('dist');
const out = join(dist, 'cjs');
const exclude = new Set();
let esmOnly = false;
for (let i = 2; i < process.argv.length; i++) {
  if (process.argv[i] === '--exclude') exclude.add(process.argv[++i]);
  else if (process.argv[i] === '--esm-only') esmOnly = true;
  else throw new Error(`build-package: unknown argument ${process.argv[i]}`);
}

copyFileSync(fileURLToPath(new URL('../LICENSE', import.meta.url)), 'LICENSE');

/** The source a dist/ file was emitted from: dist/a/b.js, .d.ts, .d.ts.map → src/a/b.ts. */
const sourceOf = (file) => join(resolve('src'), relative(dist, file).replace(/\.(js|d\.ts|d\.ts\.map)$/, '.ts'));
for (const file of walk(dist)) {
  if (!/\.(js|d\.ts|d\.ts\.map)$/.test(file) || !existsSync(sourceOf(file))) rmSync(file);
}
if (esmOnly) process.exit(0);

function walk(dir) {
  const files = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (path !== out) files.push(...walk(path));
    } else files.push(path);
  }
  return files;
}

rmSync(out, { recursive: true, force: true });
const files = walk(dist).filter((f) => !exclude.has(relative(dist, f).split(sep).join('/')));
const scripts = files.filter((f) => f.endsWith('.js'));
if (!scripts.includes(join(dist, 'index.js')))
  throw new Error(`build-package: ${dist}/index.js is missing (run tsc first)`);

await build({
  entryPoints: scripts,
  outdir: out,
  outbase: dist,
  bundle: false,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  sourcemap: false,
  logLevel: 'warning',
  logOverride: { 'empty-import-meta': 'error' },
});

// Declarations and their maps: the same text; a map's sources are rewritten relative to its new place.
for (const file of files) {
  const target = join(out, relative(dist, file));
  if (file.endsWith('.d.ts')) {
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(file, target);
  } else if (file.endsWith('.d.ts.map')) {
    const map = JSON.parse(readFileSync(file, 'utf8'));
    const from = dirname(file);
    map.sources = map.sources.map((s) =>
      relative(dirname(target), resolve(from, map.sourceRoot ?? '', s))
        .split(sep)
        .join('/'),
    );
    delete map.sourceRoot;
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, JSON.stringify(map));
  }
}
writeFileSync(join(out, 'package.json'), '{\n  "type": "commonjs"\n}\n');
