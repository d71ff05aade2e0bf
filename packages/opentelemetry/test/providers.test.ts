/**
 * Where the telemetry goes: the global providers by default, looked up at the first event (so the
 * hooks may be made before the SDK is registered: the API's global meter provider has no proxy),
 * and a broken provider never breaks a call, through the hooks or through the channels.
 */
import { metrics, trace, type MeterProvider, type TracerProvider } from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeClient } from '@mmsp/http-node';
import { startSandbox, type Sandbox, type SandboxMerchant } from '@mmsp/sandbox';
import { MmspAttributes as A, MmspMetrics as M, mmspTelemetryHooks } from '../src/index.js';
import { instrumentMmsp } from '../src/node.js';
import { startOtel } from './support/otel.js';

let sb: Sandbox;
let merchant: SandboxMerchant;
let seq = 0;
const orderId = (prefix: string) => `${prefix}${Date.now() % 1e9}${++seq}`;
const silent = { debug() {}, info() {}, warn() {}, error() {} } as never;
const clientWith = (extra: Record<string, unknown>) =>
  createNodeClient({
    merchantNo: merchant.merchantNo,
    terminalNo: merchant.terminalNo,
    key: merchant.key,
    endpoints: merchant.endpoints,
    timeoutMs: 5_000,
    logger: silent,
    ...extra,
  });
const order = (id: string) =>
  ({ TRADETYPE: '1', AMT: '100', MERORDERID: id, GOODSNAME: 'book', NOTIFY_URL: 'http://127.0.0.1:9/notify' }) as never;

/** Providers whose every method throws: an SDK misconfigured or shut down badly. */
const brokenTracerProvider = {
  getTracer: () => {
    throw new Error('tracer provider broken');
  },
} as unknown as TracerProvider;
const brokenMeterProvider = {
  getMeter: () => {
    throw new Error('meter provider broken');
  },
} as unknown as MeterProvider;

beforeAll(async () => {
  sb = await startSandbox({ port: 0, timeScale: 0.001 });
  merchant = (await (await fetch(`${sb.url}/_sandbox/merchant`)).json()) as SandboxMerchant;
});
afterAll(async () => {
  await sb?.close();
});

describe('providers', () => {
  it('defaults to the global providers, registered after the hooks were made', async () => {
    const hooks = mmspTelemetryHooks(); // before the SDK: the API's globals are still no-ops here
    const client = clientWith({ hooks });
    const otel = startOtel();
    expect(trace.setGlobalTracerProvider(otel.tracerProvider)).toBe(true);
    expect(metrics.setGlobalMeterProvider(otel.meterProvider)).toBe(true);
    try {
      const id = orderId('GL');
      await client.scan.wechatOrder(order(id));
      expect(
        otel
          .spans()
          .filter((s) => s.attributes[A.MERCHANT_ORDER_ID] === id)
          .map((s) => s.name),
      ).toEqual(['mmsp scan.wechatOrder']);
      const points = await otel.points(M.CALL_DURATION);
      expect(points.map((p) => [p.attributes[A.OPERATION], p.attributes[A.OUTCOME], p.value])).toEqual([
        ['scan.wechatOrder', 'ok', 1],
      ]);
      expect(points[0]!.sum).toBeGreaterThan(0);
      expect(points[0]!.sum).toBeLessThan(5);
    } finally {
      trace.disable();
      metrics.disable();
      await otel.shutdown();
    }
  });

  it('a provider that throws never breaks a call (hooks)', async () => {
    const client = clientWith({
      hooks: mmspTelemetryHooks({ tracerProvider: brokenTracerProvider, meterProvider: brokenMeterProvider }),
    });
    const result = await client.scan.wechatOrder(order(orderId('BH')));
    expect(result.codes.retCode).toBe('1');
  });

  it('a provider that throws never breaks a call nor reaches the process as an uncaught exception (channels)', async () => {
    const uncaught: unknown[] = [];
    const onUncaught = (e: unknown) => void uncaught.push(e);
    process.on('uncaughtException', onUncaught);
    const stop = instrumentMmsp({ tracerProvider: brokenTracerProvider, meterProvider: brokenMeterProvider });
    try {
      const result = await clientWith({}).scan.wechatOrder(order(orderId('BC')));
      expect(result.codes.retCode).toBe('1');
      await new Promise((r) => setTimeout(r, 50)); // Node reports a throwing subscriber on a later tick
      expect(uncaught).toEqual([]);
    } finally {
      stop();
      process.off('uncaughtException', onUncaught);
    }
  });
});
