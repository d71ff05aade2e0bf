#!/usr/bin/env node
// Payout RSA speed of the codec's default provider (`pureCrypto`): one 1024-bit block encrypted,
// decrypted, signed and verified, and a whole payout request sealed and a response opened
// (PROTOCOL §6), with the test keys of test/fixtures/rsa. Not a test: numbers depend on the machine.
// Build first, then run:
//   pnpm --filter @mmsp/codec build && node packages/codec/bench/rsa.bench.mjs
// Options: --time=<ms per measurement, default 1000>, --rounds=<best of, default 3>, --json.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { payoutOpen, payoutSeal, pureCrypto } from '../dist/index.js';

const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=')));
const TIME = Number(args.time ?? 1000);
const ROUNDS = Number(args.rounds ?? 3);
const here = dirname(fileURLToPath(import.meta.url));
const key = (name) => readFileSync(join(here, '..', 'test', 'fixtures', 'rsa', `${name}.pem`), 'utf8');
const merchantPrivateKey = key('merchant-pkcs8');
const merchantPublicKey = key('merchant-spki');
const platformPrivateKey = key('platform-pkcs8');
const platformPublicKey = key('platform-spki');

const order = {
  CMDID: '4097',
  VERSION: '1.0',
  MERNO: '001100052346700',
  ORDERNO: '20171121170001',
  REQTIME: '20171123181110',
  AMT: '100',
  BUSIYPE: '001',
  ACCNAME: '张三',
  ACCNO: '6225123456781234',
  PAYTYPE: '1',
  ACCTYPE: '0',
  MOBILE: '13800138000',
  BANKNAME: '招商银行',
  BANKSETTLENO: '308584000013',
  BANKBRANCHNAME: '招商银行深圳分行',
  MEMO: '代付',
  IDCARD: '440301199001011234',
  BANKPROV: '广东省',
  BANKCITY: '深圳市',
};
const block = new TextEncoder().encode('x'.repeat(117));
const cipher = pureCrypto.rsaEncryptBlock(platformPublicKey, block);
const signature = pureCrypto.sha1WithRsaSign(merchantPrivateKey, block);
// A response as the platform sends it: encrypted to the merchant, signed by the platform.
const answer = payoutSeal(
  { RETCODE: '0000', RETMSG: '成功', ORDERNO: '20171121170001' },
  { platformPublicKey: merchantPublicKey, merchantPrivateKey: platformPrivateKey },
);

function measure(fn) {
  let best = 0;
  for (let r = 0; r < ROUNDS; r++) {
    let n = 0;
    const start = performance.now();
    let now = start;
    while (now - start < TIME) {
      fn();
      n++;
      if ((n & 3) === 0) now = performance.now();
    }
    now = performance.now();
    best = Math.max(best, (n * 1000) / (now - start));
  }
  return best;
}

const cases = [
  ['rsaEncryptBlock (public, 1024)', () => pureCrypto.rsaEncryptBlock(platformPublicKey, block)],
  ['rsaDecryptBlock (private, 1024)', () => pureCrypto.rsaDecryptBlock(platformPrivateKey, cipher)],
  ['sha1WithRsaSign (private, 1024)', () => pureCrypto.sha1WithRsaSign(merchantPrivateKey, block)],
  ['sha1WithRsaVerify (public, 1024)', () => pureCrypto.sha1WithRsaVerify(merchantPublicKey, block, signature)],
  ['payoutSeal (4 blocks + sign)', () => payoutSeal(order, { platformPublicKey, merchantPrivateKey })],
  ['payoutOpen (1 block + verify)', () => payoutOpen(answer, { merchantPrivateKey, platformPublicKey })],
];
const rows = cases.map(([name, fn]) => ({ name, opsPerSecond: Math.round(measure(fn)) }));
if ('json' in args) console.log(JSON.stringify({ node: process.version, rows }, null, 2));
else {
  console.log(`node ${process.version}, best of ${ROUNDS} × ${TIME} ms\n\n| operation | ops/s |\n|---|---:|`);
  for (const r of rows) console.log(`| ${r.name} | ${r.opsPerSecond.toLocaleString('en-US')} |`);
}
