/**
 * The connection checks both Redis-backed classes of this package make: what a `redis` option may be
 * (an ioredis client or a `redis://` URL) and why anything else is refused.
 */
import type { Redis } from 'ioredis';

/** A `redis://`, `rediss://` or `unix://` URL. */
export function isRedisUrl(value: unknown): value is string {
  return typeof value === 'string' && /^(redis|rediss|unix):\/\//i.test(value);
}

/**
 * Duck-typed, not `instanceof`: the application may use another copy of ioredis (or a Cluster).
 * `uses` names the one command beyond `set`/`get`/`quit` the caller relies on (the notification
 * store's scripts: `eval`; the send ledger: `del`).
 */
export function isIoRedis(value: unknown, uses: 'eval' | 'del'): value is Redis {
  const v = value as Record<string, unknown> | null | undefined;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.set === 'function' &&
    typeof v.get === 'function' &&
    typeof v[uses] === 'function' &&
    typeof v.quit === 'function' &&
    !isNodeRedis(v)
  );
}

/** A node-redis (`redis` package) client: refused, its API differs from ioredis's. */
export function isNodeRedis(value: unknown): boolean {
  const v = value as Record<string, unknown> | null | undefined;
  return typeof v === 'object' && v !== null && typeof v.isOpen === 'boolean' && typeof v.sendCommand === 'function';
}

/** Why `value` cannot be the `redis` option (see {@link isIoRedis} for `uses`), or `undefined` when it can. */
export function redisConnectionProblem(value: unknown, uses: 'eval' | 'del'): string | undefined {
  if (isNodeRedis(value))
    return 'redis: a node-redis (`redis` package) client is not supported; pass an ioredis client or a redis:// URL';
  if (!isRedisUrl(value) && !isIoRedis(value, uses))
    return 'redis: must be an ioredis client (new Redis(...)) or a redis:// / rediss:// URL string';
  return undefined;
}
