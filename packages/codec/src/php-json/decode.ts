import { MmspEncodingError } from '../errors.js';
import { depthError, indexPath, isWellFormed, keyPath, surrogateError } from './path.js';
import { PhpArray, PhpFloat, phpInteger, type PhpValue } from './value.js';

/** Options of {@link phpJsonDecode}. */
export interface PhpJsonDecodeOptions {
  /**
   * `json_decode`'s depth argument (default 512). PHP fails when arrays/objects nest `depth` deep
   * or more: with 512, 511 nested levels decode and 512 fail (checked with php-cli 8.2).
   */
  depth?: number;
}

const ESCAPE_OR_CONTROL = /[\\\u0000-\u001f]/;
/**
 * A JSON number (RFC 8259 §6) at `lastIndex`; group 1 is its fraction and exponent, if any. A `.`
 * or an `e` that does not continue it is left for the caller, which finds it where it expects `,`.
 */
const NUMBER = /-?(?:0|[1-9]\d*)((?:\.\d+)?(?:[eE][+-]?\d+)?)/y;

function fail(message: string): never {
  throw new MmspEncodingError(message);
}

/** The readable path of a value (php-json/path.ts), put together only when it is needed. */
function pathOf(parent: string, key: string | number | undefined): string {
  if (key === undefined) return parent;
  return typeof key === 'number' ? indexPath(parent, key) : keyPath(parent, key);
}

function malformed(path: string): never {
  throw surrogateError(path, 'json_decode: Malformed UTF-8 characters');
}

class Parser {
  pos = 0;
  /** No backslash and no control character anywhere (compact JSON without escapes): every string is as written. */
  readonly plainText: boolean;
  /** The text has a lone surrogate somewhere: each string is checked (PHP reads UTF-8, which cannot hold one). */
  readonly checkUtf16: boolean;
  constructor(
    readonly text: string,
    readonly maxDepth: number,
  ) {
    this.plainText = !ESCAPE_OR_CONTROL.test(text);
    this.checkUtf16 = !isWellFormed(text);
  }

  syntax(expected: string): never {
    const t = this.text;
    const at = this.pos;
    const c = t.charCodeAt(at);
    const found =
      at >= t.length
        ? 'unexpected end of text'
        : `found ${c >= 0x21 && c < 0x7f ? `'${t[at]}'` : `U+${c.toString(16).toUpperCase().padStart(4, '0')}`}`;
    fail(`invalid JSON at offset ${at}: ${found}, expected ${expected} (PHP json_decode: Syntax error)`);
  }

  /** Skips JSON whitespace; the code of the character after it (NaN at the end of the text). */
  ws(): number {
    const t = this.text;
    let p = this.pos;
    let c = t.charCodeAt(p);
    while (c === 32 || c === 10 || c === 13 || c === 9) c = t.charCodeAt(++p);
    this.pos = p;
    return c;
  }

  /**
   * The value at `parent` + `key` (a key, an index, or none for the root). The path is only put
   * together for containers and on errors: most values never need it.
   */
  value(depth: number, parent: string, key?: string | number): PhpValue {
    const c = this.ws();
    if (c === 34) return this.string(parent, key);
    if (c === 123 || c === 91) return this.container(c === 123, depth + 1, pathOf(parent, key));
    if (c === 45 || (c >= 48 && c <= 57)) return this.number();
    const literal = c === 116 ? 'true' : c === 102 ? 'false' : c === 110 ? 'null' : '';
    if (literal === '' || !this.text.startsWith(literal, this.pos)) this.syntax('a JSON value');
    this.pos += literal.length;
    return c === 110 ? null : c === 116;
  }

  /** An object (`isObject`) or an array at `pos`, `depth` levels deep. */
  container(isObject: boolean, depth: number, path: string): PhpValue {
    if (depth >= this.maxDepth) throw depthError(path, depth, 'json_decode', this.maxDepth);
    this.pos++;
    const close = isObject ? 125 : 93;
    if (this.ws() === close) {
      this.pos++;
      return []; // `{}` decodes to an empty PHP array, which re-encodes as `[]` (PROTOCOL §3)
    }
    const map = new Map<string, PhpValue>();
    const list: PhpValue[] = [];
    for (;;) {
      if (isObject) {
        if (this.ws() !== 34) this.syntax('a string key');
        const key = this.string(path, undefined);
        if (this.ws() !== 58) this.syntax("':'");
        this.pos++;
        // A duplicated key keeps its first position and takes the last value, as in PHP.
        map.set(key, this.value(depth, path, key));
      } else {
        list.push(this.value(depth, path, list.length));
      }
      const c = this.ws();
      if (c === close) break;
      if (c !== 44) this.syntax(isObject ? "',' or '}'" : "',' or ']'");
      this.pos++;
    }
    this.pos++;
    if (!isObject) return list;
    const arr = PhpArray.fromMap(map);
    return arr.isList() ? Array.from(map.values()) : arr;
  }

  number(): PhpValue {
    const t = this.text;
    const start = this.pos;
    NUMBER.lastIndex = start;
    const m = NUMBER.exec(t);
    if (m === null) {
      this.pos = t.charCodeAt(start) === 45 ? start + 1 : start;
      return this.syntax('a digit');
    }
    const e = (this.pos = NUMBER.lastIndex);
    const isFloat = m[1] !== '';
    const s = t.slice(start, e);
    if (!isFloat) {
      // An integer literal: a PHP int within int64 (`-0` is the int 0), else a float (PROTOCOL §3).
      if (e - start <= 15) {
        const n = Number(s);
        return n === 0 ? 0 : n;
      }
      return phpInteger(BigInt(s));
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
        if (this.checkUtf16 && !isWellFormed(s)) malformed(pathOf(parent, key));
        return s;
      }
    }
    // The closing quote (a backslash takes the next character with it); a raw control character fails.
    const path = pathOf(parent, key);
    let p = start;
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
      p += c === 92 ? 2 : 1;
    }
    const raw = t.slice(start - 1, p + 1);
    if (this.checkUtf16 && !isWellFormed(raw)) malformed(path);
    // The escapes are JSON's (RFC 8259 §7), which JSON.parse decodes exactly; what it refuses is an
    // invalid escape. PHP also refuses an escaped lone surrogate, which JSON.parse lets through.
    let out: string;
    try {
      out = JSON.parse(raw) as string;
    } catch {
      this.pos = start - 1;
      return this.syntax('a string with valid escapes');
    }
    if (!isWellFormed(out)) throw surrogateError(path, 'json_decode: Single unpaired UTF-16 surrogate');
    this.pos = p + 1;
    return out;
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
  const p = new Parser(text, options?.depth ?? 512);
  const v = p.value(0, '$');
  p.ws();
  if (p.pos < text.length) p.syntax('end of text');
  return v;
}
