// The platform's OpenSSL RSA against the codec's pure RSA (two independent implementations), and
// against the openssl command line for the raw-decryption path.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateRsaKeyPair, rsaDecryptSegmented, rsaEncryptSegmented, sha1WithRsaSign, sha1WithRsaVerify, utf8Encode } from '@mmsp/codec';
import { generateKeyPair } from '../src/keys.js';
import { RsaDecryptError, rsaDecryptSegmentedOpenssl, rsaEncryptSegmentedOpenssl, sha1WithRsaSignOpenssl, sha1WithRsaVerifyOpenssl } from '../src/openssl-rsa.js';

const keys = generateKeyPair();
const text = utf8Encode(JSON.stringify({ ACCNAME: '张三', MEMO: '代付'.repeat(40), AMT: '100' }));

describe('platform RSA (OpenSSL) ↔ codec RSA', () => {
  it('decrypts what the codec encrypts, over several 117-byte segments', () => {
    expect(text.length).toBeGreaterThan(234);
    expect(rsaDecryptSegmentedOpenssl(rsaEncryptSegmented(text, keys.publicKeyPem), keys.privateKeyPem)).toEqual(text);
  });

  it('encrypts what the codec decrypts; signatures are byte-identical and cross-verify', () => {
    expect(rsaDecryptSegmented(rsaEncryptSegmentedOpenssl(text, keys.publicKeyPem), keys.privateKeyPem)).toEqual(text);
    const a = sha1WithRsaSignOpenssl(text, keys.privateKeyPem);
    expect(a).toEqual(sha1WithRsaSign(text, keys.privateKeyPem));
    expect(sha1WithRsaVerify(text, a, keys.publicKeyPem)).toBe(true);
    expect(sha1WithRsaVerifyOpenssl(text, sha1WithRsaSign(text, keys.privateKeyPem), keys.publicKeyPem)).toBe(true);
    expect(sha1WithRsaVerifyOpenssl(utf8Encode('other'), a, keys.publicKeyPem)).toBe(false);
  });

  it('refuses ciphertext made for another key, and a truncated one', () => {
    const other = generateRsaKeyPair();
    expect(() => rsaDecryptSegmentedOpenssl(rsaEncryptSegmented(text, other.publicKeyPem), keys.privateKeyPem)).toThrow(RsaDecryptError);
    expect(() => rsaDecryptSegmentedOpenssl(rsaEncryptSegmented(text, keys.publicKeyPem).subarray(0, 100), keys.privateKeyPem)).toThrow(RsaDecryptError);
  });

  it('decrypts a block made by the openssl command line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sandbox-rsa-'));
    try {
      writeFileSync(join(dir, 'pub.pem'), keys.publicKeyPem);
      writeFileSync(join(dir, 'plain'), '{"CMDID":"4097"}');
      const cipher = execFileSync('openssl', ['pkeyutl', '-encrypt', '-pubin', '-inkey', join(dir, 'pub.pem'), '-pkeyopt', 'rsa_padding_mode:pkcs1', '-in', join(dir, 'plain')]);
      expect(new TextDecoder().decode(rsaDecryptSegmentedOpenssl(new Uint8Array(cipher), keys.privateKeyPem))).toBe('{"CMDID":"4097"}');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
