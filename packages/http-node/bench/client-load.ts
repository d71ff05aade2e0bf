/** Client calls per second against the sandbox: createNodeClient (node:http keep-alive, OpenSSL MD5) → scan.query. */
import { createNodeClient } from '../src/index.js';
import { MERCHANT } from './notifications.js';

export async function clientLoad(sandboxUrl: string, options: { durationMs: number; concurrency: number }) {
  const client = createNodeClient({
    ...MERCHANT,
    endpoints: { scan: `${sandboxUrl}/scan`, quickPay: `${sandboxUrl}/quickpay`, gateway: `${sandboxUrl}/gateway` },
    logger: { debug() {}, info() {}, warn() {}, error() {} } as never,
  });
  const MERORDERID = `BENCHQ${Date.now()}`;
  await client.scan.wechatOrder({
    TRADETYPE: '1',
    AMT: '100',
    MERORDERID,
    GOODSNAME: 'bench',
    NOTIFY_URL: 'http://127.0.0.1:9/notify',
  } as never);
  const latencies: number[] = [];
  let errors = 0;
  const end = performance.now() + options.durationMs;
  const worker = async () => {
    while (performance.now() < end) {
      const t0 = performance.now();
      try {
        await client.scan.query({ MERORDERID } as never);
        latencies.push(performance.now() - t0);
      } catch {
        errors++;
      }
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    callsPerSecond: latencies.length / seconds,
    p50: latencies[Math.floor(latencies.length * 0.5)] ?? NaN,
    p99: latencies[Math.floor(latencies.length * 0.99)] ?? NaN,
    calls: latencies.length,
    errors,
  };
}
