// CI (needs php-cli): the built `mmsp` against the real PHP computation of PROTOCOL §3 and PHP's
// openssl_* payout code. Expected signatures come from php, never from the codec: sign and verify
// agree with PHP on tricky bodies, doctor names the variant a PHP signer with other json_encode
// flags / a quoted number / a recursive ksort produced, and payout seal/open interoperate with PHP.
// Fails, never skips, without php.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KEY, mmsp, tempDir, write } from './helpers.js';

const dir = tempDir();

function php(code: string, args: string[] = [], input = ''): string {
  try {
    return execFileSync('php', ['-r', code, '--', ...args], { input, encoding: 'utf8' });
  } catch (err) {
    if ((err as { code?: string }).code === 'ENOENT')
      throw new Error('php is not installed: CI installs php-cli (apt-get install -y php-cli)');
    throw err;
  }
}

// $argv[1]: key; $argv[2]: json_encode flags; $argv[3]: 'quote:FIELD' | 'deep' | ''.
const PHP_SIGN = `
$b = json_decode(stream_get_contents(STDIN), true);
$how = $argv[3] ?? '';
if (str_starts_with($how, 'quote:')) { $f = substr($how, 6); $b[$f] = (string)$b[$f]; }
function deep(&$a) { if (!is_array($a)) return; foreach ($a as &$v) deep($v); if (!array_is_list($a)) ksort($a); }
if ($how === 'deep') deep($b);
ksort($b);
echo strtoupper(md5(json_encode($b, (int)$argv[2]) . '&key=' . $argv[1]));
`;
const UNICODE = '256'; // JSON_UNESCAPED_UNICODE
const UNICODE_SLASHES = '320'; // | JSON_UNESCAPED_SLASHES (64)

const BODIES = [
  '{"10":1,"9":2,"A":3,"-1":4,"01":5,"1.5":6}',
  '{"URL":"http://a.example/b?c=d","NAME":"张三\\u2028x","BIG":123456789012345678,"F":1.0,"G":0.00001,"E":{},"L":{"0":"a","1":"b"},"N":5,"X":{"b":1,"a":"/"}}',
  '{"MERORDERID":"2024\\/01","AMT":"100","CTRL":"\\u0001\\t\\u007f","DUP":1,"DUP":2}',
];

describe('mmsp against php-cli', () => {
  BODIES.forEach((text, i) => {
    it(`sign / verify agree with PHP on body ${i + 1}`, () => {
      const file = write(dir, `body${i}.json`, text);
      const expected = php(PHP_SIGN, [KEY, UNICODE], text);
      const r = mmsp(['sign', '--key', KEY, file]);
      expect(r.status).toBe(0);
      expect(r.stdout.trimEnd().split('\n').at(-1)).toBe(expected);
      expect(mmsp(['verify', '--key', KEY, '--sign', expected, file]).status).toBe(0);
      expect(mmsp(['doctor', '--key', KEY, '--sign', expected, file]).status).toBe(0);
      const slashes = php(PHP_SIGN, [KEY, UNICODE_SLASHES], text);
      expect(mmsp(['verify', '--key', KEY, '--unescaped-slashes', '--sign', slashes, file]).status).toBe(0);
      expect(
        mmsp(['verify', '--key', KEY, '--escape-unicode', '--sign', php(PHP_SIGN, [KEY, '0'], text), file]).status,
      ).toBe(0);
    });
  });

  it('doctor names what a PHP signer did differently', () => {
    const text = BODIES[1] as string;
    const file = write(dir, 'doctor.json', text);
    const cases: [string[], string][] = [
      [[KEY, UNICODE_SLASHES], 'unescaped-slashes'],
      [[KEY, '0'], 'escaped-unicode'],
      [[KEY, UNICODE, 'quote:N'], 'quoted-number:N'],
      [[KEY, UNICODE, 'deep'], 'nested-sorted'],
    ];
    for (const [args, variant] of cases) {
      const sign = php(PHP_SIGN, args, text);
      const r = mmsp(['doctor', '--key', KEY, '--sign', sign, '--json', file]);
      expect(r.status, variant).toBe(1);
      expect((JSON.parse(r.stdout) as { match: { variant: string } }).match.variant).toBe(variant);
    }
  });

  it('payout: what mmsp seals PHP opens and verifies; what PHP seals mmsp opens and verifies', () => {
    const merchant = join(dir, 'merchant');
    const platform = join(dir, 'platform');
    expect(mmsp(['keygen', '--out', merchant]).status).toBe(0);
    expect(mmsp(['keygen', '--out', platform]).status).toBe(0);
    const plain = JSON.stringify({
      ORDERNO: '20240101000000000001',
      AMT: '100',
      BUSIYPE: '1',
      ACCNAME: '张三',
      REMARK: 'x'.repeat(150),
    });
    const sealed = mmsp(
      [
        'payout',
        'seal',
        '--platform-pub',
        join(platform, 'merchant.pub'),
        '--merchant-key',
        join(merchant, 'merchant.key'),
        '-',
      ],
      { input: plain },
    );
    expect(sealed.status).toBe(0);
    const opened = php(
      `$r = json_decode(stream_get_contents(STDIN), true); $p = '';
       foreach (str_split(base64_decode($r['ENCRYPT']), 128) as $b) { openssl_private_decrypt($b, $x, file_get_contents($argv[1])); $p .= $x; }
       echo openssl_verify($p, base64_decode($r['SIGN']), file_get_contents($argv[2]), OPENSSL_ALGO_SHA1), "\\n", $p;`,
      [join(platform, 'merchant.key'), join(merchant, 'merchant.pub')],
      sealed.stdout,
    );
    expect(opened).toBe(`1\n${plain}`);

    const response = JSON.stringify({
      RETCODE: '0000',
      RETMSG: '成功',
      PAYSTATE: '1',
      ORDERNO: '20240101000000000001',
      NOTE: 'y'.repeat(150),
    });
    const phpSealed = php(
      `$p = stream_get_contents(STDIN); $e = '';
       foreach (str_split($p, 117) as $c) { openssl_public_encrypt($c, $x, file_get_contents($argv[1])); $e .= $x; }
       openssl_sign($p, $s, file_get_contents($argv[2]), OPENSSL_ALGO_SHA1);
       echo json_encode(['RETCODE' => '0000', 'RETMSG' => '成功', 'ENCRYPT' => base64_encode($e), 'SIGN' => base64_encode($s)]);`,
      [join(merchant, 'merchant.pub'), join(platform, 'merchant.key')],
      response,
    );
    const r = mmsp(
      [
        'payout',
        'open',
        '--merchant-key',
        join(merchant, 'merchant.key'),
        '--platform-pub',
        join(platform, 'merchant.pub'),
        '--json',
        '-',
      ],
      { input: phpSealed },
    );
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      RETCODE: '0000',
      message: '成功',
      signature: 'verified',
      plaintext: response,
    });
  });
});
