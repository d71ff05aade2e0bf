import { fileURLToPath } from 'node:url';
import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

// NestJS needs decorators with emitted metadata; esbuild (vitest's default transform) emits no
// decorator metadata, so this package's tests are transformed by SWC. Workspace packages resolve to
// their TypeScript sources through the `source` condition, as in the root config.
// Vitest hands `ssr.resolve.conditions` to the worker as Node `--conditions`; `import` or `module`
// there make Node's require() pick the ESM file of dual packages (Express 5's router then gets
// is-promise's namespace object: "isPromise is not a function" on every Express route), so the SSR
// list holds only `source` and Node's own `node`.
const conditions = ['source', 'import', 'module', 'node', 'default'];
const ssrConditions = ['source', 'node'];

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [swc.vite({ module: { type: 'es6' } })],
  resolve: { conditions },
  ssr: { resolve: { conditions: ssrConditions, externalConditions: ssrConditions } },
  test: {
    name: 'nestjs-module',
    include: ['test/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**', '**/*.ci.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
