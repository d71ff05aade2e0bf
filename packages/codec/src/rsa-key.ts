/**
 * RSA key text → DER, and the modulus size of a key, without node-forge (PROTOCOL §6, payout RSA).
 * The segmented `…With(provider, …)` payout functions need only the modulus size (k − 11-byte
 * chunks to encrypt, k-byte blocks to decrypt); reading it here keeps node-forge out of bundles
 * whose provider does its own RSA (Web Crypto in @mmsp/fetch-edge, OpenSSL in @mmsp/http-node).
 *
 * Which keys are accepted, and the error for each rejected one, are those of the pure provider
 * (pure-crypto.ts, node-forge's `privateKeyFromAsn1` / `publicKeyFromAsn1`): the same strict DER
 * reading and the same structural checks, so a key fails the same way whichever provider is used
 * (test/rsa-key.test.ts compares the two).
 */
import { base64Decode } from './bytes.js';
import { MmspConfigError } from './errors.js';

/** A key problem: names the key and the rule, never prints key material. */
export function keyError(kind: 'privateKey' | 'publicKey', rule: string, reason: string): MmspConfigError {
  return new MmspConfigError([{ field: kind, rule, message: `${kind}: ${reason}` }]);
}

const PRIVATE_LABELS = ['PRIVATE KEY', 'RSA PRIVATE KEY'];
const PUBLIC_LABELS = ['PUBLIC KEY', 'RSA PUBLIC KEY', 'CERTIFICATE'];

/**
 * The DER bytes of a key given as PEM or as a bare base64 body (how the platform hands keys out),
 * tolerating CRLF, indentation and literal `\n` sequences (keys pasted into environment variables).
 */
export function keyDer(kind: 'privateKey' | 'publicKey', input: unknown): { der: Uint8Array; label: string | undefined } {
  if (typeof input !== 'string' || input.trim() === '') {
    throw keyError(kind, 'required', `expected a PEM string or a base64 DER body, got ${typeof input === 'string' ? 'an empty string' : typeof input}`);
  }
  const text = input.replace(/\\r/g, '').replace(/\\n/g, '\n').trim();
  if (text.includes('-----BEGIN')) {
    const m = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END ([A-Z0-9 ]+)-----/.exec(text);
    if (!m || m[1] !== m[3]) throw keyError(kind, 'pem', 'malformed PEM armour (BEGIN and END lines do not match)');
    const label = m[1]!;
    const body = m[2]!;
    if (label === 'ENCRYPTED PRIVATE KEY' || /Proc-Type:\s*4,ENCRYPTED/.test(body)) {
      throw keyError(kind, 'pem', 'password-protected keys are not supported; export it unencrypted (openssl pkcs8 -topk8 -nocrypt)');
    }
    const expected = kind === 'privateKey' ? PRIVATE_LABELS : PUBLIC_LABELS;
    if (!expected.includes(label)) {
      const other = kind === 'privateKey' ? PUBLIC_LABELS : PRIVATE_LABELS;
      const hint = other.includes(label) ? ` (this is a ${kind === 'privateKey' ? 'public' : 'private'} key: the two keys are swapped?)` : '';
      throw keyError(kind, 'pem', `PEM type "${label}" is not accepted here, expected ${expected.map((l) => `"${l}"`).join(' or ')}${hint}`);
    }
    if (/^[A-Za-z-]+:/m.test(body)) throw keyError(kind, 'pem', 'PEM headers are not supported');
    try {
      return { der: base64Decode(body, kind), label };
    } catch {
      throw keyError(kind, 'pem', 'the PEM body is not valid base64');
    }
  }
  try {
    return { der: base64Decode(text, kind), label: undefined };
  } catch {
    throw keyError(kind, 'pem', 'neither PEM ("-----BEGIN ...") nor a base64 DER body');
  }
}

// ---------------------------------------------------------------------------------------------
// DER, read as node-forge's `asn1.fromDer(…, { strict: true, parseAllBytes: true })` reads it

const UNIVERSAL = 0x00;
const CONTEXT = 0x80;
const INTEGER = 2;
const BITSTRING = 3;
const OCTETSTRING = 4;
const OID = 6;
const SEQUENCE = 16;

interface Node {
  cls: number;
  constructed: boolean;
  type: number;
  /** Content bytes (primitive), children (constructed), or a BIT STRING's decoded content. */
  value: Uint8Array | Node[];
}

class DerError extends Error {}

function readNode(der: Uint8Array, at: { pos: number }, end: number): Node {
  if (at.pos >= end) throw new DerError();
  const b1 = der[at.pos++]!;
  if (at.pos >= end) throw new DerError();
  const b2 = der[at.pos++]!;
  if (b2 === 0x80) throw new DerError(); // indefinite length: not DER
  let length = b2;
  if (b2 & 0x80) {
    const count = b2 & 0x7f;
    if (count > 4 || at.pos + count > end) throw new DerError();
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + der[at.pos++]!;
  }
  if (at.pos + length > end) throw new DerError();
  const node: Node = { cls: b1 & 0xc0, constructed: (b1 & 0x20) !== 0, type: b1 & 0x1f, value: new Uint8Array(0) };
  const stop = at.pos + length;
  if (node.constructed) {
    const children: Node[] = [];
    while (at.pos < stop) children.push(readNode(der, at, stop));
    node.value = children;
    return node;
  }
  // forge decodes a BIT STRING with no unused bits whose content is exactly one element.
  if (node.type === BITSTRING && length > 1 && der[at.pos] === 0) {
    const inner = { pos: at.pos + 1 };
    try {
      const composed = readNode(der, inner, stop);
      if (inner.pos === stop && (composed.cls === UNIVERSAL || composed.cls === CONTEXT)) {
        node.value = [composed];
        at.pos = stop;
        return node;
      }
    } catch {
      // not nested DER: kept as bytes
    }
  }
  node.value = der.subarray(at.pos, stop);
  at.pos = stop;
  return node;
}

function parseDer(der: Uint8Array): Node {
  const at = { pos: 0 };
  const node = readNode(der, at, der.length);
  if (at.pos !== der.length) throw new DerError();
  return node;
}

// node-forge's `asn1.validate`: the validator's elements are matched in order, an optional one may
// be missing, extra elements of the value are ignored.
interface Shape {
  type: number;
  constructed: boolean;
  optional?: boolean;
  capture?: string;
  value?: Shape[];
}

function validate(node: Node | undefined, shape: Shape, capture: Record<string, Node>): boolean {
  if (!node || node.cls !== UNIVERSAL || node.type !== shape.type || node.constructed !== shape.constructed) return false;
  if (shape.value) {
    const children = Array.isArray(node.value) ? node.value : undefined;
    let j = 0;
    for (const s of shape.value) {
      // A primitive value's bytes are "elements" to forge too: present, never matching.
      const present = children ? children[j] : (node.value as Uint8Array).length > j ? null : undefined;
      let ok = s.optional ?? false;
      if (present !== undefined) {
        ok = present !== null && validate(present, s, capture);
        if (ok) j++;
        else if (s.optional) ok = true;
      }
      if (!ok) return false;
    }
  }
  if (shape.capture) capture[shape.capture] = node;
  return true;
}

const int = (capture?: string): Shape => ({ type: INTEGER, constructed: false, ...(capture ? { capture } : {}) });

const PKCS8: Shape = {
  type: SEQUENCE, constructed: true,
  value: [int(), { type: SEQUENCE, constructed: true, value: [{ type: OID, constructed: false }] }, { type: OCTETSTRING, constructed: false, capture: 'privateKey' }],
};
const RSA_PRIVATE: Shape = { type: SEQUENCE, constructed: true, value: [int(), int('n'), int(), int('d'), int(), int(), int(), int(), int()] };
const SPKI: Shape = {
  type: SEQUENCE, constructed: true,
  value: [
    { type: SEQUENCE, constructed: true, value: [{ type: OID, constructed: false, capture: 'oid' }] },
    { type: BITSTRING, constructed: false, value: [{ type: SEQUENCE, constructed: true, optional: true, capture: 'rsaPublicKey' }] },
  ],
};
const RSA_PUBLIC: Shape = { type: SEQUENCE, constructed: true, value: [int('n'), int('e')] };
/** DER content of OID 1.2.840.113549.1.1.1 (rsaEncryption). */
const RSA_ENCRYPTION = '2a864886f70d010101';

const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

/** Bit length of an unsigned big-endian integer (what forge's BigInteger of the bytes' hex gives). */
function bitLength(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length && bytes[i] === 0) i++;
  if (i === bytes.length) return 0;
  return (bytes.length - i - 1) * 8 + (32 - Math.clz32(bytes[i]!));
}

/** The modulus of a private key (PKCS#8 or PKCS#1), as `pki.privateKeyFromAsn1` reads it; undefined if it is not one. */
function privateModulus(node: Node): Uint8Array | undefined {
  let capture: Record<string, Node> = {};
  let obj: Node | undefined = node;
  if (validate(node, PKCS8, capture)) {
    try {
      obj = parseDer(capture.privateKey!.value as Uint8Array);
    } catch {
      return undefined;
    }
  }
  capture = {};
  return validate(obj, RSA_PRIVATE, capture) ? (capture.n!.value as Uint8Array) : undefined;
}

/** The modulus of a public key (SPKI or PKCS#1), as `pki.publicKeyFromAsn1` reads it; undefined if it is not one. */
function publicModulus(node: Node): Uint8Array | undefined {
  let capture: Record<string, Node> = {};
  let obj: Node | undefined = node;
  if (validate(node, SPKI, capture)) {
    if (hex(capture.oid!.value as Uint8Array) !== RSA_ENCRYPTION) return undefined;
    obj = capture.rsaPublicKey;
  }
  capture = {};
  return validate(obj, RSA_PUBLIC, capture) ? (capture.n!.value as Uint8Array) : undefined;
}

/** The key inside an X.509 certificate: the SEQUENCE of tbsCertificate that reads as one (RFC 5280 §4.1). */
function certificateModulus(node: Node): Uint8Array | undefined {
  const tbs = Array.isArray(node.value) ? node.value[0] : undefined;
  if (!tbs || !Array.isArray(tbs.value)) return undefined;
  for (const part of tbs.value) {
    if (part.cls !== UNIVERSAL || part.type !== SEQUENCE) continue;
    const n = publicModulus(part);
    if (n) return n;
  }
  return undefined;
}

const CACHE_LIMIT = 32;
const bitsCache = new Map<string, number>();

function readKeyBits(keyPem: string, kind: 'privateKey' | 'publicKey'): number {
  const { der, label } = keyDer(kind, keyPem);
  let node: Node;
  try {
    node = parseDer(der);
  } catch {
    throw keyError(kind, 'der', label ? 'the PEM body is not valid DER (truncated or damaged)' : 'neither PEM ("-----BEGIN ...") nor the base64 DER body of a key');
  }
  let n: Uint8Array | undefined;
  if (kind === 'privateKey') {
    n = privateModulus(node);
    if (!n) {
      if (label === undefined && publicModulus(node)) {
        throw keyError(kind, 'keyType', 'this is a public key, a private key is expected (the two keys are swapped?)');
      }
      throw keyError(kind, 'keyType', 'not an RSA private key in PKCS#8 or PKCS#1 form');
    }
  } else {
    n = label === 'CERTIFICATE' ? certificateModulus(node) : publicModulus(node);
    if (!n) {
      if (label === undefined && privateModulus(node)) {
        throw keyError(kind, 'keyType', 'this is a private key, a public key is expected (the two keys are swapped?)');
      }
      throw keyError(kind, 'keyType', 'not an RSA public key in SPKI or PKCS#1 form');
    }
  }
  const bits = bitLength(n);
  if (bits < 512) throw keyError(kind, 'keySize', `an RSA modulus of ${bits} bits is too small (the platform uses 1024)`);
  return bits;
}

/**
 * The modulus size in bits of an RSA key (`kind` says which form is expected), read and cached
 * as the pure provider reads it. Segmentation uses it: blocks of k − 11 bytes to encrypt, k bytes
 * to decrypt. Throws `MmspConfigError` (field `privateKey` / `publicKey`) on an unusable key.
 */
export function rsaKeyBits(keyPem: string, kind: 'private' | 'public'): number {
  const cacheKey = `${kind}\n${keyPem}`;
  const hit = bitsCache.get(cacheKey);
  if (hit !== undefined) return hit;
  const bits = readKeyBits(keyPem, kind === 'private' ? 'privateKey' : 'publicKey');
  if (bitsCache.size >= CACHE_LIMIT) bitsCache.delete(bitsCache.keys().next().value as string);
  bitsCache.set(cacheKey, bits);
  return bits;
}

/** Empties the key-size cache (pure-crypto's `clearKeyCache` calls it). */
export function clearKeyBitsCache(): void {
  bitsCache.clear();
}
