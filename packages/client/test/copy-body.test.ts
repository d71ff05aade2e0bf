import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { copyBody } from '../src/engine.js';

/** What a spread copies of a Body's string keys: the reference `copyBody` must equal. */
function spread(input: Record<string, unknown>): Record<string, unknown> {
  return { ...input };
}

const key = fc.oneof(
  { weight: 4, arbitrary: fc.string({ maxLength: 8 }) },
  fc.constantFrom('__proto__', 'constructor', 'prototype', '10', '2', '01', '-1', 'RANDSTR', 'MERORDERID'),
);
const value = fc.oneof(fc.string(), fc.integer(), fc.constant(undefined), fc.constant(null), fc.object());

describe('copyBody (the Body prepare copies before autofill)', () => {
  it('copies what a spread copies: the same own keys in the same order, the same values, a plain prototype', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(key, value), { maxLength: 12 }), (entries) => {
        // Built the way JSON.parse builds it: every key an own data property, `__proto__` included.
        const input: Record<string, unknown> = {};
        for (const [k, v] of entries)
          Object.defineProperty(input, k, { value: v, writable: true, enumerable: true, configurable: true });
        const copy = copyBody(input);
        const reference = spread(input);
        expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
        expect(Reflect.ownKeys(copy)).toEqual(Reflect.ownKeys(reference));
        for (const k of Object.keys(reference)) {
          expect(Object.getOwnPropertyDescriptor(copy, k)).toEqual(Object.getOwnPropertyDescriptor(reference, k));
        }
        // A copy, not the input: autofill writes to it.
        copy.RANDSTR = 'x';
        expect(Object.prototype.hasOwnProperty.call(input, 'RANDSTR') ? input.RANDSTR : undefined).toBe(
          entries.some(([k]) => k === 'RANDSTR') ? reference.RANDSTR : undefined,
        );
      }),
      { numRuns: 500 },
    );
  });

  it('keeps an own __proto__ key own (validation refuses it) and never changes the prototype', () => {
    const input = JSON.parse('{"MERORDERID":"M1","__proto__":{"polluted":true}}') as Record<string, unknown>;
    const copy = copyBody(input);
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(Object.prototype.hasOwnProperty.call(copy, '__proto__')).toBe(true);
    expect((copy as { polluted?: boolean }).polluted).toBeUndefined();
    expect(Object.keys(copy)).toEqual(['MERORDERID', '__proto__']);
  });

  it('reads each key once, in order, as a spread does (getters included); non-enumerable keys stay behind', () => {
    const reads: string[] = [];
    const input = {} as Record<string, unknown>;
    Object.defineProperty(input, 'B', { get: () => (reads.push('B'), 'b'), enumerable: true });
    Object.defineProperty(input, 'A', { get: () => (reads.push('A'), 'a'), enumerable: true });
    Object.defineProperty(input, 'HIDDEN', { value: 'h', enumerable: false });
    expect(copyBody(input)).toEqual({ B: 'b', A: 'a' });
    expect(reads).toEqual(['B', 'A']);
  });
});
