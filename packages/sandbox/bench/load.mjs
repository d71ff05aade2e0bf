#!/usr/bin/env node
// Load script (not a test): starts the built sandbox in a child process and drives it from this
// process with concurrent signed scan-code orders (2306) and queries (2310) over keep-alive HTTP.
// Then payouts (payout.pay + payout.query, RSA both ways). Every answer is verified (openEnvelope,
// payoutOpen with the platform's signature required); an error is any non-200, negative response,
// bad signature or unexpected STATUS / RETCODE. Prints orders/s, requests/s, p50/p99 latency, errors.
//
//   pnpm --filter @mmsp/sandbox build && node packages/sandbox/bench/load.mjs [--seconds 10] [--concurrency 32]
import { fork } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';

if (process.argv[2] === '--serve') {
  const { startSandbox } = await import('../dist/index.js');
  const sb = await startSandbox({ port: 0, seed: 'bench' });
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
      seconds: { type: 'string', default: '10' },
      concurrency: { type: 'string', default: '32' },
      'payout-seconds': { type: 'string', default: '5' },
    },
  });
  const seconds = Number(values.seconds);
  const concurrency = Number(values.concurrency);
  const payoutSeconds = Number(values['payout-seconds']);
  const { buildEnvelope, openEnvelope, payoutSeal, payoutOpen } = await import('@mmsp/codec');
  const child = fork(new URL(import.meta.url).pathname, ['--serve'], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const { url, merchant } = await new Promise((resolve) => child.once('message', resolve));

  let seq = 0;
  let orders = 0;
  let queries = 0;
  let errors = 0;
  const firstErrors = [];
  const latencies = [];
  const send = async (commandId, body) => {
    const text = buildEnvelope({
      family: 'scan',
      commandId,
      seqId: ++seq,
      merchantNo: merchant.merchantNo,
      terminalNo: merchant.terminalNo,
      key: merchant.key,
      body,
    }).text;
    const t0 = performance.now();
    const res = await fetch(`${url}/scan`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: text,
    });
    const answer = await res.text();
    latencies.push(performance.now() - t0);
    if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
    return openEnvelope(answer, { key: merchant.key, requireSignature: true }).plainBody;
  };
  const until = performance.now() + seconds * 1000;
  const worker = async (w) => {
    let i = 0;
    while (performance.now() < until) {
      const mer = `B${w}x${++i}`;
      try {
        const o = await send(2306, {
          TRADETYPE: '1',
          AMT: String(100 + i),
          MERORDERID: mer,
          RANDSTR: `r${i}`,
          GOODSNAME: '商品',
          NOTIFY_URL: 'http://127.0.0.1:9/notify',
        });
        if (o.STATUS !== '1') throw new Error(`order STATUS ${o.STATUS}`);
        orders++;
        const q = await send(2310, { MERORDERID: mer, RANDSTR: `q${i}` });
        if (q.STATUS !== '3' || q.AMT !== String(100 + i)) throw new Error(`query STATUS ${q.STATUS}`);
        queries++;
      } catch (err) {
        errors++;
        if (firstErrors.length < 3) firstErrors.push(err.message);
      }
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, (_, w) => worker(w)));
  const elapsed = (performance.now() - t0) / 1000;
  const pct = (list, p) => list[Math.min(list.length - 1, Math.floor((p / 100) * list.length))].toFixed(2);
  const scanLatencies = latencies.splice(0).sort((a, b) => a - b);

  // Payouts: RSA both ways (payout.pay then payout.query), the costly family.
  let payouts = 0;
  let n = 0;
  const keys = { platformPublicKey: merchant.platformPublicKey, merchantPrivateKey: merchant.merchantPrivateKey };
  const sealed = async (plain) => {
    const t = performance.now();
    const res = await fetch(`${url}/payout`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(payoutSeal(plain, keys)),
    });
    const opened = payoutOpen(await res.text(), { ...keys, requireSignature: true });
    latencies.push(performance.now() - t);
    if (opened.RETCODE !== '0000') throw new Error(`RETCODE ${opened.RETCODE}`);
    return opened.data;
  };
  const payUntil = performance.now() + payoutSeconds * 1000;
  const payWorker = async () => {
    while (performance.now() < payUntil) {
      const ORDERNO = `${Date.now()}${String(++n).padStart(6, '0')}`;
      try {
        await sealed({
          CMDID: '4097',
          VERSION: '1.0',
          MERNO: merchant.merchantNo,
          ORDERNO,
          REQTIME: '20260101120000',
          AMT: '1',
          BUSIYPE: '001',
          ACCNAME: '张三',
          ACCNO: '6225123456781234',
          MEMO: 'bench',
          ACCTYPE: '0',
          MOBILE: '13800138000',
          BANKNAME: '招商银行',
        });
        const q = await sealed({
          CMDID: '4098',
          VERSION: '1.0',
          MERNO: merchant.merchantNo,
          ORDERNO,
          REQTIME: '20260101120000',
        });
        if (q.ORDERNO !== ORDERNO) throw new Error('query answered another ORDERNO');
        payouts++;
      } catch (err) {
        errors++;
        if (firstErrors.length < 3) firstErrors.push(err.message);
      }
    }
  };
  const p0 = performance.now();
  if (payoutSeconds > 0) await Promise.all(Array.from({ length: Math.min(concurrency, 8) }, payWorker));
  const payElapsed = (performance.now() - p0) / 1000;
  const payLatencies = latencies.sort((a, b) => a - b);
  child.send('stop');

  console.log(
    `machine: ${cpus().length} × ${cpus()[0].model}, Node ${process.version}, load average ${loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')}`,
  );
  console.log(
    `scan code: ${seconds} s, concurrency ${concurrency}, sandbox in a child process, driver verifying every answer`,
  );
  console.log(
    `  orders/s ${(orders / elapsed).toFixed(0)} | requests/s ${((orders + queries) / elapsed).toFixed(0)} | p50 ${pct(scanLatencies, 50)} ms | p99 ${pct(scanLatencies, 99)} ms`,
  );
  if (payoutSeconds > 0) {
    console.log(`payout (RSA both ways): ${payoutSeconds} s, concurrency ${Math.min(concurrency, 8)}`);
    console.log(
      `  payouts/s ${(payouts / payElapsed).toFixed(0)} | requests/s ${((2 * payouts) / payElapsed).toFixed(0)} | p50 ${pct(payLatencies, 50)} ms | p99 ${pct(payLatencies, 99)} ms`,
    );
  }
  console.log(`errors ${errors}`);
  if (firstErrors.length) console.log(`first errors: ${firstErrors.join('; ')}`);
  process.exitCode = errors === 0 ? 0 : 1;
}
