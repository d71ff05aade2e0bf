/**
 * Mounting the notification handler in Fastify. Fastify parses bodies before route handlers run
 * (JSON into an object, other types refused with 415), but a signature must be checked over the
 * raw text, so the route lives in its own encapsulated context whose only content-type parser keeps
 * the body as a string, with `bodyLimit` = `maxBodyBytes`. Other routes keep their parsers.
 *
 *   const app = Fastify();
 *   await fastifyNotificationRoute(app, '/mmsp/notify', { client, onPaid, store });
 *
 * By hand, the same is:
 *   app.register(async (scope) => {
 *     scope.removeAllContentTypeParsers();
 *     scope.addContentTypeParser('*', { parseAs: 'string', bodyLimit: 65536 }, (_req, body, done) => done(null, body));
 *     scope.post('/mmsp/notify', createNotificationHandler({ client, onPaid }));
 *   });
 */
import {
  createNotificationHandler,
  DEFAULT_MAX_BODY_BYTES,
  type NotificationHandlerOptions,
} from './notification-handler.js';

/** The part of a Fastify instance used here (Fastify itself is not a dependency). */
export interface FastifyInstanceLike {
  // `any`: Fastify's own instance type (generic, overloaded) is passed here without importing Fastify.
  /** Fastify's `register`: runs `plugin` in a new encapsulated context. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  register(plugin: (instance: any) => Promise<void>): unknown;
}
/**
 * The part of a Fastify encapsulated context (the `instance` a plugin receives) used to mount the
 * route: its content-type parsers and `post`. Fastify's own instance fits it.
 */
export interface FastifyScopeLike {
  /** Drops the context's content-type parsers (JSON among them), inherited ones included. */
  removeAllContentTypeParsers(): unknown;
  /** Adds the one parser that keeps every body as its raw text, up to `bodyLimit` bytes. */
  addContentTypeParser(
    type: string,
    options: { parseAs: 'string'; bodyLimit: number },
    parser: (req: unknown, body: string, done: (error: Error | null, body?: unknown) => void) => void,
  ): unknown;
  /** Declares the `POST` route. */
  post(path: string, handler: (request: never, reply: never) => void): unknown;
}

/**
 * Registers `POST path` answering the platform's pushed notifications (PROTOCOL §5) in Fastify.
 *
 * Fastify parses bodies before route handlers run (JSON into an object, other types refused with
 * 415), but a signature must be checked over the raw text, so the route lives in its own
 * encapsulated context whose only content-type parser keeps the body as a string, with `bodyLimit`
 * = `maxBodyBytes`. Other routes keep their parsers. The answers are {@link createNotificationHandler}'s.
 *
 * By hand, the same is:
 * `app.register(async (scope) => { scope.removeAllContentTypeParsers(); scope.addContentTypeParser('*', { parseAs: 'string', bodyLimit: 65536 }, (_req, body, done) => done(null, body)); scope.post('/mmsp/notify', createNotificationHandler(options)); })`.
 *
 * @param fastify - The Fastify instance (or any encapsulated context).
 * @param path - The route's path, e.g. `/mmsp/notify` (the path of the orders' `NOTIFY_URL`).
 * @param options - The receiver's options, as for {@link createNotificationHandler}.
 * @returns What `fastify.register` returns: await it (or `app.ready()`) before listening.
 * @throws MmspConfigError when the options are invalid (every problem listed).
 *
 * @example
 * ```ts
 * import Fastify from 'fastify';
 * import { fastifyNotificationRoute } from '@mmsp/http-node';
 *
 * const app = Fastify();
 * await fastifyNotificationRoute(app, '/mmsp/notify', {
 *   key: process.env.MMSP_KEY!,
 *   onPaid: async (event) => console.log('paid', event.merchantOrderId, event.amount),
 * });
 * await app.listen({ port: 8080 });
 * ```
 */
export function fastifyNotificationRoute(
  fastify: FastifyInstanceLike,
  path: string,
  options: NotificationHandlerOptions,
): unknown {
  const handler = createNotificationHandler(options);
  const bodyLimit = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  return fastify.register(async (instance) => {
    const scope = instance as FastifyScopeLike;
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'string', bodyLimit }, (_req, body, done) => done(null, body));
    scope.post(path, handler as (request: never, reply: never) => void);
  });
}
