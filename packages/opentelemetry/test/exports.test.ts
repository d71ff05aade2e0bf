import { expect, it } from 'vitest';

it('exports exactly the documented names', async () => {
  expect(Object.keys(await import('@mmsp/opentelemetry')).sort()).toMatchInlineSnapshot(`
    [
      "MMSP_INSTRUMENTATION_SCOPE",
      "MmspAttributes",
      "MmspMetrics",
      "mmspTelemetryHooks",
    ]
  `);
});

it('the Node entry exports exactly the documented names', async () => {
  expect(Object.keys(await import('@mmsp/opentelemetry/node')).sort()).toMatchInlineSnapshot(`
    [
      "MMSP_CHANNELS",
      "MMSP_INSTRUMENTATION_SCOPE",
      "instrumentMmsp",
    ]
  `);
});
