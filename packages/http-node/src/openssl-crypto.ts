/**
 * `CryptoProvider` on `node:crypto` (OpenSSL): MD5, random bytes, RSA PKCS#1 v1.5 encryption and
 * SHA1withRSA (PROTOCOL §6, payout RSA). Only primitive operations are OpenSSL's; the rest is the
 * codec's (`@mmsp/codec/rsa`), shared with every provider:
 *
 * - keys: the codec's reader decides what is a key (and throws its field-naming errors, which
 *   never print key material); OpenSSL imports the canonical PKCS#8 / SPKI DER it gives.
 * - decryption: OpenSSL's raw private operation (`RSA_NO_PADDING`, blinded by OpenSSL), then the
 *   codec's constant-time-style PKCS#1 v1.5 unpadding. Node 20 refuses OpenSSL's own PKCS#1 v1.5
 *   `privateDecrypt` (CVE-2023-46809, the Marvin attack); this route needs no `--security-revert`.
 * - SHA1withRSA: OpenSSL, unless a system crypto policy forbids SHA-1 signatures (RHEL 9's
 *   DEFAULT): probed once per provider with a throwaway key, then the codec's BigInt RSA signs.
 *
 * Byte-identical to `pureCrypto`: packages/codec/test/provider-contract.ts, test/openssl-crypto.test.ts.
 */
import {
  constants,
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  privateDecrypt,
  publicEncrypt,
  randomBytes as nodeRandomBytes,
  sign as nodeSign,
  verify as nodeVerify,
  type KeyObject,
} from 'node:crypto';
import { MmspEncodingError, type SyncCryptoProvider } from '@mmsp/codec';
import {
  pkcs1v15CheckBlock,
  pkcs1v15DecryptError,
  pkcs1v15Unpad,
  RsaKeyRing,
  rsaPrivateKeyDer,
  rsaPublicKeyDer,
  sha1WithRsaSignKey,
  sha1WithRsaVerifyKey,
  type RsaPrivateKey,
  type RsaPublicKey,
} from '@mmsp/codec/rsa';

const CACHE_LIMIT = 32;
const view = (b: Buffer): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);

/** Does this OpenSSL make and check SHA-1 signatures? (A strict system crypto policy forbids them.) */
function sha1SignaturesAllowed(): boolean {
  try {
    const pair = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const data = Buffer.from('probe');
    return nodeVerify('sha1', data, pair.publicKey, nodeSign('sha1', data, pair.privateKey));
  } catch {
    return false;
  }
}

function createOpensslCrypto(): SyncCryptoProvider {
  const keys = new RsaKeyRing(CACHE_LIMIT);
  const objects = new WeakMap<RsaPublicKey, KeyObject>();
  let sha1Allowed: boolean | undefined;

  const privateKey = (text: string): { key: RsaPrivateKey; object: KeyObject } => {
    const key = keys.privateKey(text);
    let object = objects.get(key);
    if (!object)
      objects.set(
        key,
        (object = createPrivateKey({ key: Buffer.from(rsaPrivateKeyDer(key)), format: 'der', type: 'pkcs8' })),
      );
    return { key, object };
  };
  const publicKey = (text: string): { key: RsaPublicKey; object: KeyObject } => {
    const key = keys.publicKey(text);
    let object = objects.get(key);
    if (!object)
      objects.set(
        key,
        (object = createPublicKey({ key: Buffer.from(rsaPublicKeyDer(key)), format: 'der', type: 'spki' })),
      );
    return { key, object };
  };
  const sha1 = (): boolean => (sha1Allowed ??= sha1SignaturesAllowed());

  return Object.freeze({
    name: 'openssl',
    md5: (data: Uint8Array): Uint8Array => view(createHash('md5').update(data).digest()),
    randomBytes: (length: number): Uint8Array => {
      if (!Number.isSafeInteger(length) || length < 0) {
        throw new RangeError(`randomBytes: length must be a non-negative integer, got ${String(length)}`);
      }
      return view(nodeRandomBytes(length));
    },
    rsaEncryptBlock(publicKeyPem: string, block: Uint8Array): Uint8Array {
      const { key, object } = publicKey(publicKeyPem);
      if (block.length > key.k - 11) {
        throw new MmspEncodingError(
          `RSA encryption: a block of ${block.length} bytes exceeds the ${key.k - 11}-byte limit of a ${key.k * 8}-bit key`,
        );
      }
      return view(publicEncrypt({ key: object, padding: constants.RSA_PKCS1_PADDING }, block));
    },
    rsaDecryptBlock(privateKeyPem: string, block: Uint8Array): Uint8Array {
      const { key, object } = privateKey(privateKeyPem);
      pkcs1v15CheckBlock(block, key.k);
      let em: Buffer;
      try {
        em = privateDecrypt({ key: object, padding: constants.RSA_NO_PADDING }, block);
      } catch {
        throw pkcs1v15DecryptError(); // the block is not below the modulus
      }
      return pkcs1v15Unpad(view(em));
    },
    sha1WithRsaSign(privateKeyPem: string, data: Uint8Array): Uint8Array {
      const { key, object } = privateKey(privateKeyPem);
      if (!sha1()) return sha1WithRsaSignKey(key, data);
      return view(nodeSign('sha1', data, { key: object, padding: constants.RSA_PKCS1_PADDING }));
    },
    sha1WithRsaVerify(publicKeyPem: string, data: Uint8Array, signature: Uint8Array): boolean {
      const { key, object } = publicKey(publicKeyPem);
      if (!sha1()) return sha1WithRsaVerifyKey(key, data, signature);
      if (signature.length !== key.k) return false;
      try {
        return nodeVerify('sha1', data, { key: object, padding: constants.RSA_PKCS1_PADDING }, signature);
      } catch {
        return false;
      }
    },
  });
}

/**
 * The codec's `CryptoProvider` on `node:crypto` (OpenSSL): MD5 (the envelope signature, PROTOCOL §3),
 * random bytes, RSA PKCS#1 v1.5 encryption and SHA1withRSA (payout RSA, PROTOCOL §6).
 * {@link createNodeClient} uses it by default. Byte-identical to the codec's `pureCrypto` (MD5 and
 * PKCS#1 v1.5 signatures are deterministic; encryption is randomised, and each provider decrypts the
 * other's output). Keys are read by the codec's key reader (the same keys accepted, the same errors,
 * never printing key material); decryption is OpenSSL's raw RSA then the codec's PKCS#1 v1.5
 * unpadding (Node 20 refuses OpenSSL's own, CVE-2023-46809); SHA-1 signatures refused by a strict
 * system crypto policy are detected once and made by the codec's RSA instead.
 *
 * @example
 * ```ts
 * import { payoutSealWith } from '@mmsp/codec';
 * import { opensslCrypto } from '@mmsp/http-node';
 *
 * declare const platformPublicKey: string, merchantPrivateKey: string; // PEM
 * const sealed = await payoutSealWith(opensslCrypto, '{"ORDERNO":"20250101000001"}', { platformPublicKey, merchantPrivateKey });
 * // sealed: { ENCRYPT, SIGN }
 * ```
 */
export const opensslCrypto: SyncCryptoProvider = /* @__PURE__ */ createOpensslCrypto();
