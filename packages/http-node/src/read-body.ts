/**
 * Getting the raw text of a pushed notification out of a Node request (NOTES §5: the platform POSTs
 * the envelope JSON as the raw body). The signature is checked over the text exactly as received,
 * so a body that a framework already parsed into an object cannot be used (numbers beyond 2^53,
 * key order and duplicate keys are lost); a raw copy (`req.rawBody`) or a string body can.
 */
import type { IncomingMessage } from 'node:http';

export type BodyResult = { ok: true; text: string } | { ok: false; status: number; message: string; closeConnection?: boolean };

/** Media types the platform may use for a raw JSON body (PHP's curl sends form-urlencoded by default). */
const ACCEPTED_TYPES = new Set(['application/json', 'text/plain', 'application/x-www-form-urlencoded', 'text/json']);

/** `undefined` when acceptable, otherwise why not. */
export function contentTypeProblem(header: string | string[] | undefined): string | undefined {
  if (header === undefined || header === '') return undefined;
  const value = Array.isArray(header) ? header.join(',') : header;
  const [type, ...params] = value.split(';').map((p) => p.trim().toLowerCase());
  if (!type || !ACCEPTED_TYPES.has(type)) return `content type ${type ? type.slice(0, 60) : '(empty)'} is not accepted`;
  for (const p of params) {
    const [name, raw] = p.split('=');
    const charset = raw?.replace(/^"|"$/g, '');
    if (name === 'charset' && charset !== 'utf-8' && charset !== 'utf8') return `charset ${charset?.slice(0, 20)} is not accepted (UTF-8 only)`;
  }
  return undefined;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function decode(bytes: Uint8Array): BodyResult {
  try {
    return { ok: true, text: utf8.decode(bytes) };
  } catch {
    return { ok: false, status: 400, message: 'FAIL body is not valid UTF-8' };
  }
}

const tooLarge = (limit: number): BodyResult => ({
  ok: false,
  status: 413,
  message: `FAIL body larger than ${limit} bytes`,
  closeConnection: true,
});

/** 500 (the platform retries) because this is the merchant's configuration to fix, not a bad notification. */
export const ALREADY_PARSED: BodyResult = {
  ok: false,
  status: 500,
  message: 'FAIL the body was already parsed by a body parser; mount the notification handler before it or keep the raw body (req.rawBody)',
};

/** A body a framework already read: `rawBody` (Buffer or string), or a string/Buffer `body`. */
export function preReadBody(req: { rawBody?: unknown; body?: unknown }, limit: number): BodyResult | undefined {
  for (const candidate of [req.rawBody, req.body]) {
    if (typeof candidate === 'string') {
      return Buffer.byteLength(candidate) > limit ? tooLarge(limit) : { ok: true, text: candidate };
    }
    if (candidate instanceof Uint8Array) return candidate.byteLength > limit ? tooLarge(limit) : decode(candidate);
  }
  return undefined;
}

/** Reads the request stream with a size limit. */
export function readBody(req: IncomingMessage & { rawBody?: unknown; body?: unknown }, limit: number, timeoutMs = 10_000): Promise<BodyResult> {
  const pre = preReadBody(req, limit);
  if (pre) return Promise.resolve(pre);
  if (req.readableEnded || req.body !== undefined) {
    return Promise.resolve(ALREADY_PARSED);
  }
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.resolve(tooLarge(limit));
  return new Promise<BodyResult>((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    // A body that trickles in (slowloris) must not hold the receiver: 408, connection closed.
    const timer = setTimeout(() => {
      req.pause();
      finish({ ok: false, status: 408, message: `FAIL body not received within ${timeoutMs} ms`, closeConnection: true });
    }, timeoutMs);
    const finish = (result: BodyResult) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      req.off('data', onData);
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.pause();
        finish(tooLarge(limit));
      } else chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => finish(decode(Buffer.concat(chunks))));
    req.on('error', () => finish({ ok: false, status: 400, message: 'FAIL the request body could not be read' }));
    req.once('close', () => finish({ ok: false, status: 400, message: 'FAIL the request was closed before its body ended' }));
  });
}
