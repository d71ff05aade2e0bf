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

/** UTF-8 of `s` into the shared buffer; returns the length in bytes (lone surrogates become U+FFFD; callers reject them first). */
function encodePadded(s: string): number {
  // Worst case 3 bytes per UTF-16 unit, plus 72 bytes of padding and length.
  grow(s.length * 3 + 72);
  return encoder.encodeInto(s, buf).written;
}

function pad(b: Uint8Array, len: number): number {
  let p = len;
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
function md5Blocks(b: Uint8Array, end: number): [number, number, number, number] {
  let h0 = 0x67452301;
  let h1 = 0xefcdab89 | 0;
  let h2 = 0x98badcfe | 0;
  let h3 = 0x10325476;
  for (let off = 0; off < end; off += 64) {
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
    // Round 1: F = (b & c) | (~b & d)
    a = (bb + rotl((a + ((bb & c) | (~bb & d)) + x0 + 0xd76aa478) | 0, 7)) | 0;
    d = (a + rotl((d + ((a & bb) | (~a & c)) + x1 + 0xe8c7b756) | 0, 12)) | 0;
    c = (d + rotl((c + ((d & a) | (~d & bb)) + x2 + 0x242070db) | 0, 17)) | 0;
    bb = (c + rotl((bb + ((c & d) | (~c & a)) + x3 + 0xc1bdceee) | 0, 22)) | 0;
    a = (bb + rotl((a + ((bb & c) | (~bb & d)) + x4 + 0xf57c0faf) | 0, 7)) | 0;
    d = (a + rotl((d + ((a & bb) | (~a & c)) + x5 + 0x4787c62a) | 0, 12)) | 0;
    c = (d + rotl((c + ((d & a) | (~d & bb)) + x6 + 0xa8304613) | 0, 17)) | 0;
    bb = (c + rotl((bb + ((c & d) | (~c & a)) + x7 + 0xfd469501) | 0, 22)) | 0;
    a = (bb + rotl((a + ((bb & c) | (~bb & d)) + x8 + 0x698098d8) | 0, 7)) | 0;
    d = (a + rotl((d + ((a & bb) | (~a & c)) + x9 + 0x8b44f7af) | 0, 12)) | 0;
    c = (d + rotl((c + ((d & a) | (~d & bb)) + x10 + 0xffff5bb1) | 0, 17)) | 0;
    bb = (c + rotl((bb + ((c & d) | (~c & a)) + x11 + 0x895cd7be) | 0, 22)) | 0;
    a = (bb + rotl((a + ((bb & c) | (~bb & d)) + x12 + 0x6b901122) | 0, 7)) | 0;
    d = (a + rotl((d + ((a & bb) | (~a & c)) + x13 + 0xfd987193) | 0, 12)) | 0;
    c = (d + rotl((c + ((d & a) | (~d & bb)) + x14 + 0xa679438e) | 0, 17)) | 0;
    bb = (c + rotl((bb + ((c & d) | (~c & a)) + x15 + 0x49b40821) | 0, 22)) | 0;
    // Round 2: G = (b & d) | (c & ~d)
    a = (bb + rotl((a + ((bb & d) | (c & ~d)) + x1 + 0xf61e2562) | 0, 5)) | 0;
    d = (a + rotl((d + ((a & c) | (bb & ~c)) + x6 + 0xc040b340) | 0, 9)) | 0;
    c = (d + rotl((c + ((d & bb) | (a & ~bb)) + x11 + 0x265e5a51) | 0, 14)) | 0;
    bb = (c + rotl((bb + ((c & a) | (d & ~a)) + x0 + 0xe9b6c7aa) | 0, 20)) | 0;
    a = (bb + rotl((a + ((bb & d) | (c & ~d)) + x5 + 0xd62f105d) | 0, 5)) | 0;
    d = (a + rotl((d + ((a & c) | (bb & ~c)) + x10 + 0x02441453) | 0, 9)) | 0;
    c = (d + rotl((c + ((d & bb) | (a & ~bb)) + x15 + 0xd8a1e681) | 0, 14)) | 0;
    bb = (c + rotl((bb + ((c & a) | (d & ~a)) + x4 + 0xe7d3fbc8) | 0, 20)) | 0;
    a = (bb + rotl((a + ((bb & d) | (c & ~d)) + x9 + 0x21e1cde6) | 0, 5)) | 0;
    d = (a + rotl((d + ((a & c) | (bb & ~c)) + x14 + 0xc33707d6) | 0, 9)) | 0;
    c = (d + rotl((c + ((d & bb) | (a & ~bb)) + x3 + 0xf4d50d87) | 0, 14)) | 0;
    bb = (c + rotl((bb + ((c & a) | (d & ~a)) + x8 + 0x455a14ed) | 0, 20)) | 0;
    a = (bb + rotl((a + ((bb & d) | (c & ~d)) + x13 + 0xa9e3e905) | 0, 5)) | 0;
    d = (a + rotl((d + ((a & c) | (bb & ~c)) + x2 + 0xfcefa3f8) | 0, 9)) | 0;
    c = (d + rotl((c + ((d & bb) | (a & ~bb)) + x7 + 0x676f02d9) | 0, 14)) | 0;
    bb = (c + rotl((bb + ((c & a) | (d & ~a)) + x12 + 0x8d2a4c8a) | 0, 20)) | 0;
    // Round 3: H = b ^ c ^ d
    a = (bb + rotl((a + (bb ^ c ^ d) + x5 + 0xfffa3942) | 0, 4)) | 0;
    d = (a + rotl((d + (a ^ bb ^ c) + x8 + 0x8771f681) | 0, 11)) | 0;
    c = (d + rotl((c + (d ^ a ^ bb) + x11 + 0x6d9d6122) | 0, 16)) | 0;
    bb = (c + rotl((bb + (c ^ d ^ a) + x14 + 0xfde5380c) | 0, 23)) | 0;
    a = (bb + rotl((a + (bb ^ c ^ d) + x1 + 0xa4beea44) | 0, 4)) | 0;
    d = (a + rotl((d + (a ^ bb ^ c) + x4 + 0x4bdecfa9) | 0, 11)) | 0;
    c = (d + rotl((c + (d ^ a ^ bb) + x7 + 0xf6bb4b60) | 0, 16)) | 0;
    bb = (c + rotl((bb + (c ^ d ^ a) + x10 + 0xbebfbc70) | 0, 23)) | 0;
    a = (bb + rotl((a + (bb ^ c ^ d) + x13 + 0x289b7ec6) | 0, 4)) | 0;
    d = (a + rotl((d + (a ^ bb ^ c) + x0 + 0xeaa127fa) | 0, 11)) | 0;
    c = (d + rotl((c + (d ^ a ^ bb) + x3 + 0xd4ef3085) | 0, 16)) | 0;
    bb = (c + rotl((bb + (c ^ d ^ a) + x6 + 0x04881d05) | 0, 23)) | 0;
    a = (bb + rotl((a + (bb ^ c ^ d) + x9 + 0xd9d4d039) | 0, 4)) | 0;
    d = (a + rotl((d + (a ^ bb ^ c) + x12 + 0xe6db99e5) | 0, 11)) | 0;
    c = (d + rotl((c + (d ^ a ^ bb) + x15 + 0x1fa27cf8) | 0, 16)) | 0;
    bb = (c + rotl((bb + (c ^ d ^ a) + x2 + 0xc4ac5665) | 0, 23)) | 0;
    // Round 4: I = c ^ (b | ~d)
    a = (bb + rotl((a + (c ^ (bb | ~d)) + x0 + 0xf4292244) | 0, 6)) | 0;
    d = (a + rotl((d + (bb ^ (a | ~c)) + x7 + 0x432aff97) | 0, 10)) | 0;
    c = (d + rotl((c + (a ^ (d | ~bb)) + x14 + 0xab9423a7) | 0, 15)) | 0;
    bb = (c + rotl((bb + (d ^ (c | ~a)) + x5 + 0xfc93a039) | 0, 21)) | 0;
    a = (bb + rotl((a + (c ^ (bb | ~d)) + x12 + 0x655b59c3) | 0, 6)) | 0;
    d = (a + rotl((d + (bb ^ (a | ~c)) + x3 + 0x8f0ccc92) | 0, 10)) | 0;
    c = (d + rotl((c + (a ^ (d | ~bb)) + x10 + 0xffeff47d) | 0, 15)) | 0;
    bb = (c + rotl((bb + (d ^ (c | ~a)) + x1 + 0x85845dd1) | 0, 21)) | 0;
    a = (bb + rotl((a + (c ^ (bb | ~d)) + x8 + 0x6fa87e4f) | 0, 6)) | 0;
    d = (a + rotl((d + (bb ^ (a | ~c)) + x15 + 0xfe2ce6e0) | 0, 10)) | 0;
    c = (d + rotl((c + (a ^ (d | ~bb)) + x6 + 0xa3014314) | 0, 15)) | 0;
    bb = (c + rotl((bb + (d ^ (c | ~a)) + x13 + 0x4e0811a1) | 0, 21)) | 0;
    a = (bb + rotl((a + (c ^ (bb | ~d)) + x4 + 0xf7537e82) | 0, 6)) | 0;
    d = (a + rotl((d + (bb ^ (a | ~c)) + x11 + 0xbd3af235) | 0, 10)) | 0;
    c = (d + rotl((c + (a ^ (d | ~bb)) + x2 + 0x2ad7d2bb) | 0, 15)) | 0;
    bb = (c + rotl((bb + (d ^ (c | ~a)) + x9 + 0xeb86d391) | 0, 21)) | 0;
    h0 = (h0 + a) | 0;
    h1 = (h1 + bb) | 0;
    h2 = (h2 + c) | 0;
    h3 = (h3 + d) | 0;
  }
  return [h0, h1, h2, h3];
}

function rotl(x: number, n: number): number {
  return (x << n) | (x >>> (32 - n));
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
