// Command definitions and option parsing with node:util parseArgs (no CLI framework). Parse
// errors are rewritten into one line that names the option but never echoes a value: a value
// given to the wrong option may be a key (Node's own messages quote arguments).
import { parseArgs } from 'node:util';
import { CliError } from './errors.js';
import type { CliIo } from './io.js';

export type OptionSpec = { type: 'string' | 'boolean'; multiple?: boolean; short?: string };
export type Values = Record<string, string | boolean | string[] | undefined>;

export interface CommandContext {
  values: Values;
  positionals: string[];
  io: CliIo;
  json: boolean;
}

export interface Command {
  /** e.g. `sign`, `payout seal`. */
  name: string;
  summary: string;
  /** The full `--help` text: usage, options, at least one example. */
  help: string;
  options: Record<string, OptionSpec>;
  /** Most positionals accepted (file names). */
  maxPositionals: number;
  run(ctx: CommandContext): Promise<number>;
}

export function parse(command: Command, argv: string[]): { values: Values; positionals: string[] } {
  const options = { ...command.options, help: { type: 'boolean' as const, short: 'h' } };
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (err) {
    const e = err as { code?: string; message?: string };
    const first = (e.message ?? '').split('\n')[0] ?? '';
    if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      const name = /'(-[^'=\s]*)/.exec(first)?.[1] ?? 'an option';
      throw new CliError(`mmsp ${command.name}: unknown option ${name} (see mmsp ${command.name} --help)`);
    }
    if (e.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      const name = /'(--?[a-z-]+)/.exec(first)?.[1] ?? 'an option';
      const what = /argument missing/.test(first)
        ? 'needs a value'
        : /does not take an argument/.test(first)
          ? 'takes no value'
          : `has a value that starts with "-": write ${name}=VALUE`;
      throw new CliError(`mmsp ${command.name}: option ${name} ${what} (see mmsp ${command.name} --help)`);
    }
    throw new CliError(`mmsp ${command.name}: cannot read the arguments (see mmsp ${command.name} --help)`);
  }
  const values = parsed.values as Values;
  if (values.help !== true && parsed.positionals.length > command.maxPositionals) {
    throw new CliError(
      `mmsp ${command.name}: too many arguments (${parsed.positionals.length}; takes ${command.maxPositionals === 0 ? 'none' : `at most ${command.maxPositionals}`}; see mmsp ${command.name} --help)`,
    );
  }
  return { values, positionals: parsed.positionals };
}

/** A string option's value, or undefined. */
export function str(values: Values, name: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
}

export function required(command: string, values: Values, name: string, what: string): string {
  const v = str(values, name);
  if (v === undefined || v === '') throw new CliError(`mmsp ${command}: --${name} is required (${what})`);
  return v;
}

/** A non-negative finite number option (never echoes the value). */
export function num(
  command: string,
  values: Values,
  name: string,
  fallback: number,
  rule: { integer?: boolean; positive?: boolean } = {},
): number {
  const raw = str(values, name);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  const ok =
    raw.trim() !== '' &&
    Number.isFinite(n) &&
    n >= 0 &&
    (!rule.integer || Number.isInteger(n)) &&
    (!rule.positive || n > 0);
  if (!ok) {
    throw new CliError(
      `mmsp ${command}: --${name} must be ${rule.positive ? 'a number > 0' : rule.integer ? 'an integer ≥ 0' : 'a number ≥ 0'}`,
    );
  }
  return n;
}
