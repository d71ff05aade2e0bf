// The client runs without Node built-ins: its sources (and the codec's) are bundled by esbuild for
// the browser platform, failing on any node: import, and the bundle runs in @edge-runtime/vm, a
// context with Web APIs only (no process, Buffer, require). There it places an order through a
// transport that plays the platform with the codec, and decides on a signed notification.
import { builtinModules } from 'node:module';
import { dirname, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { EdgeVM } from '@edge-runtime/vm';
import { beforeAll, describe, expect, it } from 'vitest';
import { MERCHANT } from './support/keys.js';
import { quickPayBody, signedNotification } from './support/notifications.js';

const here = dirname(fileURLToPath(import.meta.url));
const clientSrc = resolve(here, '../src');
const builtins = new Set(builtinModules.flatMap((m) => [m, m.split('/')[0] as string]));

const noNodeBuiltins: Plugin = {
  name: 'no-node-builtins',
  setup(b) {
    b.onResolve({ filter: /.*/ }, (args) => {
      if (args.path.startsWith('node:'))
        return { errors: [{ text: `Node built-in "${args.path}" imported by ${args.importer}` }] };
      if ((args.importer.startsWith(clientSrc + sep) || args.importer === '<stdin>') && builtins.has(args.path)) {
        return { errors: [{ text: `Node built-in "${args.path}" imported by ${args.importer}` }] };
      }
      return undefined;
    });
  },
};

async function bundle(contents: string): Promise<string> {
  const result = await build({
    stdin: { contents, resolveDir: clientSrc, loader: 'ts' },
    bundle: true,
    write: false,
    format: 'iife',
    globalName: 'Mmsp',
    platform: 'browser',
    target: 'es2022',
    conditions: ['source'],
    logLevel: 'silent',
    plugins: [noNodeBuiltins],
  });
  return result.outputFiles[0]!.text;
}

let vm: EdgeVM;
beforeAll(async () => {
  const code = await bundle(
    `export * from './index.ts'; export { buildEnvelope, parseRequestEnvelope } from '@mmsp/codec';`,
  );
  vm = new EdgeVM();
  vm.evaluate(code);
}, 60_000);

async function inVm<T>(body: string): Promise<T> {
  return JSON.parse(
    await vm.evaluate<Promise<string>>(`(async () => JSON.stringify(await (async () => { ${body} })()))()`),
  ) as T;
}

describe('the client in @edge-runtime/vm', () => {
  it('fails to bundle a node: import', async () => {
    await expect(bundle('import { inspect } from "node:util"; export const i = inspect;')).rejects.toThrow(/node:util/);
  });

  it('calls the platform and verifies the answer without Node built-ins', async () => {
    const result = await inVm<{ env: string[]; operation: string; state: string; seqs: number[] }>(`
      const m = ${JSON.stringify(MERCHANT)};
      const seqs = [];
      const transport = async (req) => {
        const parsed = Mmsp.parseRequestEnvelope(req.body, { key: m.key });
        seqs.push(parsed.seqId);
        const body = { STATUS: '1', ORDERNO: '90001', MERORDERID: parsed.plainBody.MERORDERID, URL: 'weixin://x', TRADETIME: '2026-11-26 10:00:00' };
        const text = Mmsp.buildEnvelope({ family: 'scan', commandId: 35074, seqId: parsed.seqId, merchantNo: m.merchantNo, terminalNo: m.terminalNo, key: m.key, body, retCode: 1, errorMsg: '' }).text;
        return { status: 200, headers: {}, body: text };
      };
      const client = Mmsp.createClient({ ...m, endpoints: { scan: 'https://mmsp.test/scan' }, transport, logger: {} });
      const r = await client.scan.wechatOrder({ TRADETYPE: '1', AMT: '100', MERORDERID: '20261126000000000001', GOODSNAME: 'book', NOTIFY_URL: 'https://shop.example/n' });
      await client.scan.wechatOrder({ TRADETYPE: '1', AMT: '100', MERORDERID: '20261126000000000002', GOODSNAME: 'book', NOTIFY_URL: 'https://shop.example/n' });
      return { env: [typeof process, typeof Buffer, typeof require], operation: r.operation, state: r.state, seqs };
    `);
    expect(result).toEqual({
      env: ['undefined', 'undefined', 'undefined'],
      operation: 'scan.wechatOrder',
      state: 'pending',
      seqs: [1, 2],
    });
  });

  it('decides on notifications there: SUCCESS once, then duplicate; a tampered one rejected', async () => {
    const text = signedNotification(quickPayBody());
    const tampered = text.replace('"AMT":"200"', '"AMT":"1"');
    const outcomes = await inVm<string[]>(`
      const r = Mmsp.createNotificationReceiver({ key: ${JSON.stringify(MERCHANT.key)}, logger: {} });
      let runs = 0;
      const a = await r.handle(${JSON.stringify(text)}, () => { runs++; });
      const b = await r.handle(${JSON.stringify(text)}, () => { runs++; });
      const c = await r.handle(${JSON.stringify(tampered)}, () => { runs++; });
      return [a.status + ' ' + a.body + ' ' + a.outcome, b.outcome, c.status + ' ' + c.outcome, String(runs)];
    `);
    expect(outcomes).toEqual(['200 SUCCESS handled', 'duplicate', '400 rejected', '1']);
  });
});
