/** A client wired to a memory platform, with a recording logger and instant sleeps. */
import type { CryptoProvider } from '@mmsp/codec';
import { createClient } from '../../src/client.js';
import type { ClientRuntime } from '../../src/engine.js';
import type { Logger } from '../../src/logger.js';
import type { SendLedger } from '../../src/send-ledger.js';
import { ENDPOINTS, createMemoryPlatform } from './memory-platform.js';
import { MERCHANT, testKeys } from './keys.js';

export interface LogLine {
  level: string;
  message: string;
  meta?: Record<string, unknown>;
}

export function harness(
  options: {
    runtime?: ClientRuntime;
    agent?: boolean;
    timeoutMs?: number;
    crypto?: CryptoProvider;
    platformCrypto?: CryptoProvider;
    sendLedger?: SendLedger;
  } = {},
) {
  const keys = testKeys();
  const agent = options.agent ? { agentNo: 'A0001', agentKey: 'agent-secret-key-0123456789abcdef' } : {};
  const platform = createMemoryPlatform({
    ...MERCHANT,
    ...agent,
    platformPrivateKey: keys.platform.privateKeyPem,
    merchantPublicKey: keys.merchant.publicKeyPem,
    ...(options.platformCrypto ? { crypto: options.platformCrypto } : {}),
  });
  const lines: LogLine[] = [];
  const logger: Logger = Object.fromEntries(
    (['debug', 'info', 'warn', 'error'] as const).map((level) => [
      level,
      (message: string, meta?: Record<string, unknown>) => lines.push({ level, message, ...(meta ? { meta } : {}) }),
    ]),
  );
  let clock = Date.UTC(2026, 10, 26, 2, 0, 0);
  const runtime: ClientRuntime = {
    now: () => new Date(clock),
    sleep: async (ms) => {
      clock += ms;
    },
    random: () => 0.5,
    ...options.runtime,
  };
  const config = {
    ...MERCHANT,
    ...agent,
    endpoints: { ...ENDPOINTS },
    payout: { platformPublicKey: keys.platform.publicKeyPem, merchantPrivateKey: keys.merchant.privateKeyPem },
    transport: platform.transport,
    timeoutMs: options.timeoutMs ?? 2_000,
    ...(options.crypto ? { crypto: options.crypto } : {}),
    logger,
    ...(options.sendLedger ? { sendLedger: options.sendLedger } : {}),
  };
  const client = createClient(config, runtime);
  /** Another client on the same platform (another instance, or the same process restarted). */
  const another = (over: { sendLedger?: SendLedger } = {}) => createClient({ ...config, ...over }, runtime);
  return { client, platform, lines, keys, another, advance: (ms: number) => (clock += ms) };
}
