/**
 * A client's source of random bytes for `RANDSTR` and order numbers: the provider's
 * `randomBytes` (still the cryptographic source) asked for 4 KiB at a time instead of once per
 * call, where one call into the provider (OpenSSL's `randomFillSync` under Node) cost more than the
 * rest of building a request. Owned by one client (engine.ts), never shared between clients;
 * every byte is handed out once, then the pool is refilled. Requests larger than the pool go to
 * the provider directly.
 */
import type { CryptoProvider } from '@mmsp/codec';

const POOL_SIZE = 4096;

export class RandomPool implements Pick<CryptoProvider, 'randomBytes'> {
  readonly #provider: Pick<CryptoProvider, 'randomBytes'>;
  #pool: Uint8Array = new Uint8Array(0);
  #offset = 0;

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
}
