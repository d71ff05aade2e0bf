// Global setup: build the demo and its workspace dependencies (turbo caches unchanged packages),
// because the tests run the built app exactly as `pnpm demo` does.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  if (process.env.DEMO_SKIP_BUILD === '1') return;
  const root = fileURLToPath(new URL('../../../../', import.meta.url));
  execFileSync('pnpm', ['exec', 'turbo', 'run', 'build', '--filter', '@mmsp/demo...', '--output-logs=errors-only'], {
    cwd: root,
    stdio: 'inherit',
  });
}
