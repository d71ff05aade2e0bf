import { describe, expect, it } from 'vitest';
import { phpJsonDecode } from '@mmsp/codec';

describe('PhpArray in JSON.stringify', () => {
  it('prints the decoded map as a plain object, nested arrays and floats included', () => {
    const v = phpJsonDecode('{"B":"2","A":{"x":[1,2.5,1.0]},"__proto__":"p"}');
    expect(JSON.parse(JSON.stringify(v))).toEqual({ B: '2', A: { x: [1, 2.5, 1] }, ['__proto__']: 'p' });
    expect(Object.getPrototypeOf(JSON.parse(JSON.stringify(v)))).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).p).toBeUndefined();
  });
});
