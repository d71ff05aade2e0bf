/**
 * The codec's `CryptoProvider` on Web Crypto, for runtimes without node:crypto (workerd, Deno,
 * Bun, Vercel edge, browsers). Only the primitive operations are the runtime's:
 *
 * - SHA1withRSA sign / verify: `crypto.subtle` RSASSA-PKCS1-v1_5 over SHA-1 (PROTOCOL §6), keys
 *   read by the codec's key reader (`@mmsp/codec/rsa`) and imported as PKCS#8 / SPKI DER.
 * - RSA PKCS#1 v1.5 *encryption* / decryption: Web Crypto only offers RSA-OAEP, so the codec's
 *   BigInt RSA and PKCS#1 v1.5 do it (the same code as `pureCrypto`).
 * - MD5: Web Crypto has none; the codec's own `Md5` (the one every signature uses).
 * - randomBytes: `crypto.getRandomValues`.
 *
 * Parsed and imported keys are cached by the provider object itself. Byte-identical to
 * `pureCrypto` and the OpenSSL provider: test/provider-contract.test.ts.
 */
import { Md5, MmspConfigError, type CryptoProvider } from '@mmsp/codec';
import {
  pkcs1v15Decrypt,
  pkcs1v15Encrypt,
  RsaKeyRing,
  rsaPrivateKeyDer,
  rsaPublicKeyDer,
  type RsaKeyKind,
} from '@mmsp/codec/rsa';

const KEY_CACHE_LIMIT = 32;
const ALGORITHM = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-1' } as const;

function subtle(): SubtleCrypto {
  const s = globalThis.crypto?.subtle;
  if (!s) throw new Error('Web Crypto (globalThis.crypto.subtle) is not available in this runtime.');
  return s;
}

/** A copy in a fresh ArrayBuffer: Web Crypto rejects views over SharedArrayBuffer and some runtimes mis-handle offsets. */
function buffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.slice().buffer as ArrayBuffer;
}

/** `crypto.getRandomValues` fills at most 65 536 bytes per call. */
function randomBytes(length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let offset = 0; offset < length; offset += 65_536) {
    globalThis.crypto.getRandomValues(out.subarray(offset, Math.min(length, offset + 65_536)));
  }
  return out;
}

function createWebCryptoProvider(): CryptoProvider {
  const keys = new RsaKeyRing(KEY_CACHE_LIMIT);
  /** The provider's MD5 (its own buffer). */
  const md5 = new Md5();
  /** Imported keys by (kind, text). Bounded; the oldest entry goes first. A failed import is not cached. */
  const imported = new Map<string, Promise<CryptoKey>>();

  function importKey(text: string, kind: RsaKeyKind): Promise<CryptoKey> {
    const cacheKey = `${kind}\n${text}`;
    const cached = imported.get(cacheKey);
    if (cached) return cached;
    // The codec's reader: MmspConfigError naming the rule (callers are async, so it becomes a rejection).
    const der = kind === 'private' ? rsaPrivateKeyDer(keys.privateKey(text)) : rsaPublicKeyDer(keys.publicKey(text));
    const field = kind === 'private' ? 'privateKey' : 'publicKey';
    const promise = subtle()
      .importKey(kind === 'private' ? 'pkcs8' : 'spki', buffer(der), ALGORITHM, false, [
        kind === 'private' ? 'sign' : 'verify',
      ])
      .catch(() => {
        imported.delete(cacheKey);
        // The runtime's reason is dropped on purpose: it is not needed and must not carry key bytes.
        throw new MmspConfigError([
          { field, rule: 'key', message: `${field}: Web Crypto could not import this RSA ${kind} key.` },
        ]);
      });
    imported.set(cacheKey, promise);
    if (imported.size > KEY_CACHE_LIMIT) imported.delete(imported.keys().next().value as string);
    return promise;
  }

  return Object.freeze({
    name: 'webcrypto',
    md5: (data: Uint8Array): Uint8Array => md5.digest(data),
    randomBytes,
    rsaEncryptBlock: (publicKeyPem: string, block: Uint8Array): Uint8Array =>
      pkcs1v15Encrypt(keys.publicKey(publicKeyPem), block),
    rsaDecryptBlock: (privateKeyPem: string, block: Uint8Array): Uint8Array =>
      pkcs1v15Decrypt(keys.privateKey(privateKeyPem), block),
    async sha1WithRsaSign(privateKeyPem: string, data: Uint8Array): Promise<Uint8Array> {
      const key = await importKey(privateKeyPem, 'private');
      return new Uint8Array(await subtle().sign(ALGORITHM, key, buffer(data)));
    },
    async sha1WithRsaVerify(publicKeyPem: string, data: Uint8Array, signature: Uint8Array): Promise<boolean> {
      const key = await importKey(publicKeyPem, 'public');
      try {
        return await subtle().verify(ALGORITHM, key, buffer(signature), buffer(data));
      } catch {
        // Some runtimes throw instead of answering false for a signature of the wrong length.
        return false;
      }
    },
  });
}

/**
 * The codec's `CryptoProvider` on Web Crypto, for runtimes without node:crypto (workerd, Deno, Bun,
 * Vercel edge, browsers); {@link createFetchClient} uses it by default.
 *
 * SHA1withRSA sign / verify (payout RSA, PROTOCOL §6) is `crypto.subtle` RSASSA-PKCS1-v1_5 over
 * SHA-1, keys in PKCS#8 / SPKI or PKCS#1 PEM, bare base64 DER, or an X.509 certificate for the
 * public key, read by the codec's key reader and cached by the provider. MD5 (the envelope
 * signature, PROTOCOL §3) comes from the codec's own `Md5` (Web Crypto has none); RSA PKCS#1 v1.5
 * encryption and decryption (Web Crypto only offers OAEP) is the codec's BigInt RSA.
 * Byte-identical to the codec's `pureCrypto` and to OpenSSL.
 *
 * @example
 * ```ts
 * import { payoutSealWith } from '@mmsp/codec';
 * import { webCryptoProvider } from '@mmsp/fetch-edge';
 *
 * declare const platformPublicKey: string, merchantPrivateKey: string; // PEM
 * const sealed = await payoutSealWith(webCryptoProvider, '{"ORDERNO":"20250101000001"}', { platformPublicKey, merchantPrivateKey });
 * // sealed: { ENCRYPT, SIGN }
 * ```
 */
export const webCryptoProvider: CryptoProvider = /* @__PURE__ */ createWebCryptoProvider();
