#!/usr/bin/env node
// TSDoc coverage of the public API, counted over the BUILT declarations (issue #12): for each library
// package, the entry .d.ts that a user's TypeScript reads (package.json `exports['.']`, the `types` of
// its `import` condition, else its own `types`, else the top-level `types`) and those of its subpath
// exports (`@mmsp/codec/php`…, a name already counted under another entry counted once), every
// exported name (re-exports followed to the declaration they name), and whether that declaration carries a JSDoc
// comment with a non-empty summary (tags alone, e.g. only `@example`, do not count). The built .d.ts
// is what IDE hovers and typedoc see, so a comment tsc drops (a file header above an import) does
// not count either.
//
//   node scripts/tsdoc-coverage.mjs [--min 95] [--json] [--members] [--root DIR] [package…]
//
// Prints a table per package and the total, then the undocumented names (with --members, also the
// undocumented members of exported interfaces, classes and object types, outside the percentage); exits 1 when the total is
// below --min, 2 when a package has no built entry (run `pnpm build` first). Packages may be given
// by short name (codec, client…) to measure only those. `pnpm test` runs it through
// scripts/test/tsdoc-coverage.test.ts after building.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

// Loaded on first use: the compiler is large, and a bad command line needs none of it.
let tsModule;
const typescript = () => (tsModule ??= createRequire(import.meta.url)('typescript'));

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The library packages whose public API is measured (the demo app is not a library). */
export const LIBRARY_PACKAGES = [
  'codec',
  'client',
  'http-node',
  'fetch-edge',
  'nestjs-module',
  'store-redis',
  'store-postgres',
  'opentelemetry',
  'sandbox',
  'cli',
];

const TYPES_FILE = /\.d\.[cm]?ts$/;

/**
 * The `types` file of a package.json `exports['.']` entry: the import condition's `types` first
 * (dual ESM/CJS layouts put the ESM declarations there), then the entry's own `types`, then any
 * other condition that leads to a .d.ts.
 */
export function typesOfExport(entry) {
  if (typeof entry === 'string') return TYPES_FILE.test(entry) ? entry : undefined;
  if (Array.isArray(entry)) {
    for (const item of entry) {
      const found = typesOfExport(item);
      if (found) return found;
    }
    return undefined;
  }
  if (!entry || typeof entry !== 'object') return undefined;
  const order = [
    'import',
    'types',
    ...Object.keys(entry).filter((k) => k !== 'import' && k !== 'types' && k !== 'require'),
    'require',
  ];
  for (const condition of order) {
    if (!(condition in entry)) continue;
    const found = typesOfExport(entry[condition]);
    if (found) return found;
  }
  return undefined;
}

/** Absolute path of a package directory's built entry declaration file, or undefined. */
export function entryDeclarationFile(packageDir) {
  const pkg = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));
  let dot;
  if (typeof pkg.exports === 'string' || Array.isArray(pkg.exports)) dot = pkg.exports;
  else if (pkg.exports && typeof pkg.exports === 'object') {
    dot = Object.keys(pkg.exports).some((k) => k.startsWith('.')) ? pkg.exports['.'] : pkg.exports;
  }
  const file = typesOfExport(dot) ?? pkg.types ?? pkg.typings;
  return file ? resolve(packageDir, file) : undefined;
}

/**
 * The built declaration files of a package's subpath exports (`exports['./php']`…; not `.`,
 * `./package.json` or `*` patterns), as absolute paths.
 * @returns {{ subpath: string, file: string }[]}
 */
export function subpathDeclarationFiles(packageDir) {
  const pkg = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));
  if (!pkg.exports || typeof pkg.exports !== 'object' || Array.isArray(pkg.exports)) return [];
  return Object.entries(pkg.exports)
    .filter(([key]) => key.startsWith('./') && key !== './package.json' && !key.includes('*'))
    .map(([subpath, entry]) => ({ subpath, file: typesOfExport(entry) }))
    .filter((e) => e.file !== undefined)
    .map(({ subpath, file }) => ({ subpath, file: resolve(packageDir, file) }));
}

function hasSummary(symbol, checker) {
  const ts = typescript();
  return ts.displayPartsToString(symbol.getDocumentationComment(checker)).trim().length > 0;
}

/** One TypeScript program over the given entry declaration files (dependencies resolved as a user's would be). */
function declarationProgram(files) {
  const ts = typescript();
  return ts.createProgram(files, {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    noEmit: true,
    skipLibCheck: true,
    types: [],
  });
}

/**
 * Exported names of one entry declaration file and whether each is documented.
 * @returns {{ name: string, documented: boolean, where: string }[]}
 */
export function measureEntry(file, root = ROOT, program = declarationProgram([file])) {
  const ts = typescript();
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(file);
  if (!source) throw new Error(`cannot read ${file}`);
  const moduleSymbol = checker.getSymbolAtLocation(source);
  if (!moduleSymbol) return []; // a declaration file without exports
  const rows = [];
  for (const exported of checker.getExportsOfModule(moduleSymbol)) {
    let target = exported;
    // `export { x } from`, `export *`, `import … export { }`: follow to what the name finally denotes.
    if (exported.flags & ts.SymbolFlags.Alias) {
      try {
        target = checker.getAliasedSymbol(exported);
      } catch {
        /* unresolved: keep the alias */
      }
    }
    const documented = hasSummary(target, checker);
    const declaration = target.declarations?.[0] ?? exported.declarations?.[0];
    let where = '';
    if (declaration) {
      const sf = declaration.getSourceFile();
      const { line } = sf.getLineAndCharacterOfPosition(declaration.getStart(sf));
      where = `${relative(root, sf.fileName)}:${line + 1}`;
    }
    rows.push({ name: exported.getName(), documented, where, members: memberRows(target, checker, root) });
  }
  return rows.sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * Members of an exported interface, class or object type alias that are declared in the workspace
 * (not inherited from node_modules or the standard library), and whether each is documented.
 * Reported with --members; not part of the percentage.
 */
function memberRows(symbol, checker, root) {
  const ts = typescript();
  if (!(symbol.flags & (ts.SymbolFlags.Interface | ts.SymbolFlags.Class | ts.SymbolFlags.TypeAlias))) return [];
  const props = [...checker.getPropertiesOfType(checker.getDeclaredTypeOfSymbol(symbol))];
  if (symbol.flags & ts.SymbolFlags.Class) {
    props.push(
      ...checker.getPropertiesOfType(checker.getTypeOfSymbol(symbol)).filter((p) => p.getName() !== 'prototype'),
    );
  }
  const rows = [];
  for (const prop of props) {
    const decl = prop.declarations?.[0];
    if (!decl) continue;
    const file = decl.getSourceFile().fileName;
    if (!file.startsWith(root) || file.includes('/node_modules/')) continue;
    const modifiers = ts.getCombinedModifierFlags(decl);
    if (modifiers & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected) || prop.getName().startsWith('#')) continue;
    rows.push({ name: prop.getName(), documented: hasSummary(prop, checker) });
  }
  return rows;
}

/**
 * Coverage of the given packages (short names under packages/).
 * @returns {{ packages: { name: string, file: string, total: number, documented: number, undocumented: { name: string, where: string }[] }[], total: number, documented: number, percent: number, missing: string[] }}
 */
export function measure(names = LIBRARY_PACKAGES, root = ROOT) {
  const found = [];
  const missing = [];
  for (const short of names) {
    const dir = join(root, 'packages', short);
    const pkgName = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).name;
    const file = entryDeclarationFile(dir);
    if (!file || !existsSync(file)) {
      missing.push(
        `${pkgName}: no built entry declaration (${file ? relative(root, file) : 'no types in package.json'}); run pnpm build`,
      );
      continue;
    }
    const subpaths = subpathDeclarationFiles(dir);
    const unbuilt = subpaths.filter((s) => !existsSync(s.file));
    for (const s of unbuilt)
      missing.push(`${pkgName}${s.subpath.slice(1)}: no built declaration (${relative(root, s.file)}); run pnpm build`);
    if (unbuilt.length > 0) continue;
    found.push({ pkgName, file, subpaths: subpaths.map((s) => s.file) });
  }
  const program = declarationProgram(found.flatMap((f) => [f.file, ...f.subpaths]));
  const packages = found.map(({ pkgName, file, subpaths }) => {
    const rows = measureEntry(file, root, program);
    // A subpath's names that the main entry (or an earlier subpath) does not already export.
    const seen = new Set(rows.map((r) => r.name));
    for (const sub of subpaths) {
      for (const row of measureEntry(sub, root, program)) {
        if (seen.has(row.name)) continue;
        seen.add(row.name);
        rows.push(row);
      }
    }
    return {
      name: pkgName,
      file: relative(root, file),
      total: rows.length,
      documented: rows.filter((r) => r.documented).length,
      undocumented: rows.filter((r) => !r.documented).map(({ name, where }) => ({ name, where })),
      members: rows.reduce((n, r) => n + r.members.length, 0),
      undocumentedMembers: rows.flatMap((r) =>
        r.members.filter((m) => !m.documented).map((m) => `${r.name}.${m.name}`),
      ),
    };
  });
  const total = packages.reduce((n, p) => n + p.total, 0);
  const documented = packages.reduce((n, p) => n + p.documented, 0);
  return { packages, total, documented, percent: total === 0 ? 100 : (100 * documented) / total, missing };
}

const pct = (documented, total) => (total === 0 ? 100 : (100 * documented) / total).toFixed(1) + ' %';

/** The human report: one row per package, the total, then every undocumented name. */
export function formatReport(result, { members = false } = {}) {
  const rows = result.packages.map((p) => [p.name, String(p.documented), String(p.total), pct(p.documented, p.total)]);
  rows.push(['total', String(result.documented), String(result.total), pct(result.documented, result.total)]);
  const head = ['package', 'documented', 'exports', 'coverage'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  const out = [
    line(head),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...rows.slice(0, -1).map(line),
    widths.map((w) => '-'.repeat(w)).join('  '),
    line(rows[rows.length - 1]),
  ];
  const undocumented = result.packages.flatMap((p) =>
    p.undocumented.map((u) => `  ${p.name}: ${u.name}  (${u.where})`),
  );
  if (undocumented.length > 0) out.push('', `undocumented exports (${undocumented.length}):`, ...undocumented);
  if (members) {
    for (const p of result.packages) {
      out.push(
        '',
        `${p.name}: ${p.members - p.undocumentedMembers.length} of ${p.members} members of exported interfaces, classes and object types documented (not part of the percentage)`,
      );
      out.push(...p.undocumentedMembers.map((m) => `  ${m}`));
    }
  }
  for (const m of result.missing) out.push('', `missing: ${m}`);
  return out.join('\n');
}

function main(argv) {
  let min;
  let json = false;
  let members = false;
  let root = ROOT;
  const names = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--min') min = Number(argv[++i]);
    else if (arg.startsWith('--min=')) min = Number(arg.slice(6));
    else if (arg === '--json') json = true;
    else if (arg === '--members') members = true;
    else if (arg === '--root') root = resolve(argv[++i] ?? '.');
    else if (arg === '--help' || arg === '-h') {
      console.log(
        'usage: node scripts/tsdoc-coverage.mjs [--min PERCENT] [--json] [--members] [--root DIR] [package…]',
      );
      return 0;
    } else if (arg.startsWith('-')) {
      console.error(`unknown option ${arg}`);
      return 2;
    } else names.push(arg.replace(/^@mmsp\//, ''));
  }
  if (min !== undefined && !(min >= 0 && min <= 100)) {
    console.error('--min takes a percentage between 0 and 100');
    return 2;
  }
  for (const n of names) {
    if (!existsSync(join(root, 'packages', n, 'package.json'))) {
      console.error(`unknown package ${n} (one of ${LIBRARY_PACKAGES.join(', ')})`);
      return 2;
    }
  }
  const result = measure(names.length > 0 ? names : LIBRARY_PACKAGES, root);
  console.log(json ? JSON.stringify(result, null, 2) : formatReport(result, { members }));
  if (result.missing.length > 0) return 2;
  if (min !== undefined && result.percent < min) {
    console.error(`\nTSDoc coverage ${result.percent.toFixed(1)} % is below --min ${min} %`);
    return 1;
  }
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  process.exitCode = main(process.argv.slice(2));
}
