/** Identifier keys of the flat fast paths (PROTOCOL §3): never numeric, ASCII, so byte order is PHP's ksort order. */
/** `[A-Za-z_][A-Za-z0-9_]*`. */
export function isIdentKey(k: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(k);
}
