/**
 * The OpenSSL provider for tests that make many payout exchanges: the repository's one,
 * @mmsp/http-node's `opensslCrypto` (OpenSSL's RSA with the codec's PKCS#1 v1.5 unpadding), from
 * its source (the client cannot depend on the adapter that depends on it).
 */
export { opensslCrypto } from '../../../http-node/src/openssl-crypto.js';
