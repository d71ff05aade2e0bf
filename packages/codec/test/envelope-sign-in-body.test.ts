// 快捷 §5.4.3 (issue #13 item 11): the SMS-confirm answer of the document carries its Sign inside
// the Body — {"…","Body":{"LIST_ID":"100000004985","STATUS":1,"Sign":"B565D0…"}} — and none after
// it. With `signInBody` such an answer is read: the Body's Sign over the rest of the Body, which is
// then the verified Body (PROTOCOL §11 item 29). Every accepted variant needs the key's MD5.
import { describe, expect, it } from 'vitest';
import { md5Sign, MmspSignatureError, openEnvelope, signingString } from '@mmsp/codec';

const KEY = 'ea21842eea24e448b991b1cb0a0294cf';

/** The document's example, completed (the Sign it cuts off is made with the key). */
function answer(bodyText: string, opts: { outerSign?: string } = {}): string {
  return `{"CommandID":33540,"SeqID":1,"NodeType":3,"NodeID":"openapi","Version":"1.0.0","RetCode":1,"ErrMsg":"","Body":${bodyText}${opts.outerSign !== undefined ? `,"Sign":"${opts.outerSign}"` : ''}}`;
}
const inner = (body: Record<string, unknown>, sign: string) => JSON.stringify({ ...body, Sign: sign });

// A Body of strings is read on the fast path (envelope/flat-read.ts); the document's integer STATUS
// takes the exact (PHP model) path.
describe.each([
  ['fast path, STATUS "1"', { LIST_ID: '100000004985', STATUS: '1' }],
  ["exact path, the document's STATUS 1", { LIST_ID: '100000004985', STATUS: 1 }],
] as const)('Sign inside the Body (%s)', (_, BODY) => {
  const exact = typeof BODY.STATUS === 'number';
  const sign = md5Sign(BODY, KEY);

  it('is read with signInBody: the rest of the Body is verified and returned, without the Sign', () => {
    const opened = openEnvelope(answer(inner(BODY, sign)), { key: KEY, expectCommandId: 33540, signInBody: true });
    expect(opened.signatureChecked).toBe(true);
    expect(Object.hasOwn(opened, 'body'), 'the exact path returns body as data, the fast path as a getter').toBe(exact);
    expect(opened.plainBody).toEqual(BODY);
    expect(opened.sign).toBe(sign);
    expect(opened.bodyText).toBe(signingString(BODY));
    expect(JSON.parse(JSON.stringify(opened.body))).toEqual(BODY);
  });

  it('is refused without signInBody (a notification never takes this path): no Sign of its own', () => {
    expect(() => openEnvelope(answer(inner(BODY, sign)), { key: KEY })).toThrow(MmspSignatureError);
  });

  it('a changed field, a wrong Sign or another key is refused', () => {
    expect(() =>
      openEnvelope(answer(inner({ ...BODY, LIST_ID: '100000004986' }, sign)), { key: KEY, signInBody: true }),
    ).toThrow(MmspSignatureError);
    expect(() =>
      openEnvelope(answer(inner({ ...BODY, STATUS: exact ? '1' : 1 }, sign)), { key: KEY, signInBody: true }),
    ).toThrow(MmspSignatureError);
    expect(() => openEnvelope(answer(inner(BODY, '0'.repeat(32))), { key: KEY, signInBody: true })).toThrow(
      MmspSignatureError,
    );
    expect(() => openEnvelope(answer(inner(BODY, md5Sign(BODY, `${KEY}x`))), { key: KEY, signInBody: true })).toThrow(
      MmspSignatureError,
    );
  });

  it('a Sign after the Body over the whole Body keeps the inner Sign an ordinary field (PROTOCOL §11 item 29)', () => {
    const withInner = { ...BODY, Sign: 'not-a-signature' };
    const opened = openEnvelope(answer(JSON.stringify(withInner), { outerSign: md5Sign(withInner, KEY) }), {
      key: KEY,
      signInBody: true,
    });
    expect(opened.plainBody).toEqual(withInner);
  });

  it('a Sign after the Body that signs the Body without its inner Sign: read, the inner key dropped', () => {
    const opened = openEnvelope(answer(inner(BODY, 'junk'), { outerSign: sign }), { key: KEY, signInBody: true });
    expect(opened.plainBody).toEqual(BODY);
    expect(opened.sign).toBe(sign);
    expect(() => openEnvelope(answer(inner(BODY, 'junk'), { outerSign: sign }), { key: KEY })).toThrow(
      MmspSignatureError,
    );
  });
});
