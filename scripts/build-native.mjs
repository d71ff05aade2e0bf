// Builds better-sqlite3's native addon (the demo's SQLite) after `pnpm install`.
//
// pnpm 12 runs dependency install scripts without npm's configuration, so node-gyp ignores the
// machine's `nodedir` (this kind of machine has Node's headers in /usr/include/node and no route to
// nodejs.org) and the install fails. pnpm-workspace.yaml therefore denies better-sqlite3's script,
// and this root postinstall runs it through `npm run install`, which hands npm's own configuration
// (nodedir, proxies, cafile) to prebuild-install and node-gyp, the way `npm install` would.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const demo = join(root, 'apps', 'demo', 'package.json');
if (!existsSync(demo)) process.exit(0);

let dir;
try {
  dir = dirname(createRequire(demo).resolve('better-sqlite3/package.json'));
} catch {
  process.exit(0); // not installed (filtered install): nothing to build
}
const addon = join(dir, 'build', 'Release', 'better_sqlite3.node');
if (existsSync(addon)) process.exit(0);

console.log(`building better-sqlite3's native addon in ${dir}`);
execFileSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', 'install', '--foreground-scripts'], {
  cwd: dir,
  stdio: 'inherit',
});
if (!existsSync(addon)) {
  console.error(`better-sqlite3: ${addon} was not built`);
  process.exit(1);
}
