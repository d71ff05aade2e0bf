/**
 * Property: the transport never says "did not reach the platform" when bytes of the request did
 * reach it (PROTOCOL §6: a false "not sent" would let a payment be resent). fast-check draws how a
 * raw TCP server on loopback behaves per connection; the server counts the bytes it received.
 */
import { createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { MmspTransportError } from '@mmsp/codec';
import { nodeHttpTransport } from '../src/node-transport.js';
import { freePort } from './support/servers.js';

type Behaviour =
  | 'close-on-accept'
  | 'close-after-first-bytes'
  | 'silent'
  | 'answer'
  | 'partial-then-close'
  | 'reset-after-request'
  | 'garbage';

let behaviour: Behaviour = 'answer';
let received = 0;
const sockets = new Set<Socket>();
const server = createServer((socket) => {
  sockets.add(socket);
  socket.on('close', () => sockets.delete(socket));
  socket.on('error', () => undefined);
  const mode = behaviour;
  if (mode === 'close-on-accept') {
    socket.destroy();
    return;
  }
  let text = '';
  socket.on('data', (chunk: Buffer) => {
    received += chunk.length;
    text += chunk.toString('latin1');
    if (mode === 'close-after-first-bytes') socket.destroy();
    else if (!text.includes('\r\n\r\n')) return;
    else if (mode === 'answer') socket.end('HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok');
    else if (mode === 'partial-then-close') {
      socket.write('HTTP/1.1 200 OK\r\ncontent-length: 50\r\n\r\n{"par');
      setTimeout(() => socket.destroy(), 5);
    } else if (mode === 'reset-after-request') socket.resetAndDestroy();
    else if (mode === 'garbage') socket.end('NOT HTTP AT ALL\r\n\r\n');
  });
});
let port = 0;
beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise((r) => server.close(r));
});

it('mayHaveReachedPlatform is false only when no byte of the request reached the server', async () => {
  const refusedPort = await freePort();
  const behaviours: Behaviour[] = [
    'close-on-accept',
    'close-after-first-bytes',
    'silent',
    'answer',
    'partial-then-close',
    'reset-after-request',
    'garbage',
  ];
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom(...behaviours),
      fc.boolean(),
      fc.boolean(),
      fc.string({ maxLength: 3000 }),
      async (mode, refused, keepAlive, body) => {
        behaviour = mode;
        received = 0;
        const transport = nodeHttpTransport({ keepAlive, connectTimeoutMs: 500, responseTimeoutMs: 150 });
        try {
          const url = `http://127.0.0.1:${refused ? refusedPort : port}/pay`;
          const outcome = await transport({
            url,
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body,
          }).then(
            (res) => ({ ok: true as const, res }),
            (error: unknown) => ({ ok: false as const, error }),
          );
          await new Promise((r) => setTimeout(r, 10)); // let the server count what arrived
          if (outcome.ok) {
            expect(refused).toBe(false);
            expect(received).toBeGreaterThan(0);
            return;
          }
          expect(outcome.error).toBeInstanceOf(MmspTransportError);
          const error = outcome.error as MmspTransportError;
          if (!error.mayHaveReachedPlatform) expect(received).toBe(0);
          if (refused) expect(error.mayHaveReachedPlatform).toBe(false);
        } finally {
          transport.close();
        }
      },
    ),
    { numRuns: 80 },
  );
});
