// Packs every publishable package (packages/*, not private) with `pnpm pack`, the way
// `changeset publish` will publish it, into one folder, and checks each tarball's contents offline:
// LICENSE, README.md, package.json metadata (repository with directory, homepage, bugs, keywords,
// license), no `workspace:` range, no `source` condition, and every file that `exports`, `main`,
// `types` and `bin` name is in the tarball. Source maps, the same for every package: src/ and the
// declaration maps (ESM and CommonJS), each resolving to a file of src/ in the tarball; no
// JavaScript source maps; no file of dist/ without its source (a stale output). Run `pnpm build` first.
//
//   node scripts/pack-all.mjs [--out .ci-work/tarballs] [--json]
//
// Prints one line per tarball (packed and unpacked size, file count); with --json, a JSON summary
// ({ dir, packages: [{ name, file, packedBytes, unpackedBytes, files }] }) on stdout instead.
// Exits 1 when a check fails. scripts/check-tarballs.mjs installs the result into a fresh project.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join, posix, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const REPOSITORY = 'https://github.com/mmsp-sdk/mmsp-sdk-js';
const args = process.argv.slice(2);
const outIndex = args.indexOf('--out');
const outDir = resolve(outIndex >= 0 ? args[outIndex + 1] : join(root, '.ci-work', 'tarballs'));
const json = args.includes('--json');

/** The publishable packages, in dependency order is not needed: npm installs them together. */
export function publishablePackages() {
  return readdirSync(join(root, 'packages'))
    .map((name) => join(root, 'packages', name))
    .filter((dir) => {
      try {
        return !JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).private;
      } catch {
        return false;
      }
    })
    .sort();
}

/** Files of a .tgz (ustar, as npm and pnpm write them): path → contents. */
function untar(file) {
  const data = gunzipSync(readFileSync(file));
  const files = new Map();
  let longName;
  for (let at = 0; at + 512 <= data.length;) {
    const header = data.subarray(at, at + 512);
    if (header.every((b) => b === 0)) break;
    const field = (start, length) =>
      header
        .subarray(start, start + length)
        .toString('utf8')
        .replace(/\0.*$/s, '');
    const size = parseInt(field(124, 12).trim() || '0', 8);
    const type = field(156, 1);
    const prefix = field(345, 155);
    let name = longName ?? (prefix ? `${prefix}/${field(0, 100)}` : field(0, 100));
    longName = undefined;
    const body = data.subarray(at + 512, at + 512 + size);
    if (type === 'L') longName = body.toString('utf8').replace(/\0.*$/s, '');
    else if (type === '0' || type === '') files.set(name.replace(/^package\//, ''), body);
    at += 512 + Math.ceil(size / 512) * 512;
  }
  return files;
}

function targets(value, out = []) {
  if (typeof value === 'string') out.push(value);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) targets(v, out);
  return out;
}

function conditions(value, out = new Set()) {
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (!k.startsWith('.')) out.add(k);
      conditions(v, out);
    }
  }
  return out;
}

/**
 * The one set of maps every package ships (scripts/build-package.mjs): src/*.ts, the declaration
 * maps of dist/ and dist/cjs/ resolving into it, and no JavaScript source maps (dist/ is tsc's
 * readable output). Every compiled file has its source: nothing stale from an earlier build.
 */
export function sourceMapProblems(files) {
  const problems = [];
  for (const [path, body] of files) {
    if (!path.startsWith('dist/') || path === 'dist/cjs/package.json') continue;
    if (path.endsWith('.js.map')) {
      problems.push(`${path}: a JavaScript source map (the package ships declaration maps only)`);
      continue;
    }
    const kind = /\.(js|d\.ts|d\.ts\.map)$/.exec(path)?.[1];
    if (!kind) {
      problems.push(`${path}: neither JavaScript, a declaration nor a declaration map`);
      continue;
    }
    const source = `src/${path.replace(/^dist\/(cjs\/)?/, '').slice(0, -kind.length)}ts`;
    if (!files.has(source))
      problems.push(`${path}: its source ${source} is not in the tarball (a stale build output?)`);
    if (kind === 'd.ts' && !files.has(`${path}.map`)) problems.push(`${path}: no declaration map`);
    if (kind === 'd.ts.map') {
      const map = JSON.parse(body.toString('utf8'));
      for (const s of map.sources ?? []) {
        const target = posix.normalize(posix.join(posix.dirname(path), map.sourceRoot ?? '', s));
        if (!files.has(target)) problems.push(`${path}: source ${s} resolves to ${target}, not in the tarball`);
      }
    }
  }
  return problems;
}

/** Every problem of one tarball, as sentences. */
export function tarballProblems(file, dir) {
  const problems = [];
  const files = untar(file);
  const manifest = JSON.parse(files.get('package.json').toString('utf8'));
  for (const f of ['LICENSE', 'README.md', 'package.json']) if (!files.has(f)) problems.push(`${f} is missing`);
  if (files.has('LICENSE') && !/^MIT License\b/.test(files.get('LICENSE').toString('utf8')))
    problems.push('LICENSE is not the MIT licence');
  if (manifest.license !== 'MIT') problems.push(`license is ${manifest.license}`);
  if (manifest.repository?.url !== `git+${REPOSITORY}.git`)
    problems.push(`repository.url is ${manifest.repository?.url}`);
  const directory = dir.slice(root.length + 1);
  if (manifest.repository?.directory !== directory)
    problems.push(`repository.directory is ${manifest.repository?.directory}, not ${directory}`);
  if (!manifest.homepage?.startsWith(REPOSITORY)) problems.push(`homepage is ${manifest.homepage}`);
  if (manifest.bugs?.url !== `${REPOSITORY}/issues`) problems.push(`bugs.url is ${manifest.bugs?.url}`);
  if (!Array.isArray(manifest.keywords) || manifest.keywords.length === 0) problems.push('no keywords');
  for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies']) {
    for (const [dep, range] of Object.entries(manifest[field] ?? {})) {
      if (/^(workspace|link|file|catalog):/.test(range)) problems.push(`${field}.${dep} is ${range}`);
    }
  }
  if (conditions(manifest.exports).has('source')) problems.push('exports still has the `source` condition');
  const named = [...targets(manifest.exports), manifest.main, manifest.types, ...targets(manifest.bin)].filter(Boolean);
  for (const target of new Set(named)) {
    if (!files.has(target.replace(/^\.\//, '')))
      problems.push(`${target} (named in package.json) is not in the tarball`);
  }
  problems.push(...sourceMapProblems(files));
  return { manifest, files, problems };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const summary = { dir: outDir, packages: [] };
  let failed = false;
  for (const dir of publishablePackages()) {
    if (!statSync(join(dir, 'dist'), { throwIfNoEntry: false })) {
      console.error(`${dir}: dist/ is missing, run \`pnpm build\` first`);
      process.exit(1);
    }
    const output = execFileSync('pnpm', ['pack', '--pack-destination', outDir, '--json'], {
      cwd: dir,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const file = JSON.parse(output.slice(output.indexOf('{'))).filename;
    const { manifest, files, problems } = tarballProblems(file, dir);
    const unpackedBytes = [...files.values()].reduce((n, b) => n + b.length, 0);
    const entry = { name: manifest.name, file, packedBytes: statSync(file).size, unpackedBytes, files: files.size };
    summary.packages.push(entry);
    if (!json)
      console.log(
        `${entry.name.padEnd(22)} ${String(entry.packedBytes).padStart(8)} B packed ${String(unpackedBytes).padStart(9)} B unpacked ${String(files.size).padStart(4)} files  ${file.slice(root.length + 1)}`,
      );
    for (const p of problems) console.error(`${manifest.name}: ${p}`);
    if (problems.length) failed = true;
  }
  if (json) console.log(JSON.stringify(summary, null, 2));
  process.exit(failed ? 1 : 0);
}
