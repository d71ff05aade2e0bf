/**
 * The client's hook events (issue #15) as OpenTelemetry spans and metrics, through
 * `@opentelemetry/api` only: runtime-neutral (Node, Deno, Bun, workerd, browsers), no SDK, no
 * `node:*`. A span per call (kind CLIENT, `mmsp <operation>`), a span per notification decision
 * (kind SERVER, `mmsp notification`), a duration histogram per call and a counter of
 * notifications by decision. Nothing recorded here is a secret or card data: the events carry none
 * (the client masks them), and this file copies only names, codes, numbers and the order number.
 */
import {
  SpanKind,
  SpanStatusCode,
  context,
  metrics,
  trace,
  type Attributes,
  type Counter,
  type Histogram,
  type MeterProvider,
  type Span,
  type Tracer,
  type TracerProvider,
} from '@opentelemetry/api';
import type {
  MmspHooks,
  MmspNotificationEvent,
  MmspRequestEvent,
  MmspResponseEvent,
  MmspRetryEvent,
} from '@mmsp/client';
import { MmspAttributes as A, MmspMetrics as M, SemconvAttributes as S } from './attributes.js';

/** The instrumentation scope name of every tracer and meter this package asks for. */
export const MMSP_INSTRUMENTATION_SCOPE = '@mmsp/opentelemetry';

/**
 * Where spans and metrics go. Both default to the global providers registered by the
 * OpenTelemetry SDK (`NodeSDK`, `BasicTracerProvider.register()`, `metrics.setGlobalMeterProvider`),
 * looked up at the first event, so the hooks may be made before the SDK starts.
 */
export interface MmspTelemetryOptions {
  /** The tracer provider; default the global one (`trace.getTracerProvider()`). */
  tracerProvider?: TracerProvider;
  /** The meter provider; default the global one (`metrics.getMeterProvider()`). */
  meterProvider?: MeterProvider;
}

/** How a call ended, as the `mmsp.outcome` attribute says it. */
export type MmspCallOutcome = 'ok' | 'refused' | 'unknown' | 'error';

/** Duration buckets in seconds: OpenTelemetry's HTTP client advice, stretched to the SDK's 30 s default deadline. */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 15, 30, 60];
/** Open call spans kept at most (a call whose end never came is ended as abandoned beyond it). */
const MAX_OPEN_CALLS = 10_000;

interface Instruments {
  tracer: Tracer;
  callDuration: Histogram;
  callRetries: Counter;
  notifications: Counter;
  notificationDuration: Histogram;
}

/** The one place both the hooks and the `diagnostics_channel` subscriber (`@mmsp/opentelemetry/node`) feed. */
export interface MmspTelemetryRecorder {
  request(event: MmspRequestEvent): void;
  retry(event: MmspRetryEvent): void;
  response(event: MmspResponseEvent): void;
  notification(event: MmspNotificationEvent): void;
}

/** `error.type` for an error summary: its stable code (e.g. `MMSP_TRANSPORT`), else its class name. */
function errorType(event: MmspResponseEvent): string {
  return event.error?.code || event.error?.name || '_OTHER';
}

/** `mmsp.outcome` of a finished call (see {@link MmspCallOutcome}). */
export function callOutcome(event: Pick<MmspResponseEvent, 'ok' | 'error'>): MmspCallOutcome {
  if (event.ok) return 'ok';
  const e = event.error;
  if (!e) return 'error';
  if (e.name === 'MmspBusinessError' || e.name === 'MmspProtocolError') return 'refused';
  if (e.name === 'MmspOutcomeUnknownError' || e.mayHaveReachedPlatform === true) return 'unknown';
  return 'error';
}

/** `url.full`, `server.address`, `server.port` of an endpoint: no user:password, no query, no fragment. */
function urlAttributes(url: string): Attributes {
  try {
    const u = new URL(url);
    const port = u.port ? Number(u.port) : u.protocol === 'https:' ? 443 : u.protocol === 'http:' ? 80 : undefined;
    return {
      [S.URL_FULL]: `${u.protocol}//${u.host}${u.pathname}`,
      [S.SERVER_ADDRESS]: u.hostname,
      ...(port !== undefined ? { [S.SERVER_PORT]: port } : {}),
    };
  } catch {
    return {};
  }
}

/**
 * The merchant's order number from a request's (masked) fields, when it has one: `MERORDERID`, or a
 * payout's `ORDERNO` (in the other families `ORDERNO` is the platform's number, not the merchant's).
 */
function orderIdOf(family: string, fields: Record<string, unknown> | undefined): string | undefined {
  const v = family === 'payout' ? fields?.ORDERNO : fields?.MERORDERID;
  return typeof v === 'string' && v.length > 0 && v.length <= 64 ? v : undefined;
}

function set(attributes: Attributes, key: string, value: string | number | boolean | undefined): void {
  if (value !== undefined && value !== '') attributes[key] = value;
}

/**
 * The recorder behind {@link mmspTelemetryHooks} and `instrumentMmsp` (`@mmsp/opentelemetry/node`):
 * one per hooks object or subscription, holding the calls in flight.
 */
export function createMmspTelemetryRecorder(options: MmspTelemetryOptions = {}): MmspTelemetryRecorder {
  let instruments: Instruments | undefined;
  // Looked up at the first event, not at construction: the global providers are usually registered
  // after the client module is loaded, and the API's global meter provider has no proxy.
  const get = (): Instruments => {
    if (instruments) return instruments;
    const tracer = (options.tracerProvider ?? trace.getTracerProvider()).getTracer(MMSP_INSTRUMENTATION_SCOPE);
    const meter = (options.meterProvider ?? metrics.getMeterProvider()).getMeter(MMSP_INSTRUMENTATION_SCOPE);
    instruments = {
      tracer,
      callDuration: meter.createHistogram(M.CALL_DURATION, {
        description: 'Duration of MMSP calls, retries and their waits included.',
        unit: 's',
        advice: { explicitBucketBoundaries: DURATION_BUCKETS },
      }),
      callRetries: meter.createCounter(M.CALL_RETRIES, {
        description: 'MMSP query attempts retried after a transport failure.',
        unit: '{retry}',
      }),
      notifications: meter.createCounter(M.NOTIFICATIONS, {
        description: 'MMSP notifications decided by the receiver, by decision.',
        unit: '{notification}',
      }),
      notificationDuration: meter.createHistogram(M.NOTIFICATION_DURATION, {
        description: "Time to decide an MMSP notification, the merchant's handler included.",
        unit: 's',
        advice: { explicitBucketBoundaries: DURATION_BUCKETS },
      }),
    };
    return instruments;
  };

  // Calls in flight, by callId (unique within the process: the client's counter is module-wide).
  const open = new Map<number, Span>();
  // An endpoint's URL attributes, parsed once.
  const endpoints = new Map<string, Attributes>();

  const abandonOldest = () => {
    const [callId, span] = open.entries().next().value as [number, Span];
    open.delete(callId);
    span.setStatus({ code: SpanStatusCode.ERROR, message: 'the call never ended (no response event)' });
    span.end();
  };

  return {
    request(event) {
      const ins = get();
      const inFlight = open.get(event.callId);
      if (inFlight) {
        // A retried query's next attempt: the call's span goes on.
        inFlight.addEvent('mmsp.request', {
          [A.ATTEMPT]: event.attempt,
          ...(event.seqId !== undefined ? { [A.SEQ_ID]: event.seqId } : {}),
        });
        if (event.seqId !== undefined) inFlight.setAttribute(A.SEQ_ID, event.seqId);
        inFlight.setAttribute(A.ATTEMPTS, event.attempt);
        return;
      }
      let endpoint = endpoints.get(event.url);
      if (endpoint === undefined) {
        endpoint = urlAttributes(event.url);
        if (endpoints.size < 64) endpoints.set(event.url, endpoint); // a client has at most four endpoints
      }
      const attributes: Attributes = {
        [A.OPERATION]: event.operation,
        [A.FAMILY]: event.family,
        [S.HTTP_REQUEST_METHOD]: 'POST',
        ...endpoint,
        [A.ATTEMPTS]: event.attempt,
      };
      set(attributes, A.SEQ_ID, event.seqId);
      const span = ins.tracer.startSpan(
        `mmsp ${event.operation}`,
        { kind: SpanKind.CLIENT, attributes },
        context.active(),
      );
      // `fields` is masked when first read (the client's cost, not ours): only for a span that records.
      if (span.isRecording()) {
        const orderId = orderIdOf(event.family, event.fields);
        if (orderId !== undefined) span.setAttribute(A.MERCHANT_ORDER_ID, orderId);
      }
      open.set(event.callId, span);
      if (open.size > MAX_OPEN_CALLS) abandonOldest();
    },

    retry(event) {
      const ins = get();
      ins.callRetries.add(1, { [A.OPERATION]: event.operation, [A.FAMILY]: event.family });
      open.get(event.callId)?.addEvent('mmsp.retry', {
        [A.ATTEMPT]: event.attempt,
        [A.RETRY_DELAY_MS]: event.delayMs,
        [A.RETRY_REASON]: event.reason.slice(0, 200),
      });
    },

    response(event) {
      const ins = get();
      const outcome = callOutcome(event);
      const meta = event.meta;
      const metric: Attributes = { [A.OPERATION]: event.operation, [A.FAMILY]: event.family, [A.OUTCOME]: outcome };
      set(metric, S.HTTP_RESPONSE_STATUS_CODE, meta.httpStatus);
      if (!event.ok) metric[S.ERROR_TYPE] = errorType(event);
      ins.callDuration.record(Math.max(0, meta.elapsedMs) / 1000, metric);

      const span = open.get(event.callId);
      if (!span) return; // a response without a request this recorder saw (subscribed mid-call)
      open.delete(event.callId);
      const attributes: Attributes = { [A.OUTCOME]: outcome, [A.ATTEMPTS]: meta.attempts };
      set(attributes, A.SEQ_ID, meta.seqId);
      set(attributes, S.HTTP_RESPONSE_STATUS_CODE, meta.httpStatus);
      if (event.ok) {
        set(attributes, A.STATE, event.outcome?.state);
        set(attributes, A.RET_CODE, event.outcome?.retCode);
        set(attributes, A.STATUS, event.outcome?.status);
        set(attributes, A.ERR_CODE, event.outcome?.errCode);
      } else {
        attributes[S.ERROR_TYPE] = errorType(event);
        set(attributes, A.PLATFORM_CODE, event.error?.platformCode);
        set(attributes, A.RET_CODE, event.error?.retCode);
        if (event.error?.mayHaveReachedPlatform !== undefined)
          attributes[A.MAY_HAVE_REACHED_PLATFORM] = event.error.mayHaveReachedPlatform;
        span.setStatus({ code: SpanStatusCode.ERROR, message: event.error?.message ?? 'the call failed' });
      }
      span.setAttributes(attributes);
      span.end();
    },

    notification(event) {
      const ins = get();
      const attributes: Attributes = {
        [A.NOTIFICATION_DECISION]: event.decision,
        [S.HTTP_RESPONSE_STATUS_CODE]: event.httpStatus,
      };
      set(attributes, A.FAMILY, event.family);
      const metric = { ...attributes };
      ins.notifications.add(1, metric);
      ins.notificationDuration.record(Math.max(0, event.elapsedMs) / 1000, metric);

      set(attributes, A.NOTIFICATION_REASON, event.reason);
      set(attributes, A.COMMAND_ID, event.commandId);
      set(attributes, A.MERCHANT_ORDER_ID, event.merchantOrderId);
      // The event comes when the decision is made: the span covers the time `handle` took.
      const end = Date.now();
      const span = ins.tracer.startSpan(
        'mmsp notification',
        { kind: SpanKind.SERVER, attributes, startTime: end - Math.max(0, event.elapsedMs) },
        context.active(),
      );
      // A server span is an error when the answer asks the platform to retry (5xx), not for a refused forgery (4xx).
      if (event.httpStatus >= 500) {
        span.setAttribute(S.ERROR_TYPE, event.decision);
        span.setStatus({ code: SpanStatusCode.ERROR, message: `notification ${event.decision}` });
      }
      span.end(end);
    },
  };
}

/**
 * Hooks for `createClient`, `createNodeClient`, `createFetchClient` and `MmspModule` (their `hooks`
 * option) that record every call and notification as OpenTelemetry spans and metrics: a CLIENT
 * span `mmsp <operation>` per call (operation, family, SeqID, HTTP status, the platform's codes,
 * the trade state, `mmsp.outcome`, `error.type`), a SERVER span `mmsp notification` per
 * notification decision, the histogram `mmsp.client.call.duration`, the counters
 * `mmsp.client.call.retries` and `mmsp.notifications`, the histogram `mmsp.notification.duration`.
 * Runtime-neutral: it uses `@opentelemetry/api` only (the edge included). In Node, `instrumentMmsp`
 * from `@mmsp/opentelemetry/node` records the same from the `diagnostics_channel`s instead: use one
 * or the other, not both, or every call is recorded twice.
 *
 * @param options - The tracer and meter providers (default: the global ones).
 * @returns A hooks object to pass as the client's `hooks`; one object may serve several clients.
 *
 * @example
 * ```ts
 * import { createNodeClient } from '@mmsp/http-node';
 * import { mmspTelemetryHooks } from '@mmsp/opentelemetry';
 *
 * declare const merchantNo: string, terminalNo: string, key: string;
 * const mmsp = createNodeClient({
 *   merchantNo, terminalNo, key,
 *   endpoints: { scan: 'https://pay.example.com/scan' },
 *   hooks: mmspTelemetryHooks(), // spans and metrics go to the SDK your app registered
 * });
 * ```
 */
export function mmspTelemetryHooks(options: MmspTelemetryOptions = {}): MmspHooks {
  const recorder = createMmspTelemetryRecorder(options);
  // A hook that throws never breaks a call (the client drops it), but telemetry should not even try.
  const safe =
    <E>(fn: (event: E) => void) =>
    (event: E): void => {
      try {
        fn(event);
      } catch {
        // Telemetry is best effort.
      }
    };
  return {
    onRequest: safe(recorder.request),
    onRetry: safe(recorder.retry),
    onResponse: safe(recorder.response),
    onNotification: safe(recorder.notification),
  };
}
