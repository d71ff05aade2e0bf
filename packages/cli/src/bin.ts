#!/usr/bin/env node
// The `mmsp` binary (npx @mmsp/cli <command>). SIGINT / SIGTERM stop long-running commands.
import { run } from './run.js';

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
