// Contract probe over real HTTP (issue #3 + issue #4): the sandbox answers a reused MERORDERID with
// STATUS 2 / ERR_CODE 1008; @mmsp/client must not turn that into `state: 'failed'` for an order that
// is in fact paid. 1008 is not a final answer ("query it, never resend"): since issue #13 the client
// queries the order itself and answers with what scan.query says (paid), never a refusal.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { MmspBusinessError, createClient, type MmspClient, type Transport } from '@mmsp/client';
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
let client: MmspClient;
beforeAll(async () => {
  sb = await startSandbox({ port: 0 });
  const m = (await (await fetch(`${sb.url}/_sandbox/merchant`)).json()) as {
    merchantNo: string;
    terminalNo: string;
    key: string;
    endpoints: Record<string, string>;
  };
  client = createClient({
    merchantNo: m.merchantNo,
    terminalNo: m.terminalNo,
    key: m.key,
    endpoints: m.endpoints,
    transport,
  });
});
afterAll(() => sb.close());

it('a micropay re-sent with a paid MERORDERID is refused with 1008, not reported failed', async () => {
  const MERORDERID = `D${Date.now()}`.slice(0, 20);
  const body = { MERORDERID, AMT: '100', GOODSNAME: 'book', CODE: '0000', NOTIFY_URL: 'http://127.0.0.1:9/notify' };
  const first = await client.scan.wechatMicropay(body as never);
  expect(first.state).toBe('paid');
  const again = await client.scan.wechatMicropay(body as never).then(
    (r) => r,
    (e: unknown) => e,
  );
  expect(again).not.toBeInstanceOf(MmspBusinessError);
  expect(again).toMatchObject({ operation: 'scan.query', state: 'paid' });
  expect(sb.orders().filter((o) => o.merchantOrderId === MERORDERID)).toHaveLength(1);
  const query = await client.scan.query({ MERORDERID } as never);
  expect(query.state).toBe('paid');
});
