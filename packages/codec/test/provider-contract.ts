/**
 * The CryptoProvider contract, as a reusable suite. Every provider (the codec's `pureCrypto`,
 * the OpenSSL one in @mmsp/http-node, the Web Crypto one in @mmsp/fetch-edge) must give
 * byte-identical results on the shared vectors made by OpenSSL's command line
 * (fixtures/provider-vectors.ts): MD5 digests and SHA1withRSA signatures equal, PKCS#1 v1.5
 * ciphertexts decrypted, and its own (randomised) ciphertexts decryptable by the reference.
 *
 * Usage, from another package's test file:
 *
 *   import { runProviderContract } from '../../codec/test/provider-contract.js';
 *   runProviderContract(opensslCrypto);                 // registers a describe() block
 *   runProviderContract(webCrypto, { keyForms: ['pkcs8', 'spki'] }); // if it cannot read PKCS#1
 */
import { describe, expect, it } from 'vitest';
// Module paths, not the barrel, so that this suite runs while sibling modules are in flux.
import { base64Decode, base64Encode, hexEncode } from '../src/bytes/encoding.js';
import type { CryptoProvider } from '../src/crypto-provider.js';
import { MmspError } from '../src/errors.js';
import { pureCrypto } from '../src/rsa/pure.js';
import { payoutOpen, payoutOpenWith, payoutSeal, payoutSealWith } from '../src/rsa/payout.js';
import {
  ciphertextVectors,
  md5Vectors,
  signatureVectors,
  vectorKeys,
  type VectorKeyName,
} from './fixtures/provider-vectors.js';

/**
 * `bare`: base64 DER body without armour; `escaped`: PEM with literal `\n` (an environment
 * variable); `certificate`: an X.509 certificate as the public key.
 */
export type KeyForm = 'pkcs8' | 'pkcs1' | 'spki' | 'pkcs1Public' | 'bare' | 'escaped' | 'certificate';

export interface ProviderContractOptions {
  /** Provider that cross-checks randomised output (default `pureCrypto`). */
  reference?: CryptoProvider;
  /** Key forms to exercise (default all of `KeyForm`). */
  keyForms?: KeyForm[];
}

/** A PEM's base64 body without armour or line breaks: how the platform hands keys out. */
export function bareBody(pem: string): string {
  return pem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');
}

const bytes = (b64: string): Uint8Array => base64Decode(b64);
const flip = (b: Uint8Array, index: number, bit = 1): Uint8Array => {
  const c = b.slice();
  c[index] = c[index]! ^ bit;
  return c;
};

function privateForms(name: VectorKeyName, forms: KeyForm[]): [string, string][] {
  const k = vectorKeys[name];
  const out: [string, string][] = [];
  if (forms.includes('pkcs8')) out.push(['pkcs8', k.pkcs8]);
  if (forms.includes('pkcs1')) out.push(['pkcs1', k.pkcs1]);
  if (forms.includes('bare')) out.push(['bare pkcs1', bareBody(k.pkcs1)]);
  if (forms.includes('escaped')) out.push(['escaped pkcs8', k.pkcs8.trim().replace(/\n/g, '\\n')]);
  return out;
}

function publicForms(name: VectorKeyName, forms: KeyForm[]): [string, string][] {
  const k = vectorKeys[name];
  const out: [string, string][] = [];
  if (forms.includes('spki')) out.push(['spki', k.spki]);
  if (forms.includes('pkcs1Public')) out.push(['pkcs1 public', k.pkcs1Public]);
  if (forms.includes('bare')) out.push(['bare spki', bareBody(k.spki)]);
  if (forms.includes('escaped')) out.push(['escaped pkcs1 public', k.pkcs1Public.trim().replace(/\n/g, '\\n')]);
  if (forms.includes('certificate')) out.push(['certificate', k.certificate]);
  return out;
}

const modulusBytes = (name: VectorKeyName): number => (name === 'big' ? 256 : 128);

export function runProviderContract(provider: CryptoProvider, options: ProviderContractOptions = {}): void {
  const reference = options.reference ?? pureCrypto;
  const forms = options.keyForms ?? ['pkcs8', 'pkcs1', 'spki', 'pkcs1Public', 'bare', 'escaped', 'certificate'];

  describe(`CryptoProvider contract: ${provider.name}`, () => {
    it('has a short name', () => {
      expect(provider.name).toMatch(/^[a-z0-9-]+$/);
    });

    it('md5 equals openssl dgst -md5 on every vector, without touching its input', () => {
      for (const v of md5Vectors) {
        const data = bytes(v.data);
        const copy = data.slice();
        const digest = provider.md5(data);
        expect(digest, v.name).toBeInstanceOf(Uint8Array);
        expect(hexEncode(digest), v.name).toBe(v.md5);
        expect(data).toEqual(copy);
      }
    });

    it('randomBytes gives the requested length, fresh each time', () => {
      for (const n of [0, 1, 16, 117, 70_000]) expect(provider.randomBytes(n).length).toBe(n);
      const a = hexEncode(provider.randomBytes(32));
      const b = hexEncode(provider.randomBytes(32));
      expect(a).not.toBe(b);
      // 70 000 random bytes: every byte value appears (a stuck or narrow source fails).
      expect(new Set(provider.randomBytes(70_000)).size).toBe(256);
    });

    it('SHA1withRSA signatures equal openssl dgst -sha1 -sign, byte for byte, for every private key form', async () => {
      for (const v of signatureVectors) {
        for (const [form, pem] of privateForms(v.key, forms)) {
          const sig = await provider.sha1WithRsaSign(pem, bytes(v.data));
          expect(base64Encode(sig), `${v.name} (${form})`).toBe(v.signature);
        }
      }
    });

    it('verifies openssl signatures with every public key form, and rejects altered ones without throwing', async () => {
      for (const v of signatureVectors) {
        const data = bytes(v.data);
        const sig = bytes(v.signature);
        for (const [form, pem] of publicForms(v.key, forms)) {
          expect(await provider.sha1WithRsaVerify(pem, data, sig), `${v.name} (${form})`).toBe(true);
        }
        const [, pem] = publicForms(v.key, forms)[0]!;
        expect(await provider.sha1WithRsaVerify(pem, data, flip(sig, 5)), `${v.name}: flipped signature bit`).toBe(
          false,
        );
        expect(
          await provider.sha1WithRsaVerify(pem, data, flip(sig, sig.length - 1, 0x80)),
          `${v.name}: flipped last byte`,
        ).toBe(false);
        const otherData = data.length ? flip(data, 0) : Uint8Array.of(0);
        expect(await provider.sha1WithRsaVerify(pem, otherData, sig), `${v.name}: altered data`).toBe(false);
        expect(await provider.sha1WithRsaVerify(pem, data, sig.subarray(1)), `${v.name}: short signature`).toBe(false);
      }
      const v = signatureVectors.find((s) => s.key === 'merchant')!;
      const [, platformPub] = publicForms('platform', forms)[0]!;
      expect(await provider.sha1WithRsaVerify(platformPub, bytes(v.data), bytes(v.signature)), 'wrong public key').toBe(
        false,
      );
    });

    it('decrypts openssl pkeyutl -encrypt (PKCS#1 v1.5) blocks with every private key form', async () => {
      for (const v of ciphertextVectors) {
        const k = modulusBytes(v.key);
        const cipher = bytes(v.ciphertext);
        for (const [form, pem] of privateForms(v.key, forms)) {
          const parts: Uint8Array[] = [];
          for (let at = 0; at < cipher.length; at += k)
            parts.push(await provider.rsaDecryptBlock(pem, cipher.subarray(at, at + k)));
          const plain = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
          let at = 0;
          for (const p of parts) {
            plain.set(p, at);
            at += p.length;
          }
          expect(base64Encode(plain), `${v.name} (${form})`).toBe(v.data);
        }
      }
    });

    it('encrypts blocks up to k − 11 bytes that the reference decrypts, randomised, and refuses longer ones', async () => {
      for (const name of ['merchant', 'big'] as const) {
        const k = modulusBytes(name);
        const [, pub] = publicForms(name, forms)[0]!;
        const [, priv] = privateForms(name, forms)[0]!;
        for (const n of [0, 1, 58, k - 12, k - 11]) {
          const block = reference.randomBytes(n);
          const c1 = await provider.rsaEncryptBlock(pub, block);
          const c2 = await provider.rsaEncryptBlock(pub, block);
          expect(c1.length, `${name} ${n}`).toBe(k);
          expect(hexEncode(c1)).not.toBe(hexEncode(c2));
          expect(hexEncode(await reference.rsaDecryptBlock(priv, c1)), `${name} ${n} by ${reference.name}`).toBe(
            hexEncode(block),
          );
          expect(hexEncode(await provider.rsaDecryptBlock(priv, c2)), `${name} ${n} by itself`).toBe(hexEncode(block));
          const r = await reference.rsaEncryptBlock(pub, block);
          expect(hexEncode(await provider.rsaDecryptBlock(priv, r)), `${name} ${n} from ${reference.name}`).toBe(
            hexEncode(block),
          );
        }
        await expect(
          Promise.resolve().then(() => provider.rsaEncryptBlock(pub, new Uint8Array(k - 10))),
        ).rejects.toThrow();
      }
    });

    it('refuses ciphertext of the wrong length, altered, or for another key', async () => {
      const v = ciphertextVectors.find((c) => c.name === 'merchant/abc')!;
      const cipher = bytes(v.ciphertext);
      const [, priv] = privateForms('merchant', forms)[0]!;
      const [, otherPriv] = privateForms('platform', forms)[0]!;
      const attempt = (pem: string, block: Uint8Array) =>
        Promise.resolve().then(() => provider.rsaDecryptBlock(pem, block));
      await expect(attempt(priv, cipher.subarray(1))).rejects.toThrow();
      await expect(attempt(priv, flip(cipher, 60))).rejects.toThrow();
      await expect(attempt(otherPriv, cipher)).rejects.toThrow();
    });

    it('reports an unusable key as an MmspError that does not contain key material', async () => {
      const pem = vectorKeys.merchant.pkcs8;
      const body = bareBody(pem);
      const broken = `-----BEGIN PRIVATE KEY-----\n${body.slice(0, body.length - 40)}\n-----END PRIVATE KEY-----\n`; // truncated
      const errors: unknown[] = [];
      for (const op of [
        () => provider.sha1WithRsaSign(broken, Uint8Array.of(1)),
        () => provider.sha1WithRsaSign('not a key', Uint8Array.of(1)),
        () => provider.rsaEncryptBlock(vectorKeys.merchant.pkcs8, Uint8Array.of(1)), // a private key where a public one is due
        () => provider.rsaDecryptBlock(vectorKeys.merchant.spki, new Uint8Array(128)),
      ]) {
        errors.push(
          await Promise.resolve()
            .then(op)
            .then(
              () => undefined,
              (e: unknown) => e,
            ),
        );
      }
      for (const e of errors) {
        expect(e).toBeInstanceOf(MmspError);
        const message = (e as Error).message;
        for (let at = 0; at + 16 <= body.length; at += 16) expect(message).not.toContain(body.slice(at, at + 16));
      }
    });

    it('payout seal/open through the provider interoperates with the reference in both directions', async () => {
      const plain = JSON.stringify({ ORDERNO: '20171121170001', ACCNAME: '张三', MEMO: '代付'.repeat(40) });
      const toPlatform = { platformPublicKey: vectorKeys.platform.spki, merchantPrivateKey: vectorKeys.merchant.pkcs8 };
      const asPlatform = { merchantPrivateKey: vectorKeys.platform.pkcs8, platformPublicKey: vectorKeys.merchant.spki };
      const sealed = await payoutSealWith(provider, plain, toPlatform);
      expect(payoutOpen(sealed, asPlatform)).toMatchObject({ plaintext: plain, signatureChecked: true });
      const back = payoutSeal(plain, toPlatform);
      expect(await payoutOpenWith(provider, back, asPlatform)).toMatchObject({
        plaintext: plain,
        signatureChecked: true,
      });
    });
  });
}
