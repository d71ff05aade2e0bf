/**
 * Bytes ↔ text without Buffer (runtime-neutral: Node, Deno, Bun, workerd, browsers).
 *
 * - UTF-8 is strict both ways: a lone surrogate in a JS string or invalid UTF-8 in bytes is an
 *   `MmspEncodingError`, never a silent U+FFFD (PHP's json_encode fails on the same input, PROTOCOL §3).
 * - Base64 is the standard alphabet (RFC 4648 §4). Decoding mirrors PHP's
 *   `base64_decode($s, true)`: space, tab, CR and LF anywhere are skipped (the platform and PEM bodies
 *   wrap lines, Java's MIME encoder adds CRLF every 76 chars), padding may be missing, and
 *   anything else outside the alphabet (including URL-safe `-`/`_`) is an error.
 */
import { MmspEncodingError } from '../errors.js';

const encoder = new TextEncoder();
const fatalDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** UTF-8 bytes of a string. Throws `MmspEncodingError` on a lone surrogate (not representable in UTF-8). */
export function utf8Encode(text: string, what = 'text'): Uint8Array {
  const at = firstLoneSurrogate(text);
  if (at >= 0) {
    throw new MmspEncodingError(
      `${what}: contains a lone UTF-16 surrogate at index ${at}; it cannot be encoded as UTF-8`,
    );
  }
  return encoder.encode(text);
}

/** Text of UTF-8 bytes. Throws `MmspEncodingError` on invalid UTF-8 (no replacement characters). A BOM is kept. */
export function utf8Decode(bytes: Uint8Array, what = 'bytes'): string {
  try {
    return fatalDecoder.decode(bytes);
  } catch (cause) {
    throw new MmspEncodingError(`${what}: not valid UTF-8`, { cause });
  }
}

function firstLoneSurrogate(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        i++;
        continue;
      }
      return i;
    }
    if (c >= 0xdc00 && c <= 0xdfff) return i;
  }
  return -1;
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DECODE = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) DECODE[ALPHABET.charCodeAt(i)] = i;
/** Whitespace skipped by the decoder: exactly PHP's set (space, \t, \n, \r; not \v or \f). */
const isSpace = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;

/** Standard base64 with `=` padding, no line breaks. */
export function base64Encode(bytes: Uint8Array): string {
  let out = '';
  const n = bytes.length;
  let i = 0;
  for (; i + 2 < n; i += 3) {
    const v = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += ALPHABET[v >>> 18]! + ALPHABET[(v >>> 12) & 63]! + ALPHABET[(v >>> 6) & 63]! + ALPHABET[v & 63]!;
  }
  if (i < n) {
    const a = bytes[i]!;
    const b = i + 1 < n ? bytes[i + 1]! : 0;
    const v = (a << 16) | (b << 8);
    out += ALPHABET[v >>> 18]! + ALPHABET[(v >>> 12) & 63]!;
    out += i + 1 < n ? ALPHABET[(v >>> 6) & 63]! + '=' : '==';
  }
  return out;
}

/**
 * Decodes standard base64 the way PHP's `base64_decode($s, true)` accepts it: whitespace is
 * skipped, padding is optional but when present must complete the last group, a dangling single character or any other byte is an
 * `MmspEncodingError` naming `what` (the field) and the position, never the content.
 */
export function base64Decode(text: string, what = 'base64 text'): Uint8Array {
  const out = new Uint8Array(Math.floor((text.length * 3) / 4) + 3);
  let acc = 0;
  let bits = 0;
  let len = 0;
  let chars = 0;
  let pad = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (isSpace(c)) continue;
    if (c === 0x3d /* = */) {
      pad++;
      if (pad > 2) throw new MmspEncodingError(`${what}: invalid base64 (too much "=" padding at index ${i})`);
      continue;
    }
    const v = c < 128 ? DECODE[c]! : -1;
    if (v < 0)
      throw new MmspEncodingError(`${what}: invalid base64 (character outside the standard alphabet at index ${i})`);
    if (pad > 0) throw new MmspEncodingError(`${what}: invalid base64 (data after "=" padding at index ${i})`);
    acc = ((acc << 6) | v) & 0xffffff;
    bits += 6;
    chars++;
    if (bits >= 8) {
      bits -= 8;
      out[len++] = (acc >>> bits) & 0xff;
    }
  }
  if (chars % 4 === 1)
    throw new MmspEncodingError(`${what}: invalid base64 (truncated: ${chars} significant characters)`);
  if (pad > 0 && (chars % 4 === 0 || (chars + pad) % 4 !== 0)) {
    throw new MmspEncodingError(`${what}: invalid base64 (wrong amount of "=" padding)`);
  }
  return out.slice(0, len);
}

const HEX = '0123456789abcdef';
/** Lower-case hex. */
export function hexEncode(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += HEX[bytes[i]! >>> 4]! + HEX[bytes[i]! & 15]!;
  return out;
}

/** Bytes of a hex string (either case, even length). */
export function hexDecode(text: string, what = 'hex text'): Uint8Array {
  if (text.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(text)) {
    throw new MmspEncodingError(`${what}: expected an even number of hexadecimal digits`);
  }
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(text.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** Byte-wise equality in time independent of where the first difference lies (lengths may leak). */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

/** Concatenation of byte arrays. */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  let total = 0;
  for (const p of parts) total += p.length;
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
