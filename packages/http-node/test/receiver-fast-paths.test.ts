// The fast paths of the Node receivers, each against the rule it shortens: the body's ASCII decoding
// (src/read-body.ts) against the strict UTF-8 decoder, on Buffers and plain Uint8Arrays alike; the
// request check that remembers the last accepted Content-Type (src/notification-handler.ts) against
// the shared rule of @mmsp/client, over sequences of requests.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { notificationRequestProblem } from '@mmsp/client';
import { precheck } from '../src/notification-handler.js';
import { decodeBody } from '../src/read-body.js';

/** The reference: WHATWG UTF-8, fatal on malformed input, a leading BOM dropped. */
function reference(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}
const textOf = (bytes: Uint8Array) => {
  const r = decodeBody(bytes);
  return r.ok ? r.text : undefined;
};

describe('decodeBody', () => {
  const bodies = fc.oneof(
    fc.uint8Array({ maxLength: 300 }), // mostly not UTF-8
    fc.uint8Array({ max: 0x7f, maxLength: 300 }), // ASCII, control characters and NUL included
    fc.string({ unit: 'binary', maxLength: 200 }).map((s) => new TextEncoder().encode(s)), // valid UTF-8
    fc
      .tuple(fc.string({ unit: 'binary', maxLength: 100 }), fc.nat(), fc.integer({ min: 0x80, max: 0xff }))
      .map(([s, at, byte]) => {
        // valid UTF-8 with one byte changed: often malformed
        const b = new TextEncoder().encode(s);
        if (b.length > 0) b[at % b.length] = byte;
        return b;
      }),
    fc.string({ maxLength: 100 }).map((s) => new TextEncoder().encode(`\uFEFF${s}`)), // a BOM
  );

  it('equals the strict UTF-8 decoder, for Buffers and Uint8Arrays', () => {
    fc.assert(
      fc.property(bodies, fc.nat(8), (bytes, offset) => {
        const want = reference(bytes);
        expect(textOf(Buffer.from(bytes))).toBe(want);
        // a view into a larger buffer, at an offset
        const big = new Uint8Array(bytes.length + offset + 3).fill(0xff);
        big.set(bytes, offset);
        expect(textOf(big.subarray(offset, offset + bytes.length))).toBe(want);
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses malformed UTF-8 with a 400', () => {
    expect(decodeBody(Buffer.from([0x7b, 0xc3, 0x28, 0x7d]))).toMatchObject({ ok: false, status: 400 });
    expect(decodeBody(Buffer.from('{"a":"\\u4e2d"}'))).toEqual({ ok: true, text: '{"a":"\\u4e2d"}' });
  });
});

describe('precheck', () => {
  const method = fc.constantFrom('POST', 'GET', 'PUT', 'post', undefined);
  const contentType = fc.oneof(
    fc.constantFrom(
      'application/json',
      'application/json; charset=utf-8',
      'application/json; charset=gbk',
      'text/plain',
      'text/html',
      'application/x-www-form-urlencoded',
      '',
      undefined,
    ),
    fc.constantFrom<string[]>(['application/json'], ['text/plain', 'text/html']),
    fc.string({ maxLength: 30 }),
  );

  it('answers every request of a sequence as the shared rule does, whatever came before', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(method, contentType), { minLength: 1, maxLength: 40 }), (requests) => {
        for (const [m, ct] of requests) {
          const want = notificationRequestProblem({ method: m, contentType: ct });
          const got = precheck(m, ct);
          expect(got?.status, `${m} ${JSON.stringify(ct)}`).toBe(want?.status);
          expect(got?.body).toBe(want?.body);
        }
      }),
      { numRuns: 500 },
    );
  });
});
