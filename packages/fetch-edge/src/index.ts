// @mmsp/fetch-edge — MMSP for edge runtimes (Cloudflare Workers, Vercel/Next.js edge, Deno, Bun):
// only fetch, Request/Response, Web Crypto and the pure codec. No node:* import anywhere.
export { createFetchClient, type FetchClientConfig, type FetchClient } from './fetch-client.js';
export { fetchTransport, provablyNotSent, type FetchTransportOptions, type FetchLike } from './fetch-transport.js';
export { webCryptoProvider } from './web-crypto-provider.js';
export {
  createNotificationHandler,
  type NotificationHandlerOptions,
  type NotificationCapableClient,
} from './notification-handler.js';
// A money-moving request whose outcome is unknown (issue #13): the class to catch, from the adapter too.
export { MmspOutcomeUnknownError } from '@mmsp/client';
