/**
 * claim → run → commit (release when the handler throws): the one place where a notification's
 * handler is run "once" against a `NotificationStore`, shared by the receiver (handle.ts) and the
 * reconciler (reconcile/reconciler.ts), so both keep the same guarantee (issue #13 item 6):
 *
 * - every claim gets a fresh token, and the store's extend / commit / release act only while that
 *   token still holds the id (fencing), so a run whose claim was taken over changes nothing;
 * - while the handler runs, the claim is extended every `claimTtlMs / 3`, so a handler slower than
 *   the claim keeps it and no other delivery runs the handler alongside;
 * - if an extend says the claim is gone, the keep-alive stops and the caller is told (a log line);
 *   if no extend got through before the claim would have expired (the store slow or down), the
 *   caller is told too and the keep-alive goes on trying; the commit is fenced, so if another
 *   delivery took the claim over, the handler's result is not committed (outcome `lost`);
 * - a handler still pending after `handlerTimeoutMs` is abandoned: the claim is released and the
 *   outcome is `timed-out` (the platform's retry may then run the handler again).
 *
 * Synchronous as long as the store and the handler are: with the in-memory store and a handler that
 * returns a value, the answer comes back without a turn of the event loop and without a timer (the
 * receiver's hot path). A timer exists only while an asynchronous handler runs: one per run, serving
 * both the keep-alive and the timeout.
 */
import { secureRandomBytes } from '@mmsp/codec/bytes';
import type { ClaimResult, NotificationStore } from '../notification-store.js';

/** What happened to one run (the caller maps it to an HTTP answer or a reconcile item). */
export type RunOnceResult =
  /** The handler resolved and the id was committed (`commitError`: the commit threw; `committed: false`: the store said the claim was no longer ours). */
  | { outcome: 'ran'; committed: boolean; commitError?: unknown }
  /** The store says the id was handled before: the handler did not run. */
  | { outcome: 'done' }
  /** Someone else holds the claim: the handler did not run. */
  | { outcome: 'busy' }
  /** The store failed to claim: the handler did not run. */
  | { outcome: 'store-failed'; error: unknown }
  /** The handler threw: the claim was released (`releaseError`: the release threw; the claim expires on its own). */
  | { outcome: 'failed'; error: unknown; releaseError?: unknown }
  /** The handler resolved but its claim was lost meanwhile (taken over after it expired): the store refused the commit. */
  | { outcome: 'lost' }
  /** The handler did not settle within `handlerTimeoutMs`: the claim was released, the handler abandoned. */
  | { outcome: 'timed-out'; releaseError?: unknown };

/** The settings of a run. */
export interface RunOnceOptions {
  store: NotificationStore;
  /** How long a claim lasts without an extend (also: how long a dead process's claim blocks retries). */
  claimTtlMs: number;
  /** How long a handler may run before it is abandoned and its claim released. */
  handlerTimeoutMs: number;
  /** Told when the claim is gone (an extend answered false: the keep-alive stops) or when no extend got through before it would have expired (for the caller's log). */
  onExtendFailed?: (id: string, reason: 'lost' | 'error') => void;
}

/** Default `handlerTimeoutMs`: a handler still pending after 60 s is abandoned (500, its claim released). */
export const DEFAULT_HANDLER_TIMEOUT_MS = 60_000;

const DONE: RunOnceResult = { outcome: 'done' };
const BUSY: RunOnceResult = { outcome: 'busy' };
const RAN: RunOnceResult = { outcome: 'ran', committed: true };

/** A promise or any other thenable; other values are used as they are. */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

/** This process's random token prefix (made on first use), then a counter: unique per claim across instances. */
let tokenPrefix = '';
let tokenCount = 0;
function newToken(): string {
  if (tokenPrefix === '') {
    let hex = '';
    for (const b of secureRandomBytes(12)) hex += (b < 16 ? '0' : '') + b.toString(16);
    tokenPrefix = `${hex}:`;
  }
  return tokenPrefix + (++tokenCount).toString(36);
}

/**
 * Runs `run(arg)` at most once at a time for `id` (see the module comment); a value when everything
 * answered synchronously. `arg` lets a caller pass a hoisted function instead of a closure per run.
 */
export function runOnce<A = undefined>(
  id: string,
  run: (arg: A) => unknown,
  options: RunOnceOptions,
  arg?: A,
): RunOnceResult | Promise<RunOnceResult> {
  const token = newToken();
  const claimedAt = Date.now();
  let claiming: Promise<ClaimResult> | ClaimResult;
  try {
    claiming = options.store.claim(id, token, options.claimTtlMs);
  } catch (error) {
    return { outcome: 'store-failed', error };
  }
  if (isThenable(claiming)) {
    return Promise.resolve(claiming).then(
      (claim) => afterClaim(id, token, claimedAt, claim, run, options, arg as A),
      (error: unknown) => ({ outcome: 'store-failed', error }) as RunOnceResult,
    );
  }
  return afterClaim(id, token, claimedAt, claiming, run, options, arg as A);
}

function afterClaim<A>(
  id: string,
  token: string,
  claimedAt: number,
  claim: ClaimResult,
  run: (arg: A) => unknown,
  options: RunOnceOptions,
  arg: A,
): RunOnceResult | Promise<RunOnceResult> {
  if (claim === 'done') return DONE;
  if (claim !== 'claimed') return BUSY;
  let ran: unknown;
  try {
    ran = run(arg);
  } catch (error) {
    return release(id, token, { outcome: 'failed', error }, options);
  }
  if (isThenable(ran)) return whileRunning(id, token, claimedAt, ran, options);
  return commit(id, token, options);
}

/** The longest delay `setTimeout` takes as it is. */
const MAX_DELAY_MS = 2 ** 31 - 1;

/**
 * Keeps the claim alive while the handler's promise is pending, and bounds how long it may be. One
 * timer serves both deadlines: it is armed for the earlier of the next extend (every `claimTtlMs / 3`)
 * and the handler's timeout, and re-armed after each extend.
 */
function whileRunning(
  id: string,
  token: string,
  claimedAt: number,
  ran: PromiseLike<unknown>,
  options: RunOnceOptions,
): Promise<RunOnceResult> {
  const { store, claimTtlMs } = options;
  return new Promise<RunOnceResult>((resolve) => {
    /** Until when the claim surely holds, by this process's clock (from the start of the last successful claim/extend). */
    let heldUntil = claimedAt + claimTtlMs;
    let lost = false;
    let settled = false;
    let extending = false;
    const every = Math.max(1, Math.floor(claimTtlMs / 3));
    const timeoutAt = Date.now() + options.handlerTimeoutMs;
    /** When the next extend is due: a third of a ttl after the claim was asked for (the claim itself may have taken a while), then every third after each. */
    let extendAt = claimedAt + every;
    let warned = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const arm = () => {
      const at = lost ? timeoutAt : Math.min(extendAt, timeoutAt);
      // (at most 2^31 − 1 ms, beyond which setTimeout would fire at once: then it is simply re-armed)
      timer = setTimeout(due, Math.min(MAX_DELAY_MS, Math.max(0, at - Date.now())));
    };
    const loseClaim = () => {
      lost = true; // no more extends; the timer stays armed for the timeout only
      options.onExtendFailed?.(id, 'lost');
    };
    const due = () => {
      if (settled) return;
      const now = Date.now();
      if (now >= timeoutAt) {
        finish(release(id, token, { outcome: 'timed-out' }, options));
        return;
      }
      if (!lost && now >= extendAt) extend(now);
      if (!settled) arm();
    };
    const extend = (now: number) => {
      extendAt = now + every;
      if (!warned && now >= heldUntil) {
        // No extend got through in time: the claim may have expired. Keep trying (an extend is
        // fenced: it succeeds only if no other delivery took the claim over meanwhile), but say so.
        warned = true;
        options.onExtendFailed?.(id, 'error');
      }
      if (extending) return; // the previous extend is still on its way
      extending = true;
      const sentAt = now;
      const onAnswer = (extended: boolean) => {
        extending = false;
        if (settled || lost) return; // answered after the run ended (committed, released): nothing to keep alive
        if (extended !== false) {
          heldUntil = sentAt + claimTtlMs;
          warned = false;
        } else {
          loseClaim();
        }
      };
      const onError = () => {
        extending = false; // tried again at the next extend
      };
      try {
        const answer = store.extend(id, token, claimTtlMs);
        if (isThenable(answer)) Promise.resolve(answer).then(onAnswer, onError);
        else onAnswer(answer);
      } catch {
        onError();
      }
    };
    const finish = (result: RunOnceResult | Promise<RunOnceResult>) => {
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    arm();
    Promise.resolve(ran).then(
      () => {
        // Timed out before: abandoned. Otherwise commit, which is fenced: if the claim was lost and
        // taken over, the store refuses it (outcome `lost`) and the new holder's run decides.
        if (!settled) finish(commit(id, token, options));
      },
      (error: unknown) => {
        if (!settled) finish(release(id, token, { outcome: 'failed', error }, options));
      },
    );
  });
}

function commit(id: string, token: string, options: RunOnceOptions): RunOnceResult | Promise<RunOnceResult> {
  try {
    const committing = options.store.commit(id, token);
    if (isThenable(committing)) {
      return Promise.resolve(committing).then(
        (committed) => (committed === false ? ({ outcome: 'lost' } as RunOnceResult) : RAN),
        (commitError: unknown) => ({ outcome: 'ran', committed: false, commitError }) as RunOnceResult,
      );
    }
    // Only an explicit `false` means the claim was not ours any more (a store that answers nothing committed).
    return committing === false ? { outcome: 'lost' } : RAN;
  } catch (commitError) {
    return { outcome: 'ran', committed: false, commitError };
  }
}

type Released = Extract<RunOnceResult, { outcome: 'failed' | 'timed-out' }>;

function release(
  id: string,
  token: string,
  result: Released,
  options: RunOnceOptions,
): RunOnceResult | Promise<RunOnceResult> {
  try {
    const releasing = options.store.release(id, token);
    if (isThenable(releasing))
      return Promise.resolve(releasing).then(
        (): RunOnceResult => result,
        (releaseError: unknown): RunOnceResult => ({ ...result, releaseError }),
      );
  } catch (releaseError) {
    return { ...result, releaseError };
  }
  return result;
}
