/**
 * A client's source of random bytes for `RANDSTR` and order numbers: the provider's
 * `randomBytes` (still the cryptographic source) asked for 4 KiB at a time instead of once per
 * call, where one call into the provider (OpenSSL's `randomFillSync` under Node) cost more than the
 * rest of building a request. Owned by one client (engine.ts), never shared between clients;
 * every byte is handed out once, then the pool is refilled. Requests larger than the pool go to
 * the provider directly.
 *
 * `RANDSTR` characters (PROTOCOL §7.3: `[0-9A-Za-z]`, the codec's `randStr`) are drawn the same way
 * in bulk, 3,273 at a time, and each `RANDSTR` is a slice of them: no per-character work per call.
 */
import type { CryptoProvider } from '@mmsp/codec';

const POOL_SIZE = 4096;
/**
 * Characters drawn at once for `alnum`: the most whose bytes (`drawAlnum` asks for 1.25 a
 * character, plus 4) fit one fill of the pool, so that no fill's tail is left unused.
 */
const CHAR_POOL_SIZE = 3273;
/** The codec's `randStr` alphabet, as character codes. */
const ALNUM_CODES = Uint8Array.from('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz', (c) =>
  c.charCodeAt(0),
);
const ASCII = new TextDecoder();
/**
 * Byte → character code: `ALNUM[byte % 62]` below 248, 0 (skipped) from 248 up, which would bias
 * the modulo (rejection sampling, as the codec's `randomChars`).
 */
const ALNUM_OF_BYTE = Uint8Array.from({ length: 256 }, (_, b) =>
  b < 256 - (256 % ALNUM_CODES.length) ? ALNUM_CODES[b % ALNUM_CODES.length]! : 0,
);

export class RandomPool implements Pick<CryptoProvider, 'randomBytes'> {
  readonly #provider: Pick<CryptoProvider, 'randomBytes'>;
  #pool: Uint8Array = new Uint8Array(0);
  #offset = 0;
  #chars = '';
  #charOffset = 0;

  constructor(provider: Pick<CryptoProvider, 'randomBytes'>) {
    this.#provider = provider;
  }

  /** `length` bytes never handed out before: a copy, so a caller may keep them. */
  randomBytes = (length: number): Uint8Array => {
    if (length > POOL_SIZE) return this.#provider.randomBytes(length);
    if (this.#offset + length > this.#pool.length) {
      const fresh = this.#provider.randomBytes(POOL_SIZE);
      if (!(fresh instanceof Uint8Array) || fresh.length !== POOL_SIZE) {
        throw new RangeError(
          `randomBytes: the crypto provider returned ${fresh instanceof Uint8Array ? `${fresh.length} bytes` : 'no bytes'} for ${POOL_SIZE}`,
        );
      }
      // A plain view, whatever the provider's class: Buffer's slice would share memory, not copy.
      this.#pool = new Uint8Array(fresh.buffer, fresh.byteOffset, fresh.length);
      this.#offset = 0;
    }
    const out = this.#pool.slice(this.#offset, this.#offset + length);
    // What was handed out does not stay in memory.
    this.#pool.fill(0, this.#offset, this.#offset + length);
    this.#offset += length;
    return out;
  };

  /**
   * `count` characters of `[0-9A-Za-z]`, each uniformly random and handed out once: what the
   * codec's `randStr` draws (the same rejection sampling of this pool's bytes), taken from
   * characters drawn in bulk.
   */
  alnum(count: number): string {
    if (count > CHAR_POOL_SIZE) return drawAlnum(count, this.randomBytes);
    if (this.#charOffset + count > this.#chars.length) {
      this.#chars = drawAlnum(CHAR_POOL_SIZE, this.randomBytes);
      this.#charOffset = 0;
    }
    const out = this.#chars.slice(this.#charOffset, this.#charOffset + count);
    this.#charOffset += count;
    return out;
  }
}

/**
 * `count` characters of `[0-9A-Za-z]` from `randomBytes`, byte by byte: a byte below 248
 * gives `ALNUM[byte % 62]`, any other is skipped; exactly the codec's `randomChars`
 * over the same bytes (test/random-pool.test.ts), written as one string at the end.
 */
export function drawAlnum(count: number, randomBytes: (length: number) => Uint8Array): string {
  const codes = new Uint8Array(count);
  let n = 0;
  while (n < count) {
    const bytes = randomBytes(Math.ceil((count - n) * 1.25) + 4);
    for (let i = 0; i < bytes.length && n < count; i++) {
      const code = ALNUM_OF_BYTE[bytes[i]!]!;
      if (code !== 0) codes[n++] = code;
    }
  }
  // Every code is ASCII, whose UTF-8 is itself: one decode writes the whole string.
  return ASCII.decode(codes);
}
