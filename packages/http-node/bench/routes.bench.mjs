#!/usr/bin/env node
// The routes users take, side by side with PHP 8 doing the same work, in ONE run (not a test).
//   1. a whole `scan.query` call through the client createNodeClient builds (OpenSSL provider),
//      with an in-memory transport: validation, autofill, sign, envelope, open + verify the answer;
//      PHP: ksort + json_encode + md5 + envelope json_encode, then json_decode + ksort + json_encode
//      + md5 compare of the answer.
//   2. `client.notifications.open(push)`; PHP: json_decode + ksort + json_encode + md5 compare.
//   3. `openEnvelope(push)` (the codec alone), same PHP loop.
// Build first, then run:
//   pnpm turbo run build --filter @mmsp/http-node... --output-logs=errors-only && node packages/http-node/bench/routes.bench.mjs
// Options: --time=<CPU ms per measurement, default 1000>, --rounds=<default 7>, --json, --as-built.
// Each round measures PHP (a fresh php process, its start-up not counted) and then the SDK, one
// measurement each, so that both see the same machine; the figures are the median of the rounds'
// ratios with their range, and the best ops/s of each side.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@mmsp/client';
import { buildEnvelope, openEnvelope } from '@mmsp/codec';
import { MERCHANT, QUICK_PAY_PUSH, asReceived, cpuMicros } from '../../../scripts/bench-ab.mjs';
import { opensslCrypto } from '../dist/index.js';

const args = Object.fromEntries(
  process.argv.slice(2).map((a) => {
    const [name, value = ''] = a.replace(/^--/, '').split('=');
    return [name, value];
  }),
);
const TIME = Number(args.time || 1000);
const ROUNDS = Number(args.rounds || 7);
const { key: KEY, merchantNo: MERNO, terminalNo: TERMNO } = MERCHANT; // PROTOCOL §8

/**
 * A text as a transport or a receiver holds it: decoded from the bytes that came over the wire
 * (`TextDecoder`, as node:http and fetch do). `buildEnvelope`'s own string is built from pieces of the
 * Body's non-ASCII strings, which V8 keeps two bytes a character even when the result is all ASCII;
 * what arrives from a socket is one byte a character, and encoding it back to UTF-8 is several times
 * cheaper. Both routes are timed on what users' code actually receives (`--as-built`: on
 * `buildEnvelope`'s strings instead, as before).
 */
const received = (text) => ('as-built' in args ? text : asReceived(text));

// The platform's answer to scan.query (35078), written the platform's way (PHP default escaping).
const answerBody = {
  ORDERNO: '2017092615102315',
  AMT: '1234',
  TRADETIME: '2017-09-26 15:10:23',
  PAYTIME: '2017-09-26 15:10:35',
  STATUS: '1',
  MERORDERID: '20170926151023152438',
  TRADETYPE: '1',
  ERR_CODE_MSG: '成功',
  ERR_CODE: '00',
};
const answer = received(
  buildEnvelope({
    family: 'scan',
    commandId: 35078,
    seqId: 1,
    merchantNo: MERNO,
    terminalNo: TERMNO,
    key: KEY,
    body: answerBody,
    retCode: 1,
    errorMsg: '',
    platformEscaping: true,
  }).text,
);
// A quick-pay payment push (35104), the platform's way.
const push = received(buildEnvelope(QUICK_PAY_PUSH).text);

const response = { status: 200, headers: { 'content-type': 'application/json' }, body: answer };
const client = createClient({
  merchantNo: MERNO,
  terminalNo: TERMNO,
  key: KEY,
  endpoints: { scan: 'http://platform.invalid/scan' },
  transport: async () => response,
  crypto: opensslCrypto, // what createNodeClient gives its client
  logger: {},
});
const queryBody = { MERORDERID: '20170926151023152438' };
// Sanity: both routes succeed before anything is timed.
const r = await client.scan.query(queryBody);
if (r.codes.retCode !== '1' || r.body.ORDERNO !== answerBody.ORDERNO) throw new Error('scan.query did not succeed');
const o = client.notifications.open(push);
if (o.type !== 'paid') throw new Error(`push not accepted: ${o.message}`);

/** One measurement: ops per second of CPU time over TIME ms, after 2,000 warm-up calls. */
async function measure(fn, isAsync) {
  for (let i = 0; i < 2000; i++) isAsync ? await fn() : fn();
  let n = 0;
  const start = cpuMicros();
  let now = start;
  while (now - start < TIME * 1000) {
    if (isAsync) for (let i = 0; i < 500; i++) await fn();
    else for (let i = 0; i < 500; i++) fn();
    n += 500;
    now = cpuMicros();
  }
  return n / ((now - start) / 1e6);
}

/** PHP 8 doing the same work, timed inside PHP (start-up not counted), one measurement each. */
function measurePhp() {
  const dir = mkdtempSync(join(tmpdir(), 'mmsp-routes-'));
  try {
    writeFileSync(join(dir, 'answer.json'), answer);
    writeFileSync(join(dir, 'push.json'), push);
    writeFileSync(join(dir, 'query.json'), JSON.stringify(queryBody));
    const script = `
      $key = ${JSON.stringify(KEY)};
      $answer = file_get_contents(${JSON.stringify(join(dir, 'answer.json'))});
      $push = file_get_contents(${JSON.stringify(join(dir, 'push.json'))});
      $query = json_decode(file_get_contents(${JSON.stringify(join(dir, 'query.json'))}), true);
      function open_env($text, $key) {
        $m = json_decode($text, true);
        if (!is_array($m) || $m['RetCode'] != 1) throw new Exception('not ok');
        $b = $m['Body']; ksort($b);
        if (strtoupper(md5(json_encode($b, JSON_UNESCAPED_UNICODE) . '&key=' . $key)) !== strtoupper($m['Sign'])) throw new Exception('bad sign');
        return $m;
      }
      function call($query, $key, $answer, $seq) {
        $b = $query; $b['RANDSTR'] = bin2hex(random_bytes(7)) . 'a'; ksort($b);
        $sign = strtoupper(md5(json_encode($b, JSON_UNESCAPED_UNICODE) . '&key=' . $key));
        $text = json_encode(['CommandID' => 2310, 'SeqID' => $seq, 'NodeType' => 3, 'NodeID' => 'openplat', 'Version' => '1.0.0',
          'AGENTNO' => '', 'MERNO' => ${JSON.stringify(MERNO)}, 'TERMNO' => ${JSON.stringify(TERMNO)}, 'Body' => $b, 'Sign' => $sign], JSON_UNESCAPED_UNICODE);
        return open_env($answer, $key);
      }
      function best($f, $rounds, $ms) {
        $best = 0;
        for ($r = 0; $r < $rounds; $r++) {
          for ($i = 0; $i < 2000; $i++) $f($i);
          $n = 0; $t0 = getrusage(); $s = $t0['ru_utime.tv_sec'] * 1e6 + $t0['ru_utime.tv_usec'] + $t0['ru_stime.tv_sec'] * 1e6 + $t0['ru_stime.tv_usec']; $now = $s;
          while ($now - $s < $ms * 1000) { for ($i = 0; $i < 1000; $i++) $f($i); $n += 1000; $t = getrusage(); $now = $t['ru_utime.tv_sec'] * 1e6 + $t['ru_utime.tv_usec'] + $t['ru_stime.tv_sec'] * 1e6 + $t['ru_stime.tv_usec']; }
          $best = max($best, $n / (($now - $s) / 1e6));
        }
        return $best;
      }
      echo json_encode([
        'call' => best(function ($i) use ($query, $key, $answer) { call($query, $key, $answer, $i + 1); }, 1, ${TIME}),
        'open' => best(function ($i) use ($push, $key) { open_env($push, $key); }, 1, ${TIME}),
        'version' => PHP_VERSION,
      ]);`;
    const run = spawnSync('php', ['-r', script], { encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`php failed: ${run.stderr}`);
    return JSON.parse(run.stdout);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const routes = [
  [
    'whole scan.query call (createNodeClient client, in-memory transport)',
    'call',
    () => client.scan.query(queryBody),
    true,
  ],
  ['client.notifications.open(push)', 'open', () => client.notifications.open(push), false],
  ['openEnvelope(push) (codec alone)', 'open', () => openEnvelope(push, { key: KEY }), false],
];
// A first pass of every SDK route, so that the first round does not time V8's tiering up.
for (const [, , fn, isAsync] of routes) await measure(fn, isAsync);
const samples = routes.map(() => ({ sdk: [], php: [], ratio: [] }));
let phpVersion = '';
for (let r = 0; r < ROUNDS; r++) {
  const php = measurePhp();
  phpVersion = php.version;
  for (let i = 0; i < routes.length; i++) {
    const [, phpKey, fn, isAsync] = routes[i];
    const sdk = await measure(fn, isAsync);
    samples[i].sdk.push(sdk);
    samples[i].php.push(php[phpKey]);
    samples[i].ratio.push(sdk / php[phpKey]);
  }
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const rows = routes.map(([route], i) => ({
  route,
  sdk: Math.max(...samples[i].sdk),
  php: Math.max(...samples[i].php),
  ratio: median(samples[i].ratio),
  min: Math.min(...samples[i].ratio),
  max: Math.max(...samples[i].ratio),
}));
if (args.json !== undefined) {
  console.log(JSON.stringify({ node: process.version, php: phpVersion, rounds: ROUNDS, rows }));
} else {
  console.log(
    `node ${process.version}, PHP ${phpVersion}, ${cpus()[0]?.model ?? '?'} ×${cpus().length}; CPU-time ops/s; ${ROUNDS} interleaved rounds (PHP then SDK), ratio = median of the rounds' ratios (range)`,
  );
  console.log('| route | SDK best | PHP 8 best | ratio, median (range) |\n|---|---:|---:|---:|');
  for (const { route, sdk, php, ratio, min, max } of rows)
    console.log(
      `| ${route} | ${Math.round(sdk).toLocaleString('en')}/s | ${Math.round(php).toLocaleString('en')}/s | **${ratio.toFixed(2)}x** (${min.toFixed(2)}–${max.toFixed(2)}) |`,
    );
}
