/**
 * The repository's one MD5 (RFC 1321): PHP's `strtoupper(md5($s))` over UTF-8 bytes (PROTOCOL §3).
 * A small unrolled implementation whose input buffer the signing writer fills directly
 * (signing/flat-writer.ts): the signature is on every request and every notification, and for
 * these short inputs it is faster than a general-purpose MD5 or a call into OpenSSL (BENCHMARKS.md).
 * test/sign-md5.test.ts checks it against @noble/hashes and OpenSSL on random inputs; the golden
 * vectors check it against PHP.
 *
 * An `Md5` owns its buffer and digest words: each `Signer` has its own, nothing is shared between
 * clients or receivers.
 */

/** Every JS engine we target is little-endian; a big-endian host takes the byte-by-byte path. */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

const encoder = new TextEncoder();

/**
 * Non-zero unless `sign[at..at+8)` is the hex (any case) of the little-endian bytes of `x`. Without
 * branches on either: each expected digit `e` is computed arithmetically, and a character matches
 * when it is `e` or, for a letter, `e` with the case bit cleared.
 */
function wordDiff(sign: string, at: number, x: number): number {
  let diff = 0;
  for (let k = 0; k < 8; k++) {
    const n = (x >>> ((k ^ 1) * 4)) & 15; // byte k >> 1 of x, high nibble first
    const letter = (9 - n) >> 31; // −1 for a–f, else 0
    const e = n + 48 + (letter & 39); // '0'..'9', 'a'..'f'
    diff |= (sign.charCodeAt(at + k) ^ e) & ~(letter & 32);
  }
  return diff;
}

/**
 * Whether `sign` is the hex (any case) of the digest words `h` ({@link Md5.scratchWords}): all 32
 * characters are read whatever they hold (constant time in the content; the length is not secret).
 */
export function hexMatches(sign: string, h: Int32Array): boolean {
  return (
    sign.length === 32 &&
    (wordDiff(sign, 0, h[0]!) | wordDiff(sign, 8, h[1]!) | wordDiff(sign, 16, h[2]!) | wordDiff(sign, 24, h[3]!)) === 0
  );
}

/**
 * Non-zero unless `b[q..q+4)` is the hex (any case) of the 16 bits `y` (2 bytes, the low one
 * first, high nibble first): the 4 expected characters made at once as the bytes of one
 * little-endian word, as {@link wordDiff} makes each. Each byte of `n` holds one nibble; adding
 * 0x76 sets bit 7 of the bytes whose nibble is 10–15 (a letter) without a carry into the next.
 */
function bytesHalfDiff(b: Uint8Array, q: number, y: number): number {
  const n = ((y >>> 4) & 15) | ((y & 15) << 8) | (((y >>> 12) & 15) << 16) | (((y >>> 8) & 15) << 24);
  const letters = ((n + 0x76767676) >>> 7) & 0x01010101; // 1 in each byte of a letter
  const e = n + 0x30303030 + letters * 39; // '0'..'9', 'a'..'f' in each byte
  return ((b[q]! | (b[q + 1]! << 8) | (b[q + 2]! << 16) | (b[q + 3]! << 24)) ^ e) & ~(letters << 5);
}

/**
 * Whether the 32 ASCII bytes at `b[at..at+32)` are the hex (any case) of the digest words `h`
 * ({@link Md5.scratchWords}), every byte read whatever it holds (constant time in the content).
 */
export function hexBytesMatch(b: Uint8Array, at: number, h: Int32Array): boolean {
  let diff = 0;
  for (let i = 0; i < 4; i++) {
    const x = h[i]!;
    diff |= bytesHalfDiff(b, at + 8 * i, x & 0xffff) | bytesHalfDiff(b, at + 8 * i + 4, x >>> 16);
  }
  return diff === 0;
}

/**
 * The codec's MD5 with its own input buffer (grown on demand) and digest words: what every
 * `Signer` hashes with, and what a crypto provider without a native MD5 offers as its `md5`.
 *
 * @example
 * ```ts
 * import { Md5 } from '@mmsp/codec';
 *
 * const md5 = new Md5();
 * md5.hexUpper('abc'); // '900150983CD24FB0D6963F7D28E17F72'
 * md5.digest(new TextEncoder().encode('abc')); // the same 16 bytes
 * ```
 */
export class Md5 {
  #buf = new Uint8Array(1024);
  #view = new Int32Array(this.#buf.buffer);
  /** The digest of the last hash, as four little-endian words. */
  readonly #h = new Int32Array(4);

  #grow(need: number): void {
    if (this.#buf.length >= need) return;
    this.#buf = new Uint8Array(Math.max((need + 63) & ~63, this.#buf.length * 2));
    this.#view = new Int32Array(this.#buf.buffer);
  }

  /**
   * The input buffer with room for `need` bytes from offset 0, keeping the first `keep` bytes (for
   * the writer that puts the signing bytes straight into it). Valid until the next call on this object.
   */
  scratch(need: number, keep: number): Uint8Array {
    need += 72; // room for the padding and length
    if (this.#buf.length < need) {
      const old = this.#buf;
      this.#grow(need);
      if (keep > 0) this.#buf.set(old.subarray(0, keep), 0);
    }
    return this.#buf;
  }

  /** MD5 of `len` bytes of the buffer from `start` (a multiple of 64), as upper-case hex. */
  hexUpperOfScratch(len: number, start: number): string {
    this.#hash(len, start);
    return this.#hex();
  }

  /**
   * Hashes `len` bytes of the buffer from `start` and tells whether `sign` is that digest in hex,
   * any case, without building the hex string. All 32 characters are read whatever they hold
   * (constant time in the content; the length is not secret).
   */
  scratchMatchesHex(len: number, start: number, sign: string): boolean {
    return hexMatches(sign, this.scratchWords(len, start));
  }

  /** Hashes `len` bytes of the buffer from `start`: the digest as four little-endian words, valid until the next hash. */
  scratchWords(len: number, start: number): Int32Array {
    this.#hash(len, start);
    return this.#h;
  }

  /** A copy of `len` bytes of the buffer from `start` (for an md5 hook). */
  scratchBytes(len: number, start: number): Uint8Array {
    return this.#buf.slice(start, start + len);
  }

  /** MD5 of the UTF-8 bytes of `s`, as 32 upper-case hex digits (PHP's `strtoupper(md5($s))`). */
  hexUpper(s: string): string {
    this.#hash(this.#encode(s), 0);
    return this.#hex();
  }

  /** Whether `sign` is the MD5 of the UTF-8 bytes of `s` in hex, any case (constant time). */
  matchesHex(s: string, sign: string): boolean {
    return this.scratchMatchesHex(this.#encode(s), 0, sign);
  }

  /** MD5 of `data`, 16 bytes. */
  digest(data: Uint8Array): Uint8Array {
    this.#grow(data.length + 72);
    this.#buf.set(data, 0);
    this.#hash(data.length, 0);
    const out = new Uint8Array(16);
    for (let i = 0; i < 16; i++) out[i] = this.#h[i >> 2]! >>> ((i & 3) * 8); // little-endian words
    return out;
  }

  /** UTF-8 of `s` into the buffer from 0 (lone surrogates become U+FFFD; callers reject them first); its length. */
  #encode(s: string): number {
    this.#grow(s.length * 3 + 72);
    return encoder.encodeInto(s, this.#buf).written;
  }

  #hash(len: number, start: number): void {
    md5Blocks(this.#buf, this.#view, this.#pad(len, start), start, this.#h);
  }

  /** Appends MD5's padding and bit length to the `len` message bytes at `start` (a multiple of 64); returns the end. */
  #pad(len: number, start: number): number {
    const b = this.#buf;
    let p = start + len;
    b[p++] = 0x80;
    const end = (p + 71) & ~63; // room for the 8 length bytes
    const bits = len * 8;
    const lo = bits >>> 0;
    const hi = Math.floor(bits / 0x100000000) >>> 0;
    while ((p & 3) !== 0) b[p++] = 0;
    const v = this.#view;
    const last = (end >> 2) - 2;
    for (let q = p >> 2; q < last; q++) v[q] = 0; // zero words read the same in either byte order
    // The bit length, little-endian (RFC 1321 §3.2): two words, or eight bytes on a big-endian host.
    if (LITTLE_ENDIAN) {
      v[last] = lo;
      v[last + 1] = hi;
    } else {
      for (let i = 0; i < 4; i++) {
        b[end - 8 + i] = lo >>> (i * 8);
        b[end - 4 + i] = hi >>> (i * 8);
      }
    }
    return end;
  }

  /** The digest words as 32 upper-case hex digits. */
  #hex(): string {
    const h = this.#h;
    return hexOfWords(h[0]!, h[1]!, h[2]!, h[3]!);
  }
}

/**
 * Four little-endian words (a digest) as 32 upper-case hex digits: each word's bytes in memory
 * order, high nibble first, made as one flat string at once.
 */
export function hexOfWords(a: number, b: number, c: number, d: number): string {
  return String.fromCharCode(
    hx(a, 4),
    hx(a, 0),
    hx(a, 12),
    hx(a, 8),
    hx(a, 20),
    hx(a, 16),
    hx(a, 28),
    hx(a, 24),
    hx(b, 4),
    hx(b, 0),
    hx(b, 12),
    hx(b, 8),
    hx(b, 20),
    hx(b, 16),
    hx(b, 28),
    hx(b, 24),
    hx(c, 4),
    hx(c, 0),
    hx(c, 12),
    hx(c, 8),
    hx(c, 20),
    hx(c, 16),
    hx(c, 28),
    hx(c, 24),
    hx(d, 4),
    hx(d, 0),
    hx(d, 12),
    hx(d, 8),
    hx(d, 20),
    hx(d, 16),
    hx(d, 28),
    hx(d, 24),
  );
}

/** The upper-case hex digit of the nibble of `word` at bit `shift`. */
function hx(word: number, shift: number): number {
  const n = (word >>> shift) & 15;
  return n + 48 + (((9 - n) >> 31) & 7);
}

/** Hashes `buf[start..end)` (already padded, `view` its words); the four state words go to `h`. */
function md5Blocks(buf: Uint8Array, view: Int32Array, end: number, start: number, h: Int32Array): void {
  let s0 = 0x67452301;
  let s1 = 0xefcdab89 | 0;
  let s2 = 0x98badcfe | 0;
  let s3 = 0x10325476;
  const w = LITTLE_ENDIAN ? view : new Int32Array(16);
  for (let off = start; off < end; off += 64) {
    let o = off >> 2; // the block's words, read in place
    if (!LITTLE_ENDIAN) {
      const b = buf;
      for (let j = 0; j < 16; j++) {
        const q = off + j * 4;
        w[j] = b[q]! | (b[q + 1]! << 8) | (b[q + 2]! << 16) | (b[q + 3]! << 24);
      }
      o = 0;
    }
    const x0 = w[o]!,
      x1 = w[o + 1]!,
      x2 = w[o + 2]!,
      x3 = w[o + 3]!,
      x4 = w[o + 4]!,
      x5 = w[o + 5]!,
      x6 = w[o + 6]!,
      x7 = w[o + 7]!;
    const x8 = w[o + 8]!,
      x9 = w[o + 9]!,
      x10 = w[o + 10]!,
      x11 = w[o + 11]!,
      x12 = w[o + 12]!,
      x13 = w[o + 13]!,
      x14 = w[o + 14]!,
      x15 = w[o + 15]!;
    let a = s0;
    let b = s1;
    let c = s2;
    let d = s3;
    let t: number;
    // Each step is a = b + rotl(a + f(b, c, d) + x[k] + K, s), summed as `x[k] + K + a + f` so that
    // only f waits on the previous step (`b`): the sums that do not are off the dependency chain,
    // which is what bounds MD5's speed. f is written to keep `b` late too: round 2's
    // (b & d) | (c & ~d) as a sum (its terms share no bits), round 3's b ^ c ^ d as (c ^ d) ^ b.
    // Round 1
    t = (x0 + -680876936 + a + (d ^ (b & (c ^ d)))) | 0;
    a = (b + ((t << 7) | (t >>> 25))) | 0;
    t = (x1 + -389564586 + d + (c ^ (a & (b ^ c)))) | 0;
    d = (a + ((t << 12) | (t >>> 20))) | 0;
    t = (x2 + 606105819 + c + (b ^ (d & (a ^ b)))) | 0;
    c = (d + ((t << 17) | (t >>> 15))) | 0;
    t = (x3 + -1044525330 + b + (a ^ (c & (d ^ a)))) | 0;
    b = (c + ((t << 22) | (t >>> 10))) | 0;
    t = (x4 + -176418897 + a + (d ^ (b & (c ^ d)))) | 0;
    a = (b + ((t << 7) | (t >>> 25))) | 0;
    t = (x5 + 1200080426 + d + (c ^ (a & (b ^ c)))) | 0;
    d = (a + ((t << 12) | (t >>> 20))) | 0;
    t = (x6 + -1473231341 + c + (b ^ (d & (a ^ b)))) | 0;
    c = (d + ((t << 17) | (t >>> 15))) | 0;
    t = (x7 + -45705983 + b + (a ^ (c & (d ^ a)))) | 0;
    b = (c + ((t << 22) | (t >>> 10))) | 0;
    t = (x8 + 1770035416 + a + (d ^ (b & (c ^ d)))) | 0;
    a = (b + ((t << 7) | (t >>> 25))) | 0;
    t = (x9 + -1958414417 + d + (c ^ (a & (b ^ c)))) | 0;
    d = (a + ((t << 12) | (t >>> 20))) | 0;
    t = (x10 + -42063 + c + (b ^ (d & (a ^ b)))) | 0;
    c = (d + ((t << 17) | (t >>> 15))) | 0;
    t = (x11 + -1990404162 + b + (a ^ (c & (d ^ a)))) | 0;
    b = (c + ((t << 22) | (t >>> 10))) | 0;
    t = (x12 + 1804603682 + a + (d ^ (b & (c ^ d)))) | 0;
    a = (b + ((t << 7) | (t >>> 25))) | 0;
    t = (x13 + -40341101 + d + (c ^ (a & (b ^ c)))) | 0;
    d = (a + ((t << 12) | (t >>> 20))) | 0;
    t = (x14 + -1502002290 + c + (b ^ (d & (a ^ b)))) | 0;
    c = (d + ((t << 17) | (t >>> 15))) | 0;
    t = (x15 + 1236535329 + b + (a ^ (c & (d ^ a)))) | 0;
    b = (c + ((t << 22) | (t >>> 10))) | 0;
    // Round 2
    t = (x1 + -165796510 + a + (c & ~d) + (b & d)) | 0;
    a = (b + ((t << 5) | (t >>> 27))) | 0;
    t = (x6 + -1069501632 + d + (b & ~c) + (a & c)) | 0;
    d = (a + ((t << 9) | (t >>> 23))) | 0;
    t = (x11 + 643717713 + c + (a & ~b) + (d & b)) | 0;
    c = (d + ((t << 14) | (t >>> 18))) | 0;
    t = (x0 + -373897302 + b + (d & ~a) + (c & a)) | 0;
    b = (c + ((t << 20) | (t >>> 12))) | 0;
    t = (x5 + -701558691 + a + (c & ~d) + (b & d)) | 0;
    a = (b + ((t << 5) | (t >>> 27))) | 0;
    t = (x10 + 38016083 + d + (b & ~c) + (a & c)) | 0;
    d = (a + ((t << 9) | (t >>> 23))) | 0;
    t = (x15 + -660478335 + c + (a & ~b) + (d & b)) | 0;
    c = (d + ((t << 14) | (t >>> 18))) | 0;
    t = (x4 + -405537848 + b + (d & ~a) + (c & a)) | 0;
    b = (c + ((t << 20) | (t >>> 12))) | 0;
    t = (x9 + 568446438 + a + (c & ~d) + (b & d)) | 0;
    a = (b + ((t << 5) | (t >>> 27))) | 0;
    t = (x14 + -1019803690 + d + (b & ~c) + (a & c)) | 0;
    d = (a + ((t << 9) | (t >>> 23))) | 0;
    t = (x3 + -187363961 + c + (a & ~b) + (d & b)) | 0;
    c = (d + ((t << 14) | (t >>> 18))) | 0;
    t = (x8 + 1163531501 + b + (d & ~a) + (c & a)) | 0;
    b = (c + ((t << 20) | (t >>> 12))) | 0;
    t = (x13 + -1444681467 + a + (c & ~d) + (b & d)) | 0;
    a = (b + ((t << 5) | (t >>> 27))) | 0;
    t = (x2 + -51403784 + d + (b & ~c) + (a & c)) | 0;
    d = (a + ((t << 9) | (t >>> 23))) | 0;
    t = (x7 + 1735328473 + c + (a & ~b) + (d & b)) | 0;
    c = (d + ((t << 14) | (t >>> 18))) | 0;
    t = (x12 + -1926607734 + b + (d & ~a) + (c & a)) | 0;
    b = (c + ((t << 20) | (t >>> 12))) | 0;
    // Round 3
    t = (x5 + -378558 + a + (c ^ d ^ b)) | 0;
    a = (b + ((t << 4) | (t >>> 28))) | 0;
    t = (x8 + -2022574463 + d + (b ^ c ^ a)) | 0;
    d = (a + ((t << 11) | (t >>> 21))) | 0;
    t = (x11 + 1839030562 + c + (a ^ b ^ d)) | 0;
    c = (d + ((t << 16) | (t >>> 16))) | 0;
    t = (x14 + -35309556 + b + (d ^ a ^ c)) | 0;
    b = (c + ((t << 23) | (t >>> 9))) | 0;
    t = (x1 + -1530992060 + a + (c ^ d ^ b)) | 0;
    a = (b + ((t << 4) | (t >>> 28))) | 0;
    t = (x4 + 1272893353 + d + (b ^ c ^ a)) | 0;
    d = (a + ((t << 11) | (t >>> 21))) | 0;
    t = (x7 + -155497632 + c + (a ^ b ^ d)) | 0;
    c = (d + ((t << 16) | (t >>> 16))) | 0;
    t = (x10 + -1094730640 + b + (d ^ a ^ c)) | 0;
    b = (c + ((t << 23) | (t >>> 9))) | 0;
    t = (x13 + 681279174 + a + (c ^ d ^ b)) | 0;
    a = (b + ((t << 4) | (t >>> 28))) | 0;
    t = (x0 + -358537222 + d + (b ^ c ^ a)) | 0;
    d = (a + ((t << 11) | (t >>> 21))) | 0;
    t = (x3 + -722521979 + c + (a ^ b ^ d)) | 0;
    c = (d + ((t << 16) | (t >>> 16))) | 0;
    t = (x6 + 76029189 + b + (d ^ a ^ c)) | 0;
    b = (c + ((t << 23) | (t >>> 9))) | 0;
    t = (x9 + -640364487 + a + (c ^ d ^ b)) | 0;
    a = (b + ((t << 4) | (t >>> 28))) | 0;
    t = (x12 + -421815835 + d + (b ^ c ^ a)) | 0;
    d = (a + ((t << 11) | (t >>> 21))) | 0;
    t = (x15 + 530742520 + c + (a ^ b ^ d)) | 0;
    c = (d + ((t << 16) | (t >>> 16))) | 0;
    t = (x2 + -995338651 + b + (d ^ a ^ c)) | 0;
    b = (c + ((t << 23) | (t >>> 9))) | 0;
    // Round 4
    t = (x0 + -198630844 + a + (c ^ (b | ~d))) | 0;
    a = (b + ((t << 6) | (t >>> 26))) | 0;
    t = (x7 + 1126891415 + d + (b ^ (a | ~c))) | 0;
    d = (a + ((t << 10) | (t >>> 22))) | 0;
    t = (x14 + -1416354905 + c + (a ^ (d | ~b))) | 0;
    c = (d + ((t << 15) | (t >>> 17))) | 0;
    t = (x5 + -57434055 + b + (d ^ (c | ~a))) | 0;
    b = (c + ((t << 21) | (t >>> 11))) | 0;
    t = (x12 + 1700485571 + a + (c ^ (b | ~d))) | 0;
    a = (b + ((t << 6) | (t >>> 26))) | 0;
    t = (x3 + -1894986606 + d + (b ^ (a | ~c))) | 0;
    d = (a + ((t << 10) | (t >>> 22))) | 0;
    t = (x10 + -1051523 + c + (a ^ (d | ~b))) | 0;
    c = (d + ((t << 15) | (t >>> 17))) | 0;
    t = (x1 + -2054922799 + b + (d ^ (c | ~a))) | 0;
    b = (c + ((t << 21) | (t >>> 11))) | 0;
    t = (x8 + 1873313359 + a + (c ^ (b | ~d))) | 0;
    a = (b + ((t << 6) | (t >>> 26))) | 0;
    t = (x15 + -30611744 + d + (b ^ (a | ~c))) | 0;
    d = (a + ((t << 10) | (t >>> 22))) | 0;
    t = (x6 + -1560198380 + c + (a ^ (d | ~b))) | 0;
    c = (d + ((t << 15) | (t >>> 17))) | 0;
    t = (x13 + 1309151649 + b + (d ^ (c | ~a))) | 0;
    b = (c + ((t << 21) | (t >>> 11))) | 0;
    t = (x4 + -145523070 + a + (c ^ (b | ~d))) | 0;
    a = (b + ((t << 6) | (t >>> 26))) | 0;
    t = (x11 + -1120210379 + d + (b ^ (a | ~c))) | 0;
    d = (a + ((t << 10) | (t >>> 22))) | 0;
    t = (x2 + 718787259 + c + (a ^ (d | ~b))) | 0;
    c = (d + ((t << 15) | (t >>> 17))) | 0;
    t = (x9 + -343485551 + b + (d ^ (c | ~a))) | 0;
    b = (c + ((t << 21) | (t >>> 11))) | 0;
    s0 = (s0 + a) | 0;
    s1 = (s1 + b) | 0;
    s2 = (s2 + c) | 0;
    s3 = (s3 + d) | 0;
  }
  h[0] = s0;
  h[1] = s1;
  h[2] = s2;
  h[3] = s3;
}
