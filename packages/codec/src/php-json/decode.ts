import { MmspEncodingError } from '../errors.js';
import { indexPath, isWellFormed, keyPath } from './path.js';
import { PhpArray, PhpFloat, type PhpValue } from './value.js';

/** Options of {@link phpJsonDecode}. */
export interface PhpJsonDecodeOptions {
  /**
   * `json_decode`'s depth argument (default 512). PHP fails when arrays/objects nest `depth` deep
   * or more: with 512, 511 nested levels decode and 512 fail (checked with php-cli 8.2).
   */
  depth?: number;
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

const ESCAPE_OR_CONTROL = /[\\\u0000-\u001f]/;

/** The readable path of a value (php-json/path.ts), put together only when it is needed. */
function pathOf(parent: string, key: string | number | undefined): string {
  if (key === undefined) return parent;
  return typeof key === 'number' ? indexPath(parent, key) : keyPath(parent, key);
}

function fail(message: string): never {
  throw new MmspEncodingError(message);
}

export class Parser {
  pos = 0;
  /** No backslash and no control character anywhere (compact JSON without escapes): every string is as written. */
  readonly plainText: boolean;
  constructor(
    readonly text: string,
    readonly maxDepth: number,
    readonly checkUtf16: boolean,
  ) {
    this.plainText = !ESCAPE_OR_CONTROL.test(text);
  }

  syntax(expected: string): never {
    const at = this.pos;
    if (at >= this.text.length)
      fail(`invalid JSON: unexpected end of text, expected ${expected} (PHP json_decode: Syntax error)`);
    const c = this.text.charCodeAt(at);
    const shown =
      c >= 0x21 && c < 0x7f ? `'${String.fromCharCode(c)}'` : `U+${c.toString(16).toUpperCase().padStart(4, '0')}`;
    fail(`invalid JSON at offset ${at}: found ${shown}, expected ${expected} (PHP json_decode: Syntax error)`);
  }

  ws(): void {
    const t = this.text;
    let p = this.pos;
    for (;;) {
      const c = t.charCodeAt(p);
      if (c === 32 || c === 10 || c === 13 || c === 9) p++;
      else break;
    }
    this.pos = p;
  }

  /**
   * The value at `parent` + `key` (a key, an index, or none for the root). The path is only put
   * together for containers and on errors: most values never need it.
   */
  value(depth: number, parent: string, key?: string | number): PhpValue {
    this.ws();
    const t = this.text;
    const c = t.charCodeAt(this.pos);
    if (c === 34) return this.string(parent, key);
    if (c === 123) return this.object(depth + 1, pathOf(parent, key));
    if (c === 91) return this.array(depth + 1, pathOf(parent, key));
    if (c === 45 || (c >= 48 && c <= 57)) return this.number();
    if (c === 116 && t.startsWith('true', this.pos)) {
      this.pos += 4;
      return true;
    }
    if (c === 102 && t.startsWith('false', this.pos)) {
      this.pos += 5;
      return false;
    }
    if (c === 110 && t.startsWith('null', this.pos)) {
      this.pos += 4;
      return null;
    }
    return this.syntax('a JSON value');
  }

  enter(depth: number, path: string): void {
    if (depth >= this.maxDepth) {
      fail(
        `${path}: arrays/objects nested ${depth} deep exceed json_decode's depth ${this.maxDepth} (PHP: Maximum stack depth exceeded)`,
      );
    }
  }

  object(depth: number, path: string): PhpValue {
    this.enter(depth, path);
    this.pos++;
    const map = new Map<string, PhpValue>();
    this.ws();
    if (this.text.charCodeAt(this.pos) === 125) {
      this.pos++;
      return []; // `{}` decodes to an empty PHP array, which re-encodes as `[]` (PROTOCOL §3)
    }
    for (;;) {
      this.ws();
      if (this.text.charCodeAt(this.pos) !== 34) this.syntax('a string key');
      const key = this.string(path, undefined);
      this.ws();
      if (this.text.charCodeAt(this.pos) !== 58) this.syntax("':'");
      this.pos++;
      // A duplicated key keeps its first position and takes the last value, as in PHP.
      map.set(key, this.value(depth, path, key));
      this.ws();
      const c = this.text.charCodeAt(this.pos);
      if (c === 44) {
        this.pos++;
        continue;
      }
      if (c === 125) {
        this.pos++;
        break;
      }
      this.syntax("',' or '}'");
    }
    const arr = PhpArray.fromMap(map);
    return arr.isList() ? Array.from(map.values()) : arr;
  }

  array(depth: number, path: string): PhpValue[] {
    this.enter(depth, path);
    this.pos++;
    const out: PhpValue[] = [];
    this.ws();
    if (this.text.charCodeAt(this.pos) === 93) {
      this.pos++;
      return out;
    }
    for (;;) {
      out.push(this.value(depth, path, out.length));
      this.ws();
      const c = this.text.charCodeAt(this.pos);
      if (c === 44) {
        this.pos++;
        continue;
      }
      if (c === 93) {
        this.pos++;
        return out;
      }
      this.syntax("',' or ']'");
    }
  }

  number(): PhpValue {
    const t = this.text;
    const start = this.pos;
    let p = start;
    if (t.charCodeAt(p) === 45) p++;
    let c = t.charCodeAt(p);
    if (c === 48) {
      p++;
    } else if (c >= 49 && c <= 57) {
      do p++;
      while ((c = t.charCodeAt(p)) >= 48 && c <= 57);
    } else {
      this.pos = p;
      this.syntax('a digit');
    }
    let isFloat = false;
    if (t.charCodeAt(p) === 46) {
      p++;
      c = t.charCodeAt(p);
      if (!(c >= 48 && c <= 57)) {
        this.pos = p;
        this.syntax('a digit after the decimal point');
      }
      while ((c = t.charCodeAt(p)) >= 48 && c <= 57) p++;
      isFloat = true;
    }
    c = t.charCodeAt(p);
    if (c === 101 || c === 69) {
      p++;
      c = t.charCodeAt(p);
      if (c === 43 || c === 45) p++;
      c = t.charCodeAt(p);
      if (!(c >= 48 && c <= 57)) {
        this.pos = p;
        this.syntax('a digit in the exponent');
      }
      while ((c = t.charCodeAt(p)) >= 48 && c <= 57) p++;
      isFloat = true;
    }
    this.pos = p;
    const s = t.slice(start, p);
    if (!isFloat) {
      // An integer literal: a PHP int within int64 (`-0` is the int 0), else a float (PROTOCOL §3).
      if (p - start <= 15) {
        const n = Number(s);
        return n === 0 ? 0 : n;
      }
      const b = BigInt(s);
      if (b >= INT64_MIN && b <= INT64_MAX) {
        const n = Number(b);
        return Number.isSafeInteger(n) ? n : b;
      }
      return new PhpFloat(Number(s));
    }
    const f = Number(s);
    return Number.isInteger(f) || !Number.isFinite(f) ? new PhpFloat(f) : f;
  }

  string(parent: string, key: string | number | undefined): string {
    const t = this.text;
    const start = ++this.pos;
    // Fast path: up to the next quote, nothing to unescape and no control character (a native scan).
    const q = t.indexOf('"', start);
    if (q >= 0) {
      const s = t.slice(start, q);
      if (this.plainText || !ESCAPE_OR_CONTROL.test(s)) {
        this.pos = q + 1;
        if (this.checkUtf16) this.wellFormed(s, pathOf(parent, key));
        return s;
      }
    }
    const path = pathOf(parent, key);
    let p = start;
    while (p < t.length) {
      const c = t.charCodeAt(p);
      if (c === 34 || c === 92 || c < 0x20) break;
      p++;
    }
    let out = t.slice(start, p);
    for (;;) {
      if (p >= t.length) {
        this.pos = p;
        this.syntax('a closing quote');
      }
      const c = t.charCodeAt(p);
      if (c === 34) break;
      if (c < 0x20) {
        this.pos = p;
        fail(
          `${path}: invalid JSON at offset ${p}: raw control character U+${c.toString(16).padStart(4, '0').toUpperCase()} in a string (PHP json_decode: Control character error)`,
        );
      }
      if (c !== 92) {
        let q = p + 1;
        while (q < t.length) {
          const d = t.charCodeAt(q);
          if (d === 34 || d === 92 || d < 0x20) break;
          q++;
        }
        out += t.slice(p, q);
        p = q;
        continue;
      }
      const e = t.charCodeAt(p + 1);
      p += 2;
      switch (e) {
        case 34:
          out += '"';
          break;
        case 92:
          out += '\\';
          break;
        case 47:
          out += '/';
          break;
        case 98:
          out += '\b';
          break;
        case 102:
          out += '\f';
          break;
        case 110:
          out += '\n';
          break;
        case 114:
          out += '\r';
          break;
        case 116:
          out += '\t';
          break;
        case 117: {
          const u = this.hex4(p);
          p += 4;
          if (u >= 0xd800 && u <= 0xdbff) {
            const lo = t.charCodeAt(p) === 92 && t.charCodeAt(p + 1) === 117 ? this.hex4(p + 2) : -1;
            if (lo >= 0xdc00 && lo <= 0xdfff) {
              out += String.fromCharCode(u, lo);
              p += 6;
              break;
            }
            this.pos = p;
            fail(
              `${path}: invalid JSON: lone UTF-16 surrogate \\u${u.toString(16)} (PHP json_decode: Single unpaired UTF-16 surrogate)`,
            );
          }
          if (u >= 0xdc00 && u <= 0xdfff) {
            fail(
              `${path}: invalid JSON: lone UTF-16 surrogate \\u${u.toString(16)} (PHP json_decode: Single unpaired UTF-16 surrogate)`,
            );
          }
          out += String.fromCharCode(u);
          break;
        }
        default:
          this.pos = p - 1;
          this.syntax('a valid escape (\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)');
      }
    }
    this.pos = p + 1;
    if (this.checkUtf16) this.wellFormed(out, path);
    return out;
  }

  hex4(p: number): number {
    const t = this.text;
    let v = 0;
    for (let i = 0; i < 4; i++) {
      const c = t.charCodeAt(p + i);
      let d: number;
      if (c >= 48 && c <= 57) d = c - 48;
      else if (c >= 97 && c <= 102) d = c - 87;
      else if (c >= 65 && c <= 70) d = c - 55;
      else {
        this.pos = p + i;
        return this.syntax('4 hex digits after \\u');
      }
      v = v * 16 + d;
    }
    return v;
  }

  wellFormed(s: string, path: string): void {
    if (!isWellFormed(s)) {
      fail(
        `${path}: malformed UTF-8 (a lone UTF-16 surrogate in the text cannot be UTF-8; PHP json_decode: Malformed UTF-8 characters)`,
      );
    }
  }
}

/**
 * `json_decode($text, true)` (PROTOCOL §3), lossless: int64 integers stay exact (`bigint` beyond 2^53),
 * integral floats stay floats (`PhpFloat`), `{}` is `[]`, keys `"0".."n-1"` in order make a list,
 * a duplicated key keeps its first position and its last value, `__proto__` is an ordinary key.
 * Throws `MmspEncodingError` wherever PHP's json_decode fails (syntax, depth, lone surrogates).
 */
export function phpJsonDecode(text: string, options?: PhpJsonDecodeOptions): PhpValue {
  if (typeof text !== 'string') fail(`phpJsonDecode: expected a string, got ${text === null ? 'null' : typeof text}`);
  const p = new Parser(text, options?.depth ?? 512, !isWellFormed(text));
  const v = p.value(0, '$');
  p.ws();
  if (p.pos < text.length) p.syntax('end of text');
  return v;
}
