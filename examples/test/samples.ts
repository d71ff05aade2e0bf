// The READMEs' code samples: every ```ts / ```typescript / ```js block of every README.md (the
// root's, packages/*, apps/*) is either typechecked against the real packages, as a merchant's
// project in examples/ imports them (by name, through the packages' `exports` and their built
// .d.ts), or is a whole runnable file under examples/ that CI runs.
//
// A sample states what it takes for granted in a commented preamble: leading lines
// `// declare const mmsp: MmspClient;` or `// import type { MmspClient } from '@mmsp/client';`
// are checked as if uncommented (same line numbers). A block may opt out of the check only by
// being, byte for byte, a runnable example: `<!-- runnable: examples/quick-start.mjs -->` on the
// line before the fence.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

export const CODE_LANGUAGES: Readonly<Record<string, 'ts' | 'js'>> = {
  ts: 'ts',
  typescript: 'ts',
  tsx: 'ts',
  mts: 'ts',
  js: 'js',
  javascript: 'js',
  jsx: 'js',
  mjs: 'js',
};

export interface Sample {
  /** README path relative to the repository root. */
  file: string;
  /** 1-based line of the block's first code line in the README. */
  line: number;
  lang: 'ts' | 'js';
  code: string;
  /** `examples/…` when the block opted out as a runnable example. */
  runnable?: string;
}

export interface Problem {
  file: string;
  line: number;
  column: number;
  message: string;
}

/** Every README.md the check covers: the root's, packages/*, apps/*. */
export function readmeFiles(root: string): string[] {
  const files = [join(root, 'README.md')];
  for (const dir of ['packages', 'apps']) {
    for (const name of readdirSync(join(root, dir)).sort()) {
      const readme = join(root, dir, name, 'README.md');
      if (existsSync(readme)) files.push(readme);
    }
  }
  return files;
}

/**
 * The fenced code blocks of a Markdown text that are code samples (a TypeScript or JavaScript
 * language tag), plus problems for unlabelled blocks that look like code (they would escape the
 * check).
 */
export function extractSamples(markdown: string, file: string): { samples: Sample[]; problems: Problem[] } {
  const lines = markdown.split(/\r?\n/);
  const samples: Sample[] = [];
  const problems: Problem[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*([^\s`]*)/.exec(lines[i]!);
    if (!open) continue;
    const [, indent, fence, tag] = open as unknown as [string, string, string, string];
    const start = i + 1;
    let end = start;
    while (end < lines.length && !new RegExp(`^\\s*${fence[0]}{${fence.length},}\\s*$`).test(lines[end]!)) end++;
    const body = lines.slice(start, end).map((l) => (l.startsWith(indent) ? l.slice(indent.length) : l.trimStart()));
    i = end;
    const lang = CODE_LANGUAGES[tag.toLowerCase()];
    const code = body.join('\n');
    if (!lang) {
      if (tag === '' && /^\s*(import\s.+from\s|export\s|const\s+\w+\s*=\s*await\s)/m.test(code)) {
        problems.push({
          file,
          line: start + 1,
          column: 1,
          message:
            'a code block without a language tag that looks like TypeScript/JavaScript: tag it ```ts (or ```js) so it is checked',
        });
      }
      continue;
    }
    let before = start - 2;
    while (before >= 0 && lines[before]!.trim() === '') before--;
    const marker = before >= 0 ? /^\s*<!--\s*runnable:\s*(\S+)\s*-->\s*$/.exec(lines[before]!) : null;
    samples.push({ file, line: start + 1, lang, code: `${code}\n`, ...(marker ? { runnable: marker[1]! } : {}) });
  }
  return { samples, problems };
}

/** The sample with its commented preamble (`// declare …`, `// import type …`) uncommented, line for line. */
export function uncommentPreamble(code: string): string {
  const lines = code.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^\/\/ ((?:declare|import type) .*)$/.exec(lines[i]!);
    if (m) lines[i] = m[1]!;
    else if (lines[i]!.trim() !== '' && !lines[i]!.startsWith('//')) break;
  }
  return lines.join('\n');
}

/** Compiler options: the repository's own (tsconfig.base.json), as a merchant's strict project. */
function compilerOptions(root: string): ts.CompilerOptions {
  const configPath = join(root, 'tsconfig.base.json');
  const config = ts.readConfigFile(configPath, (p) => ts.sys.readFile(p));
  if (config.error) throw new Error(ts.flattenDiagnosticMessageText(config.error.messageText, '\n'));
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, root, undefined, configPath);
  return {
    ...parsed.options,
    noEmit: true,
    declaration: false,
    declarationMap: false,
    sourceMap: false,
    types: ['node'],
    // Every sample is its own module, even one without import or export.
    moduleDetection: ts.ModuleDetectionKind.Force,
    // The NestJS module's decorators are TypeScript's (legacy) decorators.
    experimentalDecorators: true,
    emitDecoratorMetadata: true,
    allowJs: true,
    checkJs: true,
  };
}

/**
 * Typechecks samples in one in-memory program. Each sample is a virtual file in
 * examples/readme-samples/ (so `@mmsp/*` resolve as examples/package.json's dependencies do) and
 * every problem is reported at the README's file and line.
 */
export function checkSamples(root: string, samples: readonly Sample[]): Problem[] {
  const options = compilerOptions(root);
  const dir = join(root, 'examples', 'readme-samples');
  const virtual = new Map<string, Sample>();
  samples.forEach((s, n) => {
    const slug = s.file.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '');
    virtual.set(join(dir, `${n}-${slug}-L${s.line}.${s.lang === 'ts' ? 'ts' : 'js'}`), s);
  });
  const host = ts.createCompilerHost(options, true);
  const sourceOf = new Map<string, ts.SourceFile>();
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
    const sample = virtual.get(fileName);
    if (!sample) return getSourceFile(fileName, languageVersion, onError, shouldCreate);
    let sf = sourceOf.get(fileName);
    if (!sf) {
      sf = ts.createSourceFile(fileName, uncommentPreamble(sample.code), languageVersion, true);
      sourceOf.set(fileName, sf);
    }
    return sf;
  };
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (fileName) => virtual.has(fileName) || fileExists(fileName);
  const readFile = host.readFile.bind(host);
  host.readFile = (fileName) => {
    const sample = virtual.get(fileName);
    return sample ? uncommentPreamble(sample.code) : readFile(fileName);
  };

  const program = ts.createProgram({ rootNames: [...virtual.keys()], options, host });
  const problems: Problem[] = [];
  for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
    const sample = diagnostic.file ? virtual.get(diagnostic.file.fileName) : undefined;
    if (diagnostic.file && sample && diagnostic.start !== undefined) {
      const { line, character } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
      problems.push({
        file: sample.file,
        line: sample.line + line,
        column: character + 1,
        message: `TS${diagnostic.code}: ${message}`,
      });
    } else {
      // Outside a sample (a package's .d.ts, the options): as serious, reported where TypeScript puts it.
      const where = diagnostic.file ? relative(root, diagnostic.file.fileName) : '(compiler options)';
      problems.push({ file: where, line: 0, column: 0, message: `TS${diagnostic.code}: ${message}` });
    }
  }
  return problems;
}

/** Reads every README, checks every sample; runnable blocks must equal their file, which CI must run. */
export function checkReadmes(
  root: string,
  runnableExamples: readonly string[],
): { samples: Sample[]; problems: Problem[] } {
  const all: Sample[] = [];
  const problems: Problem[] = [];
  for (const path of readmeFiles(root)) {
    const r = extractSamples(readFileSync(path, 'utf8'), relative(root, path));
    all.push(...r.samples);
    problems.push(...r.problems);
  }
  for (const s of all.filter((x) => x.runnable)) {
    if (!runnableExamples.includes(s.runnable!)) {
      problems.push({
        file: s.file,
        line: s.line,
        column: 1,
        message: `${s.runnable} is not one of the examples CI runs (${runnableExamples.join(', ')})`,
      });
    } else if (readFileSync(join(root, s.runnable!), 'utf8') !== s.code) {
      problems.push({
        file: s.file,
        line: s.line,
        column: 1,
        message: `this block must be ${s.runnable} exactly (CI runs the file, not the block): copy the file into the README`,
      });
    }
  }
  problems.push(
    ...checkSamples(
      root,
      all.filter((x) => !x.runnable),
    ),
  );
  return { samples: all, problems };
}

export function formatProblem(p: Problem): string {
  return `${p.file}:${p.line}:${p.column} ${p.message}`;
}
