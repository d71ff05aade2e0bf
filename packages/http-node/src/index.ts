// @mmsp/http-node — MMSP for Node: node:http transport, OpenSSL crypto, notification receiver.
export { createNodeClient } from './node-client.js';
export type { NodeClientConfig } from './node-client.js';
export { MMSP_DIAGNOSTICS_CHANNELS } from './diagnostics.js';
export { nodeHttpTransport } from './node-transport.js';
export type { NodeTransport, NodeTransportOptions, NodeTlsOptions } from './node-transport.js';
export { opensslCrypto } from './openssl-crypto.js';
export { createNotificationHandler, DEFAULT_MAX_BODY_BYTES } from './notification-handler.js';
export type { NotificationHandler, NotificationHandlerOptions } from './notification-handler.js';
export { fastifyNotificationRoute } from './fastify-route.js';
export type { FastifyInstanceLike, FastifyScopeLike } from './fastify-route.js';
export { koaNotificationMiddleware } from './koa-middleware.js';
export type { KoaContextLike, KoaNotificationMiddleware } from './koa-middleware.js';
// A money-moving request whose outcome is unknown (issue #13): the class to catch, from the adapter too.
export { MmspOutcomeUnknownError } from '@mmsp/client';
