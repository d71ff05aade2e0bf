/**
 * A CryptoProvider on node:crypto (OpenSSL), for tests that make many payout exchanges (the pure
 * provider's RSA takes milliseconds per block). Node 20 refuses PKCS#1 v1.5 `privateDecrypt`
 * (CVE-2023-46809), so decryption uses RSA_NO_PADDING and strips the v1.5 padding here.
 * Test support only: @mmsp/http-node ships the real one.
 */
import { constants, createHash, createPrivateKey, createPublicKey, privateDecrypt, publicEncrypt, randomBytes, sign, verify, type KeyObject } from 'node:crypto';
import type { CryptoProvider } from '@mmsp/codec';

const keys = new Map<string, KeyObject>();
const priv = (pem: string) => {
  let k = keys.get(pem);
  if (!k) keys.set(pem, (k = createPrivateKey(pem)));
  return k;
};
const pub = (pem: string) => {
  let k = keys.get(`pub:${pem}`);
  if (!k) keys.set(`pub:${pem}`, (k = createPublicKey(pem)));
  return k;
};

export const opensslCrypto: CryptoProvider = {
  name: 'openssl-test',
  md5: (data) => new Uint8Array(createHash('md5').update(data).digest()),
  randomBytes: (n) => new Uint8Array(randomBytes(n)),
  rsaEncryptBlock: (pem, block) => new Uint8Array(publicEncrypt({ key: pub(pem), padding: constants.RSA_PKCS1_PADDING }, block)),
  rsaDecryptBlock: (pem, block) => {
    const raw = privateDecrypt({ key: priv(pem), padding: constants.RSA_NO_PADDING }, block);
    if (raw[0] !== 0 || raw[1] !== 2) throw new Error('PKCS#1 v1.5: bad padding');
    const sep = raw.indexOf(0, 2);
    if (sep < 10) throw new Error('PKCS#1 v1.5: bad padding');
    return new Uint8Array(raw.subarray(sep + 1));
  },
  sha1WithRsaSign: (pem, data) => new Uint8Array(sign('sha1', data, priv(pem))),
  sha1WithRsaVerify: (pem, data, signature) => verify('sha1', data, pub(pem), signature),
};
