// mmsp doctor: every variant of issue #8, each provoked by a signature the codec makes over a
// modified input (md5Sign; node:crypto MD5 only where the slip is in bytes md5Sign never makes,
// over the codec's own signingString), found by the built binary with the right exit code,
// explanation and byte diff.
import { createHash } from 'node:crypto';
import { buildEnvelope, md5Sign, PhpArray, phpJsonEncode, signingString } from '@mmsp/codec';
import { fromJs } from '@mmsp/codec/php';
import { describe, expect, it } from 'vitest';
import { AGENT_KEY, KEY, mmsp, mmspAsync, tempDir, write } from './helpers.js';

const dir = tempDir();
const BODY = { NOTIFY_URL: 'http://shop.example/n', GOODSNAME: '测试商品', AMT: '100', N: 5, X: { b: 1, a: 2 } };
const TEXT = JSON.stringify(BODY);
const bodyFile = write(dir, 'body.json', TEXT);
const OURS = signingString(BODY);

/** MD5 the way the platform hashes, over bytes md5Sign cannot produce (a slip after encoding). */
function md5Of(text: string, key = KEY): string {
  return createHash('md5').update(`${text}&key=${key}`, 'utf8').digest('hex').toUpperCase();
}

interface DoctorJson {
  result: 'match' | 'explained' | 'unexplained';
  signingString: string;
  sign: string;
  given: string;
  match: null | {
    variant: string;
    key: string;
    lowerCaseHex: boolean;
    explanation: string;
    fix: string;
    signingString: string;
    diff: { offset: number; theirOffset: number; ours: string; theirs: string }[];
  };
  alsoMatches: { variant: string; key: string }[];
  tried: { texts: number; keys: number };
}

/** The binary twice at once, `--json` and text (two processes: half the wall time of one after the other). */
async function doctor(
  sign: string,
  extra: string[] = [],
  file = bodyFile,
  input?: string,
): Promise<{ status: number | null; json: DoctorJson; text: string }> {
  const [j, t] = await Promise.all([
    mmspAsync(['doctor', '--key', KEY, '--sign', sign, '--json', ...extra, file], input === undefined ? {} : { input }),
    mmspAsync(['doctor', '--key', KEY, '--sign', sign, ...extra, file], input === undefined ? {} : { input }),
  ]);
  expect(j.stderr).toBe('');
  expect(t.status).toBe(j.status);
  return { status: j.status, json: JSON.parse(j.stdout) as DoctorJson, text: t.stdout };
}

const hex = (s: string): string =>
  Array.from(new TextEncoder().encode(s), (b) => b.toString(16).padStart(2, '0')).join(' ');
const byteOffset = (s: string, needle: string): number =>
  new TextEncoder().encode(s.slice(0, s.indexOf(needle))).length;

// Each case runs the binary 2 to 8 times; inside a whole `pnpm test` at load average 40 on 2
// cores one run took up to 10 s (a case up to 80 s), so the cases get twice that.
describe('mmsp doctor', { timeout: 160_000 }, () => {
  it('exit 0 when the Sign matches the Body signed the PHP way', async () => {
    const r = await doctor(md5Sign(BODY, KEY));
    expect(r.status).toBe(0);
    expect(r.json.result).toBe('match');
    expect(r.json.signingString).toBe(OURS);
    expect(r.text).toContain('OK: the given Sign matches');
  });

  it('exit 2 when nothing explains it', async () => {
    const r = await doctor(md5Sign(BODY, 'not the key at all'));
    expect(r.status).toBe(2);
    expect(r.json.result).toBe('unexplained');
    expect(r.json.match).toBeNull();
    expect(r.json.tried.texts).toBeGreaterThan(20);
    expect(r.text).toContain('UNEXPLAINED');
  });

  it('slashes unescaped: shows the backslashes that differ, with byte offsets', async () => {
    const r = await doctor(md5Sign(BODY, KEY, { escapeSlashes: false }));
    expect(r.status).toBe(1);
    expect(r.json.match?.variant).toBe('unescaped-slashes');
    expect(r.json.match?.signingString).toBe(signingString(BODY, { escapeSlashes: false }));
    const first = byteOffset(OURS, '\\/');
    expect(r.json.match?.diff[0]).toEqual({ offset: first, theirOffset: first, ours: '5c', theirs: '' });
    expect(r.json.match?.diff).toHaveLength(3); // http:\/\/shop.example\/n
    expect(r.text).toContain('EXPLAINED: "/" signed unescaped');
    expect(r.text).toContain(`byte ${first}: ours "\\\\" [5c] → theirs (nothing)`);
  });

  it('unicode escaped', async () => {
    const r = await doctor(md5Sign(BODY, KEY, { escapeUnicode: true }));
    expect(r.status).toBe(1);
    expect(r.json.match?.variant).toBe('escaped-unicode');
    const at = byteOffset(OURS, '测');
    expect(r.json.match?.diff[0]?.offset).toBe(at);
    expect(r.json.match?.diff[0]?.ours).toBe(hex('测试商品'));
    expect(r.json.match?.diff[0]?.theirs).toBe(hex('\\u6d4b\\u8bd5\\u5546\\u54c1'));
  });

  it('a number that was quoted, and a numeric string that was unquoted, field by field', async () => {
    const quoted = await doctor(md5Sign({ ...BODY, N: '5' }, KEY));
    expect(quoted.status).toBe(1);
    expect(quoted.json.match?.variant).toBe('quoted-number:N');
    expect(quoted.json.match?.explanation).toMatch(/N signed as a string/);
    expect(quoted.json.match?.diff.map((d) => [d.ours, d.theirs])).toEqual([
      ['', '22'],
      ['', '22'],
    ]);
    const unquoted = await doctor(md5Sign({ ...BODY, AMT: 100 }, KEY));
    expect(unquoted.json.match?.variant).toBe('unquoted-number:AMT');
    const nested = await doctor(md5Sign({ ...BODY, X: { b: '1', a: 2 } }, KEY));
    expect(nested.json.match?.variant).toBe('quoted-number:X.b');
    const all = await doctor(md5Sign({ ...BODY, N: '5', X: { b: '1', a: '2' } }, KEY));
    expect(all.json.match?.variant).toBe('all-numbers-quoted');
  });

  it('a nested object sorted', async () => {
    const r = await doctor(md5Sign({ ...BODY, X: { a: 2, b: 1 } }, KEY));
    expect(r.status).toBe(1);
    expect(r.json.match?.variant).toBe('nested-sorted');
    expect(r.text).toContain("PHP's ksort sorts the top level only");
  });

  it('fields not sorted, or sorted as byte strings instead of PHP SORT_REGULAR', async () => {
    const unsorted = await doctor(md5Of(phpJsonEncode(fromJs(BODY))));
    expect(unsorted.json.match?.variant).toBe('unsorted');
    // Written in neither order: PHP sorts 9, 10, A (numeric keys compare as numbers), a byte sort 10, 9, A.
    const file = write(dir, 'numeric-keys.json', '{"A":"c","9":"b","10":"a"}');
    const byteOrder = phpJsonEncode(
      new PhpArray([
        ['10', 'a'],
        ['9', 'b'],
        ['A', 'c'],
      ]),
    );
    const r = await doctor(md5Of(byteOrder), [], file);
    expect(r.status).toBe(1);
    expect(r.json.match?.variant).toBe('byte-sorted');
  });

  it("the agent's key instead of the merchant's, and the merchant's instead of the agent's in agency mode", async () => {
    const r = await doctor(md5Sign(BODY, AGENT_KEY), ['--agent-key', AGENT_KEY]);
    expect(r.status).toBe(1);
    expect(r.json.match?.variant).toBe('original');
    expect(r.json.match?.key).toBe('agent-key');
    expect(r.json.match?.explanation).toMatch(/agent's key instead of the merchant's/);
    expect(r.text).toContain('the signing strings are identical');
    const env = buildEnvelope({
      family: 'scan',
      commandId: 2310,
      seqId: 1,
      merchantNo: '001440353999853',
      terminalNo: '84970001',
      agentNo: 'A1',
      agentKey: AGENT_KEY,
      key: KEY,
      body: BODY,
    });
    expect((await doctor(env.sign, ['--agent-key', AGENT_KEY], '-', env.text)).status).toBe(0);
    const wrong = JSON.parse(env.text) as Record<string, unknown>;
    wrong.Sign = md5Sign(BODY, KEY);
    const w = await doctor(wrong.Sign as string, ['--agent-key', AGENT_KEY], '-', JSON.stringify(wrong));
    expect(w.status).toBe(1);
    expect(w.json.match?.key).toBe('merchant-key');
    expect(w.json.match?.fix).toMatch(/agency mode/);
  });

  it('trailing whitespace, CRLF or a BOM in the signed text', async () => {
    for (const [text, variant] of [
      [`${OURS}\n`, 'trailing-newline'],
      [`${OURS}\r\n`, 'trailing-crlf'],
      [`${OURS} `, 'trailing-space'],
      [`\uFEFF${OURS}`, 'bom'],
    ]) {
      const r = await doctor(md5Of(text as string));
      expect(r.status, variant).toBe(1);
      expect(r.json.match?.variant).toBe(variant);
    }
    const crlf = await doctor(md5Of(`${OURS}\r\n`));
    expect(crlf.json.match?.diff).toEqual([
      {
        offset: new TextEncoder().encode(OURS).length,
        theirOffset: new TextEncoder().encode(OURS).length,
        ours: '',
        theirs: '0d 0a',
      },
    ]);
  });

  it('a key with a trailing newline (read from a file) is found without showing the key', async () => {
    const r = await doctor(md5Sign(BODY, `${KEY}\n`));
    expect(r.status).toBe(1);
    expect(r.json.match?.key).toBe('merchant-key-newline');
    expect(JSON.stringify(r.json)).not.toContain(KEY);
    expect(r.text).not.toContain(KEY);
  });

  it('the raw text as written (pretty-printed with CRLF) hashed instead of the re-encoded Body', async () => {
    const pretty = JSON.stringify(BODY, null, 2).replace(/\n/g, '\r\n');
    const file = write(dir, 'pretty.json', pretty);
    const r = await doctor(md5Of(pretty), [], file);
    expect(r.status).toBe(1);
    expect(r.json.match?.variant).toBe('raw-text');
    const lf = await doctor(md5Of(pretty.replace(/\r\n/g, '\n')), [], file);
    expect(lf.json.match?.variant).toBe('raw-text-lf');
  });

  it('a BOM in the input is reported (PHP json_decode rejects it) and the Body still read', async () => {
    const file = write(dir, 'bom.json', `\uFEFF${TEXT}`);
    const r = await doctor(md5Sign(BODY, KEY), [], file);
    expect(r.status).toBe(0);
    expect(r.text).toContain('BOM');
  });

  it('the Body given as a JSON string', async () => {
    const env = buildEnvelope({
      family: 'quickPay',
      commandId: 773,
      seqId: 1,
      merchantNo: '001440353999853',
      terminalNo: '84970001',
      key: KEY,
      body: BODY,
    });
    const stringBody = JSON.parse(env.text) as Record<string, unknown>;
    stringBody.Body = JSON.stringify(BODY);
    const asString = JSON.stringify(stringBody);
    // Body as a JSON string inside the envelope: its content is the Body (PROTOCOL §2), so it matches.
    expect((await doctor(env.sign, [], '-', asString)).status).toBe(0);
    // The signer hashed the JSON string literal itself.
    const r = await doctor(md5Of(phpJsonEncode(JSON.stringify(BODY))), [], '-', asString);
    expect(r.status).toBe(1);
    expect(r.json.match?.variant).toBe('body-as-json-string');
  });

  it('the whole envelope signed instead of the Body', async () => {
    const env = buildEnvelope({
      family: 'scan',
      commandId: 2310,
      seqId: 7,
      merchantNo: '001440353999853',
      terminalNo: '84970001',
      key: KEY,
      body: BODY,
    });
    const parsed = JSON.parse(env.text) as Record<string, unknown>;
    const { Sign: _drop, ...withoutSign } = parsed;
    parsed.Sign = md5Sign(withoutSign, KEY);
    const r = await doctor(parsed.Sign as string, [], '-', JSON.stringify(parsed));
    expect(r.status).toBe(1);
    expect(r.json.match?.variant).toBe('whole-envelope');
    expect(r.json.match?.fix).toMatch(/Body only/);
  });

  it('lower-case hex', async () => {
    const r = await doctor(md5Sign(BODY, KEY).toLowerCase());
    expect(r.status).toBe(1);
    expect(r.json.match?.variant).toBe('original');
    expect(r.json.match?.lowerCaseHex).toBe(true);
    expect(r.json.match?.diff).toEqual([]);
    expect(r.text).toContain('lower-case hex');
  });

  it("uses the envelope's own Sign when --sign is absent; refuses a Sign that is not 32 hex digits", async () => {
    const env = buildEnvelope({
      family: 'scan',
      commandId: 2310,
      seqId: 1,
      merchantNo: '001440353999853',
      terminalNo: '84970001',
      key: KEY,
      body: BODY,
      signOptions: { escapeSlashes: false },
    });
    const r = mmsp(['doctor', '--key', KEY, '--json', '-'], { input: env.text });
    expect(r.status).toBe(1);
    expect((JSON.parse(r.stdout) as DoctorJson).match?.variant).toBe('unescaped-slashes');
    const bad = mmsp(['doctor', '--key', KEY, '--sign', 'zz', bodyFile]);
    expect(bad.status).toBe(64);
    expect(bad.stderr).toMatch(/--sign must be 32 hexadecimal characters/);
  });
});
