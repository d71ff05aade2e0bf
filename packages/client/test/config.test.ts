import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { MmspConfigError } from '@mmsp/codec';
import { validateConfig } from '../src/config.js';

const SECRET = 'ea21842eea24e448b991b1cb0a0294cf';
const PRIVATE =
  '-----BEGIN PRIVATE KEY-----\nMIICdQIBADANBgkqhkiG9w0BAQEFAASCAl8wggJbAgEAAoGBAL-not-a-real-key-but-secret\n-----END PRIVATE KEY-----';
const transport = async () => ({ status: 200, headers: {}, body: '' });

function errorOf(fn: () => unknown): MmspConfigError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(MmspConfigError);
    return error as MmspConfigError;
  }
  throw new Error('expected an MmspConfigError');
}

describe('validateConfig', () => {
  it('accepts a complete configuration', () => {
    const c = validateConfig({
      merchantNo: '001440353999853',
      terminalNo: '84970001',
      key: SECRET,
      endpoints: { scan: 'https://pay.example.com/api' },
      transport,
    });
    expect(c.merchantNo).toBe('001440353999853');
  });

  it('lists every problem at once, naming fields and rules, never a secret value', () => {
    const error = errorOf(() =>
      validateConfig({
        merchantNo: '',
        terminalNo: '849700011234',
        key: 42,
        agentNo: 'A1',
        endpoints: { scan: 'ftp://x', quickpay: 'https://x' },
        payout: { platformPublicKey: 'nope', merchantPrivateKey: SECRET },
        transport: 'http',
        timeoutMs: -1,
        endpoint: {},
      }),
    );
    const fields = error.issues.map((i) => `${i.field}:${i.rule}`).sort();
    expect(fields).toEqual(
      [
        'merchantNo:type',
        'terminalNo:maxLength',
        'key:type',
        'agentKey:together',
        'endpoints.scan:url',
        'endpoints.quickpay:unknown',
        'payout.platformPublicKey:format',
        'payout.merchantPrivateKey:format',
        'transport:type',
        'timeoutMs:range',
        'endpoint:unknown',
      ].sort(),
    );
    expect(error.message).not.toContain(SECRET);
    expect(JSON.stringify(error.issues)).not.toContain(SECRET);
  });

  it('accepts every endpoint without payout keys (keys are needed only by payout calls), and never prints a private key', () => {
    // The sandbox's GET /_sandbox/merchant `endpoints` lists all four families; a scan-only client
    // built from it must construct (test/contract-config.test.ts: a payout call then fails unsent).
    expect(() =>
      validateConfig({
        merchantNo: 'M1',
        terminalNo: 'T1',
        key: SECRET,
        endpoints: { quickPay: 'https://x/q', scan: 'https://x/s', gateway: 'https://x/g', payout: 'https://x/payout' },
        transport,
      }),
    ).not.toThrow();
    const error2 = errorOf(() =>
      validateConfig({
        merchantNo: 'M1',
        terminalNo: 'T1',
        key: '',
        endpoints: {},
        payout: { platformPublicKey: PRIVATE, merchantPrivateKey: PRIVATE },
        transport,
      }),
    );
    expect(error2.issues.map((i) => `${i.field}:${i.rule}`).sort()).toEqual([
      'key:type',
      'payout.platformPublicKey:format',
    ]);
    expect(inspect(error2, { depth: 10 })).not.toContain('not-a-real-key');
  });

  it('rejects a non-object', () => {
    expect(errorOf(() => validateConfig(null)).issues[0]!.field).toBe('config');
  });

  it('checks the crypto provider shape', () => {
    const error = errorOf(() =>
      validateConfig({
        merchantNo: 'M1',
        terminalNo: 'T1',
        key: SECRET,
        endpoints: {},
        transport,
        crypto: { name: 'x', md5: () => new Uint8Array() },
      }),
    );
    expect(error.issues.map((i) => i.field)).toEqual([
      'crypto.randomBytes',
      'crypto.rsaEncryptBlock',
      'crypto.rsaDecryptBlock',
      'crypto.sha1WithRsaSign',
      'crypto.sha1WithRsaVerify',
    ]);
  });
});
