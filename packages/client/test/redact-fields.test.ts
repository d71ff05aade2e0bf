// The redactor's field lists are written out (so that a receiver does not bundle the catalogue);
// this test derives them from the catalogue's `secret` / `personal` flags, as the redactor once
// did at load time, and fails when a catalogue change is not carried into src/redact.ts.
import { catalogue, notifications, type FieldSpec } from '@mmsp/codec';
import { describe, expect, it } from 'vitest';
import { PERSONAL_FIELDS, SECRET_FIELDS, createRedactor } from '../src/redact.js';

function flaggedFromCatalogue(): { secret: string[]; personal: string[] } {
  const secret = new Set<string>();
  const personal = new Set<string>();
  const visit = (f: FieldSpec) => {
    if (f.personal) personal.add(f.name);
    else if (f.secret) secret.add(f.name);
    f.items?.forEach(visit);
  };
  for (const op of Object.values(catalogue) as { request: readonly FieldSpec[]; response: readonly FieldSpec[] }[]) {
    op.request.forEach(visit);
    op.response.forEach(visit);
  }
  for (const n of Object.values(notifications) as { fields: readonly FieldSpec[] }[]) n.fields.forEach(visit);
  // A name flagged `secret` somewhere and `personal` elsewhere is masked, not hidden.
  for (const name of personal) secret.delete(name);
  return { secret: [...secret].sort(), personal: [...personal].sort() };
}

describe('redactor field lists', () => {
  it("are exactly the catalogue's secret and personal fields", () => {
    const derived = flaggedFromCatalogue();
    expect([...SECRET_FIELDS].sort()).toEqual(derived.secret);
    expect([...PERSONAL_FIELDS].sort()).toEqual(derived.personal);
  });

  it('hide every secret field and mask every personal one', () => {
    const redactor = createRedactor([]);
    const { secret, personal } = flaggedFromCatalogue();
    const input = Object.fromEntries([...secret, ...personal].map((name) => [name, '6225123456781234']));
    const out = redactor.value(input) as Record<string, unknown>;
    for (const name of secret) expect(out[name], name).toBe('[redacted]');
    for (const name of personal) expect(out[name], name).toBe('************1234');
  });
});
