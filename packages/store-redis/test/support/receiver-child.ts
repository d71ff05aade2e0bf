/**
 * A small receiver process for the two-process tests (bundled by esbuild, run by `node`): a
 * node:http server whose handler runs once per notification id through the shared store — claim,
 * run, commit — exactly what a merchant's receiver instance does behind a load balancer. Every
 * handler run is appended to RUN_LOG (`start <pid> <id>` / `end <pid> <id>`), so the test counts
 * real runs across processes. A request with mode `hang` claims and starts, then never finishes:
 * the test kills the process there (a crash mid-handler).
 */
import { appendFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { makeStore } from './child-store.js';

const store = makeStore(process.env.STORE_URL ?? '', process.env.STORE_NAME ?? '');
const runLog = process.env.RUN_LOG ?? '';
const claimTtlMs = Number(process.env.CLAIM_TTL_MS ?? '1000');
const handlerMs = Number(process.env.HANDLER_MS ?? '150');

const server = createServer((req, res) => {
  let text = '';
  req.setEncoding('utf8');
  req.on('data', (chunk: string) => (text += chunk));
  req.on('end', () => {
    void (async () => {
      const { id, mode } = JSON.parse(text) as { id: string; mode?: string };
      const answer = (status: number, body: string) => {
        res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' }).end(body);
      };
      const claim = await store.claim(id, claimTtlMs);
      if (claim === 'done') return answer(200, 'SUCCESS');
      if (claim === 'busy') return answer(409, 'BUSY');
      appendFileSync(runLog, `start ${process.pid} ${id}\n`);
      if (mode === 'hang') return; // the test kills this process now
      try {
        await new Promise((r) => setTimeout(r, handlerMs));
        if (mode === 'throw') throw new Error('handler failed');
        appendFileSync(runLog, `end ${process.pid} ${id}\n`);
        await store.commit(id);
        answer(200, 'SUCCESS');
      } catch {
        await store.release(id);
        answer(500, 'FAIL');
      }
    })().catch((error: unknown) => {
      res.writeHead(500).end(String(error));
    });
  });
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`${JSON.stringify({ port: typeof address === 'object' && address ? address.port : 0 })}\n`);
});
