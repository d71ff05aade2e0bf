// Installs the packed tarballs (scripts/pack-all.mjs) with plain npm into a fresh project outside
// the workspace, as a user would, and checks what a user meets (issue #12):
//   0. pack-all's offline checks of each tarball, which fail this script: metadata, the files the
//      manifest names, and one set of maps for every package (src/ and the declaration maps that
//      resolve into it, no JavaScript source maps, no stale build output);
//   1. every library package, and every subpath it exports (`@mmsp/codec/php`…), loads with require()
//      under `node --no-experimental-require-module` (no ESM anywhere on the CommonJS path) and with
//      import(), and both export the same names;
//   2. a .cts and an .mts consumer of every package typecheck under module/moduleResolution node16
//      with skipLibCheck false (the types a package needs are installed with it);
//   3. `attw` (@arethetypeswrong/cli) finds no problem in any tarball (the CLI, a bin, is checked
//      with the esm-only profile);
//   4. the bins answer --help (`mmsp`, `mmsp-sandbox`).
// Needs the npm registry (CI). Run `pnpm build` first.
//
//   node scripts/check-tarballs.mjs [--keep]     (--keep leaves the project in .ci-work/tarball-check)
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const tarballDir = join(root, '.ci-work', 'tarballs');
const work = join(root, '.ci-work', 'tarball-check');
const keep = process.argv.includes('--keep');
const started = Date.now();
const step = (text) => console.log(`\n--- ${text} (${((Date.now() - started) / 1000).toFixed(0)}s)`);

function run(command, args, options = {}) {
  console.log(`+ ${command} ${args.join(' ')}`);
  return execFileSync(command, args, {
    cwd: work,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 * 1024 * 1024,
    ...options,
  });
}

step('pack');
const packed = JSON.parse(
  execFileSync(process.execPath, [join(root, 'scripts', 'pack-all.mjs'), '--json'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  }),
);
const packages = packed.packages.map((p) => ({ ...p, library: p.name !== '@mmsp/cli' }));
const libraries = packages.filter((p) => p.library);

step('fresh project, plain npm install of the tarballs');
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
writeFileSync(
  join(work, 'package.json'),
  JSON.stringify({ name: 'mmsp-tarball-check', private: true, version: '1.0.0' }, null, 2),
);
// Tools a TypeScript user has anyway; the packages bring everything else (required peers: npm installs them).
run(
  'npm',
  [
    'install',
    '--no-audit',
    '--no-fund',
    '--loglevel=error',
    ...packages.map((p) => p.file),
    'typescript@~5.9.3',
    '@types/node@^20.19.0',
    '@arethetypeswrong/cli@^0.18.2',
  ],
  { stdio: ['ignore', 'inherit', 'inherit'] },
);
// Every @mmsp package came from a tarball, none from the registry.
const lock = JSON.parse(readFileSync(join(work, 'package-lock.json'), 'utf8'));
for (const [path, entry] of Object.entries(lock.packages)) {
  if (!path.includes('node_modules/@mmsp/')) continue;
  if (
    path !== `node_modules/${path.slice(path.lastIndexOf('node_modules/') + 13)}` ||
    !String(entry.resolved ?? '').startsWith('file:')
  ) {
    throw new Error(`${path} was not installed from a tarball (resolved: ${entry.resolved})`);
  }
}

step('require() without require(esm), and import()');
// Each package and each subpath of its exports map, as read from the installed manifest.
const names = libraries.flatMap((p) => {
  const manifest = JSON.parse(readFileSync(join(work, 'node_modules', ...p.name.split('/'), 'package.json'), 'utf8'));
  const subpaths = Object.keys(manifest.exports ?? {}).filter((k) => k !== '.' && k !== './package.json');
  return [p.name, ...subpaths.map((k) => `${p.name}${k.slice(1)}`)];
});
const cjs = JSON.parse(
  run(process.execPath, [
    '--no-experimental-require-module',
    '-e',
    `
  const out = {};
  for (const name of ${JSON.stringify(names)}) out[name] = Object.keys(require(name)).filter((k) => k !== '__esModule').sort();
  console.log(JSON.stringify(out));`,
  ]),
);
const esm = JSON.parse(
  run(process.execPath, [
    '--input-type=module',
    '-e',
    `
  const out = {};
  for (const name of ${JSON.stringify(names)}) out[name] = Object.keys(await import(name)).sort();
  console.log(JSON.stringify(out));`,
  ]),
);
for (const name of names) {
  if (cjs[name].length === 0) throw new Error(`${name}: require() gave no exports`);
  if (JSON.stringify(cjs[name]) !== JSON.stringify(esm[name])) {
    throw new Error(`${name}: CommonJS exports ${cjs[name].join(', ')}\nbut ESM exports ${esm[name].join(', ')}`);
  }
  console.log(`${name}: ${cjs[name].length} names, the same from require() and import()`);
}

step('TypeScript node16, skipLibCheck false: a .cts and an .mts consumer');
const imports = [
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
].join('\n');
const body = `const op: OperationName = 'scan.wechatOrder';
const checks = {
  sign: md5Sign({ A: '1' }, 'k') satisfies string,
  subpaths: [phpKsort(Object.entries({ b: 1 })), notificationRoles.scan.amount satisfies string, new RsaKeyRing(), base64Encode(new Uint8Array(1)) satisfies string],
  op, createClient, store: new MemoryNotificationStore(), createNodeClient, createNotificationHandler, createFetchClient,
  MmspModule, MmspService, MmspNotificationHandler, RedisNotificationStore, PostgresNotificationStore, hooks: mmspTelemetryHooks() satisfies { onRequest?: unknown }, instrumentMmsp,
  sandbox: startSandbox satisfies (...args: never[]) => Promise<{ url: string }>,
};`;
writeFileSync(join(work, 'consumer.cts'), `${imports}\n${body}\nexport = checks;\n`);
writeFileSync(join(work, 'consumer.mts'), `${imports}\n${body}\nexport default checks;\n`);
writeFileSync(
  join(work, 'tsconfig.json'),
  JSON.stringify(
    {
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
    },
    null,
    2,
  ),
);
let listed;
try {
  listed = run(process.execPath, [join(work, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', '.']);
} catch (err) {
  console.error(
    String(err.stdout ?? '')
      .split('\n')
      .filter((l) => l.includes('error TS'))
      .join('\n'),
  );
  throw new Error('tsc: the consumers do not typecheck');
}
const files = new Set(listed.split('\n').map((l) => l.trim()));
// Each package's own entry (the subpaths were loaded above; the consumers import only some of them).
for (const name of names.filter((n) => n.split('/').length === 2)) {
  for (const f of ['dist/cjs/index.d.ts', 'dist/index.d.ts']) {
    const path = join(work, 'node_modules', name, f);
    if (!files.has(path)) throw new Error(`tsc did not read ${path}`);
  }
}
console.log(`typechecked ${files.size} files, every package's CommonJS and ESM declarations among them`);

step('attw on every tarball');
const attw = join(work, 'node_modules', '.bin', 'attw');
for (const p of packages) {
  run(attw, [p.file, '--format', 'table-flipped', ...(p.library ? [] : ['--profile', 'esm-only'])], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
}

step('bins');
run(join(work, 'node_modules', '.bin', 'mmsp'), ['--help'], { stdio: ['ignore', 'ignore', 'inherit'] });
run(join(work, 'node_modules', '.bin', 'mmsp-sandbox'), ['--help'], { stdio: ['ignore', 'ignore', 'inherit'] });

if (!keep) rmSync(work, { recursive: true, force: true });
step('tarballs OK');
