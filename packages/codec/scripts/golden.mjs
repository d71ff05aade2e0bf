#!/usr/bin/env node
// Golden vectors made by real PHP (PROTOCOL §3): runs every Body text of golden/corpus.json through
// scripts/php-oracle.php (json_decode / ksort / json_encode / md5, PHP's own functions) with the
// document's test key (PROTOCOL §8) and writes golden/vectors.json. The vectors are committed so the
// default test run needs no PHP; rerun after editing the corpus:
//   node packages/codec/scripts/golden.mjs
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runPhpOracle } from './php-oracle.mjs';

const KEY = 'ea21842eea24e448b991b1cb0a0294cf'; // PROTOCOL §8 test key
const corpusPath = fileURLToPath(new URL('../golden/corpus.json', import.meta.url));
const vectorsPath = fileURLToPath(new URL('../golden/vectors.json', import.meta.url));

const corpus = JSON.parse(readFileSync(corpusPath, 'utf8'));
const results = runPhpOracle(corpus.map((c, i) => ({ id: i, body: c.body, key: KEY })));
const php = execFileSync('php', ['-r', 'echo PHP_VERSION;'], { encoding: 'utf8' });

const vectors = corpus.map((c, i) => {
  const { id: _id, ...r } = results.get(i);
  return { name: c.name, body: c.body, ...(c.object ? { object: true } : {}), ...r };
});
const doc = {
  generator: 'packages/codec/scripts/golden.mjs (php-oracle.php)',
  php,
  key: KEY,
  vectors,
};
const lines = [
  '{',
  `  "generator": ${JSON.stringify(doc.generator)},`,
  `  "php": ${JSON.stringify(php)},`,
  `  "key": ${JSON.stringify(KEY)},`,
  '  "vectors": [',
];
lines.push(vectors.map((v) => `    ${JSON.stringify(v)}`).join(',\n'));
lines.push('  ]', '}', '');
writeFileSync(vectorsPath, lines.join('\n'));
console.log(`wrote ${vectors.length} vectors with PHP ${php} to ${vectorsPath}`);
