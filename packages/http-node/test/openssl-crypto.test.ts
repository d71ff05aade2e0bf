/**
 * The OpenSSL provider gives the same bytes as the codec's pure provider (issue #5): MD5 and
 * SHA1withRSA are deterministic, so equal bytes; PKCS#1 v1.5 encryption is randomised, so each
 * provider decrypts the other's ciphertext to the original plaintext.
 */
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pureCrypto, rsaDecryptSegmentedWith, rsaEncryptSegmentedWith, sha1WithRsaSignWith } from '@mmsp/codec';
import { opensslCrypto } from '../src/openssl-crypto.js';

const pair = generateKeyPairSync('rsa', { modulusLength: 1024 });
const keys = {
  pkcs8: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  pkcs1: pair.privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
  spki: pair.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  pkcs1Public: pair.publicKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
};
const bareBase64 = (pem: string) => pem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');
const bytes = (max: number) => fc.uint8Array({ minLength: 0, maxLength: max });
const u8 = (x: Uint8Array) => Array.from(x);

describe('opensslCrypto is byte-identical to pureCrypto', () => {
  it('md5', () => {
    fc.assert(
      fc.property(bytes(4096), (data) => {
        expect(u8(opensslCrypto.md5(data))).toEqual(u8(pureCrypto.md5(data)));
      }),
      { numRuns: 500 },
    );
  });

  it('SHA1withRSA signatures, for PKCS#8, PKCS#1 and bare base64 private keys', async () => {
    const forms = [keys.pkcs8, keys.pkcs1, bareBase64(keys.pkcs8), `${keys.pkcs8.replace(/\n/g, '\\n')}`];
    await fc.assert(
      fc.asyncProperty(bytes(2048), fc.constantFrom(...forms), async (data, key) => {
        const mine = await opensslCrypto.sha1WithRsaSign(key, data);
        expect(u8(mine)).toEqual(u8(pureCrypto.sha1WithRsaSign(key, data)));
        expect(await opensslCrypto.sha1WithRsaVerify(keys.spki, data, mine)).toBe(true);
        expect(pureCrypto.sha1WithRsaVerify(keys.pkcs1Public, data, mine)).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it('verification agrees on valid, altered and wrong-length signatures', async () => {
    await fc.assert(
      fc.asyncProperty(bytes(512), fc.nat(127), fc.integer({ min: 1, max: 255 }), async (data, at, flip) => {
        const sig = pureCrypto.sha1WithRsaSign(keys.pkcs8, data);
        const bad = Uint8Array.from(sig);
        bad[at] = bad[at]! ^ flip;
        for (const [s, expected] of [
          [sig, true],
          [bad, false],
          [sig.subarray(1), false],
        ] as const) {
          expect(await opensslCrypto.sha1WithRsaVerify(keys.spki, data, s)).toBe(expected);
          expect(pureCrypto.sha1WithRsaVerify(keys.spki, data, s)).toBe(expected);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('RSA PKCS#1 v1.5: each provider decrypts the other (one block and segmented)', async () => {
    await fc.assert(
      fc.asyncProperty(bytes(117), async (block) => {
        const byOpenssl = await opensslCrypto.rsaEncryptBlock(keys.spki, block);
        expect(byOpenssl).toHaveLength(128);
        expect(u8(pureCrypto.rsaDecryptBlock(keys.pkcs8, byOpenssl))).toEqual(u8(block));
        const byPure = pureCrypto.rsaEncryptBlock(keys.pkcs1Public, block);
        expect(u8(await opensslCrypto.rsaDecryptBlock(keys.pkcs1, byPure))).toEqual(u8(block));
      }),
      { numRuns: 100 },
    );
    await fc.assert(
      fc.asyncProperty(bytes(1000), async (plain) => {
        const cipher = await rsaEncryptSegmentedWith(opensslCrypto, plain, keys.spki);
        expect(u8(await rsaDecryptSegmentedWith(pureCrypto, cipher, keys.pkcs8))).toEqual(u8(plain));
        const back = await rsaEncryptSegmentedWith(pureCrypto, plain, keys.spki);
        expect(u8(await rsaDecryptSegmentedWith(opensslCrypto, back, keys.pkcs8))).toEqual(u8(plain));
      }),
      { numRuns: 30 },
    );
  });

  it('rejects the same bad inputs with the same errors, never printing key material', async () => {
    const cases: [string, () => unknown, () => unknown][] = [
      [
        'block too long',
        () => opensslCrypto.rsaEncryptBlock(keys.spki, new Uint8Array(118)),
        () => pureCrypto.rsaEncryptBlock(keys.spki, new Uint8Array(118)),
      ],
      [
        'swapped keys',
        () => opensslCrypto.sha1WithRsaSign(keys.spki, new Uint8Array(1)),
        () => pureCrypto.sha1WithRsaSign(keys.spki, new Uint8Array(1)),
      ],
      [
        'not a key',
        () => opensslCrypto.rsaEncryptBlock('hello', new Uint8Array(1)),
        () => pureCrypto.rsaEncryptBlock('hello', new Uint8Array(1)),
      ],
      [
        'wrong block size',
        () => opensslCrypto.rsaDecryptBlock(keys.pkcs8, new Uint8Array(100)),
        () => pureCrypto.rsaDecryptBlock(keys.pkcs8, new Uint8Array(100)),
      ],
    ];
    for (const [label, mine, theirs] of cases) {
      const a = await Promise.resolve()
        .then(mine)
        .then(
          () => undefined,
          (e: Error) => e,
        );
      const b = await Promise.resolve()
        .then(theirs)
        .then(
          () => undefined,
          (e: Error) => e,
        );
      expect(a, label).toBeInstanceOf(Error);
      expect([a!.constructor.name, a!.message], label).toEqual([b!.constructor.name, b!.message]);
      expect(a!.message).not.toContain(bareBase64(keys.pkcs8).slice(20, 60));
    }
  });

  it('a ciphertext made by the openssl command line decrypts to the same bytes, and its signature verifies', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mmsp-openssl-'));
    writeFileSync(join(dir, 'pub.pem'), keys.spki);
    writeFileSync(join(dir, 'priv.pem'), keys.pkcs8);
    const plain = Buffer.from('{"ORDERNO":"20261126000001","AMT":"100","备注":"代付"}');
    writeFileSync(join(dir, 'plain.bin'), plain);
    const cipher = execFileSync('openssl', [
      'pkeyutl',
      '-encrypt',
      '-pubin',
      '-inkey',
      join(dir, 'pub.pem'),
      '-in',
      join(dir, 'plain.bin'),
      '-pkeyopt',
      'rsa_padding_mode:pkcs1',
    ]);
    expect(Buffer.from(await opensslCrypto.rsaDecryptBlock(keys.pkcs8, cipher)).toString()).toBe(plain.toString());
    const sig = execFileSync('openssl', ['dgst', '-sha1', '-sign', join(dir, 'priv.pem'), join(dir, 'plain.bin')]);
    expect(u8(await sha1WithRsaSignWith(opensslCrypto, plain, keys.pkcs8))).toEqual(u8(sig));
  });

  it('decrypts PKCS#1 v1.5 on this Node without --security-revert (raw RSA + the codec unpadding), refusing bad blocks with the one error', async () => {
    expect(process.execArgv.some((a) => a.includes('security-revert'))).toBe(false);
    const cipher = await opensslCrypto.rsaEncryptBlock(keys.spki, Buffer.from('代付'));
    expect(Buffer.from(await opensslCrypto.rsaDecryptBlock(keys.pkcs1, cipher)).toString()).toBe('代付');
    const altered = Uint8Array.from(cipher);
    altered[5]! ^= 1;
    expect(() => opensslCrypto.rsaDecryptBlock(keys.pkcs8, altered)).toThrow(/not valid PKCS#1 v1.5/);
    expect(() => opensslCrypto.rsaDecryptBlock(keys.pkcs8, new Uint8Array(128).fill(0xff))).toThrow(
      /not valid PKCS#1 v1.5/,
    );
    expect(() => opensslCrypto.rsaDecryptBlock(keys.pkcs8, new Uint8Array(64))).toThrow(/must be 128 bytes/);
  });

  it('randomBytes gives the asked length of fresh bytes as a plain Uint8Array', () => {
    const a = opensslCrypto.randomBytes(32);
    expect(Object.getPrototypeOf(a)).toBe(Uint8Array.prototype);
    expect(a).toHaveLength(32);
    expect(u8(a)).not.toEqual(u8(opensslCrypto.randomBytes(32)));
    expect(() => opensslCrypto.randomBytes(-1)).toThrow(/length must be a non-negative integer/);
  });
});
