/**
 * `@mmsp/opentelemetry/node`: the same spans and metrics as the hooks, fed by the
 * `diagnostics_channel`s that `@mmsp/http-node` publishes (`mmsp:client:request`,
 * `mmsp:client:response`, `mmsp:client:error`, `mmsp:client:retry`, `mmsp:notification`), so that every Node client
 * and receiver of the process is instrumented without touching their configuration. Node only
 * (`node:diagnostics_channel`): the main entry stays runtime-neutral.
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { MmspNotificationEvent, MmspRequestEvent, MmspResponseEvent, MmspRetryEvent } from '@mmsp/client';
import { createMmspTelemetryRecorder, type MmspTelemetryOptions } from './telemetry.js';

export { MMSP_INSTRUMENTATION_SCOPE, type MmspTelemetryOptions } from './telemetry.js';

/** The `diagnostics_channel` names `@mmsp/http-node` publishes on (issue #15 item 3). */
export const MMSP_CHANNELS = {
  /** A request is about to leave (every HTTP attempt). */
  request: 'mmsp:client:request',
  /** A call ended with a result. */
  response: 'mmsp:client:response',
  /** A call ended with an error. */
  error: 'mmsp:client:error',
  /** A query will be retried after a transport failure. */
  retry: 'mmsp:client:retry',
  /** A notification was decided by a receiver. */
  notification: 'mmsp:notification',
} as const;

/**
 * Subscribes to `@mmsp/http-node`'s `diagnostics_channel`s and records every call and notification
 * of the process as OpenTelemetry spans and metrics (the same as `mmspTelemetryHooks` from
 * `@mmsp/opentelemetry`; use one or the other, not both). Call it once, after the OpenTelemetry SDK
 * is set up; channels publish nothing while no one subscribes, so a process without it pays
 * nothing.
 *
 * @param options - The tracer and meter providers (default: the global ones, looked up at the first event).
 * @returns A function that unsubscribes (spans of calls still in flight are not ended).
 *
 * @example
 * ```ts
 * import { instrumentMmsp } from '@mmsp/opentelemetry/node';
 *
 * const stop = instrumentMmsp(); // after NodeSDK.start(): every createNodeClient and receiver is traced
 * process.on('SIGTERM', stop);
 * ```
 */
export function instrumentMmsp(options: MmspTelemetryOptions = {}): () => void {
  const recorder = createMmspTelemetryRecorder(options);
  // A subscriber that throws would surface as an uncaught exception in the publisher's process.
  const guard =
    (fn: (message: never) => void) =>
    (message: unknown): void => {
      try {
        if (message !== null && typeof message === 'object') fn(message as never);
      } catch {
        // Telemetry is best effort.
      }
    };
  const onRequest = guard((e: MmspRequestEvent) => recorder.request(e));
  const onRetry = guard((e: MmspRetryEvent) => recorder.retry(e));
  const onResponse = guard((e: MmspResponseEvent) => recorder.response(e));
  const onNotification = guard((e: MmspNotificationEvent) => recorder.notification(e));
  const subscriptions: [string, (message: unknown) => void][] = [
    [MMSP_CHANNELS.request, onRequest],
    [MMSP_CHANNELS.response, onResponse],
    [MMSP_CHANNELS.error, onResponse],
    [MMSP_CHANNELS.retry, onRetry],
    [MMSP_CHANNELS.notification, onNotification],
  ];
  for (const [name, fn] of subscriptions) subscribe(name, fn);
  let stopped = false;
  return () => {
    if (stopped) return;
    stopped = true;
    for (const [name, fn] of subscriptions) unsubscribe(name, fn);
  };
}
