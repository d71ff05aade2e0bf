/**
 * The OpenTelemetry SDK as an application registers it, with its in-memory exporters: a tracer
 * provider whose finished spans are kept, and a meter provider whose cumulative metrics are read on
 * demand. Nothing here is a stand-in: these are the SDK's own classes.
 */
import type { Attributes } from '@opentelemetry/api';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
  type DataPoint,
  type Histogram,
} from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base';

export interface Point {
  attributes: Attributes;
  /** A counter's sum, or a histogram's count. */
  value: number;
  /** A histogram's sum (seconds), undefined for counters. */
  sum?: number;
}

export interface Otel {
  tracerProvider: BasicTracerProvider;
  meterProvider: MeterProvider;
  /** Finished spans so far. */
  spans(): ReadableSpan[];
  /** Data points of one instrument, as collected now (cumulative since the start). */
  points(name: string): Promise<Point[]>;
  shutdown(): Promise<void>;
}

export function startOtel(): Otel {
  const spanExporter = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spanExporter)] });
  const metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  // Exports only when flushed: the tests read the metrics at the moments they choose.
  const reader = new PeriodicExportingMetricReader({ exporter: metricExporter, exportIntervalMillis: 3_600_000 });
  const meterProvider = new MeterProvider({ readers: [reader] });
  return {
    tracerProvider,
    meterProvider,
    spans: () => spanExporter.getFinishedSpans(),
    async points(name) {
      await reader.forceFlush();
      const last = metricExporter.getMetrics().at(-1);
      metricExporter.reset();
      const metric = last?.scopeMetrics.flatMap((s) => s.metrics).find((m) => m.descriptor.name === name);
      if (!metric) return [];
      return (metric.dataPoints as DataPoint<number | Histogram>[]).map((p) =>
        typeof p.value === 'number'
          ? { attributes: p.attributes, value: p.value }
          : { attributes: p.attributes, value: p.value.count, sum: p.value.sum },
      );
    },
    async shutdown() {
      await tracerProvider.shutdown();
      await meterProvider.shutdown();
    },
  };
}
