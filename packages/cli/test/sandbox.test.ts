// mmsp sandbox: starts the real @mmsp/sandbox, prints its URLs and the PROTOCOL §8 test merchant,
// serves /_sandbox/merchant, stops on SIGTERM / SIGINT with exit 0; --state keeps the RSA keys.
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KEY, mmsp, spawnMmsp, tempDir } from './helpers.js';

const dir = tempDir();

async function start(
  args: string[],
): Promise<{ out: () => string; url: string; stop: (signal: NodeJS.Signals) => Promise<number | null> }> {
  const child = spawnMmsp(['sandbox', '--port', '0', ...args]);
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (out += c.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no URL printed: ${out}`)), 15_000);
    const check = (): void => {
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out) ?? /"url":"(http:\/\/127\.0\.0\.1:\d+)"/.exec(out);
      if (m && (out.includes('Press Ctrl-C') || out.includes('"merchantUrl"'))) {
        clearTimeout(t);
        resolve(m[1] as string);
      }
    };
    child.stdout.on('data', check);
    child.on('exit', () => reject(new Error(`exited early: ${out}`)));
  });
  return {
    out: () => out,
    url,
    stop: async (signal) => {
      const exited = once(child, 'exit');
      child.kill(signal);
      const [code] = (await exited) as [number | null];
      return code;
    },
  };
}

describe('mmsp sandbox', () => {
  it('prints its URLs and the test merchant, serves /_sandbox/merchant, stops on SIGTERM', async () => {
    const s = await start(['--seed', 'cli-test', '--time-scale', '0.01', '--quiet']);
    try {
      for (const path of ['/quickpay', '/scan', '/gateway', '/payout', '/_sandbox/merchant'])
        expect(s.out()).toContain(`${s.url}${path}`);
      expect(s.out()).toContain('001440353999853');
      expect(s.out()).toContain('84970001');
      expect(s.out()).toContain(KEY);
      const m = (await (await fetch(`${s.url}/_sandbox/merchant`)).json()) as {
        merchantNo: string;
        key: string;
        merchantPrivateKey: string;
        platformPublicKey: string;
        endpoints: Record<string, string>;
      };
      expect(m.merchantNo).toBe('001440353999853');
      expect(m.key).toBe(KEY);
      expect(m.merchantPrivateKey).toMatch(/BEGIN (RSA )?PRIVATE KEY/);
      expect(m.endpoints.scan).toBe(`${s.url}/scan`);
    } finally {
      expect(await s.stop('SIGTERM')).toBe(0);
    }
  });

  it('--json prints one line for scripts; --state keeps the RSA keys across restarts; SIGINT stops it', async () => {
    const state = join(dir, 'state.json');
    const a = await start(['--json', '--state', state]);
    const line = JSON.parse(a.out().trim().split('\n')[0] as string) as {
      url: string;
      merchantNo: string;
      terminalNo: string;
      key: string;
      endpoints: Record<string, string>;
      merchantUrl: string;
    };
    expect(line).toMatchObject({
      url: a.url,
      merchantNo: '001440353999853',
      terminalNo: '84970001',
      key: KEY,
      merchantUrl: `${a.url}/_sandbox/merchant`,
    });
    expect(Object.keys(line.endpoints).sort()).toEqual(['gateway', 'payout', 'quickPay', 'scan']);
    const first = ((await (await fetch(line.merchantUrl)).json()) as { platformPublicKey: string }).platformPublicKey;
    expect(await a.stop('SIGINT')).toBe(0);
    expect(existsSync(state)).toBe(true);
    const b = await start(['--json', '--state', state]);
    try {
      const again = ((await (await fetch(`${b.url}/_sandbox/merchant`)).json()) as { platformPublicKey: string })
        .platformPublicKey;
      expect(again).toBe(first);
    } finally {
      expect(await b.stop('SIGTERM')).toBe(0);
    }
  });

  it('bad options exit 64 with one line', () => {
    for (const [args, words] of [
      [['sandbox', '--port', 'abc'], /--port must be an integer/],
      [['sandbox', '--port', '70000'], /--port must be an integer from 0 to 65535/],
      [['sandbox', '--time-scale=-1'], /--time-scale must be a number/],
      [['sandbox', '--time-scale', '-1'], /write --time-scale=VALUE/],
      [['sandbox', 'extra'], /too many arguments/],
    ] as [string[], RegExp][]) {
      const r = mmsp(args);
      expect(r.status).toBe(64);
      expect(r.stderr).toMatch(words);
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    }
  });
});
