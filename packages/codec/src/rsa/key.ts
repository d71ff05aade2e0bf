/**
 * The one RSA key reader of the repository (PROTOCOL §6, payout RSA): key text → the key's
 * numbers. Accepted: PKCS#8 (`BEGIN PRIVATE KEY`) and PKCS#1 (`BEGIN RSA PRIVATE KEY`) private
 * keys; SPKI (`BEGIN PUBLIC KEY`), PKCS#1 (`BEGIN RSA PUBLIC KEY`) and X.509 certificates
 * (`BEGIN CERTIFICATE`) for public keys; any of them as a bare base64 DER body (how the platform
 * hands keys out); CRLF, indentation and env-style literal `\n`. Every refusal is an
 * `MmspConfigError` whose issue names the key (`privateKey` / `publicKey`) and the rule
 * (`required`, `pem`, `der`, `keyType`, `keySize`) and never prints key material.
 *
 * Parsed keys are cached by {@link RsaKeyRing} objects, one per provider: no module-level cache.
 */
import { base64Decode, base64Encode } from '../bytes/encoding.js';
import { MmspConfigError } from '../errors.js';
import {
  BITSTRING,
  DerError,
  derElement,
  derInteger,
  INTEGER,
  matchShape,
  OCTETSTRING,
  OID,
  parseDer,
  RSA_ALGORITHM_ID,
  SEQUENCE,
  UNIVERSAL,
  type DerNode,
  type DerShape,
} from './der.js';
import { bytesToBigInt } from './bigint.js';

/** An RSA public key: modulus `n`, exponent `e`, modulus size `k` in bytes and `bits`. */
export interface RsaPublicKey {
  readonly n: bigint;
  readonly e: bigint;
  /** Modulus length in bytes (128 for the platform's 1024-bit keys). */
  readonly k: number;
  /** Modulus length in bits. */
  readonly bits: number;
}

/** An RSA private key (RFC 8017 §3.2, second representation): the public part plus d and the CRT numbers. */
export interface RsaPrivateKey extends RsaPublicKey {
  readonly d: bigint;
  readonly p: bigint;
  readonly q: bigint;
  readonly dp: bigint;
  readonly dq: bigint;
  readonly qinv: bigint;
}

/** Which key a text is expected to be. */
export type RsaKeyKind = 'private' | 'public';

/** A key problem: names the key and the rule, never prints key material. */
export function keyError(kind: 'privateKey' | 'publicKey', rule: string, reason: string): MmspConfigError {
  return new MmspConfigError([{ field: kind, rule, message: `${kind}: ${reason}` }]);
}

const PRIVATE_LABELS = ['PRIVATE KEY', 'RSA PRIVATE KEY'];
const PUBLIC_LABELS = ['PUBLIC KEY', 'RSA PUBLIC KEY', 'CERTIFICATE'];

/** The DER bytes of a key given as PEM or as a bare base64 body, and its PEM label (undefined when bare). */
function keyDer(kind: 'privateKey' | 'publicKey', input: unknown): { der: Uint8Array; label: string | undefined } {
  if (typeof input !== 'string' || input.trim() === '') {
    throw keyError(
      kind,
      'required',
      `expected a PEM string or a base64 DER body, got ${typeof input === 'string' ? 'an empty string' : typeof input}`,
    );
  }
  const text = input.replace(/\\r/g, '').replace(/\\n/g, '\n').trim();
  if (text.includes('-----BEGIN')) {
    const m = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END ([A-Z0-9 ]+)-----/.exec(text);
    if (!m || m[1] !== m[3]) throw keyError(kind, 'pem', 'malformed PEM armour (BEGIN and END lines do not match)');
    const label = m[1]!;
    const body = m[2]!;
    if (label === 'ENCRYPTED PRIVATE KEY' || /Proc-Type:\s*4,ENCRYPTED/.test(body)) {
      throw keyError(
        kind,
        'pem',
        'password-protected keys are not supported; export it unencrypted (openssl pkcs8 -topk8 -nocrypt)',
      );
    }
    const expected = kind === 'privateKey' ? PRIVATE_LABELS : PUBLIC_LABELS;
    if (!expected.includes(label)) {
      const other = kind === 'privateKey' ? PUBLIC_LABELS : PRIVATE_LABELS;
      const hint = other.includes(label)
        ? ` (this is a ${kind === 'privateKey' ? 'public' : 'private'} key: the two keys are swapped?)`
        : '';
      throw keyError(
        kind,
        'pem',
        `PEM type "${label}" is not accepted here, expected ${expected.map((l) => `"${l}"`).join(' or ')}${hint}`,
      );
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
// Structures (RFC 5208 PKCS#8, RFC 8017 A.1 PKCS#1, RFC 5280 SPKI)

const int = (capture?: string): DerShape => ({ type: INTEGER, constructed: false, ...(capture ? { capture } : {}) });
const PKCS8: DerShape = {
  type: SEQUENCE,
  constructed: true,
  value: [
    int(),
    { type: SEQUENCE, constructed: true, value: [{ type: OID, constructed: false }] },
    { type: OCTETSTRING, constructed: false, capture: 'privateKey' },
  ],
};
const RSA_PRIVATE: DerShape = {
  type: SEQUENCE,
  constructed: true,
  value: [int(), int('n'), int('e'), int('d'), int('p'), int('q'), int('dp'), int('dq'), int('qinv')],
};
const SPKI: DerShape = {
  type: SEQUENCE,
  constructed: true,
  value: [
    { type: SEQUENCE, constructed: true, value: [{ type: OID, constructed: false, capture: 'oid' }] },
    {
      type: BITSTRING,
      constructed: false,
      value: [{ type: SEQUENCE, constructed: true, optional: true, capture: 'rsaPublicKey' }],
    },
  ],
};
const RSA_PUBLIC: DerShape = { type: SEQUENCE, constructed: true, value: [int('n'), int('e')] };
/** DER content of OID 1.2.840.113549.1.1.1 (rsaEncryption). */
const RSA_ENCRYPTION = '2a864886f70d010101';

const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
const big = (node: DerNode): bigint => bytesToBigInt(node.value as Uint8Array);

/** The RSAPrivateKey of a PKCS#8 or PKCS#1 structure; undefined when it is not one. */
function privateNumbers(node: DerNode): Record<string, DerNode> | undefined {
  let capture: Record<string, DerNode> = {};
  let obj: DerNode | undefined = node;
  if (matchShape(node, PKCS8, capture)) {
    try {
      obj = parseDer(capture.privateKey!.value as Uint8Array);
    } catch {
      return undefined;
    }
  }
  capture = {};
  return matchShape(obj, RSA_PRIVATE, capture) ? capture : undefined;
}

/** The RSAPublicKey of an SPKI or PKCS#1 structure; undefined when it is not one. */
function publicNumbers(node: DerNode): Record<string, DerNode> | undefined {
  let capture: Record<string, DerNode> = {};
  let obj: DerNode | undefined = node;
  if (matchShape(node, SPKI, capture)) {
    if (hex(capture.oid!.value as Uint8Array) !== RSA_ENCRYPTION) return undefined;
    obj = capture.rsaPublicKey;
  }
  capture = {};
  return matchShape(obj, RSA_PUBLIC, capture) ? capture : undefined;
}

/** The key inside an X.509 certificate: the SEQUENCE of tbsCertificate that reads as one (RFC 5280 §4.1). */
function certificateNumbers(node: DerNode): Record<string, DerNode> | undefined {
  const tbs = Array.isArray(node.value) ? node.value[0] : undefined;
  if (!tbs || !Array.isArray(tbs.value)) return undefined;
  for (const part of tbs.value) {
    if (part.cls !== UNIVERSAL || part.type !== SEQUENCE) continue;
    const numbers = publicNumbers(part);
    if (numbers) return numbers;
  }
  return undefined;
}

function parsed(kind: 'privateKey' | 'publicKey', der: Uint8Array, label: string | undefined): DerNode {
  try {
    return parseDer(der);
  } catch (err) {
    if (!(err instanceof DerError)) throw err;
    throw keyError(
      kind,
      'der',
      label
        ? 'the PEM body is not valid DER (truncated or damaged)'
        : 'neither PEM ("-----BEGIN ...") nor the base64 DER body of a key',
    );
  }
}

function sized(kind: 'privateKey' | 'publicKey', n: bigint): { bits: number; k: number } {
  const bits = n === 0n ? 0 : n.toString(2).length;
  if (bits < 512)
    throw keyError(kind, 'keySize', `an RSA modulus of ${bits} bits is too small (the platform uses 1024)`);
  return { bits, k: Math.ceil(bits / 8) };
}

/** Reads an RSA private key: PKCS#8 or PKCS#1 PEM, or a bare base64 DER body of either. */
export function readRsaPrivateKey(text: string): RsaPrivateKey {
  const { der, label } = keyDer('privateKey', text);
  const node = parsed('privateKey', der, label);
  const c = privateNumbers(node);
  if (!c) {
    if (label === undefined && publicNumbers(node)) {
      throw keyError(
        'privateKey',
        'keyType',
        'this is a public key, a private key is expected (the two keys are swapped?)',
      );
    }
    throw keyError('privateKey', 'keyType', 'not an RSA private key in PKCS#8 or PKCS#1 form');
  }
  const n = big(c.n!);
  return Object.freeze({
    n,
    e: big(c.e!),
    ...sized('privateKey', n),
    d: big(c.d!),
    p: big(c.p!),
    q: big(c.q!),
    dp: big(c.dp!),
    dq: big(c.dq!),
    qinv: big(c.qinv!),
  });
}

/** Reads an RSA public key: SPKI or PKCS#1 PEM, an X.509 certificate, or a bare base64 DER body. */
export function readRsaPublicKey(text: string): RsaPublicKey {
  const { der, label } = keyDer('publicKey', text);
  const node = parsed('publicKey', der, label);
  const c = label === 'CERTIFICATE' ? certificateNumbers(node) : publicNumbers(node);
  if (!c) {
    if (label === undefined && privateNumbers(node)) {
      throw keyError(
        'publicKey',
        'keyType',
        'this is a private key, a public key is expected (the two keys are swapped?)',
      );
    }
    throw keyError('publicKey', 'keyType', 'not an RSA public key in SPKI or PKCS#1 form');
  }
  const n = big(c.n!);
  return Object.freeze({ n, e: big(c.e!), ...sized('publicKey', n) });
}

/**
 * Parsed keys by their text, for one owner (a provider, the payout functions): bounded, the
 * oldest entry goes first. Rotating a key needs nothing: the new text is a new entry.
 */
export class RsaKeyRing {
  readonly #privateKeys = new Map<string, RsaPrivateKey>();
  readonly #publicKeys = new Map<string, RsaPublicKey>();
  readonly #limit: number;

  /** @param limit - keys kept per kind (default 32). */
  constructor(limit = 32) {
    this.#limit = limit;
  }

  /** The private key of `text` ({@link readRsaPrivateKey}), parsed once. */
  privateKey(text: string): RsaPrivateKey {
    return this.#get(this.#privateKeys, text, readRsaPrivateKey);
  }

  /** The public key of `text` ({@link readRsaPublicKey}), parsed once. */
  publicKey(text: string): RsaPublicKey {
    return this.#get(this.#publicKeys, text, readRsaPublicKey);
  }

  /** The key of either kind. */
  key(text: string, kind: RsaKeyKind): RsaPublicKey {
    return kind === 'private' ? this.privateKey(text) : this.publicKey(text);
  }

  /** Forgets every parsed key. */
  clear(): void {
    this.#privateKeys.clear();
    this.#publicKeys.clear();
  }

  #get<K>(cache: Map<string, K>, text: string, read: (text: string) => K): K {
    const hit = cache.get(text);
    if (hit !== undefined) return hit;
    const key = read(text);
    if (cache.size >= this.#limit) cache.delete(cache.keys().next().value as string);
    cache.set(text, key);
    return key;
  }
}

/** The modulus size in bits of an RSA key text (`MmspConfigError` naming the rule on an unusable key). */
export function rsaKeyBits(keyText: string, kind: RsaKeyKind): number {
  return (kind === 'private' ? readRsaPrivateKey(keyText) : readRsaPublicKey(keyText)).bits;
}

/** PKCS#8 `PrivateKeyInfo` DER of a private key (RFC 5208), as `openssl pkey` writes it. */
export function rsaPrivateKeyDer(key: RsaPrivateKey): Uint8Array {
  const pkcs1 = derElement(0x30, ...[0n, key.n, key.e, key.d, key.p, key.q, key.dp, key.dq, key.qinv].map(derInteger));
  return derElement(0x30, derInteger(0n), RSA_ALGORITHM_ID, derElement(0x04, pkcs1));
}

/** SPKI `SubjectPublicKeyInfo` DER of a public key (RFC 5280), as `openssl pkey -pubout` writes it. */
export function rsaPublicKeyDer(key: RsaPublicKey): Uint8Array {
  return derElement(
    0x30,
    RSA_ALGORITHM_ID,
    derElement(0x03, Uint8Array.of(0), derElement(0x30, derInteger(key.n), derInteger(key.e))),
  );
}

/**
 * Any accepted RSA key text (PKCS#8, PKCS#1, SPKI, X.509 certificate, bare base64, env-style
 * `\n`) as canonical DER: PKCS#8 for a private key, SPKI for a public key. For providers whose
 * native API takes only those (Web Crypto `importKey('pkcs8' | 'spki')`, `node:crypto` DER input).
 */
export function rsaKeyToDer(keyText: string, kind: RsaKeyKind): Uint8Array {
  return kind === 'private' ? rsaPrivateKeyDer(readRsaPrivateKey(keyText)) : rsaPublicKeyDer(readRsaPublicKey(keyText));
}

/** PEM armour with 64-column lines and LF endings (RFC 7468). */
export function pemArmour(label: string, der: Uint8Array): string {
  const body = base64Encode(der).replace(/.{64}(?=.)/g, '$&\n');
  return `-----BEGIN ${label}-----\n${body}\n-----END ${label}-----\n`;
}

/** {@link rsaKeyToDer} as PEM: "BEGIN PRIVATE KEY" (PKCS#8) or "BEGIN PUBLIC KEY" (SPKI). */
export function rsaKeyToPem(keyText: string, kind: RsaKeyKind): string {
  return pemArmour(kind === 'private' ? 'PRIVATE KEY' : 'PUBLIC KEY', rsaKeyToDer(keyText, kind));
}
