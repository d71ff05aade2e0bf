// CI (needs php-cli): the sandbox against the real PHP computation of PROTOCOL §3. A request signed
// by PHP (json_encode of the ksorted Body, JSON_UNESCAPED_UNICODE, "&key=") is accepted, and every
// signature the sandbox makes (responses, notifications) is the one PHP computes over what it
// decodes. Fails, never skips, without php.
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../src/index.js';
import { postText, startReceiver, uniqueId } from './helpers.js';

const PHP_SIGN = `
$t = stream_get_contents(STDIN);
$m = json_decode($t, true);
$b = $m['Body'];
if (is_string($b)) { $b = json_decode($b, true); }
ksort($b);
echo strtoupper(md5(json_encode($b, JSON_UNESCAPED_UNICODE) . '&key=' . $argv[1]));
`;
const PHP_BUILD = `
$body = json_decode(stream_get_contents(STDIN), true);
ksort($body);
$sign = strtoupper(md5(json_encode($body, JSON_UNESCAPED_UNICODE) . '&key=' . $argv[1]));
echo json_encode(['CommandID' => (int)$argv[2], 'SeqID' => '1', 'NodeType' => '3', 'NodeID' => 'openplat', 'Version' => '1.0.0',
  'AGENTNO' => '', 'MERNO' => $argv[3], 'TERMNO' => $argv[4], 'Body' => $body, 'Sign' => $sign]);
`;

// A PHP merchant doing payouts the document's way (payout §3.1) with PHP's openssl_* functions.
const PHP_PAYOUT_SEAL = `
$in = json_decode(stream_get_contents(STDIN), true);
$plain = json_encode($in['plain'], JSON_UNESCAPED_UNICODE);
$enc = '';
foreach (str_split($plain, 117) as $chunk) { openssl_public_encrypt($chunk, $c, $in['platformPublicKey']); $enc .= $c; }
openssl_sign($plain, $sig, $in['merchantPrivateKey'], OPENSSL_ALGO_SHA1);
echo json_encode(['ENCRYPT' => base64_encode($enc), 'SIGN' => base64_encode($sig)]);
`;
const PHP_PAYOUT_OPEN = `
$in = json_decode(stream_get_contents(STDIN), true);
$res = json_decode($in['response'], true);
$plain = '';
foreach (str_split(base64_decode($res['ENCRYPT']), 128) as $block) { openssl_private_decrypt($block, $p, $in['merchantPrivateKey']); $plain .= $p; }
$ok = openssl_verify($plain, base64_decode($res['SIGN']), $in['platformPublicKey'], OPENSSL_ALGO_SHA1);
echo json_encode(['verified' => $ok === 1, 'data' => json_decode($plain, true)], JSON_UNESCAPED_UNICODE);
`;

function php(code: string, args: string[], input: string): string {
  return execFileSync('php', ['-r', code, '--', ...args], { input, encoding: 'utf8' });
}

let sb: Sandbox;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
beforeAll(async () => {
  expect(execFileSync('php', ['-v'], { encoding: 'utf8' })).toMatch(/^PHP 8/);
  sb = await startSandbox({ timeScale: 0.001 });
  receiver = await startReceiver();
});
afterAll(async () => {
  await sb?.close();
  await receiver?.close();
});

describe('the sandbox and real PHP agree on every MD5 signature', () => {
  it('accepts a request PHP signed, and PHP verifies the response', async () => {
    const m = sb.merchant;
    const body = {
      TRADETYPE: '1',
      AMT: '1234',
      MERORDERID: uniqueId('P'),
      RANDSTR: 'a/b\\u2028',
      GOODSNAME: '商品/测试"x"',
      NOTIFY_URL: `${receiver.url}?a=1&b=/c`,
    };
    const request = php(PHP_BUILD, [m.key, '2306', m.merchantNo, m.terminalNo], JSON.stringify(body));
    const res = await postText(m.endpoints.scan, request);
    const parsed = JSON.parse(res.text);
    expect(parsed.CommandID).toBe(35074);
    expect(parsed.Body.STATUS).toBe('1');
    expect(php(PHP_SIGN, [m.key], res.text)).toBe(parsed.Sign);
  });

  it('PHP verifies the pushed notification of every family', async () => {
    const m = sb.merchant;
    const mer = uniqueId('P');
    const order = php(
      PHP_BUILD,
      [m.key, '2306', m.merchantNo, m.terminalNo],
      JSON.stringify({
        TRADETYPE: '1',
        AMT: '5',
        MERORDERID: mer,
        RANDSTR: 'r',
        GOODSNAME: 'g',
        NOTIFY_URL: receiver.url,
      }),
    );
    await postText(m.endpoints.scan, order);
    sb.settleOrder(mer, 'pay');
    const got = await receiver.waitFor(1);
    const text = got.find((r) => r.text.includes(mer))!.text;
    expect(php(PHP_SIGN, [m.key], text)).toBe(JSON.parse(text).Sign);
  });

  it('refuses a request whose Sign PHP computed with another key', async () => {
    const m = sb.merchant;
    const request = php(
      PHP_BUILD,
      ['wrong-key', '2310', m.merchantNo, m.terminalNo],
      JSON.stringify({ MERORDERID: 'x', RANDSTR: 'r' }),
    );
    const parsed = JSON.parse((await postText(m.endpoints.scan, request)).text);
    expect(parsed).toMatchObject({ CommandID: 32768, RetCode: 0 });
    expect(parsed.ErrorMsg).toContain('1006');
  });

  it('a PHP merchant (openssl_*) pays out; PHP decrypts the answer and verifies the platform signature', async () => {
    const m = sb.merchant;
    const keys = { platformPublicKey: m.platformPublicKey, merchantPrivateKey: m.merchantPrivateKey };
    const orderNo = `${Date.now()}`;
    const plain = {
      CMDID: '4097',
      VERSION: '1.0',
      MERNO: m.merchantNo,
      ORDERNO: orderNo,
      REQTIME: '20260101120000',
      AMT: '100',
      BUSIYPE: '001',
      ACCNAME: '张三',
      ACCNO: '6225123456781234',
      MEMO: '代付/测试'.repeat(10),
      ACCTYPE: '0',
      MOBILE: '13800138000',
      BANKNAME: '招商银行',
    };
    const sealed = php(PHP_PAYOUT_SEAL, [], JSON.stringify({ plain, ...keys }));
    const res = await postText(m.endpoints.payout, sealed);
    expect(JSON.parse(res.text).RETCODE).toBe('0000');
    const opened = JSON.parse(php(PHP_PAYOUT_OPEN, [], JSON.stringify({ response: res.text, ...keys })));
    expect(opened.verified).toBe(true);
    expect(opened.data).toMatchObject({ RETCODE: '0000', ORDERNO: orderNo, MERNO: m.merchantNo });
  });
});
