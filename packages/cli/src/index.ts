// @mmsp/cli — the `mmsp` command line (README). The programmatic entry runs a command line
// in-process with your own streams: `await run(['sign', '--key', key, 'body.json'], io)`.
export { run } from './run.js';
export type { CliIo } from './io.js';
export { EXIT_OK, EXIT_FAIL, EXIT_UNEXPLAINED, EXIT_USAGE } from './errors.js';
