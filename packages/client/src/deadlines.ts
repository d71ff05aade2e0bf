/**
 * The deadlines of every exchange in flight (send.ts), on one host timer instead of a
 * `setTimeout` set and cleared per request: a request adds itself to the list of its duration
 * (durations are few, and within one list deadlines come in the order they were set), and the
 * host timer is armed for the earliest deadline only. Settling a request unlinks it; the host
 * timer is left as it is, so a next request with the same duration re-arms nothing.
 *
 * Semantics kept from `setTimeout(expire, ms)` (PROTOCOL §6: an expired request may have reached
 * the platform):
 * - a request expires no earlier than `ms` after it was added, by the monotonic clock
 *   (`performance.now()`; `Date.now()` where there is none); when the host timer fires a little
 *   before a deadline, it is re-armed for the rest;
 * - a duration that is not a number from 1 to 2^31 − 1 ms counts as 1 ms, as Node's `setTimeout`;
 * - nothing in flight, nothing keeps the process alive: the host timer is `unref`ed where it can
 *   be (Node, Bun), cleared where it cannot (browsers, Deno, workers).
 */

/** What expires: called once, when its deadline has passed and it is still waiting. */
export interface Expiring {
  expired(): void;
}

/**
 * One exchange's deadline and its place in its duration's list. A separate object, not fields of
 * the exchange: the exchange is the request a transport gets, which must not carry links to
 * other requests.
 */
export class Deadline {
  /** When it expires, by the monotonic clock. */
  at = 0;
  /** The list it is in while it waits, else `undefined`. */
  lane: Lane | undefined = undefined;
  previous: Deadline | undefined = undefined;
  next: Deadline | undefined = undefined;
  constructor(readonly target: Expiring) {}
}

/** The waiting exchanges of one duration, earliest deadline first. */
export class Lane {
  head: Deadline | undefined = undefined;
  tail: Deadline | undefined = undefined;
  constructor(readonly ms: number) {}
}

type HostTimer = ReturnType<typeof setTimeout>;

const TIMEOUT_MAX = 2 ** 31 - 1;
/** Empty lanes kept for reuse; beyond this, a lane is dropped when it empties (durations may vary per call). */
const SPARE_LANES = 4;

/** A monotonic clock where the runtime has one (every runtime the client supports does); the calls' `elapsedMs` read it too. */
export const clock: () => number =
  typeof performance !== 'undefined' && typeof performance.now === 'function'
    ? () => performance.now()
    : () => Date.now();

const lanes = new Map<number, Lane>();
let waiting = 0;
let timer: HostTimer | undefined = undefined;
/** The deadline the host timer is armed for (`Infinity`: none). */
let timerAt = Infinity;
let timerHeld = false;

/** Starts `entry`'s deadline `ms` from `now` (a `clock()` reading just taken; default a new one). */
export function addDeadline(entry: Deadline, ms: number, now: number = clock()): void {
  const duration = ms >= 1 && ms <= TIMEOUT_MAX ? ms : 1;
  entry.at = now + duration;
  let lane = lanes.get(duration);
  if (lane === undefined) {
    lane = new Lane(duration);
    lanes.set(duration, lane);
  }
  entry.lane = lane;
  entry.next = undefined;
  entry.previous = lane.tail;
  if (lane.tail === undefined) lane.head = entry;
  else lane.tail.next = entry;
  lane.tail = entry;
  waiting++;
  if (entry.at < timerAt) arm(entry.at, now);
  else if (!timerHeld) hold(true);
}

/** Ends `entry`'s deadline (settled first): nothing happens to it any more. */
export function removeDeadline(entry: Deadline): void {
  const lane = entry.lane;
  if (lane === undefined) return;
  unlink(entry, lane);
  if (waiting === 0 && timer !== undefined) {
    if (typeof (timer as { unref?: unknown }).unref === 'function') hold(false);
    else {
      clearTimeout(timer);
      timer = undefined;
      timerAt = Infinity;
      timerHeld = false;
    }
  }
}

function unlink(entry: Deadline, lane: Lane): void {
  if (entry.previous === undefined) lane.head = entry.next;
  else entry.previous.next = entry.next;
  if (entry.next === undefined) lane.tail = entry.previous;
  else entry.next.previous = entry.previous;
  entry.lane = entry.previous = entry.next = undefined;
  waiting--;
  if (lane.head === undefined && lanes.size > SPARE_LANES) lanes.delete(lane.ms);
}

function arm(deadline: number, now: number): void {
  if (timer !== undefined) clearTimeout(timer);
  // Whole milliseconds, rounded up: never before the deadline.
  timer = setTimeout(fire, Math.min(TIMEOUT_MAX, Math.max(1, Math.ceil(deadline - now))));
  timerAt = deadline;
  timerHeld = true;
}

/** `ref`/`unref` of a host timer that has them: held while anything waits. */
function hold(held: boolean): void {
  const t = timer as { ref?: () => unknown; unref?: () => unknown } | undefined;
  if (t === undefined || typeof t.ref !== 'function' || typeof t.unref !== 'function') return;
  if (held) t.ref();
  else t.unref();
  timerHeld = held;
}

/** The host timer: every exchange past its deadline expires; the timer is armed for the next. */
function fire(): void {
  timer = undefined;
  timerAt = Infinity;
  timerHeld = false;
  const now = clock();
  const due: Deadline[] = [];
  let next = Infinity;
  for (const lane of lanes.values()) {
    let entry = lane.head;
    while (entry !== undefined && entry.at <= now) {
      const after: Deadline | undefined = entry.next;
      unlink(entry, lane);
      due.push(entry);
      entry = after;
    }
    if (entry !== undefined && entry.at < next) next = entry.at;
  }
  if (next !== Infinity) arm(next, now);
  // Every due exchange expires even if one of them throws; the first error is thrown after.
  let failure: { error: unknown } | undefined;
  for (const entry of due) {
    try {
      entry.target.expired();
    } catch (error) {
      failure ??= { error };
    }
  }
  if (failure !== undefined) throw failure.error;
}

/** For tests: how many exchanges wait, and whether the host timer keeps the process alive. */
export function deadlineState(): { waiting: number; armed: boolean; held: boolean } {
  return { waiting, armed: timer !== undefined, held: timer !== undefined && timerHeld };
}
