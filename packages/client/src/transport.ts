import type { TransportIdentity } from './user-agent.js';

/** One POST the client asks a {@link Transport} to make. */
export interface TransportRequest {
  /** The family's endpoint URL (`ClientConfig.endpoints`). */
  url: string;
  /** Always `POST`. */
  method: 'POST';
  /**
   * Request headers: `content-type: application/json; charset=utf-8`, `accept` and `user-agent`
   * (`mmsp-sdk/<version> (<adapter>; <runtime>) [appInfo]`, issue #15).
   */
  headers: Record<string, string>;
  /** The exact wire text (an MD5 envelope, or a payout's `{ENCRYPT, SIGN}`): send it byte for byte. */
  body: string;
  /** Deadline of the whole exchange, in milliseconds (connect, send, complete response). */
  timeoutMs?: number;
  /** The caller's cancellation (`CallOptions.signal`). */
  signal?: AbortSignal;
}

/** What a {@link Transport} returns: the platform's HTTP answer, its body as text. */
export interface TransportResponse {
  /** HTTP status; a non-2xx status becomes an `MmspTransportError` that may have reached the platform. */
  status: number;
  /** Response headers, lower-case names. */
  headers: Record<string, string>;
  /** The response body as text (UTF-8), untouched: its signature is checked on these bytes. */
  body: string;
}

/**
 * The one thing an adapter must give the client: a function that POSTs text and returns text
 * (issue #3, contract). `@mmsp/http-node` gives one on node:http, `@mmsp/fetch-edge` one on fetch.
 *
 * A transport that fails should throw `MmspTransportError` saying whether the request may have
 * reached the platform (`mayHaveReachedPlatform`); anything else it throws is treated as "may have
 * reached", the safe assumption for payments (PROTOCOL §5, §6: query, never resend).
 *
 * @example
 * ```ts
 * import { MmspTransportError, type Transport } from '@mmsp/client';
 *
 * // A transport on the runtime's fetch (what @mmsp/fetch-edge does, with more care).
 * const transport: Transport = async (req) => {
 *   let res: Response;
 *   try {
 *     res = await fetch(req.url, { method: req.method, headers: req.headers, body: req.body, signal: req.signal ?? null });
 *   } catch (cause) {
 *     // fetch cannot tell whether the request left: assume it may have reached the platform.
 *     throw new MmspTransportError('the platform could not be reached', { mayHaveReachedPlatform: true, cause });
 *   }
 *   return { status: res.status, headers: Object.fromEntries(res.headers), body: await res.text() };
 * };
 * ```
 */
export interface Transport {
  (req: TransportRequest): Promise<TransportResponse>;
  /** Optional: the adapter and runtime named in the User-Agent (default `custom` and the detected runtime). */
  readonly identity?: TransportIdentity;
}
