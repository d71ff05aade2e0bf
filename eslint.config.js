import tseslint from 'typescript-eslint';

// The codec and the client are runtime-neutral: they run unchanged in Node, Deno, Bun, workerd and
// browsers. This rule is the guarantee (docs/ARCHITECTURE.md): no node:* imports, no Buffer, no process.
const nodeModules = [
  'assert',
  'buffer',
  'child_process',
  'cluster',
  'crypto',
  'dgram',
  'dns',
  'events',
  'fs',
  'fs/promises',
  'http',
  'http2',
  'https',
  'net',
  'os',
  'path',
  'perf_hooks',
  'process',
  'querystring',
  'readline',
  'stream',
  'string_decoder',
  'timers',
  'tls',
  'tty',
  'url',
  'util',
  'v8',
  'vm',
  'worker_threads',
  'zlib',
];

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      '**/.turbo/**',
      '**/*.d.ts',
      'tools/**',
      '**/.runtimes/**',
      '**/test-results/**',
      '**/.ci-work/**',
    ],
  },
  {
    // Every TypeScript file of the workspace is parsed; tests may not be focused or skipped (a
    // skipped test is a test that cannot fail).
    files: ['**/*.ts', '**/*.mts'],
    languageOptions: { parser: tseslint.parser },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: {
      'no-debugger': 'error',
      '@typescript-eslint/no-explicit-any': 'warn',
      'no-restricted-syntax': [
        'error',
        {
          selector:
            "CallExpression[callee.type='MemberExpression'][callee.object.name=/^(it|test|describe|suite)$/][callee.property.name=/^(only|skip|todo|skipIf|runIf)$/]",
          message: 'No focused, skipped or todo tests: a test must be able to fail.',
        },
      ],
    },
  },
  {
    // Type-aware rules (issue #14): a promise nobody awaits loses its error (an unhandled
    // rejection) and, in a payment flow, its outcome. Every package's sources and tests, the demo.
    files: ['packages/*/src/**/*.ts', 'packages/*/test/**/*.ts', 'apps/*/src/**/*.ts', 'apps/*/test/**/*.ts'],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
    },
  },
  {
    // Awaiting a value that is never a promise is a sign of a misread API. Tests may await a
    // store's maybe-synchronous answer, to run one contract over synchronous and asynchronous stores.
    files: ['packages/*/src/**/*.ts', 'apps/*/src/**/*.ts'],
    rules: { '@typescript-eslint/await-thenable': 'error' },
  },
  {
    files: [
      'packages/codec/src/**/*.ts',
      'packages/client/src/**/*.ts',
      'packages/fetch-edge/src/**/*.ts',
      'packages/opentelemetry/src/**/*.ts',
    ],
    // @mmsp/opentelemetry's main entry is runtime-neutral; its `./node` entry subscribes to diagnostics_channel.
    ignores: ['packages/opentelemetry/src/node.ts'],
    languageOptions: { parser: tseslint.parser },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*'], message: 'The codec and the client are runtime-neutral: no node:* imports.' },
          ],
          paths: nodeModules.map((name) => ({
            name,
            message: 'The codec and the client are runtime-neutral: no Node built-ins.',
          })),
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'Buffer', message: 'Runtime-neutral code uses Uint8Array, not Buffer.' },
        { name: 'process', message: 'Runtime-neutral code never reads process; take configuration as arguments.' },
        { name: 'require', message: 'ESM only.' },
        { name: '__dirname', message: 'ESM only, and runtime-neutral.' },
      ],
    },
  },
);
