import { expect, it } from 'vitest';

it('exports exactly these names', async () => {
  expect(Object.keys(await import('@mmsp/cli')).sort()).toMatchInlineSnapshot(`
    [
      "EXIT_FAIL",
      "EXIT_OK",
      "EXIT_UNEXPLAINED",
      "EXIT_USAGE",
      "run",
    ]
  `);
});
