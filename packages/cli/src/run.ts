// `mmsp <command> [options]`: dispatch, --help, --version, and the error rule (one line on
// stderr, a non-zero exit, never a stack trace for a user error, never a secret).
import { readFileSync } from 'node:fs';
import { parse, type Command } from './args.js';
import { doctorCommand } from './commands/doctor.js';
import { keygenCommand } from './commands/keygen.js';
import { notifyCommand } from './commands/notify.js';
import { payoutOpenCommand, payoutSealCommand } from './commands/payout.js';
import { reconcileCommand } from './commands/reconcile.js';
import { sandboxCommand } from './commands/sandbox.js';
import { signCommand, verifyCommand } from './commands/sign.js';
import { CliError, EXIT_FAIL, EXIT_OK, EXIT_USAGE } from './errors.js';
import type { CliIo } from './io.js';

export const COMMANDS: readonly Command[] = [
  signCommand,
  verifyCommand,
  doctorCommand,
  keygenCommand,
  payoutSealCommand,
  payoutOpenCommand,
  notifyCommand,
  sandboxCommand,
  reconcileCommand,
];

export function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return `Usage: mmsp <command> [options]      (npx @mmsp/cli <command>)

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}

Options:
  -h, --help     help (also: mmsp <command> --help)
  -v, --version  the version

Exit codes: 0 ok; 1 mismatch / failed (doctor: a variant explains it); 2 doctor: nothing explains it;
64 bad usage or unusable input.

Example:
  mmsp sign --key "$MMSP_KEY" body.json
  mmsp doctor --key "$MMSP_KEY" --sign 5D41402ABC4B2A76B9719D911017C592 request.json
`;
}

function defaultIo(): CliIo {
  return {
    stdout: (t) => void process.stdout.write(t),
    stderr: (t) => void process.stderr.write(t),
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const c of process.stdin) chunks.push(c as Buffer);
      return new Uint8Array(Buffer.concat(chunks));
    },
    cwd: process.cwd(),
    env: process.env,
    stderrIsTTY: process.stderr.isTTY === true,
  };
}

function findCommand(argv: string[]): { command: Command | undefined; rest: string[]; name: string } {
  const [first, second] = argv;
  if (first === 'payout') {
    const command = COMMANDS.find((c) => c.name === `payout ${second ?? ''}`);
    if (command === undefined) return { command, rest: argv.slice(1), name: 'payout' };
    return { command, rest: argv.slice(2), name: command.name };
  }
  return { command: COMMANDS.find((c) => c.name === first), rest: argv.slice(1), name: first ?? '' };
}

/**
 * The `mmsp` command line, in-process: runs `argv` (without `node` and the script) and resolves to
 * the exit code ({@link EXIT_OK}, {@link EXIT_FAIL}, {@link EXIT_UNEXPLAINED}, {@link EXIT_USAGE}).
 * Commands: `sign` / `verify` (the MD5 signature of a Body the PHP way, PROTOCOL §3), `doctor` (why a
 * signature does not match: the FAQ's first question), `keygen` (RSA-1024 key pairs, locally),
 * `payout seal` / `payout open` (payout RSA, PROTOCOL §6), `notify` (POST a signed notification to a
 * receiver, PROTOCOL §5), `sandbox` (the platform on localhost). Output goes through `io` (default:
 * the process's streams, stdin, cwd and environment); a user error is one line on `stderr` and a
 * non-zero code, never a stack trace nor a secret.
 *
 * @param argv - The arguments, e.g. `['sign', '--key', key, 'body.json']`.
 * @param io - Your own streams, cwd, environment, stdin or abort signal; the rest is the process's.
 *
 * @example
 * ```ts
 * import { run, EXIT_OK } from '@mmsp/cli';
 *
 * let out = '';
 * const code = await run(['sign', '-'], {
 *   stdout: (text) => { out += text; },
 *   stderr: (text) => { process.stderr.write(text); },
 *   readStdin: async () => new TextEncoder().encode('{"MERORDERID":"ORD20250101000001","AMT":"100"}'),
 *   env: { MMSP_KEY: 'ea21842eea24e448b991b1cb0a0294cf' }, // the document's test key (PROTOCOL §8)
 * });
 * // `sign` prints the signing string, then the upper-case MD5 signature alone on the last line
 * if (code === EXIT_OK) console.log('Sign:', out.trim().split('\n').pop());
 * ```
 */
export async function run(argv: readonly string[], io?: Partial<CliIo>): Promise<number> {
  const full: CliIo = { ...defaultIo(), ...io };
  const args = [...argv];
  const [first] = args;
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    if (first === 'help' && args[1] !== undefined) return run([...args.slice(1), '--help'], io);
    full.stdout(mainHelp());
    return first === undefined ? EXIT_USAGE : EXIT_OK;
  }
  if (first === '--version' || first === '-v' || first === 'version') {
    full.stdout(`${version()}\n`);
    return EXIT_OK;
  }
  const { command, rest, name } = findCommand(args);
  if (command === undefined) {
    if (name === 'payout') {
      if (rest.includes('--help') || rest.includes('-h')) {
        full.stdout(
          `Usage: mmsp payout seal|open [options]\n\n  seal  ${payoutSealCommand.summary}\n  open  ${payoutOpenCommand.summary}\n\nExample:\n  mmsp payout seal --platform-pub platform.pub --merchant-key merchant.key payout.json\n`,
        );
        return EXIT_OK;
      }
      full.stderr('mmsp payout: give a subcommand: seal or open (see mmsp payout --help)\n');
      return EXIT_USAGE;
    }
    const shown = /^[a-z][a-z-]{0,30}$/.test(name) ? `"${name}"` : 'this command';
    full.stderr(
      `mmsp: unknown command ${shown}; commands: ${COMMANDS.map((c) => c.name).join(', ')} (see mmsp --help)\n`,
    );
    return EXIT_USAGE;
  }
  try {
    const { values, positionals } = parse(command, rest);
    if (values.help === true) {
      full.stdout(command.help);
      return EXIT_OK;
    }
    return await command.run({ values, positionals, io: full, json: values.json === true });
  } catch (err) {
    if (err instanceof CliError) {
      full.stderr(`${err.message}\n`);
      return err.exitCode;
    }
    // A bug, not a user error: still one line, without values (the stack is available with MMSP_DEBUG=1).
    const e = err as Error;
    full.stderr(
      `mmsp ${command.name}: internal error (${e?.name ?? 'Error'}); please report it${full.env.MMSP_DEBUG ? `\n${e?.stack ?? ''}` : ''}\n`,
    );
    return EXIT_FAIL;
  }
}
