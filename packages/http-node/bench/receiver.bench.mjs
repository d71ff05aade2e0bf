#!/usr/bin/env node
// Receiver load benchmark (issue #5). Not a test: prints figures side by side in one run.
//   node packages/http-node/bench/receiver.bench.mjs [--duration 10] [--connections 20] [--skip-client] [--profile]
// --profile: each server runs under --cpu-prof; the receiver's busiest functions are printed.
// --unescaped: notifications with raw UTF-8 Chinese instead of the platform's \uXXXX escapes.
// --rounds N: N receiver runs, each between two bare runs (B A R B R B …); prints each round's ratio
//   and their median (a shared machine drifts: more rounds, steadier figure).
// 1. Verified notifications/s and p99 through createNotificationHandler versus a bare node:http
//    handler answering SUCCESS without verifying; each server in its own process, the load
//    (autocannon) from this process; same bodies (distinct signed notifications, cycled).
// 2. Client calls/s (scan.query) from createNodeClient against @mmsp/sandbox in another process.
// The TypeScript sources are bundled with esbuild first (no build step needed).
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import autocannon from 'autocannon';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const duration = arg('duration', 10);
const rounds = arg('rounds', 1);
const connections = arg('connections', 20);
const skipClient = process.argv.includes('--skip-client');
const profile = process.argv.includes('--profile');

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
  banner: { js: "import { createRequire as __mmspCreateRequire } from 'node:module'; const require = __mmspCreateRequire(import.meta.url);" },
  logLevel: 'error',
});
const lib = await import(pathToFileURL(join(outDir, 'lib.mjs')).href);

const profileDir = join(outDir, 'profiles');
function startChild(mode) {
  const flags = profile ? ['--cpu-prof', '--cpu-prof-dir', join(profileDir, mode)] : [];
  const child = spawn(process.execPath, [...flags, join(outDir, 'server-child.mjs'), mode], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (c) => {
      out += c;
      if (out.includes('\n')) resolve({ child, port: JSON.parse(out.split('\n')[0]).port });
    });
    child.once('exit', (code) => reject(new Error(`${mode} exited with ${code}`)));
  });
}

if (profile) rmSync(profileDir, { recursive: true, force: true });
const stop = (child) => new Promise((resolve) => { child.once('exit', resolve); child.kill('SIGTERM'); });

const unescaped = process.argv.includes('--unescaped');
const bodies = lib.makeNotifications(arg('notifications', 100_000), !unescaped);
let next = 0; // shared by warm-up and measured run, restarted per server: the measured run sees fresh notifications
async function load(port, seconds = duration) {
  const result = await autocannon({
    url: `http://127.0.0.1:${port}/mmsp/notify`,
    connections,
    duration: seconds,
    requests: [{ method: 'POST', headers: { 'content-type': 'application/json' }, setupRequest: (req) => ({ ...req, body: bodies[next++ % bodies.length] }) }],
  });
  return { rps: result.requests.average, p99: result.latency.p99, p50: result.latency.p50, non2xx: result.non2xx, errors: result.errors, total: result.requests.total };
}

console.log(`machine: ${os.cpus()[0]?.model ?? 'cpu'} × ${os.cpus().length}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, load avg ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}; node ${process.version}`);
console.log(`load: autocannon from this process, ${connections} connections, 2 s warm-up + ${duration} s per server, ${bodies.length} distinct signed quick-pay notifications, ${unescaped ? 'raw UTF-8' : 'written the platform\'s way (\\uXXXX)'} (each server sees the same sequence)\n`);

const rows = [];
// Each receiver run sits between two bare runs and its ratio uses their mean, so neither order nor
// drifting machine load favours one side.
const modes = ['bare', 'adapter', 'receiver', 'bare'];
for (let r = 1; r < rounds; r++) modes.push('receiver', 'bare');
for (const mode of modes) {
  const { child, port } = await startChild(mode);
  next = 0;
  await load(port, 2); // warm-up (JIT, connections), not measured
  rows.push({ mode, ...(await load(port)) });
  await stop(child);
}
const [bare1, adapter, receiver, bare2] = rows;
const bare = { rps: (bare1.rps + bare2.rps) / 2 };
const ratios = rows.flatMap((row, i) => (row.mode === 'receiver' ? [row.rps / ((rows[i - (rows[i - 1].mode === 'bare' ? 1 : 2)].rps + rows[i + 1].rps) / 2)] : []));
const fmt = (n) => n.toFixed(0).padStart(8);
console.log('server                         req/s      p50 ms   p99 ms   non-2xx  errors');
const label = { bare: 'bare node:http (no verify)', adapter: 'handler, decision stubbed', receiver: 'createNotificationHandler' };
for (const r of rows) console.log(`${label[r.mode].padEnd(28)} ${fmt(r.rps)} ${fmt(r.p50)} ${fmt(r.p99)} ${fmt(r.non2xx)} ${fmt(r.errors)}`);
console.log(`\nreceiver / bare throughput: ${((receiver.rps / bare.rps) * 100).toFixed(1)}% (target ≥ 80%; bare = mean of its two runs, ${bare.rps.toFixed(0)} req/s)`);
console.log(`adapter alone (decision stubbed) / bare: ${((adapter.rps / bare.rps) * 100).toFixed(1)}%: the rest is verification and the store`);
if (rounds > 1) {
  const sorted = [...ratios].sort((a, b) => a - b);
  const median = sorted.length % 2 ? sorted[(sorted.length - 1) / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
  console.log(`receiver / bare, each round: ${ratios.map((x) => `${(x * 100).toFixed(1)}%`).join(', ')}; median ${(median * 100).toFixed(1)}%`);
}
if (rows.some((r) => r.mode === 'receiver' && r.non2xx > 0)) console.log('WARNING: the receiver answered non-2xx: not every notification verified');

/** Self time per function in the receiver's CPU profile (warm-up included), busiest first. */
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
  console.log(`\n${mode}: busiest functions (self time, % of samples)`);
  for (const [name, n] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`${((100 * n) / p.samples.length).toFixed(1).padStart(6)}%  ${name}`);
}
if (profile) printProfile('receiver');

if (!skipClient) {
  const { child, port } = await startChild('sandbox');
  const c = await lib.clientLoad(`http://127.0.0.1:${port}`, { durationMs: duration * 1000, concurrency: connections });
  await stop(child);
  console.log(`\nclient scan.query against the sandbox (${connections} concurrent, ${duration} s): ${c.callsPerSecond.toFixed(0)} calls/s, p50 ${c.p50.toFixed(1)} ms, p99 ${c.p99.toFixed(1)} ms, ${c.errors} errors`);
}
process.exit(0);
