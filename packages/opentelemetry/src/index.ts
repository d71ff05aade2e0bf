// @mmsp/opentelemetry — the client's hook events as OpenTelemetry spans and metrics (issue #15),
// through @opentelemetry/api only: runtime-neutral. `@mmsp/opentelemetry/node` adds the
// diagnostics_channel subscriber for Node.
export { mmspTelemetryHooks, MMSP_INSTRUMENTATION_SCOPE } from './telemetry.js';
export type { MmspTelemetryOptions, MmspCallOutcome } from './telemetry.js';
export { MmspAttributes, MmspMetrics } from './attributes.js';
