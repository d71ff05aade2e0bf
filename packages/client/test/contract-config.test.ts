// Contract probe (issue #3, issue #4): `payout` keys are optional in createClient's config, and the
// sandbox's GET /_sandbox/merchant answers `endpoints` for all four families. A stranger building a
// scan-only client from those endpoints must get a working client; only a payout call needs the keys,
// and it fails with MmspConfigError before anything is sent (never a half-sent payout).
import { expect, it } from 'vitest';
import { MmspConfigError } from '@mmsp/codec';
import { createClient } from '../src/client.js';
import { MERCHANT } from './support/keys.js';
import { ENDPOINTS, createMemoryPlatform } from './support/memory-platform.js';
import { sampleBody } from './support/samples.js';

it('constructs with all four endpoints and no payout keys; scan works, a payout call fails unsent', async () => {
  const platform = createMemoryPlatform({ ...MERCHANT });
  const client = createClient({ ...MERCHANT, endpoints: { ...ENDPOINTS }, transport: platform.transport });
  const paid = await client.scan.wechatMicropay(sampleBody('scan.wechatMicropay') as never);
  expect(paid.operation).toBe('scan.wechatMicropay');
  const sentBefore = platform.exchanges.length;
  const error = await client.payout.pay(sampleBody('payout.pay') as never).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MmspConfigError);
  expect((error as MmspConfigError).issues.map((i) => i.field)).toEqual(['payout']);
  expect(platform.exchanges.length).toBe(sentBefore);
});
