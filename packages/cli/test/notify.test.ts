// mmsp notify against a real node:http receiver on loopback that decides with @mmsp/client's own
// notification receiver (signature, family, amount): each family's notification is accepted, the
// retry schedule is the sandbox's, PUSH_COUNT counts attempts, agency mode signs with the agent key.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createNotificationReceiver } from '@mmsp/client';
import { openEnvelope } from '@mmsp/codec';
import { retrySchedule } from '@mmsp/sandbox';
import { afterEach, describe, expect, it } from 'vitest';
import { AGENT_KEY, KEY, mmspAsync } from './helpers.js';

interface Receiver {
  url: string;
  texts: string[];
  events: { family: string; merchantOrderId: string; platformOrderId: string; amount: string }[];
  close(): Promise<void>;
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

/** Answers 500 "FAIL" to the first `failures` deliveries, then lets the SDK's receiver decide. */
async function receiver(failures: number, keys: { key: string; agentKey?: string } = { key: KEY }): Promise<Receiver> {
  const sdk = createNotificationReceiver({
    ...keys,
    logger: { debug() {}, info() {}, warn() {}, error() {} } as never,
  });
  const texts: string[] = [];
  const events: Receiver['events'] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      texts.push(text);
      if (texts.length <= failures) {
        res.writeHead(500).end('FAIL');
        return;
      }
      sdk
        .handle(text, (event) => void events.push(event as Receiver['events'][number]))
        .then(
          (d) => res.writeHead(d.status, { 'content-type': d.contentType }).end(d.body),
          () => res.writeHead(500).end('FAIL'),
        );
    });
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mmsp/notify`,
    texts,
    events,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

interface NotifyJson {
  acknowledged: boolean;
  commandId: number;
  platformOrderId: string;
  attempts: {
    attempt: number;
    delayMs: number;
    status: number | null;
    response: string | null;
    error: string | null;
    acknowledged: boolean;
  }[];
  text: string;
}

describe('mmsp notify', () => {
  for (const [family, commandId, amountType] of [
    ['scan', 2324, 'number'],
    ['quickPay', 35104, 'string'],
    ['gateway', 35090, 'string'],
  ] as const) {
    it(`${family}: a signed notification (CommandID ${commandId}) the SDK's receiver accepts`, async () => {
      const rx = await receiver(0);
      const r = await mmspAsync([
        'notify',
        '--url',
        rx.url,
        '--key',
        KEY,
        '--family',
        family,
        '--order',
        `M${family}1`,
        '--amount',
        '1999',
        '--json',
      ]);
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      const out = JSON.parse(r.stdout) as NotifyJson;
      expect(out.acknowledged).toBe(true);
      expect(out.commandId).toBe(commandId);
      expect(out.attempts).toHaveLength(1);
      expect(rx.texts).toHaveLength(1);
      expect(rx.texts[0]).toBe(out.text);
      const opened = openEnvelope(rx.texts[0] as string, { key: KEY });
      expect(opened.signatureChecked).toBe(true);
      expect(opened.commandId).toBe(commandId);
      expect(typeof (opened.plainBody as Record<string, unknown>).AMT).toBe(amountType); // scan §10.8: AMT int(20)
      expect(rx.events).toEqual([
        expect.objectContaining({
          family,
          merchantOrderId: `M${family}1`,
          platformOrderId: out.platformOrderId,
          amount: '1999',
        }),
      ]);
    });
  }

  it("--retry-schedule follows the platform's schedule (scaled) until SUCCESS; PUSH_COUNT counts attempts", async () => {
    const rx = await receiver(2);
    const r = await mmspAsync([
      'notify',
      '--url',
      rx.url,
      '--key',
      KEY,
      '--family',
      'quickPay',
      '--order',
      'R1',
      '--amount',
      '100',
      '--retry-schedule',
      '--time-scale',
      '0.01',
      '--json',
    ]);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as NotifyJson;
    expect(out.attempts.map((a) => [a.attempt, a.status, a.acknowledged])).toEqual([
      [1, 500, false],
      [2, 500, false],
      [3, 200, true],
    ]);
    expect(out.attempts.map((a) => a.delayMs)).toEqual(retrySchedule('quickPay', 0.01).slice(0, 3));
    expect(
      rx.texts.map((t) => (openEnvelope(t, { key: KEY }).plainBody as Record<string, unknown>).PUSH_COUNT),
    ).toEqual([1, 2, 3]);
    expect(rx.events).toHaveLength(1);
  });

  it('prints each attempt; exits 1 when the receiver never answers SUCCESS (whole scan schedule)', async () => {
    const rx = await receiver(1000);
    const r = await mmspAsync([
      'notify',
      '--url',
      rx.url,
      '--key',
      KEY,
      '--order',
      'F1',
      '--amount',
      '1',
      '--retry-schedule',
      '--time-scale',
      '0.0001',
    ]);
    expect(r.status).toBe(1);
    const n = retrySchedule('scan', 1).length;
    expect(rx.texts).toHaveLength(n);
    expect(r.stdout.match(/^attempt \d+ at \+[\d.]+s: HTTP 500 "FAIL" → not acknowledged$/gm)).toHaveLength(n);
    expect(r.stdout).toContain(`no SUCCESS after ${n} attempt(s)`);
  });

  it('without --retry-schedule: one attempt; a refused connection is reported, exit 1', async () => {
    const rx = await receiver(1);
    const once = await mmspAsync(['notify', '--url', rx.url, '--key', KEY, '--order', 'O1', '--amount', '1']);
    expect(once.status).toBe(1);
    expect(rx.texts).toHaveLength(1);
    await rx.close();
    servers.length = 0;
    const refused = await mmspAsync([
      'notify',
      '--url',
      rx.url,
      '--key',
      KEY,
      '--order',
      'O1',
      '--amount',
      '1',
      '--json',
    ]);
    expect(refused.status).toBe(1);
    expect((JSON.parse(refused.stdout) as NotifyJson).attempts[0]?.error).toMatch(/ECONNREFUSED/);
  });

  it("agency mode signs with the agent's key; --field sets Body fields", async () => {
    const rx = await receiver(0, { key: KEY, agentKey: AGENT_KEY });
    const r = await mmspAsync([
      'notify',
      '--url',
      rx.url,
      '--key',
      KEY,
      '--agent-no',
      'AG01',
      '--agent-key',
      AGENT_KEY,
      '--family',
      'gateway',
      '--order',
      'G1',
      '--amount',
      '5',
      '--field',
      'REMARK=备注',
      '--field',
      'GOODSNAME=book',
      '--json',
    ]);
    expect(r.status).toBe(0);
    const opened = openEnvelope(rx.texts[0] as string, { key: KEY, agentKey: AGENT_KEY });
    expect(opened.agentNo).toBe('AG01');
    expect(opened.plainBody).toMatchObject({ REMARK: '备注', GOODSNAME: 'book', MERORDERID: 'G1', AMT: '5' });
    expect(() => openEnvelope(rx.texts[0] as string, { key: KEY })).toThrow(/signature/);
  });

  it('refuses bad options with one line, never the key', async () => {
    const cases: [string[], RegExp][] = [
      [['notify', '--key', KEY, '--order', '1', '--amount', '1'], /--url is required/],
      [['notify', '--url', 'http://10.1.2.3/n', '--key', KEY, '--order', '1', '--amount', '1'], /not on this machine/],
      [['notify', '--url', 'ftp://127.0.0.1/n', '--key', KEY, '--order', '1', '--amount', '1'], /http/],
      [
        ['notify', '--url', 'http://127.0.0.1:9/n', '--key', KEY, '--order', '1', '--amount', '1.00'],
        /--amount must be integer fen/,
      ],
      [
        [
          'notify',
          '--url',
          'http://127.0.0.1:9/n',
          '--key',
          KEY,
          '--order',
          '1',
          '--amount',
          '1',
          '--family',
          'payout',
        ],
        /--family must be one of scan, quickPay, gateway/,
      ],
      [['notify', '--url', 'http://127.0.0.1:9/n', '--order', '1', '--amount', '1'], /MD5 key is required/],
      [
        [
          'notify',
          '--url',
          'http://127.0.0.1:9/n',
          '--key',
          KEY,
          '--order',
          '1',
          '--amount',
          '1',
          '--time-scale',
          'fast',
        ],
        /--time-scale must be a number/,
      ],
    ];
    for (const [args, words] of cases) {
      const r = await mmspAsync(args);
      expect(r.status, args.join(' ')).toBe(64);
      expect(r.stderr).toMatch(words);
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(r.stderr).not.toContain(KEY);
    }
  });
});
