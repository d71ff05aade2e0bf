#!/usr/bin/env node
// Runs the live PHP differential test locally (needs php-cli on PATH):
//   node packages/codec/scripts/php-differential.mjs [runs] [seed]
// Same as: MMSP_PHP_DIFF_RUNS=20000 pnpm vitest run --config vitest.ci.config.ts packages/codec/test/php-differential.ci.test.ts
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const [runs = process.env.MMSP_PHP_DIFF_RUNS ?? '20000', seed = process.env.MMSP_PHP_DIFF_SEED] = process.argv.slice(2);
const env = { ...process.env, MMSP_PHP_DIFF_RUNS: String(runs), ...(seed ? { MMSP_PHP_DIFF_SEED: String(seed) } : {}) };
const res = spawnSync(
  'pnpm',
  ['vitest', 'run', '--config', 'vitest.ci.config.ts', 'packages/codec/test/php-differential.ci.test.ts'],
  { cwd: root, env, stdio: 'inherit' },
);
process.exit(res.status ?? 1);
