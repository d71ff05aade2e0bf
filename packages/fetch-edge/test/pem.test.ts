import { describe, expect, it } from 'vitest';
import { MmspConfigError } from '@mmsp/codec';
import { keyDer } from '../src/pem.js';
import { makeOpensslKeys, openssl } from './openssl-keys.js';

// The PKCS#1 → PKCS#8 / SPKI wrapping must give exactly the DER OpenSSL gives for the same key.
describe('keyDer (PEM forms → PKCS#8 / SPKI DER)', () => {
  const keys = [makeOpensslKeys(1024), makeOpensslKeys(2048)];

  it.each(keys.map((k, i) => [i, k] as const))('key %i: every PEM form yields OpenSSL\'s DER', (_i, k) => {
    expect(keyDer(k.pkcs8Pem, 'private')).toEqual(k.pkcs8Der);
    expect(keyDer(k.pkcs1Pem, 'private')).toEqual(k.pkcs8Der);
    expect(keyDer(k.spkiPem, 'public')).toEqual(k.spkiDer);
    expect(keyDer(k.pkcs1PublicPem, 'public')).toEqual(k.spkiDer);
  });

  it('accepts a bare base64 body (no armour lines) in each form', () => {
    const k = keys[0]!;
    const body = (pem: string) => pem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');
    expect(keyDer(body(k.pkcs8Pem), 'private')).toEqual(k.pkcs8Der);
    expect(keyDer(body(k.pkcs1Pem), 'private')).toEqual(k.pkcs8Der);
    expect(keyDer(body(k.spkiPem), 'public')).toEqual(k.spkiDer);
    expect(keyDer(body(k.pkcs1PublicPem), 'public')).toEqual(k.spkiDer);
  });

  it('reads keys with literal \\n sequences (environment variables) and the public key of an X.509 certificate', () => {
    const k = keys[0]!;
    expect(keyDer(k.pkcs1Pem.replace(/\n/g, '\\n'), 'private')).toEqual(k.pkcs8Der);
    const certPem = openssl(['req', '-new', '-x509', '-key', k.pkcs8Path, '-subj', '/CN=mmsp-test', '-days', '1']).toString('utf8');
    expect(keyDer(certPem, 'public')).toEqual(k.spkiDer);
  });

  it('rejects a public key where a private one is needed, naming the field and never echoing the key', () => {
    const k = keys[0]!;
    let error: unknown;
    try {
      keyDer(k.spkiPem, 'private');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(MmspConfigError);
    const message = (error as Error).message;
    expect(message).toContain('merchantPrivateKey');
    expect(message).not.toContain(k.spkiPem.split('\n')[1]!.slice(0, 20));
    expect(() => keyDer(k.pkcs8Pem, 'public')).toThrow(/platformPublicKey/);
  });

  it('rejects empty and non-base64 input', () => {
    expect(() => keyDer('', 'private')).toThrow(/merchantPrivateKey.*PEM/);
    expect(() => keyDer('-----BEGIN PRIVATE KEY-----\n%%%\n-----END PRIVATE KEY-----', 'private')).toThrow(/base64/);
    expect(() => keyDer('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----', 'public')).toThrow(/CERTIFICATE/);
    expect(() => keyDer('-----BEGIN DH PARAMETERS-----\nMIIB\n-----END DH PARAMETERS-----', 'public')).toThrow(/DH PARAMETERS/);
  });
});
