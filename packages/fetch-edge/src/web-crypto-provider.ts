/**
 * The codec's `CryptoProvider` on Web Crypto, for runtimes without node:crypto (workerd, Deno,
 * Bun, Vercel edge, browsers).
 *
 * - SHA1withRSA sign / verify: `crypto.subtle` RSASSA-PKCS1-v1_5 over SHA-1 (PROTOCOL §6), keys
 *   imported as PKCS#8 / SPKI (PKCS#1 PEM wrapped by ./pem.ts) and cached per PEM text.
 * - MD5: Web Crypto has none; the codec's own (`Md5`, the one every signature uses).
 * - RSA PKCS#1 v1.5 *encryption* / decryption: Web Crypto only offers RSA-OAEP, so ./rsa-pkcs1.ts
 *   does it with BigInt arithmetic. No node-forge anywhere in this provider: a Worker that never
 *   pays out carries none (test/no-node.test.ts, BENCHMARKS.md).
 * - randomBytes: `crypto.getRandomValues`.
 *
 * Byte-identical to `pureCrypto` and the OpenSSL provider: PKCS#1 v1.5 signatures are
 * deterministic, checked by test/provider-contract.test.ts.
 */
import { Md5, MmspConfigError, type CryptoProvider } from '@mmsp/codec';
import { keyDer, type KeyKind } from './pem.js';
import { rsaDecryptBlock, rsaEncryptBlock } from './rsa-pkcs1.js';

const KEY_CACHE_LIMIT = 32;
/** The provider's MD5 (its own buffer). */
const md5 = new Md5();
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

/** Imported keys by (kind, PEM). Bounded; the oldest entry goes first. A failed import is not cached. */
const keyCache = new Map<string, Promise<CryptoKey>>();

function importKey(pem: string, kind: KeyKind): Promise<CryptoKey> {
  const cacheKey = `${kind}\n${pem}`;
  const cached = keyCache.get(cacheKey);
  if (cached) return cached;
  const der = keyDer(pem, kind); // MmspConfigError; callers are async, so it becomes a rejection
  const imported = subtle()
    .importKey(kind === 'private' ? 'pkcs8' : 'spki', buffer(der), ALGORITHM, false, [kind === 'private' ? 'sign' : 'verify'])
    .catch(() => {
      keyCache.delete(cacheKey);
      // The runtime's reason is dropped on purpose: it is not needed and must not carry key bytes.
      const field = kind === 'private' ? 'merchantPrivateKey' : 'platformPublicKey';
      throw new MmspConfigError([
        { field, rule: 'key', message: `${field}: Web Crypto could not import this RSA ${kind} key (truncated or not RSA ${kind === 'private' ? 'PKCS#8/PKCS#1' : 'SPKI/PKCS#1'}).` },
      ]);
    });
  keyCache.set(cacheKey, imported);
  if (keyCache.size > KEY_CACHE_LIMIT) keyCache.delete(keyCache.keys().next().value as string);
  return imported;
}

/** `crypto.getRandomValues` fills at most 65 536 bytes per call. */
function randomBytes(length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let offset = 0; offset < length; offset += 65_536) {
    globalThis.crypto.getRandomValues(out.subarray(offset, Math.min(length, offset + 65_536)));
  }
  return out;
}

/**
 * The codec's `CryptoProvider` on Web Crypto, for runtimes without node:crypto (workerd, Deno, Bun,
 * Vercel edge, browsers); {@link createFetchClient} uses it by default.
 *
 * SHA1withRSA sign / verify (payout RSA, PROTOCOL §6) is `crypto.subtle` RSASSA-PKCS1-v1_5 over
 * SHA-1, keys in PKCS#8 / SPKI or PKCS#1 PEM (wrapped to PKCS#8 / SPKI), bare base64 DER, or an X.509
 * certificate for the public key, cached per PEM text. MD5 (the envelope signature, PROTOCOL §3)
 * comes from `@noble/hashes` (Web Crypto has none); RSA PKCS#1 v1.5 encryption and decryption (Web
 * Crypto only offers OAEP) is BigInt arithmetic, so no node-forge is bundled. Byte-identical to the
 * codec's `pureCrypto` and to OpenSSL.
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
export const webCryptoProvider: CryptoProvider = Object.freeze({
  name: 'webcrypto',
  md5: (data: Uint8Array): Uint8Array => md5.digest(data),
  randomBytes,
  rsaEncryptBlock,
  rsaDecryptBlock,
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
