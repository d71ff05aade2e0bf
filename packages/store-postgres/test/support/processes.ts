/**
 * Spawns receiver processes (test/support/receiver-child.ts bundled by esbuild; `ioredis`/`pg` stay
 * external and resolve from this package's node_modules, where the bundle is written).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const packageDir = join(here, '..', '..');
const outDir = join(packageDir, 'node_modules', '.cache', 'mmsp-test');

export async function buildReceiver(): Promise<string> {
  mkdirSync(outDir, { recursive: true });
  const outfile = join(outDir, `receiver-child-${process.pid}.mjs`);
  await build({
    entryPoints: [join(here, 'receiver-child.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    conditions: ['source'],
    logLevel: 'error',
  });
  return outfile;
}

export interface Receiver {
  url: string;
  child: ChildProcess;
  exited: Promise<number | null>;
}

export async function startReceiver(script: string, env: Record<string, string>): Promise<Receiver> {
  const child = spawn(process.execPath, [script], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (chunk: string) => {
      out += chunk;
      const line = out.split('\n')[0];
      if (out.includes('\n') && line) resolve((JSON.parse(line) as { port: number }).port);
    });
    child.once('exit', (code) => reject(new Error(`receiver exited early with code ${code}`)));
  });
  return { url: `http://127.0.0.1:${port}/notify`, child, exited };
}

export async function deliver(url: string, payload: object): Promise<{ status: number; body: string }> {
  const response = await fetch(url, { method: 'POST', body: JSON.stringify(payload), headers: { 'content-type': 'application/json' } });
  return { status: response.status, body: await response.text() };
}

export function readRuns(log: string): string[] {
  return existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : [];
}
