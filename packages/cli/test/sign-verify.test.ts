// mmsp sign / verify: the signing string and signature are the codec's (the codec is not under
// test here; its PHP vectors live in @mmsp/codec), printed in the documented shapes, from a file,
// stdin or an envelope; options map to SignOptions; exit codes 0 / 1 / 64.
import { buildEnvelope, md5Sign, signingString } from '@mmsp/codec';
import { describe, expect, it } from 'vitest';
import { KEY, mmsp, tempDir, write } from './helpers.js';

const dir = tempDir();
// Slashes, Chinese, a number, a nested object, an int64 beyond 2^53 written as text in the file.
const TEXT =
  '{"NOTIFY_URL":"http://shop.example/n","GOODSNAME":"测试商品","AMT":"100","N":5,"X":{"b":1,"a":[1,2]},"BIG":123456789012345678}';
const body = write(dir, 'body.json', `${TEXT}\n`);

describe('mmsp sign', () => {
  it('prints the signing string, then the signature alone on the last line', () => {
    const r = mmsp(['sign', '--key', KEY, body]);
    expect(r.status).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toEqual([signingString(TEXT), md5Sign(TEXT, KEY)]);
    expect(lines[0]).toContain('123456789012345678'); // lossless int64
    expect(lines[0]).toContain('http:\\/\\/shop.example\\/n');
  });

  it('reads stdin with -, and --json gives { signingString, sign }', () => {
    const r = mmsp(['sign', '--key', KEY, '--json', '-'], { input: TEXT });
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ signingString: signingString(TEXT), sign: md5Sign(TEXT, KEY) });
  });

  it('--unescaped-slashes and --escape-unicode map to SignOptions', () => {
    const a = JSON.parse(mmsp(['sign', '--key', KEY, '--json', '--unescaped-slashes', body]).stdout);
    expect(a).toEqual({
      signingString: signingString(TEXT, { escapeSlashes: false }),
      sign: md5Sign(TEXT, KEY, { escapeSlashes: false }),
    });
    const b = JSON.parse(mmsp(['sign', '--key', KEY, '--json', '--escape-unicode', body]).stdout);
    expect(b).toEqual({
      signingString: signingString(TEXT, { escapeUnicode: true }),
      sign: md5Sign(TEXT, KEY, { escapeUnicode: true }),
    });
    expect(a.sign).not.toBe(b.sign);
  });

  it('takes the key from --key-file or MMSP_KEY', () => {
    const keyFile = write(dir, 'md5.key', `${KEY}\n`);
    expect(mmsp(['sign', '--key-file', keyFile, body]).stdout.trimEnd().split('\n').at(-1)).toBe(md5Sign(TEXT, KEY));
    expect(
      mmsp(['sign', body], { env: { MMSP_KEY: KEY } })
        .stdout.trimEnd()
        .split('\n')
        .at(-1),
    ).toBe(md5Sign(TEXT, KEY));
  });

  it('signs the Body of a whole envelope, and a Body sent as a JSON string', () => {
    const env = buildEnvelope({
      family: 'scan',
      commandId: 2310,
      seqId: 1,
      merchantNo: '001440353999853',
      terminalNo: '84970001',
      key: KEY,
      body: { MERORDERID: '1', AMT: '100' },
    });
    const r = mmsp(['sign', '--key', KEY, '--json', '-'], { input: env.text });
    expect(JSON.parse(r.stdout)).toEqual({ signingString: env.signingString, sign: env.sign });
    const asString = mmsp(['sign', '--key', KEY, '--json', '-'], {
      input: JSON.stringify(JSON.stringify({ MERORDERID: '1', AMT: '100' })),
    });
    expect(JSON.parse(asString.stdout).sign).toBe(env.sign);
  });

  it("reads the gateway's browser form, web_api=<urlencoded envelope> (PROTOCOL §1)", () => {
    const env = buildEnvelope({
      family: 'gateway',
      commandId: 2322,
      seqId: 1,
      merchantNo: '001440353999853',
      terminalNo: '84970001',
      key: KEY,
      body: { MERORDERID: 'G1', AMT: '100', JUMP_URL: 'http://shop.example/return?a=1&b=2', GOODSNAME: '书' },
    });
    const form = new URLSearchParams({ web_api: env.text }).toString();
    const r = mmsp(['sign', '--key', KEY, '-'], { input: form });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`${env.signingString}\n${env.sign}\n`);
    expect(r.stderr).toMatch(/gateway form/);
    expect(mmsp(['verify', '--key', KEY, '-'], { input: form }).status).toBe(0);
    expect(mmsp(['doctor', '--key', KEY, '-'], { input: form }).status).toBe(0);
  });

  it('refuses bad input with one line on stderr and exit 64, never echoing the key', () => {
    for (const [args, input, words] of [
      [['sign', '--key', KEY, '-'], '{"A":', /not JSON/],
      [['sign', '--key', KEY, '-'], '"just text"', /not JSON|must be a JSON object/],
      [['sign', '--key', KEY, '-'], '[1,', /not JSON/],
      [['sign', '--key', KEY, '-'], '', /empty/],
      [['sign', '--key', KEY, 'missing.json'], '', /cannot read Body "missing.json": no such file/],
      [['sign', '-'], '{}', /MD5 key is required/],
      [['sign', '--key', KEY], '', /give a Body file/],
    ] as [string[], string, RegExp][]) {
      const r = mmsp(args, { input, cwd: dir });
      expect(r.status, args.join(' ')).toBe(64);
      expect(r.stderr).toMatch(words);
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(r.stderr).not.toContain(KEY);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(r.stdout).toBe('');
    }
  });

  it('rejects invalid UTF-8 (PHP would)', () => {
    const r = mmsp(['sign', '--key', KEY, '-'], {
      input: new Uint8Array([0x7b, 0x22, 0x41, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]),
    });
    expect(r.status).toBe(64);
    expect(r.stderr).toMatch(/not valid UTF-8/);
  });
});

describe('mmsp verify', () => {
  const sign = md5Sign(TEXT, KEY);

  it('exit 0 when --sign matches (any hex case), 1 when it does not', () => {
    const ok = mmsp(['verify', '--key', KEY, '--sign', sign, body]);
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain('OK: the signature matches');
    expect(mmsp(['verify', '--key', KEY, '--sign', sign.toLowerCase(), body]).status).toBe(0);
    const other = md5Sign(TEXT, KEY, { escapeSlashes: false });
    const bad = mmsp(['verify', '--key', KEY, '--sign', other, body]);
    expect(bad.status).toBe(1);
    expect(bad.stdout).toContain('MISMATCH');
    expect(bad.stdout).toContain('mmsp doctor');
  });

  it('--json gives { match, signingString, sign }', () => {
    const r = mmsp(['verify', '--key', KEY, '--json', '--sign', sign, body]);
    expect(JSON.parse(r.stdout)).toEqual({ match: true, signingString: signingString(TEXT), sign });
    const bad = mmsp(['verify', '--key', KEY, '--json', '--sign', md5Sign(TEXT, 'another key'), body]);
    expect(bad.status).toBe(1);
    expect(JSON.parse(bad.stdout)).toEqual({ match: false, signingString: signingString(TEXT), sign });
  });

  it('--unescaped-slashes verifies a signature made that way', () => {
    const s = md5Sign(TEXT, KEY, { escapeSlashes: false });
    expect(mmsp(['verify', '--key', KEY, '--unescaped-slashes', '--sign', s, body]).status).toBe(0);
  });

  it("checks an envelope's own Sign without --sign", () => {
    const env = buildEnvelope({
      family: 'quickPay',
      commandId: 773,
      seqId: 1,
      merchantNo: '001440353999853',
      terminalNo: '84970001',
      key: KEY,
      body: { MERORDERID: 'a/b', AMT: '1' },
    });
    expect(mmsp(['verify', '--key', KEY, '-'], { input: env.text }).status).toBe(0);
    expect(mmsp(['verify', '--key', 'x'.repeat(32), '-'], { input: env.text }).status).toBe(1);
    const r = mmsp(['verify', '--key', KEY, body]);
    expect(r.status).toBe(64);
    expect(r.stderr).toMatch(/--sign SIGN is required/);
  });
});
