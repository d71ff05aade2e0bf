/**
 * createNodeClient: createClient's configuration plus `http`, wired to the node:http transport and
 * the OpenSSL provider; one error lists every problem; secrets never printed.
 */
import { generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { MmspConfigError, MmspTransportError } from '@mmsp/client';
import { createNodeClient } from '../src/index.js';
import { MERCHANT } from './support/notifications.js';

const { privateKey } = generateKeyPairSync('rsa', {
  modulusLength: 1024,
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
});

describe('createNodeClient', () => {
  it('reports bad transport options and bad client configuration at construction, never printing a secret', () => {
    const error = (() => {
      try {
        createNodeClient({
          ...MERCHANT,
          terminalNo: '',
          endpoints: { scan: 'http://127.0.0.1:9/scan' },
          http: { connectTimeoutMs: -5, tls: { key: 'client-key-secret' } },
        });
      } catch (e) {
        return e;
      }
    })() as MmspConfigError;
    expect(error).toBeInstanceOf(MmspConfigError);
    expect(error.issues.map((i) => i.field)).toEqual(['http.connectTimeoutMs', 'http.tls.cert', 'terminalNo']);
    expect(error.message).not.toContain('client-key-secret');
    expect(error.message).not.toContain(MERCHANT.key);
  });

  it('prints neither the MD5 key nor the private key', () => {
    const client = createNodeClient({
      ...MERCHANT,
      endpoints: { scan: 'http://127.0.0.1:9/scan' },
      payout: { platformPublicKey: 'x'.repeat(80), merchantPrivateKey: privateKey },
    });
    for (const text of [JSON.stringify(client), inspect(client, { depth: 5 })]) {
      expect(text).not.toContain(MERCHANT.key);
      expect(text).not.toContain(privateKey.slice(40, 80));
    }
  });

  it("applies the client's timeoutMs to the whole call: a server that never answers is a 'may have reached' timeout", async () => {
    const server = createServer(() => undefined);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/scan`;
    const client = createNodeClient({
      ...MERCHANT,
      endpoints: { scan: url },
      timeoutMs: 300,
      logger: { debug() {}, info() {}, warn() {}, error() {} } as never,
    });
    const started = Date.now();
    const error = await client.scan
      .wechatOrder({
        TRADETYPE: '1',
        AMT: '100',
        MERORDERID: 'T1',
        GOODSNAME: 'g',
        NOTIFY_URL: 'http://127.0.0.1:9/n',
      } as never)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MmspTransportError);
    expect((error as MmspTransportError).mayHaveReachedPlatform).toBe(true);
    expect(Date.now() - started).toBeLessThan(5_000);
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });
});
