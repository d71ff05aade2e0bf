/**
 * `CryptoProvider` on `node:crypto` (OpenSSL): MD5, random bytes, RSA PKCS#1 v1.5 encryption and
 * SHA1withRSA (PROTOCOL §6, payout RSA). Byte-identical to the codec's `pureCrypto` (property tests in
 * test/openssl-crypto.test.ts): MD5 and PKCS#1 v1.5 signatures are deterministic; encryption is
 * randomised, so each provider decrypts the other's output.
 *
 * Node 20 refuses PKCS#1 v1.5 `privateDecrypt` (CVE-2023-46809, the Marvin attack) unless the
 * process runs with `--security-revert=CVE-2023-46809` or OpenSSL does implicit rejection, and a
 * system crypto policy may forbid SHA-1 signatures. What is refused is detected ONCE (a probe with
 * a throwaway key on first RSA use); those operations then go to `pureCrypto` (whose unpadding
 * scans the whole block without an early exit).
 *
 * Keys the codec accepts but OpenSSL would read differently (a bare base64 DER body, a modulus
 * below 512 bits, a malformed PEM) are parsed once by the pure provider's rules, so the two
 * providers accept and reject the same keys with the same errors (which never print key material).
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
import { MmspEncodingError, pureCrypto, rsaKeyBits, type CryptoProvider } from '@mmsp/codec';

const CACHE_LIMIT = 32;
const privateKeys = new Map<string, { key: KeyObject; k: number }>();
const publicKeys = new Map<string, { key: KeyObject; k: number }>();

function remember(cache: Map<string, { key: KeyObject; k: number }>, pem: string, value: { key: KeyObject; k: number }) {
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(pem, value);
  return value;
}

/** PEM text as OpenSSL wants it; keys pasted into env vars often carry literal `\n`. */
function normalisePem(text: string): string {
  return text.replace(/\\r/g, '').replace(/\\n/g, '\n').trim();
}

function der(text: string): Buffer {
  return Buffer.from(text.replace(/\s+/g, ''), 'base64');
}

function privateKeyOf(pem: string): { key: KeyObject; k: number } {
  const hit = privateKeys.get(pem);
  if (hit) return hit;
  // The codec's rules decide what is a valid private key (and throw its field-naming errors).
  const bits = rsaKeyBits(pem, 'private');
  const text = normalisePem(pem);
  let key: KeyObject;
  if (text.includes('-----BEGIN')) key = createPrivateKey(text);
  else {
    try {
      key = createPrivateKey({ key: der(text), format: 'der', type: 'pkcs8' });
    } catch {
      key = createPrivateKey({ key: der(text), format: 'der', type: 'pkcs1' });
    }
  }
  return remember(privateKeys, pem, { key, k: Math.ceil(bits / 8) });
}

function publicKeyOf(pem: string): { key: KeyObject; k: number } {
  const hit = publicKeys.get(pem);
  if (hit) return hit;
  const bits = rsaKeyBits(pem, 'public');
  const text = normalisePem(pem);
  let key: KeyObject;
  if (text.includes('-----BEGIN')) key = createPublicKey(text);
  else {
    try {
      key = createPublicKey({ key: der(text), format: 'der', type: 'spki' });
    } catch {
      key = createPublicKey({ key: der(text), format: 'der', type: 'pkcs1' });
    }
  }
  return remember(publicKeys, pem, { key, k: Math.ceil(bits / 8) });
}

const view = (b: Buffer): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);

interface Capabilities {
  /** PKCS#1 v1.5 private decryption (Node 20 refuses it by default: CVE-2023-46809). */
  pkcs1Decrypt: boolean;
  /** SHA1withRSA (a system crypto policy may forbid SHA-1 signatures, e.g. RHEL 9's DEFAULT). */
  sha1Signatures: boolean;
}
let capabilities: Capabilities | undefined;

/** What this Node/OpenSSL allows, probed ONCE with a throwaway 1024-bit key; anything refused goes to `pureCrypto`. */
function probe(): Capabilities {
  if (capabilities) return capabilities;
  let pair: ReturnType<typeof generateKeyPairSync> | undefined;
  try {
    pair = generateKeyPairSync('rsa', { modulusLength: 1024 });
  } catch {
    return (capabilities = { pkcs1Decrypt: false, sha1Signatures: false });
  }
  const attempt = (fn: () => boolean) => {
    try {
      return fn();
    } catch {
      return false;
    }
  };
  const data = Buffer.from('probe');
  capabilities = {
    pkcs1Decrypt: attempt(() => {
      const cipher = publicEncrypt({ key: pair!.publicKey, padding: constants.RSA_PKCS1_PADDING }, data);
      return privateDecrypt({ key: pair!.privateKey, padding: constants.RSA_PKCS1_PADDING }, cipher).equals(data);
    }),
    sha1Signatures: attempt(() => nodeVerify('sha1', data, pair!.publicKey, nodeSign('sha1', data, pair!.privateKey))),
  };
  return capabilities;
}

/** Does this Node decrypt PKCS#1 v1.5 itself? (Node 20's default: no; then `pureCrypto` does.) */
export function opensslDecryptsPkcs1(): boolean {
  return probe().pkcs1Decrypt;
}

function encryptBlock(publicKeyPem: string, block: Uint8Array): Uint8Array {
  const { key, k } = publicKeyOf(publicKeyPem);
  if (block.length > k - 11) {
    throw new MmspEncodingError(`RSA encryption: a block of ${block.length} bytes exceeds the ${k - 11}-byte limit of a ${k * 8}-bit key`);
  }
  return view(publicEncrypt({ key, padding: constants.RSA_PKCS1_PADDING }, block));
}

function decryptBlock(privateKeyPem: string, block: Uint8Array): Uint8Array {
  if (!probe().pkcs1Decrypt) return pureCrypto.rsaDecryptBlock(privateKeyPem, block);
  const { key, k } = privateKeyOf(privateKeyPem);
  if (block.length !== k) {
    throw new MmspEncodingError(`RSA decryption: a block must be ${k} bytes for a ${k * 8}-bit key, got ${block.length}`);
  }
  try {
    return view(privateDecrypt({ key, padding: constants.RSA_PKCS1_PADDING }, block));
  } catch {
    throw new MmspEncodingError('RSA decryption failed: the block is not valid PKCS#1 v1.5 (wrong private key, or altered ciphertext)');
  }
}

function sha1WithRsaSign(privateKeyPem: string, data: Uint8Array): Uint8Array {
  if (!probe().sha1Signatures) return pureCrypto.sha1WithRsaSign(privateKeyPem, data);
  const { key } = privateKeyOf(privateKeyPem);
  return view(nodeSign('sha1', data, { key, padding: constants.RSA_PKCS1_PADDING }));
}

function sha1WithRsaVerify(publicKeyPem: string, data: Uint8Array, signature: Uint8Array): boolean {
  if (!probe().sha1Signatures) return pureCrypto.sha1WithRsaVerify(publicKeyPem, data, signature);
  const { key, k } = publicKeyOf(publicKeyPem);
  if (signature.length !== k) return false;
  try {
    return nodeVerify('sha1', data, { key, padding: constants.RSA_PKCS1_PADDING }, signature);
  } catch {
    return false;
  }
}

/**
 * The codec's `CryptoProvider` on `node:crypto` (OpenSSL): MD5 (the envelope signature, PROTOCOL §3),
 * random bytes, RSA PKCS#1 v1.5 encryption and SHA1withRSA (payout RSA, PROTOCOL §6).
 * {@link createNodeClient} uses it by default. Byte-identical to the codec's `pureCrypto` (MD5 and
 * PKCS#1 v1.5 signatures are deterministic; encryption is randomised, and each provider decrypts the
 * other's output). What this Node refuses — PKCS#1 v1.5 private decryption on Node 20
 * (CVE-2023-46809), SHA-1 signatures under a strict crypto policy — is detected once and those
 * operations go to `pureCrypto` ({@link opensslDecryptsPkcs1} tells which). Errors never print key material.
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
export const opensslCrypto: CryptoProvider = Object.freeze({
  name: 'openssl',
  md5: (data: Uint8Array): Uint8Array => view(createHash('md5').update(data).digest()),
  randomBytes: (length: number): Uint8Array => {
    if (!Number.isSafeInteger(length) || length < 0) {
      throw new RangeError(`randomBytes: length must be a non-negative integer, got ${String(length)}`);
    }
    return view(nodeRandomBytes(length));
  },
  rsaEncryptBlock: encryptBlock,
  rsaDecryptBlock: decryptBlock,
  sha1WithRsaSign,
  sha1WithRsaVerify,
});
