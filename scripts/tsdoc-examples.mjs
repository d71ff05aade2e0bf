#!/usr/bin/env node
// The `@example` code of the public API's TSDoc, typechecked (issue #12: an example must be correct
// against the real API). Every ```ts / ```typescript block inside a JSDoc comment of a library
// package's src is compiled as a merchant's file beside that package would be: the packages by name,
// through their `exports` and built .d.ts, in one in-memory program (nothing is written). A block may
// import any workspace package and any dependency of one (express, fastify, koa, ioredis, pg,
// @nestjs/*…): a user installs what an example imports. Like the README samples, a block states what
// it takes for granted with a `declare` line.
//
//   node scripts/tsdoc-examples.mjs [package…]      (after `pnpm build`)
//
// Prints every problem as `file:line: message` and exits 1 when there is one. The raw comment text
// is read, not TypeScript's JSDoc tags: TypeScript ends an @example at a decorator that starts a
// line (`@Injectable()`), typedoc does not.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { LIBRARY_PACKAGES } from './tsdoc-coverage.mjs';

let tsModule;
const typescript = () => (tsModule ??= createRequire(import.meta.url)('typescript'));

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

const FENCE = /```(?:ts|typescript)[ \t]*\n([\s\S]*?)```/g;

/**
 * The fenced TypeScript blocks inside the JSDoc comments of one source text.
 * @returns {{ file: string, line: number, code: string }[]} `line`: 1-based line of the block's first code line.
 */
export function extractExamples(text, file) {
  const ts = typescript();
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const examples = [];
  const seen = new Set();
  const visit = (node) => {
    for (const doc of ts.getJSDocCommentsAndTags(node)) {
      if (!ts.isJSDoc(doc) || seen.has(doc.pos)) continue;
      seen.add(doc.pos);
      const firstLine = source.getLineAndCharacterOfPosition(doc.pos).line + 1;
      // Each comment line without its leading `*` (and one space), so line numbers stay those of the file.
      const lines = text
        .slice(doc.pos, doc.end)
        .split('\n')
        .map((l) => l.replace(/^\s*\/?\*+\/?(?: |$)/, ''));
      const raw = lines.join('\n');
      for (const match of raw.matchAll(FENCE)) {
        const line = firstLine + raw.slice(0, match.index).split('\n').length;
        examples.push({ file, line, code: match[1] });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return examples;
}

/** Every example of the given library packages' src (tests excluded), with the package it belongs to. */
export function collectExamples(root = ROOT, packages = LIBRARY_PACKAGES) {
  const all = [];
  for (const name of packages) {
    const src = join(root, 'packages', name, 'src');
    if (!existsSync(src)) continue;
    const files = readdirSync(src, { recursive: true })
      .map(String)
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts') && !f.endsWith('.test.ts'))
      .sort();
    for (const f of files) {
      const path = join(src, f);
      for (const example of extractExamples(readFileSync(path, 'utf8'), relative(root, path)))
        all.push({ ...example, pkg: name });
    }
  }
  return all;
}

/**
 * Typechecks examples in one program. Each is a module in its package's directory; a module it
 * imports that this package does not depend on is resolved from the other workspace packages.
 * @returns {{ file: string, line: number, message: string }[]}
 */
export function typecheckExamples(examples, root = ROOT) {
  const ts = typescript();
  const options = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    lib: ['lib.es2022.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts'],
    strict: true,
    noUncheckedIndexedAccess: true,
    esModuleInterop: true,
    skipLibCheck: true,
    noEmit: true,
    types: ['node'],
    typeRoots: [join(root, 'node_modules', '@types')],
    // NestJS examples: decorators as the NestJS packages compile them.
    experimentalDecorators: true,
    emitDecoratorMetadata: true,
  };
  const virtual = new Map();
  examples.forEach((example, i) => {
    // `export {}` keeps an example without imports a module (top-level await, no global clashes).
    virtual.set(join(root, 'packages', example.pkg, `__tsdoc_example_${i}.ts`), {
      example,
      text: `${example.code}\nexport {};\n`,
    });
  });
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.getSourceFile = (name, language, ...rest) => {
    const v = virtual.get(name);
    return v ? ts.createSourceFile(name, v.text, language) : getSourceFile.call(host, name, language, ...rest);
  };
  host.fileExists = (name) => virtual.has(name) || fileExists.call(host, name);
  host.readFile = (name) => virtual.get(name)?.text ?? readFile.call(host, name);
  const packageDirs = readdirSync(join(root, 'packages')).sort();
  host.resolveModuleNameLiterals = (literals, containing, redirected, opts, sourceFile) =>
    literals.map((literal) => {
      const mode = ts.getModeForUsageLocation(sourceFile, literal, opts);
      const from = (file) =>
        ts.resolveModuleName(literal.text, file, opts, host, undefined, redirected, mode).resolvedModule;
      let resolved = from(containing);
      if (!resolved && virtual.has(containing)) {
        const own = /^@mmsp\/([^/]+)/.exec(literal.text);
        for (const dir of own ? [own[1]] : packageDirs) {
          resolved = from(join(root, 'packages', dir, '__resolve.ts'));
          if (resolved) break;
        }
      }
      return { resolvedModule: resolved };
    });
  const program = ts.createProgram([...virtual.keys()], options, host);
  const problems = [];
  for (const d of ts.getPreEmitDiagnostics(program)) {
    const v = d.file && virtual.get(d.file.fileName);
    if (!v) continue;
    const at = d.start === undefined ? 0 : d.file.getLineAndCharacterOfPosition(d.start).line;
    problems.push({
      file: v.example.file,
      line: v.example.line + at,
      message: ts.flattenDiagnosticMessageText(d.messageText, '\n'),
    });
  }
  return problems;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const asked = process.argv.slice(2);
  const examples = collectExamples(ROOT, asked.length > 0 ? asked : LIBRARY_PACKAGES);
  const problems = typecheckExamples(examples);
  for (const p of problems) console.log(`${p.file}:${p.line}: ${p.message}`);
  console.log(`${examples.length} examples, ${problems.length} problem(s)`);
  process.exitCode = problems.length > 0 ? 1 : 0;
}
