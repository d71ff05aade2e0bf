// The client over a plain-fetch transport, pointed at a running sandbox.
import { createClient, MmspTransportError, type MmspClient, type Transport } from '@mmsp/client';
import type { Sandbox } from '../src/index.js';

/** A plain Transport on fetch: a failed fetch may have reached the platform. */
export const fetchTransport: Transport = async (req) => {
  let res: Response;
  try {
    res = await fetch(req.url, {
      method: 'POST',
      headers: req.headers,
      body: req.body,
      signal: req.signal ?? AbortSignal.timeout(req.timeoutMs ?? 10_000),
    });
    const headers: Record<string, string> = {};
    res.headers.forEach((value, name) => {
      headers[name] = value;
    });
    return { status: res.status, headers, body: await res.text() };
  } catch (cause) {
    throw new MmspTransportError(`fetch ${req.url} failed`, { mayHaveReachedPlatform: true, cause });
  }
};

const quiet = { debug() {}, info() {}, warn() {}, error() {} };

export function clientFor(sb: Sandbox, overrides: { key?: string; timeoutMs?: number } = {}): MmspClient {
  const m = sb.merchant;
  return createClient({
    merchantNo: m.merchantNo,
    terminalNo: m.terminalNo,
    key: overrides.key ?? m.key,
    endpoints: m.endpoints,
    payout: { platformPublicKey: m.platformPublicKey, merchantPrivateKey: m.merchantPrivateKey },
    transport: fetchTransport,
    logger: quiet,
    ...(overrides.timeoutMs ? { timeoutMs: overrides.timeoutMs } : {}),
  });
}
