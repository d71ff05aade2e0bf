/**
 * The default crypto provider: pure JavaScript, runtime-neutral. MD5 is the codec's own (hash/md5.ts), RSA on
 * the codec's BigInt arithmetic (./bigint.ts: CRT and blinding on the private operation),
 * PKCS#1 v1.5 from ./pkcs1.ts, keys read by ./key.ts and cached in the provider's own
 * {@link RsaKeyRing}, randomness from `globalThis.crypto.getRandomValues`. Byte-identical to
 * OpenSSL (PROTOCOL §6, payout RSA; test/provider-contract.ts).
 */
import { Md5 } from '../hash/md5.js';
import type { CryptoProvider } from '../crypto-provider.js';
import { secureRandomBytes } from '../random.js';
import { RsaKeyRing } from './key.js';
import { pkcs1v15Decrypt, pkcs1v15Encrypt, sha1WithRsaSignKey, sha1WithRsaVerifyKey } from './pkcs1.js';

/** `CryptoProvider` whose RSA operations are synchronous (what `pureCrypto` is). */
export interface SyncCryptoProvider extends CryptoProvider {
  rsaEncryptBlock(publicKeyPem: string, block: Uint8Array): Uint8Array;
  rsaDecryptBlock(privateKeyPem: string, block: Uint8Array): Uint8Array;
  sha1WithRsaSign(privateKeyPem: string, data: Uint8Array): Uint8Array;
  sha1WithRsaVerify(publicKeyPem: string, data: Uint8Array, signature: Uint8Array): boolean;
}

/**
 * A pure-JavaScript provider with its own key cache (`keys`, default a fresh {@link RsaKeyRing}):
 * what {@link pureCrypto} is; a separate instance shares no state with it.
 *
 * @example
 * ```ts
 * import { createPureCrypto, RsaKeyRing } from '@mmsp/codec/rsa';
 *
 * const provider = createPureCrypto(new RsaKeyRing(4)); // keeps at most 4 keys of each kind
 * ```
 */
export function createPureCrypto(keys: RsaKeyRing = new RsaKeyRing()): SyncCryptoProvider {
  const md5 = new Md5(); // the codec's one MD5, its buffer owned by this provider
  return Object.freeze({
    name: 'pure',
    md5: (data: Uint8Array): Uint8Array => md5.digest(data),
    randomBytes: secureRandomBytes,
    rsaEncryptBlock: (publicKeyPem: string, block: Uint8Array): Uint8Array =>
      pkcs1v15Encrypt(keys.publicKey(publicKeyPem), block),
    rsaDecryptBlock: (privateKeyPem: string, block: Uint8Array): Uint8Array =>
      pkcs1v15Decrypt(keys.privateKey(privateKeyPem), block),
    sha1WithRsaSign: (privateKeyPem: string, data: Uint8Array): Uint8Array =>
      sha1WithRsaSignKey(keys.privateKey(privateKeyPem), data),
    sha1WithRsaVerify: (publicKeyPem: string, data: Uint8Array, signature: Uint8Array): boolean =>
      sha1WithRsaVerifyKey(keys.publicKey(publicKeyPem), data, signature),
  });
}

/** The default provider (the codec's own MD5, its BigInt RSA); every RSA operation is synchronous. */
export const pureCrypto: SyncCryptoProvider = /* @__PURE__ */ createPureCrypto();
