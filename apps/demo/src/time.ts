/**
 * One time zone everywhere the shop shows a time: China time (UTC+8), the platform's own, whatever
 * the host's zone. Written `2026-12-06 16:50:03 +08:00` so nobody has to guess.
 */
import { chinaDateTime } from '@mmsp/codec';

export const CHINA_OFFSET = '+08:00';

/** `YYYY-MM-DD hh:mm:ss +08:00` for epoch milliseconds. */
export function chinaTimeText(ms: number): string {
  return `${chinaDateTime(new Date(ms))} ${CHINA_OFFSET}`;
}

/** ISO 8601 with the China offset (`2026-12-06T16:50:03+08:00`), for `<time datetime>`. */
export function chinaTimeIso(ms: number): string {
  return `${chinaDateTime(new Date(ms)).replace(' ', 'T')}${CHINA_OFFSET}`;
}

/**
 * A platform time as it came (`YYYYMMDDhhmmss` or `YYYY-MM-DD hh:mm:ss`, China time by the
 * document) in the same form, or `undefined` when it is neither.
 */
export function platformTimeText(text: string): string | undefined {
  const m = /^(\d{4})-?(\d{2})-?(\d{2})[ T]?(\d{2}):?(\d{2}):?(\d{2})$/.exec(text.trim());
  return m ? `${m[1]}-${m[2]}-${m[3]} ${m[4]}:${m[5]}:${m[6]} ${CHINA_OFFSET}` : undefined;
}
