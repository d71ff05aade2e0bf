import { defineConfig } from 'vitest/config';

// CI-only tests: they need software that `.ci/run` installs (php-cli, redis-server, PostgreSQL,
// deno/bun/workerd, Chromium). They fail, never skip, when it is missing.
const conditions = ['source', 'import', 'module', 'node', 'default'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions: ['source', 'node'], externalConditions: ['source', 'node'] } },
  test: {
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    projects: [
      {
        extends: true,
        test: {
          name: 'packages-ci',
          include: ['packages/*/test/**/*.ci.test.ts'],
          exclude: ['**/node_modules/**', '**/dist/**', 'packages/nestjs-module/**'],
        },
      },
      // The demo in Chromium (playwright-core + Debian's chromium), screenshots in apps/demo/test-results/.
      'apps/demo/vitest.ci.config.ts',
    ],
  },
});
