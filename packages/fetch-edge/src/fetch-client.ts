/**
 * `createFetchClient(config)`: the `@mmsp/client` client over `fetch` and Web Crypto. All the
 * behaviour (validation, signing, never-resend, polling, notifications) is the client's; this
 * only supplies the transport and the crypto provider.
 */
import { createClientCore, type createClient } from '@mmsp/client';
import type { CryptoProvider } from '@mmsp/codec';
import { fetchTransport, type FetchLike, type FetchTransportOptions } from './fetch-transport.js';
import { webCryptoProvider } from './web-crypto-provider.js';

type ClientConfig = Parameters<typeof createClient>[0];

export type FetchClientConfig = Omit<ClientConfig, 'transport' | 'crypto'> & {
  /** The `fetch` to use; default the runtime's global `fetch`. */
  fetch?: FetchLike;
  /** Transport details (response size limit, extra headers). The deadline is the client's `timeoutMs`. */
  fetchOptions?: Omit<FetchTransportOptions, 'fetch'>;
  /** Default `webCryptoProvider`. */
  crypto?: CryptoProvider;
};

export type FetchClient = ReturnType<typeof createClient>;

export function createFetchClient(config: FetchClientConfig): FetchClient {
  const { fetch, fetchOptions, crypto, ...rest } = config ?? ({} as FetchClientConfig);
  // createClientCore, not createClient: the latter defaults to the codec's pureCrypto, whose RSA
  // code (node-forge) would then be in every Worker bundle (BENCHMARKS.md).
  return createClientCore(webCryptoProvider, {
    ...(rest as Omit<ClientConfig, 'transport' | 'crypto'>),
    transport: fetchTransport({ ...fetchOptions, ...(fetch ? { fetch } : {}), ...(rest.timeoutMs !== undefined ? { timeoutMs: rest.timeoutMs } : {}) }),
    crypto: crypto ?? webCryptoProvider,
  } as ClientConfig);
}
