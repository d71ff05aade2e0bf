import { expect, it } from 'vitest';

it('exports exactly the documented names', async () => {
  expect(Object.keys(await import('@mmsp/store-redis')).sort()).toMatchInlineSnapshot(`
    [
      "RedisNotificationStore",
      "RedisSendLedger",
      "createRedisNotificationStore",
    ]
  `);
});
