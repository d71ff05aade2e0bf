// The built bin (dist/cli.js; `pnpm test` builds first): prints its URLs and the PROTOCOL §8
// credentials, serves them, stops on SIGTERM; bad options exit 2 with a message.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

it('mmsp-sandbox --port 0 prints its URL and the test merchant, serves /_sandbox/merchant, exits on SIGTERM', async () => {
  expect(existsSync(bin), `${bin} is missing: run pnpm build (pnpm test builds first)`).toBe(true);
  const child = spawn(process.execPath, [bin, '--port', '0', '--quiet'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (c: Buffer) => { out += c.toString(); });
  const url = await new Promise<string>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no URL printed: ${out}`)), 15_000);
    child.stdout.on('data', () => {
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m && out.includes('Inspection')) { clearTimeout(t); resolve(m[1]!); }
    });
  });
  expect(out).toContain('001440353999853');
  expect(out).toContain('84970001');
  expect(out).toContain('ea21842eea24e448b991b1cb0a0294cf');
  expect(out).toContain(`${url}/payout`);
  const m = await (await fetch(`${url}/_sandbox/merchant`)).json() as { merchantNo: string };
  expect(m.merchantNo).toBe('001440353999853');
  const code = await new Promise<number | null>((resolve) => { child.on('exit', resolve); child.kill('SIGTERM'); });
  expect(code).toBe(0);
});

it('a bad option exits 2 naming it', () => {
  const r = spawnSync(process.execPath, [bin, '--port', 'abc'], { encoding: 'utf8' });
  expect(r.status).toBe(2);
  expect(r.stderr).toContain('--port');
});
