/**
 * `pnpm demo` (root) → `node apps/demo/dist/main.js`: starts the shop and prints ONE URL to open.
 * PORT picks the port (default 3000; a free one when it is busy). README: environment variables.
 */
import { startDemo } from './start.js';

try {
  const demo = await startDemo();
  if (demo.fellBack) console.log(`Port ${process.env.PORT || 3000} is busy: using port ${demo.port} instead (set PORT to choose).`);
  console.log(`MMSP demo shop (${demo.mode === 'sandbox' ? 'embedded sandbox' : 'real platform'}): open ${demo.url}`);
  const stop = () => {
    void demo.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (error) {
  console.error(`demo: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
