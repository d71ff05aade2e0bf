/**
 * Spawns receiver processes (receiver-child.ts bundled by esbuild with the workspace packages from
 * their TypeScript sources, on the store module of the package under test) and delivers signed
 * notifications to them. Used by two-receivers.ts for @mmsp/store-redis and @mmsp/store-postgres.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { buildEnvelope } from '../../../codec/src/index.js';

/** The document's test merchant (PROTOCOL §8). */
export const MERCHANT = {
  merchantNo: '001440353999853',
  terminalNo: '84970001',
  key: 'ea21842eea24e448b991b1cb0a0294cf',
};

const here = dirname(fileURLToPath(import.meta.url));
const packagesDir = join(here, '..', '..', '..');

/**
 * Bundles a receiver on the store of `storeModule` (an absolute path to a module exporting
 * `makeStore(url, name)`), next to that module's package (its node_modules/.cache/mmsp-test).
 */
export async function buildReceiver(storeModule: string): Promise<string> {
  const outDir = join(dirname(storeModule), '..', '..', 'node_modules', '.cache', 'mmsp-test');
  mkdirSync(outDir, { recursive: true });
  const outfile = join(outDir, `receiver-child-${process.pid}.mjs`);
  const entry = [
    `import { makeStore } from ${JSON.stringify(storeModule)};`,
    `import { createNotificationHandler } from ${JSON.stringify(join(packagesDir, 'http-node', 'src', 'index.ts'))};`,
    `import { runReceiver } from ${JSON.stringify(join(here, 'receiver-child.ts'))};`,
    'runReceiver(makeStore, createNotificationHandler);',
  ].join('\n');
  await build({
    stdin: { contents: entry, resolveDir: here, sourcefile: 'receiver-entry.ts', loader: 'ts' },
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    conditions: ['source'],
    external: ['pg-native', 'cloudflare:sockets'],
    banner: {
      js: "import { createRequire as __mmspCreateRequire } from 'node:module'; const require = __mmspCreateRequire(import.meta.url);",
    },
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
  const child = spawn(process.execPath, [script], {
    env: { ...process.env, MERCHANT_KEY: MERCHANT.key, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
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

/** POSTs the signed quick-pay notification (快捷 §5.5) of order `id`, as the platform would. */
export async function deliver(
  url: string,
  payload: { id: string; mode?: string },
): Promise<{ status: number; body: string }> {
  const body = {
    AMT: '100',
    LIST_ID: `L-${payload.id}`,
    MERORDERID: payload.id,
    PAY_DATE: '20261126103000',
    REMARK: payload.mode ?? '',
    STATUS: '1',
  };
  const text = buildEnvelope({
    family: 'quickPay',
    commandId: 35104,
    seqId: 1,
    ...MERCHANT,
    body,
    nodeId: 'openplat',
    retCode: 1,
    errorMsg: '',
    errorMsgField: 'ErrMsg',
  }).text;
  const response = await fetch(url, { method: 'POST', body: text, headers: { 'content-type': 'application/json' } });
  return { status: response.status, body: await response.text() };
}

export function readRuns(log: string): string[] {
  return existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : [];
}
