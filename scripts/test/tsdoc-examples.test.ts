// The TSDoc @example blocks of the public API typecheck against the built packages
// (scripts/tsdoc-examples.mjs), and issue #12's entry points carry one. Runs after `pnpm test`
// has built every package.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type * as TS from 'typescript';
import { LIBRARY_PACKAGES, ROOT, entryDeclarationFile } from '../tsdoc-coverage.mjs';
import { collectExamples, extractExamples, typecheckExamples } from '../tsdoc-examples.mjs';

const ts = createRequire(import.meta.url)('typescript') as typeof TS;

/** Issue #12: "an example (`@example`) on each entry point". */
const ENTRY_POINTS: Record<string, string[]> = {
  client: ['createClient', 'MmspClient', 'ClientConfig'],
  'http-node': [
    'createNodeClient',
    'createNotificationHandler',
    'fastifyNotificationRoute',
    'koaNotificationMiddleware',
  ],
  'fetch-edge': ['createFetchClient', 'createNotificationHandler'],
  'nestjs-module': ['MmspModule', 'MmspService', 'MmspNotificationHandler'],
  'store-redis': ['RedisNotificationStore'],
  'store-postgres': ['PostgresNotificationStore'],
  opentelemetry: ['mmspTelemetryHooks'],
  sandbox: ['startSandbox'],
  cli: ['run'],
};

describe('TSDoc examples', () => {
  it('finds a fenced block in a JSDoc comment, with the line of its first code line, even past a decorator', () => {
    const text = [
      '/**', //                                   1
      ' * Summary.', //                           2
      ' *', //                                    3
      ' * @example', //                           4
      ' * ```ts', //                              5
      " * import { Injectable } from '@nestjs/common';", // 6
      ' * @Injectable()', //                      7
      ' * class A {}', //                         8
      ' * ```', //                                9
      ' */', //                                   10
      'export function f(): void {}', //          11
      '// ```ts not in a JSDoc comment ```',
      '',
    ].join('\n');
    expect(extractExamples(text, 'x.ts')).toEqual([
      { file: 'x.ts', line: 6, code: "import { Injectable } from '@nestjs/common';\n@Injectable()\nclass A {}\n" },
    ]);
  });

  it('reports a wrong example with its file and line', () => {
    const problems = typecheckExamples([
      {
        pkg: 'http-node',
        file: 'packages/http-node/src/fake.ts',
        line: 40,
        code: "import { createNodeClient } from '@mmsp/http-node';\n\ncreateNodeClient({ merchantNo: 15 });\n",
      },
      // An import the package does not depend on resolves from the workspace package that does.
      {
        pkg: 'codec',
        file: 'packages/codec/src/fake.ts',
        line: 7,
        code: "import { startSandbox } from '@mmsp/sandbox';\nawait startSandbox({ port: '80' });\n",
      },
    ]);
    expect(problems).toHaveLength(2);
    const [codec, httpNode] = [...problems].sort((a, b) => a.file.localeCompare(b.file));
    expect(httpNode).toMatchObject({ file: 'packages/http-node/src/fake.ts', line: 42 });
    expect(httpNode!.message).toMatch(/number.*not assignable to.*string/);
    expect(codec).toMatchObject({ file: 'packages/codec/src/fake.ts', line: 8 });
  });

  it('every @example of every library package typechecks against the built packages', () => {
    const examples = collectExamples(ROOT, LIBRARY_PACKAGES);
    for (const pkg of Object.keys(ENTRY_POINTS)) {
      expect(examples.filter((e) => e.pkg === pkg).length, `examples in packages/${pkg}`).toBeGreaterThan(0);
    }
    const problems = typecheckExamples(examples).map((p) => `${p.file}:${p.line}: ${p.message}`);
    expect(problems).toEqual([]);
  }, 180_000);

  it("issue #12's entry points carry an @example in the built .d.ts", () => {
    const files = Object.keys(ENTRY_POINTS).map((pkg) => entryDeclarationFile(join(ROOT, 'packages', pkg)) as string);
    const program = ts.createProgram(files, {
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      noEmit: true,
      skipLibCheck: true,
      types: [],
    });
    const checker = program.getTypeChecker();
    const missing: string[] = [];
    Object.entries(ENTRY_POINTS).forEach(([pkg, names], i) => {
      const source = program.getSourceFile(files[i]!);
      expect(source, `built entry of packages/${pkg} (run pnpm build)`).toBeDefined();
      const exports = checker.getExportsOfModule(checker.getSymbolAtLocation(source!)!);
      for (const name of names) {
        let symbol = exports.find((s) => s.name === name);
        if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
        if (!symbol?.getJsDocTags(checker).some((tag) => tag.name === 'example')) missing.push(`@mmsp/${pkg}: ${name}`);
      }
    });
    expect(missing).toEqual([]);
  }, 60_000);
});
