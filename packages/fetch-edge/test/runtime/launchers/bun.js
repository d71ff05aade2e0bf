// Bun launcher: `Bun.serve({ fetch })` over the worker's fetch, env from Bun.env.
import worker from 'mmsp-test-worker';

const server = Bun.serve({ hostname: '127.0.0.1', port: 0, fetch: (request) => worker.fetch(request, Bun.env) });
console.log(`LISTENING ${server.port}`);
