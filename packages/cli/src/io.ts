// What a command may touch: its output streams, standard input, the working directory and an
// abort signal (the `sandbox` command runs until it fires). bin.ts wires these to the process;
// tests calling `run` in-process pass their own.
/**
 * What a command of {@link run} may touch: its output streams, standard input, the working directory,
 * the environment and an abort signal (`sandbox` runs until it fires). The `mmsp` binary wires these
 * to the process; a program calling `run` in-process passes its own (any part left out is the process's).
 */
export interface CliIo {
  /** Writes to standard output (text is written as given: add your own newlines). */
  stdout(text: string): void;
  /** Writes to standard error. */
  stderr(text: string): void;
  /** Reads all of standard input (for `-`). */
  readStdin(): Promise<Uint8Array>;
  /** Directory relative paths are resolved against. */
  cwd: string;
  /** Environment: `MMSP_KEY`, `MMSP_AGENT_KEY` supply MD5 keys without putting them on the command line. */
  env: Readonly<Record<string, string | undefined>>;
  /** Standard error is a terminal: `reconcile` draws a progress bar there. */
  stderrIsTTY?: boolean;
  /** Long-running commands (`sandbox`, `notify --retry-schedule`) stop when this aborts. */
  signal?: AbortSignal;
}
