// The TSDoc coverage counter (scripts/tsdoc-coverage.mjs) on small built packages written here:
// what counts as documented, re-exports followed, the entry .d.ts found from package.json whatever
// the dist layout, and the CLI's table, names and exit codes.
// Each command test starts node and the TypeScript compiler several times: on a busy machine that
// takes far longer than the default 30 s, hence the longer timeouts.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entryDeclarationFile, measure, typesOfExport } from '../tsdoc-coverage.mjs';

const script = join(dirname(fileURLToPath(import.meta.url)), '..', 'tsdoc-coverage.mjs');
let root: string;

function write(path: string, text: string): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'tsdoc-coverage-'));
  // Dual ESM/CJS layout: the import condition's types are the ones measured.
  write(
    'packages/dual/package.json',
    JSON.stringify({
      name: '@fx/dual',
      type: 'module',
      exports: {
        '.': {
          require: { types: './dist/cjs/index.d.cts', default: './dist/cjs/index.cjs' },
          import: { types: './dist/esm/index.d.ts', default: './dist/esm/index.js' },
        },
        './package.json': './package.json',
      },
    }),
  );
  write('packages/dual/dist/cjs/index.d.cts', '/** CJS only: never measured. */\nexport declare const cjsOnly: 1;\n');
  write(
    'packages/dual/dist/esm/index.d.ts',
    [
      '/** Says what it is. */',
      'export declare function documented(): void;',
      'export declare function bare(): void;',
      '/** @example tagsOnly() */',
      'export declare function tagsOnly(): void;',
      '// a line comment is no JSDoc',
      'export declare const lineComment: number;',
      '/**   */',
      'export declare const emptyComment: number;',
      '/** First overload documented. */',
      'export declare function overloaded(a: string): string;',
      'export declare function overloaded(a: number): number;',
      "export * from './more.js';",
      "export { Hidden as Renamed, Shown as AlsoShown } from './more.js';",
      '',
    ].join('\n'),
  );
  write(
    'packages/dual/dist/esm/more.d.ts',
    [
      '/** An interface with a summary. */',
      'export interface Shown { a: string }',
      'export interface Hidden {',
      '  b: string;',
      '  /** Documented member. */',
      '  c: number;',
      '}',
      '/**',
      ' * A class.',
      ' * @example new Klass()',
      ' */',
      'export declare class Klass {}',
      '',
    ].join('\n'),
  );
  // Old layout: exports['.'].types, no import condition.
  write(
    'packages/flat/package.json',
    JSON.stringify({
      name: '@fx/flat',
      type: 'module',
      exports: { '.': { types: './dist/index.d.ts', default: './dist/index.js' } },
    }),
  );
  write('packages/flat/dist/index.d.ts', '/** One. */\nexport declare const one: 1;\nexport type Two = 2;\n');
  // No exports map: top-level types.
  write('packages/legacy/package.json', JSON.stringify({ name: '@fx/legacy', types: 'lib/main.d.ts' }));
  write('packages/legacy/lib/main.d.ts', '/** Legacy. */\nexport declare const legacy: true;\n');
  // Subpath exports: their names count too, a name the main entry already exports once.
  write(
    'packages/sub/package.json',
    JSON.stringify({
      name: '@fx/sub',
      type: 'module',
      exports: {
        '.': { types: './dist/index.d.ts', default: './dist/index.js' },
        './extra': { import: { types: './dist/extra/index.d.ts', default: './dist/extra/index.js' } },
        './package.json': './package.json',
      },
    }),
  );
  write(
    'packages/sub/dist/index.d.ts',
    "/** Main. */\nexport declare const main: 1;\nexport { shared } from './extra/index.js';\n",
  );
  write(
    'packages/sub/dist/extra/index.d.ts',
    '/** Shared. */\nexport declare const shared: 1;\nexport declare const extraBare: 2;\n/** Extra. */\nexport declare const extra: 3;\n',
  );
  write(
    'packages/subunbuilt/package.json',
    JSON.stringify({
      name: '@fx/subunbuilt',
      exports: { '.': { types: './dist/index.d.ts' }, './x': { types: './dist/x.d.ts' } },
    }),
  );
  write('packages/subunbuilt/dist/index.d.ts', '/** Main. */\nexport declare const main: 1;\n');
  // Not built.
  write(
    'packages/unbuilt/package.json',
    JSON.stringify({ name: '@fx/unbuilt', exports: { '.': { types: './dist/index.d.ts' } } }),
  );
});

afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('the entry declaration file', () => {
  it('follows the import condition first, then types, then the top-level types', () => {
    expect(typesOfExport({ require: { types: './c.d.cts' }, import: { types: './e.d.ts' }, types: './t.d.ts' })).toBe(
      './e.d.ts',
    );
    expect(typesOfExport({ import: './e.js', types: './t.d.ts', default: './e.js' })).toBe('./t.d.ts');
    expect(typesOfExport({ node: { import: { types: './n.d.mts' } }, default: './x.js' })).toBe('./n.d.mts');
    expect(typesOfExport({ require: { types: './c.d.cts' } })).toBe('./c.d.cts');
    expect(typesOfExport('./x.js')).toBeUndefined();
    expect(entryDeclarationFile(join(root, 'packages/dual'))).toBe(join(root, 'packages/dual/dist/esm/index.d.ts'));
    expect(entryDeclarationFile(join(root, 'packages/flat'))).toBe(join(root, 'packages/flat/dist/index.d.ts'));
    expect(entryDeclarationFile(join(root, 'packages/legacy'))).toBe(join(root, 'packages/legacy/lib/main.d.ts'));
  });
});

describe('counting', () => {
  it('counts a name documented only when its declaration has a non-empty summary, following re-exports', () => {
    const result = measure(['dual', 'flat', 'legacy'], root);
    expect(result.missing).toEqual([]);
    const dual = result.packages.find((p) => p.name === '@fx/dual')!;
    expect(dual.file).toBe(join('packages', 'dual', 'dist', 'esm', 'index.d.ts'));
    expect(dual.undocumented.map((u) => u.name).sort()).toEqual(
      ['Hidden', 'Renamed', 'bare', 'emptyComment', 'lineComment', 'tagsOnly'].sort(),
    );
    // documented, overloaded, Shown, AlsoShown, Klass
    expect([dual.documented, dual.total]).toEqual([5, 11]);
    expect(dual.undocumented.find((u) => u.name === 'Renamed')!.where).toBe(
      join('packages', 'dual', 'dist', 'esm', 'more.d.ts') + ':3',
    );
    // Members (outside the percentage): Shown.a, Hidden.b and c, each under both names; Klass has none.
    expect([dual.members, [...dual.undocumentedMembers].sort()]).toEqual([
      6,
      ['AlsoShown.a', 'Hidden.b', 'Renamed.b', 'Shown.a'],
    ]);
    const flat = result.packages.find((p) => p.name === '@fx/flat')!;
    expect([flat.documented, flat.total, flat.undocumented]).toEqual([
      1,
      2,
      [{ name: 'Two', where: join('packages', 'flat', 'dist', 'index.d.ts') + ':3' }],
    ]);
    expect(flat.members).toBe(0);
    expect([result.documented, result.total]).toEqual([7, 14]);
    expect(result.percent).toBe(50);
  }, 120_000);

  it('counts the names of subpath exports, each name once per package', () => {
    const result = measure(['sub'], root);
    expect(result.missing).toEqual([]);
    const sub = result.packages[0]!;
    expect([sub.documented, sub.total]).toEqual([3, 4]);
    expect(sub.undocumented).toEqual([
      { name: 'extraBare', where: join('packages', 'sub', 'dist', 'extra', 'index.d.ts') + ':3' },
    ]);
    expect(measure(['subunbuilt'], root).missing).toEqual([
      expect.stringContaining('@fx/subunbuilt/x: no built declaration'),
    ]);
  }, 120_000);

  it('reports a package that is not built instead of counting it as empty', () => {
    const result = measure(['flat', 'unbuilt'], root);
    expect(result.packages.map((p) => p.name)).toEqual(['@fx/flat']);
    expect(result.missing).toEqual([expect.stringContaining('@fx/unbuilt: no built entry declaration')]);
  }, 120_000);
});

describe('the command', () => {
  it('prints the table and the undocumented names, and fails below --min', () => {
    const below = spawnSync(process.execPath, [script, '--root', root, '--min', '50.1', 'dual', 'flat', 'legacy'], {
      encoding: 'utf8',
    });
    expect(below.status).toBe(1);
    expect(below.stdout).toMatch(/@fx\/dual\s+5\s+11\s+45\.5 %/);
    expect(below.stdout).toMatch(/total\s+7\s+14\s+50\.0 %/);
    expect(below.stdout).toContain('@fx/dual: tagsOnly');
    expect(below.stdout).toContain('@fx/flat: Two');
    expect(below.stderr).toContain('below --min 50.1');
    expect(below.stdout).toContain('undocumented exports (7):');
    expect(below.stdout).not.toContain('Hidden.b'); // members only with --members
    const above = execFileSync(
      process.execPath,
      [script, '--root', root, '--min', '50', '--members', 'dual', 'flat', 'legacy'],
      { encoding: 'utf8' },
    );
    expect(above).toContain('@fx/dual: 2 of 6 members of exported interfaces, classes and object types documented');
    expect(above).toMatch(/^ {2}Hidden\.b$/m);
  }, 120_000);

  it('exits 2 when a package is not built, and on a bad option', () => {
    expect(spawnSync(process.execPath, [script, '--root', root, 'unbuilt'], { encoding: 'utf8' }).status).toBe(2);
    expect(
      spawnSync(process.execPath, [script, '--root', root, '--min', '101', 'flat'], { encoding: 'utf8' }).status,
    ).toBe(2);
    expect(spawnSync(process.execPath, [script, '--root', root, 'nosuch'], { encoding: 'utf8' }).status).toBe(2);
  }, 120_000);

  it('--json gives the same figures', () => {
    const json = JSON.parse(
      execFileSync(process.execPath, [script, '--root', root, '--json', 'legacy'], { encoding: 'utf8' }),
    );
    expect(json).toMatchObject({
      total: 1,
      documented: 1,
      percent: 100,
      missing: [],
      packages: [{ name: '@fx/legacy', undocumented: [] }],
    });
  }, 120_000);
});
