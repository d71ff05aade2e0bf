#!/usr/bin/env node
// md5Sign / md5Verify of two builds of @mmsp/codec side by side in one process: short CPU-time trials
// of A and B alternating (the order flips every trial), on bench/sign.bench.mjs's body (the document's
// quick-pay sample order). Prints the best ops/s of each, the ratio of the bests and the median of
// the per-trial B/A ratios. Not a test: it prints figures for BENCHMARKS.md (issue #14: the Worker
// size may not cost signing speed). Run it in both orders; on a shared machine one run says little.
//
//   node packages/fetch-edge/bench/sign-ab.mjs <A entry .js> <B entry .js> [ms per trial = 80] [trials = 30]
//   e.g. A = an older build (`tsc -p packages/codec/tsconfig.build.json --outDir packages/codec/.olddist`
//   on the older sources), B = packages/codec/dist/index.js
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [fileA, fileB, ms = '80', count = '30'] = process.argv.slice(2);
if (!fileA || !fileB) {
  console.error('usage: sign-ab.mjs <A entry .js> <B entry .js> [ms per trial] [trials]');
  process.exit(1);
}
const A = await import(pathToFileURL(resolve(fileA)).href);
const B = await import(pathToFileURL(resolve(fileB)).href);
const TIME = Number(ms);
const TRIALS = Number(count);
const KEY = 'ea21842eea24e448b991b1cb0a0294cf'; // PROTOCOL §8
const body = {
  MERORDERID: '20170926151023152438',
  AMT: '1234',
  NAME: '张安',
  PHONENO: '18826570890',
  CARDNO: '6227000013830237349',
  CARDTYPE: '1',
  ID_NO: '23210219820916601X',
  EXPDATE: '01117',
  CVN2: '344',
  NOTIFY_URL: 'http://ib.fxclouds.com/Notify/MerPay_notify_url',
  RANDSTR: '123456',
};
const text = JSON.stringify(body);
const sign = A.md5Sign(body, KEY);
if (B.md5Sign(body, KEY) !== sign || !A.md5Verify(text, sign, KEY) || !B.md5Verify(text, sign, KEY)) {
  console.error('A and B do not sign the sample alike');
  process.exit(1);
}

const cpu = () => {
  const u = process.cpuUsage();
  return u.user + u.system;
};
/** Calls per second of CPU time over one trial. */
function trial(fn) {
  let n = 0;
  const start = cpu();
  let now = start;
  while (now - start < TIME * 1000) {
    for (let i = 0; i < 500; i++) fn();
    n += 500;
    now = cpu();
  }
  return n / ((now - start) / 1e6);
}

const pairs = {
  'md5Sign (object)': [() => A.md5Sign(body, KEY), () => B.md5Sign(body, KEY)],
  'md5Verify (text)': [() => A.md5Verify(text, sign, KEY), () => B.md5Verify(text, sign, KEY)],
};
for (const [a, b] of Object.values(pairs)) {
  for (let i = 0; i < 20000; i++) {
    a();
    b();
  }
}
const results = {};
for (let t = 0; t < TRIALS; t++) {
  for (const [name, [a, b]] of Object.entries(pairs)) {
    const r = (results[name] ??= { a: [], b: [] });
    if (t % 2 === 0) {
      r.a.push(trial(a));
      r.b.push(trial(b));
    } else {
      r.b.push(trial(b));
      r.a.push(trial(a));
    }
  }
}
const median = (x) => [...x].sort((p, q) => p - q)[x.length >> 1];
for (const [name, r] of Object.entries(results)) {
  const bestA = Math.max(...r.a);
  const bestB = Math.max(...r.b);
  const ratio = median(r.a.map((x, i) => r.b[i] / x));
  console.log(
    `${name.padEnd(17)} A ${Math.round(bestA)}/s  B ${Math.round(bestB)}/s  B/A best ${(bestB / bestA).toFixed(3)}  median trial ${ratio.toFixed(3)}`,
  );
}
