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
export * from './pure-crypto.js';
// Without node-forge, exported from their own modules (not through pure-crypto.ts) so that using
// them does not bring the pure provider's RSA code into a bundle (fetch-edge BENCHMARKS.md).
export { secureRandomBytes } from './random.js';
export { rsaKeyBits } from './rsa-key.js';
export { pkcs1v15Pad, pkcs1v15Unpad, pkcs1v15CheckBlock, pkcs1v15DecryptError } from './pkcs1.js';
export * from './rsa.js';
export * from './money.js';
export * from './time.js';
export * from './ids.js';
