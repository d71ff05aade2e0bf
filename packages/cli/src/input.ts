// Reading what a command works on: a file or `-` for standard input (strict UTF-8), MD5 keys
// (option, file or environment: a key on the command line is visible to other users of the
// machine), PEM files. Error messages name the option and the file, never a key.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { str, type CommandContext } from './args.js';
import { CliError } from './errors.js';

export interface InputText {
  /** The text without a leading BOM. */
  text: string;
  /** The exact bytes read. */
  bytes: Uint8Array;
  /** True when the bytes started with a UTF-8 BOM (EF BB BF): PHP's json_decode rejects it. */
  bom: boolean;
  /** `stdin` or the path as given. */
  name: string;
}

export function resolvePath(ctx: CommandContext, path: string): string {
  return resolve(ctx.io.cwd, path);
}

export async function readBytes(ctx: CommandContext, command: string, path: string, what: string): Promise<Uint8Array> {
  if (path === '-') return ctx.io.readStdin();
  try {
    return new Uint8Array(await readFile(resolvePath(ctx, path)));
  } catch (err) {
    const code = (err as { code?: string }).code;
    const why =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'it is a directory'
          : code === 'EACCES'
            ? 'permission denied'
            : 'unreadable';
    throw new CliError(`mmsp ${command}: cannot read ${what} ${JSON.stringify(path)}: ${why}`);
  }
}

export async function readText(ctx: CommandContext, command: string, path: string, what: string): Promise<InputText> {
  const bytes = await readBytes(ctx, command, path, what);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new CliError(
      `mmsp ${command}: ${what} ${path === '-' ? '(stdin)' : JSON.stringify(path)} is not valid UTF-8 (the platform's PHP json_decode would reject it)`,
    );
  }
  const bom = text.charCodeAt(0) === 0xfeff;
  if (bom) text = text.slice(1);
  if (text.trim() === '')
    throw new CliError(`mmsp ${command}: ${what} ${path === '-' ? '(stdin)' : JSON.stringify(path)} is empty`);
  return { text, bytes, bom, name: path === '-' ? 'stdin' : path };
}

/**
 * An MD5 key: `--<name> KEY`, else `--<name>-file FILE` (first line, without its line ending), else
 * the environment variable. Returns undefined when none is given.
 */
export async function readKey(
  ctx: CommandContext,
  command: string,
  name: 'key' | 'agent-key',
  envName: string,
): Promise<string | undefined> {
  const direct = str(ctx.values, name);
  if (direct !== undefined) {
    if (direct === '') throw new CliError(`mmsp ${command}: --${name} is empty`);
    return direct;
  }
  const file = str(ctx.values, `${name}-file`);
  if (file !== undefined) {
    const { text } = await readText(ctx, command, file, `--${name}-file`);
    const key = text.split(/\r?\n/)[0] ?? '';
    if (key === '') throw new CliError(`mmsp ${command}: --${name}-file: the first line is empty`);
    return key;
  }
  const env = ctx.io.env[envName];
  return env === undefined || env === '' ? undefined : env;
}

export async function requireKey(ctx: CommandContext, command: string): Promise<string> {
  const key = await readKey(ctx, command, 'key', 'MMSP_KEY');
  if (key === undefined) {
    throw new CliError(
      `mmsp ${command}: the MD5 key is required: --key KEY, --key-file FILE or the MMSP_KEY environment variable`,
    );
  }
  return key;
}

/** A PEM (or bare base64) key file; the codec parses it and reports problems by option name. */
export async function readPem(ctx: CommandContext, command: string, option: string): Promise<string> {
  const path = str(ctx.values, option);
  if (path === undefined || path === '') throw new CliError(`mmsp ${command}: --${option} FILE is required`);
  return (await readText(ctx, command, path, `--${option}`)).text;
}

/** Options every MD5 command shares. */
export const KEY_OPTIONS = {
  key: { type: 'string' },
  'key-file': { type: 'string' },
} as const;
