// mmsp keygen and payout seal / open against OpenSSL's command line (PROTOCOL §6): the key pair is
// what openssl accepts, what `payout seal` makes openssl decrypts and verifies, and what openssl
// encrypts and signs `payout open` reads.
import { execFileSync } from 'node:child_process';
import { chmodSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mmsp, tempDir, write } from './helpers.js';

const dir = tempDir();
const openssl = (args: string[], input?: Buffer): Buffer =>
  execFileSync('openssl', args, { input, stdio: ['pipe', 'pipe', 'pipe'] });
const mode = (p: string): number => statSync(p).mode & 0o777;

// The platform's side: keys made by openssl (PKCS#8), and the merchant's: made by mmsp keygen.
const platformKey = join(dir, 'platform.key');
const platformPub = join(dir, 'platform.pub');
openssl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:1024', '-out', platformKey]);
openssl(['pkey', '-in', platformKey, '-pubout', '-out', platformPub]);
const keys = join(dir, 'keys');

/** Long enough for two 117-byte blocks, with Chinese (UTF-8 bytes, not characters, count). */
const PLAIN = JSON.stringify({
  VERSION: '1.0',
  CMDID: '4097',
  MERNO: '001440353999853',
  ORDERNO: '20240101000000000001',
  AMT: '100',
  BUSIYPE: '1',
  ACCNAME: '张三',
  BANKNAME: '招商银行',
  REQTIME: '20240101120000',
  NOTIFY_URL: 'http://127.0.0.1/n',
});

describe('mmsp keygen', () => {
  it('writes merchant.key (PKCS#8 PEM, 0600) and merchant.pub (SPKI PEM) that openssl accepts', () => {
    const r = mmsp(['keygen', '--out', keys]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('merchant.key');
    const key = join(keys, 'merchant.key');
    const pub = join(keys, 'merchant.pub');
    expect(mode(key)).toBe(0o600);
    expect(mode(keys)).toBe(0o700);
    expect(readFileSync(key, 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(readFileSync(pub, 'utf8')).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    openssl(['pkey', '-in', key, '-noout']); // throws on a non-zero exit
    expect(openssl(['pkey', '-in', key, '-noout', '-text']).toString()).toMatch(/1024 bit/);
    const derived = openssl(['pkey', '-in', key, '-pubout']).toString();
    expect(derived).toBe(readFileSync(pub, 'utf8'));
  });

  it('refuses to overwrite without --force; --force replaces both and keeps 0600', () => {
    const key = join(keys, 'merchant.key');
    const before = readFileSync(key, 'utf8');
    const r = mmsp(['keygen', '--out', keys]);
    expect(r.status).toBe(64);
    expect(r.stderr).toMatch(/exists; not replacing it \(use --force/);
    expect(readFileSync(key, 'utf8')).toBe(before);
    chmodSync(key, 0o644);
    const f = mmsp(['keygen', '--out', keys, '--force', '--json']);
    expect(f.status).toBe(0);
    expect(JSON.parse(f.stdout)).toEqual({ privateKey: key, publicKey: join(keys, 'merchant.pub') });
    expect(readFileSync(key, 'utf8')).not.toBe(before);
    expect(mode(key)).toBe(0o600);
  });

  it('needs --out', () => {
    const r = mmsp(['keygen']);
    expect(r.status).toBe(64);
    expect(r.stderr).toMatch(/--out is required/);
  });
});

describe('mmsp payout seal / open', () => {
  it('seal: openssl decrypts ENCRYPT (128-byte blocks) and verifies SIGN (SHA1withRSA)', () => {
    const plainFile = write(dir, 'plain.json', `${PLAIN}\n`);
    const r = mmsp([
      'payout',
      'seal',
      '--platform-pub',
      platformPub,
      '--merchant-key',
      join(keys, 'merchant.key'),
      plainFile,
    ]);
    expect(r.status).toBe(0);
    const sealed = JSON.parse(r.stdout) as { ENCRYPT: string; SIGN: string };
    expect(Object.keys(sealed)).toEqual(['ENCRYPT', 'SIGN']);
    const cipher = Buffer.from(sealed.ENCRYPT, 'base64');
    expect(cipher.length).toBe(128 * Math.ceil(Buffer.byteLength(PLAIN) / 117));
    const parts: Buffer[] = [];
    for (let i = 0; i < cipher.length; i += 128) {
      parts.push(
        openssl(
          ['pkeyutl', '-decrypt', '-inkey', platformKey, '-pkeyopt', 'rsa_padding_mode:pkcs1'],
          cipher.subarray(i, i + 128),
        ),
      );
    }
    expect(Buffer.concat(parts).toString('utf8')).toBe(PLAIN);
    const sig = write(dir, 'sig.bin', Buffer.from(sealed.SIGN, 'base64'));
    const data = write(dir, 'data.bin', PLAIN);
    expect(
      openssl(['dgst', '-sha1', '-verify', join(keys, 'merchant.pub'), '-signature', sig, data]).toString(),
    ).toMatch(/Verified OK/);
  });

  it('open: reads a response openssl encrypted and signed; a bad SIGN exits 1; without --platform-pub it is not checked', () => {
    const response = JSON.stringify({
      RETCODE: '0000',
      RETMSG: '成功',
      ORDERNO: '20240101000000000001',
      PAYSTATE: '1',
      AMT: '100',
      REMARK: 'a long enough text to need a second RSA block, 第二块',
    });
    const bytes = Buffer.from(response, 'utf8');
    const blocks: Buffer[] = [];
    for (let i = 0; i < bytes.length; i += 117) {
      blocks.push(
        openssl(
          ['pkeyutl', '-encrypt', '-pubin', '-inkey', join(keys, 'merchant.pub'), '-pkeyopt', 'rsa_padding_mode:pkcs1'],
          bytes.subarray(i, i + 117),
        ),
      );
    }
    expect(blocks.length).toBeGreaterThan(1);
    const data = write(dir, 'response-plain.bin', bytes);
    const sign = openssl(['dgst', '-sha1', '-sign', platformKey, data]).toString('base64');
    const file = write(
      dir,
      'response.json',
      JSON.stringify({
        RETCODE: '0000',
        RETMSG: '成功',
        ENCRYPT: Buffer.concat(blocks).toString('base64'),
        SIGN: sign,
      }),
    );
    const args = ['payout', 'open', '--merchant-key', join(keys, 'merchant.key')];

    const ok = mmsp([...args, '--platform-pub', platformPub, '--json', file]);
    expect(ok.status).toBe(0);
    expect(JSON.parse(ok.stdout)).toEqual({
      RETCODE: '0000',
      message: '成功',
      signature: 'verified',
      plaintext: response,
      data: JSON.parse(response),
    });
    const human = mmsp([...args, '--platform-pub', platformPub, file]);
    expect(human.stdout).toContain('signature: verified');
    expect(human.stdout).toContain(`plaintext: ${response}`);

    const unchecked = mmsp([...args, '--json', file]);
    expect(unchecked.status).toBe(0);
    expect(JSON.parse(unchecked.stdout).signature).toBe('not-checked');

    const otherSign = openssl(['dgst', '-sha1', '-sign', join(keys, 'merchant.key'), data]).toString('base64');
    const forged = write(
      dir,
      'forged.json',
      JSON.stringify({ RETCODE: '0000', ENCRYPT: Buffer.concat(blocks).toString('base64'), SIGN: otherSign }),
    );
    const bad = mmsp([...args, '--platform-pub', platformPub, '--json', forged]);
    expect(bad.status).toBe(1);
    expect(JSON.parse(bad.stdout)).toMatchObject({ signature: 'mismatch', plaintext: response });

    const errorAnswer = write(dir, 'error.json', JSON.stringify({ RETCODE: '1008', RETMSG: '订单号重复' }));
    const e = mmsp([...args, '--platform-pub', platformPub, '--json', errorAnswer]);
    expect(e.status).toBe(0);
    expect(JSON.parse(e.stdout)).toEqual({
      RETCODE: '1008',
      message: '订单号重复',
      signature: 'absent',
      plaintext: null,
      data: null,
    });
  });

  it('seal → open round trip through the binary, with a PKCS#1 merchant key from openssl and stdin', () => {
    const pkcs1 = join(dir, 'merchant-pkcs1.key');
    openssl(['genrsa', '-traditional', '-out', pkcs1, '1024']);
    expect(readFileSync(pkcs1, 'utf8')).toMatch(/BEGIN RSA PRIVATE KEY/);
    const pkcs1Pub = join(dir, 'merchant-pkcs1.pub');
    openssl(['pkey', '-in', pkcs1, '-pubout', '-out', pkcs1Pub]);
    const sealed = mmsp(['payout', 'seal', '--platform-pub', platformPub, '--merchant-key', pkcs1, '-'], {
      input: PLAIN,
    });
    expect(sealed.status).toBe(0);
    // The platform opens the request: its private key decrypts, the merchant's public key verifies.
    const opened = mmsp(['payout', 'open', '--merchant-key', platformKey, '--platform-pub', pkcs1Pub, '--json', '-'], {
      input: sealed.stdout,
    });
    expect(opened.status).toBe(0);
    expect(JSON.parse(opened.stdout)).toMatchObject({ signature: 'verified', plaintext: PLAIN });
  });

  it('bad keys and inputs: one line, exit 64, no key material in the message', () => {
    const notAKey = write(
      dir,
      'not-a-key.pem',
      '-----BEGIN PRIVATE KEY-----\nMIICdglBADAN\n-----END PRIVATE KEY-----\n',
    );
    const plainFile = write(dir, 'plain2.json', PLAIN);
    const cases: [string[], RegExp][] = [
      [['payout', 'seal', '--platform-pub', platformPub, '--merchant-key', notAKey, plainFile], /merchantPrivateKey/],
      [
        [
          'payout',
          'seal',
          '--platform-pub',
          join(keys, 'merchant.key'),
          '--merchant-key',
          join(keys, 'merchant.key'),
          plainFile,
        ],
        /platformPublicKey/,
      ],
      [['payout', 'seal', '--platform-pub', platformPub, plainFile], /--merchant-key FILE is required/],
      [
        [
          'payout',
          'seal',
          '--platform-pub',
          platformPub,
          '--merchant-key',
          join(keys, 'merchant.key'),
          write(dir, 'x.json', 'not json'),
        ],
        /not JSON/,
      ],
      [
        [
          'payout',
          'open',
          '--merchant-key',
          platformKey,
          write(dir, 'r.json', JSON.stringify({ ENCRYPT: Buffer.alloc(128, 1).toString('base64') })),
        ],
        /ENCRYPT/,
      ],
    ];
    const secret = readFileSync(join(keys, 'merchant.key'), 'utf8').split('\n')[1] as string;
    for (const [args, words] of cases) {
      const r = mmsp(args);
      expect(r.status, args.join(' ')).toBe(64);
      expect(r.stderr).toMatch(words);
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(r.stderr).not.toContain(secret);
      expect(r.stderr).not.toContain('MIICdglBADAN');
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });
});
