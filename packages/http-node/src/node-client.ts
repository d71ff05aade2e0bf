/**
 * `createNodeClient(config)`: the `@mmsp/client` client wired to Node — the node:http(s) transport
 * (keep-alive, timeouts, size limit, TLS client certificate, proxy) and the OpenSSL crypto provider.
 * `config` is `createClient`'s configuration without `transport` and `crypto`, plus `http` for the
 * transport's options. Idle kept-alive sockets never hold the process open (Node unrefs them).
 */
import { createClient, type ClientConfig, type MmspClient } from '@mmsp/client';
import { nodeHttpTransport, type NodeTransportOptions } from './node-transport.js';
import { opensslCrypto } from './openssl-crypto.js';

export type NodeClientConfig = Omit<ClientConfig, 'transport' | 'crypto'> & {
  /** Options of the node:http(s) transport (timeouts, TLS client certificate, proxy, …). */
  http?: NodeTransportOptions;
};

export function createNodeClient(config: NodeClientConfig): MmspClient {
  const { http, ...rest } = (config ?? {}) as NodeClientConfig;
  // The client's `timeoutMs` is the whole-call deadline; the transport's response timeout follows it unless set.
  const followDeadline = http?.responseTimeoutMs === undefined && Number.isSafeInteger(rest.timeoutMs) && (rest.timeoutMs ?? 0) > 0;
  const transport = nodeHttpTransport(followDeadline ? { ...http, responseTimeoutMs: rest.timeoutMs! } : http);
  return createClient({ ...rest, transport, crypto: opensslCrypto });
}
