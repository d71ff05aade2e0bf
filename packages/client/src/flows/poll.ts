/**
 * The polling loop of every `waitForFinal` (issue #13): a lost, unreadable or untrusted answer, or
 * "no such order" right after placing it, is polled through like a lost one. The loop ends with a
 * final state, with the last readable answer when the deadline passes first, or — when no readable
 * answer came at all — with `MmspOutcomeUnknownError`. Nothing else comes out of it.
 */
import { MmspOutcomeUnknownError, MmspError, type OperationName } from '@mmsp/codec';
import type { Engine } from '../engine.js';
import type { MmspResult } from '../result.js';
import { queryMayAnswerLater } from './settle.js';

export interface PollInput {
  operation: string;
  merchantOrderId: string | undefined;
  query: OperationName;
  queryBody: Record<string, unknown>;
  isFinal: (result: MmspResult) => boolean;
  deadlineMs: number;
  intervalMs: number;
  maxIntervalMs: number;
  signal?: AbortSignal;
}

export async function pollUntilFinal(
  engine: Engine,
  input: PollInput,
): Promise<{ final: boolean; result: MmspResult }> {
  const deadline = engine.runtime.now().getTime() + input.deadlineMs;
  let interval = input.intervalMs;
  let last: MmspResult | undefined;
  let lastState: string | undefined;
  let lastError: unknown;
  let queries = 0;
  try {
    for (;;) {
      queries++;
      try {
        const result = await engine.call(input.query, input.queryBody, input.signal ? { signal: input.signal } : {});
        if (input.isFinal(result)) return { final: true, result };
        last = result;
        lastState = result.state ?? lastState;
      } catch (error) {
        lastError = error;
        if (!queryMayAnswerLater(error)) break;
      }
      if (engine.runtime.now().getTime() + interval > deadline) break;
      await engine.runtime.sleep(interval, input.signal);
      interval = Math.min(Math.ceil(interval * 1.5), input.maxIntervalMs);
    }
  } catch (error) {
    lastError = error; // the caller's signal, a throwing clock or sleep: stopped before the deadline
    last = undefined;
  }
  if (last !== undefined) return { final: false, result: last };
  const detail =
    lastError instanceof MmspError
      ? `${lastError.name}: ${lastError.message.split('\n')[0]!.slice(0, 200)}`
      : String(lastError).slice(0, 200);
  const unknown = new MmspOutcomeUnknownError({
    operation: input.operation,
    ...(input.merchantOrderId !== undefined ? { merchantOrderId: input.merchantOrderId } : {}),
    ...(lastState !== undefined ? { lastKnownState: lastState } : {}),
    queryOperation: input.query,
    reason: `${queries} quer${queries === 1 ? 'y' : 'ies'} gave no readable answer with a final state (last: ${detail})`,
    cause: lastError,
  });
  // The last query's metadata (issue #15), when it got as far as a request.
  if (lastError instanceof MmspError && lastError.meta !== undefined) unknown.meta = lastError.meta;
  throw unknown;
}
