/**
 * Retry policy (issue #3): only queries are retried on a transport failure, with exponential
 * backoff and full jitter. Payments, refunds, payouts, SMS and bind operations are never retried
 * blindly: their outcome after a failure is settled by a query (PROTOCOL §5, §6).
 */
import { MmspTransportError } from '@mmsp/codec';

/** How queries are retried after a transport failure: exponential backoff with full jitter. */
export interface RetryPolicy {
  /** Attempts in total, including the first. */
  attempts: number;
  /** Backoff base: the delay before retry n is uniform in [0, min(maxDelayMs, baseDelayMs·2^n)). */
  baseDelayMs: number;
  /** Cap of one delay. */
  maxDelayMs: number;
}

/** The default retry of queries: 3 attempts, 200 ms base, 2 s cap. Payments and payouts are never retried. */
export const DEFAULT_QUERY_RETRY: RetryPolicy = { attempts: 3, baseDelayMs: 200, maxDelayMs: 2_000 };

/** `base` with the fields `partial` gives (`ClientConfig.retry`); fields left `undefined` keep `base`'s. */
export function mergeRetryPolicy(base: RetryPolicy, partial: Partial<RetryPolicy> | undefined): RetryPolicy {
  const out = { ...base };
  if (partial?.attempts !== undefined) out.attempts = partial.attempts;
  if (partial?.baseDelayMs !== undefined) out.baseDelayMs = partial.baseDelayMs;
  if (partial?.maxDelayMs !== undefined) out.maxDelayMs = partial.maxDelayMs;
  return out;
}

/** Full jitter: a uniform delay in [0, min(max, base·2^attempt)). `random` is injectable for tests. */
export function backoffDelay(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return Math.floor(random() * cap);
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason ?? new Error('aborted'));
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason ?? new Error('aborted'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Runs `attempt` until it succeeds, retrying only `MmspTransportError`s, at most `policy.attempts` times. */
export async function withRetry<T>(
  policy: RetryPolicy,
  attempt: (n: number) => Promise<T>,
  options: {
    sleep?: (ms: number) => Promise<void>;
    random?: () => number;
    onRetry?: (error: MmspTransportError, n: number, delayMs: number) => void;
  } = {},
): Promise<T> {
  const wait = options.sleep ?? sleep;
  for (let n = 0; ; n++) {
    try {
      return await attempt(n);
    } catch (error) {
      if (!(error instanceof MmspTransportError) || n + 1 >= policy.attempts) throw error;
      const delay = backoffDelay(policy, n, options.random);
      options.onRetry?.(error, n, delay);
      await wait(delay);
    }
  }
}
