/**
 * Issue #15 items 5–7 in the runtime-neutral client: loggers of both calling conventions (a REAL
 * pino writing to a stream, a bunyan-shaped logger, `objectFirstLogger`) keep the fields and the
 * redaction; `retry` and `settleDeadlineMs` in the configuration (validated, honoured, queries only);
 * the User-Agent and its version, which must be package.json's.
 */
import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { MmspConfigError, MmspOutcomeUnknownError, MmspTransportError } from '@mmsp/codec';
import { createClient } from '../src/client.js';
import { objectFirstLogger, type Logger } from '../src/logger.js';
import type { Transport, TransportRequest } from '../src/transport.js';
import { SDK_VERSION, detectRuntime, userAgent } from '../src/user-agent.js';
import { harness } from './support/harness.js';
import { MERCHANT } from './support/keys.js';
import { ENDPOINTS } from './support/memory-platform.js';
import { sampleBody } from './support/samples.js';

const KEY = MERCHANT.key;

/** A transport that records every request and fails as if the platform never answered. */
function failingTransport(identity?: Transport['identity']) {
  const requests: TransportRequest[] = [];
  const transport = Object.assign(
    async (req: TransportRequest) => {
      requests.push(req);
      throw new MmspTransportError('connection reset after sending', { mayHaveReachedPlatform: true });
    },
    identity ? { identity } : {},
  ) as Transport;
  return { transport, requests };
}

const base = (transport: Transport, extra: Record<string, unknown> = {}) =>
  ({
    ...MERCHANT,
    endpoints: { scan: 'https://pay.example.com/scan', quickPay: 'https://pay.example.com/quick' },
    transport,
    ...extra,
  }) as Parameters<typeof createClient>[0];
const instant = { sleep: async () => undefined, random: () => 0 };

function configError(fn: () => unknown): MmspConfigError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(MmspConfigError);
    return error as MmspConfigError;
  }
  throw new Error('expected an MmspConfigError');
}

describe('logger: console style and pino / bunyan style', () => {
  it('a REAL pino logger gets the fields as JSON fields, the message as msg, card data masked, no key', async () => {
    const lines: Record<string, unknown>[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(line));
        done();
      },
    });
    const logger = pino({ level: 'debug' }, stream);
    const { transport } = failingTransport();
    const client = createClient(base(transport, { logger, retry: { attempts: 2 } }), instant);
    const body = sampleBody('quickPay.pay');
    await client.quickPay.query({ MERORDERID: body.MERORDERID } as never).catch(() => undefined);
    await client
      .call('quickPay.bindSms', sampleBody('quickPay.bindSms') as never, { retry: false })
      .catch(() => undefined);
    await new Promise((r) => setImmediate(r));
    const sent = lines.filter((l) => l.msg === '→ quickPay.query');
    expect(sent).toHaveLength(2); // the first attempt and its retry
    expect(sent[0]).toMatchObject({ level: 20, operation: 'quickPay.query', body: { MERORDERID: body.MERORDERID } });
    expect(lines.find((l) => l.level === 30)).toMatchObject({
      msg: 'quickPay.query: transport failure, retry 1 in 0 ms',
      operation: 'quickPay.query',
      error: 'connection reset after sending',
    });
    const bind = lines.find((l) => l.msg === '→ quickPay.bindSms') as { body: Record<string, string> };
    expect(bind.body.CARDNO).toBe('***************7349');
    const text = JSON.stringify(lines);
    expect(text).not.toContain('6227000013830237349');
    expect(text).not.toContain(KEY);
  });

  it('a bunyan-shaped logger (fields, streams, child) is called fields first', async () => {
    const calls: unknown[][] = [];
    const bunyanLike = {
      fields: { name: 'shop' },
      streams: [],
      child: () => bunyanLike,
      debug: (...args: unknown[]) => calls.push(['debug', ...args]),
      info: (...args: unknown[]) => calls.push(['info', ...args]),
      warn: (...args: unknown[]) => calls.push(['warn', ...args]),
      error: (...args: unknown[]) => calls.push(['error', ...args]),
    };
    const { transport } = failingTransport();
    const client = createClient(
      base(transport, { logger: bunyanLike as unknown as Logger, retry: { attempts: 1 } }),
      instant,
    );
    await client.scan.query({ MERORDERID: 'B1' } as never).catch(() => undefined);
    expect(calls).toEqual([
      ['debug', { operation: 'scan.query', body: expect.objectContaining({ MERORDERID: 'B1' }) }, '→ scan.query'],
    ]);
  });

  it('a winston-like logger (levels is a plain map, message first) is not taken for pino', async () => {
    const calls: unknown[][] = [];
    const winstonLike = {
      levels: { error: 0, warn: 1, info: 2, debug: 5 },
      child: () => winstonLike,
      debug: (...a: unknown[]) => calls.push(a),
    };
    const { transport } = failingTransport();
    const client = createClient(
      base(transport, { logger: winstonLike as unknown as Logger, retry: { attempts: 1 } }),
      instant,
    );
    await client.scan.query({ MERORDERID: 'W1' } as never).catch(() => undefined);
    expect(calls).toEqual([
      ['→ scan.query', { operation: 'scan.query', body: expect.objectContaining({ MERORDERID: 'W1' }) }],
    ]);
  });

  it('objectFirstLogger forces the fields-first convention for any other logger; {} when there are no fields', () => {
    const calls: unknown[][] = [];
    const logger = objectFirstLogger({ warn: (fields, message) => calls.push([fields, message]) });
    logger.warn!('one', { a: 1 });
    logger.warn!('two');
    expect(logger.info).toBeUndefined();
    expect(calls).toEqual([
      [{ a: 1 }, 'one'],
      [{}, 'two'],
    ]);
  });
});

describe('retry and deadlines in the configuration', () => {
  it('is validated: every bad field named, unknown settings refused', () => {
    const { transport } = failingTransport();
    const e = configError(() =>
      createClient(
        base(transport, {
          retry: { attempts: 0, baseDelayMs: -1, maxDelayMs: 1.5, tries: 3 },
          settleDeadlineMs: 'soon',
        }),
      ),
    );
    expect(e.issues.map((i) => i.field).sort()).toEqual([
      'retry.attempts',
      'retry.baseDelayMs',
      'retry.maxDelayMs',
      'retry.tries',
      'settleDeadlineMs',
    ]);
    expect(configError(() => createClient(base(transport, { retry: 3 }))).issues).toEqual([
      expect.objectContaining({ field: 'retry', rule: 'type' }),
    ]);
  });

  it.each([[1], [2], [5]])('attempts: %i sends a query that many times, and a payment order once', async (attempts) => {
    const { transport, requests } = failingTransport();
    const delays: number[] = [];
    const client = createClient(base(transport, { retry: { attempts, baseDelayMs: 10, maxDelayMs: 15 }, logger: {} }), {
      sleep: async (ms) => void delays.push(ms),
      random: () => 0.999,
    });
    await expect(client.scan.query({ MERORDERID: 'Q1' } as never)).rejects.toBeInstanceOf(MmspTransportError);
    expect(requests).toHaveLength(attempts);
    expect(delays).toEqual([9, 14, 14, 14].slice(0, attempts - 1)); // floor(0.999 · min(maxDelayMs, base·2^n)): full jitter
    requests.length = 0;
    await expect(client.scan.wechatOrder(sampleBody('scan.wechatOrder') as never)).rejects.toBeInstanceOf(
      MmspTransportError,
    );
    expect(requests).toHaveLength(1);
  });

  it('a money-moving call is never resent whatever attempts says; settleDeadlineMs bounds its settling queries', async () => {
    const { platform } = harness();
    const strict = createClient(
      {
        ...MERCHANT,
        endpoints: { ...ENDPOINTS },
        transport: platform.transport,
        retry: { attempts: 10, baseDelayMs: 0 },
        settleDeadlineMs: 0,
        timeoutMs: 50,
        logger: {},
      },
      instant,
    );
    platform.faults.push(...Array<'lost-response'>(50).fill('lost-response'));
    const body = sampleBody('scan.wechatMicropay');
    const error = await strict.call('scan.wechatMicropay', body as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MmspOutcomeUnknownError);
    expect(platform.count('scan.wechatMicropay')).toBe(1);
    // One settling query (retried: queries may be, 10 attempts), then settleDeadlineMs 0 allows no second round.
    expect(platform.count('scan.query')).toBe(10);
  });
});

describe('User-Agent', () => {
  it("SDK_VERSION is package.json's version (scripts/write-version.mjs writes it at build)", () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(SDK_VERSION).toBe(pkg.version);
  });

  it('every request carries mmsp-sdk/<version> (<adapter>; <runtime>) and the appInfo', async () => {
    const { transport, requests } = failingTransport({ adapter: 'test-adapter', runtime: 'node/20.1.0' });
    const client = createClient(
      base(transport, {
        appInfo: { name: 'MyShop', version: '1.4.2', url: 'https://shop.example.com' },
        retry: { attempts: 1 },
        logger: {},
      }),
      instant,
    );
    await client.scan.query({ MERORDERID: 'U1' } as never).catch(() => undefined);
    expect(requests[0]!.headers['user-agent']).toBe(
      `mmsp-sdk/${SDK_VERSION} (test-adapter; node/20.1.0) MyShop/1.4.2 (+https://shop.example.com)`,
    );
  });

  it('a transport that names nothing is "custom" on the detected runtime', async () => {
    const { transport, requests } = failingTransport();
    const client = createClient(base(transport, { retry: { attempts: 1 }, logger: {} }), instant);
    await client.scan.query({ MERORDERID: 'U2' } as never).catch(() => undefined);
    expect(requests[0]!.headers['user-agent']).toBe(`mmsp-sdk/${SDK_VERSION} (custom; ${detectRuntime()})`);
  });

  it('detects Deno, Bun, workerd, Node ≥ 21 and browsers from their globals, never from process', () => {
    const g = globalThis as Record<string, unknown>;
    const had = { navigator: Object.getOwnPropertyDescriptor(g, 'navigator') };
    const withGlobals = (values: Record<string, unknown>) => {
      for (const [k, v] of Object.entries(values))
        Object.defineProperty(g, k, { value: v, configurable: true, writable: true });
      try {
        return detectRuntime();
      } finally {
        for (const k of Object.keys(values)) delete g[k];
        if (had.navigator) Object.defineProperty(g, 'navigator', had.navigator);
      }
    };
    expect(withGlobals({ Deno: { version: { deno: '2.1.4' } } })).toBe('deno/2.1.4');
    expect(withGlobals({ Bun: { version: '1.1.38' } })).toBe('bun/1.1.38');
    expect(withGlobals({ navigator: { userAgent: 'Cloudflare-Workers' } })).toBe('workerd');
    expect(withGlobals({ navigator: { userAgent: 'Node.js/22' } })).toBe('node/22');
    expect(withGlobals({ EdgeRuntime: 'edge-runtime' })).toBe('edge-light');
    expect(withGlobals({ navigator: { userAgent: 'Mozilla/5.0 (X11) Chrome/131' }, document: {} })).toBe('browser');
  });

  it('appInfo is validated: a product token name, an http(s) URL', () => {
    const { transport } = failingTransport();
    const e = configError(() =>
      createClient(base(transport, { appInfo: { name: 'My Shop', version: '1 2', url: 'ftp://x', extra: 1 } })),
    );
    expect(e.issues.map((i) => i.field).sort()).toEqual([
      'appInfo.extra',
      'appInfo.name',
      'appInfo.url',
      'appInfo.version',
    ]);
    expect(userAgent({ adapter: 'a', runtime: 'r' }, { name: 'Shop' })).toBe(`mmsp-sdk/${SDK_VERSION} (a; r) Shop`);
  });
});
