/**
 * A receiver process for the two-process store tests (two-receivers.ts; bundled by esbuild, run by
 * `node`): a node:http server running the real notification receiver of @mmsp/http-node
 * (`createNotificationHandler`, which asks @mmsp/client what to answer) on the shared store under
 * test — what a merchant runs on each instance behind a load balancer. Every run of the merchant's
 * handler is appended to RUN_LOG (`start <pid> <MERORDERID>` / `end <pid> <MERORDERID>`), so the
 * test counts real runs across processes; `RUN_LOG.times` has the same lines with the time (ms) first
 * (and `fail` for a handler that threw), so the test can see whether two runs overlapped. The notification's REMARK chooses the handler's
 * behaviour: `hang` starts and never finishes (the test kills the process there: a crash
 * mid-handler), `throw` fails. The bundle's entry (receiver-processes.ts) passes in the store
 * package's `makeStore` and http-node's `createNotificationHandler`.
 */
import { appendFileSync } from 'node:fs';
import { createServer, type RequestListener } from 'node:http';
import type { NotificationStore } from '../../src/notification-store.js';
import type { PaidEvent } from '../../src/index.js';

export type MakeStore = (url: string, name: string) => NotificationStore;
export type CreateHandler = (options: {
  key: string;
  store: NotificationStore;
  claimTtlMs: number;
  handlerTimeoutMs?: number;
  onPaid: (event: PaidEvent) => Promise<void>;
}) => RequestListener;

export function runReceiver(makeStore: MakeStore, createNotificationHandler: CreateHandler): void {
  const store = makeStore(process.env.STORE_URL ?? '', process.env.STORE_NAME ?? '');
  const runLog = process.env.RUN_LOG ?? '';
  const handlerMs = Number(process.env.HANDLER_MS ?? '150');

  const server = createServer(
    createNotificationHandler({
      key: process.env.MERCHANT_KEY ?? '',
      store,
      claimTtlMs: Number(process.env.CLAIM_TTL_MS ?? '1000'),
      ...(process.env.HANDLER_TIMEOUT_MS ? { handlerTimeoutMs: Number(process.env.HANDLER_TIMEOUT_MS) } : {}),
      onPaid: async (event) => {
        const mode = event.body.REMARK;
        appendFileSync(runLog, `start ${process.pid} ${event.merchantOrderId}\n`);
        appendFileSync(`${runLog}.times`, `${Date.now()} start ${process.pid} ${event.merchantOrderId}\n`);
        if (mode === 'hang') await new Promise(() => undefined); // the test kills this process now
        await new Promise((r) => setTimeout(r, handlerMs));
        if (mode === 'throw') {
          appendFileSync(`${runLog}.times`, `${Date.now()} fail ${process.pid} ${event.merchantOrderId}\n`);
          throw new Error('handler failed');
        }
        appendFileSync(runLog, `end ${process.pid} ${event.merchantOrderId}\n`);
        appendFileSync(`${runLog}.times`, `${Date.now()} end ${process.pid} ${event.merchantOrderId}\n`);
      },
    }),
  );
  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    process.stdout.write(`${JSON.stringify({ port: typeof address === 'object' && address ? address.port : 0 })}\n`);
  });
}
