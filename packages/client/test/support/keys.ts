/** Fresh RSA key pairs for the payout tests, made locally once per process (PROTOCOL §6: never the document's damaged sample keys). */
import { generateRsaKeyPair } from '@mmsp/codec';

let cached:
  | {
      merchant: { privateKeyPem: string; publicKeyPem: string };
      platform: { privateKeyPem: string; publicKeyPem: string };
    }
  | undefined;

export function testKeys() {
  cached ??= { merchant: generateRsaKeyPair(1024), platform: generateRsaKeyPair(1024) };
  return cached;
}

/** PROTOCOL §8: the document's test merchant. Good for tests and the sandbox, never for production. */
export const MERCHANT = {
  merchantNo: '001440353999853',
  terminalNo: '84970001',
  key: 'ea21842eea24e448b991b1cb0a0294cf',
} as const;
