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

/**
 * What {@link createFetchClient} takes: `createClient`'s configuration (`merchantNo` = `MERNO`,
 * `terminalNo` = `TERMNO`, the MD5 `key`, `agentNo`/`agentKey` for agency mode, `endpoints`,
 * `payout` keys, `timeoutMs`, `logger`, `sendLedger`; PROTOCOL §2, §3, §6) without `transport`, plus the `fetch`
 * to use, the transport's details and an optional crypto provider.
 */
export type FetchClientConfig = Omit<ClientConfig, 'transport' | 'crypto'> & {
  /** The `fetch` to use; default the runtime's global `fetch`. */
  fetch?: FetchLike;
  /** Transport details (response size limit, extra headers). The deadline is the client's `timeoutMs`. */
  fetchOptions?: Omit<FetchTransportOptions, 'fetch'>;
  /** Default `webCryptoProvider`. */
  crypto?: CryptoProvider;
};

/** The client {@link createFetchClient} returns: `@mmsp/client`'s `MmspClient` (`payout`, `quickPay`, `scan`, `gateway`, `call`, `notifications`). */
export type FetchClient = ReturnType<typeof createClient>;

/**
 * The `@mmsp/client` client over `fetch` and Web Crypto, for edge runtimes (Cloudflare Workers,
 * Vercel / Next.js edge, Deno, Bun) and anywhere without Node built-ins. All the behaviour —
 * validation, signing the PHP way (PROTOCOL §3), never resending a payment or payout whose outcome
 * is unknown (PROTOCOL §6), polling, notifications — is the client's; this only supplies the
 * transport ({@link fetchTransport}) and the crypto provider ({@link webCryptoProvider}), so a Worker
 * bundle carries no `pureCrypto`.
 *
 * @param config - `createClient`'s configuration, plus `fetch`, `fetchOptions` and `crypto`.
 * @throws MmspConfigError when the configuration is invalid (every problem listed, never a secret's value).
 *
 * @example
 * ```ts
 * import { createFetchClient } from '@mmsp/fetch-edge';
 *
 * declare const env: { MMSP_KEY: string }; // e.g. a Workers secret binding
 * const mmsp = createFetchClient({
 *   merchantNo: '001440353999853',
 *   terminalNo: '84970001',
 *   key: env.MMSP_KEY,
 *   endpoints: { scan: 'https://pay.example.com/scan' },
 *   timeoutMs: 15_000, // the whole call: connect, send and the complete response
 * });
 * const order = await mmsp.scan.wechatOrder({
 *   TRADETYPE: '1', AMT: '100', MERORDERID: 'ORD20250101000001', GOODSNAME: 'book',
 *   NOTIFY_URL: 'https://shop.example.com/mmsp/notify',
 * });
 * console.log(order.state, order.body);
 * ```
 */
export function createFetchClient(config: FetchClientConfig): FetchClient {
  const { fetch, fetchOptions, crypto, ...rest } = config ?? ({} as FetchClientConfig);
  // createClientCore, not createClient: the latter defaults to the codec's pureCrypto, which a
  // Worker bundle would then carry beside the Web Crypto provider it actually uses.
  return createClientCore(webCryptoProvider, {
    ...(rest as Omit<ClientConfig, 'transport' | 'crypto'>),
    transport: fetchTransport({
      ...fetchOptions,
      ...(fetch ? { fetch } : {}),
      ...(rest.timeoutMs !== undefined ? { timeoutMs: rest.timeoutMs } : {}),
    }),
    crypto: crypto ?? webCryptoProvider,
  } as ClientConfig);
}
