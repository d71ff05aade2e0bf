#!/usr/bin/env node
// md5Sign / md5Verify of two builds of @mmsp/codec side by side in one process: short CPU-time trials
// of A and B alternating (the order flips every trial), on the document's quick-pay sample order
// (scripts/bench-ab.mjs, as packages/codec/bench/sign.bench.mjs). Prints the best ops/s of each, the ratio of the bests and the median of
// the per-trial B/A ratios (scripts/bench-ab.mjs). Not a test: it prints figures for BENCHMARKS.md (issue #14: the Worker
// size may not cost signing speed). Run it in both orders; on a shared machine one run says little.
//
//   node packages/fetch-edge/bench/sign-ab.mjs <A entry .js> <B entry .js> [ms per trial = 80] [trials = 30]
//   e.g. A = an older build (`tsc -p packages/codec/tsconfig.build.json --outDir packages/codec/.olddist`
//   on the older sources), B = packages/codec/dist/index.js
import { MERCHANT, QUICK_PAY_ORDER_BODY, loadBuilds, runAB } from '../../../scripts/bench-ab.mjs';

const { A, B, ms, trials } = await loadBuilds('sign-ab.mjs');
const KEY = MERCHANT.key;
const body = QUICK_PAY_ORDER_BODY;
const text = JSON.stringify(body);
const sign = A.md5Sign(body, KEY);
if (B.md5Sign(body, KEY) !== sign || !A.md5Verify(text, sign, KEY) || !B.md5Verify(text, sign, KEY)) {
  console.error('A and B do not sign the sample alike');
  process.exit(1);
}

runAB(
  {
    'md5Sign (object)': [() => A.md5Sign(body, KEY), () => B.md5Sign(body, KEY)],
    'md5Verify (text)': [() => A.md5Verify(text, sign, KEY), () => B.md5Verify(text, sign, KEY)],
  },
  { ms, trials, batch: 500 },
);
