// Request validation reads each text field once (catalogue/validate.ts `scanText`): its length in
// code points and whether it may hold a lone surrogate or a control character. The reference is
// what the rules were written as: `[...s].length` and the two regular expressions.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scanText } from '../src/catalogue/validate.js';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const CONTROL = /[\u0000-\u001F\u007F-\u009F\u2028\u2029]/;

const text = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 12 }), // lone surrogates too
  fc.string({ unit: 'grapheme', maxLength: 8 }),
  fc
    .array(
      fc.constantFrom(
        '\ud800',
        '\udc00',
        '\udbff',
        '\udfff',
        '😀',
        'a',
        '\u001f',
        '\u0020',
        '\u007e',
        '\u007f',
        '\u009f',
        '\u00a0',
        '\u2028',
        '\u2029',
        '\u2027',
        '张',
      ),
      { maxLength: 10 },
    )
    .map((a) => a.join('')),
);

describe('scanText', () => {
  it('gives [...s].length, and flags every text the surrogate or control rule refuses', () => {
    fc.assert(
      fc.property(text, (s) => {
        const scan = scanText(s);
        expect(scan >>> 1).toBe([...s].length);
        const refused = LONE_SURROGATE.test(s) || CONTROL.test(s);
        // Flagged exactly when one of the rules refuses: the flag only sends the text to the rules.
        expect((scan & 1) === 1).toBe(refused);
      }),
      { numRuns: 5000 },
    );
  });
});
