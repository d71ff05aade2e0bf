/**
 * Getting the raw text of a pushed notification out of a Node request (PROTOCOL §5: the platform POSTs
 * the envelope JSON as the raw body). The raw text is best (`req.rawBody`, a string body, or the
 * stream itself); a body a JSON parser already turned into an object is written back as JSON
 * (`parsedEnvelopeText`): exact for the document's notifications, not for integers beyond 2^53,
 * floats written `1.0` or integer-like keys of nested objects (JavaScript reorders those).
 */
import { isAscii } from 'node:buffer';
import type { IncomingMessage } from 'node:http';
import { NOTIFICATION_HTTP_ANSWERS, notificationRequestProblem } from '@mmsp/client';

export type BodyResult =
  { ok: true; text: string } | { ok: false; status: number; message: string; closeConnection?: boolean };

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The body's text, strictly UTF-8 (a BOM dropped, as `TextDecoder` does), or a 400. The platform
 * writes its JSON with `\uXXXX` escapes (PROTOCOL §3), so a body is nearly always ASCII: then every
 * byte is its own character and the bytes are copied into a one-byte string as they are.
 */
export function decodeBody(bytes: Uint8Array): BodyResult {
  if (isAscii(bytes)) return { ok: true, text: asciiText(bytes) };
  try {
    return { ok: true, text: utf8.decode(bytes) };
  } catch {
    return { ok: false, status: 400, message: NOTIFICATION_HTTP_ANSWERS.notUtf8.body };
  }
}

/** ASCII bytes as text, each byte one character (`latin1`, which for ASCII is UTF-8). */
const asciiText = (bytes: Uint8Array): string =>
  (Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)).toString('latin1');
const decode = decodeBody;

/** 413 from the shared rule; the connection is closed so the rest of the body is not read. */
function tooLarge(size: number, limit: number): BodyResult | undefined {
  const problem = notificationRequestProblem({ size, maxBodyBytes: limit });
  return problem && { ok: false, status: problem.status, message: problem.body, closeConnection: true };
}

/** 500 (the platform retries) because this is the merchant's configuration to fix, not a bad notification. */
export const ALREADY_PARSED: BodyResult = {
  ok: false,
  status: 500,
  message:
    'FAIL the body was already parsed by a body parser; mount the notification handler before it or keep the raw body (req.rawBody)',
};

/** A body a framework already read: `rawBody` (Buffer or string), or a string/Buffer `body`. */
export function preReadBody(req: { rawBody?: unknown; body?: unknown }, limit: number): BodyResult | undefined {
  if (req.rawBody === undefined && req.body === undefined) return undefined; // node:http: nothing read yet
  for (const candidate of [req.rawBody, req.body]) {
    if (typeof candidate === 'string') {
      return tooLarge(Buffer.byteLength(candidate), limit) ?? { ok: true, text: candidate };
    }
    if (candidate instanceof Uint8Array) return tooLarge(candidate.byteLength, limit) ?? decode(candidate);
  }
  return undefined;
}

/**
 * A body a JSON parser already turned into an object (`express.json()`, Fastify's default parser)
 * and no raw copy: the envelope is written back as JSON text. The signature covers PHP's re-encoding
 * of the decoded Body (PROTOCOL §3), not the raw bytes, so this verifies every notification whose
 * values are strings or safe integers (all of the document's); an integer beyond 2^53 or a float
 * written `1.0` cannot be recovered and fails verification (400, the platform retries) — keep the
 * raw body (`req.rawBody`) to avoid that. Only a plain envelope object qualifies (Header/Body).
 */
export function parsedEnvelopeText(body: unknown, limit: number): BodyResult | undefined {
  if (body === null || typeof body !== 'object' || Array.isArray(body) || body instanceof Uint8Array) return undefined;
  const proto = Object.getPrototypeOf(body) as unknown;
  if (proto !== Object.prototype && proto !== null) return undefined;
  const text = 'Body' in body || 'Header' in body ? stringify(body) : formFieldText(body as Record<string, unknown>);
  if (text === undefined) return undefined;
  return tooLarge(Buffer.byteLength(text), limit) ?? { ok: true, text };
}

function stringify(body: object): string | undefined {
  try {
    return JSON.stringify(body);
  } catch {
    return undefined;
  }
}

/**
 * PHP's curl posts a raw string as `application/x-www-form-urlencoded` unless told otherwise
 * (PROTOCOL §5), and `express.urlencoded()` then turns the envelope JSON into one field named after
 * the whole text: `{ '{"CommandID":…}': '' }` (split at a `=`, if the text had one). That text is
 * the envelope unless it held `+`, `%` or `&` (decoded or split by the parser): then the signature
 * no longer matches and the notification is refused (400), never accepted changed.
 */
function formFieldText(body: Record<string, unknown>): string | undefined {
  const keys = Object.keys(body);
  if (keys.length !== 1) return undefined;
  const [key] = keys as [string];
  const value = body[key];
  if (typeof value !== 'string') return undefined;
  const text = value === '' ? key : `${key}=${value}`;
  return text.startsWith('{') && text.trimEnd().endsWith('}') ? text : undefined;
}

/**
 * Bodies being read, oldest first, in a doubly linked list (adding and removing is a few field
 * writes, no hashing). One timer sweeps them all, instead of a timer set and cleared per request
 * (the receiver's hot path): a body that trickles in is cut off between `timeoutMs` and
 * `timeoutMs + SWEEP_MS` after the read began.
 */
let first: BodyReading | undefined;
let last: BodyReading | undefined;
const SWEEP_MS = 50;
let sweeper: ReturnType<typeof setInterval> | undefined;

function sweep(): void {
  const now = Date.now();
  for (let r = first; r !== undefined;) {
    const next = r.next;
    if (r.deadline <= now) r.expire(); // unlinks it
    r = next;
  }
  if (first === undefined && sweeper !== undefined) {
    clearInterval(sweeper);
    sweeper = undefined;
  }
}

/** One request body being read with a size limit and a deadline; `then` is called exactly once. */
class BodyReading {
  prev: BodyReading | undefined = undefined;
  next: BodyReading | undefined = undefined;
  readonly deadline: number;
  /** The chunks so far: a notification is one chunk, so an array only from the second on. */
  private chunks: Buffer | Buffer[] | undefined = undefined;
  private size = 0;
  private done = false;
  // The stream's listeners (`on`, not `once`: `finish` runs once anyway, and `once` wraps every listener).
  readonly onData = (chunk: Buffer): void => this.data(chunk);
  readonly onEnd = (): void => this.finish(decode(this.body()), true);
  readonly onError = (): void =>
    this.finish({ ok: false, status: 400, message: NOTIFICATION_HTTP_ANSWERS.unreadable.body });
  readonly onClose = (): void =>
    this.finish({ ok: false, status: 400, message: 'FAIL the request was closed before its body ended' });

  constructor(
    private readonly req: IncomingMessage,
    private readonly limit: number,
    private readonly timeoutMs: number,
    private readonly then: (body: BodyResult) => void,
  ) {
    this.deadline = Date.now() + timeoutMs;
    if (last === undefined) first = this;
    else {
      last.next = this;
      this.prev = last;
    }
    last = this;
    if (sweeper === undefined) {
      sweeper = setInterval(sweep, SWEEP_MS);
      sweeper.unref?.(); // a pending read never keeps the process alive by itself (its socket does)
    }
  }

  /** A body that trickles in (slowloris) must not hold the receiver: 408, connection closed. */
  expire(): void {
    this.req.pause();
    this.finish({
      ok: false,
      status: 408,
      message: `FAIL body not received within ${this.timeoutMs} ms`,
      closeConnection: true,
    });
  }

  private data(chunk: Buffer): void {
    this.size += chunk.length;
    const over = this.size > this.limit ? tooLarge(this.size, this.limit) : undefined;
    if (over) {
      this.req.pause();
      this.finish(over);
    } else if (this.chunks === undefined) this.chunks = chunk;
    else if (Array.isArray(this.chunks)) this.chunks.push(chunk);
    else this.chunks = [this.chunks, chunk];
  }

  private body(): Uint8Array {
    const c = this.chunks;
    return c === undefined ? EMPTY_BYTES : Array.isArray(c) ? Buffer.concat(c, this.size) : c;
  }

  private finish(result: BodyResult, ended = false): void {
    if (this.done) return;
    this.done = true;
    this.chunks = undefined;
    // unlink from the deadlines
    if (this.prev === undefined) first = this.next;
    else this.prev.next = this.next;
    if (this.next === undefined) last = this.prev;
    else this.next.prev = this.prev;
    this.prev = this.next = undefined;
    if (!ended) this.req.off('data', this.onData); // after 'end' no data comes
    this.then(result);
  }
}

const EMPTY_BYTES = new Uint8Array(0);

/** An empty body read by a parser (which then leaves `{}`): the receiver refuses it as malformed (400), not as a setup error. */
const EMPTY: BodyResult = { ok: true, text: '' };

/** Whether the request declared no body at all (`content-length: 0`, or neither length nor chunking). */
function hadNoBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return length === '0' || (length === undefined && req.headers['transfer-encoding'] === undefined);
}

/** Reads the request stream with a size limit and a time limit. */
export function readBody(
  req: IncomingMessage & ParsedBodyCarrier,
  limit: number,
  timeoutMs = 10_000,
  carrier: ParsedBodyCarrier = req,
): Promise<BodyResult> {
  return new Promise<BodyResult>((resolve) => readBodyThen(req, limit, timeoutMs, resolve, carrier));
}

/** Where a framework leaves what its body parser read: `rawBody` (its raw copy) and `body` (what it parsed). */
export interface ParsedBodyCarrier {
  rawBody?: unknown;
  body?: unknown;
}

/**
 * `readBody` with a callback, called exactly once (the receiver's hot path: no promise of its own).
 * In order: a raw copy a framework kept (on `carrier`, e.g. Fastify's request or Koa's
 * `ctx.request`, then on `req`), the stream itself, or, when a parser consumed the stream, the
 * envelope it parsed written back as JSON. A body already read is passed on at once, synchronously.
 */
export function readBodyThen(
  req: IncomingMessage & ParsedBodyCarrier,
  limit: number,
  timeoutMs: number,
  then: (body: BodyResult) => void,
  carrier: ParsedBodyCarrier = req,
): void {
  const pre = preReadBody(carrier, limit) ?? (carrier === req ? undefined : preReadBody(req, limit));
  if (pre) return then(pre);
  if (req.readableEnded)
    return then(parsedEnvelopeText(carrier.body ?? req.body, limit) ?? (hadNoBody(req) ? EMPTY : ALREADY_PARSED));
  const length = Number(req.headers['content-length']);
  const declared = length > limit ? tooLarge(length, limit) : undefined;
  if (declared) return then(declared);
  const reading = new BodyReading(req, limit, timeoutMs, then);
  req.on('data', reading.onData);
  req.on('end', reading.onEnd);
  req.on('error', reading.onError);
  req.on('close', reading.onClose);
}
