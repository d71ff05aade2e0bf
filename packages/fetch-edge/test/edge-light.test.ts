// Vercel / Next.js edge routes: the package bundled under the `edge-light` condition runs in
// @edge-runtime/vm (Vercel's edge runtime: Web APIs only, no process, Buffer or require), where
// its notification handler answers a codec-signed notification SUCCESS and refuses a tampered one.
// Web Crypto RSA is not exercised here: @edge-runtime/vm hands the host's crypto.subtle a realm's
// ArrayBuffer it refuses ("2nd argument is not instance of ArrayBuffer", even for its own
// exportKey output), an emulator artefact; the real runtimes prove it (runtime-crypto.ci.test.ts).
import { beforeAll, describe, expect, it } from 'vitest';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { EdgeVM } from '@edge-runtime/vm';
import { MERCHANT, paidNotification, tamperAmount } from './notify-fixtures.js';

const pkgDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
let vm: EdgeVM;

beforeAll(async () => {
  const result = await build({
    stdin: { contents: "export * from '@mmsp/fetch-edge';", resolveDir: pkgDir },
    bundle: true,
    write: false,
    format: 'iife',
    globalName: 'MmspEdge',
    platform: 'browser',
    target: 'es2022',
    conditions: ['source', 'edge-light', 'worker', 'browser'],
    mainFields: ['browser', 'module', 'main'],
    logLevel: 'silent',
  });
  vm = new EdgeVM();
  vm.evaluate(result.outputFiles[0]!.text);
  vm.evaluate(`globalThis.__events = []; globalThis.__hooked = []; globalThis.__notify = MmspEdge.createNotificationHandler({
    key: ${JSON.stringify(MERCHANT.key)}, logger: { debug() {}, info() {}, warn() {}, error() {} },
    onPaid: (e) => { globalThis.__events.push(e.merchantOrderId + ':' + e.amount); },
    hooks: { onNotification: (e) => { globalThis.__hooked.push([e.merchantOrderId ?? null, e.decision, e.httpStatus, e.reason ?? null]); } },
  });`);
}, 60_000);

async function inVm<T>(expression: string): Promise<T> {
  // Results cross the realm as JSON text.
  return JSON.parse(
    await vm.evaluate<Promise<string>>(`(async () => JSON.stringify(await (async () => { ${expression} })()))()`),
  ) as T;
}

const deliver = (text: string) =>
  inVm<
    [number, string]
  >(`const r = await __notify(new Request('https://shop.example/api/mmsp', { method: 'POST', headers: { 'content-type': 'application/json' }, body: ${JSON.stringify(text)} }));
    return [r.status, await r.text()];`);

describe('@mmsp/fetch-edge in @edge-runtime/vm (edge-light)', () => {
  it('runs without process, Buffer or require', async () => {
    expect(
      await inVm('return [typeof process, typeof Buffer, typeof require, typeof MmspEdge.createNotificationHandler];'),
    ).toEqual(['undefined', 'undefined', 'undefined', 'function']);
  });

  it('answers SUCCESS to a signed notification once, and refuses a tampered one', async () => {
    const text = paidNotification('EDGE0001', '700');
    expect(await deliver(text)).toEqual([200, 'SUCCESS']);
    expect(await deliver(text)).toEqual([200, 'SUCCESS']);
    const [status, body] = await deliver(tamperAmount(paidNotification('EDGE0002')));
    expect(status).toBe(400);
    expect(body).not.toMatch(/^SUCCESS/i);
    expect(await inVm('return __events;')).toEqual(['EDGE0001:700']);
    // The key-only receiver's hooks.onNotification sees every decision (issue #15).
    expect(await inVm('return __hooked;')).toEqual([
      ['EDGE0001', 'handled', 200, null],
      ['EDGE0001', 'duplicate', 200, null],
      [null, 'rejected', 400, 'bad-signature'], // refused before its Body was read: no order
    ]);
  });
});
