// Planting N orders and looking each one up by merchant order id, as `settleOrder` and the control
// endpoints do (issue #15): the platform's `findAnyOrder` (an index) against the scan it replaced
// (every order, newest first), on the built package. Not a test.
//   node packages/sandbox/bench/orders.mjs [N]
import { resolveOptions } from '../dist/options.js';
import { Platform } from '../dist/platform.js';

const N = Number(process.argv[2] ?? 50_000);
const platform = new Platform(resolveOptions({}));
let t = performance.now();
for (let i = 0; i < N; i++) {
  platform.addOrder({
    family: 'scan',
    operation: 'scan.wechatOrder',
    merchantNo: 'M1',
    merchantOrderId: `O${i}`,
    platformOrderId: `P${i}`,
    amount: '100',
    state: 'paid',
    createdAt: 0,
    refunded: '0',
    notify: false,
  });
}
const plant = performance.now() - t;

t = performance.now();
for (let i = 0; i < N; i++) if (!platform.findAnyOrder(`O${i}`)) throw new Error('missing');
const indexed = performance.now() - t;

const scan = (id) => {
  for (let i = platform.state.orders.length - 1; i >= 0; i--)
    if (platform.state.orders[i].merchantOrderId === id) return platform.state.orders[i];
  return undefined;
};
const sample = Math.min(N, 2_000);
t = performance.now();
for (let i = 0; i < sample; i++) if (!scan(`O${Math.floor((i * N) / sample)}`)) throw new Error('missing');
const scanned = ((performance.now() - t) / sample) * N;

console.log(
  JSON.stringify({
    node: process.version,
    orders: N,
    plantMs: Math.round(plant),
    lookupAllIndexedMs: Math.round(indexed),
    lookupAllScanMsExtrapolated: Math.round(scanned),
  }),
);
