/**
 * Two receiver processes sharing one Redis store receive the same notification (PROTOCOL §5: the
 * platform retries, a load balancer may send the copies to different instances). The suite is
 * the shared one of every store (client/test/support/two-receivers.ts); each run uses fresh keys.
 */
import { fileURLToPath } from 'node:url';
import { runTwoReceivers } from '../../client/test/support/two-receivers.js';
import { testRedisUrl } from './support/env.js';

runTwoReceivers(fileURLToPath(new URL('./support/child-store.ts', import.meta.url)), {
  backend: 'Redis',
  storeUrl: testRedisUrl(),
  storeName: (tag) => `mmsp-${tag}:${process.pid}:${Date.now()}:`, // a key prefix
});
