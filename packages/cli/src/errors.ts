// Exit codes and the one-line user error (issue #8: "Errors are one clear line and a non-zero exit").
// A `CliError` message is written as is; it never holds a secret value (key, private key, card data).

/** Success; for `verify` and `doctor`: the signature matches. */
export const EXIT_OK = 0;
/** `verify`: no match; `doctor`: a variant explains the mismatch; other commands: the operation failed. */
export const EXIT_FAIL = 1;
/** `doctor`: no variant explains the mismatch. */
export const EXIT_UNEXPLAINED = 2;
/** Bad usage or unusable input: unknown option, missing file, invalid JSON (BSD sysexits EX_USAGE). */
export const EXIT_USAGE = 64;

export class CliError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode = EXIT_USAGE) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}

/** One line: the first line of a message (codec errors list issues on following lines: keep them joined). */
export function oneLine(message: string): string {
  const lines = message
    .split('\n')
    .map((l) => l.trim().replace(/^- /, ''))
    .filter((l) => l !== '');
  let out = '';
  for (const l of lines) out += out === '' ? l : out.endsWith(':') ? ` ${l}` : `; ${l}`;
  return out;
}
