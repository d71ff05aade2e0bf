// Every code sample in a README is typechecked against the real packages, or is a runnable example
// CI runs (samples.ts says how). A broken sample fails with its README's file and line.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkReadmes, checkSamples, extractSamples, formatProblem, uncommentPreamble } from './samples.js';
import { RUNNABLE_EXAMPLES } from './runnable.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

describe('README code samples', () => {
  it('every ts/js sample of every README typechecks against the built packages', () => {
    const { samples, problems } = checkReadmes(root, Object.keys(RUNNABLE_EXAMPLES));
    expect(problems.map(formatProblem).join('\n')).toBe('');
    // The check saw the samples it should (a broken extractor would pass on nothing).
    expect(samples.filter((s) => !s.runnable).length).toBeGreaterThanOrEqual(10);
    expect(samples.filter((s) => s.file === 'README.md' && s.runnable === 'examples/quick-start.mjs')).toHaveLength(1);
  }, 120_000);

  it('a broken sample is reported at its README file and line; the commented preamble is checked', () => {
    const md = [
      '# Demo',
      '',
      '```sh',
      'npm install @mmsp/client',
      '```',
      '',
      '```ts',
      '// declare const orderId: string;',
      "import { createClient } from '@mmsp/client';",
      'const client = createClient({ merchantNo: 1 });',
      'console.log(orderId, undefinedThing);',
      '```',
      '',
      '```js',
      'const fine = 1 + 1;',
      'console.log(fine);',
      '```',
      '',
      '```',
      "import { x } from '@mmsp/codec';",
      '```',
    ].join('\n');
    const { samples, problems } = extractSamples(md, 'packages/demo-pkg/README.md');
    expect(samples.map((s) => [s.line, s.lang])).toEqual([
      [8, 'ts'],
      [15, 'js'],
    ]);
    expect(problems.map(formatProblem)).toEqual([
      'packages/demo-pkg/README.md:20:1 a code block without a language tag that looks like TypeScript/JavaScript: tag it ```ts (or ```js) so it is checked',
    ]);
    expect(uncommentPreamble(samples[0]!.code).split('\n')[0]).toBe('declare const orderId: string;');
    const found = checkSamples(root, samples).map(formatProblem);
    expect(found.some((p) => p.startsWith('packages/demo-pkg/README.md:10:31 TS2322'))).toBe(true); // merchantNo: 1
    expect(
      found.some((p) => p.startsWith('packages/demo-pkg/README.md:11:22 TS2304') && p.includes("'undefinedThing'")),
    ).toBe(true);
    expect(found.some((p) => p.includes("'orderId'"))).toBe(false);
    expect(found.some((p) => p.includes(':15:') || p.includes(':16:'))).toBe(false);
  }, 120_000);
});
