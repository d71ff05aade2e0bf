/**
 * `createNodeClient(config)`: the `@mmsp/client` client wired to Node — the node:http(s) transport
 * (keep-alive, timeouts, size limit, TLS client certificate, proxy) and the OpenSSL crypto provider.
 * `config` is `createClient`'s configuration without `transport` and `crypto`, plus `http` for the
 * transport's options. Idle kept-alive sockets never hold the process open (Node unrefs them).
 */
import { MmspConfigError, createClient, validateConfig, type ClientConfig, type FieldIssue, type MmspClient } from '@mmsp/client';
import { nodeHttpTransport, type NodeTransport, type NodeTransportOptions } from './node-transport.js';
import { opensslCrypto } from './openssl-crypto.js';

export type NodeClientConfig = Omit<ClientConfig, 'transport' | 'crypto'> & {
  /** Options of the node:http(s) transport (timeouts, TLS client certificate, proxy, …). */
  http?: NodeTransportOptions;
};

const issuesOf = (fn: () => unknown): FieldIssue[] => {
  try {
    fn();
    return [];
  } catch (error) {
    if (error instanceof MmspConfigError) return error.issues;
    throw error;
  }
};

export function createNodeClient(config: NodeClientConfig): MmspClient {
  const { http, ...rest } = (config ?? {}) as NodeClientConfig;
  // The client's `timeoutMs` is the whole-call deadline; the transport's response timeout follows it unless set.
  const followDeadline = http?.responseTimeoutMs === undefined && Number.isSafeInteger(rest.timeoutMs) && (rest.timeoutMs ?? 0) > 0;
  const transportOptions = followDeadline ? { ...http, responseTimeoutMs: rest.timeoutMs! } : http;
  let transport: NodeTransport | undefined;
  // One error listing every problem, the transport's and the client's (issue #3).
  const issues = [
    ...issuesOf(() => (transport = nodeHttpTransport(transportOptions))),
    ...issuesOf(() => validateConfig({ ...rest, transport: transport ?? (async () => ({ status: 0, headers: {}, body: '' })), crypto: opensslCrypto })),
  ];
  if (issues.length > 0) {
    transport?.close();
    throw new MmspConfigError(issues);
  }
  return createClient({ ...rest, transport: transport!, crypto: opensslCrypto });
}
