/**
 * `pnpm demo` (root) → `node apps/demo/dist/main.js`: starts the shop and prints ONE URL to open.
 * PORT picks the port (default 3000; a free one when it is busy). README: environment variables.
 */
import { DemoConfigError } from './config.js';
import { startDemo } from './start.js';

try {
  const demo = await startDemo();
  if (demo.fellBack)
    console.log(`Port ${process.env.PORT || 3000} is busy: using port ${demo.port} instead (set PORT to choose).`);
  console.log(`MMSP demo shop (${demo.mode === 'sandbox' ? 'embedded sandbox' : 'real platform'}): open ${demo.url}`);
  const stop = () => {
    void demo.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (error) {
  // One message, every problem, no stack: the person starting the shop fixes the environment.
  if (error instanceof DemoConfigError) console.error(`demo cannot start: ${error.message}`);
  else
    console.error(
      `demo cannot start: ${error instanceof Error ? `${error.name === 'Error' ? '' : `${error.name}: `}${error.message}` : String(error)}`,
    );
  process.exit(1);
}
