#!/usr/bin/env node
// `client.notifications.open(push)` of two builds of @mmsp/client side by side in one process, with
// `openEnvelope` alone (the codec both builds use, same options) as the floor: short CPU-time trials
// of each in turn (the order flips every trial), on routes.bench.mjs's quick-pay push: by default
// the string `buildEnvelope` returns (what routes.bench.mjs opens: a two-byte string, since the Body
// held Chinese before it was escaped), with `--decoded` the same text as a receiver has it, decoded
// from the request's bytes (a one-byte string: the platform's text is ASCII). One form per process:
// V8 specialises string reads to the representation it sees. Prints per build the best and the
// first-quartile ns per call, the client's layer on top of `openEnvelope` (the push checks, the
// event, the wrapper), and the median of the per-trial B/A speed ratios. Not a test: it prints
// figures for BENCHMARKS.md. On a shared machine only the side-by-side figures mean something; run
// it more than once.
//
//   node packages/client/bench/open-ab.mjs <A entry .js> <B entry .js> [ms per trial = 120] [trials = 50] [--decoded]
//   e.g. B = packages/client/dist/index.js; A = an older build of the client, copied to a folder from
//   which `@mmsp/codec` resolves (outside the repository, e.g. /tmp/old/client/dist with
//   /tmp/old/node_modules/@mmsp/codec a link to packages/codec), so that both use the same codec.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Signer, buildEnvelope, openEnvelope } from '@mmsp/codec';
import { MERCHANT, QUICK_PAY_PUSH, asReceived, cpuMicros } from '../../../scripts/bench-ab.mjs';

const DECODED = process.argv.includes('--decoded');
const [fileA, fileB, ms = '120', count = '50'] = process.argv.slice(2).filter((a) => a !== '--decoded');
if (!fileA || !fileB) {
  console.error('usage: open-ab.mjs <A entry .js> <B entry .js> [ms per trial] [trials]');
  process.exit(1);
}
const TIME = Number(ms);
const TRIALS = Number(count);
const { key: KEY, merchantNo: MERNO, terminalNo: TERMNO } = MERCHANT;
// A quick-pay payment push (35104), the platform's way (routes.bench.mjs's).
const push = buildEnvelope(QUICK_PAY_PUSH).text;
const text = DECODED ? asReceived(push) : push;

const clientOf = async (file) => {
  const { createClient } = await import(pathToFileURL(resolve(file)).href);
  const client = createClient({
    merchantNo: MERNO,
    terminalNo: TERMNO,
    key: KEY,
    endpoints: { quickPay: 'http://platform.invalid/quickpay' },
    transport: async () => {
      throw new Error('no request is sent');
    },
    logger: {},
  });
  const opened = client.notifications.open(text);
  if (opened.type !== 'paid' || opened.paidAt?.toISOString() !== '2017-09-26T07:04:35.000Z')
    throw new Error(`${file}: the push is not read as the payment it is`);
  return client;
};
const a = await clientOf(fileA);
const b = await clientOf(fileB);
const options = { key: KEY, signer: new Signer(), requireSignature: true }; // what a client passes
const routes = [
  ['openEnvelope', () => openEnvelope(text, options)],
  ['A open', () => a.notifications.open(text)],
  ['B open', () => b.notifications.open(text)],
];

/** ns of CPU per call over one trial of TIME ms. */
function trial(fn) {
  for (let i = 0; i < 500; i++) fn();
  let n = 0;
  const start = cpuMicros();
  let now = start;
  while (now - start < TIME * 1000) {
    for (let i = 0; i < 200; i++) fn();
    n += 200;
    now = cpuMicros();
  }
  return ((now - start) * 1000) / n;
}
for (const [, fn] of routes) trial(fn);
const ns = routes.map(() => []);
for (let t = 0; t < TRIALS; t++) {
  const order = routes.map((_, i) => i);
  if (t % 2) order.reverse();
  for (const i of order) ns[i].push(trial(routes[i][1]));
}
const sorted = (xs) => [...xs].sort((x, y) => x - y);
const best = (xs) => sorted(xs)[0];
const q1 = (xs) => sorted(xs)[Math.floor(xs.length / 4)];
const median = (xs) => sorted(xs)[Math.floor(xs.length / 2)];
console.log(
  `node ${process.version}; the push ${DECODED ? 'decoded from bytes' : 'as buildEnvelope returns it'}; ${TRIALS} trials of ${TIME} ms CPU each; ns per call (best / first quartile)`,
);
for (let i = 0; i < routes.length; i++) {
  const layer =
    i === 0 ? '' : `; layer ${Math.round(best(ns[i]) - best(ns[0]))} / ${Math.round(q1(ns[i]) - q1(ns[0]))}`;
  console.log(`${routes[i][0].padEnd(12)} ${Math.round(best(ns[i]))} / ${Math.round(q1(ns[i]))}${layer}`);
}
const ratios = ns[1].map((x, i) => x / ns[2][i]);
const range = `${best(ratios).toFixed(3)}–${sorted(ratios).at(-1).toFixed(3)}`;
console.log(`B/A speed: median ${median(ratios).toFixed(3)} (${range})`);
