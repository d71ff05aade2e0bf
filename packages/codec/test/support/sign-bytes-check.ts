// The check behind the fast-path signing tests (test/fastpath-sign-bytes.test.ts,
// test/sign-bytes-shapes.test.ts): md5Sign / md5Verify of `body` against the general path
// (PROTOCOL §3). The bytes handed to an md5 hook are exactly the UTF-8 of
// signingStringGeneral(body) + '&key=' + key, the default signature is OpenSSL's MD5 of them, and a
// body the general path refuses is refused the same way.
import { createHash } from 'node:crypto';
import { expect } from 'vitest';
import { md5Sign, md5Verify, type SignOptions } from '@mmsp/codec';
import { signingStringGeneral } from '../../src/signing/reference.js';

const encoder = new TextEncoder();

/** What the general path hashes, or how it fails. */
export function expectedSignBytes(
  b: object | string,
  k: string,
  o: SignOptions,
): { bytes?: Uint8Array; md5?: string; error?: string } {
  let s: string;
  try {
    s = signingStringGeneral(b, o);
  } catch (e) {
    return { error: (e as Error).name };
  }
  const bytes = encoder.encode(`${s}&key=${k}`);
  return { bytes, md5: createHash('md5').update(bytes).digest('hex').toUpperCase() };
}

export function checkSignBytes(b: object | string, k: string, o: SignOptions): void {
  const want = expectedSignBytes(b, k, o);
  let seen: Uint8Array | undefined;
  const hook = (d: Uint8Array): Uint8Array => {
    seen = d;
    return new Uint8Array(createHash('md5').update(d).digest());
  };
  if (want.error !== undefined) {
    expect(() => md5Sign(b, k, o)).toThrow();
    expect(() => md5Sign(b, k, { ...o, md5: hook })).toThrow();
    return;
  }
  expect(md5Sign(b, k, o)).toBe(want.md5);
  expect(md5Sign(b, k, { ...o, md5: hook })).toBe(want.md5);
  expect(Array.from(seen!)).toEqual(Array.from(want.bytes!));
  expect(md5Verify(b, want.md5!, k, o)).toBe(true);
  expect(md5Verify(b, want.md5!.toLowerCase(), k, o)).toBe(true);
}
