/**
 * claim → run → commit (release when the handler throws): the one place where a notification's
 * handler is run "once" against a `NotificationStore`, shared by the receiver (handle.ts) and the
 * reconciler (reconcile/reconciler.ts), so both keep the same guarantee.
 *
 * Synchronous as long as the store and the handler are: with the in-memory store and a handler that
 * returns a value, the answer comes back without a turn of the event loop (the receiver's hot path).
 */
import type { ClaimResult, NotificationStore } from '../notification-store.js';

/** What happened to one run (the caller maps it to an HTTP answer or a reconcile item). */
export type RunOnceResult =
  /** The handler resolved and the id was committed (`commitError`: the commit threw; the claim expires on its own). */
  | { outcome: 'ran'; commitError?: unknown }
  /** The store says the id was handled before: the handler did not run. */
  | { outcome: 'done' }
  /** Someone else holds the claim: the handler did not run. */
  | { outcome: 'busy' }
  /** The store failed to claim: the handler did not run. */
  | { outcome: 'store-failed'; error: unknown }
  /** The handler threw: the claim was released (`releaseError`: the release threw; the claim expires on its own). */
  | { outcome: 'failed'; error: unknown; releaseError?: unknown };

/** The settings of a run. */
export interface RunOnceOptions {
  store: NotificationStore;
  claimTtlMs: number;
}

const RAN: RunOnceResult = { outcome: 'ran' };
const DONE: RunOnceResult = { outcome: 'done' };
const BUSY: RunOnceResult = { outcome: 'busy' };

/** A promise or any other thenable; other values are used as they are. */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return value !== null && (typeof value === 'object' || typeof value === 'function') && typeof (value as { then?: unknown }).then === 'function';
}

/** Runs `run` at most once for `id` (see the module comment); a value when everything answered synchronously. */
export function runOnce(id: string, run: () => unknown, options: RunOnceOptions): RunOnceResult | Promise<RunOnceResult> {
  const { store } = options;
  let claiming: Promise<ClaimResult> | ClaimResult;
  try {
    claiming = store.claim(id, options.claimTtlMs);
  } catch (error) {
    return { outcome: 'store-failed', error };
  }
  if (isThenable(claiming)) {
    return claiming.then((claim) => afterClaim(id, claim, run, options), (error: unknown) => ({ outcome: 'store-failed', error }) as RunOnceResult);
  }
  return afterClaim(id, claiming, run, options);
}

function afterClaim(id: string, claim: ClaimResult, run: () => unknown, options: RunOnceOptions): RunOnceResult | Promise<RunOnceResult> {
  if (claim === 'done') return DONE;
  if (claim !== 'claimed') return BUSY;
  let ran: unknown;
  try {
    ran = run();
  } catch (error) {
    return release(id, error, options);
  }
  if (isThenable(ran)) return Promise.resolve(ran).then(() => commit(id, options), (error: unknown) => release(id, error, options));
  return commit(id, options);
}

function commit(id: string, options: RunOnceOptions): RunOnceResult | Promise<RunOnceResult> {
  try {
    const committing = options.store.commit(id);
    if (isThenable(committing)) return Promise.resolve(committing).then(() => RAN, (commitError: unknown) => ({ outcome: 'ran', commitError }) as RunOnceResult);
  } catch (commitError) {
    return { outcome: 'ran', commitError };
  }
  return RAN;
}

function release(id: string, error: unknown, options: RunOnceOptions): RunOnceResult | Promise<RunOnceResult> {
  try {
    const releasing = options.store.release(id);
    if (isThenable(releasing)) return Promise.resolve(releasing).then(() => ({ outcome: 'failed', error }) as RunOnceResult, (releaseError: unknown) => ({ outcome: 'failed', error, releaseError }) as RunOnceResult);
  } catch (releaseError) {
    return { outcome: 'failed', error, releaseError };
  }
  return { outcome: 'failed', error };
}
