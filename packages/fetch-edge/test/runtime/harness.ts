/**
 * Real runtimes for the *.ci.test.ts proofs: bundles test/runtime/worker.ts with esbuild under each
 * runtime's `exports` conditions (no `source` condition: the bundle resolves the BUILT packages,
 * as a merchant's would), then serves it on workerd, Deno, Bun or Node on loopback.
 *
 * Binaries: workerd from this package's devDependency; deno and bun from
 * scripts/install-runtimes.sh (MMSP_RUNTIMES_DIR, default packages/fetch-edge/.runtimes).
 * A missing binary or a missing build is a test FAILURE with the command that fixes it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type BuildOptions, type Metafile } from 'esbuild';

export type RuntimeName = 'workerd' | 'workerd-compat' | 'deno' | 'bun' | 'node';
/**
 * `workerd`: compatibility date 2025-01-01 without flags (no `process` global).
 * `workerd-compat`: the compatibility date a new Worker gets today (2026-11-01), where
 * `nodejs_compat` is on by default, so `process.versions.node` exists next to the same bundle.
 */
export const RUNTIMES: RuntimeName[] = ['workerd', 'workerd-compat', 'deno', 'bun', 'node'];
const WORKERD_DATES: Partial<Record<RuntimeName, string>> = { workerd: '2025-01-01', 'workerd-compat': '2026-11-01' };

const here = dirname(fileURLToPath(import.meta.url));
export const packageDir = resolve(here, '../..');
const workDir = join(packageDir, '.ci-work');
const runtimesDir = process.env.MMSP_RUNTIMES_DIR ?? join(packageDir, '.runtimes');

interface RuntimeSpec {
  /** The launcher; `null` when the worker module itself is the entry (workerd). */
  entry: string | null;
  esbuild: Pick<BuildOptions, 'platform' | 'conditions' | 'mainFields' | 'external' | 'banner'>;
  binary: () => string;
}

function binary(path: string, fix: string): string {
  if (!existsSync(path)) throw new Error(`runtime binary missing: ${path}\n  fix: ${fix}`);
  return path;
}

/**
 * How each runtime's bundle is made. The codec's RSA is its own BigInt code (no node-forge since
 * issue #14), so no bundle meets a Node built-in; Deno and Bun are still bundled the way they run
 * npm packages unbundled (platform 'neutral', Node built-ins left to the runtime, a `require`
 * banner), and workerd the way wrangler bundles (platform 'browser', workerd/worker conditions).
 * `workerd-compat` (nodejs_compat on, `process.versions.node` present) must behave as plain workerd.
 */
const BROWSER_LIKE: Pick<BuildOptions, 'platform' | 'mainFields'> = {
  platform: 'browser',
  mainFields: ['browser', 'module', 'main'],
};
const NODE_REQUIRE_BANNER =
  "import { createRequire as __mmspCreateRequire } from 'node:module'; const require = __mmspCreateRequire(import.meta.url);";
const NODE_BUILTINS = ['crypto', 'buffer', 'process', 'node:*'];
const installHint = 'bash packages/fetch-edge/scripts/install-runtimes.sh';
export const specs: Record<RuntimeName, RuntimeSpec> = {
  // What wrangler does for Workers: the workerd/worker/browser conditions, browser main fields.
  workerd: {
    entry: null,
    esbuild: { ...BROWSER_LIKE, conditions: ['workerd', 'worker', 'browser'] },
    binary: () =>
      binary(
        join(packageDir, 'node_modules/.bin/workerd'),
        'pnpm install (workerd is a devDependency of @mmsp/fetch-edge)',
      ),
  },
  'workerd-compat': {
    entry: null,
    esbuild: { ...BROWSER_LIKE, conditions: ['workerd', 'worker', 'browser'] },
    binary: () =>
      binary(
        join(packageDir, 'node_modules/.bin/workerd'),
        'pnpm install (workerd is a devDependency of @mmsp/fetch-edge)',
      ),
  },
  deno: {
    entry: join(here, 'launchers/deno.js'),
    esbuild: {
      platform: 'neutral',
      conditions: ['deno'],
      mainFields: ['module', 'main'],
      external: NODE_BUILTINS,
      banner: { js: NODE_REQUIRE_BANNER },
    },
    binary: () => binary(join(runtimesDir, 'node_modules/.bin/deno'), installHint),
  },
  bun: {
    entry: join(here, 'launchers/bun.js'),
    esbuild: {
      platform: 'neutral',
      conditions: ['bun'],
      mainFields: ['module', 'main'],
      external: NODE_BUILTINS,
      banner: { js: NODE_REQUIRE_BANNER },
    },
    binary: () => binary(join(runtimesDir, 'node_modules/.bin/bun'), installHint),
  },
  node: {
    entry: join(here, 'launchers/node.js'),
    esbuild: { platform: 'node', conditions: ['node'], banner: { js: NODE_REQUIRE_BANNER } },
    binary: () => process.execPath,
  },
};

/** Fails (not skips) when a package the bundle needs has not been built. */
export function assertBuilt(): void {
  for (const pkg of ['codec', 'client', 'fetch-edge']) {
    const dist = resolve(packageDir, '..', pkg, 'dist/index.js');
    if (!existsSync(dist))
      throw new Error(`${dist} is missing: run \`pnpm build\` (the runtime proofs bundle the built packages).`);
  }
}

/** The worker modules the launchers serve (`import worker from 'mmsp-test-worker'`). */
export const WORKERS = {
  full: join(here, 'worker.ts'),
  crypto: join(here, 'worker-crypto.ts'),
} as const;
export type WorkerName = keyof typeof WORKERS;

export async function bundle(
  runtime: RuntimeName,
  worker: WorkerName = 'full',
): Promise<{ file: string; metafile: Metafile }> {
  assertBuilt();
  const spec = specs[runtime];
  const outdir = join(workDir, `${runtime}-${worker}`);
  mkdirSync(outdir, { recursive: true });
  const file = join(outdir, 'worker.js');
  const workerPath = WORKERS[worker];
  const result = await build({
    entryPoints: [spec.entry ?? workerPath],
    plugins: [
      {
        name: 'mmsp-test-worker',
        setup(b) {
          b.onResolve({ filter: /^mmsp-test-worker$/ }, () => ({ path: workerPath }));
        },
      },
    ],
    bundle: true,
    format: 'esm',
    target: 'es2022',
    outfile: file,
    metafile: true,
    logLevel: 'silent',
    ...spec.esbuild,
  });
  return { file, metafile: result.metafile };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

function workerdConfig(port: number, env: Record<string, string>, compatibilityDate: string): string {
  const bindings = Object.entries(env)
    .map(([name, text]) => `(name = ${JSON.stringify(name)}, text = ${JSON.stringify(text)})`)
    .join(', ');
  return `using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "main", worker = .worker),
    # Outbound fetch may reach loopback: the sandbox listens on 127.0.0.1.
    (name = "internet", network = (allow = ["public", "private", "local"])),
  ],
  sockets = [ (name = "http", address = "127.0.0.1:${port}", http = (), service = "main") ],
);

const worker :Workerd.Worker = (
  modules = [ (name = "worker.js", esModule = embed "worker.js") ],
  compatibilityDate = "${compatibilityDate}",
  bindings = [ ${bindings} ],
  globalOutbound = "internet",
);
`;
}

export interface RunningRuntime {
  runtime: RuntimeName;
  url: string;
  output: () => string;
  stop: () => Promise<void>;
}

async function waitReachable(
  url: string,
  child: ChildProcess,
  output: () => string,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`runtime exited with ${child.exitCode}:\n${output()}`);
    try {
      await fetch(`${url}/runtime`);
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`runtime did not answer within ${timeoutMs} ms:\n${output()}`);
}

export async function startRuntime(
  runtime: RuntimeName,
  env: Record<string, string> = {},
  worker: WorkerName = 'full',
): Promise<RunningRuntime> {
  const bin = specs[runtime].binary();
  const { file } = await bundle(runtime, worker);
  const fullEnv = { MMSP_RUNTIME: runtime, ...env };
  let args: string[];
  let port: number | undefined;
  const workerdDate = WORKERD_DATES[runtime];
  if (workerdDate !== undefined) {
    port = await freePort();
    const config = join(dirname(file), 'config.capnp');
    writeFileSync(config, workerdConfig(port, fullEnv, workerdDate));
    args = ['serve', config];
  } else if (runtime === 'deno') {
    args = ['run', '--allow-net', '--allow-env', '--no-prompt', file];
  } else {
    args = [file];
  }
  const child = spawn(bin, args, {
    cwd: dirname(file),
    env: { ...process.env, ...fullEnv, NO_COLOR: '1', DENO_NO_UPDATE_CHECK: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout!.on('data', (c: Buffer) => (log += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (log += c.toString()));
  const output = () => log;
  if (port === undefined) {
    const deadline = Date.now() + 30_000;
    while (!/LISTENING (\d+)/.test(log)) {
      if (child.exitCode !== null) throw new Error(`${runtime} exited with ${child.exitCode}:\n${log}`);
      if (Date.now() > deadline) throw new Error(`${runtime} did not start:\n${log}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    port = Number(/LISTENING (\d+)/.exec(log)![1]);
  }
  const url = `http://127.0.0.1:${port}`;
  await waitReachable(url, child, output);
  return {
    runtime,
    url,
    output,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 3_000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}
