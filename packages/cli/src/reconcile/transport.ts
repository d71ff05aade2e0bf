// The client's Transport for `mmsp reconcile`: @mmsp/http-node's node:http transport (the CLI runs on
// Node), with the run's signal (Ctrl-C) added to each request's. The answer deadline is the
// client's `timeoutMs` (`--timeout`), which every request carries. A failure may have reached the
// platform (only queries are sent by `mmsp reconcile`, so that never matters for money).
import { anySignal, type Transport } from '@mmsp/client';
import { nodeHttpTransport, type NodeTransport } from '@mmsp/http-node';

export function reconcileTransport(runSignal?: AbortSignal): NodeTransport {
  const node = nodeHttpTransport();
  if (runSignal === undefined) return node;
  const send: Transport = async (req) => {
    const combined = anySignal(req.signal !== undefined ? [req.signal, runSignal] : [runSignal]);
    try {
      return await node({
        url: req.url,
        method: req.method,
        headers: req.headers,
        body: req.body,
        ...(req.timeoutMs !== undefined ? { timeoutMs: req.timeoutMs } : {}),
        signal: combined.signal,
      });
    } finally {
      combined.dispose();
    }
  };
  return Object.assign(send, { identity: node.identity, close: () => node.close() });
}
