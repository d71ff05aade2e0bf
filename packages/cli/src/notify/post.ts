// One POST of a notification (raw JSON body, like the platform's push: PROTOCOL §5), with a timeout.
import { anySignal } from '@mmsp/client';

export interface PostResult {
  status?: number;
  body?: string;
  error?: string;
}

export async function post(url: URL, text: string, timeoutMs: number, signal?: AbortSignal): Promise<PostResult> {
  const combined = anySignal([AbortSignal.timeout(timeoutMs), ...(signal ? [signal] : [])]);
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', 'user-agent': 'mmsp-cli' },
      body: text,
      signal: combined.signal,
      redirect: 'manual',
    });
    return { status: res.status, body: await res.text() };
  } catch (err) {
    const e = err as { name?: string; cause?: { code?: string; message?: string } };
    if (e.name === 'TimeoutError') return { error: `no answer within ${timeoutMs} ms` };
    if (e.name === 'AbortError') return { error: 'stopped' };
    return { error: e.cause?.code ?? e.cause?.message ?? 'request failed' };
  } finally {
    combined.dispose();
  }
}

/** Waits `ms`; resolves false when `signal` aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve(false);
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    const onAbort = (): void => {
      clearTimeout(t);
      resolve(false);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
