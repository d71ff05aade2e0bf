/**
 * MD5 (RFC 1321) of a JS string's UTF-8 bytes, returned as upper-case hex: exactly PHP's
 * `strtoupper(md5($s))` (NOTES §3). A small unrolled implementation that encodes UTF-8 straight
 * into a reused buffer: the signature is on every request and every notification, and
 * @noble/hashes' general-purpose MD5 costs several times PHP's whole json_encode + md5 for a
 * typical Body (see BENCHMARKS.md). test/sign-md5.test.ts checks it against @noble/hashes and
 * OpenSSL on random inputs; the golden vectors check it against PHP.
 */

let buf = new Uint8Array(1024);
let view = new Int32Array(buf.buffer);
const words = new Int32Array(16);
/** Every JS engine we target is little-endian; a big-endian host takes the byte-by-byte path. */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

function grow(need: number): void {
  if (buf.length >= need) return;
  buf = new Uint8Array(Math.max((need + 63) & ~63, buf.length * 2));
  view = new Int32Array(buf.buffer);
}

const encoder = new TextEncoder();

/**
 * The shared input buffer with room for `need` bytes from offset 0, keeping the first `keep` bytes
 * (for writers that put the signing bytes straight into the MD5 input: php/sign-bytes.ts). The
 * returned array is only valid until the next call into this module.
 */
export function md5Scratch(need: number, keep: number): Uint8Array {
  need += 72; // room for the padding and length
  if (buf.length < need) {
    const old = buf;
    grow(need);
    if (keep > 0) buf.set(old.subarray(0, keep), 0);
  }
  return buf;
}

/** MD5 of the first `len` bytes of the shared buffer (written by the caller via `md5Scratch`), as upper-case hex. */
export function md5HexUpperOfScratch(len: number, start = 0): string {
  // `start` is a multiple of 64 (php/sign-bytes.ts writes a received text's bytes in front).
  const end = pad(buf, len, start);
  const [a, b, c, d] = md5Blocks(buf, end, start);
  return hexWord(a) + hexWord(b) + hexWord(c) + hexWord(d);
}

const digest = new Int32Array(4);

/**
 * Hashes `len` bytes of the shared buffer from `start` (as `md5HexUpperOfScratch`) and tells whether
 * `sign` is that digest in hex, any case: without building the hex string. The comparison reads
 * all 32 characters whatever they hold (constant time in the content; the length is not secret).
 */
export function scratchMatchesHex(len: number, start: number, sign: string): boolean {
  const end = pad(buf, len, start);
  const [a, b, c, d] = md5Blocks(buf, end, start);
  digest[0] = a;
  digest[1] = b;
  digest[2] = c;
  digest[3] = d;
  let diff = sign.length ^ 32;
  for (let i = 0; i < 32; i++) {
    const ch = sign.charCodeAt(i) | 0; // NaN past the end: 0, an invalid digit (the length already differs)
    const lower = ch | 32; // 'A'..'F' → 'a'..'f'
    const isDigit = ch >= 48 && ch <= 57 ? 1 : 0;
    const isLetter = lower >= 97 && lower <= 102 ? 1 : 0;
    const value = isDigit * (ch - 48) + isLetter * (lower - 87) + (1 - isDigit - isLetter) * 256;
    const byte = (digest[i >> 3]! >>> (((i >> 1) & 3) * 8)) & 255; // little-endian bytes of each word
    const nibble = (i & 1) === 0 ? byte >>> 4 : byte & 15;
    diff |= value ^ nibble;
  }
  return diff === 0;
}

/** Whether `sign` is the MD5 of the UTF-8 bytes of `s` in hex, any case (constant time, as `scratchMatchesHex`). */
export function md5MatchesHex(s: string, sign: string): boolean {
  return scratchMatchesHex(encodePadded(s), 0, sign);
}

/** A copy of the first `len` bytes of the shared buffer (for an md5 hook). */
export function scratchBytes(len: number, start = 0): Uint8Array {
  return buf.slice(start, start + len);
}

/** UTF-8 of `s` into the shared buffer; returns the length in bytes (lone surrogates become U+FFFD; callers reject them first). */
function encodePadded(s: string): number {
  // Worst case 3 bytes per UTF-16 unit, plus 72 bytes of padding and length.
  grow(s.length * 3 + 72);
  return encoder.encodeInto(s, buf).written;
}

function pad(b: Uint8Array, len: number, start = 0): number {
  let p = start + len;
  b[p++] = 0x80;
  while ((p & 63) !== 56) b[p++] = 0;
  const bits = len * 8;
  const lo = bits >>> 0;
  const hi = Math.floor(bits / 0x100000000) >>> 0;
  b[p++] = lo & 255;
  b[p++] = (lo >>> 8) & 255;
  b[p++] = (lo >>> 16) & 255;
  b[p++] = lo >>> 24;
  b[p++] = hi & 255;
  b[p++] = (hi >>> 8) & 255;
  b[p++] = (hi >>> 16) & 255;
  b[p++] = hi >>> 24;
  return p;
}

const HEX2: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).toUpperCase().padStart(2, '0'));

function hexWord(x: number): string {
  // Little-endian bytes of x, each as two upper-case hex digits.
  return HEX2[x & 255]! + HEX2[(x >>> 8) & 255]! + HEX2[(x >>> 16) & 255]! + HEX2[x >>> 24]!;
}

/** The four MD5 state words after hashing `b[0..end)` (already padded). */
function md5Blocks(b: Uint8Array, end: number, start = 0): [number, number, number, number] {
  let h0 = 0x67452301;
  let h1 = 0xefcdab89 | 0;
  let h2 = 0x98badcfe | 0;
  let h3 = 0x10325476;
  for (let off = start; off < end; off += 64) {
    let w: Int32Array;
    let o: number;
    if (LITTLE_ENDIAN) {
      w = view; // the block's words, read in place
      o = off >> 2;
    } else {
      w = words;
      o = 0;
      for (let j = 0; j < 16; j++) {
        const q = off + j * 4;
        w[j] = b[q]! | (b[q + 1]! << 8) | (b[q + 2]! << 16) | (b[q + 3]! << 24);
      }
    }
    const x0 = w[o]!, x1 = w[o + 1]!, x2 = w[o + 2]!, x3 = w[o + 3]!, x4 = w[o + 4]!, x5 = w[o + 5]!, x6 = w[o + 6]!, x7 = w[o + 7]!;
    const x8 = w[o + 8]!, x9 = w[o + 9]!, x10 = w[o + 10]!, x11 = w[o + 11]!, x12 = w[o + 12]!, x13 = w[o + 13]!, x14 = w[o + 14]!, x15 = w[o + 15]!;
    let a = h0;
    let bb = h1;
    let c = h2;
    let d = h3;
    let t: number;
    // Round 1
    t = (a + (d ^ (bb & (c ^ d))) + x0 + -680876936) | 0;
    a = (bb + ((t << 7) | (t >>> 25))) | 0;
    t = (d + (c ^ (a & (bb ^ c))) + x1 + -389564586) | 0;
    d = (a + ((t << 12) | (t >>> 20))) | 0;
    t = (c + (bb ^ (d & (a ^ bb))) + x2 + 606105819) | 0;
    c = (d + ((t << 17) | (t >>> 15))) | 0;
    t = (bb + (a ^ (c & (d ^ a))) + x3 + -1044525330) | 0;
    bb = (c + ((t << 22) | (t >>> 10))) | 0;
    t = (a + (d ^ (bb & (c ^ d))) + x4 + -176418897) | 0;
    a = (bb + ((t << 7) | (t >>> 25))) | 0;
    t = (d + (c ^ (a & (bb ^ c))) + x5 + 1200080426) | 0;
    d = (a + ((t << 12) | (t >>> 20))) | 0;
    t = (c + (bb ^ (d & (a ^ bb))) + x6 + -1473231341) | 0;
    c = (d + ((t << 17) | (t >>> 15))) | 0;
    t = (bb + (a ^ (c & (d ^ a))) + x7 + -45705983) | 0;
    bb = (c + ((t << 22) | (t >>> 10))) | 0;
    t = (a + (d ^ (bb & (c ^ d))) + x8 + 1770035416) | 0;
    a = (bb + ((t << 7) | (t >>> 25))) | 0;
    t = (d + (c ^ (a & (bb ^ c))) + x9 + -1958414417) | 0;
    d = (a + ((t << 12) | (t >>> 20))) | 0;
    t = (c + (bb ^ (d & (a ^ bb))) + x10 + -42063) | 0;
    c = (d + ((t << 17) | (t >>> 15))) | 0;
    t = (bb + (a ^ (c & (d ^ a))) + x11 + -1990404162) | 0;
    bb = (c + ((t << 22) | (t >>> 10))) | 0;
    t = (a + (d ^ (bb & (c ^ d))) + x12 + 1804603682) | 0;
    a = (bb + ((t << 7) | (t >>> 25))) | 0;
    t = (d + (c ^ (a & (bb ^ c))) + x13 + -40341101) | 0;
    d = (a + ((t << 12) | (t >>> 20))) | 0;
    t = (c + (bb ^ (d & (a ^ bb))) + x14 + -1502002290) | 0;
    c = (d + ((t << 17) | (t >>> 15))) | 0;
    t = (bb + (a ^ (c & (d ^ a))) + x15 + 1236535329) | 0;
    bb = (c + ((t << 22) | (t >>> 10))) | 0;
    // Round 2
    t = (a + (c ^ (d & (bb ^ c))) + x1 + -165796510) | 0;
    a = (bb + ((t << 5) | (t >>> 27))) | 0;
    t = (d + (bb ^ (c & (a ^ bb))) + x6 + -1069501632) | 0;
    d = (a + ((t << 9) | (t >>> 23))) | 0;
    t = (c + (a ^ (bb & (d ^ a))) + x11 + 643717713) | 0;
    c = (d + ((t << 14) | (t >>> 18))) | 0;
    t = (bb + (d ^ (a & (c ^ d))) + x0 + -373897302) | 0;
    bb = (c + ((t << 20) | (t >>> 12))) | 0;
    t = (a + (c ^ (d & (bb ^ c))) + x5 + -701558691) | 0;
    a = (bb + ((t << 5) | (t >>> 27))) | 0;
    t = (d + (bb ^ (c & (a ^ bb))) + x10 + 38016083) | 0;
    d = (a + ((t << 9) | (t >>> 23))) | 0;
    t = (c + (a ^ (bb & (d ^ a))) + x15 + -660478335) | 0;
    c = (d + ((t << 14) | (t >>> 18))) | 0;
    t = (bb + (d ^ (a & (c ^ d))) + x4 + -405537848) | 0;
    bb = (c + ((t << 20) | (t >>> 12))) | 0;
    t = (a + (c ^ (d & (bb ^ c))) + x9 + 568446438) | 0;
    a = (bb + ((t << 5) | (t >>> 27))) | 0;
    t = (d + (bb ^ (c & (a ^ bb))) + x14 + -1019803690) | 0;
    d = (a + ((t << 9) | (t >>> 23))) | 0;
    t = (c + (a ^ (bb & (d ^ a))) + x3 + -187363961) | 0;
    c = (d + ((t << 14) | (t >>> 18))) | 0;
    t = (bb + (d ^ (a & (c ^ d))) + x8 + 1163531501) | 0;
    bb = (c + ((t << 20) | (t >>> 12))) | 0;
    t = (a + (c ^ (d & (bb ^ c))) + x13 + -1444681467) | 0;
    a = (bb + ((t << 5) | (t >>> 27))) | 0;
    t = (d + (bb ^ (c & (a ^ bb))) + x2 + -51403784) | 0;
    d = (a + ((t << 9) | (t >>> 23))) | 0;
    t = (c + (a ^ (bb & (d ^ a))) + x7 + 1735328473) | 0;
    c = (d + ((t << 14) | (t >>> 18))) | 0;
    t = (bb + (d ^ (a & (c ^ d))) + x12 + -1926607734) | 0;
    bb = (c + ((t << 20) | (t >>> 12))) | 0;
    // Round 3
    t = (a + (bb ^ c ^ d) + x5 + -378558) | 0;
    a = (bb + ((t << 4) | (t >>> 28))) | 0;
    t = (d + (a ^ bb ^ c) + x8 + -2022574463) | 0;
    d = (a + ((t << 11) | (t >>> 21))) | 0;
    t = (c + (d ^ a ^ bb) + x11 + 1839030562) | 0;
    c = (d + ((t << 16) | (t >>> 16))) | 0;
    t = (bb + (c ^ d ^ a) + x14 + -35309556) | 0;
    bb = (c + ((t << 23) | (t >>> 9))) | 0;
    t = (a + (bb ^ c ^ d) + x1 + -1530992060) | 0;
    a = (bb + ((t << 4) | (t >>> 28))) | 0;
    t = (d + (a ^ bb ^ c) + x4 + 1272893353) | 0;
    d = (a + ((t << 11) | (t >>> 21))) | 0;
    t = (c + (d ^ a ^ bb) + x7 + -155497632) | 0;
    c = (d + ((t << 16) | (t >>> 16))) | 0;
    t = (bb + (c ^ d ^ a) + x10 + -1094730640) | 0;
    bb = (c + ((t << 23) | (t >>> 9))) | 0;
    t = (a + (bb ^ c ^ d) + x13 + 681279174) | 0;
    a = (bb + ((t << 4) | (t >>> 28))) | 0;
    t = (d + (a ^ bb ^ c) + x0 + -358537222) | 0;
    d = (a + ((t << 11) | (t >>> 21))) | 0;
    t = (c + (d ^ a ^ bb) + x3 + -722521979) | 0;
    c = (d + ((t << 16) | (t >>> 16))) | 0;
    t = (bb + (c ^ d ^ a) + x6 + 76029189) | 0;
    bb = (c + ((t << 23) | (t >>> 9))) | 0;
    t = (a + (bb ^ c ^ d) + x9 + -640364487) | 0;
    a = (bb + ((t << 4) | (t >>> 28))) | 0;
    t = (d + (a ^ bb ^ c) + x12 + -421815835) | 0;
    d = (a + ((t << 11) | (t >>> 21))) | 0;
    t = (c + (d ^ a ^ bb) + x15 + 530742520) | 0;
    c = (d + ((t << 16) | (t >>> 16))) | 0;
    t = (bb + (c ^ d ^ a) + x2 + -995338651) | 0;
    bb = (c + ((t << 23) | (t >>> 9))) | 0;
    // Round 4
    t = (a + (c ^ (bb | ~d)) + x0 + -198630844) | 0;
    a = (bb + ((t << 6) | (t >>> 26))) | 0;
    t = (d + (bb ^ (a | ~c)) + x7 + 1126891415) | 0;
    d = (a + ((t << 10) | (t >>> 22))) | 0;
    t = (c + (a ^ (d | ~bb)) + x14 + -1416354905) | 0;
    c = (d + ((t << 15) | (t >>> 17))) | 0;
    t = (bb + (d ^ (c | ~a)) + x5 + -57434055) | 0;
    bb = (c + ((t << 21) | (t >>> 11))) | 0;
    t = (a + (c ^ (bb | ~d)) + x12 + 1700485571) | 0;
    a = (bb + ((t << 6) | (t >>> 26))) | 0;
    t = (d + (bb ^ (a | ~c)) + x3 + -1894986606) | 0;
    d = (a + ((t << 10) | (t >>> 22))) | 0;
    t = (c + (a ^ (d | ~bb)) + x10 + -1051523) | 0;
    c = (d + ((t << 15) | (t >>> 17))) | 0;
    t = (bb + (d ^ (c | ~a)) + x1 + -2054922799) | 0;
    bb = (c + ((t << 21) | (t >>> 11))) | 0;
    t = (a + (c ^ (bb | ~d)) + x8 + 1873313359) | 0;
    a = (bb + ((t << 6) | (t >>> 26))) | 0;
    t = (d + (bb ^ (a | ~c)) + x15 + -30611744) | 0;
    d = (a + ((t << 10) | (t >>> 22))) | 0;
    t = (c + (a ^ (d | ~bb)) + x6 + -1560198380) | 0;
    c = (d + ((t << 15) | (t >>> 17))) | 0;
    t = (bb + (d ^ (c | ~a)) + x13 + 1309151649) | 0;
    bb = (c + ((t << 21) | (t >>> 11))) | 0;
    t = (a + (c ^ (bb | ~d)) + x4 + -145523070) | 0;
    a = (bb + ((t << 6) | (t >>> 26))) | 0;
    t = (d + (bb ^ (a | ~c)) + x11 + -1120210379) | 0;
    d = (a + ((t << 10) | (t >>> 22))) | 0;
    t = (c + (a ^ (d | ~bb)) + x2 + 718787259) | 0;
    c = (d + ((t << 15) | (t >>> 17))) | 0;
    t = (bb + (d ^ (c | ~a)) + x9 + -343485551) | 0;
    bb = (c + ((t << 21) | (t >>> 11))) | 0;
    h0 = (h0 + a) | 0;
    h1 = (h1 + bb) | 0;
    h2 = (h2 + c) | 0;
    h3 = (h3 + d) | 0;
  }
  return [h0, h1, h2, h3];
}

/** MD5 of the UTF-8 bytes of `s`, as 32 upper-case hex digits (PHP's `strtoupper(md5($s))`). */
export function md5HexUpper(s: string): string {
  const len = encodePadded(s);
  const end = pad(buf, len);
  const [a, b, c, d] = md5Blocks(buf, end);
  return hexWord(a) + hexWord(b) + hexWord(c) + hexWord(d);
}

/** MD5 of `data`, 16 bytes (same function over bytes, for `SignOptions.md5`-style use). */
export function md5Bytes(data: Uint8Array): Uint8Array {
  grow(data.length + 72);
  buf.set(data, 0);
  const end = pad(buf, data.length);
  const h = md5Blocks(buf, end);
  const out = new Uint8Array(16);
  for (let i = 0; i < 4; i++) {
    const x = h[i]!;
    out[i * 4] = x & 255;
    out[i * 4 + 1] = (x >>> 8) & 255;
    out[i * 4 + 2] = (x >>> 16) & 255;
    out[i * 4 + 3] = x >>> 24;
  }
  return out;
}

/** UTF-8 bytes of `s` (a fresh copy), for an md5 hook that takes bytes. */
export function utf8Bytes(s: string): Uint8Array {
  const len = encodePadded(s);
  return buf.slice(0, len);
}
