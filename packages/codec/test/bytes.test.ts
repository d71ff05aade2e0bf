import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  base64Decode,
  base64Encode,
  bytesEqual,
  concatBytes,
  hexDecode,
  hexEncode,
  utf8Decode,
  utf8Encode,
} from '../src/bytes/encoding.js';
import { MmspEncodingError } from '../src/errors.js';

const nodeB64 = (b: Uint8Array): string => Buffer.from(b).toString('base64');

describe('base64', () => {
  it('encodes like Node and round-trips any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (b) => {
        const text = base64Encode(b);
        expect(text).toBe(nodeB64(b));
        expect(base64Decode(text)).toEqual(b);
      }),
      { numRuns: 500 },
    );
  });

  it("decodes line-wrapped text (PEM, Java MIME's CRLF every 76) and unpadded text, like PHP's base64_decode($s, true)", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 300 }),
        fc.integer({ min: 1, max: 80 }),
        fc.constantFrom('\n', '\r\n', ' ', '\t'),
        (b, width, sep) => {
          const text = nodeB64(b);
          const wrapped = text.match(new RegExp(`.{1,${width}}`, 'g'))!.join(sep);
          expect(base64Decode(wrapped)).toEqual(b);
          expect(base64Decode(text.replace(/=+$/, ''))).toEqual(b);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('rejects what PHP strict mode rejects, naming the field but not the content', () => {
    for (const bad of [
      'QUJDR',
      'QU=JD',
      'QUJDRA=',
      'QUJD=',
      'QUJDR===',
      'QUJD-A==',
      'QUJD_A==',
      'QUJDRA==QQ',
      'QUJD\u00e9A==',
      'QUJD\vRA==',
      'QUJD\fRA==',
      'QUJD\0RA==',
    ]) {
      expect(() => base64Decode(bad, 'ENCRYPT'), bad).toThrow(MmspEncodingError);
      expect(() => base64Decode(bad, 'ENCRYPT'), bad).toThrow(/^ENCRYPT: invalid base64/);
      try {
        base64Decode(bad, 'ENCRYPT');
      } catch (e) {
        expect((e as Error).message).not.toContain(bad);
      }
    }
    expect(base64Decode('')).toEqual(new Uint8Array(0));
    expect(base64Decode('QUJDRB==')).toEqual(new TextEncoder().encode('ABCD')); // non-canonical trailing bits: PHP accepts
  });
});

describe('utf8', () => {
  it('round-trips any well-formed string exactly as TextEncoder does', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 50 }), (s) => {
        const b = utf8Encode(s);
        expect(b).toEqual(new Uint8Array(Buffer.from(s, 'utf8')));
        expect(utf8Decode(b)).toBe(s);
      }),
      { numRuns: 300 },
    );
  });

  it('refuses lone surrogates and invalid UTF-8 instead of replacing them', () => {
    expect(() => utf8Encode('a\ud800b', 'ACCNAME')).toThrow(/ACCNAME: contains a lone UTF-16 surrogate at index 1/);
    expect(() => utf8Encode('\udc00')).toThrow(MmspEncodingError);
    expect(utf8Encode('\ud83d\ude00')).toEqual(Uint8Array.of(0xf0, 0x9f, 0x98, 0x80));
    for (const bad of [[0xff], [0xc3], [0xe4, 0xb8], [0xed, 0xa0, 0x80], [0xc0, 0xaf]]) {
      expect(() => utf8Decode(Uint8Array.from(bad), 'plaintext'), String(bad)).toThrow(/plaintext: not valid UTF-8/);
    }
    expect(utf8Decode(Uint8Array.of(0xef, 0xbb, 0xbf, 0x41))).toBe('\ufeffA'); // a BOM is data, kept
  });
});

describe('hex and byte helpers', () => {
  it('hex round-trips and matches Node', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (b) => {
        expect(hexEncode(b)).toBe(Buffer.from(b).toString('hex'));
        expect(hexDecode(hexEncode(b).toUpperCase())).toEqual(b);
      }),
    );
    expect(() => hexDecode('abc')).toThrow(MmspEncodingError);
    expect(() => hexDecode('zz')).toThrow(MmspEncodingError);
  });

  it('bytesEqual and concatBytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), fc.uint8Array({ maxLength: 40 }), (a, b) => {
        expect(bytesEqual(a, b)).toBe(Buffer.from(a).equals(Buffer.from(b)));
        expect(bytesEqual(a, a.slice())).toBe(true);
        expect(concatBytes([a, b])).toEqual(new Uint8Array(Buffer.concat([a, b])));
      }),
    );
  });
});
