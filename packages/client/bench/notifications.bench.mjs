// Receiver decision cost, side by side in one run (not a test): how much of a notification's
// handling is the client's decision (open + store claim/commit) beyond verifying the signature.
// Run after a build: `pnpm --filter @mmsp/codec --filter @mmsp/client build && node packages/client/bench/notifications.bench.mjs`
import { buildEnvelope, openEnvelope } from '@mmsp/codec';
import { createNotificationReceiver } from '@mmsp/client';

const key = 'ea21842eea24e448b991b1cb0a0294cf';
const N = 20_000;
const texts = Array.from(
  { length: N },
  (_, i) =>
    buildEnvelope({
      family: 'quickPay',
      commandId: 35104,
      seqId: 1,
      merchantNo: '001440353999853',
      terminalNo: '84970001',
      key,
      body: {
        AMT: '200',
        BANK_NAME: '农业银行',
        CARDNO: '62284**********7349',
        CARDTYPE: '1',
        LIST_ID: `1000000${i}`,
        MERORDERID: `2017092615102315${i}`,
        NOTIFY_DATE: '20170926150500',
        PAY_DATE: '20170926150435',
        STATUS: '1',
      },
      retCode: 1,
      errorMsg: '',
    }).text,
);

async function time(label, fn) {
  for (let i = 0; i < 2_000; i++) await fn(texts[i % N], i); // warm-up
  const t0 = performance.now();
  for (let i = 0; i < N; i++) await fn(texts[i], i);
  const ops = N / ((performance.now() - t0) / 1000);
  return { label, ops };
}

const receiver = createNotificationReceiver({ key, logger: {} });
const rows = [];
rows.push(await time('JSON.parse only (no verification)', (t) => JSON.parse(t)));
rows.push(await time('codec openEnvelope (verify)', (t) => openEnvelope(t, { key })));
rows.push(await time('client receiver.open', (t) => receiver.open(t)));
rows.push(await time('client receiver.handle (memory store, new ids)', (t) => receiver.handle(t, () => undefined)));
rows.push(await time('client receiver.handle (duplicates)', (t) => receiver.handle(t, () => undefined)));
const base = rows[1].ops;
console.log(`notifications, ${N} distinct quick-pay pushes, node ${process.version}`);
for (const r of rows)
  console.log(
    `${r.label.padEnd(50)} ${Math.round(r.ops).toString().padStart(9)} ops/s  ×${(r.ops / base).toFixed(2)} vs openEnvelope`,
  );
