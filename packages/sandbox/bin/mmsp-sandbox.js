#!/usr/bin/env node
// The `mmsp-sandbox` command (`npx @mmsp/sandbox --port 8080`, or `mmsp-sandbox` once @mmsp/sandbox
// is installed; `npx @mmsp/cli sandbox` starts the same server).
//
// This file is committed, not built: package managers link a bin when they install, and in this
// repository that happens before anything is built. Pointing `bin` at dist/ would leave no
// `mmsp-sandbox` after `pnpm install` (pnpm skips a bin whose file does not exist yet); this file
// always exists and starts the built command, or says how to build it. A published package always
// has dist/.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const built = new URL('../dist/cli.js', import.meta.url);

function notBuilt(what) {
  process.stderr.write(
    `mmsp-sandbox: ${what} is not built yet.\n` +
      'In the SDK repository, run `pnpm build` (or `pnpm install && pnpm build` after a fresh clone) and try again.\n',
  );
  process.exit(1);
}

if (!existsSync(fileURLToPath(built))) notBuilt('@mmsp/sandbox');
try {
  await import(built.href);
} catch (err) {
  // A workspace package the sandbox imports (@mmsp/codec) has no dist/ yet: Node
  // names the missing file (through the workspace link, e.g. …/packages/codec/dist/index.js).
  const missing =
    err?.code === 'ERR_MODULE_NOT_FOUND'
      ? /Cannot find (?:module|package) '([^']+)'/.exec(String(err.message))?.[1]
      : undefined;
  if (missing && /[\\/]dist[\\/]/.test(missing)) notBuilt(missing.replace(/[\\/]dist[\\/].*$/, ''));
  throw err;
}
