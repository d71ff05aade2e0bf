// One AbortSignal for several (a timeout, the caller's, Ctrl-C). `AbortSignal.any` is Node ≥ 20.3,
// and `engines` says `>=20`: on 20.0–20.2 the signals are combined by hand, and `dispose` takes
// the hand-made listeners off the long-lived signals once the request is over (a reconcile run
// sends thousands of requests under one Ctrl-C signal).

export interface CombinedSignal {
  signal: AbortSignal;
  dispose(): void;
}

export function anySignal(signals: readonly AbortSignal[]): CombinedSignal {
  if (typeof (AbortSignal as { any?: unknown }).any === 'function')
    return { signal: AbortSignal.any([...signals]), dispose() {} };
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
