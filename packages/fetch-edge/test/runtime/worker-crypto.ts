/**
 * A worker that uses only the Web Crypto provider: proves on each runtime that SHA1withRSA via
 * `crypto.subtle` gives OpenSSL's bytes, and that the codec's pure MD5 / RSA encryption run there.
 * (worker.ts serves the same route next to the client and the notification handler.)
 */
import { pureCrypto, rsaDecryptSegmentedWith, sha1WithRsaSignWith, sha1WithRsaVerifyWith } from '@mmsp/codec';
import { webCryptoProvider } from '@mmsp/fetch-edge';
// The one vector set every provider answers (made by the openssl CLI: codec/test/fixtures/make-provider-vectors.mjs).
import {
  ciphertextVectors,
  md5Vectors,
  signatureVectors,
  vectorKeys,
} from '../../../codec/test/fixtures/provider-vectors.js';

const b64 = (bytes: Uint8Array): string => btoa(Array.from(bytes, (b) => String.fromCharCode(b)).join(''));
const unb64 = (text: string): Uint8Array => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
const hex = (bytes: Uint8Array): string => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

export interface CryptoInput {
  privateKeyPem: string;
  publicKeyPem: string;
  /** base64 */
  data: string;
  /** base64 signature made by `openssl dgst -sha1 -sign` over `data` */
  opensslSignature: string;
}

export async function cryptoRoute(request: Request): Promise<Response> {
  const input = (await request.json()) as CryptoInput;
  const data = unb64(input.data);
  const signature = await webCryptoProvider.sha1WithRsaSign(input.privateKeyPem, data);
  const tampered = data.slice();
  tampered[0] = (tampered[0] ?? 0) ^ 1;
  const block = webCryptoProvider.randomBytes(117);
  const cipher = await webCryptoProvider.rsaEncryptBlock(input.publicKeyPem, block);
  const plain = await webCryptoProvider.rsaDecryptBlock(input.privateKeyPem, cipher);
  const result = {
    signature: b64(signature),
    verifiesOpenssl: await webCryptoProvider.sha1WithRsaVerify(input.publicKeyPem, data, unb64(input.opensslSignature)),
    verifiesTampered: await webCryptoProvider.sha1WithRsaVerify(
      input.publicKeyPem,
      tampered,
      unb64(input.opensslSignature),
    ),
    md5: hex(webCryptoProvider.md5(data)),
    rsaRoundTrip: hex(plain) === hex(block),
    cipherBytes: cipher.length,
  };
  return new Response(JSON.stringify(result), { headers: { 'content-type': 'application/json' } });
}

/**
 * The shared provider vectors, run inside the runtime for the codec's `pureCrypto` and
 * `webCryptoProvider`: MD5 digests and SHA1withRSA signatures byte for byte (PKCS#8 and PKCS#1
 * keys), OpenSSL's signatures verified (SPKI, PKCS#1 and certificate), OpenSSL's PKCS#1 v1.5
 * ciphertexts decrypted. Answers how many checks ran and which failed.
 */
export async function vectorsRoute(): Promise<Response> {
  const failures: string[] = [];
  let checks = 0;
  const check = (ok: boolean, what: string): void => {
    checks++;
    if (!ok) failures.push(what);
  };
  for (const provider of [pureCrypto, webCryptoProvider]) {
    for (const v of md5Vectors) check(hex(provider.md5(unb64(v.data))) === v.md5, `${provider.name} md5 ${v.name}`);
    for (const v of signatureVectors) {
      const k = vectorKeys[v.key];
      for (const [form, pem] of [
        ['pkcs8', k.pkcs8],
        ['pkcs1', k.pkcs1],
      ] as const) {
        check(
          b64(await sha1WithRsaSignWith(provider, unb64(v.data), pem)) === v.signature,
          `${provider.name} sign ${v.name} ${form}`,
        );
      }
      for (const [form, pem] of [
        ['spki', k.spki],
        ['pkcs1Public', k.pkcs1Public],
        ['certificate', k.certificate],
      ] as const) {
        check(
          await sha1WithRsaVerifyWith(provider, unb64(v.data), v.signature, pem),
          `${provider.name} verify ${v.name} ${form}`,
        );
      }
    }
    for (const v of ciphertextVectors) {
      const k = vectorKeys[v.key];
      for (const [form, pem] of [
        ['pkcs8', k.pkcs8],
        ['pkcs1', k.pkcs1],
      ] as const) {
        check(
          b64(await rsaDecryptSegmentedWith(provider, unb64(v.ciphertext), pem)) === v.data,
          `${provider.name} decrypt ${v.name} ${form}`,
        );
      }
    }
  }
  return new Response(JSON.stringify({ checks, failures }), { headers: { 'content-type': 'application/json' } });
}

export default {
  async fetch(request: Request, env: { MMSP_RUNTIME?: string }): Promise<Response> {
    const { pathname } = new URL(request.url);
    if (pathname === '/crypto') return cryptoRoute(request);
    if (pathname === '/vectors') return vectorsRoute();
    if (pathname === '/runtime') return new Response(JSON.stringify({ runtime: env.MMSP_RUNTIME }));
    return new Response('not found', { status: 404 });
  },
};
