// @mmsp/codec — PHP-exact encoding and signing, envelopes, the command catalogue, payout RSA.
// Pure and runtime-neutral (no node:*, Buffer or process). See docs/ARCHITECTURE.md.
export * from './errors.js';
export type { CryptoProvider, MaybePromise, Family } from './crypto-provider.js';
export * from './bytes.js';
export * from './php/index.js';
export * from './sign.js';
// The public signing/encoding entry points also take PHP json_encode flags (64, 256): json-flags.ts.
export { signingString, md5Sign, md5Verify, phpJsonEncode } from './json-flags.js';
export * from './envelope.js';
export * from './catalogue/index.js';
export * from './notification-body.js';
export * from './codes.js';
export { secureRandomBytes } from './random.js';
// Payout RSA and the default provider; the key reader, PKCS#1 v1.5 and the BigInt RSA itself are
// the specialist API of the `@mmsp/codec/rsa` subpath (rsa/index.ts).
export { pureCrypto, type SyncCryptoProvider } from './rsa/pure.js';
export { generateRsaKeyPair } from './rsa/keygen.js';
export * from './rsa/payout.js';
export * from './money.js';
export * from './time.js';
export * from './ids.js';
