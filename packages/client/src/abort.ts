/** One signal that aborts when any of several does, and a way to let go of the others (see {@link anySignal}). */
export interface CombinedSignal {
  /** Aborts, with that signal's reason, as soon as one of the given signals does. */
  signal: AbortSignal;
  /** Takes the hand-made listeners off the given signals; call it when the request is over. */
  dispose(): void;
}

/**
 * One `AbortSignal` for several (a request's deadline, the caller's signal, a shutdown signal), for
 * transports. `AbortSignal.any` is missing on Node 20.0–20.2 (`engines` says `>=20`) and in older
 * edge runtimes: there the signals are combined by hand, and `dispose` removes the listeners from
 * the given signals once the request is over, so that a long-lived signal shared by many requests
 * does not collect one listener per request. With `AbortSignal.any`, `dispose` does nothing.
 *
 * @example
 * ```ts
 * import { anySignal } from '@mmsp/client';
 *
 * declare const shutdown: AbortSignal;
 * const { signal, dispose } = anySignal([AbortSignal.timeout(10_000), shutdown]);
 * void fetch('https://pay.example.com/scan', { method: 'POST', body: '{}', signal }).finally(dispose);
 * ```
 */
export function anySignal(signals: readonly AbortSignal[]): CombinedSignal {
  if (signals.length === 1) return { signal: signals[0] as AbortSignal, dispose() {} };
  if (typeof (AbortSignal as { any?: unknown }).any === 'function') {
    return { signal: AbortSignal.any([...signals]), dispose() {} };
  }
  const controller = new AbortController();
  const listeners: Array<[AbortSignal, () => void]> = [];
  const dispose = (): void => {
    for (const [s, l] of listeners.splice(0)) s.removeEventListener('abort', l);
  };
  for (const s of signals) {
    if (s.aborted) {
      controller.abort(s.reason);
      break;
    }
    const l = (): void => {
      controller.abort(s.reason);
      dispose();
    };
    listeners.push([s, l]);
    s.addEventListener('abort', l, { once: true });
  }
  if (controller.signal.aborted) dispose();
  return { signal: controller.signal, dispose };
}
