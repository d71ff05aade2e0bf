#!/usr/bin/env node
// md5Sign / md5Verify speed against PHP 8's own json_encode(ksort)+md5, side by side, one run,
// same body: the document's quick-pay sample order (the platform document, §3.1 request example).
// Not a test: numbers depend on the machine. Build first, then run:
//   pnpm --filter @mmsp/codec build && node packages/codec/bench/sign.bench.mjs
// Options: --time=<CPU ms per measurement, default 1000>, --rounds=<best of, default 3>, --json.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, cpus } from 'node:os';
import { join } from 'node:path';
import { md5 as nobleMd5 } from '@noble/hashes/legacy.js';
import { QUICK_PAY_ORDER_BODY } from '../../../scripts/bench-ab.mjs';
import { md5Sign, md5Verify } from '../dist/index.js';

const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=')));
const TIME = Number(args.time ?? 1000);
const ROUNDS = Number(args.rounds ?? 3);
const KEY = 'ea21842eea24e448b991b1cb0a0294cf'; // PROTOCOL §8

// The document's quick-pay sample order (771), as sent and as received (raw Body text).
const body = QUICK_PAY_ORDER_BODY;
const bodyText = JSON.stringify(body);
const sign = md5Sign(body, KEY);

const opensslMd5 = (data) => createHash('md5').update(data).digest();

/** The naive way: JSON.stringify of a key-sorted copy + node:crypto MD5 (wrong bytes: no `\/`). */
function naiveSign(o) {
  const sorted = {};
  for (const k of Object.keys(o).sort()) sorted[k] = o[k];
  return createHash('md5')
    .update(`${JSON.stringify(sorted)}&key=${KEY}`)
    .digest('hex')
    .toUpperCase();
}
function naiveVerify(text, s) {
  return naiveSign(JSON.parse(text)) === s.toUpperCase();
}

/** CPU microseconds used by this process so far (user + system): steadier than wall time on a shared machine. */
function cpuMicros() {
  const u = process.cpuUsage();
  return u.user + u.system;
}

function measure(fn) {
  let best = 0;
  for (let r = 0; r < ROUNDS; r++) {
    // Warm up, then count calls in batches until TIME ms of CPU have been used.
    for (let i = 0; i < 2000; i++) fn();
    let n = 0;
    const start = cpuMicros();
    let now = start;
    while (now - start < TIME * 1000) {
      for (let i = 0; i < 1000; i++) fn();
      n += 1000;
      now = cpuMicros();
    }
    best = Math.max(best, n / ((now - start) / 1e6));
  }
  return best;
}

/** PHP 8's own loop, timed inside PHP (the process start-up is not counted). */
function measurePhp() {
  const dir = mkdtempSync(join(tmpdir(), 'mmsp-bench-'));
  try {
    const file = join(dir, 'body.json');
    writeFileSync(file, bodyText);
    const script = `
      $text = file_get_contents(${JSON.stringify(file)});
      $key = ${JSON.stringify(KEY)};
      $sign = ${JSON.stringify(sign)};
      $body = json_decode($text, true);
      $time = ${TIME / 1000};
      $rounds = ${ROUNDS};
      // CPU seconds used by this process (user + system), like the Node side.
      function cpu() { $u = getrusage(); return $u['ru_utime.tv_sec'] + $u['ru_utime.tv_usec'] / 1e6 + $u['ru_stime.tv_sec'] + $u['ru_stime.tv_usec'] / 1e6; }
      function bench($f, $time, $rounds) {
        $best = 0;
        for ($r = 0; $r < $rounds; $r++) {
          for ($i = 0; $i < 2000; $i++) $f();
          $n = 0; $start = cpu();
          do { for ($i = 0; $i < 1000; $i++) $f(); $n += 1000; $now = cpu(); } while ($now - $start < $time);
          $best = max($best, $n / ($now - $start));
        }
        return $best;
      }
      // Sign an array we hold (the request side).
      $signOps = bench(function () use ($body, $key) {
        $b = $body; ksort($b);
        return strtoupper(md5(json_encode($b, JSON_UNESCAPED_UNICODE) . '&key=' . $key));
      }, $time, $rounds);
      // Verify a received Body text (the platform's own check).
      $verifyOps = bench(function () use ($text, $key, $sign) {
        $b = json_decode($text, true); ksort($b);
        return hash_equals(strtoupper(md5(json_encode($b, JSON_UNESCAPED_UNICODE) . '&key=' . $key)), strtoupper($sign));
      }, $time, $rounds);
      $b = $body; ksort($b);
      echo json_encode(['version' => PHP_VERSION, 'sign' => $signOps, 'verify' => $verifyOps,
        'md5' => strtoupper(md5(json_encode($b, JSON_UNESCAPED_UNICODE) . '&key=' . $key))]);
    `;
    const res = spawnSync('php', ['-r', script], { encoding: 'utf8' });
    if (res.error || res.status !== 0) return undefined;
    return JSON.parse(res.stdout);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// PHP is measured before and after the Node rows and keeps its best figures (fair to PHP when the
// machine's load changes during the run).
let php = measurePhp();
if (php && php.md5 !== sign) {
  console.error(`PHP signs the sample as ${php.md5}, the codec as ${sign}: the benchmark would compare different work`);
  process.exit(1);
}
if (!md5Verify(bodyText, sign, KEY) || !md5Verify(bodyText, sign, KEY, { md5: opensslMd5 })) {
  console.error('md5Verify rejected its own signature');
  process.exit(1);
}

const measured = {
  sign: measure(() => md5Sign(body, KEY)),
  signOpenssl: measure(() => md5Sign(body, KEY, { md5: opensslMd5 })),
  signNoble: measure(() => md5Sign(body, KEY, { md5: nobleMd5 })),
  signNaive: measure(() => naiveSign(body)),
  verify: measure(() => md5Verify(bodyText, sign, KEY)),
  verifyOpenssl: measure(() => md5Verify(bodyText, sign, KEY, { md5: opensslMd5 })),
  verifyNoble: measure(() => md5Verify(bodyText, sign, KEY, { md5: nobleMd5 })),
  verifyNaive: measure(() => naiveVerify(bodyText, sign)),
};
const php2 = measurePhp();
if (php && php2) php = { ...php, sign: Math.max(php.sign, php2.sign), verify: Math.max(php.verify, php2.verify) };

const rows = [
  ['sign (JS object)', 'codec md5Sign, default (codec md5)', measured.sign],
  ['sign (JS object)', 'codec md5Sign, OpenSSL md5 hook', measured.signOpenssl],
  ['sign (JS object)', 'codec md5Sign, @noble/hashes md5 hook', measured.signNoble],
  ['sign (JS object)', 'naive JSON.stringify + node:crypto md5 (wrong bytes)', measured.signNaive],
  ['sign (JS object)', 'PHP 8 json_encode(ksort) + md5', php?.sign],
  ['verify (Body text)', 'codec md5Verify, default (codec md5)', measured.verify],
  ['verify (Body text)', 'codec md5Verify, OpenSSL md5 hook', measured.verifyOpenssl],
  ['verify (Body text)', 'codec md5Verify, @noble/hashes md5 hook', measured.verifyNoble],
  ['verify (Body text)', 'naive JSON.parse + JSON.stringify + node:crypto md5', measured.verifyNaive],
  ['verify (Body text)', 'PHP 8 json_decode + ksort + json_encode + md5', php?.verify],
];

const fmt = (n) => (n === undefined ? 'n/a' : Math.round(n).toLocaleString('en-US'));
const phpFor = (group) => (group.startsWith('sign') ? php?.sign : php?.verify);
const table = rows.map(([group, name, ops]) => ({
  case: group,
  implementation: name,
  'ops/s': fmt(ops),
  'vs PHP': ops !== undefined && phpFor(group) ? `${(ops / phpFor(group)).toFixed(2)}x` : 'n/a',
}));

if (args.json !== undefined) {
  console.log(JSON.stringify({ rows, php: php?.version ?? null }, null, 2));
} else {
  console.log(
    `body: the document's quick-pay sample order (${Buffer.byteLength(bodyText)} bytes of JSON), sign ${sign}`,
  );
  console.log(
    `machine: ${cpus().length} CPUs, ${cpus()[0]?.model ?? 'unknown'}; node ${process.version}; php ${php?.version ?? 'not found'}`,
  );
  console.log(
    `method: CPU time (user+system) of the measuring process, best of ${ROUNDS} rounds of ${TIME} ms each after warm-up; PHP measured before and after, best kept\n`,
  );
  console.table(table);
}
