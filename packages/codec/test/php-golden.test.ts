// Golden vectors made by real PHP 8.2 (scripts/golden.mjs over golden/corpus.json; PROTOCOL §3).
// Every expected value below comes from php-cli, never from the codec.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MmspEncodingError, md5Sign, md5Verify, phpJsonDecode, phpJsonEncode, signingString } from '@mmsp/codec';

interface Vector {
  name: string;
  body: string;
  object?: true;
  error?: string;
  reencode?: string | null;
  reencodeError?: string;
  signing?: { default: string | null; unescapedSlashes: string | null; escapedUnicode: string | null };
  sign?: { default: string | null; unescapedSlashes: string | null; escapedUnicode: string | null };
  signError?: string;
}
const golden = JSON.parse(readFileSync(new URL('../golden/vectors.json', import.meta.url), 'utf8')) as {
  key: string;
  vectors: Vector[];
};
const KEY = golden.key;
const variants = [
  ['default', {}],
  ['unescapedSlashes', { escapeSlashes: false }],
  ['escapedUnicode', { escapeUnicode: true }],
] as const;

describe('golden vectors from PHP 8.2', () => {
  it('has the corpus', () => {
    expect(golden.vectors.length).toBeGreaterThan(60);
  });

  for (const v of golden.vectors) {
    describe(v.name, () => {
      if (v.error !== undefined) {
        it(`is rejected like PHP json_decode (${v.error})`, () => {
          expect(() => phpJsonDecode(v.body)).toThrow(MmspEncodingError);
          expect(() => signingString(v.body)).toThrow(MmspEncodingError);
          expect(() => md5Sign(v.body, KEY)).toThrow(MmspEncodingError);
        });
        return;
      }
      it('re-encodes like json_encode(json_decode($t, true), JSON_UNESCAPED_UNICODE)', () => {
        if (v.reencode === null) expect(() => phpJsonEncode(phpJsonDecode(v.body))).toThrow(MmspEncodingError);
        else expect(phpJsonEncode(phpJsonDecode(v.body))).toBe(v.reencode);
      });
      for (const [name, options] of variants) {
        const want = v.sign?.[name];
        if (want === null || want === undefined) {
          it(`cannot be signed, as in PHP (${v.signError ?? 'not an array'}) [${name}]`, () => {
            expect(() => signingString(v.body, options)).toThrow(MmspEncodingError);
          });
          continue;
        }
        it(`signs like PHP from the raw text [${name}]`, () => {
          expect(signingString(v.body, options)).toBe(v.signing?.[name]);
          expect(md5Sign(v.body, KEY, options)).toBe(want);
          expect(md5Verify(v.body, want, KEY, options)).toBe(true);
          expect(md5Verify(v.body, want.toLowerCase(), KEY, options)).toBe(true);
        });
        if (v.object) {
          it(`signs like PHP from the JS object [${name}]`, () => {
            const obj = JSON.parse(v.body) as object;
            expect(signingString(obj, options)).toBe(v.signing?.[name]);
            expect(md5Sign(obj, KEY, options)).toBe(want);
          });
        }
      }
    });
  }
});
