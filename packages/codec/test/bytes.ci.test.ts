// CI-only (needs php-cli): base64Decode accepts and rejects exactly what PHP's
// base64_decode($s, true) does, and decodes to the same bytes. The platform is PHP (PROTOCOL §3).
import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { base64Decode, hexEncode } from '../src/bytes/encoding.js';

const php = `$in = json_decode(stream_get_contents(STDIN), true);
$out = [];
foreach ($in as $s) { $d = base64_decode($s, true); $out[] = $d === false ? null : bin2hex($d); }
echo json_encode($out);`;

function phpDecode(inputs: string[]): (string | null)[] {
  return JSON.parse(
    execFileSync('php', ['-r', php], { input: JSON.stringify(inputs), maxBuffer: 1 << 26 }).toString(),
  ) as (string | null)[];
}

function ours(s: string): string | null {
  try {
    return hexEncode(base64Decode(s));
  } catch {
    return null;
  }
}

describe('base64Decode ≡ PHP base64_decode($s, true)', () => {
  it('on adversarial strings (alphabet, padding, whitespace, URL-safe and stray characters)', () => {
    const chars = fc.constantFrom(
      ...'ABCDQRSTwxyz0189+/'.split(''),
      '=',
      '=',
      ' ',
      '\n',
      '\r',
      '\t',
      '\v',
      '\f',
      '-',
      '_',
      '.',
      '\0',
      'é',
    );
    const inputs = fc.sample(
      fc.array(chars, { maxLength: 14 }).map((a) => a.join('')),
      4000,
    );
    // Plus well-formed base64 of random bytes, wrapped and unpadded.
    const valid = fc.sample(fc.uint8Array({ maxLength: 40 }), 500).flatMap((b) => {
      const t = Buffer.from(b).toString('base64');
      return [t, t.replace(/=+$/, ''), t.replace(/(.{4})/g, '$1\n'), `${t}\r\n`];
    });
    const all = [...inputs, ...valid];
    const expected = phpDecode(all);
    expect(expected.filter((e) => e === null).length).toBeGreaterThan(500); // both outcomes are exercised
    expect(expected.filter((e) => e !== null).length).toBeGreaterThan(2000);
    const mismatches = all.map((s, i) => [s, expected[i], ours(s)] as const).filter(([, e, o]) => e !== o);
    expect(mismatches.slice(0, 10).map(([s, e, o]) => ({ input: JSON.stringify(s), php: e, ours: o }))).toEqual([]);
  });
});
