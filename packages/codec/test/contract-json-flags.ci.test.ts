// Contract (issue #2): signingString / md5Sign / md5Verify / phpJsonEncode mirror PHP's
// json_encode($v, flags), so PHP's flag numbers (JSON_UNESCAPED_SLASHES 64, JSON_UNESCAPED_UNICODE
// 256) must mean what they mean in PHP. Before src/php-json/flags.ts a number was silently ignored.
// Oracle: real php-cli (CI: apt-get install -y php-cli). Fails (never skips) when php is missing.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { MmspEncodingError, md5Sign, md5Verify, phpJsonDecode, phpJsonEncode, signingString } from '@mmsp/codec';

const KEY = 'ea21842eea24e448b991b1cb0a0294cf'; // PROTOCOL §8
// The document's quick-pay sample order (quick pay §5.3), plus a `/`, U+2028 and a nested object.
const BODY = {
  MERORDERID: '20170926151023152438',
  AMT: '1234',
  NAME: '张安',
  PHONENO: '18826570890',
  CARDNO: '6227000013830237349',
  CARDTYPE: '1',
  ID_NO: '23210219820916601X',
  EXPDATE: '01117',
  CVN2: '344',
  NOTIFY_URL: 'http://ib.fxclouds.com/Notify/MerPay_notify_url',
  RANDSTR: '123456',
  X: 'a\u2028b',
  N: { z: '/', a: [1, 2.5] },
};
const TEXT = JSON.stringify(BODY);
const FLAGS = [0, 64, 256, 320, 64 | 4194304];

function php(code: string, input: string): string {
  return execFileSync('php', ['-r', code], { input, encoding: 'utf8' });
}

describe.each(FLAGS)('json_encode flags %i', (flags) => {
  const phpSigning = php(
    `$b = json_decode(stream_get_contents(STDIN), true); ksort($b); echo json_encode($b, ${flags});`,
    TEXT,
  );
  const phpSign = php(
    `$b = json_decode(stream_get_contents(STDIN), true); ksort($b); echo strtoupper(md5(json_encode($b, ${flags}) . '&key=${KEY}'));`,
    TEXT,
  );

  it('signingString and md5Sign agree with PHP for an object and for the received text', () => {
    expect(signingString(BODY, flags)).toBe(phpSigning);
    expect(signingString(TEXT, flags)).toBe(phpSigning);
    expect(md5Sign(BODY, KEY, flags)).toBe(phpSign);
    expect(md5Sign(TEXT, KEY, flags)).toBe(phpSign);
  });

  it('md5Verify accepts the PHP signature (either case) and refuses another flag set', () => {
    expect(md5Verify(TEXT, phpSign, KEY, flags)).toBe(true);
    expect(md5Verify(BODY, phpSign.toLowerCase(), KEY, flags)).toBe(true);
    expect(md5Verify(BODY, phpSign, KEY, flags ^ 64)).toBe(false);
  });

  it('phpJsonEncode(phpJsonDecode(t), flags) and phpJsonEncode(plain JS) equal json_encode(json_decode($t, true), flags)', () => {
    const expected = php(`echo json_encode(json_decode(stream_get_contents(STDIN), true), ${flags});`, TEXT);
    expect(phpJsonEncode(phpJsonDecode(TEXT), flags)).toBe(expected);
    expect(phpJsonEncode(BODY, flags)).toBe(expected);
  });
});

it('the object form keeps its defaults: escaped slashes, unescaped unicode (the platform: flags 256)', () => {
  const phpSign = php(
    `$b = json_decode(stream_get_contents(STDIN), true); ksort($b); echo strtoupper(md5(json_encode($b, JSON_UNESCAPED_UNICODE) . '&key=${KEY}'));`,
    TEXT,
  );
  expect(md5Sign(BODY, KEY)).toBe(phpSign);
  expect(md5Sign(BODY, KEY, {})).toBe(phpSign);
  expect(md5Sign(BODY, KEY, 256)).toBe(phpSign);
});

it('flags the model does not implement are refused by name, never ignored', () => {
  expect(() => md5Sign(BODY, KEY, 128)).toThrow(MmspEncodingError);
  expect(() => md5Sign(BODY, KEY, 128 | 256)).toThrow(/JSON_PRETTY_PRINT/);
  expect(() => phpJsonEncode([], 1024)).toThrow(/JSON_PRESERVE_ZERO_FRACTION/);
  expect(() => signingString(BODY, -1)).toThrow(/non-negative integer/);
});
