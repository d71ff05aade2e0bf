/**
 * Two receiver processes sharing one PostgreSQL store receive the same notification (PROTOCOL §5: the
 * platform retries, a load balancer may send the copies to different instances). The suite is
 * the shared one of every store (client/test/support/two-receivers.ts); each run uses a fresh table.
 */
import { fileURLToPath } from 'node:url';
import { runTwoReceivers } from '../../client/test/support/two-receivers.js';
import { testPgUrl } from './support/env.js';

runTwoReceivers(fileURLToPath(new URL('./support/child-store.ts', import.meta.url)), {
  backend: 'PostgreSQL',
  storeUrl: testPgUrl(),
  storeName: (tag) => `mmsp_${tag}_${process.pid}_${Date.now()}`, // a table name
});
