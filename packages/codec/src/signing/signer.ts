/**
 * The one signing route (PROTOCOL §3):
 * `strtoupper(md5(json_encode(ksort(json_decode($raw, true)['Body']), JSON_UNESCAPED_UNICODE) . '&key=' . $key))`.
 *
 * `Signer.sign` / `Signer.verify` are what `md5Sign`, `md5Verify`, `buildEnvelope`, `openEnvelope`,
 * `parseRequestEnvelope`, the client, the receivers and the CLI all call. A Body takes the one fast
 * writer (signing/flat-writer.ts: a flat Body's bytes straight into the MD5 buffer) when it can,
 * the reference path (signing/reference.ts: the PHP model, ksort, json_encode) otherwise; the
 * property, golden and PHP differential tests prove the two give the same bytes.
 *
 * A Signer owns its state (the MD5 buffer, key shapes, the last key checked): a client or a
 * receiver makes its own, so nothing is shared between them; the standalone functions use one of
 * their own.
 */
import { hexMatches } from '../hash/md5.js';
import { FlatWriter } from './flat-writer.js';
import { checkKey, constantTimeEqual, hexDigest } from './key.js';
import { notAnArray, signingStringGeneral } from './reference.js';

/**
 * How a Body is encoded for its MD5 signature (PROTOCOL §3). The defaults are the document's:
 * `/` escaped as `\/`, non-ASCII kept as UTF-8 (`JSON_UNESCAPED_UNICODE`). Change them only for a
 * platform deployment that signs differently (`mmsp doctor` finds out which).
 */
export interface SignOptions {
  /** `/` → `\/` as PHP's json_encode does by default (the document's rule). Default true. PROTOCOL §3 (FAQ). */
  escapeSlashes?: boolean;
  /** Non-ASCII as `\uXXXX` (json_encode without JSON_UNESCAPED_UNICODE). Default false. */
  escapeUnicode?: boolean;
  /**
   * MD5 implementation over the UTF-8 bytes, e.g. a crypto provider's `md5` (OpenSSL). Default: the
   * codec's own (hash/md5.ts), the fastest measured for these inputs. Must return 16 bytes.
   */
  md5?: (data: Uint8Array) => Uint8Array;
}

/**
 * A received Body that writes its signing bytes itself (`json_encode(ksort(Body), JSON_UNESCAPED_UNICODE)`
 * with `/` escaped, PROTOCOL §3), as the envelope reader does (envelope/flat-read.ts).
 */
export interface SigningBytesSource {
  /** The decoded Body (verified with {@link Signer.verify} when options change the bytes). */
  readonly body: object;
  /** An upper bound of the bytes `writeSigningBytes` writes. */
  readonly maxSigningBytes: number;
  /** Writes the signing bytes into `out` from offset 0; their length. */
  writeSigningBytes(out: Uint8Array): number;
  /**
   * Whether `sign` is the hex (any case) of the digest words `h`, compared in constant time from
   * the source's own bytes when `sign` is the Sign it read from them; `undefined` when it cannot
   * tell (the Signer then compares `sign` itself).
   */
  signMatches?(sign: string, h: Int32Array): boolean | undefined;
}

const decoder = /* @__PURE__ */ new TextDecoder();

/**
 * Whether sign options change the bytes from PROTOCOL §3's defaults (`/` escaped, Unicode raw): the
 * paths that write those default bytes directly (a received Body's own slices, a request Body
 * written on the wire as its signing text) step aside when they do.
 */
export function changesSigningBytes(options: SignOptions | undefined): boolean {
  return options !== undefined && (options.escapeSlashes === false || options.escapeUnicode === true);
}

/** Refuses an unusable MD5 key (`MmspEncodingError`, never showing the key); the last key that passed is not re-checked. */
function checkKeyOf(w: FlatWriter, key: unknown): asserts key is string {
  if (key === w.checkedKey && key !== '') return;
  checkKey(key);
  w.checkedKey = key;
}

/** The fast writer's bytes of `body` (end offset, start at `w.start`), or −1 for the reference path. */
function write(w: FlatWriter, body: object | string, options: SignOptions | undefined): number {
  if (options?.escapeUnicode === true) return -1;
  const slashes = options?.escapeSlashes !== false;
  if (typeof body === 'string') return w.writeText(body, slashes);
  if (body !== null && typeof body === 'object') return w.writeBody(body, slashes);
  return -1;
}

/**
 * `Signer.sign` with the writer `w`: the standalone `md5Sign` calls it directly (signing/sign.ts),
 * so that a bundle of it holds no more of the signer than it uses.
 */
export function signWith(w: FlatWriter, body: object | string, key: string, options?: SignOptions): string {
  checkKeyOf(w, key);
  const end = write(w, body, options);
  const hook = options?.md5;
  if (end >= 0) {
    const start = w.start;
    const last = w.writeKeySuffix(end, key);
    if (hook === undefined) return w.md5.hexUpperOfScratch(last - start, start);
    return hexDigest(hook(w.md5.scratchBytes(last - start, start)));
  }
  return signSigningStringWith(w, reference(body, options), key, hook);
}

function signSigningStringWith(
  w: FlatWriter,
  signing: string,
  key: string,
  hook?: (data: Uint8Array) => Uint8Array,
): string {
  checkKeyOf(w, key);
  const text = `${signing}&key=${key}`;
  if (hook === undefined) return w.md5.hexUpper(text);
  return hexDigest(hook(new TextEncoder().encode(text)));
}

/** `Signer.verify` with the writer `w` (the standalone `md5Verify` calls it directly, as `signWith`). */
export function verifyWith(
  w: FlatWriter,
  body: object | string,
  sign: string,
  key: string,
  options?: SignOptions,
): boolean {
  if (typeof sign !== 'string' || sign.length !== 32) return false;
  checkKeyOf(w, key);
  const hook = options?.md5;
  const end = hook === undefined ? write(w, body, options) : -1;
  if (end >= 0) {
    const start = w.start;
    return w.md5.scratchMatchesHex(w.writeKeySuffix(end, key) - start, start, sign);
  }
  if (hook !== undefined) return constantTimeEqual(signWith(w, body, key, options), sign, true);
  return verifySigningStringWith(w, reference(body, options), sign, key);
}

function verifySigningStringWith(
  w: FlatWriter,
  signing: string,
  sign: string,
  key: string,
  hook?: (data: Uint8Array) => Uint8Array,
): boolean {
  if (typeof sign !== 'string' || sign.length !== 32) return false;
  checkKeyOf(w, key);
  if (hook === undefined) return w.md5.matchesHex(`${signing}&key=${key}`, sign);
  return constantTimeEqual(signSigningStringWith(w, signing, key, hook), sign, true);
}

/**
 * Signs and verifies MD5 Bodies (PROTOCOL §3) with buffers and caches of its own. A client or a
 * receiver makes one and passes it to the envelope functions (`signer` option); `md5Sign`,
 * `md5Verify` and the envelope functions without one use a signer of their own.
 *
 * @example
 * ```ts
 * import { Signer, openEnvelope } from '@mmsp/codec';
 *
 * const signer = new Signer();
 * const sign = signer.sign({ AMT: '100', MERORDERID: '20261126000001' }, 'your-md5-key');
 * declare const pushText: string;
 * const opened = openEnvelope(pushText, { key: 'your-md5-key', signer });
 * ```
 */
export class Signer {
  readonly #writer = new FlatWriter();

  /** Refuses an unusable MD5 key (`MmspEncodingError`, never showing the key). */
  checkKey(key: unknown): asserts key is string {
    checkKeyOf(this.#writer, key);
  }

  /**
   * The bytes PHP hashes before `&key=` (`json_encode(ksort(Body), JSON_UNESCAPED_UNICODE)`) as a
   * string. `body` is a JS object (what we send), a `PhpArray`, or the raw JSON text of a received Body.
   */
  signingString(body: object | string, options?: SignOptions): string {
    const end = write(this.#writer, body, options);
    if (end >= 0) {
      const w = this.#writer;
      return decoder.decode(w.md5.scratch(0, 0).subarray(w.start, end));
    }
    return reference(body, options);
  }

  /** `strtoupper(md5(signingString(body) . '&key=' . key))`: the `Sign` of `body`. */
  sign(body: object | string, key: string, options?: SignOptions): string {
    return signWith(this.#writer, body, key, options);
  }

  /**
   * `sign` and the signing string together, the Body encoded once (`buildEnvelope` returns both).
   */
  signAndString(body: object | string, key: string, options?: SignOptions): { sign: string; signingString: string } {
    this.checkKey(key);
    const end = write(this.#writer, body, options);
    if (end >= 0) {
      const w = this.#writer;
      const start = w.start;
      const signingString = decoder.decode(w.md5.scratch(0, 0).subarray(start, end));
      const last = w.writeKeySuffix(end, key);
      const hook = options?.md5;
      const sign =
        hook === undefined
          ? w.md5.hexUpperOfScratch(last - start, start)
          : hexDigest(hook(w.md5.scratchBytes(last - start, start)));
      return { sign, signingString };
    }
    const signingString = reference(body, options);
    return { sign: this.signSigningString(signingString, key, options?.md5), signingString };
  }

  /** The `Sign` of a signing string already made (the reference path's last step). */
  signSigningString(signing: string, key: string, hook?: (data: Uint8Array) => Uint8Array): string {
    return signSigningStringWith(this.#writer, signing, key, hook);
  }

  /**
   * True when `sign` (hex, any case; anything but 32 characters is false) is the signature of
   * `body` with `key`, compared in constant time. A malformed body throws `MmspEncodingError`.
   */
  verify(body: object | string, sign: string, key: string, options?: SignOptions): boolean {
    return verifyWith(this.#writer, body, sign, key, options);
  }

  /**
   * `verify` for a received Body that writes its own signing bytes from the text it was read from
   * (the envelope reader, envelope/flat-read.ts: PROTOCOL §3's default flags). Options that change
   * the bytes (`escapeSlashes: false`, `escapeUnicode`) or an `md5` hook verify the decoded `body`
   * with {@link Signer.verify} instead.
   */
  verifyWritten(source: SigningBytesSource, sign: string, key: string, options?: SignOptions): boolean {
    if (options?.md5 !== undefined || changesSigningBytes(options)) {
      return this.verify(source.body, sign, key, options);
    }
    if (typeof sign !== 'string' || sign.length !== 32) return false;
    this.checkKey(key);
    const w = this.#writer;
    const end = source.writeSigningBytes(w.md5.scratch(source.maxSigningBytes, 0));
    const h = w.md5.scratchWords(w.writeKeySuffix(end, key), 0);
    return source.signMatches?.(sign, h) ?? hexMatches(sign, h);
  }

  /** `verify` for a signing string already made (an envelope read on the reference path returns it as `bodyText`). */
  verifySigningString(signing: string, sign: string, key: string, hook?: (data: Uint8Array) => Uint8Array): boolean {
    return verifySigningStringWith(this.#writer, signing, sign, key, hook);
  }
}

function reference(body: object | string, options: SignOptions | undefined): string {
  if (typeof body !== 'string' && (body === null || typeof body !== 'object'))
    return notAnArray(body === null ? 'null' : `a ${typeof body}`);
  return signingStringGeneral(body, options);
}
