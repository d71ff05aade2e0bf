/**
 * A worker that uses only the Web Crypto provider: proves on each runtime that SHA1withRSA via
 * `crypto.subtle` gives OpenSSL's bytes, and that the codec's pure MD5 / RSA encryption run there.
 * (worker.ts serves the same route next to the client and the notification handler.)
 */
import { webCryptoProvider } from '@mmsp/fetch-edge';

const b64 = (bytes: Uint8Array): string => btoa(String.fromCharCode(...bytes));
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
    verifiesTampered: await webCryptoProvider.sha1WithRsaVerify(input.publicKeyPem, tampered, unb64(input.opensslSignature)),
    md5: hex(webCryptoProvider.md5(data)),
    rsaRoundTrip: hex(plain) === hex(block),
    cipherBytes: cipher.length,
  };
  return new Response(JSON.stringify(result), { headers: { 'content-type': 'application/json' } });
}

export default {
  async fetch(request: Request, env: { MMSP_RUNTIME?: string }): Promise<Response> {
    const { pathname } = new URL(request.url);
    if (pathname === '/crypto') return cryptoRoute(request);
    if (pathname === '/runtime') return new Response(JSON.stringify({ runtime: env.MMSP_RUNTIME }));
    return new Response('not found', { status: 404 });
  },
};
