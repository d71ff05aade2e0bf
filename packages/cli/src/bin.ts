#!/usr/bin/env node
// The `mmsp` binary (npx @mmsp/cli <command>). SIGINT / SIGTERM stop long-running commands.
import { run } from './run.js';

// A closed pipe (`mmsp sign … | head -1`) is not an error worth a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}

const controller = new AbortController();
const stop = (): void => controller.abort();
process.once('SIGINT', stop);
process.once('SIGTERM', stop);

run(process.argv.slice(2), { signal: controller.signal }).then(
  (code) => {
    process.exitCode = code;
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  },
  () => {
    process.stderr.write('mmsp: internal error\n');
    process.exitCode = 1;
  },
);
