/**
 * The default crypto provider: pure JavaScript, runtime-neutral. MD5 from @noble/hashes, RSA
 * arithmetic and key parsing from node-forge, randomness (padding, key generation, ids) from
 * `globalThis.crypto.getRandomValues`; forge's own generator, seeded from the same source, only
 * draws its RSA blinding factors. PKCS#1 v1.5 padding (encryption type 2, signature type 1 over a SHA-1
 * DigestInfo) is built and checked here, byte for byte, so that the result equals OpenSSL's
 * (PROTOCOL §6, payout RSA).
 */
import { md5 as nobleMd5, sha1 as nobleSha1 } from '@noble/hashes/legacy.js';
import type * as Forge from 'node-forge';
// Only forge's RSA module (with ASN.1, jsbn, PKCS#1, primes, random): a third of the whole
// library in a bundle (≈115 KB of ≈300 KB minified), and none of its TLS/PBKDF2 code.
// @ts-ignore -- node-forge's type declarations cover only the package's main entry.
import forgeRoot from 'node-forge/lib/forge.js';
// @ts-ignore -- loading it registers forge.pki.rsa, forge.asn1 and the key (de)serialisers on forge.
import forgeRsaModule from 'node-forge/lib/rsa.js';
import { base64Encode, bytesEqual } from './bytes.js';
import type { CryptoProvider } from './crypto-provider.js';
import { MmspConfigError, MmspEncodingError, MmspError } from './errors.js';
import { pkcs1v15CheckBlock, pkcs1v15DecryptError, pkcs1v15Pad, pkcs1v15Unpad } from './pkcs1.js';
import { secureRandomBytes } from './random.js';
import { clearKeyBitsCache, keyDer, keyError } from './rsa-key.js';

/** `CryptoProvider` whose RSA operations are synchronous (what `pureCrypto` is). */
export interface SyncCryptoProvider extends CryptoProvider {
  rsaEncryptBlock(publicKeyPem: string, block: Uint8Array): Uint8Array;
  rsaDecryptBlock(privateKeyPem: string, block: Uint8Array): Uint8Array;
  sha1WithRsaSign(privateKeyPem: string, data: Uint8Array): Uint8Array;
  sha1WithRsaVerify(publicKeyPem: string, data: Uint8Array, signature: Uint8Array): boolean;
}

const forge = forgeRoot as typeof Forge;
if (!forge.pki || forge.pki.rsa !== forgeRsaModule) {
  throw new MmspError('node-forge: its RSA module did not register (two copies of node-forge?)', 'MMSP_CRYPTO');
}

// ---------------------------------------------------------------------------------------------
// Random bytes

// forge draws RSA blinding factors from forge.random. When it sees `process.versions.node` (Workers
// with nodejs_compat, Deno, Bun) it calls require('crypto').randomBytes, which a browser-style
// bundle replaces with an empty module, so private-key operations failed there. Route forge's
// generator to getRandomValues everywhere instead: one source of randomness for the whole codec.
const forgeRandom = (forge as unknown as { random: { getBytes: unknown; getBytesSync: unknown } }).random;
forgeRandom.getBytes = forgeRandom.getBytesSync = (count: number): string => toBinary(secureRandomBytes(count));


// ---------------------------------------------------------------------------------------------
// forge byte strings

function toBinary(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 8192) {
    s += String.fromCharCode.apply(null, bytes.subarray(i, i + 8192) as unknown as number[]);
  }
  return s;
}

function fromBinary(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Keys: PEM (PKCS#8, PKCS#1, SPKI, X.509 certificate) or a bare base64 DER body

interface ParsedKey<K> {
  key: K;
  /** Modulus length in bytes. */
  k: number;
}
type PrivateKey = Forge.pki.rsa.PrivateKey;
type PublicKey = Forge.pki.rsa.PublicKey;

const CACHE_LIMIT = 32;
const privateCache = new Map<string, ParsedKey<PrivateKey>>();
const publicCache = new Map<string, ParsedKey<PublicKey>>();

function remember<K>(cache: Map<string, ParsedKey<K>>, pem: string, parsed: ParsedKey<K>): ParsedKey<K> {
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(pem, parsed);
  return parsed;
}

function asn1Of(kind: 'privateKey' | 'publicKey', der: Uint8Array, label: string | undefined): Forge.asn1.Asn1 {
  try {
    return forge.asn1.fromDer(toBinary(der), { strict: true, parseAllBytes: true } as never);
  } catch {
    throw keyError(kind, 'der', label ? 'the PEM body is not valid DER (truncated or damaged)' : 'neither PEM ("-----BEGIN ...") nor the base64 DER body of a key');
  }
}

function tryPrivate(asn1: Forge.asn1.Asn1): PrivateKey | undefined {
  try {
    const key = forge.pki.privateKeyFromAsn1(asn1) as PrivateKey;
    return key && key.n && key.d ? key : undefined;
  } catch {
    return undefined;
  }
}

/** The subjectPublicKeyInfo of an X.509 certificate (RFC 5280 §4.1: the SEQUENCE inside tbsCertificate that parses as one). */
function certificateKey(asn1: Forge.asn1.Asn1): PublicKey | undefined {
  const tbs = Array.isArray(asn1.value) ? asn1.value[0] : undefined;
  if (!tbs || !Array.isArray(tbs.value)) return undefined;
  for (const part of tbs.value) {
    if (part.tagClass !== forge.asn1.Class.UNIVERSAL || part.type !== forge.asn1.Type.SEQUENCE) continue;
    try {
      const key = forge.pki.publicKeyFromAsn1(part) as PublicKey;
      if (key && key.n && key.e) return key;
    } catch {
      // not the key: the algorithm, issuer, validity or subject
    }
  }
  return undefined;
}

function tryPublic(asn1: Forge.asn1.Asn1, label: string | undefined): PublicKey | undefined {
  try {
    if (label === 'CERTIFICATE') return certificateKey(asn1);
    const key = forge.pki.publicKeyFromAsn1(asn1) as PublicKey;
    return key && key.n && key.e ? key : undefined;
  } catch {
    return undefined;
  }
}

function checkSize<K extends { n: Forge.jsbn.BigInteger }>(kind: 'privateKey' | 'publicKey', key: K): ParsedKey<K> {
  const bits = key.n.bitLength();
  if (bits < 512) throw keyError(kind, 'keySize', `an RSA modulus of ${bits} bits is too small (the platform uses 1024)`);
  return { key, k: Math.ceil(bits / 8) };
}

/** Parses (and caches) an RSA private key: PKCS#8 or PKCS#1 PEM, or a bare base64 DER body of either. */
function parsePrivateKey(pem: string): ParsedKey<PrivateKey> {
  const hit = privateCache.get(pem);
  if (hit) return hit;
  const { der, label } = keyDer('privateKey', pem);
  const asn1 = asn1Of('privateKey', der, label);
  const key = tryPrivate(asn1);
  if (!key) {
    if (label === undefined && tryPublic(asn1, undefined)) {
      throw keyError('privateKey', 'keyType', 'this is a public key, a private key is expected (the two keys are swapped?)');
    }
    throw keyError('privateKey', 'keyType', 'not an RSA private key in PKCS#8 or PKCS#1 form');
  }
  return remember(privateCache, pem, checkSize('privateKey', key));
}

/** Parses (and caches) an RSA public key: SPKI or PKCS#1 PEM, an X.509 certificate, or a bare base64 DER body. */
function parsePublicKey(pem: string): ParsedKey<PublicKey> {
  const hit = publicCache.get(pem);
  if (hit) return hit;
  const { der, label } = keyDer('publicKey', pem);
  const asn1 = asn1Of('publicKey', der, label);
  const key = tryPublic(asn1, label);
  if (!key) {
    if (label === undefined && tryPrivate(asn1)) {
      throw keyError('publicKey', 'keyType', 'this is a private key, a public key is expected (the two keys are swapped?)');
    }
    throw keyError('publicKey', 'keyType', 'not an RSA public key in SPKI or PKCS#1 form');
  }
  return remember(publicCache, pem, checkSize('publicKey', key));
}

/** Empties the parsed-key caches (benchmarks; key rotation needs nothing: the cache is keyed by the PEM text). */
export function clearKeyCache(): void {
  clearKeyBitsCache();
  privateCache.clear();
  publicCache.clear();
}

/** PEM armour with 64-column lines and LF endings (RFC 7468). */
function pem(label: string, der: Uint8Array): string {
  const body = base64Encode(der).replace(/.{64}(?=.)/g, '$&\n');
  return `-----BEGIN ${label}-----\n${body}\n-----END ${label}-----\n`;
}

const derOf = (asn1: Forge.asn1.Asn1): Uint8Array => fromBinary(forge.asn1.toDer(asn1).getBytes());
const pkcs8Der = (key: PrivateKey): Uint8Array => derOf(forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(key)));
const spkiDer = (key: PublicKey): Uint8Array => derOf(forge.pki.publicKeyToAsn1(key));

/**
 * Any accepted RSA key text (PKCS#8, PKCS#1, SPKI, X.509 certificate, bare base64, env-style
 * `\n`) as canonical DER: PKCS#8 for a private key, SPKI for a public key. For providers whose
 * native API takes only those (Web Crypto `importKey('pkcs8' | 'spki')`, `node:crypto` DER input).
 */
export function rsaKeyToDer(keyText: string, kind: 'private' | 'public'): Uint8Array {
  return kind === 'private' ? pkcs8Der(parsePrivateKey(keyText).key) : spkiDer(parsePublicKey(keyText).key);
}

/** `rsaKeyToDer` as PEM: "BEGIN PRIVATE KEY" (PKCS#8) or "BEGIN PUBLIC KEY" (SPKI). */
export function rsaKeyToPem(keyText: string, kind: 'private' | 'public'): string {
  return pem(kind === 'private' ? 'PRIVATE KEY' : 'PUBLIC KEY', rsaKeyToDer(keyText, kind));
}

/**
 * A fresh RSA key pair (e = 65537) made locally from `crypto.getRandomValues`, never on a website
 * (PROTOCOL §6): `privateKeyPem` is PKCS#8 ("BEGIN PRIVATE KEY"), `publicKeyPem` SPKI
 * ("BEGIN PUBLIC KEY"), LF line endings. Pure JavaScript (node-forge's prime search).
 */
export function generateRsaKeyPair(bits = 1024): { privateKeyPem: string; publicKeyPem: string } {
  if (!Number.isInteger(bits) || bits < 512 || bits > 4096 || bits % 8 !== 0) {
    throw new MmspConfigError([{ field: 'bits', rule: 'range', message: 'bits: must be a multiple of 8 from 512 to 4096 (the platform uses 1024)' }]);
  }
  const prng = { getBytesSync: (n: number): string => toBinary(secureRandomBytes(n)) };
  let pair: Forge.pki.rsa.KeyPair;
  try {
    pair = forge.pki.rsa.generateKeyPair({ bits, e: 0x10001, prng } as never);
  } catch (cause) {
    throw new MmspError('generateRsaKeyPair: key generation failed', 'MMSP_CRYPTO', { cause });
  }
  return { privateKeyPem: pem('PRIVATE KEY', pkcs8Der(pair.privateKey)), publicKeyPem: pem('PUBLIC KEY', spkiDer(pair.publicKey)) };
}

// ---------------------------------------------------------------------------------------------
// PKCS#1 v1.5 (RFC 8017 §7.2 and §8.2)

/** DER prefix of DigestInfo { sha1, NULL } (RFC 8017 §9.2 note 1). */
/** forge's raw RSA primitives (present in node-forge, missing from its type declarations). */
const forgeRsa = forge.pki.rsa as unknown as {
  /** `bt === true`: public-key operation without padding; `false`: private-key operation without padding. */
  encrypt(m: string, key: PublicKey | PrivateKey, bt: boolean): string;
  /** `ml === false`: no unpadding; `pub` chooses the public or the private exponent. Throws when the input ≥ n. */
  decrypt(ed: string, key: PublicKey | PrivateKey, pub: boolean, ml: false): string;
};

const SHA1_DIGEST_INFO = Uint8Array.of(0x30, 0x21, 0x30, 0x09, 0x06, 0x05, 0x2b, 0x0e, 0x03, 0x02, 0x1a, 0x05, 0x00, 0x04, 0x14);

function rawPublic(key: ParsedKey<PublicKey>, block: Uint8Array): Uint8Array {
  return fromBinary(forgeRsa.decrypt(toBinary(block), key.key, true, false));
}

function rawPrivate(key: ParsedKey<PrivateKey>, block: Uint8Array): Uint8Array {
  return fromBinary(forgeRsa.decrypt(toBinary(block), key.key, false, false));
}

function encryptBlock(publicKeyPem: string, block: Uint8Array): Uint8Array {
  const key = parsePublicKey(publicKeyPem);
  return fromBinary(forgeRsa.encrypt(toBinary(pkcs1v15Pad(block, key.k)), key.key, true));
}

function decryptBlock(privateKeyPem: string, block: Uint8Array): Uint8Array {
  const key = parsePrivateKey(privateKeyPem);
  pkcs1v15CheckBlock(block, key.k);
  let em: Uint8Array;
  try {
    em = rawPrivate(key, block);
  } catch {
    throw pkcs1v15DecryptError();
  }
  return pkcs1v15Unpad(em);
}

function emsaSha1(data: Uint8Array, k: number): Uint8Array {
  const t = new Uint8Array(SHA1_DIGEST_INFO.length + 20);
  t.set(SHA1_DIGEST_INFO);
  t.set(nobleSha1(data), SHA1_DIGEST_INFO.length);
  const em = new Uint8Array(k).fill(0xff);
  em[0] = 0x00;
  em[1] = 0x01;
  em[k - t.length - 1] = 0x00;
  em.set(t, k - t.length);
  return em;
}

function sign(privateKeyPem: string, data: Uint8Array): Uint8Array {
  const key = parsePrivateKey(privateKeyPem);
  if (key.k < SHA1_DIGEST_INFO.length + 20 + 11) throw new MmspEncodingError('SHA1withRSA: the key is too short');
  const em = emsaSha1(data, key.k);
  return fromBinary(forgeRsa.encrypt(toBinary(em), key.key, false));
}

function verify(publicKeyPem: string, data: Uint8Array, signature: Uint8Array): boolean {
  const key = parsePublicKey(publicKeyPem);
  if (signature.length !== key.k) return false;
  let em: Uint8Array;
  try {
    em = rawPublic(key, signature);
  } catch {
    return false; // signature ≥ modulus
  }
  return bytesEqual(em, emsaSha1(data, key.k));
}

/** The default provider (@noble/hashes + node-forge); every RSA operation is synchronous. */
export const pureCrypto: SyncCryptoProvider = Object.freeze({
  name: 'pure',
  md5: (data: Uint8Array): Uint8Array => nobleMd5(data),
  randomBytes: secureRandomBytes,
  rsaEncryptBlock: encryptBlock,
  rsaDecryptBlock: decryptBlock,
  sha1WithRsaSign: sign,
  sha1WithRsaVerify: verify,
});
