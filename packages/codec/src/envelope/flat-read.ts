/**
 * The common flat envelope read by hand (PROTOCOL §2, §3; used by `openEnvelope`): one scan of the
 * text that finds the top-level keys and the Body's key/value slices, checks them, decodes the
 * values, and later writes the Body's signing bytes straight from those slices. That is the shape
 * every response and pushed notification has in practice:
 *
 *   {"CommandID":35104,…,"Body":{"AMT":"200","BANK_NAME":"\u519c…",…},"Sign":"…",…}
 *
 * Accepted, and read exactly as PHP's `json_decode($text, true)` reads it:
 * - one object, JSON whitespace (space, tab, CR, LF) between tokens, nothing after it;
 * - top-level keys without escapes; values strings, `true`, `false`, `null`, or integers of at most
 *   15 digits (safe, so PHP's int and the JS number agree); a repeated key takes its last value, as
 *   in PHP;
 * - exactly one `Body`: a non-empty object of at most 64 distinct identifier keys
 *   (`[A-Za-z_][A-Za-z0-9_]*`, not `__proto__`: never numeric, so PHP's ksort is a byte sort and
 *   `{}`-as-list cannot arise, PROTOCOL §3) whose values are strings, `true`, `false` or `null`;
 * - strings with the escapes JSON allows, `\u` in either case, surrogates only as pairs (raw or
 *   escaped).
 * Anything else returns `undefined` and the caller reads the text with the PHP model
 * (php-json/decode.ts), which also reports every error the PHP way: numbers in the Body (their
 * signing bytes depend on how they were written), floats and long integers, nesting, a repeated or
 * non-identifier Body key, a lone surrogate, an escaped top-level key, invalid JSON.
 *
 * The text is read from its UTF-8 bytes (encoded once into a buffer the reader reuses): every
 * offset kept is a byte offset, and a value's characters are sliced from the text at the byte
 * offset less the multi-byte characters before it. The signing bytes (PROTOCOL §3, default flags:
 * `/` as `\/`, non-ASCII as raw UTF-8, U+2028/2029 as `\u2028`/`\u2029`, `\"`, `\\`,
 * `\b \f \n \r \t`, other controls `\u00xx`) are written from those bytes: a value without escape,
 * `/`, U+2028 or U+2029 is already what `json_encode` writes and is copied as it is, any other is
 * transcoded (each escape decoded and written the canonical way). test/fastpath-flat-envelope.test.ts
 * and test/flat-reader.property.test.ts check that `openEnvelope` on this reader gives what the
 * PHP model gives (`openEnvelopeExactly`), error included, on all-ASCII and non-ASCII texts, and
 * that the bytes are the reference writer's.
 */
import { hexBytesMatch } from '../hash/md5.js';
import type { Fields } from './header.js';

export type FlatScalar = string | number | boolean | null;

/** The slots of the header fields `openEnvelope` reads (`slotOf`), for readers of `top.slots`. */
export const SLOT = {
  CommandID: 0,
  SeqID: 1,
  NodeType: 2,
  NodeID: 3,
  Version: 4,
  RetCode: 5,
  ErrorMsg: 6,
  ErrMsg: 7,
  AGENTNO: 8,
  MERNO: 9,
  TERMNO: 10,
  Sign: 11,
} as const;

/** The header fields `openEnvelope` reads, each in a slot of its own. */
function slotOf(k: string): number {
  switch (k) {
    case 'CommandID':
      return 0;
    case 'SeqID':
      return 1;
    case 'NodeType':
      return 2;
    case 'NodeID':
      return 3;
    case 'Version':
      return 4;
    case 'RetCode':
      return 5;
    case 'ErrorMsg':
      return 6;
    case 'ErrMsg':
      return 7;
    case 'AGENTNO':
      return 8;
    case 'MERNO':
      return 9;
    case 'TERMNO':
      return 10;
    case 'Sign':
      return 11;
    default:
      return -1;
  }
}
const MAX_FIELDS = 64;

/**
 * Flags of the string last scanned: 1 it holds an escape, 2 it is not written as `json_encode`
 * writes it (an escape, a `/`, U+2028 or U+2029).
 */
let scanned = 0;
/**
 * Bytes minus characters before the position last scanned: the text is read from its UTF-8 bytes,
 * and a byte offset less `delta` is the character offset of the same place.
 */
let delta = 0;
/**
 * Whether a string held U+FFFD, which is also how the text's encoding writes a raw lone surrogate
 * (PHP refuses one): `parseFlatEnvelope` then looks for one in the text.
 */
let replacement = false;

/** The value of 4 hex digits at byte `p` (either case), or −1. */
function hex4(b: Uint8Array, p: number): number {
  let v = 0;
  for (let i = p; i < p + 4; i++) {
    const c = b[i]!;
    if (c >= 48 && c <= 57) v = (v << 4) | (c - 48);
    else if (c >= 97 && c <= 102) v = (v << 4) | (c - 87);
    else if (c >= 65 && c <= 70) v = (v << 4) | (c - 55);
    else return -1;
  }
  return v;
}

/**
 * Per byte inside a string: 0 itself (printable ASCII, not `"`, `\\`, `/`), 1 `"`, 2 `\\`, 3 `/`,
 * 4 a control character (or the 0 after the text), 5 the first byte of a non-ASCII character.
 */
const CLASS = new Uint8Array(256).fill(5, 128);
for (let c = 0; c < 0x20; c++) CLASS[c] = 4;
CLASS[34] = 1;
CLASS[92] = 2;
CLASS[47] = 3;

/**
 * The inside of a JSON string from byte `p`: the offset of its closing quote, or −1 when it is not
 * one PHP reads alike (an invalid escape, a control character, an escaped lone surrogate, the end
 * of the text). Sets `scanned`, `delta` past each non-ASCII character, and `replacement`.
 */
function scanString(b: Uint8Array, p: number): number {
  let f = 0;
  for (;;) {
    const c = b[p]!;
    const k = CLASS[c]!;
    if (k === 0) {
      p++;
    } else if (k === 1) {
      scanned = f;
      return p;
    } else if (k === 2) {
      f = 3;
      const e = b[p + 1]!;
      if (e === 117) {
        const h = hex4(b, p + 2);
        if (h < 0) return -1;
        if (h >= 0xd800 && h <= 0xdfff) {
          // Only a high half followed by an escaped low half: PHP refuses a lone one.
          if (h > 0xdbff || b[p + 6] !== 92 || b[p + 7] !== 117) return -1;
          const l = hex4(b, p + 8);
          if (l < 0xdc00 || l > 0xdfff) return -1;
          p += 12;
        } else {
          p += 6;
        }
      } else if (e === 34 || e === 92 || e === 47 || e === 98 || e === 102 || e === 110 || e === 114 || e === 116) {
        p += 2;
      } else {
        return -1;
      }
    } else if (k === 3) {
      f |= 2;
      p++;
    } else if (k === 5) {
      // A character of 2, 3 or 4 UTF-8 bytes (1, 1 or 2 UTF-16 units), written raw by json_encode
      // under JSON_UNESCAPED_UNICODE but for U+2028 and U+2029 (E2 80 A8, E2 80 A9).
      if (c >= 0xf0) {
        p += 4;
        delta += 2;
      } else if (c >= 0xe0) {
        if (c === 0xe2 && b[p + 1] === 0x80 && (b[p + 2] === 0xa8 || b[p + 2] === 0xa9)) f |= 2;
        else if (c === 0xef && b[p + 1] === 0xbf && b[p + 2] === 0xbd) replacement = true;
        p += 3;
        delta += 2;
      } else {
        p += 2;
        delta += 1;
      }
    } else {
      return -1; // a control character, or the end of the text
    }
  }
}

/** The value of 4 hex digits at character `p` of `t`, which `scanString` accepted. */
function hex4Text(t: string, p: number): number {
  return (
    (hexDigit(t.charCodeAt(p)) << 12) |
    (hexDigit(t.charCodeAt(p + 1)) << 8) |
    (hexDigit(t.charCodeAt(p + 2)) << 4) |
    hexDigit(t.charCodeAt(p + 3))
  );
}

function hexDigit(c: number): number {
  return c <= 57 ? c - 48 : (c | 32) - 87;
}

/** The JSON escapes' characters by the letter after the backslash. */
function escaped(e: number): string {
  switch (e) {
    case 98:
      return '\b';
    case 102:
      return '\f';
    case 110:
      return '\n';
    case 114:
      return '\r';
    case 116:
      return '\t';
    default:
      return String.fromCharCode(e); // " \ /
  }
}

/** The value of the string at characters `t[a..b)` that `scanString` accepted with an escape. */
function unescape(t: string, a: number, b: number): string {
  let out = '';
  let run = a;
  for (let i = a; i < b;) {
    if (t.charCodeAt(i) !== 92) {
      i++;
      continue;
    }
    if (i > run) out += t.slice(run, i);
    const e = t.charCodeAt(i + 1);
    if (e === 117) {
      out += String.fromCharCode(hex4Text(t, i + 2)); // a surrogate pair arrives as its two halves
      i += 6;
    } else {
      out += escaped(e);
      i += 2;
    }
    run = i;
  }
  return run < b ? out + t.slice(run, b) : out;
}

/** The string whose inside is bytes [a, e) (read by `scanString`, `delta` then at `de`, before it at `da`). */
function stringAt(t: string, a: number, e: number, da: number, de: number): string {
  return scanned & 1 ? unescape(t, a - da, e - de) : t.slice(a - da, e - de);
}

/** JSON whitespace from `p`. */
function ws(b: Uint8Array, p: number): number {
  if (b[p]! > 32) return p; // the common case: no whitespace
  for (;;) {
    const c = b[p];
    if (c === 32 || c === 10 || c === 13 || c === 9) p++;
    else return p;
  }
}

/** Set by `scanScalar`: the end of the value read. */
let scalarEnd = 0;

/**
 * A header value from `p` (a string, an integer of at most 15 digits, `true`, `false`, `null`);
 * `undefined` when the PHP model must read it. Sets `scalarEnd`.
 */
function scanScalar(b: Uint8Array, t: string, p: number): FlatScalar | undefined {
  const c = b[p]!;
  if (c === 34) {
    const da = delta;
    const e = scanString(b, p + 1);
    if (e < 0) return undefined;
    scalarEnd = e + 1;
    return stringAt(t, p + 1, e, da, delta);
  }
  if (c === 45 || (c >= 48 && c <= 57)) {
    const neg = c === 45;
    let q = neg ? p + 1 : p;
    const d0 = q;
    let v = 0;
    let d = b[q]!;
    if (d === 48) {
      q++;
    } else if (d >= 49 && d <= 57) {
      do {
        v = v * 10 + (d - 48);
        d = b[++q]!;
      } while (d >= 48 && d <= 57 && q - d0 < 16);
      if (q - d0 > 15) return undefined; // beyond 15 digits: maybe past 2^53, where PHP keeps the int64
    } else {
      return undefined;
    }
    const after = b[q]!;
    if ((after >= 48 && after <= 57) || after === 46 || after === 101 || after === 69) return undefined; // a float: the PHP model
    scalarEnd = q;
    return neg ? -v : v; // `-0` is JSON.parse's −0; the header readers make it 0 as PHP does
  }
  if (c === 116 && b[p + 1] === 114 && b[p + 2] === 117 && b[p + 3] === 101) {
    scalarEnd = p + 4;
    return true;
  }
  if (c === 102 && b[p + 1] === 97 && b[p + 2] === 108 && b[p + 3] === 115 && b[p + 4] === 101) {
    scalarEnd = p + 5;
    return false;
  }
  if (c === 110 && b[p + 1] === 117 && b[p + 2] === 108 && b[p + 3] === 108) {
    scalarEnd = p + 4;
    return null;
  }
  return undefined;
}

function isIdentChar(c: number, first: boolean): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || (!first && c >= 48 && c <= 57);
}

const HEX_LOWER = [48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 97, 98, 99, 100, 101, 102];

/**
 * One UTF-16 unit (not a surrogate), decoded from an escape, as `json_encode` writes it inside a
 * string under the signing flags (JSON_UNESCAPED_UNICODE, `/` escaped); the new position.
 */
function writeUnit(o: Uint8Array, p: number, c: number): number {
  if (c < 0x80) {
    if (c >= 0x20) {
      if (c === 34 || c === 92 || c === 47) o[p++] = 92;
      o[p++] = c;
      return p;
    }
    o[p++] = 92;
    if (c === 8) o[p++] = 98;
    else if (c === 12) o[p++] = 102;
    else if (c === 10) o[p++] = 110;
    else if (c === 13) o[p++] = 114;
    else if (c === 9) o[p++] = 116;
    else {
      o[p++] = 117;
      o[p++] = 48;
      o[p++] = 48;
      o[p++] = HEX_LOWER[c >> 4]!;
      o[p++] = HEX_LOWER[c & 15]!;
    }
    return p;
  }
  if (c < 0x800) {
    o[p++] = 0xc0 | (c >> 6);
    o[p++] = 0x80 | (c & 63);
    return p;
  }
  if (c === 0x2028 || c === 0x2029) return writeLineSeparator(o, p, c);
  o[p++] = 0xe0 | (c >> 12);
  o[p++] = 0x80 | ((c >> 6) & 63);
  o[p++] = 0x80 | (c & 63);
  return p;
}

/** U+2028 or U+2029 as `json_encode` writes them even under JSON_UNESCAPED_UNICODE: `\u2028`, `\u2029`. */
function writeLineSeparator(o: Uint8Array, p: number, c: number): number {
  o[p++] = 92;
  o[p++] = 117;
  o[p++] = 50;
  o[p++] = 48;
  o[p++] = 50;
  o[p++] = c === 0x2028 ? 56 : 57;
  return p;
}

/** A code point beyond U+FFFF (from an escaped surrogate pair) as 4 bytes of UTF-8; the new position. */
function writeAstral(o: Uint8Array, p: number, hi: number, lo: number): number {
  const cp = 0x10000 + ((hi - 0xd800) << 10) + (lo - 0xdc00);
  o[p++] = 0xf0 | (cp >> 18);
  o[p++] = 0x80 | ((cp >> 12) & 63);
  o[p++] = 0x80 | ((cp >> 6) & 63);
  o[p++] = 0x80 | (cp & 63);
  return p;
}

/**
 * The string whose inside is the bytes `src[a..b)` (accepted by `scanString`) written as its
 * signing bytes; the new position. Raw UTF-8 is what JSON_UNESCAPED_UNICODE writes, but for
 * U+2028/U+2029; a raw `/` is escaped; each escape is decoded and written the canonical way.
 */
function transcode(src: Uint8Array, a: number, b: number, o: Uint8Array, p: number): number {
  for (let i = a; i < b;) {
    const c = src[i]!;
    if (c === 92) {
      const e = src[i + 1]!;
      if (e === 117) {
        const h = hex4(src, i + 2);
        if (h >= 0xd800 && h <= 0xdbff) {
          p = writeAstral(o, p, h, hex4(src, i + 8));
          i += 12;
        } else {
          p = writeUnit(o, p, h);
          i += 6;
        }
      } else {
        // \" \\ \/ \b \f \n \r \t: the same two characters, as `json_encode` writes them.
        o[p++] = 92;
        o[p++] = e;
        i += 2;
      }
    } else if (c === 0xe2 && src[i + 1] === 0x80 && (src[i + 2] === 0xa8 || src[i + 2] === 0xa9)) {
      p = writeLineSeparator(o, p, src[i + 2] === 0xa8 ? 0x2028 : 0x2029);
      i += 3;
    } else {
      if (c === 47) o[p++] = 92;
      o[p++] = c;
      i++;
    }
  }
  return p;
}

/** The header's fields, for `readHeader` (envelope/open.ts): a repeated key's last value, as in PHP. */
class HeaderFields implements Fields {
  /** The fields `openEnvelope` reads, by slot; `undefined` when absent. */
  readonly slots: (FlatScalar | undefined)[] = [
    undefined,
    undefined,
    undefined,
    undefined,
    undefined,
    undefined,
    undefined,
    undefined,
    undefined,
    undefined,
    undefined,
    undefined,
  ];
  /** Any other keys and their values, in the text's order (made for the first one). */
  otherKeys: string[] | undefined;
  otherValues: FlatScalar[] | undefined;
  get(field: string): FlatScalar | undefined {
    const slot = slotOf(field);
    if (slot >= 0) return this.slots[slot];
    const i = this.otherKeys?.lastIndexOf(field) ?? -1;
    return i < 0 ? undefined : this.otherValues![i];
  }
  has(field: string): boolean {
    return this.get(field) !== undefined;
  }
}

/** An envelope read by {@link parseFlatEnvelope}. */
export class FlatEnvelope {
  /** The top-level fields but `Body`. */
  readonly top: HeaderFields;
  /** The Body: identifier keys and string, boolean or null values, in the text's order. */
  readonly body: Record<string, FlatScalar>;
  readonly #text: string;
  /** The text's UTF-8 bytes, the offsets' reference; valid while `#read` is `reads`. */
  readonly #bytes: Uint8Array;
  readonly #read: number;
  /** The Body's keys in ksort (byte) order. */
  readonly #keys: readonly string[];
  /**
   * Per key in that order, 4 numbers: the byte offsets of its key's opening quote and of its
   * value ([start, end), inside the quotes for a string), and its kind: 0 a string to copy as it
   * is, 1 a string to transcode, 2 `true`/`false`/`null`. The reader's reused buffer: valid, like
   * `#bytes`, while `#read` is `reads`.
   */
  readonly #values: Int32Array;
  /** An upper bound of the signing bytes. */
  readonly maxSigningBytes: number;
  /** The byte offset in `#bytes` of the top-level Sign when it is 32 bytes long, or −1. */
  readonly #signAt: number;

  constructor(
    text: string,
    bytes: Uint8Array,
    top: HeaderFields,
    body: Record<string, FlatScalar>,
    keys: readonly string[],
    values: Int32Array,
    bodySpan: number,
    signAt: number,
  ) {
    this.#signAt = signAt;
    this.#text = text;
    this.#bytes = bytes;
    this.#read = reads;
    this.top = top;
    this.body = body;
    this.#keys = keys;
    this.#values = values;
    // Every byte of the text gives at most 2 bytes (U+2028, 3 bytes → `\u2028`), a key's `,"K":` no more than its text `"K":` and separator.
    this.maxSigningBytes = bodySpan * 2 + 8;
  }

  /**
   * Whether `sign`, when it is this text's Sign and 32 bytes long there, is the hex of the digest
   * words `h`, read from the text's bytes in constant time (`hexBytesMatch`); `undefined`
   * otherwise (the Signer compares the string).
   */
  signMatches(sign: string, h: Int32Array): boolean | undefined {
    if (this.#signAt < 0 || this.#read !== reads || sign !== this.top.slots[SLOT.Sign]) return undefined;
    return hexBytesMatch(this.#bytes, this.#signAt, h);
  }

  /**
   * The Body's signing bytes (`json_encode(ksort(Body), JSON_UNESCAPED_UNICODE)`, `/` escaped:
   * PROTOCOL §3's default flags) into `o` from 0 (room for `maxSigningBytes`); their length. Where
   * the text writes a pair the way `json_encode` does (`,"KEY":"value"` with no whitespace, the
   * separator the sorted order needs: the platform writes its Bodies ksorted), the text's bytes are
   * the signing bytes, copied in runs as long as the text allows; only strings to transcode and
   * pairs written otherwise are written piece by piece.
   */
  writeSigningBytes(o: Uint8Array): number {
    // The shared buffers hold a later text once another one is read: the text is read again then.
    if (this.#read !== reads) return parseFlatEnvelope(this.#text)!.writeSigningBytes(o);
    const src = this.#bytes;
    const keys = this.#keys;
    const values = this.#values;
    let p = 0;
    // The text's bytes [s, e) still to copy.
    let s = 0;
    let e = 0;
    for (let j = 0; j < keys.length; j++) {
      const k = keys[j]!;
      const q = values[4 * j]!;
      const a = values[4 * j + 1]!;
      const b = values[4 * j + 2]!;
      const kind = values[4 * j + 3]!;
      if (src[q - 1] === (j === 0 ? 123 : 44) && (kind === 2 ? a : a - 1) === q + k.length + 3) {
        // The separator, `"KEY":` and the value's start as they are in the text.
        if (q - 1 !== e) {
          p = copyBytes(src, s, e, o, p);
          s = q - 1;
        }
        e = kind === 0 ? b + 1 : kind === 2 ? b : a;
        if (kind === 1) {
          p = copyBytes(src, s, e, o, p);
          p = transcode(src, a, b, o, p);
          s = b;
          e = b + 1; // the closing quote
        }
      } else {
        p = copyBytes(src, s, e, o, p);
        o[p++] = j === 0 ? 123 : 44;
        o[p++] = 34;
        for (let i = 0; i < k.length; i++) o[p++] = k.charCodeAt(i);
        o[p++] = 34;
        o[p++] = 58;
        if (kind === 2) {
          s = a;
          e = b;
        } else {
          o[p++] = 34;
          if (kind === 1) {
            p = transcode(src, a, b, o, p);
            s = b;
          } else {
            s = a;
          }
          e = b + 1; // the value (when copied as it is) and its closing quote
        }
      }
    }
    p = copyBytes(src, s, e, o, p);
    o[p++] = 125;
    return p;
  }
}

/** `src[s..e)` into `o` at `p`; the new position. */
function copyBytes(src: Uint8Array, s: number, e: number, o: Uint8Array, p: number): number {
  if (e - s > 32) {
    o.set(src.subarray(s, e), p);
    return p + e - s;
  }
  for (let i = s; i < e; i++) o[p++] = src[i]!;
  return p;
}

/** How many texts have been read into `bytes`: a FlatEnvelope writes from them only while they hold its text. */
let reads = 0;

/**
 * The key sequences of the last envelope read (the same notification or answer arrives again and
 * again): its top-level ASCII keys without escapes and their slots (−2 for `Body`), and its Body's
 * keys, their ksort order and the keys in that order. A key in the text is compared with the one
 * at the same place last time (the same bytes, then the closing quote), so the common case neither
 * slices nor sorts the keys.
 */
const topKeys: string[] = [];
/** `topKeys` as `keyWords` (a key of printable ASCII: its bytes are its characters), compared with the text's. */
const topKeyWords: Int32Array[] = [];
const topSlots: number[] = [];
const MAX_TOP_CACHED = 32;
let bodyKeys: string[] = [];
/** `bodyKeys` as `keyWords` (identifier keys: their bytes are their characters). */
let bodyKeyWords: Int32Array[] = [];
let bodyOrder: number[] = [];
let bodySorted: string[] = [];
/** An object with `bodyKeys` in that order (values `null`), copied for each Body that has them. */
let bodyShape: Record<string, FlatScalar> = {};
/** Whether those Body keys were already in ksort order (the platform writes its Bodies ksorted). */
let bodyInOrder = false;

/** The Body's 4 numbers per key (see `FlatEnvelope`) in the text's order, and in ksort order (reused). */
const pairs = new Int32Array(4 * MAX_FIELDS);
const sortedPairs = new Int32Array(4 * MAX_FIELDS);

/** `pairs` in ksort order, into `sortedPairs`. */
function inKsortOrder(order: readonly number[]): Int32Array {
  const n = order.length;
  const sorted = sortedPairs;
  for (let j = 0; j < n; j++) {
    const i = 4 * order[j]!;
    sorted[4 * j] = pairs[i]!;
    sorted[4 * j + 1] = pairs[i + 1]!;
    sorted[4 * j + 2] = pairs[i + 2]!;
    sorted[4 * j + 3] = pairs[i + 3]!;
  }
  return sorted;
}

/** A Body of `keys` only, with their values in `body`. */
function ownBody(body: Record<string, FlatScalar>, keys: readonly string[]): Record<string, FlatScalar> {
  const own: Record<string, FlatScalar> = {};
  for (const k of keys) own[k] = body[k]!;
  return own;
}

/**
 * The key at byte `k` of the text, its `n` bytes and the closing quote after them, as little-endian
 * 4-byte words read with `view` (the text's): the whole words, then the last, partial one masked,
 * then its mask. `keyAt` compares a place of a later text with them a word at a time.
 */
function keyWords(view: DataView, k: number, n: number): Int32Array {
  const full = (n + 1) >> 2;
  const rest = (n + 1) & 3;
  const w = new Int32Array(full + 2);
  for (let i = 0; i < full; i++) w[i] = view.getInt32(k + 4 * i, true);
  const mask = rest === 0 ? 0 : (1 << (8 * rest)) - 1;
  w[full] = view.getInt32(k + 4 * full, true) & mask;
  w[full + 1] = mask;
  return w;
}

/**
 * Whether the key of `w` (`keyWords`) and its closing quote are written at byte `p` of the text
 * (`view` its view). The words are compared in order up to the first that differs: the 0 after the
 * text differs from every byte of a key, so no word read starts past it, and the buffer holds 4
 * bytes after it.
 */
function keyAt(view: DataView, p: number, w: Int32Array | undefined): w is Int32Array {
  if (w === undefined) return false;
  const full = w.length - 2;
  for (let i = 0; i < full; i++) if (view.getInt32(p + 4 * i, true) !== w[i]) return false;
  return (view.getInt32(p + 4 * full, true) & w[full + 1]!) === w[full];
}

/** The envelope in `t`, whose UTF-8 bytes are `b` (a 0 after them; `view` a view of them), read as described above. */
function parse(b: Uint8Array, view: DataView, t: string, m: number): FlatEnvelope | undefined {
  delta = 0;
  let p = ws(b, 0);
  if (b[p] !== 123) return undefined;
  p = ws(b, p + 1);
  const top = new HeaderFields();
  let body: Record<string, FlatScalar> | undefined;
  /** The Body's keys in the text's order, made only when they are not the last envelope's. */
  let textKeys: string[] | undefined;
  let cachedBody = false;
  let bodyStart = 0;
  let bodyEnd = 0;
  /** The byte offset of the Sign's 32 characters, or −1 (see `FlatEnvelope.signMatches`). */
  let signAt = -1;
  for (let i = 0; ; i++) {
    if (b[p] !== 34) return undefined;
    const k0 = p + 1;
    let ke: number;
    let slot: number;
    let key: string;
    if (keyAt(view, k0, topKeyWords[i])) {
      key = topKeys[i]!;
      ke = k0 + key.length;
      slot = topSlots[i]!;
    } else {
      const da = delta;
      ke = scanString(b, k0);
      if (ke < 0 || scanned & 1) return undefined; // an escaped key: the PHP model
      key = t.slice(k0 - da, ke - delta);
      slot = key === 'Body' ? -2 : slotOf(key);
      // Only a key of printable ASCII is kept: its bytes are its characters.
      if (i < MAX_TOP_CACHED && i <= topKeys.length && da === delta && scanned === 0) {
        topKeys[i] = key;
        topKeyWords[i] = keyWords(view, k0, ke - k0);
        topSlots[i] = slot;
      }
    }
    p = ws(b, ke + 1);
    if (b[p] !== 58) return undefined;
    p = ws(b, p + 1);
    if (slot === -2) {
      if (body !== undefined || b[p] !== 123) return undefined;
      bodyStart = p;
      // The last envelope's Body keys, in order, as a copy of `bodyShape`: the values are stored in
      // place. A Body whose keys differ is made again from the keys matched so far (`ownBody`).
      body = { ...bodyShape };
      p = ws(b, p + 1);
      if (b[p] === 125) return undefined; // `{}`: PHP's empty list
      cachedBody = true;
      let n = 0;
      for (;;) {
        if (n === MAX_FIELDS || b[p] !== 34) return undefined;
        const q = p;
        const b0 = p + 1;
        let bk: string;
        if (cachedBody && keyAt(view, b0, bodyKeyWords[n])) {
          bk = bodyKeys[n]!;
          p = b0 + bk.length;
        } else {
          if (cachedBody) {
            cachedBody = false;
            textKeys = bodyKeys.slice(0, n); // the keys so far are the last envelope's
            body = ownBody(body, textKeys);
          }
          if (!isIdentChar(b[b0]!, true)) return undefined;
          p = b0 + 1;
          while (isIdentChar(b[p]!, false)) p++;
          if (b[p] !== 34) return undefined;
          bk = t.slice(b0 - delta, p - delta);
          if (bk === '__proto__') return undefined;
        }
        p = ws(b, p + 1);
        if (b[p] !== 58) return undefined;
        p = ws(b, p + 1);
        let value: FlatScalar;
        if (b[p] === 34) {
          const da = delta;
          const e = scanString(b, p + 1);
          if (e < 0) return undefined;
          pairs[4 * n] = q;
          pairs[4 * n + 1] = p + 1;
          pairs[4 * n + 2] = e;
          pairs[4 * n + 3] = scanned === 0 ? 0 : 1;
          value = stringAt(t, p + 1, e, da, delta);
          p = e + 1;
        } else {
          const v = scanScalar(b, t, p);
          if (v === undefined || typeof v === 'number') return undefined; // numbers: the PHP model
          pairs[4 * n] = q;
          pairs[4 * n + 1] = p;
          pairs[4 * n + 2] = scalarEnd;
          pairs[4 * n + 3] = 2;
          value = v;
          p = scalarEnd;
        }
        if (!cachedBody) textKeys!.push(bk);
        body[bk] = value;
        n++;
        p = ws(b, p);
        const c = b[p];
        if (c === 44) {
          p = ws(b, p + 1);
          continue;
        }
        if (c !== 125) return undefined;
        bodyEnd = ++p;
        break;
      }
      if (cachedBody && n !== bodyKeys.length) {
        cachedBody = false;
        textKeys = bodyKeys.slice(0, n);
        body = ownBody(body, textKeys);
      }
    } else {
      const v = scanScalar(b, t, p);
      if (v === undefined) return undefined;
      // A Sign of 32 bytes is compared in place (`FlatEnvelope.signMatches`): they are its 32
      // characters, or it holds an escape or a non-ASCII character, whose bytes (`\`, ≥ 0x80) are no
      // hex digit, and its fewer characters no signature either.
      if (slot === SLOT.Sign) signAt = typeof v === 'string' && scalarEnd - p === 34 ? p + 1 : -1;
      if (slot >= 0) top.slots[slot] = v;
      else {
        (top.otherKeys ??= []).push(key);
        (top.otherValues ??= []).push(v);
      }
      p = scalarEnd;
    }
    p = ws(b, p);
    const c = b[p];
    if (c === 44) {
      p = ws(b, p + 1);
      continue;
    }
    if (c !== 125) return undefined;
    break;
  }
  if (body === undefined || ws(b, p + 1) !== m) return undefined;
  if (!cachedBody) {
    // ksort: identifier keys in byte order (insertion sort); a repeated key is the PHP model's.
    const keys = textKeys!;
    const n = keys.length;
    const order: number[] = [];
    for (let i = 0; i < n; i++) {
      const k = keys[i]!;
      let j = i - 1;
      for (; j >= 0; j--) {
        const q = keys[order[j]!]!;
        if (q === k) return undefined;
        if (q < k) break;
        order[j + 1] = order[j]!;
      }
      order[j + 1] = i;
    }
    bodyKeys = keys;
    bodyKeyWords = keys.map((k, j) => keyWords(view, pairs[4 * j]! + 1, k.length));
    bodyOrder = order;
    bodyInOrder = order.every((i, j) => i === j);
    bodySorted = order.map((i) => keys[i]!);
    bodyShape = {};
    for (const k of keys) bodyShape[k] = null;
  }
  return new FlatEnvelope(
    t,
    b,
    top,
    body,
    bodySorted,
    bodyInOrder ? pairs : inKsortOrder(bodyOrder),
    bodyEnd - bodyStart,
    signAt,
  );
}

const encoder = new TextEncoder();
/** The text's bytes (reused). */
let bytes = new Uint8Array(1024);
/** A view of `bytes`, for the keys' words. */
let bytesView = new DataView(bytes.buffer);
/** A UTF-16 surrogate that is not half of a pair. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The envelope read by hand, or `undefined` when only the PHP model gives PHP's values (see above). */
export function parseFlatEnvelope(t: string): FlatEnvelope | undefined {
  if (typeof t !== 'string') return undefined;
  const n = t.length;
  // A UTF-16 unit is at most 3 UTF-8 bytes; then the 0 and at least 4 more, read by `keyAt`.
  if (bytes.length < n * 3 + 8) {
    bytes = new Uint8Array(n * 3 + 64);
    bytesView = new DataView(bytes.buffer);
  }
  const m = encoder.encodeInto(t, bytes).written;
  bytes[m] = 0;
  reads++;
  replacement = false;
  const flat = parse(bytes, bytesView, t, m);
  // A raw lone surrogate was encoded as U+FFFD: PHP refuses it, and the PHP model says so.
  return replacement && LONE_SURROGATE.test(t) ? undefined : flat;
}
