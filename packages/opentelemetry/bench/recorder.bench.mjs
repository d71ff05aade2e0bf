// What the telemetry hooks add to one call: onRequest + onResponse of a call (a CLIENT span started
// and ended, one histogram measurement) and one notification (a SERVER span, a counter and a
// histogram measurement), with the OpenTelemetry SDK's BasicTracerProvider (every span sampled,
// exported to memory by a SimpleSpanProcessor) and a MeterProvider. Events are shaped as the
// client emits them. Run after `pnpm --filter @mmsp/opentelemetry build`:
//
//   node packages/opentelemetry/bench/recorder.bench.mjs
import { InMemorySpanExporter, BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { mmspTelemetryHooks } from '@mmsp/opentelemetry';

const exporter = new InMemorySpanExporter();
const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
const meterProvider = new MeterProvider();
const hooks = mmspTelemetryHooks({ tracerProvider, meterProvider });
const url = 'https://pay.example.com/scan/api';

function oneCall(callId) {
  const meta = { seqId: callId, operation: 'scan.query', family: 'scan', url, httpStatus: undefined, elapsedMs: 0, attempts: 0 };
  hooks.onRequest({ type: 'request', callId, operation: 'scan.query', family: 'scan', url, seqId: callId, attempt: 1, meta, fields: { MERORDERID: `M${callId}` } });
  hooks.onResponse({ type: 'response', callId, operation: 'scan.query', family: 'scan', meta: { ...meta, httpStatus: 200, elapsedMs: 12, attempts: 1 }, ok: true, outcome: { state: 'paid', retCode: '1', status: '1' } });
}
function oneNotification(i) {
  hooks.onNotification({ type: 'notification', family: 'scan', commandId: 2324, merchantOrderId: `M${i}`, amount: '100', decision: 'handled', httpStatus: 200, elapsedMs: 3 });
}

function measure(name, fn, n) {
  for (let i = 0; i < 5_000; i++) fn(i); // warm-up
  exporter.reset();
  const runs = [];
  for (let r = 0; r < 5; r++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < n; i++) fn(1_000_000 * (r + 1) + i);
    runs.push(Number(process.hrtime.bigint() - start) / n / 1000);
    exporter.reset();
  }
  runs.sort((a, b) => a - b);
  console.log(`${name}: median ${runs[2].toFixed(2)} µs (min ${runs[0].toFixed(2)}, max ${runs[4].toFixed(2)}) over 5 × ${n}`);
}

measure('call (request + response)', oneCall, 50_000);
measure('notification', oneNotification, 50_000);
await tracerProvider.shutdown();
await meterProvider.shutdown();
