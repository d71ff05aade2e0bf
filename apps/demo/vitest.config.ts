import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// The demo's tests run the BUILT app (`node dist/main.js`) as a child process, as `pnpm demo`
// does; the global setup builds it and its workspace dependencies first (turbo, cached).
// Browser tests (*.ci.test.ts, Chromium) run with vitest.ci.config.ts.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  test: {
    name: 'demo',
    include: ['test/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**', '**/*.ci.test.ts'],
    globalSetup: ['test/support/build.ts'],
    testTimeout: 60_000,
    hookTimeout: 240_000,
    fileParallelism: false,
  },
});
