import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { webCryptoProvider } from '../src/web-crypto-provider.js';
import { makeOpensslKeys, openssl, writeTemp } from './openssl-keys.js';

// SHA1withRSA through Web Crypto, judged by the openssl CLI (PROTOCOL §6): the same bytes signed by
// `openssl dgst -sha1 -sign` give the same signature (PKCS#1 v1.5 signing is deterministic), and
// each side verifies the other's.
describe('webCryptoProvider SHA1withRSA against OpenSSL', () => {
  const keys = makeOpensslKeys(1024);
  let n = 0;

  const opensslSign = (data: Uint8Array) => {
    const path = writeTemp(keys.dir, `data-${n++}.bin`, data);
    return new Uint8Array(openssl(['dgst', '-sha1', '-sign', keys.pkcs8Path, path]));
  };
  const opensslVerify = (data: Uint8Array, signature: Uint8Array) => {
    const path = writeTemp(keys.dir, `data-${n++}.bin`, data);
    const sig = writeTemp(keys.dir, `sig-${n++}.bin`, signature);
    try {
      openssl(['dgst', '-sha1', '-verify', keys.spkiPath, '-signature', sig, path]);
      return true;
    } catch {
      return false;
    }
  };

  it('signs byte-identically to openssl with PKCS#8 and PKCS#1 private keys, and openssl verifies it', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 600 }), async (data) => {
        const expected = opensslSign(data);
        const viaPkcs8 = await webCryptoProvider.sha1WithRsaSign(keys.pkcs8Pem, data);
        const viaPkcs1 = await webCryptoProvider.sha1WithRsaSign(keys.pkcs1Pem, data);
        expect(viaPkcs8).toEqual(expected);
        expect(viaPkcs1).toEqual(expected);
        expect(opensslVerify(data, viaPkcs8)).toBe(true);
      }),
      { numRuns: 25 },
    );
  });

  it('verifies openssl signatures with SPKI and PKCS#1 public keys and rejects tampered ones', async () => {
    const data = new TextEncoder().encode('{"AMT":"100","ORDERNO":"20261126000001","BUSIYPE":"1"}');
    const signature = opensslSign(data);
    expect(await webCryptoProvider.sha1WithRsaVerify(keys.spkiPem, data, signature)).toBe(true);
    expect(await webCryptoProvider.sha1WithRsaVerify(keys.pkcs1PublicPem, data, signature)).toBe(true);
    const tamperedData = data.slice();
    tamperedData[5] = tamperedData[5]! ^ 1;
    expect(await webCryptoProvider.sha1WithRsaVerify(keys.spkiPem, tamperedData, signature)).toBe(false);
    const tamperedSig = signature.slice();
    tamperedSig[10] = tamperedSig[10]! ^ 0x80;
    expect(await webCryptoProvider.sha1WithRsaVerify(keys.spkiPem, data, tamperedSig)).toBe(false);
    expect(await webCryptoProvider.sha1WithRsaVerify(keys.spkiPem, data, signature.slice(1))).toBe(false);
  });

  it("rejects a wrong key with the codec key reader's error naming the key and the rule, not the key", async () => {
    const swapped = webCryptoProvider.sha1WithRsaSign(keys.spkiPem, new Uint8Array(1));
    await expect(swapped).rejects.toThrow(/privateKey: PEM type "PUBLIC KEY" is not accepted here/);
    await expect(swapped).rejects.not.toThrow(keys.spkiPem.split('\n')[1]!);
    await expect(
      webCryptoProvider.sha1WithRsaVerify('not a key', new Uint8Array(1), new Uint8Array(128)),
    ).rejects.toThrow(/publicKey: neither PEM/);
  });

  it('randomBytes gives the requested length, beyond the 65 536-byte getRandomValues limit too', () => {
    expect(webCryptoProvider.randomBytes(0)).toHaveLength(0);
    const big = webCryptoProvider.randomBytes(70_000);
    expect(big).toHaveLength(70_000);
    expect(big.subarray(65_536).some((b) => b !== 0)).toBe(true);
  });
});
