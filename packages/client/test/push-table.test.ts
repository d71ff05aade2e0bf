// The push checks read a table written out in src/notifications/open.ts (so that a receiver does
// not bundle the catalogue's notification specs); this test derives that table from the codec's
// `notifications` and fails when a spec changes without the table.
import { notifications, type NotificationSpec } from '@mmsp/codec';
import { describe, expect, it } from 'vitest';
import { PUSH_TABLE, type PushTable } from '../src/notifications/open.js';

function fromSpec(spec: NotificationSpec): PushTable {
  const roles = spec.roles as { merchantOrderId: string; platformOrderId: string; paidAt: string };
  const maxLength: Record<string, number> = {};
  for (const name of ['AMT', roles.merchantOrderId, roles.platformOrderId]) {
    const field = spec.fields.find((f) => f.name === name);
    if (field?.maxLength !== undefined) maxLength[name] = field.maxLength;
  }
  return {
    commandIds: [...spec.commandIds],
    merchantOrderId: roles.merchantOrderId,
    platformOrderId: roles.platformOrderId,
    paidAt: roles.paidAt,
    maxLength,
    times: spec.fields
      .filter((f) => f.format === 'timestamp14' || f.format === 'dateTime')
      .map((f) => ({ name: f.name, format: f.format as 'timestamp14' | 'dateTime' })),
  };
}

describe('push table', () => {
  it('has the three MD5 families of the catalogue', () => {
    expect(Object.keys(PUSH_TABLE).sort()).toEqual(Object.keys(notifications).sort());
  });

  for (const family of Object.keys(notifications) as (keyof typeof notifications)[]) {
    it(`${family}: is what the catalogue's notification spec says`, () => {
      const table = PUSH_TABLE[family];
      const derived = fromSpec(notifications[family] as NotificationSpec);
      expect({ ...table, commandIds: [...table.commandIds].sort(), maxLength: { ...table.maxLength } }).toEqual({
        ...derived,
        commandIds: [...derived.commandIds].sort(),
      });
    });
  }
});
