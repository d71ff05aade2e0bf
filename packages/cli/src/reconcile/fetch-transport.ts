// The client's Transport for the CLI: Node's fetch, with a timeout. A failure may have reached the
// platform (only queries are sent by `mmsp reconcile`, so that never matters for money).
import { anySignal, MmspTransportError, type Transport } from '@mmsp/client';

export function fetchTransport(defaultTimeoutMs: number, signal?: AbortSignal): Transport {
  return async (req) => {
    const timeout = AbortSignal.timeout(req.timeoutMs ?? defaultTimeoutMs);
    const combined = anySignal([timeout, ...(req.signal ? [req.signal] : []), ...(signal ? [signal] : [])]);
    let res: Response;
    try {
      res = await fetch(req.url, { method: 'POST', headers: req.headers, body: req.body, signal: combined.signal });
      const headers: Record<string, string> = {};
      res.headers.forEach((value, name) => {
        headers[name] = value;
      });
      return { status: res.status, headers, body: await res.text() };
    } catch (cause) {
      const why = timeout.aborted ? `no answer within ${req.timeoutMs ?? defaultTimeoutMs} ms` : 'connection failed';
      throw new MmspTransportError(`POST ${new URL(req.url).origin}: ${why}`, { mayHaveReachedPlatform: true, cause });
    } finally {
      combined.dispose();
    }
  };
}
