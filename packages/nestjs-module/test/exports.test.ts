import { expect, it } from 'vitest';

it('exports exactly these names', async () => {
  expect(Object.keys(await import('@mmsp/nestjs-module')).sort()).toMatchInlineSnapshot(`
    [
      "DEFAULT_NOTIFY_PATH",
      "InjectMmspClient",
      "MMSP_CLIENT",
      "MMSP_MODULE_OPTIONS",
      "MMSP_NOTIFICATION_HANDLER",
      "MmspExceptionFilter",
      "MmspModule",
      "MmspNotificationHandler",
      "MmspOutcomeUnknownError",
      "MmspService",
      "mmspErrorResponse",
    ]
  `);
});
