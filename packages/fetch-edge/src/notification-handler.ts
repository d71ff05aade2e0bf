/**
 * The notification receiver as a WHATWG handler: `(request: Request) => Promise<Response>`.
 * Works unchanged as a Workers `fetch` handler, a Next.js route handler (`export const POST`),
 * a Hono route (`app.post(path, handler)`, or `(c) => handler(c.req.raw)`), `Deno.serve(handler)` and `Bun.serve({ fetch })`.
 *
 * This file only translates. Every decision (verify, claim in the store, run `onPaid` once,
 * `SUCCESS` only after it resolved, 4xx for a bad signature, 5xx so the platform retries) is made
 * by `@mmsp/client` (`notifications.handle`), exactly as in the Node receiver (PROTOCOL §5).
 * The HTTP-level refusals are @mmsp/client's too (`notificationRequestProblem`, shared with
 * @mmsp/http-node): 405 for a method other than POST, 415 for a content type the platform would
 * not send or a charset other than UTF-8, 413 beyond `maxBodyBytes`, 400 for a body that is not UTF-8.
 * Its own: 408 when the whole body has not arrived within `bodyTimeoutMs` (issue #13 item 9).
 */
import {
  createNotificationReceiver,
  MemoryNotificationStore,
  NOTIFICATION_HTTP_ANSWERS,
  notificationEndpointIssues,
  notificationRequestProblem,
  type NotificationHttpAnswer,
} from '@mmsp/client';
import type { Logger, MmspHooks, NotificationStore, PaidEvent, NotificationDecision } from '@mmsp/client';
import { MmspConfigError, type SignOptions } from '@mmsp/codec';
import { readStreamLimited } from './read-stream.js';

type HandleOptions = NonNullable<Parameters<ReturnType<typeof createNotificationReceiver>['handle']>[2]>;

/** Anything with the client's `notifications.handle` (a `createClient` / `createFetchClient` client). */
export interface NotificationCapableClient {
  /** The client's notification receiver; only `handle(rawText, onPaid, options)` is used. */
  notifications: { handle: ReturnType<typeof createNotificationReceiver>['handle'] };
}

interface CommonOptions {
  /** Runs once per notification, after the signature verified. `SUCCESS` is answered only after it resolved. */
  onPaid: (event: PaidEvent) => unknown;
  /**
   * Claims and commits of handled notifications: decides "once". Default: one in-memory store per
   * handler — per isolate on Workers / Deno Deploy, so with several isolates or instances pass a
   * shared store (e.g. `@mmsp/store-redis` through a fetch-based Redis, or one backed by a Durable Object).
   */
  store?: NotificationStore;
  /** How long a claim holds if the isolate dies inside `onPaid`, in ms (default 60 000); the platform's next retry then claims again. While `onPaid` runs, the claim is extended every `claimTtlMs / 3`. */
  claimTtlMs?: number;
  /** How long `onPaid` may run, in ms (default 60 000); then the platform is answered 500 (it retries) and the claim released. */
  handlerTimeoutMs?: number;
  /** The amount (fen, string) the merchant expects for the event's order; a mismatch is rejected (PROTOCOL §5). */
  expectAmount?: HandleOptions['expectAmount'];
  /** Largest accepted body, bytes (413 beyond). Default 64 KiB; a notification is well under 2 KiB. */
  maxBodyBytes?: number;
  /**
   * Time allowed to receive the whole body once the handler starts reading it, in ms (default
   * 10 000, as @mmsp/http-node's). A body that trickles in gets 408 and the stream is cancelled, so a
   * slow sender cannot hold the isolate; the platform retries a genuine notification.
   */
  bodyTimeoutMs?: number;
  /** Called with every decision (logging, metrics). Never receives a secret. */
  onDecision?: (decision: NotificationDecision, request: Request) => void;
}

/**
 * Options of the edge notification receiver ({@link createNotificationHandler}): a `client` that
 * verifies, or the merchant's MD5 `key` (and `agentKey`, `signOptions`, `logger`, `hooks`); `onPaid`; the
 * `store` that decides "once"; the amount check and the body size limit. Checked at construction:
 * one `MmspConfigError` lists every problem, never a key's value.
 */
export type NotificationHandlerOptions = CommonOptions &
  (
    | {
        /** A client from `createFetchClient` / `createClient`: its key (and agent key) verifies, its `hooks` see the notifications. */
        client: NotificationCapableClient;
        key?: never;
        hooks?: never;
      }
    | {
        /** The merchant's MD5 key (PROTOCOL §3), when no client is given. */
        key: string;
        /** Agency mode: the agent's MD5 key, which takes priority over the merchant's (PROTOCOL §3). */
        agentKey?: string;
        /** How the Body is encoded for the signature (PHP's `json_encode` flags; default `/` escaped, PROTOCOL §3). */
        signOptions?: SignOptions;
        /** Where rejections and handler failures are logged (default console; secrets redacted). */
        logger?: Logger;
        /** `onNotification` with every decision's facts (family, order, amount, decision, HTTP status), as a client's `hooks` (issue #15); a hook that throws is ignored. */
        hooks?: Pick<MmspHooks, 'onNotification'>;
        client?: never;
      }
  );

const TEXT = 'text/plain; charset=utf-8';

function plain(status: number, body: string, extra: Readonly<Record<string, string>> = {}): Response {
  return new Response(body, { status, headers: { 'content-type': TEXT, 'cache-control': 'no-store', ...extra } });
}

const refuse = (answer: NotificationHttpAnswer): Response => plain(answer.status, answer.body, answer.headers);

/** A refusal decided while reading the body: 413 beyond the limit, 408 beyond the deadline. */
class BodyRefused extends Error {
  constructor(readonly answer: NotificationHttpAnswer) {
    super(answer.body);
  }
}

/** Default `bodyTimeoutMs`: 10 s for the whole body, as the Node receiver. */
const DEFAULT_BODY_TIMEOUT_MS = 10_000;

async function readBody(request: Request, limit: number, timeoutMs: number): Promise<Uint8Array> {
  const declared = notificationRequestProblem({
    size: Number(request.headers.get('content-length') ?? Number.NaN),
    maxBodyBytes: limit,
  });
  if (declared) throw new BodyRefused(declared);
  const read = await readStreamLimited(request.body, limit, timeoutMs);
  if ('exceededAt' in read)
    throw new BodyRefused(notificationRequestProblem({ size: read.exceededAt, maxBodyBytes: limit })!);
  if ('timedOutAfterMs' in read)
    throw new BodyRefused({ status: 408, body: `FAIL body not received within ${read.timedOutAfterMs} ms` });
  return read.bytes;
}

/** A Hono `Context` (or anything carrying the WHATWG request as `req.raw`), so `app.post(path, handler)` works as is. */
interface RawRequestCarrier {
  req: { raw: Request };
}

function requestOf(input: Request | RawRequestCarrier): Request {
  const carried = (input as Partial<RawRequestCarrier> | undefined)?.req?.raw;
  return typeof (input as Partial<Request> | undefined)?.method !== 'string' && typeof carried?.method === 'string'
    ? carried
    : (input as Request);
}

/**
 * The receiver of the platform's pushed payment notifications (PROTOCOL §5) as a WHATWG handler,
 * `(request: Request) => Promise<Response>`: unchanged as a Workers `fetch` handler, a Next.js route
 * handler (`export const POST`), a Hono route (the Context is accepted as is), `Deno.serve(handler)`
 * and `Bun.serve({ fetch: handler })`.
 *
 * It only translates. Every decision — verify the signature, claim the notification in the `store`,
 * run `onPaid` once, answer `SUCCESS` only after it resolved, 4xx for a bad signature or a malformed
 * body (`onPaid` not run), 5xx so the platform retries when `onPaid` or the store failed — is made by
 * `@mmsp/client` (`notifications.handle`), exactly as in the Node receiver. The HTTP refusals are
 * `@mmsp/client`'s too: 405 for a method other than POST, 415 for a content type the platform would
 * not send or a charset other than UTF-8, 413 beyond `maxBodyBytes`, 400 for a body that is not UTF-8;
 * its own 408 when the whole body has not arrived within `bodyTimeoutMs` (default 10 s).
 *
 * @param options - Who verifies (`client` or `key`), `onPaid`, `store`, `expectAmount`, `maxBodyBytes`, `bodyTimeoutMs`; with `key`, `logger` and `hooks`.
 * @throws MmspConfigError when the options are invalid (every problem listed, never a key's value).
 *
 * @example
 * ```ts
 * import { createNotificationHandler } from '@mmsp/fetch-edge';
 *
 * declare const MMSP_KEY: string; // a secret binding
 * const notify = createNotificationHandler({
 *   key: MMSP_KEY, // or `client: createFetchClient(…)`
 *   onPaid: async (event) => {
 *     // runs once per paid order; `SUCCESS` is answered only after it resolved
 *     console.log('paid', event.family, event.merchantOrderId, event.amount); // amount: fen, string
 *   },
 *   // store: a shared NotificationStore when several isolates or instances receive
 * });
 *
 * export default { fetch: notify }; // Cloudflare Workers
 * // export const POST = notify;    // Next.js route handler
 * // Deno.serve(notify);            // Deno; Bun: Bun.serve({ fetch: notify })
 * ```
 */
export function createNotificationHandler(
  options: NotificationHandlerOptions,
): (request: Request | RawRequestCarrier) => Promise<Response> {
  const o = (options ?? {}) as Partial<CommonOptions> & {
    client?: NotificationCapableClient;
    key?: unknown;
    agentKey?: string;
    signOptions?: SignOptions;
    logger?: Logger;
    hooks?: Pick<MmspHooks, 'onNotification'>;
  };
  const { issues, maxBodyBytes } = notificationEndpointIssues(o);
  const bodyTimeoutMs = options?.bodyTimeoutMs ?? DEFAULT_BODY_TIMEOUT_MS;
  if (!Number.isSafeInteger(bodyTimeoutMs) || bodyTimeoutMs <= 0)
    issues.push({
      field: 'bodyTimeoutMs',
      rule: 'positiveInteger',
      message: 'bodyTimeoutMs must be a positive integer',
    });
  if (issues.length > 0) throw new MmspConfigError(issues);
  const handle: NotificationCapableClient['notifications']['handle'] = o.client
    ? o.client.notifications.handle.bind(o.client.notifications)
    : (() => {
        // createNotificationReceiver validates the key itself (MmspConfigError naming `key`, never its value).
        const receiver = createNotificationReceiver({
          key: o.key as string,
          ...(o.agentKey !== undefined ? { agentKey: o.agentKey } : {}),
          ...(o.signOptions ? { signOptions: o.signOptions } : {}),
          ...(o.logger ? { logger: o.logger } : {}),
          ...(o.hooks ? { hooks: o.hooks } : {}),
        });
        return receiver.handle.bind(receiver);
      })();
  // What `handle` is given with every notification, made once.
  const handleOptions = {
    store: options.store ?? new MemoryNotificationStore(),
    ...(options.claimTtlMs !== undefined ? { claimTtlMs: options.claimTtlMs } : {}),
    ...(options.handlerTimeoutMs !== undefined ? { handlerTimeoutMs: options.handlerTimeoutMs } : {}),
    ...(options.expectAmount ? { expectAmount: options.expectAmount } : {}),
  };
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

  return async (input: Request | RawRequestCarrier): Promise<Response> => {
    const request = requestOf(input);
    // The platform POSTs the envelope as the raw body (PROTOCOL §5).
    const problem = notificationRequestProblem({
      method: request.method,
      contentType: request.headers.get('content-type'),
    });
    if (problem) return refuse(problem);
    let bytes: Uint8Array;
    try {
      bytes = await readBody(request, maxBodyBytes, bodyTimeoutMs);
    } catch (error) {
      if (error instanceof BodyRefused) return refuse(error.answer);
      // The connection broke while reading: the platform will retry.
      return refuse(NOTIFICATION_HTTP_ANSWERS.unreadable);
    }
    let raw: string;
    try {
      raw = decoder.decode(bytes);
    } catch {
      return refuse(NOTIFICATION_HTTP_ANSWERS.notUtf8);
    }
    let decision: NotificationDecision;
    try {
      decision = await handle(raw, options.onPaid, handleOptions);
    } catch {
      // `handle` answers every expected case itself; anything else is ours to retry, never SUCCESS.
      return refuse(NOTIFICATION_HTTP_ANSWERS.internal);
    }
    try {
      options.onDecision?.(decision, request);
    } catch {
      // A logging hook must not change what the platform is told.
    }
    return plain(decision.status, decision.body, { 'content-type': decision.contentType });
  };
}
