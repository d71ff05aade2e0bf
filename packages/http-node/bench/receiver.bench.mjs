#!/usr/bin/env node
// Receiver load benchmark (issue #5). Not a test: prints figures side by side in one run.
//   node packages/http-node/bench/receiver.bench.mjs [--rounds 20] [--round-ms 1000] [--connections 16]
//     [--pipelining 1] [--pin] [--adapter] [--unescaped] [--profile] [--skip-client]
// 1. Verified notifications/s through createNotificationHandler versus a bare node:http handler
//    answering SUCCESS without verifying; each server in its own process, both running for the whole
//    run. The load comes from a third process (load-child.mjs: keep-alive raw sockets writing
//    pre-built requests, `--pipelining` in flight per connection) in interleaved short rounds
//    (bare, receiver, then receiver, bare, …), so both servers see the same machine load; each
//    round gives one ratio and the median and spread of the ratios are printed.
//    --pin: the servers on CPU 0 and the load generator on CPU 1 (taskset), the same for both.
//    --adapter: a third server, the handler with a stand-in decision (the adapter's own cost).
//    --modes a,b,…: exactly these servers (server-child.ts: bare, read, answer, open, adapter,
//      nostore, receiver, baseline, minimal, minimal-once), e.g. the decomposition
//      bare,read,answer,open,nostore,receiver, or bare,minimal,minimal-once,receiver (a hand-written
//      verifying receiver without the SDK: the least any verifying receiver costs).
//    --baseline <commit>: a further server, the receiver built from that commit's codec, client and
//      http-node sources (git archive), to compare before and after under the same load.
//    --profile: each server runs under --cpu-prof; every server's busiest functions are printed, as
//      shares of its busy samples and in µs per answered request (--profile-top N rows, default 30).
//    --unescaped: notifications with raw UTF-8 Chinese instead of the platform's \uXXXX escapes.
// 2. Client calls/s (scan.query) from createNodeClient against @mmsp/sandbox in another process.
// The TypeScript sources are bundled with esbuild first (no build step needed).
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const duration = arg('duration', 10); // the client figure's seconds
const rounds = arg('rounds', 20);
const roundMs = arg('round-ms', 1000);
const connections = arg('connections', 16);
const pipelining = arg('pipelining', 1);
const skipClient = process.argv.includes('--skip-client');
const profile = process.argv.includes('--profile');
const profileTop = arg('profile-top', 30);
const pin = process.argv.includes('--pin') && existsSync('/usr/bin/taskset');
const withAdapter = process.argv.includes('--adapter');
const baselineAt = process.argv.indexOf('--baseline');
const baseline = baselineAt > 0 ? process.argv[baselineAt + 1] : undefined;

const outDir = join(here, '..', 'node_modules', '.cache', 'mmsp-bench');
mkdirSync(outDir, { recursive: true });
// Everything bundled (workspace packages from their TypeScript sources); CommonJS dependencies
// get a `require` for Node built-ins.
await build({
  entryPoints: { 'server-child': join(here, 'server-child.ts'), lib: join(here, 'bench-lib.ts') },
  outdir: outDir,
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  conditions: ['source'],
  banner: {
    js: "import { createRequire as __mmspCreateRequire } from 'node:module'; const require = __mmspCreateRequire(import.meta.url);",
  },
  logLevel: 'error',
});
const root = join(here, '..', '..', '..');
if (baseline) {
  // That commit's sources in a folder of their own, the workspace packages resolved to them.
  const dir = join(outDir, 'baseline-src');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const tar = execFileSync(
    'git',
    [
      '-C',
      root,
      'archive',
      baseline,
      'packages/codec/package.json',
      'packages/codec/src',
      'packages/client/src',
      'packages/http-node/src',
    ],
    { maxBuffer: 1 << 28 },
  );
  execFileSync('tar', ['-x', '-C', dir], { input: tar });
  const src = (pkg, file = 'index.ts') => join(dir, 'packages', pkg, 'src', file);
  mkdirSync(join(dir, 'packages', 'http-node', 'bench'), { recursive: true });
  for (const f of ['server-child.ts', 'notifications.ts'])
    execFileSync('cp', [join(here, f), join(dir, 'packages', 'http-node', 'bench', f)]);
  await build({
    entryPoints: { 'server-child-baseline': join(dir, 'packages', 'http-node', 'bench', 'server-child.ts') },
    outdir: outDir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // Every entry point of that commit's codec (its package.json's `source` conditions), and the client.
    alias: {
      ...Object.fromEntries(
        Object.entries(JSON.parse(readFileSync(join(dir, 'packages', 'codec', 'package.json'), 'utf8')).exports)
          .filter(([, target]) => typeof target === 'object' && typeof target.source === 'string')
          .map(([sub, target]) => [`@mmsp/codec${sub.slice(1)}`, join(dir, 'packages', 'codec', target.source)]),
      ),
      '@mmsp/client': src('client'),
    },
    nodePaths: [join(root, 'packages', 'codec', 'node_modules'), join(root, 'node_modules')],
    external: ['../../sandbox/src/index.js'],
    banner: {
      js: "import { createRequire as __mmspCreateRequire } from 'node:module'; const require = __mmspCreateRequire(import.meta.url);",
    },
    logLevel: 'error',
  });
}
const lib = await import(pathToFileURL(join(outDir, 'lib.mjs')).href);

const profileDir = join(outDir, 'profiles');
/** Requests each server answered over the whole run (warm-up included), told when it stops. */
const handledBy = new Map();
function startChild(mode) {
  const flags = profile ? ['--cpu-prof', '--cpu-prof-interval', '200', '--cpu-prof-dir', join(profileDir, mode)] : [];
  const argv =
    mode === 'baseline'
      ? [...flags, join(outDir, 'server-child-baseline.mjs'), 'receiver']
      : [...flags, join(outDir, 'server-child.mjs'), mode];
  const child = pin
    ? spawn('taskset', ['-c', '0', process.execPath, ...argv], { stdio: ['ignore', 'pipe', 'inherit'] })
    : spawn(process.execPath, argv, { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (c) => {
      out += c;
      const lines = out.split('\n');
      if (lines.length > 1) resolve({ child, port: JSON.parse(lines[0]).port, pid: child.pid });
      // its last line, on SIGTERM: how many requests it answered
      if (lines.length > 2) handledBy.set(mode, JSON.parse(lines[1]).handled);
    });
    child.once('exit', (code) => reject(new Error(`${mode} exited with ${code}`)));
  });
}

if (profile) rmSync(profileDir, { recursive: true, force: true });
const stop = (child) =>
  new Promise((resolve) => {
    child.once('exit', resolve);
    child.kill('SIGTERM');
  });

const unescaped = process.argv.includes('--unescaped');
const notifications = arg('notifications', 150_000);

console.log(
  `machine: ${os.cpus()[0]?.model ?? 'cpu'} × ${os.cpus().length}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, load avg ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')} at ${new Date().toISOString()}; node ${process.version}`,
);
console.log(
  `load: load-child.mjs in its own process${pin ? ' (CPU 1; servers on CPU 0)' : ''}, ${connections} keep-alive connections × ${pipelining} in flight per server, ${rounds} rounds of ${roundMs} ms per server (interleaved, order alternating), ${notifications} distinct signed quick-pay notifications, ${unescaped ? 'raw UTF-8' : "written the platform's way (\\uXXXX)"}; each server sees the same sequence\n`,
);

const modesAt = process.argv.indexOf('--modes');
const names =
  modesAt > 0
    ? process.argv[modesAt + 1].split(',')
    : ['bare', 'receiver', ...(baseline ? ['baseline'] : []), ...(withAdapter ? ['adapter'] : [])];
if (baseline && !names.includes('baseline')) names.push('baseline');
const started = [];
for (const mode of names) started.push({ mode, ...(await startChild(mode)) });
const loadArgs = [
  join(here, 'load-child.mjs'),
  JSON.stringify({
    lib: join(outDir, 'lib.mjs'),
    servers: started.map(({ mode, port, pid }) => ({ name: mode, port, pid })),
    rounds,
    roundMs,
    warmupMs: 2000,
    connections,
    pipelining,
    notifications,
    escaped: !unescaped,
  }),
];
const loader = pin
  ? spawn('taskset', ['-c', '1', process.execPath, ...loadArgs], { stdio: ['ignore', 'pipe', 'inherit'] })
  : spawn(process.execPath, loadArgs, { stdio: ['ignore', 'pipe', 'inherit'] });
const windows = [];
let out = '';
loader.stdout.setEncoding('utf8');
loader.stdout.on('data', (c) => {
  out += c;
  let nl;
  while ((nl = out.indexOf('\n')) >= 0) {
    const line = out.slice(0, nl);
    out = out.slice(nl + 1);
    if (line.trim()) windows.push(JSON.parse(line));
  }
});
const loadExit = await new Promise((resolve) => loader.once('exit', resolve));
for (const { child } of started) await stop(child);
if (loadExit !== 0) throw new Error(`load generator exited with ${loadExit}`);

const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  const i = (s.length - 1) * q;
  return s[Math.floor(i)] + (s[Math.ceil(i)] - s[Math.floor(i)]) * (i - Math.floor(i));
};
const fmt = (n, w = 8) => n.toFixed(0).padStart(w);
const byServer = (name) => windows.filter((w) => w.server === name);
console.log(
  'server                         req/s median (min–max)     p50 ms  p99 ms  non-2xx  server CPU/req  load-gen CPU/req',
);
const label = {
  bare: 'bare node:http (no verify)',
  adapter: 'handler, decision stubbed',
  receiver: 'createNotificationHandler',
  baseline: `receiver at ${baseline}`,
  read: 'bare + body reader',
  answer: '+ receiver headers',
  open: '+ open (verify)',
  nostore: 'handler, no-op store',
};
for (const name of names) {
  const ws = byServer(name);
  const rps = ws.map((w) => w.rps);
  const cpuPerReq = ws.reduce((a, w) => a + w.loadCpuMs, 0) / ws.reduce((a, w) => a + w.done, 0);
  const serverCpuPerReq = ws.reduce((a, w) => a + w.serverCpuMs, 0) / ws.reduce((a, w) => a + w.done, 0);
  console.log(
    `${(label[name] ?? name).padEnd(28)} ${fmt(quantile(rps, 0.5))} (${fmt(Math.min(...rps), 0)}–${fmt(Math.max(...rps), 0)})  ${quantile(
      ws.map((w) => w.p50),
      0.5,
    )
      .toFixed(1)
      .padStart(7)} ${quantile(
      ws.map((w) => w.p99),
      0.5,
    )
      .toFixed(1)
      .padStart(
        7,
      )} ${fmt(ws.reduce((a, w) => a + w.non2xx, 0))}  ${(serverCpuPerReq * 1000).toFixed(1).padStart(9)} µs  ${(cpuPerReq * 1000).toFixed(1).padStart(9)} µs`,
  );
}
const ratioOf = (name) => byServer(name).map((w) => w.rps / byServer('bare').find((b) => b.round === w.round).rps);
const report = (name, what) => {
  const ratios = ratioOf(name);
  console.log(`\n${what} / bare, per round: ${ratios.map((x) => (x * 100).toFixed(1)).join(' ')}`);
  console.log(
    `${what} / bare: median ${(quantile(ratios, 0.5) * 100).toFixed(1)}%, quartiles ${(quantile(ratios, 0.25) * 100).toFixed(1)}–${(quantile(ratios, 0.75) * 100).toFixed(1)}%, min–max ${(Math.min(...ratios) * 100).toFixed(1)}–${(Math.max(...ratios) * 100).toFixed(1)}% (${ratios.length} rounds); total ${((100 * byServer(name).reduce((a, w) => a + w.done, 0)) / byServer('bare').reduce((a, w) => a + w.done, 0)).toFixed(1)}%`,
  );
};
/** Server CPU time per answered request, all rounds together (/proc ticks of 10 ms add up over the run). */
const cpuPerRequest = (name) =>
  byServer(name).reduce((a, w) => a + w.serverCpuMs, 0) / byServer(name).reduce((a, w) => a + w.done, 0);
for (const name of names) {
  if (name === 'bare' || !names.includes('bare')) continue;
  report(name, label[name] ?? name);
  console.log(
    `${label[name] ?? name} / bare by server CPU time per request (what the throughput ratio is when the server alone is CPU-bound): ${((100 * cpuPerRequest('bare')) / cpuPerRequest(name)).toFixed(1)}%, ${((cpuPerRequest(name) - cpuPerRequest('bare')) * 1000).toFixed(1)} µs more`,
  );
}
if (baseline && names.includes('receiver'))
  console.log(
    `this receiver / the one at ${baseline} by CPU time per request: ${((100 * cpuPerRequest('baseline')) / cpuPerRequest('receiver')).toFixed(1)}%`,
  );
console.log(
  `load avg at the end ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
if (windows.some((w) => w.server === 'receiver' && w.non2xx > 0))
  console.log('WARNING: the receiver answered non-2xx: not every notification verified');
if (windows.some((w) => w.errors > 0 || w.closed > 0))
  console.log('WARNING: a connection failed or closed during the run');

/** Self time per function in a server's CPU profile (warm-up included), busiest first, as % of its busy (not idle) samples. */
function printProfile(mode) {
  const dir = join(profileDir, mode);
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) return;
  const p = JSON.parse(readFileSync(join(dir, file), 'utf8'));
  const hits = new Map();
  for (const id of p.samples) hits.set(id, (hits.get(id) ?? 0) + 1);
  const self = new Map();
  for (const n of p.nodes) {
    const name = `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber + 1}`;
    self.set(name, (self.get(name) ?? 0) + (hits.get(n.id) ?? 0));
  }
  const idle = self.get('(idle) :0') ?? 0;
  self.delete('(idle) :0');
  const busy = p.samples.length - idle;
  // µs per answered request: the profile's busy time spread over its requests (profiling adds its own cost).
  const handled = handledBy.get(mode);
  const usPerSample = (p.endTime - p.startTime) / p.samples.length;
  const perRequest = (n) => (handled ? `${((n * usPerSample) / handled).toFixed(2).padStart(6)} µs` : '');
  console.log(
    `\n${mode}: busiest functions (self time, % of ${busy} busy samples${handled ? `; µs per request over ${handled} requests, ${perRequest(busy).trim()} in all` : ''})`,
  );
  for (const [name, n] of [...self].sort((a, b) => b[1] - a[1]).slice(0, profileTop))
    console.log(`${((100 * n) / busy).toFixed(1).padStart(6)}% ${perRequest(n)}  ${name}`);
}
if (profile) for (const mode of names) printProfile(mode);

if (!skipClient) {
  const { child, port } = await startChild('sandbox');
  const c = await lib.clientLoad(`http://127.0.0.1:${port}`, { durationMs: duration * 1000, concurrency: connections });
  await stop(child);
  console.log(
    `\nclient scan.query against the sandbox (${connections} concurrent, ${duration} s): ${c.callsPerSecond.toFixed(0)} calls/s, p50 ${c.p50.toFixed(1)} ms, p99 ${c.p99.toFixed(1)} ms, ${c.errors} errors`,
  );
}
process.exit(0);
