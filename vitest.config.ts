import { defineConfig } from 'vitest/config';

// One run for the whole workspace. Workspace packages resolve to their TypeScript sources through
// the `source` export condition, so a test never runs against a stale build.
// Tests that need software a fresh machine lacks (php-cli, redis-server, PostgreSQL, real edge
// runtimes, Chromium) are named `*.ci.test.ts` and run by `.ci/run` through vitest.ci.config.ts.
const conditions = ['source', 'import', 'module', 'node', 'default'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: conditions } },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'apps/*/test/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**', '**/*.ci.test.ts', 'packages/nestjs-module/**', 'apps/demo/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
