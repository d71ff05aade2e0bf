/**
 * The crypto-provider interface (stripe-node style: platform functions injected). The codec's
 * default (`pureCrypto`, in rsa/pure.ts) uses the codec's own MD5 and BigInt RSA and @noble/hashes'
 * SHA-1; `@mmsp/http-node` supplies one on OpenSSL, `@mmsp/fetch-edge` one on Web Crypto. Every provider must give
 * byte-identical results on the shared vector set (PKCS#1 v1.5 encryption is randomised: its
 * check is that every provider decrypts every other provider's output).
 *
 * MD5 and random bytes are synchronous: the codec's MD5 (hash/md5.ts) runs everywhere (Web Crypto
 * has none) and every runtime has `crypto.getRandomValues`. RSA may be asynchronous (Web Crypto is).
 * Signing never goes through a provider's `md5`: clients and receivers sign with their own
 * `Signer` on the codec's MD5 (PROTOCOL §3); the provider's `md5` is for callers who ask for it.
 *
 * Key arguments are the text the user configured, as is: PKCS#8 / PKCS#1 / SPKI PEM, an X.509
 * certificate (public), or a bare base64 DER body (how the platform hands keys out), with CRLF or
 * env-style literal `\n`. A provider whose native API takes only PKCS#8 / SPKI converts with
 * `rsaKeyToDer` / `rsaKeyToPem` (`@mmsp/codec/rsa`). An unusable key is an `MmspConfigError` with
 * field `privateKey` / `publicKey` whose message never contains key material.
 * The shared vectors and the suite every provider runs: packages/codec/test/provider-contract.ts
 * (`runProviderContract(provider)`), packages/codec/test/fixtures/provider-vectors.ts.
 */
export type MaybePromise<T> = T | Promise<T>;

/**
 * The platform functions the SDK needs, injected (stripe-node style): MD5 and random bytes
 * (synchronous: every runtime has them), RSA PKCS#1 v1.5 block encryption / decryption and
 * SHA1withRSA for the payout family (PROTOCOL §6; may be asynchronous, as Web Crypto is).
 *
 * The codec's default is `pureCrypto` (the codec's MD5 and BigInt RSA); `@mmsp/http-node` supplies one on
 * OpenSSL, `@mmsp/fetch-edge` one on Web Crypto. Every provider gives byte-identical results on the
 * codec's shared vectors (PKCS#1 v1.5 encryption is randomised: there, every provider must decrypt
 * every other provider's output).
 *
 * Key arguments are the text the user configured, as is: PKCS#8 / PKCS#1 / SPKI PEM, an X.509
 * certificate (public), or a bare base64 DER body (how the platform hands keys out), with CRLF or
 * env-style literal `\n`. A provider whose native API takes only PKCS#8 / SPKI converts with
 * `rsaKeyToDer` / `rsaKeyToPem` of `@mmsp/codec/rsa`. An unusable key is an `MmspConfigError` with field `privateKey` /
 * `publicKey` whose message never contains key material.
 *
 * @example
 * ```ts
 * import { pureCrypto, payoutSealWith, type CryptoProvider } from '@mmsp/codec';
 *
 * // A provider that counts RSA encryptions and otherwise delegates to the default one.
 * let encryptions = 0;
 * const counting: CryptoProvider = {
 *   ...pureCrypto,
 *   name: 'counting',
 *   rsaEncryptBlock(publicKeyPem, block) {
 *     encryptions++;
 *     return pureCrypto.rsaEncryptBlock(publicKeyPem, block);
 *   },
 * };
 * declare const platformPublicKey: string, merchantPrivateKey: string;
 * const sealed = await payoutSealWith(counting, { CMDID: '4097' }, { platformPublicKey, merchantPrivateKey });
 * ```
 */
export interface CryptoProvider {
  /** Short name for logs and benchmarks: `pure`, `openssl`, `webcrypto`. */
  readonly name: string;
  /** MD5 digest (16 bytes) of the bytes given; synchronous (PROTOCOL §3 signs with it). */
  md5(data: Uint8Array): Uint8Array;
  /** `length` cryptographically secure random bytes (RANDSTR, order numbers). */
  randomBytes(length: number): Uint8Array;
  /** RSA PKCS#1 v1.5 encryption of ONE block (≤ modulus bytes − 11) with a PEM public key (SPKI or PKCS#1). */
  rsaEncryptBlock(publicKeyPem: string, block: Uint8Array): MaybePromise<Uint8Array>;
  /**
   * RSA PKCS#1 v1.5 decryption of ONE block (= modulus bytes) with a PEM private key (PKCS#8 or PKCS#1).
   * Bad padding (wrong key, altered data) throws; it never returns a substitute plaintext.
   */
  rsaDecryptBlock(privateKeyPem: string, block: Uint8Array): MaybePromise<Uint8Array>;
  /** SHA1withRSA (RSASSA-PKCS1-v1_5 over SHA-1) signature: deterministic, so byte-identical across providers. */
  sha1WithRsaSign(privateKeyPem: string, data: Uint8Array): MaybePromise<Uint8Array>;
  /** False (never a throw) for a signature that does not verify, whatever its length; a bad key throws. */
  sha1WithRsaVerify(publicKeyPem: string, data: Uint8Array, signature: Uint8Array): MaybePromise<boolean>;
}

/** The four families of the platform (PROTOCOL §1). */
export type Family = 'payout' | 'quickPay' | 'scan' | 'gateway';
