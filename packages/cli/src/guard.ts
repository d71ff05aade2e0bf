// Turns a codec error into one CLI line. Codec messages name the field and the rule and never
// carry a secret (errors.ts in @mmsp/codec); anything else is a bug and is rethrown.
import { MmspError } from '@mmsp/codec';
import { CliError, oneLine } from './errors.js';

export function guard<T>(command: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof MmspError) throw new CliError(`mmsp ${command}: ${oneLine(err.message)}`);
    throw err;
  }
}

export async function guardAsync<T>(command: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof MmspError) throw new CliError(`mmsp ${command}: ${oneLine(err.message)}`);
    throw err;
  }
}
