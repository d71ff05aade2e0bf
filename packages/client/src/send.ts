/**
 * One HTTP exchange through the injected transport, with the client's timeout. Whatever goes
 * wrong comes out as `MmspTransportError` saying whether the request may have reached the
 * platform: only a transport that knows it did not (and says so) gets `false` (PROTOCOL §6: an
 * unknown outcome is settled by a query, never by a resend).
 */
import { MmspTransportError } from '@mmsp/codec';
import type { Transport, TransportRequest, TransportResponse } from './transport.js';

export interface SendOptions {
  timeoutMs: number;
  /** The `user-agent` header (user-agent.ts), computed once per client. */
  userAgent?: string;
  signal?: AbortSignal;
}

export async function send(transport: Transport, url: string, body: string, options: SendOptions): Promise<TransportResponse> {
  const outer = options.signal;
  if (outer?.aborted) {
    throw new MmspTransportError('the request was aborted before it was sent', { mayHaveReachedPlatform: false });
  }
  // The transport's signal is made when the transport first reads `request.signal` (the http-node
  // and fetch transports do, at once): a transport that never looks costs no AbortController.
  // Whatever aborted before that (the timeout, the caller) is carried into the signal it gets.
  let controller: AbortController | undefined;
  let abortedBefore: { reason: unknown } | undefined;
  const abort = (reason?: unknown) => {
    if (controller !== undefined) controller.abort(reason);
    else abortedBefore ??= { reason };
  };
  const onOuterAbort = () => abort(outer?.reason);
  outer?.addEventListener('abort', onOuterAbort, { once: true });
  const request: TransportRequest = {
    url,
    method: 'POST',
    // A fresh object per request (a transport may add to it), without a spread.
    headers: options.userAgent !== undefined
      ? { 'content-type': 'application/json; charset=utf-8', accept: 'application/json, text/plain, */*', 'user-agent': options.userAgent }
      : { 'content-type': 'application/json; charset=utf-8', accept: 'application/json, text/plain, */*' },
    body,
    timeoutMs: options.timeoutMs,
    get signal(): AbortSignal {
      if (controller === undefined) {
        controller = new AbortController();
        if (abortedBefore !== undefined) controller.abort(abortedBefore.reason);
      }
      return controller.signal;
    },
  };
  let timer: ReturnType<typeof setTimeout> | undefined;
  let response: TransportResponse;
  try {
    // One promise settled by whichever comes first, the transport or the one timer.
    response = await new Promise<TransportResponse>((resolve, reject) => {
      timer = setTimeout(() => {
        abort();
        reject(new MmspTransportError(`no response within ${options.timeoutMs} ms: the request may have reached the platform`, { mayHaveReachedPlatform: true }));
      }, options.timeoutMs);
      // A transport that throws synchronously rejects this promise, as an async one would.
      Promise.resolve(transport(request)).then(resolve, reject);
    });
  } catch (error) {
    if (error instanceof MmspTransportError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new MmspTransportError(`transport failed (${message}): the request may have reached the platform`, { mayHaveReachedPlatform: true, cause: error });
  } finally {
    clearTimeout(timer);
    outer?.removeEventListener('abort', onOuterAbort);
  }
  if (response === null || typeof response !== 'object' || typeof response.body !== 'string' || typeof response.status !== 'number') {
    throw new MmspTransportError('the transport returned no { status, body }: the request may have reached the platform', { mayHaveReachedPlatform: true });
  }
  if (response.status < 200 || response.status > 299) {
    throw new MmspTransportError(`HTTP ${response.status} from the platform`, { mayHaveReachedPlatform: true, status: response.status });
  }
  return response;
}
