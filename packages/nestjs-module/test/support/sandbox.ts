/** The real sandbox (@mmsp/sandbox) on loopback, and the module options for its test merchant. */
import { startSandbox, type Sandbox, type SandboxMerchant } from '@mmsp/sandbox';
import type { MmspModuleOptions } from '../../src/index.js';

export const quietLogger = { debug() {}, info() {}, warn() {}, error() {} };

export async function sandboxWithMerchant(): Promise<{ sandbox: Sandbox; merchant: SandboxMerchant }> {
  // timeScale compresses the notification retry schedule (PROTOCOL §5): 1 s → 1 ms.
  const sandbox = await startSandbox({ port: 0, timeScale: 0.001, payoutDelayMs: 50, micropayDelayMs: 50 });
  const response = await fetch(`${sandbox.url}/_sandbox/merchant`);
  if (!response.ok) throw new Error(`GET /_sandbox/merchant answered ${response.status}`);
  return { sandbox, merchant: (await response.json()) as SandboxMerchant };
}

/** The `MmspModule` options for the sandbox's test merchant (the @mmsp/http-node client configuration). */
export function optionsFor(merchant: SandboxMerchant, extra: Partial<MmspModuleOptions> = {}): MmspModuleOptions {
  return {
    merchantNo: merchant.merchantNo,
    terminalNo: merchant.terminalNo,
    key: merchant.key,
    endpoints: merchant.endpoints,
    payout: { platformPublicKey: merchant.platformPublicKey, merchantPrivateKey: merchant.merchantPrivateKey },
    timeoutMs: 5_000,
    logger: quietLogger,
    ...extra,
  };
}

let seq = 0;
export const orderId = (prefix: string): string => `${prefix}${Date.now() % 1e9}${++seq}`;
export const digitsId = (): string => `${Date.now()}${String(++seq).padStart(4, '0')}`;

export async function until<T>(what: string, probe: () => T | undefined | false, timeoutMs = 10_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
