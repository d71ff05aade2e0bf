import { expect, it } from 'vitest';

it('exports exactly these names', async () => {
  expect(Object.keys(await import('@mmsp/sandbox')).sort()).toMatchInlineSnapshot(`
    [
      "CARD_TEST_NUMBERS",
      "MICROPAY_TEST_CODES",
      "PAYOUT_TEST_ACCOUNTS",
      "TEST_MERCHANT",
      "retrySchedule",
      "startSandbox",
    ]
  `);
});
