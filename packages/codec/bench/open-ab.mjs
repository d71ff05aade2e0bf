#!/usr/bin/env node
// `openEnvelope(push)` of two builds of @mmsp/codec side by side in one process: short CPU-time
// trials of A and B alternating (the order flips every trial), on the quick-pay payment push of
// packages/http-node/bench/routes.bench.mjs (35104, written the platform's way: `\uXXXX`, PROTOCOL
// §3), each build with a `Signer` of its own as a client has. Two texts with the same characters:
//   - "as built": `buildEnvelope`'s string, what routes.bench.mjs passes (V8 keeps it as a
//     concatenation of two-byte pieces, whose UTF-8 encoding is slower);
//   - "as received": the same text decoded from its bytes, the one-byte string a receiver gets
//     from `TextDecoder` (http-node read-body.ts, fetch-edge).
// Prints the best ops/s of each, the ratio of the bests and the median of the per-trial B/A
// ratios. Not a test: figures for BENCHMARKS.md. On a shared machine run it in both orders.
//
//   node packages/codec/bench/open-ab.mjs <A entry .js> <B entry .js> [ms per trial = 80] [trials = 30]
//   e.g. A = an older build (`npx tsc -p tsconfig.build.json --outDir /tmp/<name>` in packages/codec
//   on the older sources, with a `node_modules` link to packages/codec/node_modules beside it),
//   B = packages/codec/dist/index.js
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [fileA, fileB, ms = '80', count = '30'] = process.argv.slice(2);
if (!fileA || !fileB) {
  console.error('usage: open-ab.mjs <A entry .js> <B entry .js> [ms per trial] [trials]');
  process.exit(1);
}
const A = await import(pathToFileURL(resolve(fileA)).href);
const B = await import(pathToFileURL(resolve(fileB)).href);
const TIME = Number(ms);
const TRIALS = Number(count);
const KEY = 'ea21842eea24e448b991b1cb0a0294cf'; // PROTOCOL §8
const built = A.buildEnvelope({
  family: 'quickPay',
  commandId: 35104,
  seqId: 1,
  merchantNo: '001440353999853',
  terminalNo: '84970001',
  key: KEY,
  body: {
    AMT: '200',
    BANK_NAME: '农业银行',
    CARDNO: '62284**********7349',
    CARDTYPE: '1',
    LIST_ID: '1000000123',
    MERORDERID: '20170926151023152438',
    NOTIFY_DATE: '20170926150500',
    PAY_DATE: '20170926150435',
    STATUS: '1',
  },
  retCode: 1,
  errorMsg: '',
  platformEscaping: true,
}).text;
const received = new TextDecoder().decode(new TextEncoder().encode(built));
const signerA = new A.Signer();
const signerB = new B.Signer();
for (const text of [built, received]) {
  const a = A.openEnvelope(text, { key: KEY, signer: signerA });
  const b = B.openEnvelope(text, { key: KEY, signer: signerB });
  if (!a.signatureChecked || JSON.stringify(a) !== JSON.stringify(b)) {
    console.error('A and B do not open the push alike');
    process.exit(1);
  }
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
    for (let i = 0; i < 200; i++) fn();
    n += 200;
    now = cpu();
  }
  return n / ((now - start) / 1e6);
}

const pairs = {
  'push as built': [
    () => A.openEnvelope(built, { key: KEY, signer: signerA }),
    () => B.openEnvelope(built, { key: KEY, signer: signerB }),
  ],
  'push as received': [
    () => A.openEnvelope(received, { key: KEY, signer: signerA }),
    () => B.openEnvelope(received, { key: KEY, signer: signerB }),
  ],
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
