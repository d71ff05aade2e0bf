// Turns a codec error into one CLI line. Codec messages name the field and the rule and never
// carry a secret (errors.ts in @mmsp/codec); anything else is a bug and is rethrown.
import { MmspError } from '@mmsp/codec';
import { CliError, oneLine } from './errors.js';

export function guard<T>(command: string, fn: () => T, rename: Readonly<Record<string, string>> = {}): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof MmspError) {
      let message = oneLine(err.message);
      // Name the option the user typed beside the codec's field name (merchantPrivateKey → --merchant-key).
      for (const [field, option] of Object.entries(rename)) message = message.split(field).join(`${option} (${field})`);
      throw new CliError(`mmsp ${command}: ${message}`);
    }
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
