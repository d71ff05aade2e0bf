/**
 * PEM → DER in the two forms Web Crypto imports (PKCS#8 private, SPKI public). The platform's
 * keys are RSA-1024 PEM in PKCS#8 or PKCS#1 (PROTOCOL §6); Web Crypto only reads PKCS#8 / SPKI, so a
 * PKCS#1 key is wrapped in the outer structure by hand (a few bytes of ASN.1 DER; no node-forge).
 *
 * A key's text never appears in an error: messages name the rule only.
 */
import { MmspConfigError } from '@mmsp/codec';

export type KeyKind = 'private' | 'public';

/** DER of `AlgorithmIdentifier { rsaEncryption (1.2.840.113549.1.1.1), NULL }`. */
const RSA_ALGORITHM_ID = Uint8Array.of(
  0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00,
);

function derLength(length: number): Uint8Array {
  if (length < 0x80) return Uint8Array.of(length);
  const bytes: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) bytes.unshift(n & 0xff);
  return Uint8Array.of(0x80 | bytes.length, ...bytes);
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** One DER TLV: tag, definite length, content. */
export function derElement(tag: number, content: Uint8Array): Uint8Array {
  return concat(Uint8Array.of(tag), derLength(content.length), content);
}

/** PKCS#1 `RSAPrivateKey` → PKCS#8 `PrivateKeyInfo { version 0, rsaEncryption, OCTET STRING }` (RFC 5208). */
export function pkcs1PrivateToPkcs8(pkcs1: Uint8Array): Uint8Array {
  return derElement(0x30, concat(Uint8Array.of(0x02, 0x01, 0x00), RSA_ALGORITHM_ID, derElement(0x04, pkcs1)));
}

/** PKCS#1 `RSAPublicKey` → `SubjectPublicKeyInfo { rsaEncryption, BIT STRING }` (RFC 5280). */
export function pkcs1PublicToSpki(pkcs1: Uint8Array): Uint8Array {
  return derElement(0x30, concat(RSA_ALGORITHM_ID, derElement(0x03, concat(Uint8Array.of(0x00), pkcs1))));
}

function base64ToBytes(text: string, field: string): Uint8Array {
  const clean = text.replace(/\s+/g, '');
  if (clean.length === 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(clean)) {
    throw keyError(field, 'base64', `${field} is not a PEM key: its body is not base64.`);
  }
  const binary = atob(clean);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

function keyError(field: string, rule: string, message: string): MmspConfigError {
  return new MmspConfigError([{ field, rule, message }]);
}

/** Reads one DER TLV at `offset`: its tag, where its content starts, and where it ends (also used by rsa-pkcs1.ts). */
export function tlv(der: Uint8Array, offset: number): { tag: number; start: number; end: number } | undefined {
  const tag = der[offset];
  let len = der[offset + 1];
  if (tag === undefined || len === undefined) return undefined;
  let start = offset + 2;
  if (len & 0x80) {
    const count = len & 0x7f;
    if (count === 0 || count > 4) return undefined;
    len = 0;
    for (let i = 0; i < count; i++) len = len * 256 + (der[start++] ?? 0);
  }
  const end = start + len;
  return end <= der.length ? { tag, start, end } : undefined;
}

/**
 * The `subjectPublicKeyInfo` of an X.509 certificate (RFC 5280 §4.1): the 7th element of
 * `tbsCertificate` counting the optional `[0] version` (6th without it).
 */
function certificateSpki(der: Uint8Array, field: string): Uint8Array {
  const cert = tlv(der, 0);
  const tbs = cert && cert.tag === 0x30 ? tlv(der, cert.start) : undefined;
  if (tbs && tbs.tag === 0x30) {
    let at = tbs.start;
    const elements: { tag: number; start: number; end: number; offset: number }[] = [];
    while (at < tbs.end && elements.length < 7) {
      const e = tlv(der, at);
      if (!e) break;
      elements.push({ ...e, offset: at });
      at = e.end;
    }
    const spki = elements[elements[0]?.tag === 0xa0 ? 6 : 5];
    if (spki && spki.tag === 0x30) return der.slice(spki.offset, spki.end);
  }
  throw keyError(field, 'der', `${field}: the CERTIFICATE could not be read (expected X.509 DER).`);
}

/** The tag of the second element inside the outer SEQUENCE: tells PKCS#1 from PKCS#8 / SPKI apart. */
function innerTags(der: Uint8Array): [number | undefined, number | undefined] {
  if (der[0] !== 0x30) return [undefined, undefined];
  let offset = 1;
  const first = der[offset++] ?? 0;
  if (first & 0x80) offset += first & 0x7f;
  const tag1 = der[offset];
  if (tag1 === undefined) return [undefined, undefined];
  offset++;
  const len = der[offset++] ?? 0;
  let contentLength = len;
  if (len & 0x80) {
    contentLength = 0;
    for (let i = 0; i < (len & 0x7f); i++) contentLength = contentLength * 256 + (der[offset++] ?? 0);
  }
  return [tag1, der[offset + contentLength]];
}

/**
 * DER ready for `crypto.subtle.importKey` (`pkcs8` for a private key, `spki` for a public one).
 * Accepts `BEGIN PRIVATE KEY` / `BEGIN RSA PRIVATE KEY` / `BEGIN PUBLIC KEY` / `BEGIN RSA PUBLIC KEY`
 * PEM, and a bare base64 body (merchants often paste keys without the armour lines), told apart
 * by their DER structure.
 */
export function keyDer(pem: string, kind: KeyKind, field = kind === 'private' ? 'merchantPrivateKey' : 'platformPublicKey'): Uint8Array {
  if (typeof pem !== 'string' || pem.trim() === '') {
    throw keyError(field, 'required', `${field} must be a PEM ${kind} key (non-empty string).`);
  }
  // Keys pasted into environment variables often carry literal "\n" sequences (the codec accepts them too).
  const text = pem.replace(/\\r/g, '').replace(/\\n/g, '\n').trim();
  const armour = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/.exec(text);
  const label = armour?.[1];
  const der = base64ToBytes(armour ? (armour[2] ?? '') : text, field);
  if (label !== undefined) {
    if (kind === 'private') {
      if (label === 'PRIVATE KEY') return der;
      if (label === 'RSA PRIVATE KEY') return pkcs1PrivateToPkcs8(der);
    } else {
      if (label === 'PUBLIC KEY') return der;
      if (label === 'RSA PUBLIC KEY') return pkcs1PublicToSpki(der);
      if (label === 'CERTIFICATE') return certificateSpki(der, field);
    }
    throw keyError(field, 'pemType', `${field} must be a ${kind} key in PKCS#8/SPKI or PKCS#1 PEM; got a "${label}" block.`);
  }
  // Bare base64: PKCS#8 = SEQ { INTEGER 0, SEQ alg, … }, PKCS#1 private = SEQ { INTEGER 0, INTEGER n, … },
  // SPKI = SEQ { SEQ alg, BIT STRING }, PKCS#1 public = SEQ { INTEGER n, INTEGER e }.
  const [first, second] = innerTags(der);
  if (kind === 'private' && first === 0x02) return second === 0x30 ? der : pkcs1PrivateToPkcs8(der);
  if (kind === 'public' && first === 0x30) return der;
  if (kind === 'public' && first === 0x02) return pkcs1PublicToSpki(der);
  throw keyError(field, 'der', `${field} is not an RSA ${kind} key (PKCS#8/SPKI or PKCS#1, PEM or base64 DER).`);
}
