/**
 * The notification receiver in node:http, Express 5 and Fastify 5, each a real server on loopback
 * (issue #5): it answers SUCCESS only after onPaid resolved, a 4xx without running onPaid for
 * anything untrustworthy, a 5xx when onPaid throws (the platform retries), and runs onPaid once per
 * notification (replays answered SUCCESS without running it again).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import Fastify, { type FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { MemoryNotificationStore, createClient, type NotificationDecision, type PaidEvent } from '@mmsp/client';
import { createNotificationHandler, fastifyNotificationRoute } from '../src/index.js';
import { MERCHANT, quickPayNotification, scanNotification } from './support/notifications.js';
import { forgedPushes } from '../../client/test/support/forged-pushes.js';
import {
  closeAfterAll,
  listen,
  poster,
  recordingReceiver,
  trickleAnswer,
  type Post,
  type RecordingOptions,
} from './support/receiver-http.js';

interface Mounted {
  post: Post;
  paid: PaidEvent[];
  decisions: NotificationDecision[];
  close(): Promise<void>;
}

type Options = RecordingOptions;

const frameworks: Record<string, (extra: Options) => Promise<Mounted>> = {
  'node:http': async (extra) => {
    const { options, paid, decisions } = recordingReceiver(extra);
    const url = await listen(createServer(createNotificationHandler(options)));
    return { post: poster(url), paid, decisions, close: async () => undefined };
  },
  'express 5': async (extra) => {
    const { options, paid, decisions } = recordingReceiver(extra);
    const app = express();
    app.post('/mmsp/notify', createNotificationHandler(options));
    app.use(express.json()); // mounted for the other routes: must not touch the notification route
    const url = await listen(createServer(app));
    return { post: poster(url), paid, decisions, close: async () => undefined };
  },
  'fastify 5': async (extra) => {
    const { options, paid, decisions } = recordingReceiver(extra);
    const app: FastifyInstance = Fastify();
    await fastifyNotificationRoute(app, '/mmsp/notify', options);
    app.post('/other', async (req) => req.body); // default JSON parsing elsewhere still works
    await app.listen({ port: 0, host: '127.0.0.1' });
    closeAfterAll(() => app.close());
    const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/mmsp/notify`;
    return { post: poster(url), paid, decisions, close: async () => undefined };
  },
};

describe('the receiver built with only a key (issue #13 item 9)', () => {
  it('sends its warnings to the logger it is given, not to console.warn', async () => {
    const lines: string[] = [];
    const original = console.warn;
    let consoleLines = 0;
    console.warn = () => {
      consoleLines++;
    };
    try {
      const logger = { warn: (m: string) => lines.push(m), error: (m: string) => lines.push(m), info() {}, debug() {} };
      const url = await listen(
        createServer(createNotificationHandler({ key: MERCHANT.key, logger, onPaid: () => undefined })),
      );
      const post = poster(url);
      expect((await post(quickPayNotification({ STATUS: null }))).status).toBe(400);
      expect((await post(quickPayNotification({}, 'not-the-merchant-key-0000000000000'))).status).toBe(400);
    } finally {
      console.warn = original;
    }
    expect(consoleLines).toBe(0);
    expect(lines.length).toBeGreaterThanOrEqual(2);
    expect(lines.join('\n')).not.toContain(MERCHANT.key);
  });

  it('logs what a failing handler threw: name and message at error, stack at debug; never the body or the key', async () => {
    const lines: { level: string; message: string; meta?: Record<string, unknown> }[] = [];
    const logger = Object.fromEntries(
      ['debug', 'info', 'warn', 'error'].map((level) => [
        level,
        (message: string, meta?: Record<string, unknown>) =>
          void lines.push({ level, message, ...(meta ? { meta } : {}) }),
      ]),
    );
    const onPaid = () => {
      throw new RangeError(`ledger write failed for card 6227000013830237349 with ${MERCHANT.key}`);
    };
    const url = await listen(createServer(createNotificationHandler({ key: MERCHANT.key, logger, onPaid })));
    const text = quickPayNotification({});
    expect((await poster(url)(text)).status).toBe(500);
    const failed = lines.find((l) => l.level === 'error' && l.message.startsWith('notification handler failed'));
    expect(failed?.meta).toMatchObject({
      id: expect.any(String),
      error: { name: 'RangeError', message: expect.stringContaining('ledger write failed') },
    });
    expect(lines.find((l) => l.level === 'debug')?.meta?.stack).toEqual(
      expect.stringContaining('RangeError: ledger write failed'),
    );
    const all = JSON.stringify(lines);
    expect(all).not.toContain(MERCHANT.key);
    expect(all).not.toContain('6227000013830237349');
    expect(all).not.toContain(text.slice(0, 50));
  });
});

for (const [name, mount] of Object.entries(frameworks)) {
  describe(`notification receiver in ${name}`, () => {
    it('refuses signed bodies that are not payment pushes (re-posted requests, odd STATUS / AMT / ids / times, wrong CommandID) with 400, onPaid never run (issue #13)', async () => {
      const m = await mount({});
      const cases = await forgedPushes(MERCHANT, `${Date.now()}`.slice(-9));
      const accepted: string[] = [];
      for (const c of cases) {
        const res = await m.post(c.text);
        if (res.status !== 400 || !res.body.startsWith('FAIL ') || res.body.includes(MERCHANT.key))
          accepted.push(`${c.label}: ${res.status} ${res.body}`);
      }
      expect(accepted).toEqual([]);
      expect(m.paid).toHaveLength(0);
    });

    it('verifies, runs onPaid once, answers SUCCESS; a replay is answered SUCCESS without running it again', async () => {
      const m = await mount({});
      const text = quickPayNotification({ AMT: '12345' });
      const first = await m.post(text);
      expect(first).toMatchObject({ status: 200, body: 'SUCCESS' });
      expect(first.headers['content-type']).toBe('text/plain; charset=utf-8');
      expect(m.paid).toHaveLength(1);
      expect(m.paid[0]).toMatchObject({ type: 'paid', family: 'quickPay', amount: '12345', command: 35104 });
      const replay = await m.post(text);
      expect(replay).toMatchObject({ status: 200, body: 'SUCCESS' });
      expect(m.paid).toHaveLength(1);
      expect(m.decisions.map((d) => d.outcome)).toEqual(['handled', 'duplicate']);
    });

    it('accepts the content types PHP sends (form-urlencoded by curl default, text/plain, none)', async () => {
      const m = await mount({});
      for (const headers of [
        { 'content-type': 'application/x-www-form-urlencoded' },
        { 'content-type': 'text/plain;charset=UTF-8' },
        {},
      ]) {
        const res = await m.post(scanNotification(), headers as Record<string, string>);
        expect(res.status, JSON.stringify(headers)).toBe(200);
      }
      expect(m.paid.map((e) => e.family)).toEqual(['scan', 'scan', 'scan']);
    });

    it('answers 500 when onPaid throws (the platform retries) and SUCCESS on the retry once it works', async () => {
      let failures = 2;
      const m = await mount({
        onPaidImpl: () => {
          if (failures-- > 0) throw new Error('database down: secret-ish detail');
        },
      });
      const text = quickPayNotification();
      expect((await m.post(text)).status).toBe(500);
      const second = await m.post(text);
      expect(second.status).toBe(500);
      expect(second.body).not.toContain('secret-ish');
      expect(await m.post(text)).toMatchObject({ status: 200, body: 'SUCCESS' });
      expect(m.paid).toHaveLength(1);
    });

    it('refuses a bad signature with 400 without running onPaid', async () => {
      const m = await mount({});
      const forged = quickPayNotification({}, 'not-the-merchant-key-0000000000000');
      const res = await m.post(forged);
      expect(res.status).toBe(400);
      expect(res.body).not.toContain(MERCHANT.key);
      // A tampered amount under the original signature is a bad signature too.
      const tampered = quickPayNotification({ AMT: '100' }).replace('"AMT":"100"', '"AMT":"1"');
      expect((await m.post(tampered)).status).toBe(400);
      expect(m.paid).toHaveLength(0);
    });

    it('ignores a leading UTF-8 byte order mark, as the edge receiver does', async () => {
      const m = await mount({});
      const text = quickPayNotification({ AMT: '777' });
      const res = await m.post(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]));
      expect(res).toMatchObject({ status: 200, body: 'SUCCESS' });
      expect(m.paid.map((e) => e.amount)).toEqual(['777']);
    });

    it('refuses invalid JSON, invalid UTF-8 and an empty body with 400', async () => {
      const m = await mount({});
      expect((await m.post('{"CommandID":35104,')).status).toBe(400);
      expect((await m.post(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]))).status).toBe(400);
      expect((await m.post('')).status).toBe(400);
      expect(m.paid).toHaveLength(0);
    });

    it('refuses a body over maxBodyBytes with 413 without running onPaid', async () => {
      const m = await mount({ maxBodyBytes: 2_048 });
      const huge = quickPayNotification({ REMARK: 'x'.repeat(4_000) });
      expect((await m.post(huge)).status).toBe(413);
      expect(m.paid).toHaveLength(0);
      expect((await m.post(quickPayNotification())).status).toBe(200);
    });

    it('refuses a wrong content type (415) and other methods (405/404) without running onPaid', async () => {
      const m = await mount({});
      const text = quickPayNotification();
      const multipart = await m.post(text, { 'content-type': 'multipart/form-data; boundary=x' });
      expect(multipart.status).toBe(415);
      expect((await m.post(text, { 'content-type': 'application/json; charset=gbk' })).status).toBe(415);
      expect([404, 405]).toContain((await m.post('', {}, 'GET')).status);
      expect(m.paid).toHaveLength(0);
      expect((await m.post(text)).status).toBe(200);
    });

    it('prototype-pollution keys stay plain data and do not pollute Object.prototype', async () => {
      const m = await mount({});
      // Signed by the codec with "__proto__" and "constructor" as ordinary Body keys (PROTOCOL §3).
      const signed = quickPayNotification(
        JSON.parse('{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}}}'),
      );
      expect(signed).toContain('"__proto__":{"polluted":"yes"}');
      const res = await m.post(signed);
      expect(res.status).toBe(200);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      const event = m.paid.at(-1)!;
      expect(Object.getPrototypeOf(event.body)).not.toHaveProperty('polluted');
      expect(Object.keys(event.body)).toContain('__proto__');
      // The same keys in an unsigned (forged) body are refused before anything reads them.
      const forged = signed.replace('"polluted":"yes"}', '"polluted":"no"}');
      expect((await m.post(forged)).status).toBe(400);
      expect(m.paid).toHaveLength(1);
    });

    it('a replay with an edited, unsigned header (another SeqID, CommandID variant) is still a duplicate', async () => {
      const m = await mount({});
      const text = quickPayNotification();
      expect((await m.post(text)).status).toBe(200);
      const replay = text.replace(/"SeqID":\d+/, '"SeqID":999').replace('"CommandID":35104', '"CommandID":35090');
      expect(replay).not.toBe(text);
      expect(await m.post(replay)).toMatchObject({ status: 200, body: 'SUCCESS' });
      expect(m.paid).toHaveLength(1);
      expect(m.decisions.map((d) => d.outcome)).toEqual(['handled', 'duplicate']);
    });

    it('refuses an amount that differs from what the merchant expects (400, onPaid not run)', async () => {
      const m = await mount({ expectAmount: () => '100' });
      expect((await m.post(quickPayNotification({ AMT: '1' }))).status).toBe(400);
      expect(m.paid).toHaveLength(0);
      expect((await m.post(quickPayNotification({ AMT: '100' }))).status).toBe(200);
      expect(m.decisions.map((d) => d.outcome)).toEqual(['amount-mismatch', 'handled']);
    });
  });
}

describe('receiver configuration and shared stores', () => {
  it('uses a client built with createClient, and a store shared by two receivers', async () => {
    const client = createClient({
      ...MERCHANT,
      endpoints: { quickPay: 'http://127.0.0.1:9/' },
      transport: async () => ({ status: 500, headers: {}, body: '' }),
    });
    const store = new MemoryNotificationStore();
    const runs: string[] = [];
    const a = createNotificationHandler({ client, store, onPaid: (e) => void runs.push(`a ${e.merchantOrderId}`) });
    const b = createNotificationHandler({
      key: MERCHANT.key,
      store,
      onPaid: (e) => void runs.push(`b ${e.merchantOrderId}`),
    });
    const postA = poster(await listen(createServer(a)));
    const postB = poster(await listen(createServer(b)));
    const text = quickPayNotification({ MERORDERID: 'SHARED1' });
    expect((await postA(text)).status).toBe(200);
    expect((await postB(text)).status).toBe(200);
    expect(runs).toEqual(['a SHARED1']);
  });

  it('verifies a body express.json() already parsed (written back as JSON), and uses req.rawBody when kept', async () => {
    const paid: PaidEvent[] = [];
    const app = express();
    app.post(
      '/parsed',
      express.json(),
      createNotificationHandler({ key: MERCHANT.key, onPaid: (e) => void paid.push(e) }),
    );
    app.post(
      '/raw',
      express.json({ verify: (req, _res, buf) => void ((req as { rawBody?: Buffer }).rawBody = buf) }),
      createNotificationHandler({ key: MERCHANT.key, onPaid: (e) => void paid.push(e) }),
    );
    app.post(
      '/text',
      express.text({ type: '*/*' }),
      createNotificationHandler({ key: MERCHANT.key, onPaid: (e) => void paid.push(e) }),
    );
    const base = (await listen(createServer(app))).replace('/mmsp/notify', '');
    const parsed = await poster(`${base}/parsed`)(quickPayNotification());
    expect(parsed).toMatchObject({ status: 200, body: 'SUCCESS' });
    expect(paid).toHaveLength(1);
    const tampered = await poster(`${base}/parsed`)(quickPayNotification().replace('"AMT":"100"', '"AMT":"1"'));
    expect(tampered.status).toBe(400);
    expect(paid).toHaveLength(1);
    expect((await poster(`${base}/raw`)(quickPayNotification())).status).toBe(200);
    expect((await poster(`${base}/text`)(quickPayNotification())).status).toBe(200);
    expect(paid).toHaveLength(3);
  });

  it('answers 408 and closes the connection when the body trickles in too slowly (slowloris)', async () => {
    const paid: PaidEvent[] = [];
    const url = new URL(
      await listen(
        createServer(
          createNotificationHandler({ key: MERCHANT.key, bodyTimeoutMs: 200, onPaid: (e) => void paid.push(e) }),
        ),
      ),
    );
    const answer = await trickleAnswer(url, 'application/json');
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    expect(answer).toContain('FAIL body not received within 200 ms');
    expect(paid).toHaveLength(0);
  });

  it('mounts in Fastify by hand as the README shows (string parser in its own scope, handler given request/reply)', async () => {
    const paid: PaidEvent[] = [];
    const app = Fastify();
    await app.register(async (scope) => {
      scope.removeAllContentTypeParsers();
      scope.addContentTypeParser('*', { parseAs: 'string', bodyLimit: 65_536 }, (_req, body, done) => done(null, body));
      scope.post('/mmsp/notify', createNotificationHandler({ key: MERCHANT.key, onPaid: (e) => void paid.push(e) }));
    });
    app.post('/json', async (req) => ({ echoed: req.body }));
    await app.listen({ port: 0, host: '127.0.0.1' });
    closeAfterAll(() => app.close());
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    const text = quickPayNotification();
    expect(
      await poster(`${base}/mmsp/notify`)(text, { 'content-type': 'application/x-www-form-urlencoded' }),
    ).toMatchObject({ status: 200, body: 'SUCCESS' });
    expect(paid).toHaveLength(1);
    const json = await poster(`${base}/json`)('{"a":1}');
    expect(JSON.parse(json.body)).toEqual({ echoed: { a: 1 } });
  });

  it('fails at construction with every problem named', () => {
    expect(() => createNotificationHandler({} as never)).toThrow(
      /onPaid is required[\s\S]*key \(the MD5 key\) or client is required/,
    );
    expect(() => createNotificationHandler({ key: MERCHANT.key, onPaid: () => undefined, maxBodyBytes: -1 })).toThrow(
      /maxBodyBytes/,
    );
    expect(() =>
      createNotificationHandler({ key: MERCHANT.key, onPaid: () => undefined, claimTtlMs: 0, handlerTimeoutMs: 1.5 }),
    ).toThrow(/claimTtlMs must be a positive integer[\s\S]*handlerTimeoutMs must be a positive integer/);
  });

  it('passes handlerTimeoutMs and claimTtlMs through: a hung onPaid is answered 500 in time, the claim kept alive meanwhile, then released (issue #13 item 6)', async () => {
    const store = new MemoryNotificationStore();
    let runs = 0;
    const handler = createNotificationHandler({
      key: MERCHANT.key,
      store,
      claimTtlMs: 100,
      handlerTimeoutMs: 600,
      logger: {},
      onPaid: () => {
        runs++;
        return new Promise(() => undefined);
      },
    });
    const post = poster(await listen(createServer(handler)));
    const text = quickPayNotification({ MERORDERID: 'HUNG1' });
    const hung = post(text);
    await new Promise((r) => setTimeout(r, 350)); // past the claim's 100 ms: only the keep-alive holds it
    expect((await post(text)).status).toBe(409);
    expect(await hung).toMatchObject({ status: 500, body: 'FAIL handler timeout' });
    expect(runs).toBe(1);
    await post(text); // released: the retry runs onPaid again (and hangs again)
    expect(runs).toBe(2);
  });
});
