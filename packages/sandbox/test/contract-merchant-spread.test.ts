// Contract probe (issue #3 config names + issue #4 GET /_sandbox/merchant): the credentials JSON
// uses createClient's own names (merchantNo, terminalNo, key, endpoints) plus the PEM keys at the
// top level, so a stranger spreads it: createClient({ ...creds, transport }). That used to fail
// ("platformPublicKey is not a configuration option"). It now configures payouts too, and the
// private key still never shows in errors, JSON or inspect output.
import { inspect } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { MmspConfigError, createClient, type Transport } from '@mmsp/client';
import { startSandbox, type Sandbox } from '../src/index.js';

const transport: Transport = async (req) => {
  const r = await fetch(req.url, {
    method: 'POST',
    headers: req.headers,
    body: req.body,
    ...(req.signal ? { signal: req.signal } : {}),
  });
  return { status: r.status, headers: Object.fromEntries(r.headers), body: await r.text() };
};

let sb: Sandbox;
let creds: Record<string, unknown> & { merchantPrivateKey: string; key: string };
beforeAll(async () => {
  sb = await startSandbox({ port: 0 });
  creds = (await (await fetch(`${sb.url}/_sandbox/merchant`)).json()) as typeof creds;
});
afterAll(() => sb.close());

it('createClient({ ...creds, transport }) works for every family, payouts included', async () => {
  const client = createClient({ ...(creds as never as object), transport } as never) as ReturnType<typeof createClient>;
  const balance = await client.payout.balance({ QRYTYPE: '1' } as never);
  expect(balance.body.RETCODE).toBe('0000');
  const order = await client.scan.wechatOrder({
    MERORDERID: `S${Date.now()}`.slice(0, 20),
    AMT: '100',
    GOODSNAME: 'book',
    NOTIFY_URL: 'http://127.0.0.1:9/n',
    TRADETYPE: '1',
  } as never);
  expect(order.state).toBe('pending');
  const secret = creds.merchantPrivateKey.split('\n')[2]!;
  expect(JSON.stringify(client)).not.toContain(secret);
  expect(inspect(client, { depth: 10 })).not.toContain(secret);
  expect(JSON.stringify(client)).not.toContain(creds.key);
});

it('the payout keys given twice (top level and payout) is one clear error without the key', () => {
  const { platformPublicKey, merchantPrivateKey } = creds;
  let error: unknown;
  try {
    createClient({
      ...(creds as never as object),
      payout: { platformPublicKey, merchantPrivateKey },
      transport,
    } as never);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(MmspConfigError);
  expect((error as MmspConfigError).issues.map((i) => `${i.field}:${i.rule}`)).toEqual(['payout:ambiguous']);
  expect((error as Error).message).not.toContain(creds.merchantPrivateKey.split('\n')[2]!);
});
