// What the benches share (not a test; figures for BENCHMARKS.md): the document's merchant, its
// quick-pay sample order, the quick-pay payment push that the route benches open, and the A/B
// harness of packages/codec/bench/open-ab.mjs and packages/fetch-edge/bench/sign-ab.mjs: two builds
// loaded in one process, short CPU-time trials of A and B alternating (the order flips every trial),
// the best ops/s of each, the ratio of the bests and the median of the per-trial B/A ratios.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The document's test merchant and MD5 key (PROTOCOL §8). */
export const MERCHANT = Object.freeze({
  merchantNo: '001440353999853',
  terminalNo: '84970001',
  key: 'ea21842eea24e448b991b1cb0a0294cf',
});

/**
 * `buildEnvelope`'s input for a quick-pay payment push (35104, 快捷 §5.5), written the platform's
 * way (`\uXXXX`, PROTOCOL §3): what routes.bench.mjs and the open A/B benches open.
 */
export const QUICK_PAY_PUSH = {
  family: 'quickPay',
  commandId: 35104,
  seqId: 1,
  ...MERCHANT,
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
};

/** The document's quick-pay sample order (771, 快捷 §3.1 request example): the signing benches' Body (a plain object, as users pass one). */
export const QUICK_PAY_ORDER_BODY = {
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

/** A text as a receiver or a transport holds it: decoded from its UTF-8 bytes (one byte a character when ASCII). */
export const asReceived = (text) => new TextDecoder().decode(new TextEncoder().encode(text));

/** CPU time of this process (user + system), in µs. */
export function cpuMicros() {
  const u = process.cpuUsage();
  return u.user + u.system;
}

/**
 * The two builds named on the command line (`<A entry .js> <B entry .js> [ms per trial] [trials]`,
 * other arguments starting with `--` left to the caller), imported.
 */
export async function loadBuilds(script, defaults = { ms: 80, trials: 30 }) {
  const [fileA, fileB, ms = String(defaults.ms), count = String(defaults.trials)] = process.argv
    .slice(2)
    .filter((a) => !a.startsWith('--'));
  if (!fileA || !fileB) {
    console.error(`usage: ${script} <A entry .js> <B entry .js> [ms per trial] [trials]`);
    process.exit(1);
  }
  return {
    A: await import(pathToFileURL(resolve(fileA)).href),
    B: await import(pathToFileURL(resolve(fileB)).href),
    ms: Number(ms),
    trials: Number(count),
  };
}

/** Calls per second of CPU time over one trial of `ms`, in batches of `batch` calls. */
function callsPerSecond(fn, ms, batch) {
  let n = 0;
  const start = cpuMicros();
  let now = start;
  while (now - start < ms * 1000) {
    for (let i = 0; i < batch; i++) fn();
    n += batch;
    now = cpuMicros();
  }
  return n / ((now - start) / 1e6);
}

/**
 * Times each named pair `[A's call, B's call]` in `trials` alternating trials of `ms` each (after
 * 20,000 warm-up calls of each) and prints one line per pair.
 */
export function runAB(pairs, { ms, trials, batch = 200 }) {
  for (const [a, b] of Object.values(pairs)) {
    for (let i = 0; i < 20000; i++) {
      a();
      b();
    }
  }
  const results = {};
  for (let t = 0; t < trials; t++) {
    for (const [name, [a, b]] of Object.entries(pairs)) {
      const r = (results[name] ??= { a: [], b: [] });
      if (t % 2 === 0) {
        r.a.push(callsPerSecond(a, ms, batch));
        r.b.push(callsPerSecond(b, ms, batch));
      } else {
        r.b.push(callsPerSecond(b, ms, batch));
        r.a.push(callsPerSecond(a, ms, batch));
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
}
