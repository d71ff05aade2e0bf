import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MmspTransportError, randStr } from '@mmsp/codec';
import { send } from '../src/send.js';
import { drawAlnum, RandomPool } from '../src/random-pool.js';
import type { Transport, TransportRequest } from '../src/transport.js';

const ok = { status: 200, headers: {}, body: '{}' };

async function failure(p: Promise<unknown>): Promise<MmspTransportError> {
  try {
    await p;
  } catch (error) {
    expect(error).toBeInstanceOf(MmspTransportError);
    return error as MmspTransportError;
  }
  throw new Error('expected an MmspTransportError');
}

describe('send: one timer, a signal only for a transport that reads it', () => {
  it('a transport that never reads the signal gets its answer, headers and body', async () => {
    let seen: Omit<TransportRequest, 'signal'> | undefined;
    const transport: Transport = (req) => {
      seen = {
        url: req.url,
        method: req.method,
        headers: req.headers,
        body: req.body,
        ...(req.timeoutMs !== undefined ? { timeoutMs: req.timeoutMs } : {}),
      };
      return Promise.resolve(ok);
    };
    await expect(send(transport, 'http://x.test/a', 'BODY', { timeoutMs: 1000, userAgent: 'ua/1' })).resolves.toBe(ok);
    expect(seen).toEqual({
      url: 'http://x.test/a',
      method: 'POST',
      body: 'BODY',
      timeoutMs: 1000,
      headers: {
        'content-type': 'application/json; charset=utf-8',
        accept: 'application/json, text/plain, */*',
        'user-agent': 'ua/1',
      },
    });
  });

  it('the timeout rejects as "may have reached" and aborts the signal the transport holds', async () => {
    let signal: AbortSignal | undefined;
    const transport: Transport = (req) => {
      signal = req.signal;
      return new Promise(() => {});
    };
    const error = await failure(send(transport, 'http://x.test/a', 'B', { timeoutMs: 20 }));
    expect(error.mayHaveReachedPlatform).toBe(true);
    expect(error.message).toMatch(/no response within 20 ms/);
    expect(signal?.aborted).toBe(true);
  });

  it('a signal first read after the timeout is already aborted', async () => {
    let late: TransportRequest | undefined;
    const transport: Transport = (req) => {
      late = req;
      return new Promise(() => {});
    };
    await failure(send(transport, 'http://x.test/a', 'B', { timeoutMs: 10 }));
    expect(late?.signal?.aborted).toBe(true);
  });

  it("the caller's abort reaches the transport's signal with the caller's reason", async () => {
    const caller = new AbortController();
    const transport: Transport = (req) =>
      new Promise((_, reject) => {
        req.signal?.addEventListener(
          'abort',
          () => reject(new MmspTransportError('aborted', { mayHaveReachedPlatform: true, cause: req.signal?.reason })),
          { once: true },
        );
      });
    const pending = send(transport, 'http://x.test/a', 'B', { timeoutMs: 5000, signal: caller.signal });
    const reason = new Error('stop');
    caller.abort(reason);
    const error = await failure(pending);
    expect(error.message).toBe('aborted');
    expect(error.cause).toBe(reason);
  });

  it("the caller's abort before the transport reads the signal is carried into it", async () => {
    const caller = new AbortController();
    let resume: (() => void) | undefined;
    const gate = new Promise<void>((r) => (resume = r));
    let aborted: boolean | undefined;
    const transport: Transport = async (req) => {
      await gate;
      aborted = req.signal?.aborted;
      return ok;
    };
    const pending = send(transport, 'http://x.test/a', 'B', { timeoutMs: 5000, signal: caller.signal });
    caller.abort();
    resume?.();
    await pending;
    expect(aborted).toBe(true);
  });

  it('a signal aborted before sending: not sent, cannot have reached the platform', async () => {
    let calls = 0;
    const transport: Transport = () => {
      calls++;
      return Promise.resolve(ok);
    };
    const error = await failure(
      send(transport, 'http://x.test/a', 'B', { timeoutMs: 1000, signal: AbortSignal.abort() }),
    );
    expect(error.mayHaveReachedPlatform).toBe(false);
    expect(calls).toBe(0);
  });

  it('a transport that throws synchronously, or returns no response, fails as "may have reached"', async () => {
    const throwing: Transport = () => {
      throw new Error('boom');
    };
    const e1 = await failure(send(throwing, 'http://x.test/a', 'B', { timeoutMs: 1000 }));
    expect([e1.mayHaveReachedPlatform, e1.message]).toEqual([
      true,
      'transport failed (boom): the request may have reached the platform',
    ]);
    const empty = (() => Promise.resolve(null)) as unknown as Transport;
    const e2 = await failure(send(empty, 'http://x.test/a', 'B', { timeoutMs: 1000 }));
    expect(e2.mayHaveReachedPlatform).toBe(true);
  });
});

describe('RandomPool: the provider asked 4 KiB at a time, every byte handed out once', () => {
  /** A provider whose bytes are a known stream: byte k of the stream is k * 7 mod 251. */
  function streamProvider() {
    let k = 0;
    const asked: number[] = [];
    return {
      asked,
      randomBytes: (n: number) => {
        asked.push(n);
        return Uint8Array.from({ length: n }, () => (k++ * 7) % 251);
      },
    };
  }

  it('hands out the stream in order, none twice, refilling when the pool runs out', () => {
    const provider = streamProvider();
    const pool = new RandomPool(provider);
    const got: number[] = [];
    for (let i = 0; i < 700; i++) got.push(...pool.randomBytes(29));
    expect(provider.asked).toEqual([4096, 4096, 4096, 4096, 4096]);
    // Each fill's unused tail (4096 mod 29 = 7 bytes) is dropped, never handed out later.
    const expected: number[] = [];
    for (let fill = 0; fill < 5; fill++)
      for (let i = 0; i < 141 * 29; i++) expected.push(((fill * 4096 + i) * 7) % 251);
    expect(got).toEqual(expected.slice(0, 700 * 29));
  });

  it('gives the requested lengths; larger requests go to the provider directly', () => {
    const provider = streamProvider();
    const pool = new RandomPool(provider);
    for (const n of [0, 1, 16, 117, 4096]) expect(pool.randomBytes(n)).toHaveLength(n);
    expect(pool.randomBytes(70_000)).toHaveLength(70_000);
    expect(provider.asked).toContain(70_000);
  });

  it('what a caller keeps is a copy: later draws do not change it', () => {
    const pool = new RandomPool(streamProvider());
    const kept = pool.randomBytes(32);
    const copy = Array.from(kept);
    for (let i = 0; i < 300; i++) pool.randomBytes(32);
    expect(Array.from(kept)).toEqual(copy);
  });

  it("a provider whose bytes' slice shares memory (Node's Buffer) still hands out copies", () => {
    class SharedSlice extends Uint8Array {
      override slice(start?: number, end?: number): Uint8Array<ArrayBuffer> {
        return this.subarray(start, end);
      }
    }
    const pool = new RandomPool({
      randomBytes: (n: number) => SharedSlice.from({ length: n }, (_, i) => (i % 255) + 1),
    });
    const kept = pool.randomBytes(8);
    pool.randomBytes(8);
    expect(Array.from(kept)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('a provider that gives the wrong number of bytes is refused', () => {
    const pool = new RandomPool({ randomBytes: () => new Uint8Array(16) });
    expect(() => pool.randomBytes(20)).toThrow(RangeError);
  });
});

describe("RandomPool.alnum: RANDSTR characters drawn in bulk, what the codec's randStr draws", () => {
  /** A replayable byte stream from a seed (a stateful provider: each call continues the stream). */
  function seeded(seed: number) {
    let state = seed >>> 0 || 1;
    return {
      randomBytes: (n: number) =>
        Uint8Array.from({ length: n }, () => {
          state ^= state << 13;
          state ^= state >>> 17;
          state ^= state << 5;
          return (state >>> 0) & 0xff;
        }),
    };
  }

  it("drawAlnum over a byte stream is the codec's randStr over the same stream (the reference)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1 }), fc.integer({ min: 1, max: 32 }), (seed, length) => {
        expect(drawAlnum(length, seeded(seed).randomBytes)).toBe(
          randStr('quickPay', { length, provider: seeded(seed) }),
        );
      }),
      { numRuns: 1000 },
    );
    // A stream that is mostly bytes to skip (248-255) still ends, and skips them all.
    let k = 0;
    const skippy = (n: number) => Uint8Array.from({ length: n }, () => (k++ % 5 === 4 ? 61 : 250));
    expect(drawAlnum(6, skippy)).toBe('zzzzzz');
  });

  it('hands out each drawn character once, in order, 3,273 at a time (one fill of the byte pool)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1 }),
        fc.array(fc.integer({ min: 1, max: 32 }), { maxLength: 300 }),
        (seed, counts) => {
          const pool = new RandomPool(seeded(seed));
          // The reference: the same bytes through a second pool, 3,273 characters per fill; a fill's
          // tail too short for the next request is dropped, never handed out later.
          const reference = new RandomPool(seeded(seed));
          let chars = '';
          for (const count of counts) {
            if (chars.length < count) chars = drawAlnum(3273, reference.randomBytes);
            const got = pool.alnum(count);
            expect(got).toMatch(/^[0-9A-Za-z]+$/);
            expect(got).toBe(chars.slice(0, count));
            chars = chars.slice(count);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('draws longer requests directly, and its characters are uniform (chi-square over 248,000)', () => {
    const pool = new RandomPool(seeded(12345));
    expect(pool.alnum(5000)).toMatch(/^[0-9A-Za-z]{5000}$/);
    // One fill of the byte pool a draw: 3,273 characters take all 4,096 of its bytes.
    const provider = { asked: [] as number[], randomBytes: (n: number) => (provider.asked.push(n), new Uint8Array(n)) };
    const counted = new RandomPool(provider);
    for (let i = 0; i < 3273; i++) counted.alnum(1);
    expect(provider.asked).toEqual([4096]);
    let text = '';
    while (text.length < 248_000) text += pool.alnum(20);
    const counts = new Map<string, number>();
    for (const c of text) counts.set(c, (counts.get(c) ?? 0) + 1);
    expect(counts.size).toBe(62);
    const expected = text.length / 62;
    const chi2 = [...counts.values()].reduce((sum, n) => sum + (n - expected) ** 2 / expected, 0);
    // 61 degrees of freedom: P(chi2 > 120) < 1e-5.
    expect(chi2).toBeLessThan(120);
  });
});
