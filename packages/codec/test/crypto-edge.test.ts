// pureCrypto and payout RSA without Node built-ins: the codec's sources bundled for a neutral
// platform (esbuild maps nothing away: the codec's RSA is its own BigInt code) and run in
// @edge-runtime/vm (no process, no Buffer, no require). Checked against the OpenSSL vectors.
import { EdgeVM } from '@edge-runtime/vm';
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { base64Decode } from '../src/bytes/encoding.js';
import { payoutOpen } from '../src/rsa/payout.js';
import { opensslDecryptSegmented } from './fixtures/openssl.js';
import { ciphertextVectors, signatureVectors, vectorKeys } from './fixtures/provider-vectors.js';

let vm: EdgeVM;

beforeAll(async () => {
  const out = await build({
    // Only this suite's modules (and what they import), so that sibling modules in flux do not matter.
    stdin: {
      contents: ['bytes/encoding', 'rsa/pure', 'rsa/payout', 'rsa/keygen', 'time', 'ids']
        .map((m) => `export * from './${m}.js';`)
        .join('\n'),
      resolveDir: fileURLToPath(new URL('../src/', import.meta.url)),
      loader: 'ts',
    },
    bundle: true,
    write: false,
    platform: 'neutral',
    format: 'iife',
    globalName: 'codec',
    logLevel: 'silent',
  });
  vm = new EdgeVM();
  vm.evaluate(out.outputFiles[0]!.text);
});

const run = <T>(fn: string, input: unknown): T => vm.evaluate(`(${fn})(codec, ${JSON.stringify(input)})`) as T;

describe('pureCrypto in an edge runtime (no Node built-ins)', () => {
  it('really has no process, Buffer or require there', () => {
    expect(vm.evaluate('[typeof process, typeof Buffer, typeof require].join()')).toBe('undefined,undefined,undefined');
  });

  it('signs like openssl and decrypts openssl ciphertexts', () => {
    const sig = signatureVectors.filter((v) => v.key === 'merchant');
    const ct = ciphertextVectors.filter((v) => v.key === 'merchant');
    const got = run<{ sigs: string[]; plains: string[] }>(
      `(c, x) => ({
        sigs: x.sig.map((v) => c.base64Encode(c.sha1WithRsaSign(c.base64Decode(v.data), x.keys.pkcs1))),
        plains: x.ct.map((v) => c.base64Encode(c.rsaDecryptSegmented(c.base64Decode(v.ciphertext), x.keys.pkcs8))),
      })`,
      { sig, ct, keys: vectorKeys.merchant },
    );
    expect(got.sigs).toEqual(sig.map((v) => v.signature));
    expect(got.plains).toEqual(ct.map((v) => v.data));
  });

  it('seals a payout that openssl decrypts, and makes keys, ids and China time there', () => {
    const plain = { ORDERNO: '20171121170001', ACCNAME: '张三', MEMO: '代付'.repeat(50) };
    const got = run<{
      sealed: { ENCRYPT: string; SIGN: string };
      text: string;
      kp: { privateKeyPem: string; publicKeyPem: string };
      t: string;
      id: string;
      r: string;
    }>(
      `(c, x) => ({
        sealed: c.payoutSeal(x.plain, { platformPublicKey: x.platform, merchantPrivateKey: x.merchant }),
        text: c.payoutPlaintext(x.plain),
        kp: c.generateRsaKeyPair(1024),
        t: c.chinaTime(new Date(0)), id: c.newOrderNo('payout'), r: c.randStr('scan'),
      })`,
      { plain, platform: vectorKeys.platform.spki, merchant: vectorKeys.merchant.pkcs8 },
    );
    expect(
      opensslDecryptSegmented(vectorKeys.platform.pkcs8, base64Decode(got.sealed.ENCRYPT), 128).toString('utf8'),
    ).toBe(got.text);
    expect(
      payoutOpen(got.sealed, {
        merchantPrivateKey: vectorKeys.platform.pkcs8,
        platformPublicKey: vectorKeys.merchant.spki,
      }),
    ).toMatchObject({
      data: plain,
      signatureChecked: true,
    });
    const fromEdgeKeys = run<{ ENCRYPT: string; SIGN: string }>(
      `(c, x) => c.payoutSeal('{"A":"1"}', { platformPublicKey: x.publicKeyPem, merchantPrivateKey: x.privateKeyPem })`,
      got.kp,
    );
    expect(opensslDecryptSegmented(got.kp.privateKeyPem, base64Decode(fromEdgeKeys.ENCRYPT), 128).toString()).toBe(
      '{"A":"1"}',
    );
    expect(got.t).toBe('19700101080000');
    expect(got.id).toMatch(/^\d{24}$/);
    expect(got.r).toMatch(/^[0-9A-Za-z]{20}$/);
  });
});
