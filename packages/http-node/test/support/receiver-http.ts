/** Receiver tests' loopback servers and a poster that keeps the answer's status, text and headers. */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll } from 'vitest';
import type { NotificationDecision, PaidEvent } from '@mmsp/client';
import type { NotificationHandlerOptions } from '../../src/index.js';
import { MERCHANT } from './notifications.js';

export const NOTIFY_PATH = '/mmsp/notify';

export interface Answer {
  status: number;
  body: string;
  headers: Record<string, string>;
}
export type Post = (body: string | Buffer, headers?: Record<string, string>, method?: string) => Promise<Answer>;

const closers: (() => Promise<void>)[] = [];
afterAll(async () => {
  await Promise.all(closers.splice(0).map((c) => c()));
});

/** Runs `close` after the test file's tests (servers, Fastify apps). */
export function closeAfterAll(close: () => Promise<void>): void {
  closers.push(close);
}

export function poster(url: string): Post {
  return async (body, headers = { 'content-type': 'application/json' }, method = 'POST') => {
    const res = await fetch(url, { method, headers, ...(method === 'GET' ? {} : { body: body as BodyInit }) });
    return { status: res.status, body: await res.text(), headers: Object.fromEntries(res.headers) };
  };
}

/** Listens on 127.0.0.1 (port 0) until the file's tests end; returns the notify URL. */
export async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closeAfterAll(
    () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}${NOTIFY_PATH}`;
}

/** Sends the head of a POST and a few body bytes, then waits: the raw answer once the server closes. */
export async function trickleAnswer(url: URL, contentType: string): Promise<string> {
  const { connect } = await import('node:net');
  const socket = connect(Number(url.port), url.hostname);
  socket.write(
    `POST ${url.pathname} HTTP/1.1\r\nhost: ${url.host}\r\ncontent-type: ${contentType}\r\ncontent-length: 400\r\n\r\n{"CommandID":`,
  );
  let answer = '';
  socket.setEncoding('utf8');
  socket.on('data', (c: string) => (answer += c));
  await new Promise<void>((resolve) => socket.on('close', () => resolve()));
  return answer;
}

/** Receiver options for a test, with `onPaidImpl` run before each paid event is recorded. */
export type RecordingOptions = Partial<NotificationHandlerOptions> & { onPaidImpl?: (event: PaidEvent) => unknown };

export interface RecordingReceiver {
  options: NotificationHandlerOptions;
  /** Events `onPaid` finished with, in order. */
  paid: PaidEvent[];
  /** Every decision (`onDecision`). */
  decisions: NotificationDecision[];
}

/** Options for the merchant's key that record what the receiver did. */
export function recordingReceiver(extra: RecordingOptions = {}): RecordingReceiver {
  const { onPaidImpl, ...rest } = extra;
  const paid: PaidEvent[] = [];
  const decisions: NotificationDecision[] = [];
  const options: NotificationHandlerOptions = {
    key: MERCHANT.key,
    onPaid: async (event) => {
      await onPaidImpl?.(event);
      paid.push(event);
    },
    onDecision: (d) => decisions.push(d),
    ...rest,
  };
  return { options, paid, decisions };
}
