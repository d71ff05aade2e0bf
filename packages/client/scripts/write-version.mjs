// Writes src/version.ts from this package's package.json, before tsc (the `build` script), so that
// the User-Agent's version (`mmsp-sdk/<version>`) is the published package's own and never goes
// stale: `changeset version` bumps package.json, the next build rewrites the constant. A plain
// constant works in ESM, CommonJS, bundlers and edge runtimes alike (a JSON import does not, and
// reading package.json at run time needs node:fs). test/user-agent.test.ts compares the two.
import { readFileSync, writeFileSync } from 'node:fs';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const file = new URL('../src/version.ts', import.meta.url);
const text = `// Generated from package.json by scripts/write-version.mjs (run by \`build\`); do not edit.\n/** This package's version (package.json), as sent in the User-Agent. */\nexport const VERSION = '${version}';\n`;
let current = '';
try {
  current = readFileSync(file, 'utf8');
} catch {
  // first build
}
if (current !== text) writeFileSync(file, text);
