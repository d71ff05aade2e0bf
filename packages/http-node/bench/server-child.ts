/**
 * The server side of the receiver benchmark, one process per mode (bundled by receiver.bench.mjs):
 *   receiver — createNotificationHandler: reads the body, verifies the MD5 signature the PHP way,
 *              claims/commits in the default in-memory store, runs a no-op onPaid, answers SUCCESS;
 *   bare     — node:http reading the body and answering SUCCESS without verifying anything.
 *   adapter  — createNotificationHandler with a stand-in client whose decision is always SUCCESS
 *              (synchronous, as the key receiver's): the adapter's own cost (body read with limit,
 *              content type, UTF-8, answer) only.
 *   sandbox  — @mmsp/sandbox, for the client calls/s figure.
 * The decomposition steps (`--modes`), each the one before plus one piece of the receiver's work:
 *   read     — bare, but the body read by the receiver's reader (readBodyThen: limit, deadline, UTF-8);
 *   answer   — read, answering with the receiver's headers (a flat list: content type, cache-control, length);
 *   open     — answer, after `open` (verify the signature, read the event) by a key receiver;
 *   nostore  — createNotificationHandler with a store that remembers nothing (claim: claimed, commit: true).
 * A lower bound of any verifying receiver, without the SDK (what a developer might write by hand):
 *   minimal      — bare, then JSON.parse, the Body's keys sorted, JSON.stringify with `/` escaped,
 *                  node:crypto's MD5 (OpenSSL) of that + `&key=`, the Sign compared, STATUS 1: the
 *                  PHP reference's steps (PROTOCOL §3) for a flat Body of strings, nothing else checked
 *                  (not PHP-exact for every text: no header, amount, time or escaping checks);
 *   minimal-once — minimal, plus "handled once" in a `Set` of the order numbers.
 * (receiver.bench.mjs --baseline <commit> bundles this file a second time with that commit's
 * codec, client and http-node sources and runs it in receiver mode as the server `baseline`.)
 * Prints `{"port":…}` on stdout when listening.
 */
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createNotificationReceiver, type NotificationStore } from '@mmsp/client';
import { createNotificationHandler } from '../src/index.js';
import { MERCHANT } from './notifications.js';

const mode = process.argv[2];
const ready = (port: number) => process.stdout.write(`${JSON.stringify({ port })}\n`);

if (mode === 'sandbox') {
  const { startSandbox } = await import('../../sandbox/src/index.js');
  const sb = await startSandbox({ port: 0 });
  ready(sb.port);
} else {
  let handled = 0;
  const success = {
    status: 200,
    body: 'SUCCESS',
    contentType: 'text/plain; charset=utf-8',
    outcome: 'handled',
  } as const;
  const successHead = ['content-type', 'text/plain; charset=utf-8', 'cache-control', 'no-store', 'content-length', '7'];
  const opener = createNotificationReceiver({ key: MERCHANT.key });
  const forgetful: NotificationStore = {
    claim: () => 'claimed',
    extend: () => true,
    commit: () => true,
    release: () => undefined,
  };
  // (imported here: a --baseline commit's sources need not have it, and only these modes use it)
  const { readBodyThen } = await import('../src/read-body.js');
  const step =
    (answer: boolean, open: boolean) =>
    (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) =>
      readBodyThen(req, 65_536, 10_000, (body) => {
        handled++;
        if (open && !(body.ok && opener.open(body.text).type === 'paid')) res.writeHead(400).end('FAIL');
        else if (answer) res.writeHead(200, successHead).end('SUCCESS');
        else res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end('SUCCESS');
      });
  const seen = new Set<string>();
  const minimal =
    (once: boolean) => (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        handled++;
        const m = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
          RetCode?: unknown;
          Sign?: unknown;
          Body: Record<string, unknown>;
        };
        const sorted: Record<string, unknown> = {};
        for (const k of Object.keys(m.Body).sort()) sorted[k] = m.Body[k];
        const sign = createHash('md5')
          .update(`${JSON.stringify(sorted).replaceAll('/', '\\/')}&key=${MERCHANT.key}`)
          .digest('hex')
          .toUpperCase();
        const ok =
          m.RetCode === 1 && typeof m.Sign === 'string' && sign === m.Sign.toUpperCase() && m.Body.STATUS === '1';
        if (!ok) return res.writeHead(400).end('FAIL');
        if (once) {
          const id = String(m.Body.MERORDERID);
          if (!seen.has(id)) seen.add(id);
        }
        res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end('SUCCESS');
      });
    };
  const listener =
    mode === 'minimal' || mode === 'minimal-once'
      ? minimal(mode === 'minimal-once')
      : mode === 'read'
        ? step(false, false)
        : mode === 'answer'
          ? step(true, false)
          : mode === 'open'
            ? step(true, true)
            : mode === 'nostore'
              ? createNotificationHandler({ key: MERCHANT.key, store: forgetful, onPaid: () => void handled++ })
              : mode === 'receiver'
                ? createNotificationHandler({ key: MERCHANT.key, onPaid: () => void handled++ })
                : mode === 'adapter'
                  ? createNotificationHandler({
                      client: {
                        // `handle`, and the promise-free decision the SDK's own receivers offer (as the key
                        // receiver's hot path takes it): the same stand-in answer either way.
                        notifications: {
                          handle: async () => {
                            handled++;
                            return success;
                          },
                          [Symbol.for('@mmsp/client:notifications.decideNow')]: () => {
                            handled++;
                            return success;
                          },
                        },
                      },
                      onPaid: () => undefined,
                    })
                  : (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => {
                      const chunks: Buffer[] = [];
                      req.on('data', (c: Buffer) => chunks.push(c));
                      req.on('end', () => {
                        handled++;
                        Buffer.concat(chunks).toString('utf8');
                        res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end('SUCCESS');
                      });
                    };
  const server = createServer(listener);
  server.keepAliveTimeout = 30_000;
  server.listen(0, '127.0.0.1', () => ready((server.address() as AddressInfo).port));
  process.on('SIGINT', () => process.exit(0));
  process.on('SIGTERM', () => {
    // How many requests this server answered (the bench divides its profile by it).
    process.stdout.write(`${JSON.stringify({ handled })}\n`, () => process.exit(0));
  });
}
