#!/usr/bin/env node
// Load script (not a test): starts the built sandbox in a child process and drives it from this
// process with concurrent signed scan-code orders (2306) and queries (2310) over keep-alive HTTP.
// Every answer is verified the PHP way (openEnvelope); an error is any non-200, negative response,
// bad signature or unexpected STATUS. Prints orders/s, requests/s, p50/p99 latency, errors.
//
//   pnpm --filter @mmsp/sandbox build && node packages/sandbox/bench/load.mjs [--seconds 10] [--concurrency 32]
import { fork } from 'node:child_process';
import { cpus } from 'node:os';
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
  const { values } = parseArgs({ options: { seconds: { type: 'string', default: '10' }, concurrency: { type: 'string', default: '32' } } });
  const seconds = Number(values.seconds);
  const concurrency = Number(values.concurrency);
  const { buildEnvelope, openEnvelope } = await import('@mmsp/codec');
  const child = fork(new URL(import.meta.url).pathname, ['--serve'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const { url, merchant } = await new Promise((resolve) => child.once('message', resolve));

  let seq = 0;
  let orders = 0;
  let queries = 0;
  let errors = 0;
  const firstErrors = [];
  const latencies = [];
  const send = async (commandId, body) => {
    const text = buildEnvelope({ family: 'scan', commandId, seqId: ++seq, merchantNo: merchant.merchantNo, terminalNo: merchant.terminalNo, key: merchant.key, body }).text;
    const t0 = performance.now();
    const res = await fetch(`${url}/scan`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: text });
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
        const o = await send(2306, { TRADETYPE: '1', AMT: String(100 + i), MERORDERID: mer, RANDSTR: `r${i}`, GOODSNAME: '商品', NOTIFY_URL: 'http://127.0.0.1:9/notify' });
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
  child.send('stop');
  latencies.sort((a, b) => a - b);
  const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))].toFixed(2);
  console.log(`machine: ${cpus().length} × ${cpus()[0].model}, Node ${process.version}`);
  console.log(`run: ${seconds} s, concurrency ${concurrency}, sandbox in a child process, driver verifying every answer`);
  console.log(`orders/s ${(orders / elapsed).toFixed(0)} | requests/s ${((orders + queries) / elapsed).toFixed(0)} | p50 ${pct(50)} ms | p99 ${pct(99)} ms | errors ${errors}`);
  if (firstErrors.length) console.log(`first errors: ${firstErrors.join('; ')}`);
  process.exitCode = errors === 0 ? 0 : 1;
}
