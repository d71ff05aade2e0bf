// Envelopes against real PHP (php-cli; CI installs it with `apt-get install -y php-cli`).
// 1. What buildEnvelope puts on the wire, PHP decodes and signs exactly as the platform does
//    (PROTOCOL §3): strtoupper(md5(json_encode(ksort(json_decode($raw, true)['Body']), JSON_UNESCAPED_UNICODE) . '&key=' . $key))
//    and that equals our Sign, for fast-check bodies, in merchant and agency mode.
// 2. A response envelope written by PHP's own json_encode (default flags: \uXXXX, \/, as the
//    platform's examples show) opens and verifies with openEnvelope.
// This file fails (it never skips) when php is missing.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildEnvelope, openEnvelope } from '../src/index.js';

const KEY = 'ea21842eea24e448b991b1cb0a0294cf'; // PROTOCOL §8
const AGENT_KEY = '0123456789abcdef0123456789abcdef';
const RUNS = Number(process.env.MMSP_PHP_RUNS ?? 300);

const PLATFORM = String.raw`<?php
// One JSON line in: {"key": "...", "text": "<envelope>"}; one JSON line out.
while (($line = fgets(STDIN)) !== false) {
  $in = json_decode($line, true);
  $env = json_decode($in['text'], true);
  if (!is_array($env) || !array_key_exists('Body', $env)) { echo json_encode(['error' => 'decode: ' . json_last_error_msg()]), "\n"; continue; }
  $body = $env['Body'];
  if (is_string($body)) { $body = json_decode($body, true); }
  ksort($body);
  $json = json_encode($body, JSON_UNESCAPED_UNICODE);
  if ($json === false) { echo json_encode(['error' => 'encode: ' . json_last_error_msg()]), "\n"; continue; }
  $sign = strtoupper(md5($json . '&key=' . $in['key']));
  $resp = json_encode([
    'CommandID' => $env['CommandID'] + 0x8000, 'SeqID' => $env['SeqID'], 'NodeType' => $env['NodeType'],
    'NodeID' => $env['NodeID'], 'Version' => $env['Version'], 'RetCode' => 1, 'ErrMsg' => '',
    'Body' => $env['Body'], 'Sign' => $sign, 'AGENTNO' => $env['AGENTNO'] === '' ? null : $env['AGENTNO'],
    'MERNO' => $env['MERNO'], 'TERMNO' => $env['TERMNO'],
  ]);
  echo json_encode(['sign' => $sign, 'matches' => hash_equals($sign, $env['Sign']), 'response' => $resp, 'hashed' => $json]), "\n";
}
`;

interface PhpAnswer {
  error?: string;
  sign: string;
  matches: boolean;
  response: string;
  hashed: string;
}

function runPhp(lines: { key: string; text: string }[]): PhpAnswer[] {
  const dir = mkdtempSync(join(tmpdir(), 'mmsp-envelope-php-'));
  const script = join(dir, 'platform.php');
  writeFileSync(script, PLATFORM);
  const out = spawnSync('php', [script], {
    input: lines.map((l) => JSON.stringify(l)).join('\n') + '\n',
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  if (out.error)
    throw new Error(`php-cli is required for this CI test (apt-get install -y php-cli): ${out.error.message}`);
  expect(out.status, out.stderr).toBe(0);
  return out.stdout
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as PhpAnswer);
}

const key = fc.oneof(
  fc.constantFrom(
    '__proto__',
    'constructor',
    '',
    '10',
    '9',
    '01',
    '-1',
    '1.5',
    ' 9',
    'A_',
    'AB',
    '_A',
    'B',
    'MERORDERID',
    'AMT',
  ),
  fc.string({ unit: 'grapheme', maxLength: 8 }),
);
const scalar = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.constantFrom('a/b', '\u2028\u2029', '\u007f', '\b\f\n\r\t\u0001', '"\\', '中文', '😀', 'http://x/y?z=1&w=2'),
  fc.integer(),
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
);
const value = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    fc.array(tie('v'), { maxLength: 3 }),
    fc.dictionary(key, tie('v'), { maxKeys: 3 }),
  ),
})).v;
const body = fc.dictionary(key, value, { minKeys: 1, maxKeys: 8 });

describe('envelopes against php-cli', () => {
  it('PHP verifies every envelope we build, and we verify every response PHP writes', () => {
    const cases = fc.sample(fc.tuple(body, fc.boolean(), fc.nat({ max: 2 ** 31 })), RUNS);
    const built = cases.map(([b, agent, seqId]) => {
      const e = buildEnvelope({
        family: 'quickPay',
        commandId: 771,
        seqId,
        merchantNo: '001440353999853',
        terminalNo: '84970001',
        key: KEY,
        body: b,
        ...(agent ? { agentNo: '00110004', agentKey: AGENT_KEY } : {}),
      });
      return { e, agent };
    });
    const answers = runPhp(built.map(({ e, agent }) => ({ key: agent ? AGENT_KEY : KEY, text: e.text })));
    expect(answers).toHaveLength(built.length);
    answers.forEach((a, i) => {
      const { e, agent } = built[i]!;
      expect(a.error, e.text).toBeUndefined();
      expect(a.hashed, e.text).toBe(e.signingString);
      expect(a.matches, e.text).toBe(true);
      const opened = openEnvelope(a.response, {
        key: KEY,
        ...(agent ? { agentKey: AGENT_KEY } : {}),
        expectCommandId: 771 + 0x8000,
      });
      expect(opened.signatureChecked).toBe(true);
      expect(opened.bodyText).toBe(a.hashed);
      expect(opened.sign).toBe(a.sign);
    });
  });

  it('PHP does not verify an envelope signed with the merchant key when it checks the agent key', () => {
    const e = buildEnvelope({
      family: 'scan',
      commandId: 2306,
      seqId: 1,
      merchantNo: '001440353999853',
      terminalNo: '84970001',
      key: KEY,
      agentNo: '00110004',
      body: { AMT: '1', MERORDERID: 'A1' },
    });
    const [a] = runPhp([{ key: AGENT_KEY, text: e.text }]);
    expect(a?.matches).toBe(false);
  });
});
