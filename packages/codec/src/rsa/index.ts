/**
 * `@mmsp/codec/rsa`: the specialist RSA API under payout RSA (PROTOCOL §6), for providers and
 * tools: the one key reader (PKCS#8 / PKCS#1 / SPKI / X.509, PEM or bare base64) and its
 * {@link RsaKeyRing} cache, PKCS#1 v1.5 padding (encryption and SHA1withRSA), and the BigInt RSA
 * (CRT and blinding on the private operation). Pure and runtime-neutral, like the main entry.
 * Most users need none of it: `payoutSeal` / `payoutOpen`, `pureCrypto` and `generateRsaKeyPair`
 * are in `@mmsp/codec` (and only there).
 *
 * @example
 * ```ts
 * import { RsaKeyRing, pkcs1v15Encrypt, rsaKeyToDer } from '@mmsp/codec/rsa';
 *
 * declare const platformPublicKey: string; // PEM or bare base64
 * const keys = new RsaKeyRing();
 * const block = pkcs1v15Encrypt(keys.publicKey(platformPublicKey), new TextEncoder().encode('{"AMT":"100"}'));
 * const spki = rsaKeyToDer(platformPublicKey, 'public'); // for crypto.subtle.importKey('spki', …)
 * ```
 *
 * @packageDocumentation
 */
export {
  readRsaPrivateKey,
  readRsaPublicKey,
  RsaKeyRing,
  rsaKeyBits,
  rsaKeyToDer,
  rsaKeyToPem,
  rsaPrivateKeyDer,
  rsaPublicKeyDer,
  type RsaKeyKind,
  type RsaPrivateKey,
  type RsaPublicKey,
} from './key.js';
export {
  emsaPkcs1v15Sha1,
  pkcs1v15CheckBlock,
  pkcs1v15Decrypt,
  pkcs1v15DecryptError,
  pkcs1v15Encrypt,
  pkcs1v15Pad,
  pkcs1v15Unpad,
  sha1WithRsaSignKey,
  sha1WithRsaVerifyKey,
} from './pkcs1.js';
export { bigIntToBytes, bytesToBigInt, modInverse, modPow, rsaPrivateOp, rsaPublicOp } from './bigint.js';
export { createPureCrypto } from './pure.js';
export { generateRsaPrivateKey } from './keygen.js';
