/**
 * The notification receiver as a WHATWG handler: `(request: Request) => Promise<Response>`.
 * Works unchanged as a Workers `fetch` handler, a Next.js route handler (`export const POST`),
 * a Hono route (`(c) => handler(c.req.raw)`), `Deno.serve(handler)` and `Bun.serve({ fetch })`.
 *
 * This file only translates. Every decision (verify, claim in the store, run `onPaid` once,
 * `SUCCESS` only after it resolved, 4xx for a bad signature, 5xx so the platform retries) is made
 * by `@mmsp/client` (`notifications.handle`), exactly as in the Node receiver (NOTES §5).
 * The adapter's own checks are about HTTP: method, body size, UTF-8.
 */
import { createNotificationReceiver, MemoryNotificationStore } from '@mmsp/client';
import type { NotificationStore, PaidEvent, NotificationDecision } from '@mmsp/client';
import type { SignOptions } from '@mmsp/codec';

type HandleOptions = NonNullable<Parameters<ReturnType<typeof createNotificationReceiver>['handle']>[2]>;

/** Anything with the client's `notifications.handle` (a `createClient` / `createFetchClient` client). */
export interface NotificationCapableClient {
  notifications: { handle: ReturnType<typeof createNotificationReceiver>['handle'] };
}

interface CommonOptions {
  /** Runs once per notification, after the signature verified. `SUCCESS` is answered only after it resolved. */
  onPaid: (event: PaidEvent) => unknown;
  /**
   * Decides "once". Default: one in-memory store per handler — per isolate on Workers / Deno
   * Deploy, so with several isolates or instances pass a shared store (e.g. `@mmsp/store-redis`
   * through a fetch-based Redis, or one backed by a Durable Object).
   */
  store?: NotificationStore;
  claimTtlMs?: number;
  /** The amount (fen, string) the merchant expects for the event's order; a mismatch is rejected (NOTES §5). */
  expectAmount?: HandleOptions['expectAmount'];
  /** Largest accepted body, bytes (413 beyond). Default 64 KiB; a notification is well under 2 KiB. */
  maxBodyBytes?: number;
  /** Called with every decision (logging, metrics). Never receives a secret. */
  onDecision?: (decision: NotificationDecision, request: Request) => void;
}

export type NotificationHandlerOptions = CommonOptions &
  (
    | { client: NotificationCapableClient; key?: never }
    | { key: string; agentKey?: string; signOptions?: SignOptions; client?: never }
  );

const DEFAULT_MAX_BODY_BYTES = 64 * 1024;
const TEXT = 'text/plain; charset=utf-8';

function plain(status: number, body: string, extra: Record<string, string> = {}): Response {
  return new Response(body, { status, headers: { 'content-type': TEXT, ...extra } });
}

class BodyTooLarge extends Error {}

async function readBody(request: Request, limit: number): Promise<Uint8Array> {
  const declared = Number(request.headers.get('content-length') ?? Number.NaN);
  if (declared > limit) throw new BodyTooLarge();
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel().catch(() => undefined);
      throw new BodyTooLarge();
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.byteLength;
  }
  return out;
}

export function createNotificationHandler(options: NotificationHandlerOptions): (request: Request) => Promise<Response> {
  if (!options || typeof options.onPaid !== 'function') {
    throw new TypeError('createNotificationHandler: `onPaid` must be a function (it runs once per paid notification).');
  }
  const handle: NotificationCapableClient['notifications']['handle'] = options.client
    ? options.client.notifications.handle.bind(options.client.notifications)
    : (() => {
        if (typeof options.key !== 'string' || options.key === '') {
          throw new TypeError('createNotificationHandler: pass `client` or the MD5 `key` (non-empty string).');
        }
        const receiver = createNotificationReceiver({ key: options.key, agentKey: options.agentKey, signOptions: options.signOptions });
        return receiver.handle.bind(receiver);
      })();
  const store = options.store ?? new MemoryNotificationStore();
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

  return async (request: Request): Promise<Response> => {
    // The platform POSTs the envelope as the raw body (NOTES §5).
    if (request.method !== 'POST') return plain(405, 'method not allowed', { allow: 'POST' });
    let raw: string;
    try {
      raw = decoder.decode(await readBody(request, maxBodyBytes));
    } catch (error) {
      if (error instanceof BodyTooLarge) return plain(413, 'notification body too large');
      if (error instanceof TypeError && /decod|utf-?8|encoded data/i.test(error.message)) return plain(400, 'notification body is not UTF-8');
      // The connection broke while reading: the platform will retry.
      return plain(400, 'notification body could not be read');
    }
    let decision: NotificationDecision;
    try {
      decision = await handle(raw, options.onPaid, {
        store,
        ...(options.claimTtlMs !== undefined ? { claimTtlMs: options.claimTtlMs } : {}),
        ...(options.expectAmount ? { expectAmount: options.expectAmount } : {}),
      });
    } catch {
      // `handle` answers every expected case itself; anything else is ours to retry, never SUCCESS.
      return plain(500, 'FAIL internal error');
    }
    try {
      options.onDecision?.(decision, request);
    } catch {
      // A logging hook must not change what the platform is told.
    }
    return plain(decision.status, decision.body, { 'content-type': decision.contentType });
  };
}
