// `mmsp reconcile` (issue #16 item 4), the built binary against the real sandbox: a file of `total`
// orders with `perKind` planted differences of every kind; every one is found, nothing else is
// reported. reconcile.test.ts runs it with a modest file (pnpm test), reconcile-5000.ci.test.ts
// with 5,000 orders (the issue's figure; planting them takes about a minute on a busy machine).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chinaTime } from '@mmsp/codec';
import { createClient, MmspTransportError, type MmspClient, type Transport } from '@mmsp/client';
import { startSandbox, type Sandbox } from '@mmsp/sandbox';
import { run } from '../../src/run.js';
import { KEY, mmsp, mmspAsync, tempDir, write } from '../helpers.js';

interface Row {
  merchantOrderId: string;
  amount: string;
  state: string;
}

export function reconcileCliSuite(options: {
  total: number;
  perKind: number;
  family: 'quickPay' | 'gateway';
  otherFamily: 'quickPay' | 'gateway';
}): void {
  const { total, perKind, family } = options;
  let sb: Sandbox;
  let client: MmspClient;
  let dir: string;
  let merchantPath: string;
  const today = chinaTime(new Date()).slice(0, 8);
  const runTag = Date.now().toString(36).slice(-6);
  let n = 0;
  const id = (p: string) => `${p}${runTag}${(++n).toString().padStart(6, '0')}`;
  const rows: Row[] = [];
  const planted = {
    missing: [] as string[],
    notPaidInFile: [] as string[],
    amount: [] as string[],
    notPaidOnPlatform: [] as string[],
  };

  const transport: Transport = async (req) => {
    try {
      const res = await fetch(req.url, { method: 'POST', headers: req.headers, body: req.body });
      return { status: res.status, headers: {}, body: await res.text() };
    } catch (cause) {
      throw new MmspTransportError('fetch failed', { mayHaveReachedPlatform: true, cause });
    }
  };

  /** An order created through the client (quick pay: the card request; gateway: its form, as a browser posts it), then paid or closed on the sandbox. */
  async function createOrder(merchantOrderId: string, amount: string, then: 'pay' | 'expire' | 'none'): Promise<void> {
    if (family === 'quickPay') {
      await client.quickPay.pay({
        MERORDERID: merchantOrderId,
        AMT: amount,
        NAME: '张安',
        PHONENO: '18826570890',
        CARDNO: '6227000013830230000',
        CARDTYPE: '1',
        ID_NO: '23210219820916601X',
        NOTIFY_URL: 'http://127.0.0.1:9/n',
      });
    } else {
      const form = await client.gateway.pay({
        MERORDERID: merchantOrderId,
        AMT: amount,
        NOTIFY_URL: 'http://127.0.0.1:9/n',
        JUMP_URL: 'http://127.0.0.1:9/r',
        PAY_CHANNEL: 'YLBILL-NET-B2C',
        GOODSNAME: 'x',
      });
      const res = await fetch(form.action, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(form.fields as Record<string, string>),
      });
      await res.text();
      if (res.status !== 200) throw new Error(`gateway form: HTTP ${res.status}`);
    }
    if (then !== 'none') sb.settleOrder(merchantOrderId, then, { family });
  }

  async function pool<T>(items: T[], limit: number, task: (t: T) => Promise<void>): Promise<void> {
    let next = 0;
    await Promise.all(
      Array.from({ length: limit }, async () => {
        while (next < items.length) await task(items[next++]!);
      }),
    );
  }

  const csv = (list: Row[]) =>
    `merchantOrderId,amount,state\n${list.map((r) => `${r.merchantOrderId},${r.amount},${r.state}`).join('\n')}\n`;
  const args = (orders: string, extra: string[] = []) => [
    'reconcile',
    '--family',
    family,
    '--from',
    today,
    '--to',
    today,
    '--orders',
    orders,
    '--merchant',
    merchantPath,
    ...extra,
  ];

  beforeAll(async () => {
    sb = await startSandbox({ timeScale: 0.0005 });
    sb.loseNotifications({ merchantNo: sb.merchant.merchantNo });
    client = createClient({ ...sb.merchant, transport, logger: { debug() {}, info() {}, warn() {}, error() {} } });
    dir = tempDir();
    const creds = await (await fetch(`${sb.url}/_sandbox/merchant`)).json();
    merchantPath = write(dir, 'merchant.json', JSON.stringify(creds));
    // The file: pending and closed orders agreeing with the platform, `perKind` orders of each
    // planted kind that is in the file, and paid orders agreeing with the platform for the rest.
    // `perKind` more orders are paid on the platform and missing from the file.
    const pendingN = Math.min(100, Math.floor(total / 20));
    const closedN = Math.min(50, Math.floor(total / 40));
    const agreeing = total - pendingN - closedN - 3 * perKind;
    const tasks: Array<{ id: string; amount: string; platform: 'pay' | 'expire' | 'none' | 'absent'; file?: Row }> = [];
    const amt = (i: number) => String(100 + (i % 251) * 7);
    for (let i = 0; i < agreeing; i++) {
      const o = id('A');
      tasks.push({
        id: o,
        amount: amt(i),
        platform: 'pay',
        file: { merchantOrderId: o, amount: amt(i), state: 'paid' },
      });
    }
    for (let i = 0; i < pendingN; i++) {
      const o = id('P');
      tasks.push({
        id: o,
        amount: '100',
        platform: 'none',
        file: { merchantOrderId: o, amount: '100', state: 'pending' },
      });
    }
    for (let i = 0; i < closedN; i++) {
      const o = id('C');
      tasks.push({
        id: o,
        amount: '100',
        platform: 'expire',
        file: { merchantOrderId: o, amount: '100', state: i % 2 ? 'closed' : 'failed' },
      });
    }
    for (let i = 0; i < perKind; i++) {
      const o = id('M');
      planted.missing.push(o);
      tasks.push({ id: o, amount: '555', platform: 'pay' });
    }
    for (let i = 0; i < perKind; i++) {
      const o = id('N');
      planted.notPaidInFile.push(o);
      tasks.push({
        id: o,
        amount: '600',
        platform: 'pay',
        file: { merchantOrderId: o, amount: '600', state: i % 2 ? 'pending' : 'failed' },
      });
    }
    for (let i = 0; i < perKind; i++) {
      const o = id('D');
      planted.amount.push(o);
      tasks.push({ id: o, amount: '700', platform: 'pay', file: { merchantOrderId: o, amount: '701', state: 'paid' } });
    }
    for (let i = 0; i < perKind; i++) {
      // Paid in the file: a quarter pending on the platform, a quarter closed, half unknown to it.
      const o = id('U');
      planted.notPaidOnPlatform.push(o);
      tasks.push({
        id: o,
        amount: '800',
        platform: i < perKind / 4 ? 'none' : i < perKind / 2 ? 'expire' : 'absent',
        file: { merchantOrderId: o, amount: '800', state: 'paid' },
      });
    }
    // An order of the other family, paid: never part of this family's batch query.
    const other = id('O');
    await client.scan.wechatOrder({
      TRADETYPE: '1',
      AMT: '100',
      MERORDERID: other,
      GOODSNAME: 'x',
      NOTIFY_URL: 'http://127.0.0.1:9/n',
    });
    sb.settleOrder(other, 'pay', { family: 'scan' });
    await pool(
      tasks.filter((t) => t.platform !== 'absent'),
      8,
      (t) => createOrder(t.id, t.amount, t.platform as 'pay' | 'expire' | 'none'),
    );
    for (const t of tasks) if (t.file) rows.push(t.file);
    expect(rows).toHaveLength(total);
  }, 600_000);
  afterAll(() => sb.close());

  describe(`mmsp reconcile --family ${family}, ${total} orders`, () => {
    it(`finds every planted difference in a file of ${total} orders (CSV), and nothing else; exit 1`, async () => {
      const orders = write(dir, 'orders.csv', csv(rows));
      const r = await mmspAsync(args(orders, ['--json']));
      expect(r.stderr).toBe('');
      expect(r.status).toBe(1);
      const out = JSON.parse(r.stdout) as {
        platformPaid: number;
        ordersInFile: number;
        queries: number;
        pages: number;
        differences: Array<{ kind: string; merchantOrderId: string; platformState?: string }>;
      };
      const kind = (k: string) =>
        out.differences
          .filter((d) => d.kind === k)
          .map((d) => d.merchantOrderId)
          .sort();
      expect(kind('missing')).toEqual([...planted.missing].sort());
      expect(kind('not-paid-in-books')).toEqual([...planted.notPaidInFile].sort());
      expect(kind('amount-differs')).toEqual([...planted.amount].sort());
      expect(kind('not-paid-on-platform')).toEqual([...planted.notPaidOnPlatform].sort());
      expect(out.differences).toHaveLength(4 * perKind);
      expect(out.ordersInFile).toBe(total);
      const paidOnPlatform = rows.filter((x) => x.merchantOrderId.startsWith('A')).length + 3 * perKind;
      expect(out.platformPaid).toBe(paidOnPlatform);
      // Batch pages of 1000, then one confirming query per order paid in the file but not listed.
      expect(out.pages).toBe(Math.ceil(paidOnPlatform / 1000));
      expect(out.queries).toBe(out.pages + perKind);
      expect(out.differences.filter((d) => d.platformState === 'unknown')).toHaveLength(
        perKind - Math.ceil(perKind / 2),
      );
    });

    it('the same as JSON orders, human output: one line per difference and a summary', async () => {
      const orders = write(dir, 'orders.json', JSON.stringify(rows.map((r) => ({ ...r, amount: Number(r.amount) }))));
      const r = await mmspAsync(args(orders));
      expect(r.status).toBe(1);
      const lines = r.stdout.trimEnd().split('\n');
      expect(lines[0]).toMatch(
        new RegExp(`^${family} \\d{8}\\.\\.\\d{8}: \\d+ paid on the platform, ${total} orders in `),
      );
      expect(lines.filter((l) => l.startsWith('  '))).toHaveLength(4 * perKind);
      expect(lines.at(-1)).toBe(
        `${4 * perKind} differences: ${perKind} paid on the platform, missing in the file; ${perKind} paid on the platform, not paid in the file; ${perKind} amounts differ; ${perKind} paid in the file, not paid on the platform`,
      );
      expect(r.stdout).not.toContain(sb.merchant.key);
    });

    it('books that agree: "no differences", exit 0; the key from MMSP_KEY when merchant.json has none', async () => {
      const agreeing = rows
        .filter((r) => r.merchantOrderId.startsWith('P') || r.merchantOrderId.startsWith('C'))
        .slice(0, 40);
      const orders = write(dir, 'agree.csv', csv(agreeing));
      const { key: _key, ...noKey } = (await (await fetch(`${sb.url}/_sandbox/merchant`)).json()) as Record<
        string,
        unknown
      >;
      const keyless = write(dir, 'keyless.json', JSON.stringify(noKey));
      // The other family has no paid orders in this sandbox: nothing missing, nothing to confirm.
      const r = await mmspAsync(
        [
          'reconcile',
          '--family',
          options.otherFamily,
          '--from',
          today,
          '--to',
          today,
          '--orders',
          orders,
          '--merchant',
          keyless,
        ],
        { env: { MMSP_KEY: sb.merchant.key } },
      );
      expect(r.stderr).toBe('');
      expect(r.stdout).toMatch(
        new RegExp(`: 0 paid on the platform, ${agreeing.length} orders in .*\\nno differences\\n$`),
      );
      expect(r.status).toBe(0);
      const noKeyAtAll = await mmspAsync([
        'reconcile',
        '--family',
        options.otherFamily,
        '--from',
        today,
        '--to',
        today,
        '--orders',
        orders,
        '--merchant',
        keyless,
      ]);
      expect(noKeyAtAll.status).toBe(64);
      expect(noKeyAtAll.stderr).toMatch(/the MD5 key is required/);
    });

    it('a progress bar on a terminal (stderr), none without one', async () => {
      const orders = write(dir, 'few.csv', csv(rows.slice(0, 30)));
      const runIt = async (tty: boolean) => {
        let err = '';
        let out = '';
        const code = await run(args(orders, ['--per-page', '500']), {
          stdout: (t) => void (out += t),
          stderr: (t) => void (err += t),
          stderrIsTTY: tty,
          cwd: dir,
          env: {},
        });
        return { code, err, out };
      };
      const tty = await runIt(true);
      expect(tty.code).toBe(1); // the platform's other paid orders are missing from this small file
      expect(tty.err).toMatch(/\r\[#+ *\] batch page 1\/\d+/);
      expect(tty.out).toContain('paid on the platform, missing in the file');
      const piped = await runIt(false);
      expect(piped.err).toBe('');
      expect(piped.out).toBe(tty.out);
    });

    it('bad input: one line, exit 64, the key never shown', () => {
      const good = write(dir, 'ok.csv', 'merchantOrderId,amount,state\nA1,100,paid\n');
      const cases: Array<[string[], RegExp]> = [
        [['--family', 'scan'], /--family must be quickPay or gateway/],
        [['--from', '2026-12-01'], /--from must be YYYYMMDD/],
        [
          ['--orders', write(dir, 'bad1.csv', 'merchantOrderId,amount,state\nA1,1.5,paid\n')],
          /line 2 \(A1\): amount must be integer fen/,
        ],
        [
          ['--orders', write(dir, 'bad2.csv', 'merchantOrderId,amount,state\nA1,100,refunded\n')],
          /state must be one of paid, pending, failed, closed/,
        ],
        [['--orders', write(dir, 'bad3.csv', 'id,amount\nA1,100\n')], /header must name merchantOrderId,amount,state/],
        [
          [
            '--orders',
            write(
              dir,
              'bad4.json',
              '[{"merchantOrderId":"A1","amount":"1","state":"paid"},{"merchantOrderId":"A1","amount":"1","state":"paid"}]',
            ),
          ],
          /A1 appears twice/,
        ],
        [['--merchant', write(dir, 'm.json', '{"merchantNo":"1"}')], /terminalNo is required/],
        [['--from', '20200101'], /START_DATE must be within the last 3 months/],
        [['--per-page', '1001'], /--per-page must be 1..1000/],
      ];
      for (const [over, words] of cases) {
        const base: Record<string, string> = {
          '--family': family,
          '--from': today,
          '--to': today,
          '--orders': good,
          '--merchant': merchantPath,
        };
        for (let i = 0; i < over.length; i += 2) base[over[i]!] = over[i + 1]!;
        const r = mmsp(['reconcile', ...Object.entries(base).flat(), '--key', KEY]);
        expect(r.status, over.join(' ')).toBe(64);
        expect(r.stderr).toMatch(words);
        expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
        expect(r.stderr).not.toContain(KEY);
        expect(r.stderr).not.toContain(sb.merchant.key);
      }
    });

    it('an unreachable platform: exit 1 with one line', () => {
      const dead = write(
        dir,
        'dead.json',
        JSON.stringify({
          merchantNo: '001440353999853',
          terminalNo: '84970001',
          key: KEY,
          endpoints: { [family]: 'http://127.0.0.1:9/x' },
        }),
      );
      const r = mmsp([
        'reconcile',
        '--family',
        family,
        '--from',
        today,
        '--to',
        today,
        '--orders',
        write(dir, 'x.csv', 'merchantOrderId,amount,state\n'),
        '--merchant',
        dead,
        '--timeout',
        '2000',
      ]);
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/^mmsp reconcile: the platform could not be reached/);
      expect(r.stderr).not.toContain(KEY);
    });
  });
}
