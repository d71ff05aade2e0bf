// Deno launcher: `Deno.serve(handler)` over the worker's fetch, env from Deno.env (bindings).
import worker from 'mmsp-test-worker';

Deno.serve({ hostname: '127.0.0.1', port: 0, onListen: ({ port }) => console.log(`LISTENING ${port}`) }, (request) =>
  worker.fetch(request, Deno.env.toObject()),
);
