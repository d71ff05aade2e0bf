#!/usr/bin/env node
// Bundle size of minimal Workers using @mmsp/fetch-edge: esbuild (minified, Workers conditions as
// wrangler sets them) then gzip -9, with the bytes broken down by package from esbuild's metafile.
// Not a test: it prints figures for BENCHMARKS.md.
//
//   node packages/fetch-edge/bench/bundle-size.mjs            # resolves the built packages (dist/), run `pnpm build` first
//   node packages/fetch-edge/bench/bundle-size.mjs --source   # resolves the TypeScript sources instead
import { build } from 'esbuild';
import { gzipSync } from 'node:zlib';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import os from 'node:os';

const pkgDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const fromSource = process.argv.includes('--source');
if (!fromSource) {
  for (const p of ['codec', 'client', 'fetch-edge']) {
    if (!existsSync(resolve(pkgDir, '..', p, 'dist/index.js'))) {
      console.error(`packages/${p}/dist is missing: run \`pnpm build\` first, or pass --source`);
      process.exit(1);
    }
  }
}

const workers = {
  // Issue #14's goal: a Worker that only signs and verifies, at most 10 KiB gzip.
  'sign + verify': `
    import { md5Sign, md5Verify } from '@mmsp/codec';
    export default {
      async fetch(request, env) {
        const body = await request.json();
        const sign = md5Sign(body, env.MMSP_KEY);
        return Response.json({ sign, ok: md5Verify(body, sign, env.MMSP_KEY) });
      },
    };`,
  'sign + verify + receive': `
    import { md5Sign, md5Verify } from '@mmsp/codec';
    import { createNotificationHandler } from '@mmsp/fetch-edge';
    export default {
      async fetch(request, env) {
        const url = new URL(request.url);
        if (url.pathname === '/notify') {
          return createNotificationHandler({ key: env.MMSP_KEY, onPaid: (event) => env.ORDERS.put(event.merchantOrderId, event.amount) })(request);
        }
        const body = await request.json();
        const sign = md5Sign(body, env.MMSP_KEY);
        return Response.json({ sign, ok: md5Verify(body, sign, env.MMSP_KEY) });
      },
    };`,
  'client (MD5 families) + receive': `
    import { createFetchClient, createNotificationHandler } from '@mmsp/fetch-edge';
    export default {
      async fetch(request, env) {
        const client = createFetchClient({ merchantNo: env.MERNO, terminalNo: env.TERMNO, key: env.MMSP_KEY, endpoints: { scan: env.SCAN_URL } });
        if (new URL(request.url).pathname === '/notify') return createNotificationHandler({ client, onPaid: () => {} })(request);
        const result = await client.scan.wechatOrder(await request.json());
        return Response.json(result.body);
      },
    };`,
  'client + payouts (RSA seal)': `
    import { createFetchClient } from '@mmsp/fetch-edge';
    export default {
      async fetch(request, env) {
        const client = createFetchClient({
          merchantNo: env.MERNO, terminalNo: env.TERMNO, key: env.MMSP_KEY, endpoints: { payout: env.PAYOUT_URL },
          payout: { platformPublicKey: env.PLATFORM_PUBLIC_KEY, merchantPrivateKey: env.MERCHANT_PRIVATE_KEY },
        });
        const result = await client.payout.pay(await request.json());
        return Response.json(result.body);
      },
    };`,
};

/** `node_modules/.pnpm/node-forge@1.4.3/node_modules/node-forge/lib/rsa.js` → `node-forge`; `packages/codec/src/x.ts` → `@mmsp/codec`. */
function owner(path) {
  const nm = path.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = path.slice(nm + 'node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  const m = /packages\/([^/]+)\//.exec(path);
  if (m) return `@mmsp/${m[1]}`;
  return path.startsWith('<stdin>') || path === '<stdin>' ? '(worker)' : path;
}

function detail(path) {
  const m = /packages\/([^/]+)\/(?:src|dist)\/(.*)$/.exec(path);
  if (m) return `@mmsp/${m[1]}/${m[2]}`;
  const nm = path.lastIndexOf('node_modules/');
  return nm >= 0 ? path.slice(nm + 'node_modules/'.length) : path;
}

const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;
const rows = [];
for (const [name, contents] of Object.entries(workers)) {
  const result = await build({
    stdin: { contents, resolveDir: pkgDir, loader: 'js', sourcefile: 'worker.js' },
    bundle: true,
    minify: true,
    write: false,
    format: 'esm',
    target: 'es2022',
    platform: 'browser',
    // wrangler's resolution for Workers; `source` only with --source.
    conditions: [...(fromSource ? ['source'] : []), 'workerd', 'worker', 'browser'],
    mainFields: ['browser', 'module', 'main'],
    metafile: true,
    logLevel: 'error',
  });
  const out = result.outputFiles[0].contents;
  const gz = gzipSync(out, { level: 9 }).length;
  const [output] = Object.values(result.metafile.outputs);
  const byPackage = new Map();
  const byFile = [];
  for (const [path, { bytesInOutput }] of Object.entries(output.inputs)) {
    byPackage.set(owner(path), (byPackage.get(owner(path)) ?? 0) + bytesInOutput);
    byFile.push([detail(path), bytesInOutput]);
  }
  rows.push({ name, min: out.length, gz, forge: byPackage.has('node-forge') });
  console.log(
    `\n## ${name}\nminified ${kb(out.length)} (${out.length} B), gzip -9 ${kb(gz)} (${gz} B), node-forge ${byPackage.has('node-forge') ? 'INCLUDED' : 'absent'}`,
  );
  console.log('by package (minified bytes in output):');
  for (const [pkg, bytes] of [...byPackage].sort((a, b) => b[1] - a[1])) {
    console.log(
      `  ${pkg.padEnd(24)} ${String(bytes).padStart(8)}  ${((100 * bytes) / out.length).toFixed(1).padStart(5)}%`,
    );
  }
  console.log('largest files:');
  for (const [file, bytes] of byFile
    .sort((a, b) => b[1] - a[1])
    .slice(0, process.argv.includes('--all') ? Infinity : 8))
    console.log(`  ${file.padEnd(56)} ${String(bytes).padStart(8)}`);
}

console.log('\n| worker | minified | gzip -9 | node-forge |\n|---|---:|---:|---|');
for (const r of rows) console.log(`| ${r.name} | ${kb(r.min)} | ${kb(r.gz)} | ${r.forge ? 'included' : 'absent'} |`);
console.log(
  `\nmachine: ${os.cpus()[0]?.model ?? 'unknown cpu'} ×${os.cpus().length}, node ${process.version}, esbuild ${(await import('esbuild')).version}, resolved from ${fromSource ? 'sources' : 'dist'}`,
);
