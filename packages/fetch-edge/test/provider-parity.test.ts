import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { pureCrypto } from '@mmsp/codec';
import { webCryptoProvider } from '../src/web-crypto-provider.js';
import { makeOpensslKeys } from './openssl-keys.js';

// webCryptoProvider and the codec's pureCrypto must be interchangeable (crypto-provider.ts):
// deterministic operations byte-identical, PKCS#1 v1.5 encryption (randomised) decrypted across.
describe('webCryptoProvider ≡ pureCrypto', () => {
  const keys = makeOpensslKeys(1024);

  it('SHA1withRSA: identical signatures, each verifies the other (PKCS#8 and PKCS#1 keys)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 400 }), fc.boolean(), async (data, pkcs1) => {
        const priv = pkcs1 ? keys.pkcs1Pem : keys.pkcs8Pem;
        const pub = pkcs1 ? keys.pkcs1PublicPem : keys.spkiPem;
        const web = await webCryptoProvider.sha1WithRsaSign(priv, data);
        const pure = pureCrypto.sha1WithRsaSign(priv, data);
        expect(web).toEqual(pure);
        expect(await webCryptoProvider.sha1WithRsaVerify(pub, data, pure)).toBe(true);
        expect(pureCrypto.sha1WithRsaVerify(pub, data, web)).toBe(true);
      }),
      { numRuns: 30 },
    );
  });

  it('verification agrees on altered signatures', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 1, maxLength: 100 }),
        fc.nat(127),
        fc.integer({ min: 1, max: 255 }),
        async (data, at, flip) => {
          const sig = pureCrypto.sha1WithRsaSign(keys.pkcs8Pem, data);
          sig[at] = sig[at]! ^ flip;
          const web = await webCryptoProvider.sha1WithRsaVerify(keys.spkiPem, data, sig);
          expect(web).toBe(pureCrypto.sha1WithRsaVerify(keys.spkiPem, data, sig));
          expect(web).toBe(false);
        },
      ),
      { numRuns: 30 },
    );
  });

  it('MD5 identical; RSA blocks decrypt across providers', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 117 }), async (block) => {
        expect(webCryptoProvider.md5(block)).toEqual(pureCrypto.md5(block));
        const c1 = await webCryptoProvider.rsaEncryptBlock(keys.spkiPem, block);
        expect(pureCrypto.rsaDecryptBlock(keys.pkcs8Pem, c1)).toEqual(block);
        const c2 = pureCrypto.rsaEncryptBlock(keys.pkcs1PublicPem, block);
        expect(await webCryptoProvider.rsaDecryptBlock(keys.pkcs1Pem, c2)).toEqual(block);
      }),
      { numRuns: 30 },
    );
  });
});
