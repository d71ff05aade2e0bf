// The cost of request metadata, hooks and diagnostics channels (issue #15), side by side in one run
// (not a test). "today" is the client as it was before issue #15 (git revision --base, default
// 32ffb41), bundled by esbuild from that revision's client and codec sources: the codec has been
// rebuilt since (issue #14), so the old client gets the codec it was written against. The "new"
// variants are the current client sources against the one built @mmsp/codec, so what sets them apart
// from each other is hooks and channels alone.
//
// Every call is a real `scan.query` through the client: autofill, validation, MD5 envelope,
// an in-memory transport answering a signed response, verification, state. Variants, interleaved in
// each round (the order rotates) so that machine noise hits them alike:
//   today          createClient, the revision before issue #15
//   new, bare      createClient without hooks                      (what createClient users get)
//   new, node      + @mmsp/http-node's channel hooks, no subscriber (what createNodeClient users get)
//   new, hooks     four no-op hooks
//   new, channels  channel hooks with a no-op subscriber on every channel
//
// Run after a build:
//   pnpm --filter @mmsp/codec --filter @mmsp/client --filter @mmsp/http-node build
//   node packages/client/bench/hooks.bench.mjs [--base 32ffb41] [--rounds 25] [--calls 3000] [--variants 0,1,2]
import { execFileSync } from 'node:child_process';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { buildEnvelope } from '@mmsp/codec';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const BASE = arg('base', '32ffb41');
const ROUNDS = Number(arg('rounds', '25'));
const CALLS = Number(arg('calls', '3000'));

const here = dirname(fileURLToPath(import.meta.url));
const root = execFileSync('git', ['rev-parse', '--show-toplevel'], { cwd: here, encoding: 'utf8' }).trim();
const codecUrl = import.meta.resolve('@mmsp/codec');
const work = mkdtempSync(join(tmpdir(), 'mmsp-hooks-bench-'));

/**
 * Bundles a client's sources: with `codecDir` (a revision's packages/codec), that codec's sources are
 * bundled in (every entry its package.json maps with the `source` condition); without it, the one
 * built codec is left external (the same module for every current variant).
 */
async function bundle(entry, outfile, codecDir) {
  const codec =
    codecDir === undefined
      ? {
          plugins: [
            {
              name: 'codec',
              // The codec and its subpaths (`@mmsp/codec/catalogue`…), from the one build.
              setup: (b) =>
                b.onResolve({ filter: /^@mmsp\/codec(\/[a-z-]+)?$/ }, (args) => ({
                  path: args.path === '@mmsp/codec' ? codecUrl : import.meta.resolve(args.path),
                  external: true,
                })),
            },
          ],
        }
      : {
          alias: Object.fromEntries(
            Object.entries(JSON.parse(readFileSync(join(codecDir, 'package.json'), 'utf8')).exports)
              .filter(([, target]) => typeof target === 'object' && typeof target.source === 'string')
              .map(([sub, target]) => [`@mmsp/codec${sub.slice(1)}`, join(codecDir, target.source)]),
          ),
          // The old codec's own dependencies (@noble/hashes, node-forge) from this checkout;
          // node-forge is CommonJS and needs a `require` for Node built-ins.
          nodePaths: [join(root, 'packages', 'codec', 'node_modules'), join(root, 'node_modules')],
          banner: {
            js: "import { createRequire as __mmspCreateRequire } from 'node:module'; const require = __mmspCreateRequire(import.meta.url);",
          },
        };
  await build({
    entryPoints: [entry],
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    outfile,
    logLevel: 'error',
    ...codec,
  });
  return import(pathToFileURL(outfile).href);
}

execFileSync(
  'sh',
  [
    '-c',
    `git archive --format=tar ${BASE} packages/client/src packages/codec/src packages/codec/package.json | tar -x -C "${work}"`,
  ],
  { cwd: root },
);
const baseCodec = join(work, 'packages/codec');
const today = await bundle(join(work, 'packages/client/src/index.ts'), join(work, 'today.mjs'), baseCodec);
const current = await bundle(resolve(here, '../src/index.ts'), join(work, 'current.mjs'));
const { diagnosticsHooks, MMSP_DIAGNOSTICS_CHANNELS } = {
  ...(await import(pathToFileURL(resolve(here, '../../http-node/dist/diagnostics.js')).href)),
};

const key = 'ea21842eea24e448b991b1cb0a0294cf';
const merchantNo = '001440353999853';
const terminalNo = '84970001';
const answer = buildEnvelope({
  family: 'scan',
  commandId: 35078,
  seqId: 1,
  merchantNo,
  terminalNo,
  key,
  retCode: 1,
  errorMsg: '',
  body: {
    MERORDERID: 'ORD20261206000001',
    ORDERNO: '2026120600000001',
    AMT: '100',
    STATUS: '1',
    ERRCODE: '',
    ERRMSG: '',
    PAYTIME: '2026-12-06 12:00:00',
    RANDSTR: 'abcdefghijklmno',
  },
}).text;
const response = { status: 200, headers: { 'content-type': 'application/json' }, body: answer };
const transport = async () => response;
const config = (hooks) => ({
  merchantNo,
  terminalNo,
  key,
  endpoints: { scan: 'https://pay.example.com/scan' },
  transport,
  logger: {},
  ...(hooks ? { hooks } : {}),
});
const noop = () => undefined;

const subscribers = Object.values(MMSP_DIAGNOSTICS_CHANNELS).map((name) => [name, noop]);
const variants = [
  { label: 'today (before issue #15)', client: today.createClient(config()) },
  { label: 'new, no hooks', client: current.createClient(config()) },
  {
    label: 'new, node channel hooks, no subscriber',
    client: current.createClient(config(diagnosticsHooks(undefined))),
  },
  {
    label: 'new, four no-op hooks',
    client: current.createClient(config({ onRequest: noop, onResponse: noop, onRetry: noop, onNotification: noop })),
  },
  {
    label: 'new, node channel hooks, subscribed',
    client: current.createClient(config(diagnosticsHooks(undefined))),
    before: () => subscribers.forEach(([n, f]) => subscribe(n, f)),
    after: () => subscribers.forEach(([n, f]) => unsubscribe(n, f)),
  },
];

// --calibrate adds "today" bundled a second time (an A/A run): how far apart two identical clients
// come out on this machine, the resolution of every other figure.
if (process.argv.includes('--calibrate')) {
  const again = await bundle(join(work, 'packages/client/src/index.ts'), join(work, 'today-again.mjs'), baseCodec);
  variants.push({ label: 'today again (A/A calibration)', client: again.createClient(config()) });
}

// --variants 0,1,2 runs only those (0, "today", always runs: every figure is paired with it). The
// subscribed variant subscribes and unsubscribes around each of its runs, which switches Node's
// channel objects between their two classes; leave it out to measure the others without that.
const only = arg('variants', undefined)?.split(',').map(Number);
if (only)
  for (let i = variants.length - 1; i > 0; i--)
    if (!only.includes(i) && !variants[i].label.includes('A/A')) variants.splice(i, 1);

const body = { MERORDERID: 'ORD20261206000001' };
async function run(v, calls) {
  v.before?.();
  try {
    // CPU time of this process (user + system), not wall time: the machine is shared, and every
    // call runs on this thread (the transport answers in memory).
    const t0 = process.cpuUsage();
    for (let i = 0; i < calls; i++) {
      const r = await v.client.scan.query(body);
      if (r.state !== 'paid') throw new Error(`${v.label}: unexpected state ${r.state}`);
    }
    const used = process.cpuUsage(t0);
    return calls / ((used.user + used.system) / 1e6);
  } finally {
    v.after?.();
  }
}

rmSync(work, { recursive: true, force: true });
for (const v of variants) await run(v, 3_000); // warm-up
const figures = variants.map(() => []);
for (let round = 0; round < ROUNDS; round++) {
  for (let k = 0; k < variants.length; k++) {
    const i = (k + round) % variants.length;
    figures[i].push(await run(variants[i], CALLS));
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const quartiles = (xs) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return [sorted[Math.floor((sorted.length - 1) / 4)], sorted[Math.ceil(((sorted.length - 1) * 3) / 4)]];
};
// Paired: each round's figure is divided by "today" of the same round (run next to it, under the
// same load), and the median of those ratios is reported with its interquartile range.
const ratios = figures.map((xs) => xs.map((x, r) => x / figures[0][r]));
console.log(
  `scan.query through the client on an in-memory transport: ${ROUNDS} rounds × ${CALLS} calls per variant, CPU-time calls/s, node ${process.version}, base ${BASE}`,
);
console.log(
  `${'variant'.padEnd(42)} ${'median calls/s'.padStart(14)}  ${'vs today (paired median)'.padStart(24)}  ${'IQR of ratios'.padStart(15)}`,
);
variants.forEach((v, i) => {
  const [q1, q3] = quartiles(ratios[i]);
  console.log(
    `${v.label.padEnd(42)} ${Math.round(median(figures[i])).toString().padStart(14)}  ${`${(median(ratios[i]) * 100).toFixed(1)}%`.padStart(24)}  ${`${(q1 * 100).toFixed(1)}–${(q3 * 100).toFixed(1)}%`.padStart(15)}`,
  );
});
