/**
 * The notification receiver as Koa middleware. Like `fastifyNotificationRoute`, it only translates:
 * the raw body comes from Koa (a body parser's `ctx.request.rawBody`) or from `ctx.req` itself, and
 * the answer — the same status, body and headers as `createNotificationHandler`'s on node:http — is
 * set on `ctx` (`ctx.status`, headers, `ctx.body`), so Koa writes it and upstream middleware
 * (loggers, error handlers, timing headers) see it. Koa is not a dependency: only the small part of
 * its context used here is typed (`KoaContextLike`).
 *
 *   router.post('/mmsp/notify', koaNotificationMiddleware({ client, onPaid, store }));   // @koa/router
 *   const notify = koaNotificationMiddleware({ key, onPaid });
 *   app.use((ctx, next) => (ctx.path === '/mmsp/notify' ? notify(ctx, next) : next()));  // plain Koa
 *
 * Before or after a body parser: after `@koa/bodyparser` / `koa-bodyparser` the raw text they keep
 * (`ctx.request.rawBody`) is verified, after `koa-body` with `includeUnparsed: true` the text it keeps
 * under `Symbol.for('unparsedBody')`; types they do not parse are read from the stream.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { answerFor, precheck, resolveHandlerOptions, type NotificationHandlerOptions } from './notification-handler.js';
import { readBody, type BodyResult } from './read-body.js';

/** The part of a Koa context used here (Koa's own `Context` fits it; Koa itself is not a dependency). */
export interface KoaContextLike {
  /** The Node request: read as a stream when no body parser kept the raw text. */
  req: IncomingMessage & { rawBody?: unknown; body?: unknown };
  /** The Node response (only to close the connection after refusing a body that was too large or too slow). */
  res: ServerResponse;
  /** What a body parser left: `rawBody` (the text it read) and `body` (what it parsed). */
  request: { rawBody?: unknown; body?: unknown };
  /** The answer's HTTP status, set by the middleware. */
  status: number;
  /** The answer's body (`SUCCESS` or a short refusal), set by the middleware. */
  body: unknown;
  /** Sets an answer header (content type, `cache-control`, `allow`, …). */
  set(field: string, value: string): void;
}

/** Where `koa-body` (`includeUnparsed: true`) keeps the raw text on the parsed body. */
const UNPARSED_BODY = Symbol.for('unparsedBody');

/** `koa-body`'s raw copy of a parsed body, if any. */
function unparsedBody(request: KoaContextLike['request']): unknown {
  const body = request.body;
  return body !== null && typeof body === 'object' ? (body as Record<symbol, unknown>)[UNPARSED_BODY] : undefined;
}

/**
 * The middleware {@link koaNotificationMiddleware} returns: `(ctx, next?) => Promise<void>`. It is the
 * endpoint: it answers every request it is given and never calls `next`.
 */
export type KoaNotificationMiddleware = (ctx: KoaContextLike, next?: () => Promise<unknown>) => Promise<void>;

/**
 * Koa middleware answering the platform's pushed notifications (PROTOCOL §5). It is the endpoint: it
 * answers every request it is given and does not call `next` (mount it on the notification path).
 *
 * Like {@link fastifyNotificationRoute}, it only translates: the raw body comes from a body parser's
 * copy (`ctx.request.rawBody` after `@koa/bodyparser` / `koa-bodyparser`; after `koa-body` with
 * `includeUnparsed: true`, the text it keeps under `Symbol.for('unparsedBody')`) or from `ctx.req`
 * itself, and the answer — the same status, body and headers as {@link createNotificationHandler}'s
 * on node:http — is set on `ctx` (`ctx.status`, headers, `ctx.body`), so Koa writes it and upstream
 * middleware (loggers, error handlers, timing headers) see it. Koa is not a dependency: only the
 * part of its context used here is typed ({@link KoaContextLike}).
 *
 * @param options - The receiver's options, as for {@link createNotificationHandler}.
 * @throws MmspConfigError when the options are invalid (every problem listed).
 *
 * @example Koa, with a router or without
 * ```ts
 * import Koa from 'koa';
 * import Router from '@koa/router';
 * import { koaNotificationMiddleware } from '@mmsp/http-node';
 *
 * const notify = koaNotificationMiddleware({
 *   key: process.env.MMSP_KEY!,
 *   onPaid: async (event) => console.log('paid', event.merchantOrderId, event.amount),
 * });
 * const app = new Koa();
 * const router = new Router();
 * router.post('/mmsp/notify', notify);
 * app.use(router.routes());
 * // without a router: app.use((ctx, next) => (ctx.path === '/mmsp/notify' ? notify(ctx, next) : next()));
 * ```
 */
export function koaNotificationMiddleware(options: NotificationHandlerOptions): KoaNotificationMiddleware {
  const { receiver, handleOptions, maxBodyBytes, bodyTimeoutMs } = resolveHandlerOptions(options);

  /** The raw text: a body parser's copy (koa-body keeps it on the parsed body), else the stream, else a parsed envelope written back. */
  const bodyOf = (ctx: KoaContextLike): Promise<BodyResult> =>
    readBody(ctx.req, maxBodyBytes, bodyTimeoutMs, {
      rawBody: ctx.request.rawBody ?? unparsedBody(ctx.request),
      body: ctx.request.body,
    });

  return async function mmspNotification(ctx: KoaContextLike): Promise<void> {
    const req = ctx.req;
    let answer = precheck(req.method, req.headers['content-type']);
    if (answer) {
      if (!req.readableEnded) req.resume(); // discard the body, keep the connection usable
    } else {
      answer = await answerFor(await bodyOf(ctx), receiver, options, handleOptions);
      if (answer.headers.connection === 'close') ctx.res.once('finish', () => req.destroy());
    }
    ctx.status = answer.status;
    for (const name in answer.headers) ctx.set(name, answer.headers[name]!);
    ctx.body = answer.body; // a string, after content-type was set: Koa keeps that content type
  };
}
