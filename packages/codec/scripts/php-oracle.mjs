// Runs scripts/php-oracle.php once over many cases (one php process per batch: fast).
// Node-only helper for the golden generator and the live differential test; never imported by
// the codec itself.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const ORACLE = fileURLToPath(new URL('./php-oracle.php', import.meta.url));

/** UTF-8 bytes of a JS string, lone surrogates written as their 3-byte (WTF-8) form: invalid UTF-8 for PHP, as on the wire. */
export function wtf8(s) {
  const bytes = [];
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        i++;
      }
    }
    if (c < 0x80) bytes.push(c);
    else if (c < 0x800) bytes.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) bytes.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else bytes.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return Buffer.from(bytes);
}

/**
 * cases: [{ id, body: string (raw JSON text), key, depth? }] → Map id → PHP's result.
 * Throws when php is missing or fails: a differential test must fail, never skip, without php.
 */
export function runPhpOracle(cases, { php = 'php' } = {}) {
  const input = cases
    .map((c) => JSON.stringify({ id: c.id, b64: wtf8(c.body).toString('base64'), key: c.key, depth: c.depth ?? 512 }))
    .join('\n');
  const res = spawnSync(php, ['-n', '-d', 'serialize_precision=-1', ORACLE], {
    input,
    maxBuffer: 1 << 30,
    encoding: 'utf8',
  });
  if (res.error)
    throw new Error(`cannot run ${php} (install php-cli: apt-get install -y php-cli): ${res.error.message}`);
  if (res.status !== 0) throw new Error(`php exited with ${res.status}: ${res.stderr.slice(0, 2000)}`);
  const out = new Map();
  for (const line of res.stdout.split('\n')) {
    if (line.trim() === '') continue;
    const r = JSON.parse(line);
    out.set(r.id, r);
  }
  if (out.size !== cases.length)
    throw new Error(`php answered ${out.size} of ${cases.length} cases: ${res.stderr.slice(0, 2000)}`);
  return out;
}
