/**
 * The crypto-provider interface (stripe-node style: platform functions injected). The codec's
 * default (`pureCrypto`, in pure-crypto.ts) uses @noble/hashes and node-forge; `@mmsp/http-node`
 * supplies one on OpenSSL, `@mmsp/fetch-edge` one on Web Crypto. Every provider must give
 * byte-identical results on the shared vector set (PKCS#1 v1.5 encryption is randomised: its
 * check is that every provider decrypts every other provider's output).
 *
 * MD5 and random bytes are synchronous: every runtime has a synchronous MD5 (noble or OpenSSL;
 * Web Crypto has none) and `crypto.getRandomValues`. RSA may be asynchronous (Web Crypto is).
 */
export type MaybePromise<T> = T | Promise<T>;

export interface CryptoProvider {
  /** Short name for logs and benchmarks: `pure`, `openssl`, `webcrypto`. */
  readonly name: string;
  md5(data: Uint8Array): Uint8Array;
  randomBytes(length: number): Uint8Array;
  /** RSA PKCS#1 v1.5 encryption of ONE block (≤ modulus bytes − 11) with a PEM public key (SPKI or PKCS#1). */
  rsaEncryptBlock(publicKeyPem: string, block: Uint8Array): MaybePromise<Uint8Array>;
  /** RSA PKCS#1 v1.5 decryption of ONE block (= modulus bytes) with a PEM private key (PKCS#8 or PKCS#1). */
  rsaDecryptBlock(privateKeyPem: string, block: Uint8Array): MaybePromise<Uint8Array>;
  /** SHA1withRSA (RSASSA-PKCS1-v1_5 over SHA-1) signature. */
  sha1WithRsaSign(privateKeyPem: string, data: Uint8Array): MaybePromise<Uint8Array>;
  sha1WithRsaVerify(publicKeyPem: string, data: Uint8Array, signature: Uint8Array): MaybePromise<boolean>;
}

/** The four families of the platform (NOTES §1). */
export type Family = 'payout' | 'quickPay' | 'scan' | 'gateway';
