// Reading a WHATWG body stream with a size limit: the platform's answers (fetch-transport.ts) and
// the notifications it pushes (notification-handler.ts) are both small, so anything beyond the
// limit is cut off at once and the rest never buffered. A receiver also gives the whole body a
// deadline, so that a body trickling in cannot hold it (issue #13 item 9).
import { concatBytes } from '@mmsp/codec/bytes';

export type LimitedRead = { bytes: Uint8Array } | { exceededAt: number } | { timedOutAfterMs: number };

/**
 * Every byte of `body` (none for `null`), the size reached when it went beyond `limit`, or, with
 * `deadlineMs`, the deadline when the whole body had not arrived within it. The stream is
 * cancelled in both refusals.
 */
export async function readStreamLimited(
  body: ReadableStream<Uint8Array> | null,
  limit: number,
  deadlineMs?: number,
): Promise<LimitedRead> {
  if (!body) return { bytes: new Uint8Array(0) };
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired =
    deadlineMs === undefined
      ? undefined
      : new Promise<'expired'>((resolve) => {
          timer = setTimeout(() => resolve('expired'), deadlineMs);
        });
  try {
    for (;;) {
      const next = expired === undefined ? await reader.read() : await Promise.race([reader.read(), expired]);
      if (next === 'expired') {
        // Not awaited: a stalled source may never settle its cancel.
        reader.cancel().catch(() => undefined);
        return { timedOutAfterMs: deadlineMs! };
      }
      const { done, value } = next;
      if (done) break;
      total += value.byteLength;
      if (total > limit) {
        await reader.cancel().catch(() => undefined);
        return { exceededAt: total };
      }
      chunks.push(value);
    }
  } finally {
    if (timer !== undefined) clearTimeout(timer);
  }
  return { bytes: concatBytes(chunks) };
}
