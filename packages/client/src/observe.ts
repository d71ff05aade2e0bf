/**
 * The bookkeeping behind request metadata and hooks (issue #15): one small trace per call, the
 * metadata built from it, error summaries for events, and the guard that keeps a throwing hook
 * from breaking a call. Kept cheap: a client without hooks pays for one object, two clock reads
 * and the `meta` object of its result.
 */
import {
  MmspBusinessError,
  MmspError,
  MmspProtocolError,
  MmspTransportError,
  type MmspRequestMeta,
  type OperationName,
} from '@mmsp/codec';
import { clock } from './deadlines.js';
import type { MmspErrorSummary } from './hooks.js';

/** Call numbers, unique within the process (several clients share the counter). */
let lastCallId = 0;

/** An endpoint without any `user:password@` part; other URLs as they are. */
export function safeUrl(url: string): string {
  if (!url.includes('@')) return url;
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    return u.toString();
  } catch {
    return url.replace(/\/\/[^/@]*@/, '//');
  }
}

export class CallTrace {
  readonly callId: number;
  seqId: number | undefined = undefined;
  httpStatus: number | undefined = undefined;
  attempts = 0;
  started = 0;
  #url: string | undefined;
  readonly clock = clock;
  constructor(
    readonly operation: OperationName,
    readonly family: string,
    private readonly endpoint: string | undefined,
  ) {
    lastCallId = lastCallId >= Number.MAX_SAFE_INTEGER ? 1 : lastCallId + 1;
    this.callId = lastCallId;
  }
  /** The endpoint, credentials removed (computed once). */
  safeUrl(): string {
    return (this.#url ??= safeUrl(this.endpoint ?? ''));
  }
  /** Whole milliseconds since the first attempt left. */
  elapsed(): number {
    return this.attempts === 0 ? 0 : Math.max(0, Math.round(clock() - this.started));
  }
}

/** The call's metadata now (a fresh object each time). */
export function metaOf(trace: CallTrace): MmspRequestMeta {
  return {
    seqId: trace.seqId,
    operation: trace.operation,
    family: trace.family,
    url: trace.safeUrl(),
    httpStatus: trace.httpStatus,
    elapsedMs: trace.elapsed(),
    attempts: trace.attempts,
  };
}

/** Names and codes of what a call threw, for events: never its body; the message's first line, redacted. */
export function errorSummary(error: unknown, redact: (text: string) => string): MmspErrorSummary {
  if (!(error instanceof Error)) return { name: typeof error, code: 'UNKNOWN', message: '' };
  const message = redact((error.message ?? '').split('\n')[0]!.slice(0, 200));
  const out: MmspErrorSummary = {
    name: error.name,
    code: error instanceof MmspError ? error.code : 'UNKNOWN',
    message,
  };
  if (error instanceof MmspBusinessError) out.platformCode = error.platformCode;
  else if (error instanceof MmspProtocolError && error.retCode !== undefined) out.retCode = error.retCode;
  else if (error instanceof MmspTransportError) out.mayHaveReachedPlatform = error.mayHaveReachedPlatform;
  return out;
}

/** Calls one hook with its event; whatever it throws or rejects with is dropped (issue #15: a hook never breaks a call). */
export function safeHook<E>(owner: object | undefined, hook: (event: E) => unknown, event: E): void {
  try {
    const returned = hook.call(owner, event);
    if (
      returned !== null &&
      typeof returned === 'object' &&
      typeof (returned as { then?: unknown }).then === 'function'
    ) {
      (returned as PromiseLike<unknown>).then(undefined, () => undefined);
    }
  } catch {
    // A hook that throws never breaks a call.
  }
}
