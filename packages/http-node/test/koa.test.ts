/**
 * The notification receiver in Koa 3 (issue #5: "plain node:http, Express, Fastify, Koa"), a real
 * Koa server on loopback for every way a merchant mounts it: `app.use` on a path check or
 * @koa/router's `router.post`, with no body parser, after @koa/bodyparser or after koa-bodyparser
 * (raw text from `ctx.request.rawBody`). Each answers as the node:http handler does, byte for byte
 * in status, body and answer headers, and through Koa's own response (outer middleware sees it).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import Koa, { type Context, type Middleware } from 'koa';
import Router from '@koa/router';
import koaBodyParser from 'koa-bodyparser';
import { describe, expect, it } from 'vitest';
import { createNotificationHandler, koaNotificationMiddleware } from '../src/index.js';
import { MERCHANT, quickPayNotification, scanNotification } from './support/notifications.js';
import { forgedPushes } from '../../client/test/support/forged-pushes.js';
import {
  listen,
  NOTIFY_PATH,
  poster,
  recordingReceiver,
  trickleAnswer,
  type Post,
  type RecordingOptions,
  type RecordingReceiver,
} from './support/receiver-http.js';

/** Koa's request listener, for node:http: Koa answers its own errors, so the listener's promise is not awaited. */
const koaListener = (app: Koa) => {
  const listener = app.callback();
  return (req: IncomingMessage, res: ServerResponse): void => void listener(req, res);
};

// @koa/bodyparser's types add `rawBody: string` to node:http's IncomingMessage for every file of the
// package's typecheck (not only this one): it is loaded untyped, as a merchant's JavaScript would.
const { bodyParser } = createRequire(import.meta.url)('@koa/bodyparser') as {
  bodyParser: (options: { enableTypes: string[] }) => Middleware;
};
// koa-body's types widen Koa's Request for the whole typecheck too: loaded untyped as well.
const { koaBody } = createRequire(import.meta.url)('koa-body') as {
  koaBody: (options: Record<string, unknown>) => Middleware;
};

const PATH = NOTIFY_PATH;

type Options = RecordingOptions;
type Receiver = RecordingReceiver;
const receiver = recordingReceiver;

interface Mounted extends Receiver {
  post: Post;
  /** What an outer middleware saw after the receiver ran (Koa's response machinery, not a raw write). */
  seen: { status: number; body: unknown; type: string; rawBody: unknown }[];
}

interface Mount {
  /** The middleware sees every method (a path check); @koa/router's `post` only sees POST. */
  allMethods: boolean;
  /** A body parser reads text/plain and decodes it itself (invalid UTF-8 becomes U+FFFD, then a bad signature). */
  parsesText: boolean;
  /** A body parser reads application/json and refuses invalid JSON itself, before the receiver. */
  parsesJson: boolean;
  build(app: Koa, notify: Middleware): void;
}

const onPath =
  (notify: Middleware): Middleware =>
  (ctx, next) =>
    ctx.path === PATH ? notify(ctx, next) : next();

const mounts: Record<string, Mount> = {
  'app.use on a path, no body parser': {
    allMethods: true,
    parsesText: false,
    parsesJson: false,
    build: (app, notify) => void app.use(onPath(notify)),
  },
  '@koa/router router.post, no body parser': {
    allMethods: false,
    parsesText: false,
    parsesJson: false,
    build: (app, notify) => {
      const router = new Router();
      router.post(PATH, notify);
      app.use(router.routes()).use(router.allowedMethods());
    },
  },
  'app.use on a path after @koa/bodyparser (json, form, text)': {
    allMethods: true,
    parsesText: true,
    parsesJson: true,
    build: (app, notify) => {
      app.use(bodyParser({ enableTypes: ['json', 'form', 'text'] }));
      app.use(onPath(notify));
    },
  },
  'app.use on a path after koa-body (includeUnparsed: true)': {
    allMethods: true,
    parsesText: true,
    parsesJson: true,
    build: (app, notify) => {
      app.use(koaBody({ includeUnparsed: true, text: true, json: true, urlencoded: true }));
      app.use(onPath(notify));
    },
  },
  '@koa/router router.post after koa-bodyparser': {
    allMethods: false,
    parsesText: false,
    parsesJson: true,
    build: (app, notify) => {
      const router = new Router();
      router.post(PATH, notify);
      router.post('/echo', (ctx) => void (ctx.body = { echoed: ctx.request.body })); // the parser still serves other routes
      app.use(koaBodyParser());
      app.use(router.routes()).use(router.allowedMethods());
    },
  },
};

async function mountKoa(mount: Mount, extra: Options = {}): Promise<Mounted> {
  const r = receiver(extra);
  const seen: Mounted['seen'] = [];
  const app = new Koa();
  app.use(async (ctx, next) => {
    await next();
    const parsed = ctx.request.body as Record<symbol, unknown> | undefined;
    const rawBody =
      ctx.request.rawBody ??
      (parsed !== null && typeof parsed === 'object' ? parsed[Symbol.for('unparsedBody')] : undefined); // koa-body keeps it there
    seen.push({ status: ctx.status, body: ctx.body, type: ctx.response.get('content-type') as string, rawBody });
  });
  mount.build(app, koaNotificationMiddleware(r.options));
  const url = await listen(createServer(koaListener(app)));
  return { ...r, seen, post: poster(url) };
}

/** Headers that frame the transfer or the connection rather than the answer. */
const FRAMING = ['date', 'content-length', 'transfer-encoding', 'keep-alive'];
const answerHeaders = (headers: Record<string, string>) =>
  Object.fromEntries(Object.entries(headers).filter(([name]) => !FRAMING.includes(name)));

for (const [name, mount] of Object.entries(mounts)) {
  describe(`notification receiver in Koa: ${name}`, () => {
    it('verifies, runs onPaid once and answers SUCCESS through Koa; a replay is SUCCESS without running it again', async () => {
      const m = await mountKoa(mount);
      const text = quickPayNotification({ AMT: '12345' });
      const first = await m.post(text);
      expect(first).toMatchObject({ status: 200, body: 'SUCCESS' });
      expect(first.headers).toMatchObject({ 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
      expect(m.paid).toHaveLength(1);
      expect(m.paid[0]).toMatchObject({ type: 'paid', family: 'quickPay', amount: '12345', command: 35104 });
      expect(m.seen[0]).toMatchObject({ status: 200, body: 'SUCCESS', type: 'text/plain; charset=utf-8' });
      if (mount.parsesJson) expect(m.seen[0]!.rawBody).toBe(text); // the parser's raw text is what was verified
      const replay = await m.post(text);
      expect(replay).toMatchObject({ status: 200, body: 'SUCCESS' });
      expect(m.paid).toHaveLength(1);
      expect(m.decisions.map((d) => d.outcome)).toEqual(['handled', 'duplicate']);
    });

    it('accepts the content types PHP sends (form-urlencoded by curl default, text/plain, none)', async () => {
      const m = await mountKoa(mount);
      for (const headers of [
        { 'content-type': 'application/x-www-form-urlencoded' },
        { 'content-type': 'text/plain;charset=UTF-8' },
        {},
      ]) {
        const res = await m.post(scanNotification(), headers as Record<string, string>);
        expect(res, JSON.stringify(headers)).toMatchObject({ status: 200, body: 'SUCCESS' });
      }
      expect(m.paid.map((e) => e.family)).toEqual(['scan', 'scan', 'scan']);
    });

    it('refuses a bad signature or a tampered amount with 400 without running onPaid', async () => {
      const m = await mountKoa(mount);
      const forged = await m.post(quickPayNotification({}, 'not-the-merchant-key-0000000000000'));
      expect(forged.status).toBe(400);
      expect(forged.body).toMatch(/^FAIL/);
      expect(forged.body).not.toContain(MERCHANT.key);
      const tampered = quickPayNotification({ AMT: '100' }).replace('"AMT":"100"', '"AMT":"1"');
      expect((await m.post(tampered)).status).toBe(400);
      expect(m.paid).toHaveLength(0);
      expect(m.seen.map((s) => s.status)).toEqual([400, 400]);
    });

    it('answers 500 when onPaid throws (the platform retries) and SUCCESS on the retry once it works', async () => {
      let failures = 1;
      const m = await mountKoa(mount, {
        onPaidImpl: () => {
          if (failures-- > 0) throw new Error('database down: secret-ish detail');
        },
      });
      const text = quickPayNotification();
      const failed = await m.post(text);
      expect(failed.status).toBe(500);
      expect(failed.body).not.toContain('secret-ish');
      expect(m.paid).toHaveLength(0);
      expect(await m.post(text)).toMatchObject({ status: 200, body: 'SUCCESS' });
      expect(m.paid).toHaveLength(1);
      expect(m.decisions.map((d) => d.outcome)).toEqual(['handler-failed', 'handled']);
    });

    it('refuses a body over maxBodyBytes with 413 (connection closed) without running onPaid', async () => {
      const m = await mountKoa(mount, { maxBodyBytes: 2_048 });
      const huge = await m.post(quickPayNotification({ REMARK: 'x'.repeat(4_000) }));
      expect(huge.status).toBe(413);
      expect(huge.headers.connection).toBe('close');
      expect(m.paid).toHaveLength(0);
      expect(await m.post(quickPayNotification())).toMatchObject({ status: 200, body: 'SUCCESS' });
    });

    it('refuses a content type it cannot trust with 415 without running onPaid', async () => {
      const m = await mountKoa(mount);
      const text = quickPayNotification();
      expect((await m.post(text, { 'content-type': 'application/xml' })).status).toBe(415);
      expect((await m.post(text, { 'content-type': 'application/json; charset=gbk' })).status).toBe(415);
      expect(m.paid).toHaveLength(0);
      expect((await m.post(text)).status).toBe(200);
    });

    if (mount.allMethods) {
      it('answers other methods 405 with Allow: POST', async () => {
        const m = await mountKoa(mount);
        const res = await m.post('', {}, 'GET');
        expect(res.status).toBe(405);
        expect(res.headers.allow).toBe('POST');
        expect(m.seen[0]).toMatchObject({ status: 405 });
        expect(m.paid).toHaveLength(0);
      });
    } else {
      it('sees only POST (the router answers other methods) and still answers the notification', async () => {
        const m = await mountKoa(mount);
        expect([404, 405]).toContain((await m.post('', {}, 'GET')).status);
        expect(m.decisions).toHaveLength(0);
        expect((await m.post(quickPayNotification())).status).toBe(200);
      });
    }

    it('refuses signed bodies that are not payment pushes with 400, onPaid never run (issue #13)', async () => {
      const m = await mountKoa(mount);
      const accepted: string[] = [];
      for (const c of await forgedPushes(MERCHANT, `${Date.now()}`.slice(-9))) {
        const res = await m.post(c.text);
        if (res.status !== 400 || !res.body.startsWith('FAIL ') || res.body.includes(MERCHANT.key))
          accepted.push(`${c.label}: ${res.status} ${res.body}`);
      }
      expect(accepted).toEqual([]);
      expect(m.paid).toHaveLength(0);
    });

    it('answers byte for byte as the node:http handler (status, body, answer headers)', async () => {
      const koa = await mountKoa(mount, { maxBodyBytes: 2_048 });
      const plain = receiver({ maxBodyBytes: 2_048 });
      const node = poster(await listen(createServer(createNotificationHandler(plain.options))));
      const signed = quickPayNotification();
      const requests: [string, string | Buffer, Record<string, string>?, string?][] = [
        ['signed', signed],
        ['replay', signed],
        ['signed as form', scanNotification(), { 'content-type': 'application/x-www-form-urlencoded' }],
        ['bad signature', quickPayNotification({}, 'not-the-merchant-key-0000000000000')],
        ['not JSON', 'hello', { 'content-type': 'text/plain' }],
        ['empty', '', { 'content-type': 'text/plain' }],
        ['415', signed, { 'content-type': 'application/xml' }],
        ['413', quickPayNotification({ REMARK: 'x'.repeat(4_000) })],
      ];
      if (!mount.parsesJson) requests.push(['invalid JSON', '{"CommandID":35104,']);
      if (!mount.parsesText)
        requests.push(['invalid UTF-8', Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), { 'content-type': 'text/plain' }]);
      if (mount.allMethods) requests.push(['405', '', {}, 'DELETE']);
      for (const [label, body, headers, method] of requests) {
        const fromNode = await node(body, headers, method);
        const fromKoa = await koa.post(body, headers, method);
        expect({ status: fromKoa.status, body: fromKoa.body }, label).toEqual({
          status: fromNode.status,
          body: fromNode.body,
        });
        expect(answerHeaders(fromKoa.headers), label).toEqual(answerHeaders(fromNode.headers));
      }
      expect(koa.paid.map((e) => e.merchantOrderId)).toEqual(plain.paid.map((e) => e.merchantOrderId));
      expect(koa.paid).toHaveLength(2);
    });
  });
}

describe('Koa specifics', () => {
  it('verifies the raw text a body parser kept, even where the parsed object cannot be written back', async () => {
    // An integer beyond 2^53 (within PHP's int64) is exact in the raw text only (JSON.parse rounds it): only rawBody verifies.
    const r = receiver();
    const app = new Koa();
    const router = new Router();
    const notify = koaNotificationMiddleware(r.options);
    router.post('/raw', notify);
    const dropRawBody: Middleware = (ctx, next) => {
      ctx.request.rawBody = undefined as unknown as string; // as if the parser kept no raw copy
      return next();
    };
    router.post('/parsed-only', dropRawBody, notify);
    app.use(koaBodyParser());
    app.use(router.routes());
    const base = (await listen(createServer(koaListener(app)))).replace(PATH, '');
    const big = quickPayNotification({ BIG: 1234567890123456789n });
    expect(big).toContain('"BIG":1234567890123456789');
    expect(await poster(`${base}/raw`)(big)).toMatchObject({ status: 200, body: 'SUCCESS' });
    // Without rawBody the parsed envelope is written back as JSON: exact for ordinary notifications…
    expect(await poster(`${base}/parsed-only`)(quickPayNotification({ MERORDERID: 'PARSED1' }))).toMatchObject({
      status: 200,
      body: 'SUCCESS',
    });
    // …not for the rounded integer, which then fails verification (400, the platform retries).
    expect((await poster(`${base}/parsed-only`)(quickPayNotification({ BIG: 1234567890123456789n }))).status).toBe(400);
    expect(r.paid.map((e) => e.merchantOrderId)).toEqual([r.paid[0]!.merchantOrderId, 'PARSED1']);
    expect(r.paid).toHaveLength(2);
  });

  it('uses ctx.req.rawBody when a middleware kept it, and refuses a consumed body with nothing kept (500, retried)', async () => {
    const r = receiver();
    const app = new Koa();
    const notify = koaNotificationMiddleware(r.options);
    const drain = (req: IncomingMessage) =>
      new Promise<Buffer>((resolve) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c)).on('end', () => resolve(Buffer.concat(chunks)));
      });
    app.use(async (ctx, next) => {
      const kept = ctx.path === '/kept';
      if (kept || ctx.path === '/lost') {
        const raw = await drain(ctx.req);
        if (kept) (ctx.req as IncomingMessage & { rawBody?: Buffer }).rawBody = raw; // a Buffer, as express.json's verify keeps it
        return notify(ctx, next);
      }
      return next();
    });
    const base = (await listen(createServer(koaListener(app)))).replace(PATH, '');
    expect(await poster(`${base}/kept`)(quickPayNotification())).toMatchObject({ status: 200, body: 'SUCCESS' });
    const lost = await poster(`${base}/lost`)(quickPayNotification());
    expect(lost.status).toBe(500);
    expect(lost.body).toMatch(/^FAIL the body was already parsed/);
    expect(r.paid).toHaveLength(1);
  });

  it('an error-handling middleware upstream sees the answer as ordinary Koa state, and other routes are untouched', async () => {
    const r = receiver();
    const app = new Koa();
    const log: string[] = [];
    app.use(async (ctx, next) => {
      await next();
      ctx.set('x-request-log', 'yes'); // a header set after the receiver reaches the client: Koa, not a raw write, answers
      log.push(`${ctx.method} ${ctx.path} ${ctx.status} ${String(ctx.body)}`);
    });
    const router = new Router();
    router.post(PATH, koaNotificationMiddleware(r.options));
    router.post('/echo', (ctx: Context) => void (ctx.body = { echoed: ctx.request.body }));
    app.use(koaBodyParser());
    app.use(router.routes());
    const url = await listen(createServer(koaListener(app)));
    const res = await poster(url)(quickPayNotification());
    expect(res).toMatchObject({ status: 200, body: 'SUCCESS' });
    expect(res.headers['x-request-log']).toBe('yes');
    const echo = await poster(url.replace(PATH, '/echo'))('{"a":1}');
    expect(JSON.parse(echo.body)).toEqual({ echoed: { a: 1 } });
    expect(log).toEqual([`POST ${PATH} 200 SUCCESS`, 'POST /echo 200 [object Object]']);
  });

  it('answers 408 and closes the connection when the body trickles in too slowly (slowloris)', async () => {
    const r = receiver({ bodyTimeoutMs: 200 });
    const app = new Koa();
    app.use(onPath(koaNotificationMiddleware(r.options)));
    const url = new URL(await listen(createServer(koaListener(app))));
    const answer = await trickleAnswer(url, 'text/plain');
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    expect(answer).toContain('FAIL body not received within 200 ms');
    expect(r.paid).toHaveLength(0);
  });

  it('fails at construction with every problem named', () => {
    expect(() => koaNotificationMiddleware({} as never)).toThrow(
      /onPaid is required[\s\S]*key \(the MD5 key\) or client is required/,
    );
  });
});
