// Starts the built demo (`node dist/main.js`) on a free port with its own SQLite file and an
// embedded sandbox on a fast clock, as a person would with `pnpm demo`.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const MAIN = fileURLToPath(new URL('../../dist/main.js', import.meta.url));

export interface DemoProcess {
  url: string;
  base: string;
  dataDir: string;
  output: () => string;
  child: ChildProcess;
  stop(): Promise<void>;
}

export function newDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'mmsp-demo-'));
}

export async function startDemo(
  options: { dataDir?: string; env?: Record<string, string> } = {},
): Promise<DemoProcess> {
  const dataDir = options.dataDir ?? newDataDir();
  const child = spawn(process.execPath, [MAIN], {
    env: {
      ...process.env,
      PORT: '0',
      MMSP_DEMO_DB: join(dataDir, 'demo.sqlite'),
      MMSP_SANDBOX_TIME_SCALE: '0.05',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`demo did not start in 30 s:\n${out}`)), 30_000);
    const check = () => {
      const m = /open (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`demo exited with ${code}:\n${out}`));
    });
  });
  return {
    url,
    base: url.replace(/\/$/, ''),
    dataDir,
    output: () => out,
    child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5000).unref();
      }),
  };
}

/** Polls `read` until `accept` holds (or throws after `ms`). */
export async function eventually<T>(
  read: () => Promise<T>,
  accept: (v: T) => boolean,
  ms = 15_000,
  what = 'condition',
): Promise<T> {
  const end = Date.now() + ms;
  let last: T | undefined;
  for (;;) {
    last = await read();
    if (accept(last)) return last;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}
