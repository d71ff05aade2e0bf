// The runnable examples, run as a user runs them: `node examples/<file>` in a child process, the
// packages imported by name and resolved to their BUILT output (`pnpm test` builds first), against
// the embedded sandbox. Each must exit 0 and print what it promises.
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { RUNNABLE_EXAMPLES } from './runnable.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

function runNode(file: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    // Not the test runner's NODE_OPTIONS (its `source` condition would load the TypeScript sources).
    const env = { ...process.env };
    delete env.NODE_OPTIONS;
    const child = spawn(process.execPath, [file], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('runnable examples', () => {
  it('every examples/*.mjs is run here', () => {
    const files = readdirSync(new URL('..', import.meta.url))
      .filter((f) => /\.(mjs|js|cjs)$/.test(f))
      .map((f) => `examples/${f}`)
      .sort();
    expect(Object.keys(RUNNABLE_EXAMPLES).sort()).toEqual(files);
  });

  it('node examples/quick-start.mjs: a WeChat QR order, paid in the sandbox, notified, verified; exit 0', async () => {
    const r = await runNode('examples/quick-start.mjs');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    const order =
      /^order (\d{20}): pending, QR code URL (http:\/\/127\.0\.0\.1:\d+\/_sandbox\/pay\/001440353999853\/\d+)$/.exec(
        lines[0]!,
      );
    expect(order, lines[0]).not.toBeNull();
    const paid = /^paid: order (\d{20}), platform order (\d+), amount 100 fen, at (\S+)$/.exec(lines[1]!);
    expect(paid, lines[1]).not.toBeNull();
    expect(paid![1]).toBe(order![1]);
    // The platform order number is the one in the QR code URL the order answered.
    expect(order![2]!.endsWith(`/${paid![2]!}`)).toBe(true);
    const at = Date.parse(paid![3]!);
    expect(Math.abs(Date.now() - at)).toBeLessThan(120_000);
    expect(lines[2]).toBe('the platform read SUCCESS after 1 attempt(s)');
  });
});
