import { defineConfig } from 'vitest/config';

// One run for the whole workspace. Workspace packages resolve to their TypeScript sources through
// the `source` export condition, so a test never runs against a stale build.
// Tests that need software a fresh machine lacks (php-cli, redis-server, PostgreSQL, real edge
// runtimes, Chromium) are named `*.ci.test.ts` and run by `.ci/run` through vitest.ci.config.ts.
//
// Vitest hands `ssr.resolve.conditions` to the worker as Node `--conditions`; `import` or `module`
// there make Node's require() pick the ESM file of dual packages (Express 5's router, pg-pool), so
// the SSR list holds only `source` and Node's own `node`.
const conditions = ['source', 'import', 'module', 'node', 'default'];
const ssrConditions = ['source', 'node'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions: ssrConditions, externalConditions: ssrConditions } },
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'packages',
          include: ['packages/*/test/**/*.test.ts'],
          exclude: ['**/node_modules/**', '**/dist/**', '**/*.ci.test.ts', 'packages/nestjs-module/**'],
        },
      },
      // Repository tooling (scripts/*.mjs), e.g. the TSDoc coverage counter over the built .d.ts.
      {
        extends: true,
        test: { name: 'scripts', include: ['scripts/test/**/*.test.ts'] },
      },
      // The runnable examples (run with node against the built packages) and the READMEs' code
      // samples (typechecked against the built packages).
      {
        extends: true,
        test: { name: 'examples', include: ['examples/test/**/*.test.ts'] },
      },
      // Checks across packages: their built output (dual ESM + CommonJS builds) and the release (issue #12).
      {
        extends: true,
        test: { name: 'workspace', include: ['test/**/*.test.ts'], exclude: ['**/node_modules/**', '**/*.ci.test.ts'] },
      },
      // NestJS needs decorator metadata: its tests are transformed by SWC (own config).
      'packages/nestjs-module/vitest.config.ts',
      // The demo shop: boots the built app with its embedded sandbox and drives it over HTTP.
      'apps/demo/vitest.config.ts',
    ],
  },
});
