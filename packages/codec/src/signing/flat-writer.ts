/**
 * The one fast signing writer (PROTOCOL §3): the UTF-8 signing bytes of a flat Body
 * (`json_encode(ksort(Body), JSON_UNESCAPED_UNICODE)`) written in one pass straight into the MD5
 * input buffer, without building the signing string or the PHP model.
 *
 * Accepted: a flat Body of identifier keys (`[A-Za-z_][A-Za-z0-9_]*`: never numeric, so PHP's
 * `SORT_REGULAR` ksort is a plain byte sort and no list can arise) with string, safe-integer,
 * boolean or null values — as a plain JS object, a `PhpArray`, or a received JSON text (strings
 * without backslash escapes, integers of at most 15 digits, no duplicated key) — and strings without
 * control characters, U+2028/2029 or surrogates (the reference path's escaping writes those).
 * Everything else returns −1 and the caller takes the reference path (signing/reference.ts).
 * test/fastpath-sign-bytes.test.ts and test/sign-bytes-shapes.test.ts check these bytes against the
 * reference path's string.
 *
 * A `FlatWriter` belongs to one `Signer` (signing/signer.ts) and owns its state: the MD5 buffer it
 * writes into, the key shapes it has seen (the `{"K":` / `,"K":` bytes in ksort order, made once per
 * key sequence and written as 32-bit words), the `&key=` bytes of the last key, and the arrays it
 * reads into.
 */
import { Md5 } from '../hash/md5.js';
import { orderOf } from '../php-json/key-order.js';
import { PhpArray } from '../php-json/value.js';

/**
 * A flat Body's key shape: its keys in the object's own order, their ksort order, and the bytes
 * written before each value in that order (`{"K":` then `,"K":`), made once per shape (the same
 * operation, the same notification) and reused for every body of that shape.
 */
interface BodyShape {
  keys: string[];
  /** `order[j]`: the index in `keys` (and in the values read) of the j-th key in ksort order. */
  order: number[];
  /**
   * The j-th prefix in ksort order as little-endian 32-bit words `words[wordAt[j]..wordAt[j + 1])`
   * (zero-padded to a whole word), `preLen[j]` bytes long: written a word at a time.
   */
  words: Int32Array;
  wordAt: Int32Array;
  preLen: Int32Array;
  /** All the prefixes' bytes, padding included. */
  preBytes: number;
}
const SHAPES = 16;
const MAX_FIELDS = 64;

/**
 * Per ASCII character inside a PHP JSON string: 0 written as it is, 1 after a backslash (`"`, `\\`
 * and, in `ESCAPE_SLASH` only, `/`), 2 a control character (U+0000..U+001F: `\n`, `\u00xx`...).
 * DEL (U+007F) is written as it is, as PHP does.
 */
const ESCAPE_SLASH = new Uint8Array(128);
const ESCAPE = new Uint8Array(128);
for (let c = 0; c < 0x20; c++) ESCAPE_SLASH[c] = ESCAPE[c] = 2;
ESCAPE_SLASH[34] = ESCAPE[34] = 1;
ESCAPE_SLASH[92] = ESCAPE[92] = 1;
ESCAPE_SLASH[47] = 1;

/**
 * `s` as the inside of a PHP JSON string (JSON_UNESCAPED_UNICODE) into `o` from `p` (room reserved by
 * the caller: 6 bytes per UTF-16 unit). Printable ASCII is written without a branch on the
 * character (a backslash, then the character over it or after it: one table load), in a loop small
 * enough to be inlined; from the first other character on, `writeStringFrom`. The new position, or
 * −1 for the reference path.
 */
function writeString(o: Uint8Array, s: string, p: number, slashes: boolean): number {
  const t = slashes ? ESCAPE_SLASH : ESCAPE;
  const n = s.length;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    const e = c < 0x80 ? t[c]! : 2;
    if (e === 2) return writeStringFrom(o, s, i, p, t);
    o[p] = 92;
    o[p + e] = c;
    p += e + 1;
  }
  return p;
}

/**
 * `s[i..]` as `writeString`, with the characters of the Bodies we sign: `\"`, `\\`, `\/` (with
 * `slashes`) and raw UTF-8 for U+0080..U+FFFF. A control character, U+2028/2029 (PHP writes those
 * escaped) or a surrogate (a pair or a lone one, which PHP refuses) returns −1: the reference path
 * (php-json/encode.ts `encodePhpString`) writes or refuses them.
 */
function writeStringFrom(o: Uint8Array, s: string, i: number, p: number, t: Uint8Array): number {
  const n = s.length;
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) {
      const e = t[c]!;
      if (e === 2) return -1;
      o[p] = 92;
      o[p + e] = c;
      p += e + 1;
    } else if (c < 0x800) {
      o[p++] = 0xc0 | (c >> 6);
      o[p++] = 0x80 | (c & 63);
    } else if ((c >= 0xd800 && c <= 0xdfff) || c === 0x2028 || c === 0x2029) {
      return -1;
    } else {
      o[p++] = 0xe0 | (c >> 12);
      o[p++] = 0x80 | ((c >> 6) & 63);
      o[p++] = 0x80 | (c & 63);
    }
  }
  return p;
}

/** JSON whitespace from `p` in the bytes (the byte after the text is a 0 sentinel). */
function skipWs(b: Uint8Array, p: number): number {
  for (;;) {
    const c = b[p]!;
    if (c === 32 || c === 10 || c === 13 || c === 9) p++;
    else return p;
  }
}

function isIdentByte(c: number, first: boolean): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || (!first && c >= 48 && c <= 57);
}

/** Compares the keys `b[a0..a1)` and `b[b0..b1)` (ASCII identifiers) by bytes. */
function cmpKeys(b: Uint8Array, a0: number, a1: number, b0: number, b1: number): number {
  const la = a1 - a0;
  const lb = b1 - b0;
  const n = la < lb ? la : lb;
  for (let i = 0; i < n; i++) {
    const d = b[a0 + i]! - b[b0 + i]!;
    if (d !== 0) return d;
  }
  return la - lb;
}

const hasOwn = Object.prototype.hasOwnProperty;
const encoder = new TextEncoder();

/** The fast writer of one `Signer`: its MD5, buffers and caches. */
export class FlatWriter {
  readonly md5 = new Md5();
  /** Where the last write put the signing bytes in the MD5 buffer (a multiple of 64). */
  start = 0;
  /** The last MD5 key that passed the key check (a signer uses one or two keys: they are not re-checked). */
  checkedKey = '';
  /** The MD5 input buffer as last returned by `scratch` (it moves when it grows). */
  #out: Uint8Array = this.md5.scratch(0, 0);
  #view = new DataView(this.#out.buffer, this.#out.byteOffset, this.#out.byteLength);
  #viewOf = this.#out;
  readonly #shapes: (BodyShape | undefined)[] = new Array<BodyShape | undefined>(SHAPES).fill(undefined);
  #nextShape = 0;
  /** The shape found last: tried first. */
  #lastShape: BodyShape | undefined;
  /** The keys and values being read (the first `n` entries), reused between calls. */
  readonly #keyBuf: string[] = new Array<string>(MAX_FIELDS).fill('');
  readonly #valBuf: unknown[] = new Array<unknown>(MAX_FIELDS).fill(undefined);
  /** True while an object is read: its getters may sign another body with this writer. */
  #reading = false;
  // Per pair of the text being read: key start/end and value start/end (a string's with its
  // quotes), 1 for the integer −0 (written 0) else 0; then the ksort order.
  readonly #ks = new Int32Array(MAX_FIELDS);
  readonly #ke = new Int32Array(MAX_FIELDS);
  readonly #vs = new Int32Array(MAX_FIELDS);
  readonly #ve = new Int32Array(MAX_FIELDS);
  readonly #kind = new Uint8Array(MAX_FIELDS);
  readonly #idx = new Int32Array(MAX_FIELDS);
  /** `&key=` and the key's UTF-8 as little-endian words (zero-padded), for the key last seen. */
  #suffixKey = '';
  #suffixWords = new Int32Array(0);
  #suffixLen = 0;

  #room(p: number, more: number): Uint8Array {
    this.#out = this.md5.scratch(p + more, p);
    return this.#out;
  }

  /** A DataView of the buffer (remade when it moves). */
  #outView(): DataView {
    if (this.#viewOf !== this.#out) {
      this.#view = new DataView(this.#out.buffer, this.#out.byteOffset, this.#out.byteLength);
      this.#viewOf = this.#out;
    }
    return this.#view;
  }

  #sameKeys(shape: BodyShape, n: number): boolean {
    const k = shape.keys;
    if (k.length !== n) return false;
    const keyBuf = this.#keyBuf;
    for (let i = 0; i < n; i++) if (k[i] !== keyBuf[i]) return false;
    return true;
  }

  /** The shape of `keyBuf[0..n)` (distinct keys), made and cached on a miss; undefined when a key is not an identifier. */
  #shapeOf(n: number): BodyShape | undefined {
    let shape = this.#lastShape;
    if (shape !== undefined && this.#sameKeys(shape, n)) return shape;
    for (let s = 0; s < SHAPES; s++) {
      shape = this.#shapes[s];
      if (shape === undefined) break;
      if (this.#sameKeys(shape, n)) return (this.#lastShape = shape);
    }
    const keys = this.#keyBuf.slice(0, n);
    const order = orderOf(keys);
    if (order === undefined) return undefined;
    const wordAt = new Int32Array(n + 1);
    const preLen = new Int32Array(n);
    // The prefixes (ASCII), each zero-padded to a whole word, then as little-endian words.
    let all = '';
    for (let j = 0; j < n; j++) {
      const pre = `${j === 0 ? '{' : ','}"${keys[order[j]!]!}":`;
      preLen[j] = pre.length;
      all += pre.padEnd((pre.length + 3) & ~3, '\0');
      wordAt[j + 1] = all.length >> 2;
    }
    const words = new Int32Array(all.length >> 2);
    for (let i = 0; i < all.length; i++) words[i >> 2]! |= all.charCodeAt(i) << ((i & 3) * 8);
    shape = { keys, order, words, wordAt, preLen, preBytes: all.length };
    this.#shapes[this.#nextShape] = shape;
    this.#nextShape = (this.#nextShape + 1) % SHAPES;
    return (this.#lastShape = shape);
  }

  /**
   * `{"k":v,...}` for the `n` values in `valBuf` (in the shape's key order), written in ksort order
   * with one reservation; −1 when a value is not a flat scalar (or a string fails).
   */
  #writeShape(shape: BodyShape, n: number, slashes: boolean): number {
    const words = shape.words;
    const wordAt = shape.wordAt;
    const preLen = shape.preLen;
    const order = shape.order;
    // Room: the prefixes (whole words), 6 bytes per UTF-16 unit of a string (+2 quotes), 21 for any
    // other scalar, `}`.
    let size = shape.preBytes + 1;
    for (let i = 0; i < n; i++) {
      const v = this.#valBuf[i];
      size += typeof v === 'string' ? v.length * 6 + 2 : 21;
    }
    const o = this.#room(0, size);
    const dv = this.#outView();
    let p = 0;
    for (let j = 0; j < n; j++) {
      // The prefix a word at a time: up to 3 bytes past it are written too, and overwritten by the value.
      let w = p;
      for (let q = wordAt[j]!, e = wordAt[j + 1]!; q < e; q++) {
        dv.setInt32(w, words[q]!, true);
        w += 4;
      }
      p += preLen[j]!;
      const v = this.#valBuf[order[j]!];
      if (typeof v === 'string') {
        o[p++] = 34;
        p = writeString(o, v, p, slashes);
        if (p < 0) return -1;
        o[p++] = 34;
      } else {
        // A safe integer (`String(-0)` is `0`: −0 is sent, and read back, as 0), a boolean or null
        // as written; anything else (floats, 2^53 and beyond, nested values) takes the reference path.
        const t = v === null || v === true || v === false || Number.isSafeInteger(v) ? String(v) : '';
        if (t === '') return -1;
        for (let i = 0; i < t.length; i++) o[p++] = t.charCodeAt(i);
      }
    }
    o[p++] = 125;
    return p;
  }

  /** Reads a plain object's own enumerable keys and values into keyBuf/valBuf; their count, or −1. */
  #readObject(body: Record<string, unknown>, inherits: boolean): number {
    // for…in (no arrays made) yields the own enumerable string keys first, in Object.keys order, then
    // any enumerable inherited ones (a polluted Object.prototype): then the last key is not own.
    const keyBuf = this.#keyBuf;
    const valBuf = this.#valBuf;
    let n = 0;
    let last = '';
    let more = false;
    for (const k in body) {
      if (n === MAX_FIELDS) {
        more = true; // over 64 fields: the reference path
        break;
      }
      keyBuf[n] = k;
      valBuf[n++] = body[k];
      last = k;
    }
    if (n === 0) return -1;
    if (more || (inherits && !hasOwn.call(body, last))) {
      for (let i = 0; i < n; i++) valBuf[i] = undefined;
      return -1;
    }
    return n;
  }

  /**
   * Signing bytes of a flat Body held as a plain JS object (what we send) or a `PhpArray` (a decoded
   * one) into the MD5 buffer from `start`; the end offset, or −1 for the reference path.
   */
  writeBody(body: object, slashes: boolean): number {
    this.start = 0;
    let n: number;
    if (body instanceof PhpArray) {
      n = body.map.size;
      if (n === 0 || n > MAX_FIELDS) return -1;
      let i = 0;
      for (const [k, v] of body.map) {
        this.#keyBuf[i] = k;
        this.#valBuf[i++] = v;
      }
    } else {
      const proto = Object.getPrototypeOf(body);
      if (proto !== Object.prototype && proto !== null) return -1;
      // A getter that signs another body with this writer while this one is read would overwrite
      // keyBuf/valBuf: that inner call takes the reference path.
      if (this.#reading) return -1;
      this.#reading = true;
      try {
        n = this.#readObject(body as Record<string, unknown>, proto !== null);
      } finally {
        this.#reading = false;
      }
      if (n < 0) return -1;
    }
    const shape = this.#shapeOf(n);
    const len = shape === undefined ? -1 : this.#writeShape(shape, n, slashes);
    for (let i = 0; i < n; i++) this.#valBuf[i] = undefined; // no reference to the caller's values kept
    return len;
  }

  /**
   * Signing bytes of a received flat Body text into the MD5 buffer; the end offset (the bytes start
   * at `start`), or −1 for the reference path: any escape, control character, float, long
   * integer, nesting, duplicated key, non-identifier key, U+2028/2029, lone surrogate (or U+FFFD,
   * which is what a lone surrogate becomes in UTF-8 here), or malformed JSON: the reference parser
   * then reports it as PHP would. The text is UTF-8-encoded once (natively) at offset 0 and scanned
   * as bytes; each value is then copied as written, except `/` → `\/` and `-0` → `0`.
   */
  writeText(text: string, slashes: boolean): number {
    this.start = 0;
    let b = this.#room(0, text.length * 3 + 1);
    const len = encoder.encodeInto(text, b).written;
    b[len] = 0; // sentinel: never valid where a token is expected, so every scan stops at the end
    let p = skipWs(b, 0);
    if (b[p] !== 123) return -1;
    p = skipWs(b, p + 1);
    if (b[p] === 125) return -1;
    let n = 0;
    for (;;) {
      // The key and the value are kept with their quotes: `"` sorts below every identifier byte,
      // so keys compare as their insides do, and a pair is copied as `"key":value`.
      if (n === 64 || b[p] !== 34) return -1;
      const k0 = p++;
      if (!isIdentByte(b[p]!, true)) return -1;
      p++;
      while (isIdentByte(b[p]!, false)) p++;
      if (b[p] !== 34) return -1;
      this.#ks[n] = k0;
      this.#ke[n] = ++p;
      p = skipWs(b, p);
      if (b[p] !== 58) return -1;
      p = skipWs(b, p + 1);
      const c = b[p]!;
      const v0 = p;
      let negativeZero = 0;
      if (c === 34) {
        for (;;) {
          const d = b[++p]!;
          if (d === 34) break;
          if (d === 92 || d < 0x20) return -1; // an escape, a control character or the end: the exact parser
          if (d === 0xef && b[p + 1] === 0xbf && b[p + 2] === 0xbd) return -1; // U+FFFD: maybe a lone surrogate
          if (d === 0xe2 && b[p + 1] === 0x80 && (b[p + 2]! & 0xfe) === 0xa8) return -1; // U+2028/2029: PHP escapes them
        }
        p++;
      } else if (c === 45 || (c >= 48 && c <= 57)) {
        // -?(0|[1-9][0-9]{0,14}); a fraction or an exponent after it fails the `,` / `}` check below
        if (c === 45) p++;
        const d0 = p;
        let d = b[p]!;
        while (p - d0 < 16 && d >= 48 && d <= 57) d = b[++p]!;
        const len = p - d0;
        if (len === 0 || len > 15 || (b[d0] === 48 && len > 1)) return -1;
        negativeZero = c === 45 && b[d0] === 48 ? 1 : 0; // PHP's integer −0 is 0
      } else {
        const lit = c === 116 ? 'true' : c === 102 ? 'false' : c === 110 ? 'null' : '';
        if (lit === '') return -1;
        for (let i = 1; i < lit.length; i++) if (b[p + i] !== lit.charCodeAt(i)) return -1;
        p += lit.length;
      }
      this.#vs[n] = v0;
      this.#ve[n] = p;
      this.#kind[n++] = negativeZero;
      p = skipWs(b, p);
      const d = b[p];
      if (d === 44) {
        p = skipWs(b, p + 1);
        continue;
      }
      if (d !== 125) return -1;
      break;
    }
    if (skipWs(b, p + 1) !== len) return -1;
    // Insertion sort of the pair indexes by key; an equal key is a duplicate: PHP's
    // first-position/last-value rule is the exact parser's job.
    for (let i = 0; i < n; i++) {
      let j = i - 1;
      for (; j >= 0; j--) {
        const q = this.#idx[j]!;
        const r = cmpKeys(b, this.#ks[q]!, this.#ke[q]!, this.#ks[i]!, this.#ke[i]!);
        if (r === 0) return -1;
        if (r < 0) break;
        this.#idx[j + 1] = q;
      }
      this.#idx[j + 1] = i;
    }
    // The output after the input, from a block boundary: at most twice the input (`/` → `\/`).
    const start = (len + 64) & ~63;
    b = this.#room(start, 2 * len + 2);
    let w = start;
    for (let j = 0; j < n; j++) {
      const i = this.#idx[j]!;
      b[w++] = j > 0 ? 44 : 123;
      for (let q = this.#ks[i]!, k1 = this.#ke[i]!; q < k1; q++) b[w++] = b[q]!;
      b[w++] = 58;
      if (this.#kind[i] === 1) {
        b[w++] = 48;
      } else {
        for (let q = this.#vs[i]!, v1 = this.#ve[i]!; q < v1; q++) {
          const d = b[q]!;
          if (d === 47 && slashes) b[w++] = 92; // only strings hold a `/`
          b[w++] = d;
        }
      }
    }
    b[w++] = 125;
    this.start = start;
    return w;
  }

  /** `&key=` and the key's raw UTF-8 after the signing bytes (the caller checked the key has no lone surrogate); the new end. */
  writeKeySuffix(p: number, key: string): number {
    if (key !== this.#suffixKey) {
      const bytes = encoder.encode(`&key=${key}`);
      const words = new Int32Array((bytes.length + 3) >> 2);
      for (let i = 0; i < bytes.length; i++) words[i >> 2]! |= bytes[i]! << ((i & 3) * 8);
      this.#suffixWords = words;
      this.#suffixLen = bytes.length;
      this.#suffixKey = key;
    }
    const words = this.#suffixWords;
    const n = words.length;
    this.#room(p, n * 4);
    const dv = this.#outView();
    for (let i = 0, w = p; i < n; i++, w += 4) dv.setInt32(w, words[i]!, true);
    return p + this.#suffixLen;
  }
}
