// First-release hygiene (issue #12): nothing is published yet, so every publishable package has
// exactly one initial-release changeset that says what the package does, and `changeset version`
// would publish each of them as 0.1.0, not as 0.2.0 with a changelog of development history.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

interface Manifest {
  name: string;
  version: string;
  private?: boolean;
}
const publishable = readdirSync(join(root, 'packages'))
  .map((dir) => JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8')) as Manifest)
  .filter((m) => !m.private);

interface Status {
  changesets: { id: string; summary: string; releases: { name: string; type: string }[] }[];
  releases: { name: string; type: string; oldVersion: string; newVersion: string; changesets: string[] }[];
}

const work = mkdtempSync(join(tmpdir(), 'mmsp-release-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function status(): Status {
  const out = join(work, 'status.json');
  execFileSync(process.execPath, [join(root, 'node_modules/@changesets/cli/bin.js'), 'status', `--output=${out}`], {
    cwd: root,
    stdio: 'pipe',
  });
  return JSON.parse(readFileSync(out, 'utf8')) as Status;
}

describe('first release', () => {
  const s = status();

  it('finds the publishable packages', () => {
    expect(publishable.length).toBeGreaterThanOrEqual(9);
  });

  it.each(publishable.map((m) => [m.name, m] as const))(
    '%s: one initial-release changeset, published as 0.1.0',
    (name, manifest) => {
      expect(manifest.version, 'unpublished packages stay at 0.0.0 until `changeset version`').toBe('0.0.0');
      const mine = s.changesets.filter((c) => c.releases.some((r) => r.name === name));
      expect(mine.map((c) => c.id)).toEqual([`${name.replace('@mmsp/', '')}-initial-release`]);
      expect(mine[0]!.releases).toEqual([{ name, type: 'minor' }]);
      expect(mine[0]!.summary).toMatch(new RegExp(`^First release of \`${name}\``));
      const release = s.releases.find((r) => r.name === name);
      expect(release?.newVersion).toBe('0.1.0');
    },
  );

  it('releases nothing but the publishable packages, and no development history', () => {
    expect(
      s.releases
        .filter((r) => r.type !== 'none')
        .map((r) => r.name)
        .sort(),
    ).toEqual(publishable.map((m) => m.name).sort());
    for (const c of s.changesets) expect(c.summary, c.id).not.toMatch(/\bwas \d|\bbefore,|\(was /);
  });
});
