/**
 * `createNotificationHandler(...)`: the platform's pushed notifications (PROTOCOL §5) for node:http,
 * Express and Fastify. This file only translates between Node and `@mmsp/client`: it reads the raw
 * body (size limit, content type, UTF-8) and writes the client's `NotificationDecision`. What to
 * answer and when to run `onPaid` (verify, amount check, claim/commit through the store, SUCCESS
 * only after the handler resolved) is decided by `client.notifications.handle`.
 *
 *   http.createServer(createNotificationHandler({ key, onPaid }))           // node:http
 *   app.post('/mmsp/notify', createNotificationHandler({ client, onPaid }))  // Express (before body parsers)
 *   await fastifyNotificationRoute(app, '/mmsp/notify', { client, onPaid })  // Fastify (fastify-route.ts)
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  MmspConfigError,
  createNotificationReceiver,
  DEFAULT_NOTIFICATION_MAX_BODY_BYTES,
  NOTIFICATION_HTTP_ANSWERS,
  notificationEndpointIssues,
  notificationRequestProblem,
  type HandleOptions,
  type Logger,
  type MmspHooks,
  type NotificationDecision,
  type NotificationReceiver,
  type PaidHandler,
  type SignOptions,
} from '@mmsp/client';
import { diagnosticsHooks } from './diagnostics.js';
import { readBody, readBodyThen, type BodyResult } from './read-body.js';

/**
 * Options of the Node notification receiver ({@link createNotificationHandler},
 * {@link fastifyNotificationRoute}, {@link koaNotificationMiddleware}): who verifies (a `client`, or
 * the merchant's MD5 `key`), what runs on a paid notification (`onPaid`), where "handled once" is
 * recorded (`store`), and the HTTP limits. Checked at construction: one `MmspConfigError` lists
 * every problem, never a key's value.
 */
export interface NotificationHandlerOptions {
  /** A client from `createNodeClient`/`createClient` (its key verifies)… */
  client?: { notifications: Pick<NotificationReceiver, 'handle'> };
  /** …or just the MD5 key of the merchant (PROTOCOL §3), when no client is given. */
  key?: string;
  /** Agency mode: the agent's MD5 key, which takes priority over the merchant's (PROTOCOL §3). Only with `key`. */
  agentKey?: string;
  /** How the Body is encoded for the signature (PHP's `json_encode` flags; default `/` escaped, PROTOCOL §3). Only with `key`. */
  signOptions?: SignOptions;
  /** Runs once per order and notification; SUCCESS is answered only after it resolved. */
  onPaid: PaidHandler;
  /** Claims and commits (default: in memory, one process). Use @mmsp/store-redis or -postgres for several instances. */
  store?: HandleOptions['store'];
  /** How long a claim holds if the process dies inside `onPaid`, in ms (default 60 000); the platform's next retry then claims again. While `onPaid` runs, the claim is extended every `claimTtlMs / 3`. */
  claimTtlMs?: number;
  /** How long `onPaid` may run, in ms (default 60 000); then the platform is answered 500 (it retries) and the claim released. */
  handlerTimeoutMs?: number;
  /** The fen amount the merchant expects for the order (a tampered amount is refused). */
  expectAmount?: HandleOptions['expectAmount'];
  /** Largest body accepted, in bytes (default 64 KiB; notifications are about 1 KiB). */
  maxBodyBytes?: number;
  /** Time allowed to receive the whole body once the handler starts reading it (default 10 000 ms; then 408). */
  bodyTimeoutMs?: number;
  /** Called with every decision (metrics, audit logs). Never receives the key. */
  onDecision?: (decision: NotificationDecision) => void;
  /**
   * With `key` only: where the receiver's warnings go (a rejected notification, a failing handler),
   * redacted; default `console`. `{}` silences it. With `client`, the client's own logger is used
   * (issue #13 item 9).
   */
  logger?: Logger;
  /**
   * With `key` only: `onNotification` with every decision's facts (issue #15); the receiver also
   * publishes them on `mmsp:notification` while someone subscribes. With `client`, the client's own
   * `hooks` (and, for a `createNodeClient` client, its channels) see the notifications.
   */
  hooks?: Pick<MmspHooks, 'onNotification'>;
}

type NodeRequest = IncomingMessage & { rawBody?: unknown; body?: unknown };
type Next = (error?: unknown) => void;

/** The shape of a Fastify request/reply pair, without importing Fastify. */
interface FastifyLikeRequest {
  raw: IncomingMessage;
  headers: IncomingMessage['headers'];
  method: string;
  body?: unknown;
  rawBody?: unknown;
}
interface FastifyLikeReply {
  raw: ServerResponse;
  code(status: number): FastifyLikeReply;
  header(name: string, value: string): FastifyLikeReply;
  send(body: string): unknown;
}

/**
 * The receiver {@link createNotificationHandler} returns: one function that is at once a node:http
 * request listener, an Express/Connect handler (`next` receives only an unexpected failure) and a
 * Fastify route handler (`(request, reply)`). It answers every request itself.
 */
export type NotificationHandler = {
  (req: IncomingMessage, res: ServerResponse, next?: Next): void;
  (req: FastifyLikeRequest, reply: FastifyLikeReply): void;
};

/** Largest notification body accepted unless `maxBodyBytes` says otherwise: 64 KiB (a notification is about 1 KiB); larger ones get 413. */
export const DEFAULT_MAX_BODY_BYTES = DEFAULT_NOTIFICATION_MAX_BODY_BYTES;

interface Answer {
  status: number;
  body: string;
  headers: Record<string, string>;
}

/** The headers of every answer without extra ones (shared: node:http only reads them). */
const PLAIN_HEADERS: Record<string, string> = Object.freeze({
  'content-type': 'text/plain; charset=utf-8',
  'cache-control': 'no-store',
}) as Record<string, string>;

const plain = (status: number, body: string, extra?: Record<string, string>): Answer => ({
  status,
  body,
  headers: extra === undefined ? PLAIN_HEADERS : { ...PLAIN_HEADERS, ...extra },
});

/** The answer to a notification handled now or before (PROTOCOL §5: the platform stops at `SUCCESS`). */
const SUCCESS_ANSWER: Answer = Object.freeze(plain(200, 'SUCCESS'));

/** node:http's form of an answer's headers: a flat name/value list with the length, so the body goes out in one piece, not chunked. */
const headList = (answer: Answer): string[] => [
  ...Object.entries(answer.headers).flat(),
  'content-length',
  String(Buffer.byteLength(answer.body)),
];
const SUCCESS_HEAD = Object.freeze(headList(SUCCESS_ANSWER)) as string[];

/** The answer for a decision of `notifications.handle`. */
function answerOf(decision: NotificationDecision): Answer {
  if (
    decision.status === 200 &&
    decision.body === SUCCESS_ANSWER.body &&
    decision.contentType === PLAIN_HEADERS['content-type']
  )
    return SUCCESS_ANSWER;
  return plain(
    decision.status,
    decision.body,
    decision.contentType === PLAIN_HEADERS['content-type'] ? undefined : { 'content-type': decision.contentType },
  );
}

/**
 * `notifications.handle` without its promise, which `@mmsp/client`'s receivers offer under this
 * name: the decision itself when the store and `onPaid` answered synchronously.
 */
const DECIDE_NOW = Symbol.for('@mmsp/client:notifications.decideNow');
type DecideNow = (
  rawText: string,
  onPaid: PaidHandler,
  options?: HandleOptions,
) => NotificationDecision | Promise<NotificationDecision>;

const isPromiseLike = (value: unknown): value is PromiseLike<NotificationDecision> =>
  typeof (value as { then?: unknown } | null)?.then === 'function';

export function resolveHandlerOptions(options: NotificationHandlerOptions): {
  receiver: Pick<NotificationReceiver, 'handle'>;
  /** What `receiver.handle` is given with every notification. */
  handleOptions: HandleOptions;
  maxBodyBytes: number;
  bodyTimeoutMs: number;
} {
  const o = (options ?? {}) as NotificationHandlerOptions;
  const { issues, maxBodyBytes } = notificationEndpointIssues(o);
  const bodyTimeoutMs = o.bodyTimeoutMs ?? 10_000;
  if (!Number.isSafeInteger(bodyTimeoutMs) || bodyTimeoutMs <= 0)
    issues.push({
      field: 'bodyTimeoutMs',
      rule: 'positiveInteger',
      message: 'bodyTimeoutMs must be a positive integer',
    });
  if (issues.length > 0) throw new MmspConfigError(issues);
  const receiver = o.client
    ? o.client.notifications
    : createNotificationReceiver({
        key: o.key!,
        ...(o.agentKey !== undefined ? { agentKey: o.agentKey } : {}),
        ...(o.signOptions ? { signOptions: o.signOptions } : {}),
        ...(o.logger ? { logger: o.logger } : {}),
        // `hooks.onNotification`, and `mmsp:notification` while someone subscribes (issue #15).
        hooks: diagnosticsHooks(o.hooks),
      });
  const handleOptions: HandleOptions = {
    ...(o.store ? { store: o.store } : {}),
    ...(o.claimTtlMs !== undefined ? { claimTtlMs: o.claimTtlMs } : {}),
    ...(o.handlerTimeoutMs !== undefined ? { handlerTimeoutMs: o.handlerTimeoutMs } : {}),
    ...(o.expectAmount ? { expectAmount: o.expectAmount } : {}),
  };
  return { receiver, handleOptions, maxBodyBytes, bodyTimeoutMs };
}

/** From raw text (or a refusal of the body) to the answer: the client decides. */
export async function answerFor(
  body: BodyResult,
  receiver: Pick<NotificationReceiver, 'handle'>,
  options: NotificationHandlerOptions,
  handleOptions: HandleOptions,
): Promise<Answer> {
  if (!body.ok) return plain(body.status, body.message, body.closeConnection ? { connection: 'close' } : undefined);
  let decision: NotificationDecision;
  try {
    decision = await receiver.handle(body.text, options.onPaid, handleOptions);
  } catch {
    return internalError();
  }
  observe(options, decision);
  return answerOf(decision);
}

function observe(options: NotificationHandlerOptions, decision: NotificationDecision): void {
  try {
    options.onDecision?.(decision);
  } catch {
    // an observer never changes the answer
  }
}

const internalError = (): Answer =>
  plain(NOTIFICATION_HTTP_ANSWERS.internal.status, NOTIFICATION_HTTP_ANSWERS.internal.body);

/**
 * The last Content-Type accepted with POST: the platform sends the same header every time, so the
 * next request is recognised by one string comparison (the rule is a pure function of the two).
 */
let acceptedContentType: string | undefined;

/** Checks that do not need the body: method and content type. */
export function precheck(method: string | undefined, contentType: string | string[] | undefined): Answer | undefined {
  if (method === 'POST' && contentType === acceptedContentType && contentType !== undefined) return undefined;
  const problem = notificationRequestProblem({ method, contentType });
  if (problem === undefined && typeof contentType === 'string') acceptedContentType = contentType;
  return problem && plain(problem.status, problem.body, problem.headers);
}

function isFastify(req: unknown, res: unknown): res is FastifyLikeReply {
  const r = res as Partial<FastifyLikeReply> | undefined;
  return (
    typeof (req as FastifyLikeRequest | undefined)?.raw === 'object' &&
    typeof r?.raw === 'object' &&
    typeof r?.send === 'function'
  );
}

function writeNode(res: ServerResponse, answer: Answer): void {
  if (res.headersSent) return;
  res.writeHead(answer.status, answer === SUCCESS_ANSWER ? SUCCESS_HEAD : headList(answer));
  res.end(answer.body);
}

/** Writing the answer failed unexpectedly: Express's `next`, else a 500 if nothing was written yet. */
function failed(res: ServerResponse, next: Next | undefined, error: unknown): void {
  if (next) next(error);
  else writeNode(res, internalError());
}

/** Writes the answer; a refusal that asked for it closes the connection once written. */
function answerNode(req: IncomingMessage, res: ServerResponse, answer: Answer): void {
  writeNode(res, answer);
  if (answer.headers.connection === 'close') res.once('finish', () => req.destroy());
}

/**
 * The receiver of the platform's pushed payment notifications (PROTOCOL §5) for node:http, Express
 * and Fastify: the platform POSTs the signed envelope as the raw body to the order's `NOTIFY_URL`
 * and retries until the answer starts with `SUCCESS`.
 *
 * This handler only translates between Node and `@mmsp/client`: it reads the raw body itself (size
 * limit → 413, a body that trickles in → 408, UTF-8 only; content types `application/json`,
 * `text/plain`, `application/x-www-form-urlencoded` or none, others → 415; methods other than POST →
 * 405) and writes back the decision of `client.notifications.handle`, which verifies the signature,
 * checks the amount, claims the notification in the `store` and answers `SUCCESS` (200) only after
 * `onPaid` resolved (or for a duplicate); 400 for a bad signature, a malformed body or an amount
 * mismatch (`onPaid` not run); 409 while another delivery holds the claim; 500 or 503 when `onPaid`
 * or the store failed, so the platform retries. Mount it before body parsers when you can; behind
 * Express's or Fastify's JSON parser the parsed envelope is written back as JSON and verified.
 *
 * @param options - Who verifies (`client` or `key`), `onPaid`, `store` and the HTTP limits.
 * @returns One function for node:http, Express and Fastify alike.
 * @throws MmspConfigError when the options are invalid (every problem listed).
 *
 * @example node:http
 * ```ts
 * import http from 'node:http';
 * import { createNotificationHandler } from '@mmsp/http-node';
 *
 * const handler = createNotificationHandler({
 *   key: process.env.MMSP_KEY!, // or `client: createNodeClient(…)`
 *   onPaid: async (event) => {
 *     // runs once per paid order; `SUCCESS` is answered only after it resolved
 *     console.log('paid', event.family, event.merchantOrderId, event.amount); // amount: fen, string
 *   },
 * });
 * http.createServer(handler).listen(8080);
 * ```
 *
 * @example Express (before or after body parsers)
 * ```ts
 * import express from 'express';
 * import { createNodeClient, createNotificationHandler } from '@mmsp/http-node';
 *
 * const mmsp = createNodeClient({
 *   merchantNo: '001440353999853', terminalNo: '84970001', key: process.env.MMSP_KEY!,
 *   endpoints: { scan: 'https://pay.example.com/scan' },
 * });
 * const app = express();
 * app.post('/mmsp/notify', createNotificationHandler({
 *   client: mmsp,
 *   onPaid: (event) => console.log('paid', event.merchantOrderId),
 *   expectAmount: (event) => (event.merchantOrderId === 'ORD20250101000001' ? '100' : undefined),
 * }));
 * ```
 *
 * @example Fastify, as a route handler (fastifyNotificationRoute keeps the raw text)
 * ```ts
 * import Fastify from 'fastify';
 * import { createNotificationHandler } from '@mmsp/http-node';
 *
 * const app = Fastify();
 * app.post('/mmsp/notify', createNotificationHandler({ key: process.env.MMSP_KEY!, onPaid: () => {} }));
 * ```
 */
export function createNotificationHandler(options: NotificationHandlerOptions): NotificationHandler {
  const { receiver, handleOptions, maxBodyBytes, bodyTimeoutMs } = resolveHandlerOptions(options);
  const decideNow = (receiver as { [DECIDE_NOW]?: DecideNow })[DECIDE_NOW];

  const handler = (
    req: NodeRequest | FastifyLikeRequest,
    res: ServerResponse | FastifyLikeReply,
    next?: Next,
  ): void => {
    if (isFastify(req, res)) {
      const freq = req as FastifyLikeRequest;
      const early = precheck(freq.method, freq.headers['content-type']);
      const answer: Promise<Answer> = early
        ? Promise.resolve(early)
        : readBody(freq.raw as NodeRequest, maxBodyBytes, bodyTimeoutMs, freq).then((b) =>
            answerFor(b, receiver, options, handleOptions),
          );
      void answer.then((answer) => {
        let reply = res.code(answer.status);
        for (const [name, value] of Object.entries(answer.headers)) reply = reply.header(name, value);
        reply.send(answer.body);
      });
      return;
    }
    const nreq = req as NodeRequest;
    const nres = res as ServerResponse;
    const early = precheck(nreq.method, nreq.headers['content-type']);
    if (early) {
      nreq.resume(); // discard the body, keep the connection usable
      writeNode(nres, early);
      return;
    }
    readBodyThen(nreq, maxBodyBytes, bodyTimeoutMs, (body) => {
      try {
        if (!body.ok)
          return answerNode(
            nreq,
            nres,
            plain(body.status, body.message, body.closeConnection ? { connection: 'close' } : undefined),
          );
        let decided: NotificationDecision | Promise<NotificationDecision>;
        try {
          decided =
            decideNow !== undefined
              ? decideNow(body.text, options.onPaid, handleOptions)
              : receiver.handle(body.text, options.onPaid, handleOptions);
        } catch {
          return answerNode(nreq, nres, internalError());
        }
        // The in-memory store and a synchronous onPaid decide at once: answered in this turn, no promise.
        if (!isPromiseLike(decided)) return respond(nreq, nres, decided);
        decided
          .then(
            (decision) => respond(nreq, nres, decision),
            () => answerNode(nreq, nres, internalError()),
          )
          .then(undefined, (error: unknown) => failed(nres, next, error));
      } catch (error) {
        failed(nres, next, error);
      }
    });
  };
  const respond = (req: IncomingMessage, res: ServerResponse, decision: NotificationDecision): void => {
    observe(options, decision);
    answerNode(req, res, answerOf(decision));
  };
  return handler as NotificationHandler;
}
