import { expect, it } from 'vitest';

it('exports exactly the documented names', async () => {
  expect(Object.keys(await import('@mmsp/store-postgres')).sort()).toMatchInlineSnapshot(`
    [
      "PostgresNotificationStore",
      "PostgresSendLedger",
      "createPostgresNotificationStore",
    ]
  `);
});
