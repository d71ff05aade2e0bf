import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Browser tests: playwright-core driving Debian's Chromium (/usr/bin/chromium, installed by .ci/run).
// They FAIL when Chromium is missing. Screenshots go to apps/demo/test-results/.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  test: {
    name: 'demo-browser',
    include: ['test/**/*.ci.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    globalSetup: ['test/support/build.ts'],
    testTimeout: 120_000,
    hookTimeout: 240_000,
    fileParallelism: false,
  },
});
