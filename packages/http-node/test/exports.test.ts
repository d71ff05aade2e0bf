import { expect, it } from 'vitest';

it('exports exactly the documented names', async () => {
  expect(Object.keys(await import('@mmsp/http-node')).sort()).toMatchInlineSnapshot(`
    [
      "DEFAULT_MAX_BODY_BYTES",
      "MMSP_DIAGNOSTICS_CHANNELS",
      "MmspOutcomeUnknownError",
      "createNodeClient",
      "createNotificationHandler",
      "fastifyNotificationRoute",
      "koaNotificationMiddleware",
      "nodeHttpTransport",
      "opensslCrypto",
    ]
  `);
});
