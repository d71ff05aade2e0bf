/** Identifier keys of the flat fast paths (PROTOCOL §3): never numeric, ASCII, so byte order is PHP's ksort order. */
/** `[A-Za-z_][A-Za-z0-9_]*`, without a regex. */
export function isIdentKey(k: string): boolean {
  const n = k.length;
  if (n === 0) return false;
  let c = k.charCodeAt(0);
  if (!((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95)) return false;
  for (let i = 1; i < n; i++) {
    c = k.charCodeAt(i);
    if (!((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || (c >= 48 && c <= 57))) return false;
  }
  return true;
}
