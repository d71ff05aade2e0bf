// @mmsp/codec — PHP-exact encoding and signing, envelopes, the command catalogue, payout RSA.
// Pure and runtime-neutral (no node:*, Buffer or process). See docs/ARCHITECTURE.md.
export * from './errors.js';
export type { CryptoProvider, MaybePromise, Family } from './crypto-provider.js';
export * from './bytes.js';
export * from './php-json/index.js';
export * from './signing/index.js';
export * from './envelope/index.js';
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
