/**
 * Issue #14: an application bundled as one Node ES module (`esbuild --bundle --platform=node
 * --format=esm`) with `createNodeClient` in it must start. With node-forge inside the codec's main
 * entry it crashed at start (`Dynamic require of "crypto" is not supported`: esbuild's ESM output
 * has no `require`). The bundle is made from the BUILT packages, as a user's bundler sees them, and
 * run in a child Node process against the sandbox on loopback: a scan-code order and an RSA payout.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startSandbox, type Sandbox, type SandboxMerchant } from '../../sandbox/src/index.js';

const pkg = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const work = mkdtempSync(join(tmpdir(), 'mmsp-esm-bundle-'));
let sb: Sandbox;

beforeAll(async () => {
  sb = await startSandbox({ port: 0, timeScale: 0.001, payoutDelayMs: 50, statePath: join(work, 'state.json') });
});
afterAll(async () => {
  await sb?.close();
  rmSync(work, { recursive: true, force: true });
});

const app = `
import { createNodeClient } from '@mmsp/http-node';
const merchant = JSON.parse(process.env.MMSP_MERCHANT);
const client = createNodeClient({
  merchantNo: merchant.merchantNo, terminalNo: merchant.terminalNo, key: merchant.key, endpoints: merchant.endpoints,
  payout: { platformPublicKey: merchant.platformPublicKey, merchantPrivateKey: merchant.merchantPrivateKey },
});
const id = String(Date.now());
const order = await client.scan.wechatOrder({ TRADETYPE: '1', AMT: '100', MERORDERID: 'E' + id, GOODSNAME: 'book', NOTIFY_URL: 'http://127.0.0.1:9/notify' });
const payout = await client.payout.pay({ ORDERNO: id, AMT: '100', BUSIYPE: '001', ACCNAME: '张三', ACCNO: '6222020000000000000',
  MEMO: '货款', ACCTYPE: '0', MOBILE: '13800000000', BANKNAME: '中国工商银行' });
console.log(JSON.stringify({ id, scanOrder: order.body.MERORDERID, payoutOrder: payout.body.ORDERNO, payoutRetCode: payout.codes.retCode, payoutState: payout.state }));
`;

it('a Node ES module bundle of an app using createNodeClient starts and places a sandbox order and a payout', async () => {
  expect(existsSync(join(pkg, 'dist/index.js')), 'dist/ is missing: run `pnpm build` (pnpm test does)').toBe(true);
  const result = await build({
    stdin: { contents: app, resolveDir: pkg, loader: 'js' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: join(work, 'app.mjs'),
    metafile: true,
    logLevel: 'silent',
  });
  const inputs = Object.keys(result.metafile.inputs);
  expect(inputs.some((p) => p.includes('codec/dist/rsa/'))).toBe(true);
  expect(inputs.filter((p) => p.includes('node-forge'))).toEqual([]);
  writeFileSync(join(work, 'package.json'), '{"type":"module"}');
  const merchant = (await (await fetch(`${sb.url}/_sandbox/merchant`)).json()) as SandboxMerchant;
  const { stdout } = await promisify(execFile)(process.execPath, [join(work, 'app.mjs')], {
    cwd: work,
    env: { PATH: process.env.PATH, MMSP_MERCHANT: JSON.stringify(merchant) },
    timeout: 60_000,
  });
  const out = JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<string, string>;
  expect(out).toMatchObject({ scanOrder: `E${out.id}`, payoutOrder: out.id, payoutRetCode: '0000' });
  expect(sb.orders().some((o) => o.merchantOrderId === `E${out.id}`)).toBe(true);
}, 120_000);
