/**
 * `diagnostics_channel`s (issue #15 item 3), the way undici publishes `undici:request:*`: Node
 * tooling (APMs, OpenTelemetry, a test) subscribes by name, and nothing is built or published
 * while nobody listens (`channel.hasSubscribers`). The messages are the client's hook events
 * (`MmspRequestEvent`, `MmspResponseEvent`, `MmspRetryEvent`, `MmspNotificationEvent`): no
 * secret, card data masked.
 */
import diagnosticsChannel from 'node:diagnostics_channel';
import type {
  MmspHooks,
  MmspNotificationEvent,
  MmspRequestEvent,
  MmspResponseEvent,
  MmspRetryEvent,
} from '@mmsp/client';

/**
 * The names of the channels `@mmsp/http-node` publishes on, each message the client's hook event:
 *
 * | channel                | message                                   | when                                   |
 * |------------------------|-------------------------------------------|----------------------------------------|
 * | `mmsp:client:request`  | `MmspRequestEvent`                        | a request is about to leave (each attempt) |
 * | `mmsp:client:response` | `MmspResponseEvent` with `ok: true`       | a call ended with a result             |
 * | `mmsp:client:error`    | `MmspResponseEvent` with `ok: false`      | a call ended with an error after its request was built |
 * | `mmsp:client:retry`    | `MmspRetryEvent`                          | a query is retried after a transport failure |
 * | `mmsp:notification`    | `MmspNotificationEvent`                   | a notification was decided             |
 *
 * Published by clients from `createNodeClient` (and `MmspModule`) and by the notification
 * receivers built with `key`; only while the channel has subscribers. A subscriber that throws is
 * reported by Node as an uncaught exception on the next tick (Node's rule for every channel); the
 * call itself goes on.
 *
 * @example
 * ```ts
 * import { subscribe } from 'node:diagnostics_channel';
 * import { MMSP_DIAGNOSTICS_CHANNELS } from '@mmsp/http-node';
 * import type { MmspResponseEvent } from '@mmsp/client';
 *
 * subscribe(MMSP_DIAGNOSTICS_CHANNELS.error, (message) => {
 *   const e = message as MmspResponseEvent;
 *   console.warn(`${e.operation} failed: ${e.error?.code} (SeqID ${e.meta.seqId ?? '-'}, ${e.meta.elapsedMs} ms)`);
 * });
 * ```
 */
export const MMSP_DIAGNOSTICS_CHANNELS = Object.freeze({
  request: 'mmsp:client:request',
  response: 'mmsp:client:response',
  error: 'mmsp:client:error',
  retry: 'mmsp:client:retry',
  notification: 'mmsp:notification',
} as const);

const requestChannel = diagnosticsChannel.channel(MMSP_DIAGNOSTICS_CHANNELS.request);
const responseChannel = diagnosticsChannel.channel(MMSP_DIAGNOSTICS_CHANNELS.response);
const errorChannel = diagnosticsChannel.channel(MMSP_DIAGNOSTICS_CHANNELS.error);
const retryChannel = diagnosticsChannel.channel(MMSP_DIAGNOSTICS_CHANNELS.retry);
const notificationChannel = diagnosticsChannel.channel(MMSP_DIAGNOSTICS_CHANNELS.notification);

type HookName = keyof MmspHooks;

/** Calls the caller's own hook; what it throws stays with it, so the channel is still published. */
function userHook<E>(user: MmspHooks, name: HookName): (event: E) => void {
  return (event: E) => {
    try {
      const hook = user[name] as ((e: E) => unknown) | undefined;
      const returned = hook?.call(user, event);
      if (
        returned !== null &&
        typeof returned === 'object' &&
        typeof (returned as { then?: unknown }).then === 'function'
      )
        (returned as PromiseLike<unknown>).then(undefined, () => undefined);
    } catch {
      // A hook that throws never breaks a call (issue #15).
    }
  };
}

/**
 * The hooks a Node client or receiver runs: the caller's own `hooks`, and the channels' publishers
 * while someone subscribes. Each member is a getter read by the client at every event, so a client
 * with no hooks and no subscribers builds no event at all.
 */
export function diagnosticsHooks(user: MmspHooks | undefined): MmspHooks {
  const own = user ?? {};
  const userRequest = userHook<MmspRequestEvent>(own, 'onRequest');
  const userResponse = userHook<MmspResponseEvent>(own, 'onResponse');
  const userRetry = userHook<MmspRetryEvent>(own, 'onRetry');
  const userNotification = userHook<MmspNotificationEvent>(own, 'onNotification');
  const request = (e: MmspRequestEvent) => {
    if (own.onRequest !== undefined) userRequest(e);
    if (requestChannel.hasSubscribers) requestChannel.publish(e);
  };
  const response = (e: MmspResponseEvent) => {
    if (own.onResponse !== undefined) userResponse(e);
    const channel = e.ok ? responseChannel : errorChannel;
    if (channel.hasSubscribers) channel.publish(e);
  };
  const retry = (e: MmspRetryEvent) => {
    if (own.onRetry !== undefined) userRetry(e);
    if (retryChannel.hasSubscribers) retryChannel.publish(e);
  };
  const notification = (e: MmspNotificationEvent) => {
    if (own.onNotification !== undefined) userNotification(e);
    if (notificationChannel.hasSubscribers) notificationChannel.publish(e);
  };
  return {
    get onRequest() {
      return own.onRequest !== undefined || requestChannel.hasSubscribers ? request : undefined;
    },
    get onResponse() {
      return own.onResponse !== undefined || responseChannel.hasSubscribers || errorChannel.hasSubscribers
        ? response
        : undefined;
    },
    get onRetry() {
      return own.onRetry !== undefined || retryChannel.hasSubscribers ? retry : undefined;
    },
    get onNotification() {
      return own.onNotification !== undefined || notificationChannel.hasSubscribers ? notification : undefined;
    },
  };
}
