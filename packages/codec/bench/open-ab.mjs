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
// ratios (scripts/bench-ab.mjs). Not a test: figures for BENCHMARKS.md. On a shared machine run it
// in both orders.
//
//   node packages/codec/bench/open-ab.mjs <A entry .js> <B entry .js> [ms per trial = 80] [trials = 30]
//   e.g. A = an older build (`npx tsc -p tsconfig.build.json --outDir /tmp/<name>` in packages/codec
//   on the older sources, with a `node_modules` link to packages/codec/node_modules beside it),
//   B = packages/codec/dist/index.js
import { QUICK_PAY_PUSH, asReceived, loadBuilds, runAB } from '../../../scripts/bench-ab.mjs';

const { A, B, ms, trials } = await loadBuilds('open-ab.mjs');
const KEY = QUICK_PAY_PUSH.key;
const built = A.buildEnvelope(QUICK_PAY_PUSH).text;
const received = asReceived(built);
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

runAB(
  {
    'push as built': [
      () => A.openEnvelope(built, { key: KEY, signer: signerA }),
      () => B.openEnvelope(built, { key: KEY, signer: signerB }),
    ],
    'push as received': [
      () => A.openEnvelope(received, { key: KEY, signer: signerA }),
      () => B.openEnvelope(received, { key: KEY, signer: signerB }),
    ],
  },
  { ms, trials },
);
