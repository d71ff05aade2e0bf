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
 * The signing bytes (PROTOCOL §3, default flags: `/` as `\/`, non-ASCII as raw UTF-8, U+2028/2029
 * as `\u2028`/`\u2029`, `\"`, `\\`, `\b \f \n \r \t`, other controls `\u00xx`) are written from
 * each value's slice of the text: a slice of printable ASCII without `\` or `/` is copied as it is
 * (it is already what `json_encode` writes), any other slice is transcoded character by character
 * (each escape decoded and written the canonical way). test/fastpath-flat-envelope.test.ts checks
 * that `openEnvelope` on this reader gives what the PHP model gives (`openEnvelopeExactly`), error
 * included, and that the bytes are the reference writer's.
 */
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

/** Flags of the string last scanned: 1 it holds an escape, 2 it is not all printable ASCII without `/`. */
let scanned = 0;

/** The value of 4 hex digits at `p` (either case), or −1. */
function hex4(t: string, p: number): number {
  let v = 0;
  for (let i = p; i < p + 4; i++) {
    const c = t.charCodeAt(i);
    if (c >= 48 && c <= 57) v = (v << 4) | (c - 48);
    else if (c >= 97 && c <= 102) v = (v << 4) | (c - 87);
    else if (c >= 65 && c <= 70) v = (v << 4) | (c - 55);
    else return -1;
  }
  return v;
}

/** Per ASCII character inside a string: 0 itself (printable, not `"`, `\\`, `/`), 1 `"`, 2 `\\`, 3 `/`, 4 a control character. */
const CLASS = new Uint8Array(128);
for (let c = 0; c < 0x20; c++) CLASS[c] = 4;
CLASS[34] = 1;
CLASS[92] = 2;
CLASS[47] = 3;

/**
 * The inside of a JSON string from `p`: the index of its closing quote, or −1 when it is not one
 * PHP reads alike (an invalid escape, a control character, a lone surrogate, the end of the text).
 * Sets `scanned`.
 */
function scanString(t: string, p: number): number {
  let f = 0;
  for (;;) {
    const c = t.charCodeAt(p);
    const k = c < 128 ? CLASS[c]! : c >= 128 ? 5 : 4; // NaN (past the end) is 4
    if (k === 0) {
      p++;
    } else if (k === 1) {
      scanned = f;
      return p;
    } else if (k === 2) {
      f = 3;
      const e = t.charCodeAt(p + 1);
      if (e === 117) {
        const h = hex4(t, p + 2);
        if (h < 0) return -1;
        if (h >= 0xd800 && h <= 0xdfff) {
          // Only a high half followed by an escaped low half: PHP refuses a lone one.
          if (h > 0xdbff || t.charCodeAt(p + 6) !== 92 || t.charCodeAt(p + 7) !== 117) return -1;
          const l = hex4(t, p + 8);
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
      f |= 2;
      if (c >= 0xd800 && c <= 0xdfff) {
        const d = t.charCodeAt(p + 1);
        if (c > 0xdbff || !(d >= 0xdc00 && d <= 0xdfff)) return -1;
        p += 2;
      } else {
        p++;
      }
    } else {
      return -1; // a control character, or the end of the text
    }
  }
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

/** The value of the string `t[a..b)` that `scanString` accepted with an escape. */
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
      out += String.fromCharCode(hex4(t, i + 2)); // a surrogate pair arrives as its two halves
      i += 6;
    } else {
      out += escaped(e);
      i += 2;
    }
    run = i;
  }
  return run < b ? out + t.slice(run, b) : out;
}

/** JSON whitespace from `p`. */
function ws(t: string, p: number): number {
  if (t.charCodeAt(p) > 32) return p; // the common case: no whitespace
  for (;;) {
    const c = t.charCodeAt(p);
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
function scanScalar(t: string, p: number): FlatScalar | undefined {
  const c = t.charCodeAt(p);
  if (c === 34) {
    const e = scanString(t, p + 1);
    if (e < 0) return undefined;
    scalarEnd = e + 1;
    return scanned & 1 ? unescape(t, p + 1, e) : t.slice(p + 1, e);
  }
  if (c === 45 || (c >= 48 && c <= 57)) {
    const neg = c === 45;
    let q = neg ? p + 1 : p;
    const d0 = q;
    let v = 0;
    let d = t.charCodeAt(q);
    if (d === 48) {
      q++;
    } else if (d >= 49 && d <= 57) {
      do {
        v = v * 10 + (d - 48);
        d = t.charCodeAt(++q);
      } while (d >= 48 && d <= 57 && q - d0 < 16);
      if (q - d0 > 15) return undefined; // beyond 15 digits: maybe past 2^53, where PHP keeps the int64
    } else {
      return undefined;
    }
    const after = t.charCodeAt(q);
    if ((after >= 48 && after <= 57) || after === 46 || after === 101 || after === 69) return undefined; // a float: the PHP model
    scalarEnd = q;
    return neg ? -v : v; // `-0` is JSON.parse's −0; the header readers make it 0 as PHP does
  }
  if (c === 116 && t.startsWith('true', p)) {
    scalarEnd = p + 4;
    return true;
  }
  if (c === 102 && t.startsWith('false', p)) {
    scalarEnd = p + 5;
    return false;
  }
  if (c === 110 && t.startsWith('null', p)) {
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
 * One UTF-16 unit (not a surrogate) as `json_encode` writes it inside a string under the signing
 * flags (JSON_UNESCAPED_UNICODE, `/` escaped); the new position.
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
  if (c === 0x2028 || c === 0x2029) {
    o[p++] = 92;
    o[p++] = 117;
    o[p++] = 50;
    o[p++] = 48;
    o[p++] = 50;
    o[p++] = c === 0x2028 ? 56 : 57;
    return p;
  }
  o[p++] = 0xe0 | (c >> 12);
  o[p++] = 0x80 | ((c >> 6) & 63);
  o[p++] = 0x80 | (c & 63);
  return p;
}

/** A code point beyond U+FFFF (from a surrogate pair) as 4 bytes of UTF-8; the new position. */
function writeAstral(o: Uint8Array, p: number, hi: number, lo: number): number {
  const cp = 0x10000 + ((hi - 0xd800) << 10) + (lo - 0xdc00);
  o[p++] = 0xf0 | (cp >> 18);
  o[p++] = 0x80 | ((cp >> 12) & 63);
  o[p++] = 0x80 | ((cp >> 6) & 63);
  o[p++] = 0x80 | (cp & 63);
  return p;
}

/** The string `t[a..b)` (accepted by `scanString`) transcoded to its signing bytes; the new position. */
function transcode(t: string, a: number, b: number, o: Uint8Array, p: number): number {
  for (let i = a; i < b;) {
    const c = t.charCodeAt(i);
    if (c === 92) {
      const e = t.charCodeAt(i + 1);
      if (e === 117) {
        const h = hex4(t, i + 2);
        if (h >= 0xd800 && h <= 0xdbff) {
          p = writeAstral(o, p, h, hex4(t, i + 8));
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
    } else if (c >= 0xd800 && c <= 0xdbff) {
      p = writeAstral(o, p, c, t.charCodeAt(i + 1));
      i += 2;
    } else {
      p = writeUnit(o, p, c);
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
  /** Any other keys and their values, in the text's order. */
  readonly otherKeys: string[] = [];
  readonly otherValues: FlatScalar[] = [];
  get(field: string): FlatScalar | undefined {
    const slot = slotOf(field);
    if (slot >= 0) return this.slots[slot];
    const i = this.otherKeys.lastIndexOf(field);
    return i < 0 ? undefined : this.otherValues[i];
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
  /** The text's bytes when it is all ASCII (byte i is character i), valid while `#read` is `reads`. */
  readonly #bytes: Uint8Array | undefined;
  readonly #read: number;
  /** The Body's keys in ksort (byte) order. */
  readonly #keys: readonly string[];
  /**
   * Per key in that order, 4 numbers: where its key's opening quote is, where its value lies in
   * the text ([start, end), inside the quotes for a string) and its kind: 0 a string to copy as it
   * is, 1 a string to transcode, 2 `true`/`false`/`null`.
   */
  readonly #values: number[];
  /** An upper bound of the signing bytes. */
  readonly maxSigningBytes: number;

  constructor(
    text: string,
    bytes: Uint8Array | undefined,
    top: HeaderFields,
    body: Record<string, FlatScalar>,
    keys: readonly string[],
    values: number[],
    bodySpan: number,
  ) {
    this.#text = text;
    this.#bytes = bytes;
    this.#read = reads;
    this.top = top;
    this.body = body;
    this.#keys = keys;
    this.#values = values;
    // Every text character gives at most 6 bytes (U+2028 → `\u2028`), a key's `,"K":` no more than its text `"K":` and separator.
    this.maxSigningBytes = bodySpan * 6 + 8;
  }

  /**
   * The Body's signing bytes (`json_encode(ksort(Body), JSON_UNESCAPED_UNICODE)`, `/` escaped:
   * PROTOCOL §3's default flags) into `o` from 0 (room for `maxSigningBytes`); their length.
   */
  writeSigningBytes(o: Uint8Array): number {
    const src = this.#bytes;
    if (src !== undefined && this.#read === reads) return this.#writeFromBytes(src, o);
    const t = this.#text;
    const keys = this.#keys;
    const values = this.#values;
    let p = 0;
    for (let j = 0; j < keys.length; j++) {
      o[p++] = j === 0 ? 123 : 44;
      o[p++] = 34;
      const k = keys[j]!;
      for (let i = 0; i < k.length; i++) o[p++] = k.charCodeAt(i);
      o[p++] = 34;
      o[p++] = 58;
      const a = values[4 * j + 1]!;
      const b = values[4 * j + 2]!;
      const kind = values[4 * j + 3]!;
      if (kind === 2) {
        for (let i = a; i < b; i++) o[p++] = t.charCodeAt(i);
      } else {
        o[p++] = 34;
        if (kind === 0) for (let i = a; i < b; i++) o[p++] = t.charCodeAt(i);
        else p = transcode(t, a, b, o, p);
        o[p++] = 34;
      }
    }
    o[p++] = 125;
    return p;
  }

  /**
   * `writeSigningBytes` for an all-ASCII text, from its bytes: where the text writes a pair the way
   * `json_encode` does (`,"KEY":"value"` with no whitespace, the separator the sorted order needs:
   * the platform writes its Bodies ksorted), the text's bytes are the signing bytes, copied in runs
   * as long as the text allows; only strings to transcode and pairs written otherwise are written
   * piece by piece.
   */
  #writeFromBytes(src: Uint8Array, o: Uint8Array): number {
    const t = this.#text;
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
          p = transcode(t, a, b, o, p);
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
            p = transcode(t, a, b, o, p);
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

/** How many texts have been read from `bytes`: a FlatEnvelope writes from them only while they hold its text. */
let reads = 0;

/**
 * The key sequences of the last envelope read (the same notification or answer arrives again and
 * again): its top-level keys without escapes and their slots (−2 for `Body`), and its Body's keys,
 * their ksort order and the keys in that order. A key in the text is compared with the one at the
 * same place last time (the same characters, then the closing quote), so the common case neither
 * slices nor sorts the keys.
 */
const topKeys: string[] = [];
const topSlots: number[] = [];
const MAX_TOP_CACHED = 32;
let bodyKeys: string[] = [];
let bodyOrder: number[] = [];
let bodySorted: string[] = [];
/** Whether those Body keys were already in ksort order (the platform writes its Bodies ksorted). */
let bodyInOrder = false;

/** The Body's 4 numbers per key (see `FlatEnvelope`), from the text's order to ksort order. */
function inKsortOrder(pairs: readonly number[], order: readonly number[]): number[] {
  const n = order.length;
  const sorted: number[] = new Array<number>(4 * n);
  for (let j = 0; j < n; j++) {
    const i = 4 * order[j]!;
    sorted[4 * j] = pairs[i]!;
    sorted[4 * j + 1] = pairs[i + 1]!;
    sorted[4 * j + 2] = pairs[i + 2]!;
    sorted[4 * j + 3] = pairs[i + 3]!;
  }
  return sorted;
}

/** Whether `key` is written at `p` of `t`, followed by the closing quote. */
function keyAt(t: string, p: number, key: string | undefined): key is string {
  if (key === undefined) return false;
  const n = key.length;
  if (t.charCodeAt(p + n) !== 34) return false;
  for (let i = 0; i < n; i++) if (t.charCodeAt(p + i) !== key.charCodeAt(i)) return false;
  return true;
}

/** `parseFlatEnvelope` for a text that is not all ASCII, read from its characters. */
function parseText(t: string): FlatEnvelope | undefined {
  let p = ws(t, 0);
  if (t.charCodeAt(p) !== 123) return undefined;
  p = ws(t, p + 1);
  const top = new HeaderFields();
  let body: Record<string, FlatScalar> | undefined;
  /** The Body's keys in the text's order, made only when they are not the last envelope's. */
  let textKeys: string[] | undefined;
  let pairs: number[] = [];
  let cachedBody = false;
  let bodyStart = 0;
  let bodyEnd = 0;
  for (let i = 0; ; i++) {
    if (t.charCodeAt(p) !== 34) return undefined;
    const k0 = p + 1;
    let ke: number;
    let slot: number;
    let key: string | undefined;
    const cached = topKeys[i];
    if (keyAt(t, k0, cached)) {
      ke = k0 + cached.length;
      slot = topSlots[i]!;
    } else {
      ke = scanString(t, k0);
      if (ke < 0 || scanned & 1) return undefined; // an escaped key: the PHP model
      key = t.slice(k0, ke);
      slot = key === 'Body' ? -2 : slotOf(key);
      if (i < MAX_TOP_CACHED && i <= topKeys.length) {
        topKeys[i] = key;
        topSlots[i] = slot;
      }
    }
    p = ws(t, ke + 1);
    if (t.charCodeAt(p) !== 58) return undefined;
    p = ws(t, p + 1);
    if (slot === -2) {
      if (body !== undefined || t.charCodeAt(p) !== 123) return undefined;
      bodyStart = p;
      body = {};
      p = ws(t, p + 1);
      if (t.charCodeAt(p) === 125) return undefined; // `{}`: PHP's empty list
      cachedBody = true;
      let n = 0;
      for (;;) {
        if (n === MAX_FIELDS || t.charCodeAt(p) !== 34) return undefined;
        const q = p;
        const b0 = p + 1;
        let bk = bodyKeys[n];
        if (cachedBody && keyAt(t, b0, bk)) {
          p = b0 + bk.length;
        } else {
          if (cachedBody) {
            cachedBody = false;
            textKeys = bodyKeys.slice(0, n); // the keys so far are the last envelope's
          }
          if (!isIdentChar(t.charCodeAt(b0), true)) return undefined;
          p = b0 + 1;
          while (isIdentChar(t.charCodeAt(p), false)) p++;
          if (t.charCodeAt(p) !== 34) return undefined;
          bk = t.slice(b0, p);
          if (bk === '__proto__') return undefined;
        }
        p = ws(t, p + 1);
        if (t.charCodeAt(p) !== 58) return undefined;
        p = ws(t, p + 1);
        let value: FlatScalar;
        if (t.charCodeAt(p) === 34) {
          const e = scanString(t, p + 1);
          if (e < 0) return undefined;
          pairs.push(q, p + 1, e, scanned === 0 ? 0 : 1);
          value = scanned & 1 ? unescape(t, p + 1, e) : t.slice(p + 1, e);
          p = e + 1;
        } else {
          const v = scanScalar(t, p);
          if (v === undefined || typeof v === 'number') return undefined; // numbers: the PHP model
          pairs.push(q, p, scalarEnd, 2);
          value = v;
          p = scalarEnd;
        }
        if (!cachedBody) textKeys!.push(bk);
        body[bk] = value;
        n++;
        p = ws(t, p);
        const c = t.charCodeAt(p);
        if (c === 44) {
          p = ws(t, p + 1);
          continue;
        }
        if (c !== 125) return undefined;
        bodyEnd = ++p;
        break;
      }
      if (cachedBody && n !== bodyKeys.length) {
        cachedBody = false;
        textKeys = bodyKeys.slice(0, n);
      }
    } else {
      const v = scanScalar(t, p);
      if (v === undefined) return undefined;
      if (slot >= 0) top.slots[slot] = v;
      else {
        top.otherKeys.push(key ?? t.slice(k0, ke));
        top.otherValues.push(v);
      }
      p = scalarEnd;
    }
    p = ws(t, p);
    const c = t.charCodeAt(p);
    if (c === 44) {
      p = ws(t, p + 1);
      continue;
    }
    if (c !== 125) return undefined;
    break;
  }
  if (body === undefined || ws(t, p + 1) !== t.length) return undefined;
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
    bodyOrder = order;
    bodyInOrder = order.every((i, j) => i === j);
    bodySorted = order.map((i) => keys[i]!);
  }
  if (!bodyInOrder) pairs = inKsortOrder(pairs, bodyOrder);
  return new FlatEnvelope(t, undefined, top, body, bodySorted, pairs, bodyEnd - bodyStart);
}

// The same reader over the text's bytes, for an all-ASCII text (the platform writes non-ASCII as
// `\uXXXX`, PROTOCOL §3): byte i is character i, so the offsets, the slices and the values are
// those of the characters, and a byte array is read faster than a string. The functions below
// are those above with `b[i]` for `t.charCodeAt(i)`; a 0 after the text stops every scan where
// `charCodeAt` gives NaN.

function hex4B(b: Uint8Array, t: string, p: number): number {
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

function scanStringB(b: Uint8Array, t: string, p: number): number {
  let f = 0;
  for (;;) {
    const c = b[p]!;
    const k = c < 128 ? CLASS[c]! : c >= 128 ? 5 : 4; // NaN (past the end) is 4
    if (k === 0) {
      p++;
    } else if (k === 1) {
      scanned = f;
      return p;
    } else if (k === 2) {
      f = 3;
      const e = b[p + 1]!;
      if (e === 117) {
        const h = hex4B(b, t, p + 2);
        if (h < 0) return -1;
        if (h >= 0xd800 && h <= 0xdfff) {
          // Only a high half followed by an escaped low half: PHP refuses a lone one.
          if (h > 0xdbff || b[p + 6]! !== 92 || b[p + 7]! !== 117) return -1;
          const l = hex4B(b, t, p + 8);
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
      f |= 2;
      if (c >= 0xd800 && c <= 0xdfff) {
        const d = b[p + 1]!;
        if (c > 0xdbff || !(d >= 0xdc00 && d <= 0xdfff)) return -1;
        p += 2;
      } else {
        p++;
      }
    } else {
      return -1; // a control character, or the end of the text
    }
  }
}

function wsB(b: Uint8Array, t: string, p: number): number {
  if (b[p]! > 32) return p; // the common case: no whitespace
  for (;;) {
    const c = b[p]!;
    if (c === 32 || c === 10 || c === 13 || c === 9) p++;
    else return p;
  }
}

function scanScalarB(b: Uint8Array, t: string, p: number): FlatScalar | undefined {
  const c = b[p]!;
  if (c === 34) {
    const e = scanStringB(b, t, p + 1);
    if (e < 0) return undefined;
    scalarEnd = e + 1;
    return scanned & 1 ? unescape(t, p + 1, e) : t.slice(p + 1, e);
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
  if (c === 116 && t.startsWith('true', p)) {
    scalarEnd = p + 4;
    return true;
  }
  if (c === 102 && t.startsWith('false', p)) {
    scalarEnd = p + 5;
    return false;
  }
  if (c === 110 && t.startsWith('null', p)) {
    scalarEnd = p + 4;
    return null;
  }
  return undefined;
}

function keyAtB(b: Uint8Array, t: string, p: number, key: string | undefined): key is string {
  if (key === undefined) return false;
  const n = key.length;
  if (b[p + n]! !== 34) return false;
  for (let i = 0; i < n; i++) if (b[p + i]! !== key.charCodeAt(i)) return false;
  return true;
}

function parseAscii(b: Uint8Array, t: string): FlatEnvelope | undefined {
  let p = wsB(b, t, 0);
  if (b[p]! !== 123) return undefined;
  p = wsB(b, t, p + 1);
  const top = new HeaderFields();
  let body: Record<string, FlatScalar> | undefined;
  /** The Body's keys in the text's order, made only when they are not the last envelope's. */
  let textKeys: string[] | undefined;
  let pairs: number[] = [];
  let cachedBody = false;
  let bodyStart = 0;
  let bodyEnd = 0;
  for (let i = 0; ; i++) {
    if (b[p]! !== 34) return undefined;
    const k0 = p + 1;
    let ke: number;
    let slot: number;
    let key: string | undefined;
    const cached = topKeys[i];
    if (keyAtB(b, t, k0, cached)) {
      ke = k0 + cached.length;
      slot = topSlots[i]!;
    } else {
      ke = scanStringB(b, t, k0);
      if (ke < 0 || scanned & 1) return undefined; // an escaped key: the PHP model
      key = t.slice(k0, ke);
      slot = key === 'Body' ? -2 : slotOf(key);
      if (i < MAX_TOP_CACHED && i <= topKeys.length) {
        topKeys[i] = key;
        topSlots[i] = slot;
      }
    }
    p = wsB(b, t, ke + 1);
    if (b[p]! !== 58) return undefined;
    p = wsB(b, t, p + 1);
    if (slot === -2) {
      if (body !== undefined || b[p]! !== 123) return undefined;
      bodyStart = p;
      body = {};
      p = wsB(b, t, p + 1);
      if (b[p]! === 125) return undefined; // `{}`: PHP's empty list
      cachedBody = true;
      let n = 0;
      for (;;) {
        if (n === MAX_FIELDS || b[p]! !== 34) return undefined;
        const q = p;
        const b0 = p + 1;
        let bk = bodyKeys[n];
        if (cachedBody && keyAtB(b, t, b0, bk)) {
          p = b0 + bk.length;
        } else {
          if (cachedBody) {
            cachedBody = false;
            textKeys = bodyKeys.slice(0, n); // the keys so far are the last envelope's
          }
          if (!isIdentChar(b[b0]!, true)) return undefined;
          p = b0 + 1;
          while (isIdentChar(b[p]!, false)) p++;
          if (b[p]! !== 34) return undefined;
          bk = t.slice(b0, p);
          if (bk === '__proto__') return undefined;
        }
        p = wsB(b, t, p + 1);
        if (b[p]! !== 58) return undefined;
        p = wsB(b, t, p + 1);
        let value: FlatScalar;
        if (b[p]! === 34) {
          const e = scanStringB(b, t, p + 1);
          if (e < 0) return undefined;
          pairs.push(q, p + 1, e, scanned === 0 ? 0 : 1);
          value = scanned & 1 ? unescape(t, p + 1, e) : t.slice(p + 1, e);
          p = e + 1;
        } else {
          const v = scanScalarB(b, t, p);
          if (v === undefined || typeof v === 'number') return undefined; // numbers: the PHP model
          pairs.push(q, p, scalarEnd, 2);
          value = v;
          p = scalarEnd;
        }
        if (!cachedBody) textKeys!.push(bk);
        body[bk] = value;
        n++;
        p = wsB(b, t, p);
        const c = b[p]!;
        if (c === 44) {
          p = wsB(b, t, p + 1);
          continue;
        }
        if (c !== 125) return undefined;
        bodyEnd = ++p;
        break;
      }
      if (cachedBody && n !== bodyKeys.length) {
        cachedBody = false;
        textKeys = bodyKeys.slice(0, n);
      }
    } else {
      const v = scanScalarB(b, t, p);
      if (v === undefined) return undefined;
      if (slot >= 0) top.slots[slot] = v;
      else {
        top.otherKeys.push(key ?? t.slice(k0, ke));
        top.otherValues.push(v);
      }
      p = scalarEnd;
    }
    p = wsB(b, t, p);
    const c = b[p]!;
    if (c === 44) {
      p = wsB(b, t, p + 1);
      continue;
    }
    if (c !== 125) return undefined;
    break;
  }
  if (body === undefined || wsB(b, t, p + 1) !== t.length) return undefined;
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
    bodyOrder = order;
    bodyInOrder = order.every((i, j) => i === j);
    bodySorted = order.map((i) => keys[i]!);
  }
  if (!bodyInOrder) pairs = inKsortOrder(pairs, bodyOrder);
  return new FlatEnvelope(t, b, top, body, bodySorted, pairs, bodyEnd - bodyStart);
}

const encoder = new TextEncoder();
/** The text's bytes (reused). */
let bytes = new Uint8Array(1024);

/** The envelope read by hand, or `undefined` when only the PHP model gives PHP's values (see above). */
export function parseFlatEnvelope(t: string): FlatEnvelope | undefined {
  if (typeof t !== 'string') return undefined;
  const n = t.length;
  if (bytes.length <= n) bytes = new Uint8Array(n * 2 + 64);
  const r = encoder.encodeInto(t, bytes);
  if (r.read !== n || r.written !== n) return parseText(t); // non-ASCII: read from the characters
  bytes[n] = 0;
  reads++;
  return parseAscii(bytes, t);
}
