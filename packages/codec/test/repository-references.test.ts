// The repository explains itself (issue #12): no tracked file refers to anything outside it (the
// platform's own document and the first reading of it are not part of the repository), and every
// citation of docs/PROTOCOL.md — `PROTOCOL §N` or `PROTOCOL §N.M`, and the platform document's own
// sections (`快捷 §5.5`, `gateway §5.1`, …) that PROTOCOL §12 indexes — names a section that exists.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const PROTOCOL = 'docs/PROTOCOL.md';

/** Text files git tracks (binary files and files deleted in the work tree left out). */
const files: { path: string; text: string }[] = execFileSync('git', ['ls-files', '-z'], {
  cwd: root,
  encoding: 'utf8',
  maxBuffer: 64 << 20,
})
  .split('\0')
  .filter((path) => path !== '' && existsSync(join(root, path)) && statSync(join(root, path)).isFile())
  .map((path) => ({ path, text: readFileSync(join(root, path)).toString('utf8') }))
  .filter((f) => !f.text.includes('\0'));

const protocol = readFileSync(join(root, PROTOCOL), 'utf8');

/** `## §3 …`, `### §3.2 …`: the sections of PROTOCOL.md. */
const sections = new Set([...protocol.matchAll(/^#{2,4} §(\d+(?:\.\d+)*)\s/gm)].map((m) => m[1]!));

/** `### §12.2 快捷 — …` tables: the platform document's section numbers, per part. */
function documentIndex(): Record<string, Set<string>> {
  const parts: Record<string, Set<string>> = {};
  const heads = [...protocol.matchAll(/^### §12\.\d+ (\S+) — /gm)];
  heads.forEach((head, i) => {
    const body = protocol.slice(head.index, heads[i + 1]?.index ?? protocol.length);
    parts[head[1]!] = new Set([...body.matchAll(/^\| (\d+(?:\.\d+)*) \|/gm)].map((m) => m[1]!));
  });
  return parts;
}
const index = documentIndex();

/** How the code names the parts of the platform document. */
const PART_NAMES: Record<string, string> = {
  代付: '代付',
  payout: '代付',
  快捷: '快捷',
  'quick pay': '快捷',
  扫码: '扫码',
  'scan code': '扫码',
  scan: '扫码',
  网关: '网关',
  gateway: '网关',
};

/** Every `PROTOCOL §…` / `docs/PROTOCOL.md §…` citation, lists included (`PROTOCOL §2, §3`, `PROTOCOL §2/§3`, `PROTOCOL §4–5`). */
function protocolCitations(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(
    /PROTOCOL(?:\.md)? §(\d+(?:\.\d+)*)((?:\s*(?:,|\/|and)\s*§\d+(?:\.\d+)*|–\d+(?:\.\d+)*)*)/g,
  )) {
    out.push(m[1]!);
    for (const more of (m[2] ?? '').matchAll(/(\d+(?:\.\d+)*)/g)) out.push(more[1]!);
  }
  return out;
}

describe('the repository refers to nothing outside it', () => {
  // Spelled in pieces so that this file does not match itself.
  const forbidden = [
    ['..', 'shared'].join('/'),
    ['NOTES', 'md'].join('.'),
    ['NOTES', '§'].join(' '),
    ['mmsp-api', 'zh', 'txt'].join('.'),
  ];

  it(`has ${PROTOCOL} with sections §0–§12`, () => {
    for (let n = 0; n <= 12; n++) expect(sections.has(String(n)), `§${n}`).toBe(true);
    expect(files.length).toBeGreaterThan(100);
  });

  it("no tracked file names the platform document's file, the first reading of it, or the folder beside the repository that holds them", () => {
    const hits = files.flatMap((f) =>
      f.text
        .split('\n')
        .flatMap((line, i) =>
          forbidden.filter((word) => line.includes(word)).map((word) => `${f.path}:${i + 1}: ${word}`),
        ),
    );
    expect(hits).toEqual([]);
  });

  it(`every "PROTOCOL §N" / "PROTOCOL §N.M" names a section of ${PROTOCOL}`, () => {
    const cited = files.flatMap((f) =>
      f.text.split('\n').flatMap((line, i) => protocolCitations(line).map((n) => ({ where: `${f.path}:${i + 1}`, n }))),
    );
    expect(cited.length).toBeGreaterThan(200);
    expect(cited.filter((c) => !sections.has(c.n)).map((c) => `${c.where}: PROTOCOL §${c.n}`)).toEqual([]);
  });

  it("every citation of the platform document's own sections (快捷 §5.5, gateway §5.1, …) is in PROTOCOL §12", () => {
    expect(Object.keys(index).sort()).toEqual(['代付', '快捷', '扫码', '网关'].sort());
    const names = Object.keys(PART_NAMES)
      .sort((a, b) => b.length - a.length)
      .join('|');
    const pattern = new RegExp(`(?<![\\w-])(${names}) §(\\d+(?:\\.\\d+)*)`, 'gi');
    const bad: string[] = [];
    let count = 0;
    for (const f of files) {
      f.text.split('\n').forEach((line, i) => {
        for (const m of line.matchAll(pattern)) {
          count++;
          const part = PART_NAMES[m[1]!.toLowerCase()] ?? PART_NAMES[m[1]!]!;
          if (!index[part]!.has(m[2]!)) bad.push(`${f.path}:${i + 1}: ${m[0]}`);
        }
      });
    }
    expect(count).toBeGreaterThan(100);
    expect(bad).toEqual([]);
  });

  it('the checks can fail', () => {
    const P = 'PROTOCOL'; // not spelled out, so that this file does not cite §13 itself
    expect(protocolCitations(`see ${P} §2, §3 and §13 (${P} §4–5; docs/${P}.md §6/§7.9)`)).toEqual([
      '2',
      '3',
      '13',
      '4',
      '5',
      '6',
      '7.9',
    ]);
    expect(sections.has('13')).toBe(false);
    expect(sections.has('7.9')).toBe(false);
    expect(index['快捷']!.has('5.5.2')).toBe(true);
    expect(index['快捷']!.has('7.1')).toBe(false); // the quick-pay part has 7.2 and 7.3 only
  });
});
