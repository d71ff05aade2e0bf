// The codec runs without Node built-ins: its sources are bundled by esbuild for the browser platform
// (a build error on any node: import, and on any Node built-in imported by the codec itself), and
// the bundle runs in @edge-runtime/vm, a context with Web APIs only (no process, Buffer, require).
// What it computes there must equal what the codec computes in Node.
import { execFileSync } from 'node:child_process';
import { builtinModules } from 'node:module';
import { dirname, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { EdgeVM } from '@edge-runtime/vm';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  buildEnvelope,
  md5Sign,
  openEnvelope,
  rsaDecryptSegmented,
  rsaEncryptSegmented,
  sha1WithRsaSign,
  sha1WithRsaVerify,
  signingString,
} from '../src/index.js';
import { base64Decode, base64Encode, utf8Decode } from '../src/bytes/encoding.js';
import { payoutPlaintext } from '../src/rsa/payout.js';

const here = dirname(fileURLToPath(import.meta.url));
const codecSrc = resolve(here, '../src');
const entry = resolve(codecSrc, 'index.ts');

const KEY = 'ea21842eea24e448b991b1cb0a0294cf'; // PROTOCOL §8

// 快捷 §3.1 正常请求报文示例: the document's quick-pay sample Body.
const SAMPLE_BODY = {
  MERORDERID: '20170926151023152438',
  AMT: '1234',
  NAME: '张安',
  PHONENO: '18826570890',
  CARDNO: '6227000013830237349',
  CARDTYPE: '1',
  ID_NO: '23210219820916601X',
  EXPDATE: '01117',
  CVN2: '344',
  NOTIFY_URL: 'http://ib.fxclouds.com/Notify/MerPay_notify_url',
  RANDSTR: '123456',
};

const builtins = new Set(builtinModules.flatMap((m) => [m, m.split('/')[0] as string]));

/** Fails the build on any `node:` import, and on a bare Node built-in imported by the codec's own sources. */
const noNodeBuiltins: Plugin = {
  name: 'no-node-builtins',
  setup(b) {
    b.onResolve({ filter: /.*/ }, (args) => {
      if (args.path.startsWith('node:')) {
        return { errors: [{ text: `Node built-in "${args.path}" imported by ${args.importer}` }] };
      }
      const ownSource = args.importer.startsWith(codecSrc + sep) || args.importer === '<stdin>';
      if (ownSource && builtins.has(args.path)) {
        return { errors: [{ text: `Node built-in "${args.path}" imported by ${args.importer}` }] };
      }
      // Dependencies (@noble/hashes): a Node built-in they imported would fail to resolve and fail the build.
      return undefined;
    });
  },
};

async function bundle(options: { stdin?: string } = {}): Promise<string> {
  const result = await build({
    ...(options.stdin !== undefined
      ? { stdin: { contents: options.stdin, resolveDir: codecSrc, loader: 'ts' } }
      : { entryPoints: [entry] }),
    bundle: true,
    write: false,
    format: 'iife',
    globalName: 'MmspCodec',
    platform: 'browser',
    target: 'es2022',
    conditions: ['source'],
    logLevel: 'silent',
    plugins: [noNodeBuiltins],
  });
  return result.outputFiles[0]!.text;
}

let code = '';
let vm: EdgeVM;

beforeAll(async () => {
  code = await bundle();
  vm = new EdgeVM();
  vm.evaluate(code);
}, 60_000);

function inVm<T>(expression: string): T {
  // Results cross the realm as JSON text so that no object of the VM's realm leaks into assertions.
  return JSON.parse(vm.evaluate<string>(`JSON.stringify((() => { ${expression} })())`)) as T;
}

describe('bundle guard', () => {
  it('fails the build on a node: import', async () => {
    await expect(
      bundle({ stdin: 'import { createHash } from "node:crypto"; export const h = createHash;' }),
    ).rejects.toThrow(/node:crypto/);
  });

  it('fails the build on a bare Node built-in imported by codec code', async () => {
    await expect(
      bundle({ stdin: 'import { readFileSync } from "fs"; export const r = readFileSync;' }),
    ).rejects.toThrow(/"fs"/);
  });

  it('bundles the codec sources', () => {
    expect(code.length).toBeGreaterThan(10_000);
    expect(code).not.toMatch(/require\(["']node:/);
  });
});

describe('the codec in @edge-runtime/vm', () => {
  it('runs in a context without process, Buffer or require', () => {
    expect(inVm<string[]>('return [typeof process, typeof Buffer, typeof require, typeof MmspCodec.md5Sign];')).toEqual(
      ['undefined', 'undefined', 'undefined', 'function'],
    );
  });

  it("signs the document's quick-pay sample Body exactly as in Node", () => {
    const edge = inVm<{ sign: string; str: string }>(
      `const b = ${JSON.stringify(SAMPLE_BODY)}; return { sign: MmspCodec.md5Sign(b, ${JSON.stringify(KEY)}), str: MmspCodec.signingString(b) };`,
    );
    expect(edge.sign).toMatch(/^[0-9A-F]{32}$/);
    expect(edge.sign).toBe(md5Sign(SAMPLE_BODY, KEY));
    expect(edge.str).toBe(signingString(SAMPLE_BODY));
  });

  it('signs any JSON body there exactly as in Node (fast-check)', () => {
    const key = fc.oneof(
      fc.constantFrom('__proto__', '', '10', '9', '01', 'A_', 'AB', '_A'),
      fc.string({ unit: 'grapheme', maxLength: 6 }),
    );
    const body = fc.dictionary(key, fc.jsonValue({ maxDepth: 3 }), { minKeys: 1, maxKeys: 6 });
    fc.assert(
      fc.property(body, (b) => {
        const json = JSON.stringify(b);
        // JSON.parse in the VM builds the same object (own __proto__ keys included) in the VM's realm.
        const edge = inVm<string>(
          `return MmspCodec.md5Sign(JSON.parse(${JSON.stringify(json)}), ${JSON.stringify(KEY)});`,
        );
        expect(edge).toBe(md5Sign(JSON.parse(json) as object, KEY));
      }),
      { numRuns: 200 },
    );
  });

  it('builds an envelope there that Node opens, and opens one Node built', () => {
    const edgeText = inVm<string>(
      `return MmspCodec.buildEnvelope({ family: 'quickPay', commandId: 33539, seqId: 9, merchantNo: '001440353999853',
        terminalNo: '84970001', key: ${JSON.stringify(KEY)}, body: ${JSON.stringify(SAMPLE_BODY)}, retCode: 1 }).text;`,
    );
    const nodeBuilt = buildEnvelope({
      family: 'quickPay',
      commandId: 33539,
      seqId: 9,
      merchantNo: '001440353999853',
      terminalNo: '84970001',
      key: KEY,
      body: SAMPLE_BODY,
      retCode: 1,
    });
    expect(edgeText).toBe(nodeBuilt.text);
    expect(openEnvelope(edgeText, { key: KEY }).signatureChecked).toBe(true);
    const opened = inVm<{ sign: string; bodyText: string }>(
      `const o = MmspCodec.openEnvelope(${JSON.stringify(nodeBuilt.text)}, { key: ${JSON.stringify(KEY)} }); return { sign: o.sign, bodyText: o.bodyText };`,
    );
    expect(opened).toEqual({ sign: nodeBuilt.sign, bodyText: nodeBuilt.signingString });
    const rejected = inVm<string>(
      `try { MmspCodec.openEnvelope(${JSON.stringify(nodeBuilt.text.replace('"AMT":"1234"', '"AMT":"1235"'))}, { key: ${JSON.stringify(KEY)} }); return 'opened'; } catch (e) { return e.name; }`,
    );
    expect(rejected).toBe('MmspSignatureError');
  });

  describe('payout RSA there (keys from the openssl CLI)', () => {
    let platform: { priv: string; pub: string };
    let merchant: { priv: string; pub: string };
    const keyPair = (): { priv: string; pub: string } => {
      const priv = execFileSync('openssl', ['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:1024'], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const pub = execFileSync('openssl', ['pkey', '-pubout'], { input: priv, encoding: 'utf8' });
      return { priv, pub };
    };
    beforeAll(() => {
      platform = keyPair();
      merchant = keyPair();
    });

    const plain = {
      CMDID: '4097',
      VERSION: '1.0',
      MERNO: '001440353999853',
      ORDERNO: '20261126000000000001',
      REQTIME: '20261126150000',
      AMT: '10000',
      BUSIYPE: '001',
      ACCNAME: '张三',
      ACCNO: '6225880113756648',
      MEMO: '工资 salary / 11月',
      ACCTYPE: '0',
      MOBILE: '18826570890',
      BANKNAME: '招商银行股份有限公司深圳分行营业部（一个很长的名字使明文超过117字节）',
    };

    it('seals a payout in the VM that Node decrypts and verifies', () => {
      const sealed = inVm<{ ENCRYPT: string; SIGN: string }>(
        `return MmspCodec.payoutSeal(${JSON.stringify(plain)}, { platformPublicKey: ${JSON.stringify(platform.pub)}, merchantPrivateKey: ${JSON.stringify(merchant.priv)} });`,
      );
      const plaintext = utf8Decode(rsaDecryptSegmented(base64Decode(sealed.ENCRYPT), platform.priv));
      expect(plaintext).toBe(payoutPlaintext(plain));
      expect(base64Decode(sealed.ENCRYPT).length).toBeGreaterThan(128); // more than one 117-byte segment
      expect(sha1WithRsaVerify(plaintext, sealed.SIGN, merchant.pub)).toBe(true);
    });

    it('opens in the VM a payout response that Node sealed', () => {
      const data = {
        RETCODE: '0000',
        RETMSG: '交易成功',
        ORDERNO: plain.ORDERNO,
        PAYSTATE: 1,
        DESC: '付款成功',
        RSPTIME: '20261126150001',
      };
      const text = JSON.stringify(data);
      const response = {
        RETCODE: '0000',
        RETMSG: '交易成功',
        ENCRYPT: base64Encode(rsaEncryptSegmented(text, merchant.pub)),
        SIGN: base64Encode(sha1WithRsaSign(text, platform.priv)),
      };
      const opened = inVm<{ RETCODE: string; plaintext: string; signatureChecked: boolean }>(
        `const o = MmspCodec.payoutOpen(${JSON.stringify(response)}, { merchantPrivateKey: ${JSON.stringify(merchant.priv)}, platformPublicKey: ${JSON.stringify(platform.pub)} });
         return { RETCODE: o.RETCODE, plaintext: o.plaintext, signatureChecked: o.signatureChecked };`,
      );
      expect(opened).toEqual({ RETCODE: '0000', plaintext: text, signatureChecked: true });
    });
  });
});
