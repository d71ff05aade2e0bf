/**
 * The little DER (X.690) the RSA keys need: a strict reader (definite lengths, every byte
 * accounted for) with node-forge's `asn1.validate` matching rules, so that it accepts and refuses
 * exactly the keys node-forge accepts and refuses (test/rsa-key.test.ts compares the two), and a
 * writer for the PKCS#8 / SPKI forms other providers import.
 */

export const UNIVERSAL = 0x00;
export const CONTEXT = 0x80;
export const INTEGER = 2;
export const BITSTRING = 3;
export const OCTETSTRING = 4;
export const NULL = 5;
export const OID = 6;
export const SEQUENCE = 16;

export interface DerNode {
  cls: number;
  constructed: boolean;
  type: number;
  /** Content bytes (primitive), children (constructed), or a BIT STRING's decoded content. */
  value: Uint8Array | DerNode[];
}

/** Not DER: the caller turns it into a key error that names the rule. */
export class DerError extends Error {}

function readNode(der: Uint8Array, at: { pos: number }, end: number): DerNode {
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
  const node: DerNode = { cls: b1 & 0xc0, constructed: (b1 & 0x20) !== 0, type: b1 & 0x1f, value: new Uint8Array(0) };
  const stop = at.pos + length;
  if (node.constructed) {
    const children: DerNode[] = [];
    while (at.pos < stop) children.push(readNode(der, at, stop));
    node.value = children;
    return node;
  }
  // As node-forge: a BIT STRING with no unused bits whose content is exactly one element is decoded.
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

/** One DER element filling `der` exactly; `DerError` otherwise. */
export function parseDer(der: Uint8Array): DerNode {
  const at = { pos: 0 };
  const node = readNode(der, at, der.length);
  if (at.pos !== der.length) throw new DerError();
  return node;
}

/**
 * The shape of a structure, matched as node-forge's `asn1.validate` does: the shape's elements in
 * order, an optional one may be missing, extra elements of the value are ignored.
 */
export interface DerShape {
  type: number;
  constructed: boolean;
  optional?: boolean;
  capture?: string;
  value?: DerShape[];
}

/** True when `node` has `shape`; the captured nodes are written to `capture`. */
export function matchShape(node: DerNode | undefined, shape: DerShape, capture: Record<string, DerNode>): boolean {
  if (!node || node.cls !== UNIVERSAL || node.type !== shape.type || node.constructed !== shape.constructed)
    return false;
  if (shape.value) {
    const children = Array.isArray(node.value) ? node.value : undefined;
    let j = 0;
    for (const s of shape.value) {
      // A primitive value's bytes are "elements" to forge too: present, never matching.
      const present = children ? children[j] : (node.value as Uint8Array).length > j ? null : undefined;
      let ok = s.optional ?? false;
      if (present !== undefined) {
        ok = present !== null && matchShape(present, s, capture);
        if (ok) j++;
        else if (s.optional) ok = true;
      }
      if (!ok) return false;
    }
  }
  if (shape.capture) capture[shape.capture] = node;
  return true;
}

// ---------------------------------------------------------------------------------------------
// Writer

function lengthBytes(length: number): number[] {
  if (length < 0x80) return [length];
  const bytes: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) bytes.unshift(n & 0xff);
  return [0x80 | bytes.length, ...bytes];
}

/** One DER TLV: tag byte, definite length, the parts concatenated as content. */
export function derElement(tag: number, ...parts: Uint8Array[]): Uint8Array {
  const size = parts.reduce((n, p) => n + p.length, 0);
  const head = [tag, ...lengthBytes(size)];
  const out = new Uint8Array(head.length + size);
  out.set(head);
  let at = head.length;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** A non-negative INTEGER, minimal two's complement (a leading 0x00 when the top bit is set). */
export function derInteger(value: bigint): Uint8Array {
  let hex = value.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  if (parseInt(hex.slice(0, 2), 16) & 0x80) hex = `00${hex}`;
  const content = new Uint8Array(hex.length / 2);
  for (let i = 0; i < content.length; i++) content[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return derElement(0x02, content);
}

/** `AlgorithmIdentifier { rsaEncryption (1.2.840.113549.1.1.1), NULL }`. */
export const RSA_ALGORITHM_ID = Uint8Array.of(
  0x30,
  0x0d,
  0x06,
  0x09,
  0x2a,
  0x86,
  0x48,
  0x86,
  0xf7,
  0x0d,
  0x01,
  0x01,
  0x01,
  0x05,
  0x00,
);
