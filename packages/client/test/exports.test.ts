import { expect, it } from 'vitest';

it('exports exactly these names', async () => {
  expect(Object.keys(await import('@mmsp/client')).sort()).toMatchInlineSnapshot(`
    [
      "DEFAULT_CLAIM_TTL_MS",
      "DEFAULT_NOTIFICATION_MAX_BODY_BYTES",
      "DEFAULT_QUERY_RETRY",
      "MemoryNotificationStore",
      "MmspBusinessError",
      "MmspConfigError",
      "MmspEncodingError",
      "MmspError",
      "MmspProtocolError",
      "MmspSignatureError",
      "MmspTransportError",
      "MmspValidationError",
      "NOTIFICATION_COMMANDS",
      "NOTIFICATION_HTTP_ANSWERS",
      "QUERY_OPERATIONS",
      "SMS_RESEND_INTERVAL_MS",
      "STATE_RULES",
      "backoffDelay",
      "createClient",
      "createClientCore",
      "createNotificationReceiver",
      "createRedactor",
      "escapeHtml",
      "gatewayFormHtml",
      "maskTail",
      "normalizeState",
      "notificationEndpointIssues",
      "notificationId",
      "notificationRequestProblem",
      "openIdRedirectUrl",
      "openNotification",
      "parseGatewayReturn",
      "pureCrypto",
      "readOpenIdToken",
      "validateConfig",
      "wechatH5WakeUrl",
    ]
  `);
});
