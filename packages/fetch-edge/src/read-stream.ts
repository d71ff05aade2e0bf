// Reading a WHATWG body stream with a size limit: the platform's answers (fetch-transport.ts) and
// the notifications it pushes (notification-handler.ts) are both small, so anything beyond the
// limit is cut off at once and the rest never buffered.
import { concatBytes } from '@mmsp/codec';

export type LimitedRead = { bytes: Uint8Array } | { exceededAt: number };

/** Every byte of `body` (none for `null`), or the size reached when it went beyond `limit` (the stream is cancelled). */
export async function readStreamLimited(body: ReadableStream<Uint8Array> | null, limit: number): Promise<LimitedRead> {
  if (!body) return { bytes: new Uint8Array(0) };
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel().catch(() => undefined);
      return { exceededAt: total };
    }
    chunks.push(value);
  }
  return { bytes: concatBytes(chunks) };
}
