// Runs the built binary (dist/bin.js; `pnpm test` builds first) as a user would, in a temp dir.
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';

export const BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url));

/** PROTOCOL §8: the document's test key. */
export const KEY = 'ea21842eea24e448b991b1cb0a0294cf';
export const AGENT_KEY = '0123456789abcdef0123456789abcdef';

function requireBuilt(): void {
  if (!existsSync(BIN)) {
    throw new Error(
      `${BIN} is missing: build it first (pnpm turbo run build --filter @mmsp/cli..., or pnpm test which builds)`,
    );
  }
}

export interface Result {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function mmsp(
  args: string[],
  options: { input?: string | Uint8Array; cwd?: string; env?: Record<string, string> } = {},
): Result {
  requireBuilt();
  const r = spawnSync(process.execPath, [BIN, ...args], {
    input: options.input ?? '',
    cwd: options.cwd,
    env: { PATH: process.env.PATH ?? '', ...options.env },
    encoding: 'utf8',
    timeout: 20_000,
  });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs asynchronously (for commands talking to a server in this process). */
export function mmspAsync(
  args: string[],
  options: { input?: string | Uint8Array; cwd?: string; env?: Record<string, string> } = {},
): Promise<Result> {
  requireBuilt();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: options.cwd,
      env: { PATH: process.env.PATH ?? '', ...options.env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.stdin.end(options.input ?? '');
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

export function spawnMmsp(args: string[]): ChildProcessWithoutNullStreams {
  requireBuilt();
  return spawn(process.execPath, [BIN, ...args], { env: { PATH: process.env.PATH ?? '' } });
}

/** A fresh temp dir removed after the file's tests. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mmsp-cli-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export function write(dir: string, name: string, content: string | Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}
