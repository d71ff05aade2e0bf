/**
 * The client's `Transport` over the WHATWG `fetch` (the global one, or one passed in: undici's,
 * a Workers service binding's `fetch`, a proxying fetch).
 *
 * What `fetch` lets us know about "did the request reach the platform?" (the rule of PROTOCOL §6 /
 * issue #3: an unknown outcome is settled by a query, never by a resend) is limited: every
 * network failure is the same `TypeError`, and runtimes differ in what they attach. So
 * `mayHaveReachedPlatform` is `false` only when we can prove nothing left this process:
 *   - the URL is invalid, or the caller's signal was already aborted before `fetch` was called;
 *   - the runtime reports a failure that happens before any byte is sent: DNS failure or
 *     connection refused (Node/undici `cause.code` ECONNREFUSED / ENOTFOUND / EAI_AGAIN /
 *     UND_ERR_CONNECT_TIMEOUT; Bun `code` ConnectionRefused / FailedToOpenSocket; Deno
 *     "Connection refused" / "dns error" in the message).
 * Everything else — a timeout, a reset, workerd's "Network connection lost", an unknown error —
 * is `true`. A refused TLS handshake is reported as "may have reached" on purpose: we cannot tell
 * it apart from a reset after the request was written on every runtime.
 */
import { MmspTransportError } from '@mmsp/codec';
import { anySignal, detectRuntime, type Transport } from '@mmsp/client';
import { readStreamLimited } from './read-stream.js';

/** The signature of WHATWG `fetch` used by the transport: the global one, undici's, a Workers service binding's, a proxying fetch. */
export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** Options of {@link fetchTransport} (`fetchOptions` and `fetch` of {@link createFetchClient}); all optional. */
export interface FetchTransportOptions {
  /** The `fetch` to use; default `globalThis.fetch` (looked up at call time, so polyfills and test servers work). */
  fetch?: FetchLike;
  /** Default deadline for one request (connect + send + full response body), ms. The client's `timeoutMs` wins. Default 30 000. */
  timeoutMs?: number;
  /** Largest response body read, bytes. Default 1 MiB (platform answers are a few hundred bytes). */
  maxResponseBytes?: number;
  /** Extra headers for every request (e.g. a proxy's auth). The client's own headers win. */
  headers?: Record<string, string>;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_RESPONSE_BYTES = 1 << 20;

const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EAI_NONAME',
  'UND_ERR_CONNECT_TIMEOUT',
  'ConnectionRefused',
  'FailedToOpenSocket',
  'ENETUNREACH',
  'EHOSTUNREACH',
]);
const NOT_SENT_MESSAGES =
  /connection refused|dns error|failed to lookup address|name or service not known|unable to connect/i;

/**
 * Walks `error.cause` chains looking for a runtime's "never connected" signal: Node/undici
 * `cause.code` ECONNREFUSED / ENOTFOUND / EAI_AGAIN / UND_ERR_CONNECT_TIMEOUT, Bun `code`
 * ConnectionRefused / FailedToOpenSocket, Deno's "Connection refused" / "dns error" messages.
 * `true` means the request provably never left (`mayHaveReachedPlatform: false`).
 */
export function provablyNotSent(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 5; depth++) {
    const { code, message, cause } = e as { code?: unknown; message?: unknown; cause?: unknown };
    if (typeof code === 'string' && NOT_SENT_CODES.has(code)) return true;
    if (typeof message === 'string' && NOT_SENT_MESSAGES.test(message)) return true;
    e = cause;
  }
  return false;
}

async function readLimited(response: Response, limit: number): Promise<string> {
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (declared > limit) throw new RangeError(`response body of ${declared} bytes exceeds maxResponseBytes ${limit}`);
  const read = await readStreamLimited(response.body, limit);
  if (!('bytes' in read)) throw new RangeError(`response body exceeds maxResponseBytes ${limit}`);
  return new TextDecoder('utf-8').decode(read.bytes);
}

function describe(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

/**
 * The client's `Transport` over the WHATWG `fetch` (the global one, or one passed in). POSTs with
 * `redirect: 'manual'` (a 30x is never replayed as a GET), a deadline per request and a response size limit.
 *
 * What `fetch` lets us know about "did the request reach the platform?" (PROTOCOL §6: an unknown
 * outcome is settled by a query, never by a resend) is limited: every network failure is the same
 * `TypeError`, and runtimes differ in what they attach. So `MmspTransportError.mayHaveReachedPlatform`
 * is `false` only when nothing provably left this process: an invalid URL, a caller's signal aborted
 * before `fetch` was called, or a failure the runtime labels as happening before any byte was sent
 * (DNS failure, connection refused: see {@link provablyNotSent}). Everything else — a timeout, a
 * reset, workerd's "Network connection lost", a refused TLS handshake, an unknown error — is `true`.
 *
 * The client's `user-agent` header (`mmsp-sdk/<version> (fetch-edge; <runtime>)`, issue #15) is
 * sent as is in Node, Deno, Bun, workerd and Vercel's edge runtime. In a browser it is left out:
 * browsers send their own User-Agent (Chromium silently drops a script's), and no
 * `x-…-user-agent` header is sent instead, since a custom header would add a CORS preflight.
 *
 * @param options - `fetch`, `timeoutMs`, `maxResponseBytes`, extra `headers`.
 *
 * @example
 * ```ts
 * import { createClientCore } from '@mmsp/client';
 * import { fetchTransport, webCryptoProvider } from '@mmsp/fetch-edge';
 *
 * declare const env: { MMSP_KEY: string };
 * const client = createClientCore(webCryptoProvider, {
 *   merchantNo: '001440353999853', terminalNo: '84970001', key: env.MMSP_KEY,
 *   endpoints: { gateway: 'https://pay.example.com/gateway' },
 *   transport: fetchTransport({ maxResponseBytes: 256 * 1024, headers: { 'x-proxy-auth': 'token' } }),
 * });
 * ```
 */
export function fetchTransport(options: FetchTransportOptions = {}): Transport {
  const maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const extraHeaders = options.headers ?? {};
  const runtime = detectRuntime();
  const inBrowser = runtime === 'browser';
  const transport: Transport = async (req) => {
    const doFetch: FetchLike | undefined =
      options.fetch ?? (globalThis.fetch?.bind(globalThis) as FetchLike | undefined);
    if (!doFetch)
      throw new MmspTransportError('No fetch in this runtime: pass `fetch` to fetchTransport.', {
        mayHaveReachedPlatform: false,
      });
    let url: URL;
    try {
      url = new URL(req.url);
    } catch (cause) {
      throw new MmspTransportError('The endpoint URL is invalid.', { mayHaveReachedPlatform: false, cause });
    }
    if (req.signal?.aborted) {
      throw new MmspTransportError('Aborted by the caller before sending.', {
        mayHaveReachedPlatform: false,
        cause: req.signal.reason,
      });
    }
    const timeoutMs = req.timeoutMs ?? options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const timeout = AbortSignal.timeout(timeoutMs);
    const { signal, dispose } = anySignal(req.signal ? [req.signal, timeout] : [timeout]);
    try {
      let response: Response;
      try {
        response = await doFetch(url.href, {
          method: req.method,
          headers: inBrowser
            ? withoutUserAgent({ ...extraHeaders, ...req.headers })
            : { ...extraHeaders, ...req.headers },
          body: req.body,
          signal,
          // A 30x to a POST would be replayed as a GET by `follow`: the client sees the 30x instead.
          redirect: 'manual',
        });
      } catch (cause) {
        if (timeout.aborted) {
          throw new MmspTransportError(
            `No response within ${timeoutMs} ms; the request may have reached the platform.`,
            { mayHaveReachedPlatform: true, cause },
          );
        }
        if (req.signal?.aborted) {
          throw new MmspTransportError('Aborted by the caller; the request may have reached the platform.', {
            mayHaveReachedPlatform: true,
            cause,
          });
        }
        const notSent = provablyNotSent(cause);
        throw new MmspTransportError(
          notSent
            ? `Could not connect to ${url.host} (${describe(cause)}); nothing was sent.`
            : `The request to ${url.host} failed (${describe(cause)}); it may have reached the platform.`,
          { mayHaveReachedPlatform: !notSent, cause },
        );
      }
      let body: string;
      try {
        body = await readLimited(response, maxResponseBytes);
      } catch (cause) {
        const why = timeout.aborted ? `not complete within ${timeoutMs} ms` : describe(cause);
        throw new MmspTransportError(`The response from ${url.host} could not be read (${why}).`, {
          mayHaveReachedPlatform: true,
          status: response.status,
          cause,
        });
      }
      const headers: Record<string, string> = {};
      response.headers.forEach((value, name) => {
        headers[name.toLowerCase()] = value;
      });
      return { status: response.status, headers, body };
    } finally {
      dispose();
    }
  };
  return Object.assign(transport, { identity: { adapter: 'fetch-edge', runtime } });
}

function withoutUserAgent(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (name.toLowerCase() !== 'user-agent') out[name] = value;
  return out;
}
