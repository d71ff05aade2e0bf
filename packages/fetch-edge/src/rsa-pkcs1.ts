/**
 * RSA PKCS#1 v1.5 encryption (type 2 padding) and decryption without node-forge (RFC 8017 §7.2;
 * PROTOCOL §6, payout RSA): Web Crypto only offers RSA-OAEP, so the arithmetic is BigInt
 * square-and-multiply, with the CRT (p, q, dP, dQ, qInv) to decrypt. Byte-identical in behaviour to
 * the codec's `pureCrypto` (same padding, same checks, same errors): test/provider-contract.test.ts.
 *
 * Keys are first read by the codec's `rsaKeyBits`, so an unusable key fails exactly as it does with
 * the other providers (field `privateKey` / `publicKey`); ./pem.ts then gives the DER integers.
 */
import { MmspEncodingError, pkcs1v15CheckBlock, pkcs1v15DecryptError, pkcs1v15Pad, pkcs1v15Unpad, rsaKeyBits } from '@mmsp/codec';
import { keyDer, tlv } from './pem.js';

interface PublicKey { n: bigint; e: bigint; k: number }
interface PrivateKey { n: bigint; p: bigint; q: bigint; dp: bigint; dq: bigint; qinv: bigint; k: number }


function toBigInt(bytes: Uint8Array): bigint {
  let hex = '0x0';
  for (const b of bytes) hex += b.toString(16).padStart(2, '0');
  return BigInt(hex);
}

/** Big-endian, left-padded to `k` bytes (the value is < n, so it fits). */
function toBytes(value: bigint, k: number): Uint8Array {
  const hex = value.toString(16).padStart(k * 2, '0');
  const out = new Uint8Array(k);
  for (let i = 0; i < k; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** base^exp mod m, square-and-multiply over the exponent's bits. */
function modPow(base: bigint, exp: bigint, m: bigint): bigint {
  let result = 1n;
  let b = base % m;
  for (let e = exp; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * b) % m;
    b = (b * b) % m;
  }
  return result;
}

/** The INTEGERs of the SEQUENCE at `offset` (the key's numbers). */
function integers(der: Uint8Array, offset: number): bigint[] {
  const seq = tlv(der, offset);
  if (!seq || seq.tag !== 0x30) throw new MmspEncodingError('RSA key: unexpected DER structure');
  const out: bigint[] = [];
  for (let at = seq.start; at < seq.end; ) {
    const e = tlv(der, at);
    if (!e) break;
    if (e.tag === 0x02) out.push(toBigInt(der.subarray(e.start, e.end)));
    at = e.end;
  }
  return out;
}

/** The content offset of the last element of the outer SEQUENCE (PKCS#8 OCTET STRING, SPKI BIT STRING). */
function lastElement(der: Uint8Array): { tag: number; start: number } {
  const outer = tlv(der, 0);
  let last: { tag: number; start: number } | undefined;
  for (let at = outer ? outer.start : der.length; outer && at < outer.end; ) {
    const e = tlv(der, at);
    if (!e) break;
    last = e;
    at = e.end;
  }
  if (!last) throw new MmspEncodingError('RSA key: unexpected DER structure');
  return last;
}

const CACHE_LIMIT = 32;
const publicKeys = new Map<string, PublicKey>();
const privateKeys = new Map<string, PrivateKey>();

function remember<K>(cache: Map<string, K>, pem: string, key: K): K {
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(pem, key);
  return key;
}

function publicKey(pem: string): PublicKey {
  const hit = publicKeys.get(pem);
  if (hit) return hit;
  const k = Math.ceil(rsaKeyBits(pem, 'public') / 8);
  const spki = keyDer(pem, 'public', 'publicKey');
  const bits = lastElement(spki); // BIT STRING: one "unused bits" byte, then RSAPublicKey
  const [n, e] = integers(spki, bits.start + 1);
  if (n === undefined || e === undefined) throw new MmspEncodingError('RSA key: unexpected DER structure');
  return remember(publicKeys, pem, { n, e, k });
}

function privateKey(pem: string): PrivateKey {
  const hit = privateKeys.get(pem);
  if (hit) return hit;
  const k = Math.ceil(rsaKeyBits(pem, 'private') / 8);
  const pkcs8 = keyDer(pem, 'private', 'privateKey');
  const [, n, , , p, q, dp, dq, qinv] = integers(pkcs8, lastElement(pkcs8).start); // RSAPrivateKey (RFC 8017 A.1.2)
  if (n === undefined || p === undefined || q === undefined || dp === undefined || dq === undefined || qinv === undefined) {
    throw new MmspEncodingError('RSA key: unexpected DER structure');
  }
  return remember(privateKeys, pem, { n, p, q, dp, dq, qinv, k });
}

/** EME-PKCS1-v1_5 encoding (the codec's, shared with every provider) then RSAEP. */
export function rsaEncryptBlock(publicKeyPem: string, block: Uint8Array): Uint8Array {
  const key = publicKey(publicKeyPem);
  return toBytes(modPow(toBigInt(pkcs1v15Pad(block, key.k)), key.e, key.n), key.k);
}

/** RSADP with the CRT, then the codec's strict EME-PKCS1-v1_5 decoding; one error for any failure. */
export function rsaDecryptBlock(privateKeyPem: string, block: Uint8Array): Uint8Array {
  const key = privateKey(privateKeyPem);
  pkcs1v15CheckBlock(block, key.k);
  const c = toBigInt(block);
  if (c >= key.n) throw pkcs1v15DecryptError();
  const m1 = modPow(c, key.dp, key.p);
  const m2 = modPow(c, key.dq, key.q);
  const h = (key.qinv * (((m1 - m2) % key.p) + key.p)) % key.p;
  return pkcs1v15Unpad(toBytes(m2 + h * key.q, key.k));
}
