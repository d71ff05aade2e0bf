// The platform side of payout RSA through OpenSSL (node:crypto), as the PHP platform's openssl_*
// functions do: SHA1withRSA sign / verify, PKCS#1 v1.5 encryption in (k − 11)-byte chunks and
// decryption in k-byte blocks (PROTOCOL §6). So every payout exchange in the tests crosses two
// independent RSA implementations (the client's codec, the platform's OpenSSL).
// Node 20 refuses PKCS#1 v1.5 private decryption (CVE-2023-46809, a timing oracle that does not
// matter on a local sandbox): blocks are decrypted raw and the type-2 padding checked here; if
// raw decryption is unavailable the codec's rsaDecryptSegmented does it.
import { rsaDecryptSegmented } from '@mmsp/codec';
import { constants, createPrivateKey, createPublicKey, privateDecrypt, publicEncrypt, sign, verify, type KeyObject } from 'node:crypto';

const cache = new Map<string, KeyObject>();

function key(pem: string, kind: 'private' | 'public'): KeyObject {
  let k = cache.get(pem);
  if (!k) {
    k = kind === 'private' ? createPrivateKey(pem) : createPublicKey(pem);
    if (cache.size > 100) cache.clear();
    cache.set(pem, k);
  }
  return k;
}

export function sha1WithRsaSignOpenssl(data: Uint8Array, privateKeyPem: string): Uint8Array {
  return new Uint8Array(sign('sha1', data, { key: key(privateKeyPem, 'private'), padding: constants.RSA_PKCS1_PADDING }));
}

export function sha1WithRsaVerifyOpenssl(data: Uint8Array, signature: Uint8Array, publicKeyPem: string): boolean {
  try {
    return verify('sha1', data, { key: key(publicKeyPem, 'public'), padding: constants.RSA_PKCS1_PADDING }, signature);
  } catch {
    return false;
  }
}

export function rsaEncryptSegmentedOpenssl(data: Uint8Array, publicKeyPem: string): Uint8Array {
  const k = key(publicKeyPem, 'public');
  const size = (k.asymmetricKeyDetails?.modulusLength ?? 1024) / 8;
  const chunk = size - 11;
  const blocks: Buffer[] = [];
  for (let at = 0; at < Math.max(data.length, 1); at += chunk) {
    blocks.push(publicEncrypt({ key: k, padding: constants.RSA_PKCS1_PADDING }, data.subarray(at, at + chunk)));
  }
  return new Uint8Array(Buffer.concat(blocks));
}

export class RsaDecryptError extends Error {}

/** EME-PKCS1-v1_5 decoding of one raw block: 0x00 0x02 PS (≥ 8 non-zero bytes) 0x00 M. */
function unpad(block: Uint8Array, index: number): Uint8Array {
  if (block[0] !== 0x00 || block[1] !== 0x02) throw new RsaDecryptError(`ENCRYPT block ${index + 1}: not PKCS#1 v1.5 type 2 (wrong key?)`);
  const sep = block.indexOf(0x00, 2);
  if (sep < 10) throw new RsaDecryptError(`ENCRYPT block ${index + 1}: padding shorter than 8 bytes`);
  return block.subarray(sep + 1);
}

export function rsaDecryptSegmentedOpenssl(cipher: Uint8Array, privateKeyPem: string): Uint8Array {
  const k = key(privateKeyPem, 'private');
  const size = (k.asymmetricKeyDetails?.modulusLength ?? 1024) / 8;
  if (cipher.length === 0 || cipher.length % size !== 0) throw new RsaDecryptError(`ENCRYPT: ${cipher.length} bytes is not a whole number of ${size}-byte blocks`);
  const parts: Uint8Array[] = [];
  for (let at = 0, i = 0; at < cipher.length; at += size, i++) {
    let raw: Buffer;
    try {
      raw = privateDecrypt({ key: k, padding: constants.RSA_NO_PADDING }, cipher.subarray(at, at + size));
    } catch (err) {
      if (err instanceof Error && /padding|not supported|unsupported/i.test(err.message)) return rsaDecryptSegmented(cipher, privateKeyPem, 'ENCRYPT');
      throw new RsaDecryptError(`ENCRYPT block ${i + 1}: ${(err as Error).message}`);
    }
    parts.push(unpad(raw, i));
  }
  return new Uint8Array(Buffer.concat(parts));
}
