/**
 * Fused fast paths for `md5Sign` / `md5Verify` (NOTES §3): the UTF-8 signing bytes of a flat Body
 * (`json_encode(ksort(Body), JSON_UNESCAPED_UNICODE)`) written in one pass straight into the MD5
 * input buffer (php/md5.ts), without building the signing string or the PHP model.
 *
 * Accepted: a flat Body of identifier keys (`[A-Za-z_][A-Za-z0-9_]*`: never numeric, so PHP's
 * `SORT_REGULAR` ksort is a plain byte sort and no list can arise) with string, safe-integer,
 * boolean or null values — as a plain JS object, a `PhpArray`, or a received JSON text (strings
 * without backslash escapes, integers of at most 15 digits, no duplicated key). Everything else
 * returns −1 and the caller takes the exact path (php/flat.ts, then php/body.ts).
 * test/fastpath-sign-bytes.test.ts checks these bytes against the general path's string.
 */
import { orderOf } from './key-order.js';
import { md5Scratch } from './md5.js';
import { PhpArray } from './value.js';

/** The MD5 input buffer as last returned by `md5Scratch` (it moves when it grows). */
let out: Uint8Array = md5Scratch(0, 0);

function room(p: number, more: number): Uint8Array {
  out = md5Scratch(p + more, p);
  return out;
}

const HEX_LOWER = [48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 97, 98, 99, 100, 101, 102];

/**
 * `s[start..end)` as the inside of a PHP JSON string (JSON_UNESCAPED_UNICODE): `\"`, `\\`, `\/`
 * (with `slashes`), `\b \f \n \r \t`, other controls `\u00xx`, U+2028/2029 as `\u2028`/`\u2029`,
 * everything else as raw UTF-8 (php/encode.ts `encodePhpString`). With `strict` (a received text,
 * where the string was never unescaped) a backslash or a control character aborts instead.
 * Returns the new position, or −1 (lone surrogate: PHP fails; or `strict` abort).
 */
function writeChars(s: string, start: number, end: number, p: number, slashes: boolean, strict: boolean): number {
  const o = room(p, (end - start) * 6 + 8);
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) {
      if (c >= 0x20) {
        if (c === 34 || c === 92) {
          if (strict) return -1;
          o[p++] = 92;
        } else if (c === 47 && slashes) {
          o[p++] = 92;
        }
        o[p++] = c;
        continue;
      }
      if (strict) return -1; // a raw control character is invalid JSON: the exact parser reports it
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
    } else if (c < 0x800) {
      o[p++] = 0xc0 | (c >> 6);
      o[p++] = 0x80 | (c & 63);
    } else if (c >= 0xd800 && c <= 0xdfff) {
      const d = i + 1 < end ? s.charCodeAt(i + 1) : 0;
      if (c > 0xdbff || d < 0xdc00 || d > 0xdfff) return -1;
      const cp = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
      i++;
      o[p++] = 0xf0 | (cp >> 18);
      o[p++] = 0x80 | ((cp >> 12) & 63);
      o[p++] = 0x80 | ((cp >> 6) & 63);
      o[p++] = 0x80 | (cp & 63);
    } else if (c === 0x2028 || c === 0x2029) {
      o[p++] = 92;
      o[p++] = 117;
      o[p++] = 50;
      o[p++] = 48;
      o[p++] = 50;
      o[p++] = c === 0x2028 ? 56 : 57;
    } else {
      o[p++] = 0xe0 | (c >> 12);
      o[p++] = 0x80 | ((c >> 6) & 63);
      o[p++] = 0x80 | (c & 63);
    }
  }
  return p;
}

/** ASCII `s` as it is (identifier keys, digits, literals). */
function writeAscii(s: string, p: number): number {
  const n = s.length;
  const o = room(p, n);
  for (let i = 0; i < n; i++) o[p++] = s.charCodeAt(i);
  return p;
}

/** `{"k":v,...}` of distinct keys in `order`; −1 when a value is not a flat scalar (or a string fails). */
function writePairs(keys: string[], vals: unknown[], order: number[], slashes: boolean): number {
  let p = 0;
  room(0, 1)[p++] = 123;
  for (let j = 0; j < order.length; j++) {
    const i = order[j]!;
    const k = keys[i]!;
    const v = vals[i];
    let o = room(p, k.length + 4);
    if (j > 0) o[p++] = 44;
    o[p++] = 34;
    p = writeAscii(k, p);
    o = out;
    o[p++] = 34;
    o[p++] = 58;
    if (typeof v === 'string') {
      o[p++] = 34;
      p = writeChars(v, 0, v.length, p, slashes, false);
      if (p < 0) return -1;
      out[p++] = 34;
    } else if (typeof v === 'number') {
      if (!Number.isSafeInteger(v)) return -1; // floats, 2^53 and beyond: the exact path
      p = writeAscii(v === 0 ? '0' : String(v), p); // −0 is sent (and read back) as 0
    } else if (typeof v === 'boolean') {
      p = writeAscii(v ? 'true' : 'false', p);
    } else if (v === null) {
      p = writeAscii('null', p);
    } else {
      return -1;
    }
  }
  room(p, 1)[p++] = 125;
  return p;
}

/**
 * Signing bytes of a flat Body held as a plain JS object (what we send) or a `PhpArray` (a decoded
 * one) into the MD5 buffer; the length, or −1 for the exact path.
 */
export function writeFlatBody(body: object, slashes: boolean): number {
  writtenStart = 0;
  let keys: string[];
  let vals: unknown[];
  if (body instanceof PhpArray) {
    const n = body.map.size;
    if (n === 0 || n > 64) return -1;
    keys = new Array<string>(n);
    vals = new Array<unknown>(n);
    let i = 0;
    for (const [k, v] of body.map) {
      keys[i] = k;
      vals[i++] = v;
    }
  } else {
    const proto = Object.getPrototypeOf(body);
    if (proto !== Object.prototype && proto !== null) return -1;
    keys = Object.keys(body);
    const n = keys.length;
    if (n === 0 || n > 64) return -1;
    vals = Object.values(body);
    if (vals.length !== n) return -1; // a getter changed the object while it was read
  }
  const order = orderOf(keys);
  if (order === undefined) return -1;
  return writePairs(keys, vals, order, slashes);
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

// Per pair of the text being read: key start/end (inside the quotes), value start/end, kind.
const ks = new Int32Array(64);
const ke = new Int32Array(64);
const vs = new Int32Array(64);
const ve = new Int32Array(64);
/** 0 string (vs/ve inside the quotes), 1 integer, 2 integer −0, 3 literal. */
const kind = new Uint8Array(64);
const idx = new Int32Array(64);

const encoder = new TextEncoder();

/** Where `writeFlatText` put the signing bytes in the MD5 buffer (a multiple of 64; 0 for the other writers). */
export let writtenStart = 0;

/**
 * Signing bytes of a received flat Body text into the MD5 buffer; the end offset (the bytes start
 * at `writtenStart`), or −1 for the exact path: any escape, control character, float, long
 * integer, nesting, duplicated key, non-identifier key, lone surrogate (or U+FFFD, which is what
 * a lone surrogate becomes in UTF-8 here), or malformed JSON: the exact parser then reports it as PHP
 * would. The text is UTF-8-encoded once (natively) at offset 0 and scanned as bytes; each value is
 * then copied as written, except `/` → `\/`, U+2028/2029 → `\u2028`/`\u2029` and `-0` → `0`.
 */
export function writeFlatText(text: string, slashes: boolean): number {
  writtenStart = 0;
  let b = room(0, text.length * 3 + 1);
  const len = encoder.encodeInto(text, b).written;
  b[len] = 0; // sentinel: never valid where a token is expected, so every scan stops at the end
  let p = skipWs(b, 0);
  if (b[p] !== 123) return -1;
  p = skipWs(b, p + 1);
  if (b[p] === 125) return -1;
  let n = 0;
  for (;;) {
    if (n === 64 || b[p] !== 34) return -1;
    const k0 = ++p;
    if (!isIdentByte(b[p]!, true)) return -1;
    p++;
    while (isIdentByte(b[p]!, false)) p++;
    if (b[p] !== 34) return -1;
    ks[n] = k0;
    ke[n] = p;
    p = skipWs(b, p + 1);
    if (b[p] !== 58) return -1;
    p = skipWs(b, p + 1);
    const c = b[p]!;
    if (c === 34) {
      const v0 = ++p;
      for (;;) {
        const d = b[p]!;
        if (d === 34) break;
        if (d === 92 || d < 0x20) return -1; // an escape, a control character or the end: the exact parser
        if (d === 0xef && b[p + 1] === 0xbf && b[p + 2] === 0xbd) return -1; // U+FFFD: maybe a lone surrogate
        p++;
      }
      vs[n] = v0;
      ve[n] = p;
      kind[n] = 0;
      p++;
    } else if (c === 45 || (c >= 48 && c <= 57)) {
      // -?(0|[1-9][0-9]{0,14}) and nothing number-like after it
      const s0 = p;
      if (c === 45) p++;
      const d0 = p;
      const f = b[p]!;
      if (f === 48) p++;
      else if (f >= 49 && f <= 57) {
        p++;
        while (p - d0 < 15) {
          const d = b[p]!;
          if (d >= 48 && d <= 57) p++;
          else break;
        }
      } else return -1;
      const after = b[p]!;
      if ((after >= 48 && after <= 57) || after === 46 || after === 101 || after === 69 || after === 43 || after === 45) return -1;
      vs[n] = s0;
      ve[n] = p;
      kind[n] = c === 45 && p - s0 === 2 && f === 48 ? 2 : 1; // PHP's integer −0 is 0
    } else if (c === 116 && b[p + 1] === 114 && b[p + 2] === 117 && b[p + 3] === 101) {
      vs[n] = p;
      ve[n] = p += 4;
      kind[n] = 3;
    } else if (c === 102 && b[p + 1] === 97 && b[p + 2] === 108 && b[p + 3] === 115 && b[p + 4] === 101) {
      vs[n] = p;
      ve[n] = p += 5;
      kind[n] = 3;
    } else if (c === 110 && b[p + 1] === 117 && b[p + 2] === 108 && b[p + 3] === 108) {
      vs[n] = p;
      ve[n] = p += 4;
      kind[n] = 3;
    } else {
      return -1;
    }
    n++;
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
      const q = idx[j]!;
      const r = cmpKeys(b, ks[q]!, ke[q]!, ks[i]!, ke[i]!);
      if (r === 0) return -1;
      if (r < 0) break;
      idx[j + 1] = q;
    }
    idx[j + 1] = i;
  }
  // The output after the input, from a block boundary: at most twice the input (`/` → `\/`,
  // 3-byte U+2028 → 6-byte `\u2028`).
  const start = (len + 64) & ~63;
  b = room(start, 2 * len + 2);
  let w = start;
  b[w++] = 123;
  for (let j = 0; j < n; j++) {
    const i = idx[j]!;
    if (j > 0) b[w++] = 44;
    b[w++] = 34;
    for (let q = ks[i]!, k1 = ke[i]!; q < k1; q++) b[w++] = b[q]!;
    b[w++] = 34;
    b[w++] = 58;
    const t = kind[i]!;
    const v1 = ve[i]!;
    if (t === 0) {
      b[w++] = 34;
      for (let q = vs[i]!; q < v1; q++) {
        const d = b[q]!;
        if (d === 47) {
          if (slashes) b[w++] = 92;
          b[w++] = 47;
        } else if (d === 0xe2 && b[q + 1] === 0x80 && (b[q + 2] === 0xa8 || b[q + 2] === 0xa9)) {
          b[w++] = 92;
          b[w++] = 117;
          b[w++] = 50;
          b[w++] = 48;
          b[w++] = 50;
          b[w++] = b[q + 2] === 0xa8 ? 56 : 57;
          q += 2;
        } else {
          b[w++] = d;
        }
      }
      b[w++] = 34;
    } else if (t === 2) {
      b[w++] = 48;
    } else {
      for (let q = vs[i]!; q < v1; q++) b[w++] = b[q]!;
    }
  }
  b[w++] = 125;
  writtenStart = start;
  return w;
}

/** `&key=` and the key's raw UTF-8 after the signing bytes (the caller checked the key has no lone surrogate). */
export function writeKeySuffix(p: number, key: string): number {
  p = writeAscii('&key=', p);
  const n = key.length;
  const o = room(p, n * 3);
  for (let i = 0; i < n; i++) {
    const c = key.charCodeAt(i);
    if (c < 0x80) o[p++] = c;
    else if (c < 0x800) {
      o[p++] = 0xc0 | (c >> 6);
      o[p++] = 0x80 | (c & 63);
    } else if (c >= 0xd800 && c <= 0xdbff) {
      const cp = 0x10000 + ((c - 0xd800) << 10) + (key.charCodeAt(++i) - 0xdc00);
      o[p++] = 0xf0 | (cp >> 18);
      o[p++] = 0x80 | ((cp >> 12) & 63);
      o[p++] = 0x80 | ((cp >> 6) & 63);
      o[p++] = 0x80 | (cp & 63);
    } else {
      o[p++] = 0xe0 | (c >> 12);
      o[p++] = 0x80 | ((c >> 6) & 63);
      o[p++] = 0x80 | (c & 63);
    }
  }
  return p;
}
