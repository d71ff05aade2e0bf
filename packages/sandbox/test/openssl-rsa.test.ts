// The platform's RSA is the repository's one OpenSSL provider (@mmsp/http-node's `opensslCrypto`:
// OpenSSL's RSA with the codec's PKCS#1 v1.5 unpadding), against the codec's pure BigInt RSA
// (two independent RSA implementations), and against the openssl command line.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  generateRsaKeyPair,
  MmspEncodingError,
  rsaDecryptSegmented,
  rsaEncryptSegmented,
  sha1WithRsaSign,
  sha1WithRsaVerify,
} from '@mmsp/codec';
import { utf8Encode } from '@mmsp/codec/bytes';
import { opensslCrypto } from '@mmsp/http-node';
import { generateKeyPair } from '../src/keys.js';

const keys = generateKeyPair();
const text = utf8Encode(JSON.stringify({ ACCNAME: '张三', MEMO: '代付'.repeat(40), AMT: '100' }));
const platformDecrypt = (cipher: Uint8Array, pem: string) => rsaDecryptSegmented(cipher, pem, 'ENCRYPT', opensslCrypto);

describe('platform RSA (OpenSSL) ↔ codec RSA', () => {
  it('decrypts what the codec encrypts, over several 117-byte segments', () => {
    expect(text.length).toBeGreaterThan(234);
    expect(platformDecrypt(rsaEncryptSegmented(text, keys.publicKeyPem), keys.privateKeyPem)).toEqual(text);
  });

  it('encrypts what the codec decrypts; signatures are byte-identical and cross-verify', () => {
    expect(
      rsaDecryptSegmented(rsaEncryptSegmented(text, keys.publicKeyPem, opensslCrypto), keys.privateKeyPem),
    ).toEqual(text);
    const a = opensslCrypto.sha1WithRsaSign(keys.privateKeyPem, text);
    expect(a).toEqual(sha1WithRsaSign(text, keys.privateKeyPem));
    expect(sha1WithRsaVerify(text, a, keys.publicKeyPem)).toBe(true);
    expect(opensslCrypto.sha1WithRsaVerify(keys.publicKeyPem, text, sha1WithRsaSign(text, keys.privateKeyPem))).toBe(
      true,
    );
    expect(opensslCrypto.sha1WithRsaVerify(keys.publicKeyPem, utf8Encode('other'), a)).toBe(false);
  });

  it('refuses ciphertext made for another key, and a truncated one', () => {
    const other = generateRsaKeyPair();
    expect(() => platformDecrypt(rsaEncryptSegmented(text, other.publicKeyPem), keys.privateKeyPem)).toThrow(
      MmspEncodingError,
    );
    expect(() =>
      platformDecrypt(rsaEncryptSegmented(text, keys.publicKeyPem).subarray(0, 100), keys.privateKeyPem),
    ).toThrow(/not a whole number of 128-byte blocks/);
  });

  it('decrypts a block made by the openssl command line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sandbox-rsa-'));
    try {
      writeFileSync(join(dir, 'pub.pem'), keys.publicKeyPem);
      writeFileSync(join(dir, 'plain'), '{"CMDID":"4097"}');
      const cipher = execFileSync('openssl', [
        'pkeyutl',
        '-encrypt',
        '-pubin',
        '-inkey',
        join(dir, 'pub.pem'),
        '-pkeyopt',
        'rsa_padding_mode:pkcs1',
        '-in',
        join(dir, 'plain'),
      ]);
      expect(new TextDecoder().decode(platformDecrypt(new Uint8Array(cipher), keys.privateKeyPem))).toBe(
        '{"CMDID":"4097"}',
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
