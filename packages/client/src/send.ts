/**
 * One HTTP exchange through the injected transport, with the client's timeout. Whatever goes
 * wrong comes out as `MmspTransportError` saying whether the request may have reached the
 * platform: only a transport that knows it did not (and says so) gets `false` (PROTOCOL §6: an
 * unknown outcome is settled by a query, never by a resend).
 */
import { MmspTransportError } from '@mmsp/codec';
import { addDeadline, Deadline, removeDeadline } from './deadlines.js';
import type { Transport, TransportRequest, TransportResponse } from './transport.js';

export interface SendOptions {
  timeoutMs: number;
  /** The `user-agent` header (user-agent.ts), computed once per client. */
  userAgent?: string;
  signal?: AbortSignal;
  /** When the attempt began, a `clock()` reading (deadlines.ts) just taken: its deadline counts from there (default now). */
  startedAt?: number | undefined;
}

/**
 * The request a transport gets, and the state of its exchange: one object per request, its
 * methods on the prototype (no closure per request). The transport's `AbortController` is made
 * when the transport first reads `signal` (the http-node and fetch transports do, at once): a
 * transport that never looks costs none. Whatever aborted before that (the timeout, the caller)
 * is carried into the signal it gets.
 */
class Exchange implements TransportRequest {
  readonly method = 'POST' as const;
  /** A fresh object per request (a transport may add to it). */
  readonly headers: Record<string, string>;
  #controller: AbortController | undefined = undefined;
  #abortedBefore: { reason: unknown } | undefined = undefined;
  /** Its place among the deadlines in flight (deadlines.ts): one host timer for all of them. */
  readonly #deadline: Deadline = new Deadline(this);
  #resolve: ((response: TransportResponse) => void) | undefined = undefined;
  #reject: ((error: unknown) => void) | undefined = undefined;
  #outer: AbortSignal | undefined;
  readonly #startedAt: number | undefined;
  #onOuterAbort: (() => void) | undefined = undefined;

  constructor(
    readonly url: string,
    readonly body: string,
    readonly timeoutMs: number,
    userAgent: string | undefined,
    outer: AbortSignal | undefined,
    startedAt: number | undefined,
  ) {
    this.headers =
      userAgent !== undefined
        ? {
            'content-type': 'application/json; charset=utf-8',
            accept: 'application/json, text/plain, */*',
            'user-agent': userAgent,
          }
        : { 'content-type': 'application/json; charset=utf-8', accept: 'application/json, text/plain, */*' };
    this.#outer = outer;
    this.#startedAt = startedAt;
  }

  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController();
      if (this.#abortedBefore !== undefined) this.#controller.abort(this.#abortedBefore.reason);
    }
    return this.#controller.signal;
  }

  #abort(reason?: unknown): void {
    if (this.#controller !== undefined) this.#controller.abort(reason);
    else this.#abortedBefore ??= { reason };
  }

  /** Runs the exchange: settled by whichever comes first, the transport or its deadline. */
  start(transport: Transport, resolve: (response: TransportResponse) => void, reject: (error: unknown) => void): void {
    this.#resolve = resolve;
    this.#reject = reject;
    const outer = this.#outer;
    if (outer !== undefined) {
      this.#onOuterAbort = () => this.#abort(outer.reason);
      outer.addEventListener('abort', this.#onOuterAbort, { once: true });
    }
    if (this.#startedAt === undefined) addDeadline(this.#deadline, this.timeoutMs);
    else addDeadline(this.#deadline, this.timeoutMs, this.#startedAt);
    let returned: unknown;
    try {
      returned = transport(this);
    } catch (error) {
      // A transport that throws synchronously fails as an async one would.
      this.failed(error);
      return;
    }
    if (
      returned !== null &&
      typeof returned === 'object' &&
      typeof (returned as PromiseLike<TransportResponse>).then === 'function'
    ) {
      (returned as PromiseLike<TransportResponse>).then(
        (response) => this.answered(response),
        (error: unknown) => this.failed(error),
      );
    } else {
      this.answered(returned as TransportResponse); // checked there
    }
  }

  /** Settles once: the first of the transport and the deadline wins; listeners and deadline are removed. */
  #settle(): boolean {
    if (this.#resolve === undefined) return false;
    this.#resolve = undefined;
    removeDeadline(this.#deadline);
    if (this.#onOuterAbort !== undefined) this.#outer?.removeEventListener('abort', this.#onOuterAbort);
    return true;
  }

  expired(): void {
    const reject = this.#reject;
    if (!this.#settle()) return;
    this.#abort();
    reject!(
      new MmspTransportError(`no response within ${this.timeoutMs} ms: the request may have reached the platform`, {
        mayHaveReachedPlatform: true,
      }),
    );
  }

  failed(error: unknown): void {
    const reject = this.#reject;
    if (!this.#settle()) return;
    if (error instanceof MmspTransportError) {
      reject!(error);
      return;
    }
    const message = error instanceof Error ? error.message : String(error);
    reject!(
      new MmspTransportError(`transport failed (${message}): the request may have reached the platform`, {
        mayHaveReachedPlatform: true,
        cause: error,
      }),
    );
  }

  answered(response: TransportResponse): void {
    const resolve = this.#resolve;
    const reject = this.#reject;
    if (!this.#settle()) return;
    if (
      response === null ||
      typeof response !== 'object' ||
      typeof response.body !== 'string' ||
      typeof response.status !== 'number'
    ) {
      reject!(
        new MmspTransportError(
          'the transport returned no { status, body }: the request may have reached the platform',
          { mayHaveReachedPlatform: true },
        ),
      );
    } else if (response.status < 200 || response.status > 299) {
      reject!(
        new MmspTransportError(`HTTP ${response.status} from the platform`, {
          mayHaveReachedPlatform: true,
          status: response.status,
        }),
      );
    } else {
      resolve!(response);
    }
  }
}

export function send(
  transport: Transport,
  url: string,
  body: string,
  options: SendOptions,
): Promise<TransportResponse> {
  const outer = options.signal;
  if (outer?.aborted) {
    return Promise.reject(
      new MmspTransportError('the request was aborted before it was sent', { mayHaveReachedPlatform: false }),
    );
  }
  const exchange = new Exchange(url, body, options.timeoutMs, options.userAgent, outer, options.startedAt);
  return new Promise<TransportResponse>((resolve, reject) => exchange.start(transport, resolve, reject));
}
