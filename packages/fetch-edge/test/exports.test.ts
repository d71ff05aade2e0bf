import { expect, it } from 'vitest';

it('exports exactly these names', async () => {
  expect(Object.keys(await import('@mmsp/fetch-edge')).sort()).toMatchInlineSnapshot(`
    [
      "MmspOutcomeUnknownError",
      "createFetchClient",
      "createNotificationHandler",
      "fetchTransport",
      "provablyNotSent",
      "webCryptoProvider",
    ]
  `);
});
