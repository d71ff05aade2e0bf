import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { RUNTIMES, startRuntime, type RunningRuntime } from './runtime/harness.js';
import { makeOpensslKeys, openssl, writeTemp } from './openssl-keys.js';
import { ciphertextVectors, md5Vectors, signatureVectors } from '../../codec/test/fixtures/provider-vectors.js';

// On each real runtime, webCryptoProvider's SHA1withRSA (crypto.subtle) gives OpenSSL's bytes for
// PKCS#8 and PKCS#1 keys, verifies OpenSSL's signature and refuses a tampered message; the codec's
// pure MD5 and RSA PKCS#1 v1.5 encryption run there too.
const keys = makeOpensslKeys(1024);
const data = new TextEncoder().encode('{"AMT":"100","BUSIYPE":"1","NAME":"张三","ORDERNO":"20261126000001"}');
const opensslSignature = new Uint8Array(
  openssl(['dgst', '-sha1', '-sign', keys.pkcs8Path, writeTemp(keys.dir, 'ci-data.bin', data)]),
);
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

describe.each(RUNTIMES)('webCryptoProvider on %s', (runtime) => {
  let running: RunningRuntime;
  beforeAll(async () => {
    running = await startRuntime(runtime, {}, 'crypto');
  });
  afterAll(async () => {
    await running?.stop();
  });

  it('the shared provider vectors (openssl CLI) hold for pureCrypto and webCryptoProvider in the runtime', async () => {
    const res = await fetch(`${running.url}/vectors`);
    const text = await res.text();
    expect(res.status, `${runtime} answered: ${text}\n${running.output()}`).toBe(200);
    const result = JSON.parse(text) as { checks: number; failures: string[] };
    expect(result.failures).toEqual([]);
    // Two providers × (every digest + every signature made with 2 key forms and verified with 3 + every ciphertext decrypted with 2).
    expect(result.checks).toBe(2 * (md5Vectors.length + signatureVectors.length * 5 + ciphertextVectors.length * 2));
  }, 120_000);

  it.each([
    ['PKCS#8 / SPKI', keys.pkcs8Pem, keys.spkiPem],
    ['PKCS#1 / PKCS#1', keys.pkcs1Pem, keys.pkcs1PublicPem],
  ])(
    '%s keys: OpenSSL-identical signature, verification both ways, MD5, RSA round trip',
    async (_label, privateKeyPem, publicKeyPem) => {
      const res = await fetch(`${running.url}/crypto`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ privateKeyPem, publicKeyPem, data: b64(data), opensslSignature: b64(opensslSignature) }),
      });
      const text = await res.text();
      expect(res.status, `${runtime} answered: ${text}\n${running.output()}`).toBe(200);
      const result = JSON.parse(text) as Record<string, unknown>;
      expect(result).toEqual({
        signature: b64(opensslSignature),
        verifiesOpenssl: true,
        verifiesTampered: false,
        md5: createHash('md5').update(data).digest('hex'),
        rsaRoundTrip: true,
        cipherBytes: 128,
      });
    },
  );
});
