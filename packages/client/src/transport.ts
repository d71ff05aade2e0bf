/**
 * The one thing an adapter must give the client: a function that POSTs text and returns text
 * (issue #3, contract). `@mmsp/http-node` gives one on node:http, `@mmsp/fetch-edge` one on fetch.
 *
 * A transport that fails should throw `MmspTransportError` saying whether the request may have
 * reached the platform (`mayHaveReachedPlatform`); anything else it throws is treated as "may have
 * reached", the safe assumption for payments (PROTOCOL §5, §6: query, never resend).
 */
export interface TransportRequest {
  url: string;
  method: 'POST';
  headers: Record<string, string>;
  body: string;
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface TransportResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export type Transport = (req: TransportRequest) => Promise<TransportResponse>;
