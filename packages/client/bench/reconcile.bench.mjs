#!/usr/bin/env node
// Reconciliation figures (issue #16), not a test: the built sandbox runs in a child process; this
// process plants orders over HTTP (scan QR, quick pay card + SMS, gateway form; paid, unpaid and
// closed) with every notification of the merchant lost, then measures
//   - createReconciler().runOnce(): orders settled per second and queries sent per order, at
//     several concurrencies (a fresh in-memory store each time, so every paid order is handled);
//   - reconcileRange(): paid records compared per second and queries per record (batch pages).
// Requests are counted at the transport.
//
//   pnpm turbo run build --filter @mmsp/sandbox --filter @mmsp/client
//   node packages/client/bench/reconcile.bench.mjs [--paid 600] [--unpaid 100] [--closed 100] [--concurrency 1,4,8,16]
import { fork } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';

if (process.argv[2] === '--serve') {
  const { startSandbox } = await import('../../sandbox/dist/index.js');
  const sb = await startSandbox({ port: 0, seed: 'reconcile-bench', timeScale: 0.001 });
  sb.loseNotifications({ merchantNo: sb.merchant.merchantNo });
  process.send({ url: sb.url, merchant: sb.merchant });
  process.on('message', async (m) => {
    if (m === 'stop') {
      await sb.close();
      process.exit(0);
    }
  });
} else {
  const { values } = parseArgs({
    options: {
      paid: { type: 'string', default: '600' },
      unpaid: { type: 'string', default: '100' },
      closed: { type: 'string', default: '100' },
      concurrency: { type: 'string', default: '1,4,8,16' },
    },
  });
  const { createClient, createReconciler, reconcileRange, MemoryNotificationStore, MmspTransportError } =
    await import('../dist/index.js');
  const { chinaTime } = await import('@mmsp/codec');
  const child = fork(new URL(import.meta.url).pathname, ['--serve'], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const { url, merchant } = await new Promise((resolve) => child.once('message', resolve));
  let requests = 0;
  const transport = async (req) => {
    requests++;
    try {
      const res = await fetch(req.url, { method: 'POST', headers: req.headers, body: req.body });
      return { status: res.status, headers: {}, body: await res.text() };
    } catch (cause) {
      throw new MmspTransportError('fetch failed', { mayHaveReachedPlatform: true, cause });
    }
  };
  const quiet = { debug() {}, info() {}, warn() {}, error() {} };
  const client = createClient({ ...merchant, transport, logger: quiet });
  const control = (path, body) =>
    fetch(`${url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body ?? {}),
    }).then(async (r) => {
      if (!r.ok) throw new Error(`${path}: HTTP ${r.status} ${await r.text()}`);
    });
  const tag = Date.now().toString(36).slice(-5);
  let n = 0;
  const families = ['scan', 'quickPay', 'gateway'];
  const orders = [];
  const add = (family, expect) =>
    orders.push({
      family,
      merchantOrderId: `${family[0].toUpperCase()}${tag}${String(++n).padStart(7, '0')}`,
      amount: String(100 + (n % 300)),
      expect,
    });
  for (let i = 0; i < Number(values.paid); i++) add(families[i % 3], 'paid');
  for (let i = 0; i < Number(values.unpaid); i++) add(families[i % 3], 'pending');
  for (let i = 0; i < Number(values.closed); i++) add(families[i % 3], 'failed');
  const NOTIFY = 'http://127.0.0.1:9/notify';
  const plant = async (o) => {
    if (o.family === 'scan')
      await client.scan.wechatOrder({
        TRADETYPE: '1',
        AMT: o.amount,
        MERORDERID: o.merchantOrderId,
        GOODSNAME: 'book',
        NOTIFY_URL: NOTIFY,
      });
    else if (o.family === 'quickPay')
      await client.quickPay.pay({
        MERORDERID: o.merchantOrderId,
        AMT: o.amount,
        NAME: '张安',
        PHONENO: '18826570890',
        CARDNO: '6227000013830230000',
        CARDTYPE: '1',
        ID_NO: '23210219820916601X',
        NOTIFY_URL: NOTIFY,
      });
    else {
      const form = await client.gateway.pay({
        MERORDERID: o.merchantOrderId,
        AMT: o.amount,
        NOTIFY_URL: NOTIFY,
        JUMP_URL: 'http://127.0.0.1:9/r',
        PAY_CHANNEL: 'YLBILL-NET-B2C',
        GOODSNAME: 'book',
      });
      await (
        await fetch(form.action, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams(form.fields),
        })
      ).text();
    }
    if (o.expect === 'paid') await control(`/_sandbox/orders/${o.merchantOrderId}/pay`, { family: o.family });
    if (o.expect === 'failed') await control(`/_sandbox/orders/${o.merchantOrderId}/expire`, { family: o.family });
  };
  const t0 = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < orders.length) await plant(orders[next++]);
    }),
  );
  console.log(
    `planted ${orders.length} orders (${values.paid} paid, ${values.unpaid} unpaid, ${values.closed} closed; every notification lost) in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  console.log(
    `machine: ${cpus().length} × ${cpus()[0]?.model}, Node ${process.version}, load average ${loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')}`,
  );
  console.log('');
  console.log(
    '| concurrency | orders | paid handled | failed | still pending | time (ms) | orders settled/s | queries/order |',
  );
  console.log('|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const c of values.concurrency.split(',').map(Number)) {
    let handled = 0;
    const reconciler = createReconciler({
      client,
      store: new MemoryNotificationStore(),
      minAgeMs: 0,
      concurrency: c,
      pending: () => orders,
      onPaid: () => void handled++,
      onFailed: () => undefined,
    });
    requests = 0;
    const t = performance.now();
    const report = await reconciler.runOnce();
    const ms = performance.now() - t;
    if (report.paid !== Number(values.paid) || handled !== report.paid || report.errors !== 0)
      throw new Error(`unexpected report ${JSON.stringify({ ...report, items: undefined })}`);
    console.log(
      `| ${c} | ${report.checked} | ${report.handled} | ${report.failed} | ${report.stillPending} | ${ms.toFixed(0)} | ${(((report.paid + report.failed) / ms) * 1000).toFixed(0)} | ${(requests / report.checked).toFixed(2)} |`,
    );
  }
  console.log('');
  console.log('| batch sweep (reconcileRange) | paid records | pages | time (ms) | records/s | queries/record |');
  console.log('|---|---:|---:|---:|---:|---:|');
  const today = chinaTime(new Date()).slice(0, 8);
  for (const family of ['quickPay', 'gateway']) {
    const mine = new Map(orders.filter((o) => o.family === family).map((o) => [o.merchantOrderId, o]));
    requests = 0;
    const t = performance.now();
    const report = await reconcileRange({
      client,
      family,
      from: today,
      to: today,
      known: (id) => ({ amount: mine.get(id)?.amount, state: 'paid' }),
    });
    const ms = performance.now() - t;
    console.log(
      `| ${family} | ${report.platformPaid} | ${report.pages} | ${ms.toFixed(0)} | ${((report.platformPaid / ms) * 1000).toFixed(0)} | ${(requests / Math.max(1, report.platformPaid)).toFixed(4)} |`,
    );
  }
  child.send('stop');
}
