import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

// @mmsp/fetch-edge runs where there is no Node: its own code imports no node:* module and uses no
// Buffer/process; and bundled with its dependencies for Workers (conditions workerd/worker/browser,
// what wrangler uses) nothing from Node is pulled in.
const pkg = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const NODE_BUILTIN =
  /^(node:|(assert|buffer|child_process|crypto|events|fs|http|https|net|os|path|process|stream|tls|url|util|zlib)(\/|$))/;

describe('no Node built-ins', () => {
  it('the package source, bundled alone on platform "neutral", resolves no Node module', async () => {
    const result = await build({
      entryPoints: [join(pkg, 'src/index.ts')],
      bundle: true,
      write: false,
      platform: 'neutral',
      format: 'esm',
      metafile: true,
      logLevel: 'silent',
      external: ['@mmsp/client', '@mmsp/codec'],
    });
    const imports = Object.values(result.metafile.inputs).flatMap((input) => input.imports.map((i) => i.path));
    expect(imports.filter((p) => NODE_BUILTIN.test(p))).toEqual([]);
    expect(result.outputFiles[0]!.text).not.toMatch(/\bnode:|\bBuffer\b|\bprocess\./);
  });

  it('no source file names Buffer, process or require', () => {
    const files = readdirSync(join(pkg, 'src')).filter((f) => f.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(3);
    for (const file of files) {
      const code = readFileSync(join(pkg, 'src', file), 'utf8').replace(/\/\/.*$|\/\*[\s\S]*?\*\//gm, '');
      expect(code, file).not.toMatch(/\bBuffer\b|\bprocess\b|\brequire\(|from ['"]node:/);
    }
  });

  it('bundled with the codec and the client for Workers, no Node built-in is reached', async () => {
    const result = await build({
      stdin: { contents: "export * from '@mmsp/fetch-edge';", resolveDir: pkg, loader: 'ts' },
      bundle: true,
      write: false,
      platform: 'browser',
      conditions: ['source', 'workerd', 'worker', 'browser'],
      mainFields: ['browser', 'module', 'main'],
      format: 'esm',
      metafile: true,
      logLevel: 'silent',
    });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.some((p) => p.includes('packages/fetch-edge/src/'))).toBe(true);
    const imports = Object.values(result.metafile.inputs).flatMap((input) =>
      input.imports.filter((i) => !i.path.startsWith('(disabled)')).map((i) => i.path),
    );
    expect(imports.filter((p) => NODE_BUILTIN.test(p))).toEqual([]);
  });

  // Workers bundled as wrangler does; the files that put bytes in the output.
  const workerInputs = async (contents: string): Promise<string[]> => {
    const result = await build({
      stdin: { contents, resolveDir: pkg, loader: 'js' },
      bundle: true,
      write: false,
      minify: true,
      platform: 'browser',
      conditions: ['source', 'workerd', 'worker', 'browser'],
      mainFields: ['browser', 'module', 'main'],
      format: 'esm',
      metafile: true,
      logLevel: 'silent',
    });
    return Object.values(result.metafile.outputs).flatMap((o) =>
      Object.entries(o.inputs)
        .filter(([, i]) => i.bytesInOutput > 0)
        .map(([p]) => p),
    );
  };

  it('a Worker that only signs, verifies and receives notifications tree-shakes node-forge away', async () => {
    const inOutput = await workerInputs(`
      import { md5Sign, md5Verify } from '@mmsp/codec';
      import { createNotificationHandler } from '@mmsp/fetch-edge';
      export default {
        async fetch(request, env) {
          if (new URL(request.url).pathname === '/notify') return createNotificationHandler({ key: env.KEY, onPaid: () => {} })(request);
          const body = await request.json();
          const sign = md5Sign(body, env.KEY);
          return Response.json({ sign, ok: md5Verify(body, sign, env.KEY) });
        },
      };`);
    expect(inOutput.some((p) => p.includes('packages/client/src/notifications/'))).toBe(true);
    expect(inOutput.filter((p) => p.includes('node-forge'))).toEqual([]);
    expect(inOutput.filter((p) => p.endsWith('web-crypto-provider.ts'))).toEqual([]);
    // A receiver takes the push CommandIDs, not the command catalogue (the operations, the families'
    // tables, the notification specs: the client's push checks have a table of their own).
    expect(inOutput.some((p) => p.endsWith('codec/src/catalogue/notifications.ts'))).toBe(true);
    expect(
      inOutput.filter((p) => /codec\/src\/catalogue\/(operations|payout|quick-pay|scan|gateway|validate)\.ts$/.test(p)),
    ).toEqual([]);
  });

  it('a Worker using createFetchClient for MD5 families only carries no node-forge', async () => {
    const inOutput = await workerInputs(`
      import { createFetchClient, createNotificationHandler } from '@mmsp/fetch-edge';
      export default {
        async fetch(request, env) {
          const client = createFetchClient({ merchantNo: env.MERNO, terminalNo: env.TERMNO, key: env.KEY, endpoints: { scan: env.SCAN_URL } });
          if (new URL(request.url).pathname === '/notify') return createNotificationHandler({ client, onPaid: () => {} })(request);
          return Response.json((await client.scan.wechatOrder(await request.json())).body);
        },
      };`);
    expect(inOutput.some((p) => p.endsWith('packages/client/src/engine.ts'))).toBe(true);
    expect(inOutput.some((p) => p.endsWith('web-crypto-provider.ts'))).toBe(true);
    expect(inOutput.filter((p) => p.includes('node-forge') || p.endsWith('codec/src/rsa/pure.ts'))).toEqual([]);
  });

  it("a Worker that pays out encrypts with the codec's BigInt RSA, not node-forge nor the pure provider", async () => {
    const inOutput = await workerInputs(`
      import { createFetchClient } from '@mmsp/fetch-edge';
      export default {
        async fetch(request, env) {
          const client = createFetchClient({ merchantNo: env.MERNO, terminalNo: env.TERMNO, key: env.KEY, endpoints: { payout: env.PAYOUT_URL },
            payout: { platformPublicKey: env.PLATFORM_PUBLIC_KEY, merchantPrivateKey: env.MERCHANT_PRIVATE_KEY } });
          return Response.json((await client.payout.pay(await request.json())).body);
        },
      };`);
    expect(inOutput.some((p) => p.endsWith('codec/src/rsa/bigint.ts'))).toBe(true);
    expect(inOutput.filter((p) => p.includes('node-forge') || p.endsWith('codec/src/rsa/pure.ts'))).toEqual([]);
  });

  // Issue #14: with node-forge in the codec's main entry, these two bundles failed
  // (`Could not resolve "crypto"`): esbuild resolves every import before it tree-shakes, and a
  // neutral platform maps nothing away. Built as a Worker author does, with no `browser` mapping.
  for (const [what, contents] of [
    [
      '@mmsp/codec',
      "import { md5Sign, md5Verify, payoutSeal } from '@mmsp/codec'; export default { fetch: (r) => Response.json({ s: md5Sign({ A: '1' }, 'k'), v: md5Verify({ A: '1' }, 'x', 'k'), p: typeof payoutSeal }) };",
    ],
    [
      '@mmsp/fetch-edge',
      "import { createFetchClient, webCryptoProvider } from '@mmsp/fetch-edge'; export default { fetch: (r, env) => Response.json({ c: typeof createFetchClient(env.CONFIG), p: webCryptoProvider.name }) };",
    ],
  ] as const) {
    it(`a Worker importing ${what} bundles with esbuild --platform=neutral`, async () => {
      const result = await build({
        stdin: { contents, resolveDir: pkg, loader: 'js' },
        bundle: true,
        write: false,
        platform: 'neutral',
        conditions: ['source', 'workerd', 'worker', 'import'],
        mainFields: ['module', 'main'],
        format: 'esm',
        metafile: true,
        logLevel: 'silent',
      });
      const imports = Object.values(result.metafile.inputs).flatMap((input) => input.imports.map((i) => i.path));
      expect(imports.filter((p) => NODE_BUILTIN.test(p))).toEqual([]);
      expect(Object.keys(result.metafile.inputs).filter((p) => p.includes('node-forge'))).toEqual([]);
    });
  }
});
