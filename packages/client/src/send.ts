/**
 * One HTTP exchange through the injected transport, with the client's timeout. Whatever goes
 * wrong comes out as `MmspTransportError` saying whether the request may have reached the
 * platform: only a transport that knows it did not (and says so) gets `false` (PROTOCOL §6: an
 * unknown outcome is settled by a query, never by a resend).
 */
import { MmspTransportError } from '@mmsp/codec';
import type { Transport, TransportResponse } from './transport.js';

export interface SendOptions {
  timeoutMs: number;
  /** The `user-agent` header (user-agent.ts), computed once per client. */
  userAgent?: string;
  signal?: AbortSignal;
}

export async function send(transport: Transport, url: string, body: string, options: SendOptions): Promise<TransportResponse> {
  const controller = new AbortController();
  const outer = options.signal;
  const onOuterAbort = () => controller.abort(outer?.reason);
  if (outer?.aborted) {
    throw new MmspTransportError('the request was aborted before it was sent', { mayHaveReachedPlatform: false });
  }
  outer?.addEventListener('abort', onOuterAbort, { once: true });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new MmspTransportError(`no response within ${options.timeoutMs} ms: the request may have reached the platform`, { mayHaveReachedPlatform: true }));
    }, options.timeoutMs);
  });
  let response: TransportResponse;
  try {
    response = await Promise.race([
      transport({
        url,
        method: 'POST',
        headers: {
          'content-type': 'application/json; charset=utf-8',
          accept: 'application/json, text/plain, */*',
          ...(options.userAgent !== undefined ? { 'user-agent': options.userAgent } : {}),
        },
        body,
        timeoutMs: options.timeoutMs,
        signal: controller.signal,
      }),
      timeout,
    ]);
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
