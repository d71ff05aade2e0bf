// What `mmspTelemetryHooks` adds to a call (not a test). Every call is a real `scan.query` through
// the built client (autofill, validation, MD5 envelope, an in-memory transport answering a signed
// response, verification, state), in three variants interleaved in each round (the order rotates,
// so machine noise hits them alike), measured in CPU time of this process:
//   no hooks         createClient without hooks
//   no-op hooks      four hooks that do nothing: what building the events costs the client
//   telemetry, off   mmspTelemetryHooks() with OpenTelemetry's no-op globals (the SDK not started)
//   telemetry, SDK   mmspTelemetryHooks() with the SDK: BasicTracerProvider (every span sampled,
//                    a SimpleSpanProcessor into an InMemorySpanExporter) and a MeterProvider
// Each figure is divided by "no hooks" of the same round; the median ratio and its interquartile
// range are printed, with the absolute µs per call.
//
// Run after a build:  pnpm --filter @mmsp/opentelemetry... build
//   node packages/opentelemetry/bench/recorder.bench.mjs [--rounds 15] [--calls 2000]
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { createClient } from '@mmsp/client';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { mmspTelemetryHooks } from '@mmsp/opentelemetry';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return Number(i > 0 ? process.argv[i + 1] : fallback);
};
const ROUNDS = arg('rounds', 15);
const CALLS = arg('calls', 2000);

// The codec the client depends on (not a dependency of this package), for the signed answer.
const { buildEnvelope } = createRequire(fileURLToPath(import.meta.resolve('@mmsp/client')))('@mmsp/codec');
const key = 'ea21842eea24e448b991b1cb0a0294cf';
const merchantNo = '001440353999853';
const terminalNo = '84970001';
const answer = buildEnvelope({
  family: 'scan',
  commandId: 35078,
  seqId: 1,
  merchantNo,
  terminalNo,
  key,
  retCode: 1,
  errorMsg: '',
  body: {
    MERORDERID: 'ORD20261206000001',
    ORDERNO: '2026120600000001',
    AMT: '100',
    STATUS: '1',
    ERRCODE: '',
    ERRMSG: '',
    PAYTIME: '2026-12-06 12:00:00',
    RANDSTR: 'abcdefghijklmno',
  },
}).text;
const response = { status: 200, headers: { 'content-type': 'application/json' }, body: answer };
const transport = async () => response;
const config = (hooks) => ({
  merchantNo,
  terminalNo,
  key,
  endpoints: { scan: 'https://pay.example.com/scan' },
  transport,
  logger: {},
  ...(hooks ? { hooks } : {}),
});

const exporter = new InMemorySpanExporter();
const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
const meterProvider = new MeterProvider();
const variants = [
  { label: 'no hooks', client: createClient(config()) },
  {
    label: "four no-op hooks (the client's own cost)",
    client: createClient(config({ onRequest() {}, onResponse() {}, onRetry() {}, onNotification() {} })),
  },
  { label: 'telemetry, no SDK (no-op globals)', client: createClient(config(mmspTelemetryHooks())) },
  {
    label: 'telemetry, SDK (in-memory spans, metrics)',
    client: createClient(config(mmspTelemetryHooks({ tracerProvider, meterProvider }))),
  },
];

const body = { MERORDERID: 'ORD20261206000001' };
async function run(v, calls) {
  const t0 = process.cpuUsage();
  for (let i = 0; i < calls; i++) {
    const r = await v.client.scan.query(body);
    if (r.state !== 'paid') throw new Error(`${v.label}: unexpected state ${r.state}`);
  }
  const used = process.cpuUsage(t0);
  exporter.reset();
  return (used.user + used.system) / calls; // µs of CPU per call
}

for (const v of variants) await run(v, 2_000); // warm-up
const figures = variants.map(() => []);
for (let round = 0; round < ROUNDS; round++) {
  for (let k = 0; k < variants.length; k++) {
    const i = (k + round) % variants.length;
    figures[i].push(await run(variants[i], CALLS));
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const quartiles = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return [s[Math.floor((s.length - 1) / 4)], s[Math.ceil(((s.length - 1) * 3) / 4)]];
};
console.log(`${ROUNDS} rounds × ${CALLS} calls, CPU time; ratio to "no hooks" of the same round`);
for (let i = 0; i < variants.length; i++) {
  const ratios = figures[i].map((f, r) => f / figures[0][r]);
  const [q1, q3] = quartiles(ratios);
  console.log(
    `${variants[i].label.padEnd(44)} ${median(figures[i]).toFixed(1).padStart(7)} µs/call   ×${median(ratios).toFixed(3)} (IQR ×${q1.toFixed(3)}–×${q3.toFixed(3)})`,
  );
}
await tracerProvider.shutdown();
await meterProvider.shutdown();
