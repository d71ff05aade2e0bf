// The catalogue's tables are constants: frozen all the way down.

/** Freezes `value` and everything reachable from it (the catalogue's tables are constants). */
export function deepFreeze<T>(value: T, seen = new Set<unknown>()): T {
  if (value !== null && typeof value === 'object' && !seen.has(value)) {
    seen.add(value);
    for (const v of Object.values(value)) deepFreeze(v, seen);
    Object.freeze(value);
  }
  return value;
}
