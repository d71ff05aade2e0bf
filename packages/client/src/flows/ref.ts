/**
 * The order reference the `waitForFinal` flows take: the identifying fields themselves
 * (`{ MERORDERID }`, `{ ORDERNO }`…), or the result of the call that left the order undecided
 * (`{ operation, body, … }`: its verified `body` carries them). Issue #3 "waitForFinal".
 */
export function orderRef(ref: object): Record<string, unknown> {
  if (ref === null || typeof ref !== 'object') return {};
  const body = (ref as { body?: unknown }).body;
  if ('operation' in ref && body !== null && typeof body === 'object' && !Array.isArray(body))
    return body as Record<string, unknown>;
  return ref as Record<string, unknown>;
}

/** A result of an earlier call, accepted wherever an order reference is (see `orderRef`). */
export interface ResultRef {
  operation: string;
  body: object;
}
