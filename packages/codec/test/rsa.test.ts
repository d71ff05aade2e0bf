import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { base64Decode, base64Encode } from '../src/bytes/encoding.js';
import type { CryptoProvider } from '../src/crypto-provider.js';
import { MmspConfigError, MmspEncodingError, MmspSignatureError } from '../src/errors.js';
import { pureCrypto } from '../src/rsa/pure.js';
import {
  payoutOpen,
  payoutOpenWith,
  payoutSeal,
  payoutPlaintext,
  payoutSealWith,
  rsaDecryptSegmented,
  rsaDecryptSegmentedWith,
  rsaEncryptSegmented,
  sha1WithRsaSign,
  sha1WithRsaSignWith,
  sha1WithRsaVerify,
} from '../src/rsa/payout.js';
import { generateRsaKeyPair } from '../src/rsa/keygen.js';
import { rsaKeyToDer, rsaKeyToPem } from '../src/rsa/key.js';
import {
  opensslDecryptSegmented,
  opensslEncryptSegmented,
  opensslSign,
  opensslVerify,
  openssl,
  tmpFile,
} from './fixtures/openssl.js';
import { vectorKeys } from './fixtures/provider-vectors.js';
import { bareBody } from './provider-contract.js';

const merchant = vectorKeys.merchant;
const platform = vectorKeys.platform;
const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
const text = (b: Uint8Array): string => new TextDecoder().decode(b);

// Plaintexts: JSON objects of Chinese / ASCII / emoji strings, sized to cross several 117-byte blocks.
const payoutLike = fc.dictionary(
  fc.constantFrom('ORDERNO', 'ACCNAME', 'MEMO', 'BANKNAME', 'AMT', 'BANKCITY', '备注', 'X'),
  fc.oneof(
    fc.string({ maxLength: 60 }),
    fc.string({ unit: 'grapheme', maxLength: 60 }),
    fc.constantFrom('张三', '招商银行深圳分行', '/\\"'),
  ),
  { maxKeys: 8 },
);

describe('payoutSeal → OpenSSL', () => {
  it('openssl decrypts ENCRYPT block by block and verifies SIGN, for every key form (multi-block Chinese JSON)', () => {
    const keyForms = [
      { platformPublicKey: platform.spki, merchantPrivateKey: merchant.pkcs8 },
      { platformPublicKey: platform.pkcs1Public, merchantPrivateKey: merchant.pkcs1 },
      { platformPublicKey: bareBody(platform.spki), merchantPrivateKey: bareBody(merchant.pkcs8) },
    ];
    fc.assert(
      fc.property(payoutLike, fc.constantFrom(...keyForms), (plain, keys) => {
        const sealed = payoutSeal(plain, keys);
        const cipher = base64Decode(sealed.ENCRYPT);
        const expected = payoutPlaintext(plain);
        expect(JSON.parse(expected)).toEqual(plain);
        expect(cipher.length).toBe(128 * Math.max(1, Math.ceil(utf8(expected).length / 117)));
        expect(opensslDecryptSegmented(platform.pkcs8, cipher, 128).toString('utf8')).toBe(expected);
        expect(opensslVerify(merchant.spki, utf8(expected), base64Decode(sealed.SIGN))).toBe(true);
      }),
      { numRuns: 12 },
    );
  });

  it('plaintexts of every length around the block boundaries (0..470 bytes)', () => {
    for (const n of [0, 1, 116, 117, 118, 234, 235, 351, 352, 470]) {
      const plain = 'a'.repeat(n);
      const sealed = payoutSeal(plain, { platformPublicKey: platform.spki, merchantPrivateKey: merchant.pkcs8 });
      expect(
        opensslDecryptSegmented(platform.pkcs8, base64Decode(sealed.ENCRYPT), 128).toString('utf8'),
        `${n} bytes`,
      ).toBe(plain);
      expect(opensslVerify(merchant.spki, utf8(plain), base64Decode(sealed.SIGN)), `${n} bytes`).toBe(true);
    }
  });

  it('SIGN is deterministic and equals openssl dgst -sha1 -sign', () => {
    const plain = JSON.stringify({ ORDERNO: '20171121170001', ACCNAME: '张三', AMT: '100' });
    const sealed = payoutSeal(plain, { platformPublicKey: platform.spki, merchantPrivateKey: merchant.pkcs1 });
    expect(sealed.SIGN).toBe(opensslSign(merchant.pkcs8, utf8(plain)).toString('base64'));
    expect(
      payoutSeal(plain, { platformPublicKey: platform.spki, merchantPrivateKey: merchant.pkcs8 }).ENCRYPT,
    ).not.toBe(sealed.ENCRYPT);
  });

  it('a 2048-bit key takes 245-byte chunks (k − 11)', () => {
    const plain = utf8('z'.repeat(246));
    const cipher = rsaEncryptSegmented(plain, vectorKeys.big.spki);
    expect(cipher.length).toBe(512);
    expect(opensslDecryptSegmented(vectorKeys.big.pkcs8, cipher, 256).toString('utf8')).toBe('z'.repeat(246));
  });
});

describe('payoutPlaintext', () => {
  it('is the codec wire JSON: key order kept, PHP escaping, bigint digits, clear errors', () => {
    expect(
      payoutPlaintext({ ORDERNO: '20171121170001', ACCNAME: '张三', MEMO: 'a/b', AMT: 100, BIG: 123456789012345678n }),
    ).toBe('{"ORDERNO":"20171121170001","ACCNAME":"张三","MEMO":"a\\/b","AMT":100,"BIG":123456789012345678}');
    expect(() =>
      payoutSeal({ ACCNAME: 'a\ud800' }, { platformPublicKey: platform.spki, merchantPrivateKey: merchant.pkcs8 }),
    ).toThrow(MmspEncodingError);
    expect(() =>
      payoutSeal({ AMT: Number.NaN }, { platformPublicKey: platform.spki, merchantPrivateKey: merchant.pkcs8 }),
    ).toThrow(MmspEncodingError);
  });

  it('a response plaintext is decoded losslessly (int64 stays exact)', () => {
    const sealed = payoutSeal('{"BALANCE":9007199254740993,"X":"1"}', {
      platformPublicKey: merchant.spki,
      merchantPrivateKey: platform.pkcs8,
    });
    expect(payoutOpen(sealed, { merchantPrivateKey: merchant.pkcs8 }).data).toEqual({
      BALANCE: 9007199254740993n,
      X: '1',
    });
  });
});

describe('OpenSSL → payoutOpen', () => {
  it('decrypts what openssl encrypts and verifies what openssl signs (multi-block Chinese JSON)', () => {
    fc.assert(
      fc.property(
        payoutLike,
        fc.constantFrom(merchant.pkcs8, merchant.pkcs1, bareBody(merchant.pkcs1)),
        (data, merchantPrivateKey) => {
          const plain = JSON.stringify({ PAYSTATE: '2', ...data });
          const bytes = utf8(plain);
          const response = JSON.stringify({
            RETCODE: '0000',
            RETMSG: '成功',
            ENCRYPT: opensslEncryptSegmented(merchant.spki, bytes, 128).toString('base64'),
            SIGN: opensslSign(platform.pkcs8, bytes).toString('base64'),
          });
          const opened = payoutOpen(response, { merchantPrivateKey, platformPublicKey: platform.pkcs1Public });
          expect(opened).toEqual({
            RETCODE: '0000',
            message: '成功',
            plaintext: plain,
            data: JSON.parse(plain),
            signatureChecked: true,
          });
        },
      ),
      { numRuns: 10 },
    );
  });

  it('flags a SIGN that openssl made over different text, and any flipped bit of SIGN', () => {
    const plain = '{"PAYSTATE":"1","ORDERNO":"20171121170001"}';
    const ENCRYPT = opensslEncryptSegmented(merchant.spki, utf8(plain), 128).toString('base64');
    const wrong = opensslSign(platform.pkcs8, utf8(plain.replace('1', '3'))).toString('base64');
    const keys = { merchantPrivateKey: merchant.pkcs8, platformPublicKey: platform.spki };
    expect(() => payoutOpen({ RETCODE: '0000', ENCRYPT, SIGN: wrong }, keys)).toThrow(MmspSignatureError);
    const good = opensslSign(platform.pkcs8, utf8(plain));
    for (const index of [0, 64, 127]) {
      const bad = Buffer.from(good);
      bad[index]! ^= 0x10;
      expect(
        () => payoutOpen({ RETCODE: '0000', ENCRYPT, SIGN: bad.toString('base64') }, keys),
        `byte ${index}`,
      ).toThrow(MmspSignatureError);
    }
    expect(payoutOpen({ RETCODE: '0000', ENCRYPT, SIGN: good.toString('base64') }, keys).signatureChecked).toBe(true);
  });
});

describe('payoutOpen: the response shapes of the document', () => {
  const keys = { merchantPrivateKey: merchant.pkcs8, platformPublicKey: platform.spki };
  const sealedFor = (plain: string) =>
    payoutSeal(plain, { platformPublicKey: merchant.spki, merchantPrivateKey: platform.pkcs8 });

  it('an error answer without ENCRYPT opens with its code and message, whichever spelling', () => {
    expect(payoutOpen('{"RETCODE":"1008","RETMSG":"订单号重复"}', keys)).toEqual({
      RETCODE: '1008',
      message: '订单号重复',
      plaintext: undefined,
      data: undefined,
      signatureChecked: false,
    });
    expect(payoutOpen({ RETCODE: '0001', REMSG: '处理中' }, keys).message).toBe('处理中');
    expect(payoutOpen({ RETCODE: '0000', RETMMSG: '成功', ENCRYPT: '' }, keys).message).toBe('成功');
  });

  it('takes RETCODE from the decrypted data when the outer JSON lacks it; leaves data undefined for non-object text', () => {
    const opened = payoutOpen(sealedFor('{"RETCODE":"0000","RETMSG":"ok","BALANCE":"100"}'), keys);
    expect(opened).toMatchObject({ RETCODE: '0000', message: 'ok', data: { BALANCE: '100' }, signatureChecked: true });
    expect(payoutOpen(sealedFor('not json'), keys)).toMatchObject({ plaintext: 'not json', data: undefined });
  });

  it('without a platform public key, or without SIGN, the signature is not checked (requireSignature makes that an error)', () => {
    const sealed = sealedFor('{"A":"1"}');
    expect(payoutOpen(sealed, { merchantPrivateKey: merchant.pkcs8 }).signatureChecked).toBe(false);
    expect(payoutOpen({ ENCRYPT: sealed.ENCRYPT }, keys).signatureChecked).toBe(false);
    expect(() => payoutOpen({ ENCRYPT: sealed.ENCRYPT }, { ...keys, requireSignature: true })).toThrow(
      MmspSignatureError,
    );
  });

  it('a flipped bit in ENCRYPT is a clear decryption error naming the block', () => {
    const sealed = sealedFor('x'.repeat(300));
    const cipher = base64Decode(sealed.ENCRYPT);
    for (const index of [3, 200, cipher.length - 1]) {
      const bad = cipher.slice();
      bad[index]! ^= 1;
      expect(() => payoutOpen({ ...sealed, ENCRYPT: base64Encode(bad) }, keys), `byte ${index}`).toThrow(
        new RegExp(`payout response ENCRYPT: block ${Math.floor(index / 128) + 1} of 3: RSA decryption failed`),
      );
    }
  });

  it('a truncated ENCRYPT or one for another key says so', () => {
    const sealed = sealedFor('{"A":"1"}');
    const cipher = base64Decode(sealed.ENCRYPT);
    expect(() => payoutOpen({ ENCRYPT: base64Encode(cipher.subarray(0, 100)) }, keys)).toThrow(
      /100 bytes is not a whole number of 128-byte blocks/,
    );
    expect(() => payoutOpen(sealed, { merchantPrivateKey: platform.pkcs8 })).toThrow(MmspEncodingError);
    expect(() => payoutOpen({ ENCRYPT: 'not*base64' }, keys)).toThrow(/ENCRYPT: invalid base64/);
    expect(() => payoutOpen('<html>', keys)).toThrow(/payout response: not JSON/);
  });
});

describe('keys', () => {
  it('names the swapped or unusable key and never prints its material', () => {
    const encrypted = openssl([
      'pkcs8',
      '-topk8',
      '-v2',
      'aes-256-cbc',
      '-passout',
      'pass:secret',
      '-in',
      tmpFile(merchant.pkcs8),
    ]).toString();
    expect(() => payoutOpen({ ENCRYPT: 'AAAA' }, { merchantPrivateKey: encrypted })).toThrow(
      /merchantPrivateKey: password-protected keys are not supported/,
    );
    const attempts: [() => unknown, string][] = [
      [
        () => payoutSeal({ A: 1 }, { platformPublicKey: merchant.pkcs8, merchantPrivateKey: merchant.pkcs8 }),
        'platformPublicKey',
      ],
      [
        () => payoutSeal({ A: 1 }, { platformPublicKey: platform.spki, merchantPrivateKey: platform.spki }),
        'merchantPrivateKey',
      ],
      [
        () => payoutSeal({ A: 1 }, { platformPublicKey: bareBody(merchant.pkcs8), merchantPrivateKey: merchant.pkcs8 }),
        'platformPublicKey',
      ],
      [() => payoutSeal({ A: 1 }, { platformPublicKey: platform.spki, merchantPrivateKey: '' }), 'merchantPrivateKey'],
      [() => payoutOpen({ ENCRYPT: 'AAAA' }, { merchantPrivateKey: encrypted }), 'merchantPrivateKey'],
      [() => sha1WithRsaSign('x', merchant.pkcs8.slice(0, 200) + '\n-----END PRIVATE KEY-----'), 'privateKey'],
    ];
    for (const [attempt, field] of attempts) {
      let error: unknown;
      try {
        attempt();
      } catch (e) {
        error = e;
      }
      expect(error, field).toBeInstanceOf(MmspConfigError);
      expect((error as MmspConfigError).issues[0]!.field, field).toBe(field);
      const message = (error as Error).message;
      expect(message).toContain(field);
      for (const pem of [merchant.pkcs8, platform.spki]) {
        const body = bareBody(pem);
        for (let at = 0; at + 12 <= body.length; at += 12) expect(message).not.toContain(body.slice(at, at + 12));
      }
    }
  });

  it('accepts PEM with CRLF, indentation or literal \\n escapes (keys pasted into environment variables)', () => {
    const plain = '{"A":"张三"}';
    const crlf = merchant.pkcs8.replace(/\n/g, '\r\n');
    const escaped = platform.spki.trim().replace(/\n/g, '\\n');
    const sealed = payoutSeal(plain, { platformPublicKey: escaped, merchantPrivateKey: `  ${crlf}  ` });
    expect(opensslDecryptSegmented(platform.pkcs8, base64Decode(sealed.ENCRYPT), 128).toString('utf8')).toBe(plain);
    expect(sha1WithRsaVerify(plain, sealed.SIGN, merchant.spki)).toBe(true);
  });

  it('rsaKeyToDer / rsaKeyToPem give the PKCS#8 / SPKI bytes openssl writes, from every accepted form', () => {
    const pkcs8Der = openssl(['pkcs8', '-topk8', '-nocrypt', '-in', tmpFile(merchant.pkcs1), '-outform', 'DER']);
    const spkiDer = openssl(['pkey', '-pubin', '-in', tmpFile(merchant.spki), '-outform', 'DER']);
    const cert = openssl([
      'req',
      '-new',
      '-x509',
      '-key',
      tmpFile(merchant.pkcs8),
      '-subj',
      '/CN=mmsp-test',
      '-days',
      '1',
    ]).toString();
    for (const form of [
      merchant.pkcs8,
      merchant.pkcs1,
      bareBody(merchant.pkcs1),
      merchant.pkcs1.replace(/\n/g, '\\n'),
    ]) {
      expect(Buffer.from(rsaKeyToDer(form, 'private')).equals(pkcs8Der)).toBe(true);
    }
    for (const form of [merchant.spki, merchant.pkcs1Public, bareBody(merchant.pkcs1Public), cert]) {
      expect(Buffer.from(rsaKeyToDer(form, 'public')).equals(spkiDer)).toBe(true);
    }
    expect(rsaKeyToPem(merchant.pkcs1, 'private')).toBe(openssl(['pkey', '-in', tmpFile(merchant.pkcs1)]).toString());
    expect(rsaKeyToPem(bareBody(merchant.pkcs1Public), 'public')).toBe(merchant.spki);
    expect(sha1WithRsaVerify('x', sha1WithRsaSign('x', merchant.pkcs8), cert)).toBe(true); // a certificate works as the platform key
    expect(() => rsaKeyToDer(merchant.spki, 'private')).toThrow(
      /privateKey: PEM type "PUBLIC KEY" is not accepted here/,
    );
  });

  it('generateRsaKeyPair gives PKCS#8 / SPKI keys that openssl reads and uses', () => {
    const { privateKeyPem, publicKeyPem } = generateRsaKeyPair();
    expect(privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n[\s\S]+\n-----END PRIVATE KEY-----\n?$/);
    expect(publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----\n[\s\S]+\n-----END PUBLIC KEY-----\n?$/);
    expect(openssl(['pkey', '-in', tmpFile(privateKeyPem), '-check', '-noout']).toString()).toContain('valid');
    expect(openssl(['rsa', '-pubin', '-in', tmpFile(publicKeyPem), '-text', '-noout']).toString()).toMatch(
      /Public-Key: \(1024 bit\)[\s\S]*Exponent: 65537/,
    );
    const plain = '{"ORDERNO":"1"}';
    const sealed = payoutSeal(plain, { platformPublicKey: publicKeyPem, merchantPrivateKey: privateKeyPem });
    expect(opensslDecryptSegmented(privateKeyPem, base64Decode(sealed.ENCRYPT), 128).toString()).toBe(plain);
    expect(opensslVerify(publicKeyPem, utf8(plain), base64Decode(sealed.SIGN))).toBe(true);
    expect(() => generateRsaKeyPair(1001)).toThrow(/bits: must be a multiple of 8/);
  });
});

describe('…With(provider) forms', () => {
  // An asynchronous provider (as Web Crypto is) built on the pure one.
  const asyncPure: CryptoProvider = {
    name: 'async-pure',
    md5: pureCrypto.md5,
    randomBytes: pureCrypto.randomBytes,
    rsaEncryptBlock: async (k, b) => pureCrypto.rsaEncryptBlock(k, b),
    rsaDecryptBlock: async (k, b) => pureCrypto.rsaDecryptBlock(k, b),
    sha1WithRsaSign: async (k, d) => pureCrypto.sha1WithRsaSign(k, d),
    sha1WithRsaVerify: async (k, d, s) => pureCrypto.sha1WithRsaVerify(k, d, s),
  };

  it('seal/open through an async provider equal the sync forms, and openssl agrees', async () => {
    const plain = { ORDERNO: '20171121170001', MEMO: '代付'.repeat(60) };
    const keys = { platformPublicKey: platform.spki, merchantPrivateKey: merchant.pkcs8 };
    const sealed = await payoutSealWith(asyncPure, plain, keys);
    expect(sealed.SIGN).toBe(payoutSeal(plain, keys).SIGN);
    expect(opensslDecryptSegmented(platform.pkcs8, base64Decode(sealed.ENCRYPT), 128).toString()).toBe(
      payoutPlaintext(plain),
    );
    const opened = await payoutOpenWith(asyncPure, sealed, {
      merchantPrivateKey: platform.pkcs1,
      platformPublicKey: merchant.pkcs1Public,
    });
    expect(opened.data).toEqual(plain);
    expect(opened.signatureChecked).toBe(true);
    expect(text(await rsaDecryptSegmentedWith(asyncPure, base64Decode(sealed.ENCRYPT), platform.pkcs8))).toBe(
      payoutPlaintext(plain),
    );
    expect(base64Encode(await sha1WithRsaSignWith(asyncPure, payoutPlaintext(plain), merchant.pkcs8))).toBe(
      sealed.SIGN,
    );
    await expect(
      payoutOpenWith(
        asyncPure,
        { ...sealed, SIGN: payoutSeal('other', keys).SIGN },
        { merchantPrivateKey: platform.pkcs8, platformPublicKey: merchant.spki },
      ),
    ).rejects.toThrow(MmspSignatureError);
    await expect(payoutSealWith(asyncPure, plain, { ...keys, platformPublicKey: 'nonsense' })).rejects.toThrow(
      /platformPublicKey: neither PEM/,
    );
  });

  it('rsaDecryptSegmented refuses a length that is not a multiple of the block', () => {
    expect(() => rsaDecryptSegmented(new Uint8Array(129), merchant.pkcs8)).toThrow(
      /129 bytes is not a whole number of 128-byte blocks/,
    );
    expect(() => rsaDecryptSegmented(new Uint8Array(0), merchant.pkcs8)).toThrow(MmspEncodingError);
  });
});

describe('PKCS#1 v1.5 padding checks agree with OpenSSL', () => {
  // Raw RSA (no padding) by openssl over hand-built encryption blocks EM = 00 02 PS 00 M.
  const rawEncrypt = (em: Uint8Array): Uint8Array =>
    new Uint8Array(
      openssl([
        'pkeyutl',
        '-encrypt',
        '-pubin',
        '-inkey',
        tmpFile(merchant.spki),
        '-pkeyopt',
        'rsa_padding_mode:none',
        '-in',
        tmpFile(em),
      ]),
    );
  // OpenSSL ≥ 3.2 answers bad padding with a random plaintext (implicit rejection) unless told not to;
  // 3.0 does not know the option. Use it when this openssl accepts it.
  let implicitOff: string[] | undefined;
  const decryptArgs = (cipher: Uint8Array, extra: string[]) => [
    'pkeyutl',
    '-decrypt',
    '-inkey',
    tmpFile(merchant.pkcs8),
    '-pkeyopt',
    'rsa_padding_mode:pkcs1',
    ...extra,
    '-in',
    tmpFile(cipher),
  ];
  const opensslAccepts = (cipher: Uint8Array): boolean => {
    if (!implicitOff) {
      const valid = pureCrypto.rsaEncryptBlock(merchant.spki, Uint8Array.of(1, 2, 3));
      const off = ['-pkeyopt', 'rsa_pkcs1_implicit_rejection:0'];
      try {
        openssl(decryptArgs(valid, off));
        implicitOff = off;
      } catch {
        implicitOff = [];
      }
    }
    try {
      openssl(decryptArgs(cipher, implicitOff));
      return true;
    } catch {
      return false;
    }
  };
  const block = (type: number, psLength: number, separator = true): Uint8Array => {
    const em = new Uint8Array(128).fill(0x5a);
    em[0] = 0;
    em[1] = type;
    if (separator) em[2 + psLength] = 0;
    return em;
  };

  it('PS of 8 bytes is accepted, 7 is refused; no separator or a wrong block type is refused', () => {
    const cases: [string, Uint8Array, boolean][] = [
      ['PS 8', block(2, 8), true],
      ['PS 100', block(2, 100), true],
      ['PS 7', block(2, 7), false],
      ['PS 0', block(2, 0), false],
      ['no separator', block(2, 0, false), false],
      ['block type 1', block(1, 20), false],
    ];
    for (const [name, em, ok] of cases) {
      const cipher = rawEncrypt(em);
      expect(opensslAccepts(cipher), `openssl: ${name}`).toBe(ok);
      if (ok) expect(pureCrypto.rsaDecryptBlock(merchant.pkcs8, cipher), name).toEqual(em.slice(em.indexOf(0, 2) + 1));
      else expect(() => pureCrypto.rsaDecryptBlock(merchant.pkcs8, cipher), name).toThrow(/not valid PKCS#1 v1.5/);
    }
  });
});
