import { describe, expect, it } from 'vitest';
import { MmspValidationError, catalogue, operationNames, type OperationName } from '@mmsp/codec';
import { harness } from './support/harness.js';
import { sampleBody } from './support/samples.js';

describe('every catalogue operation', () => {
  it('has typed sugar on its family, generated from the catalogue', () => {
    const { client } = harness();
    for (const name of operationNames) {
      const [family, short] = name.split('.') as [keyof typeof client & string, string];
      expect(typeof (client as unknown as Record<string, Record<string, unknown>>)[family]![short], name).toBe(
        'function',
      );
    }
  });

  for (const name of Object.keys(catalogue) as OperationName[]) {
    it(`${name}: validated, signed, sent, verified`, async () => {
      const { client, platform } = harness();
      const [family, short] = name.split('.') as [string, string];
      const fn = (client as unknown as Record<string, Record<string, (b: unknown) => Promise<unknown>>>)[family]![
        short
      ]!;
      if (name === 'scan.query' || name === 'scan.cancel' || name === 'scan.close') {
        const order = await client.scan.wechatMicropay(sampleBody('scan.wechatMicropay') as never);
        const res = (await fn({ MERORDERID: order.body.MERORDERID })) as { operation: string; state?: string };
        expect(res.operation).toBe(name);
        expect(res.state).toBe(name === 'scan.query' ? 'paid' : 'closed');
        return;
      }
      if (name === 'payout.query') {
        const paid = await client.payout.pay(sampleBody('payout.pay') as never);
        const res = await client.payout.query({ ORDERNO: paid.body.ORDERNO } as never);
        expect(res.operation).toBe('payout.query');
        expect(res.codes.retCode).toBe('0000');
        return;
      }
      const res = (await fn(sampleBody(name))) as Record<string, unknown>;
      expect(res.operation).toBe(name);
      if (name === 'gateway.pay') {
        expect(res.html).toContain('name="web_api"');
        expect(platform.exchanges).toHaveLength(0); // the browser posts it, not the server
        return;
      }
      expect(platform.exchanges.at(-1)).toMatchObject({ operation: name, processed: true });
      expect(typeof res.raw).toBe('string');
      expect(res.codes).toBeTypeOf('object');
    });
  }

  it('autofills RANDSTR, REQTIME (China time), VERSION, CMDID, MERNO and increments SeqID', async () => {
    const { client, platform } = harness({ runtime: { now: () => new Date(Date.UTC(2026, 0, 31, 16, 30, 5)) } });
    await client.scan.wechatOrder(sampleBody('scan.wechatOrder') as never);
    await client.payout.balance({ QRYTYPE: '1' } as never);
    const scan = platform.exchanges[0]!.body;
    expect(scan.RANDSTR).toMatch(/^[0-9A-Za-z]{1,20}$/);
    const payout = platform.exchanges[1]!.body;
    expect(payout).toMatchObject({
      CMDID: '4099',
      VERSION: '1.0',
      MERNO: '001440353999853',
      REQTIME: '20260201003005',
    });
    expect(payout.ORDERNO).toMatch(/^\d+$/);
  });

  it('autofills a RANDSTR that fits the strictest table: string(15) for scan query, cancel, close, refund and refund query (issue #13 item 11)', async () => {
    const { client, platform } = harness();
    await client.scan.query({ MERORDERID: '20261126000000000001' } as never).catch(() => undefined);
    await client.scan.refundQuery({ REFUND_MERORDERID: '20261126000000000002' } as never).catch(() => undefined);
    await client.scan.cancel({ MERORDERID: '20261126000000000003' } as never).catch(() => undefined);
    await client.scan.close({ MERORDERID: '20261126000000000004' } as never).catch(() => undefined);
    await client.scan
      .refund({ MERORDERID: '20261126000000000005', REFUND_MERORDERID: '20261126000000000006', AMT: '1' } as never)
      .catch(() => undefined);
    const sent = new Map(platform.exchanges.map((e) => [e.operation, e.body]));
    expect([...sent.keys()].sort()).toEqual([
      'scan.cancel',
      'scan.close',
      'scan.query',
      'scan.refund',
      'scan.refundQuery',
    ]);
    for (const [operation, b] of sent) expect(String(b.RANDSTR), operation).toMatch(/^[0-9A-Za-z]{15}$/);
    // Where the table prints string(20), the autofill keeps its 20 characters.
    await client.scan.wechatOrder(sampleBody('scan.wechatOrder') as never);
    expect(String(platform.exchanges.at(-1)!.body.RANDSTR)).toMatch(/^[0-9A-Za-z]{20}$/);
  });

  it('refuses junk before sending, in one MmspValidationError naming every field (issue #13 item 10)', async () => {
    const { client, platform } = harness();
    const { AMT: _amt, ...rest } = sampleBody('scan.wechatMicropay') as Record<string, unknown>;
    const error = await client.scan
      .wechatMicropay({
        ...rest,
        amt: '100',
        AMOUNT: '100',
        MERORDERID: 'M1 2',
        GOODSNAME: '茶\u0000',
        CODE: '1347\n1234567890123456',
      } as never)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MmspValidationError);
    const issues = (error as MmspValidationError).issues;
    expect(issues.map((i) => `${i.field}:${i.rule}${i.suggestion ? `>${i.suggestion}` : ''}`).sort()).toEqual([
      'AMOUNT:unknown>AMT',
      'AMT:required',
      'CODE:control',
      'GOODSNAME:control',
      'MERORDERID:charset',
      'amt:unknown>AMT',
    ]);
    expect((error as Error).message).toContain('did you mean AMT?');
    expect((error as Error).message).not.toContain('1234567890123456'); // CODE is secret: never echoed
    // Own __proto__ / constructor keys, as JSON.parse makes them, on a query.
    const parsed = JSON.parse('{"MERORDERID":"20261126000000000001","__proto__":{"x":1},"constructor":"y"}') as Record<
      string,
      unknown
    >;
    const proto = await client.scan.query(parsed as never).catch((e: unknown) => e);
    expect((proto as MmspValidationError).issues.map((i) => `${i.field}:${i.rule}`).sort()).toEqual([
      '__proto__:forbidden',
      'constructor:forbidden',
    ]);
    expect(platform.exchanges).toHaveLength(0);
  });

  it('validates before sending and lists every issue', async () => {
    const { client, platform } = harness();
    const error = await client.quickPay
      .pay({ MERORDERID: 'x'.repeat(40), AMT: '1.5', CARDTYPE: '2', CARDNO: '6227000013830237349' } as never)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MmspValidationError);
    const fields = (error as MmspValidationError).issues.map((i) => i.field);
    for (const f of ['MERORDERID', 'AMT', 'NAME', 'ID_NO', 'PHONENO', 'NOTIFY_URL', 'EXPDATE', 'CVN2'])
      expect(fields).toContain(f);
    expect((error as Error).message).not.toContain('6227000013830237349');
    expect(platform.exchanges).toHaveLength(0);
  });

  it('agency mode: AGENTNO in the header, the agent key signs and verifies (PROTOCOL §3)', async () => {
    const { client, platform } = harness({ agent: true });
    const r = await client.scan.wechatOrder(sampleBody('scan.wechatOrder') as never);
    expect(r.state).toBe('pending');
    expect(platform.exchanges[0]).toMatchObject({ processed: true });
    // A platform that knows only the merchant key refuses the agent-signed request (negative response).
    platform.options.agentKey = 'another-agent-key-000000000000';
    await expect(client.scan.wechatOrder(sampleBody('scan.wechatOrder') as never)).rejects.toMatchObject({
      name: 'MmspProtocolError',
      commandId: 32768,
    });
  });

  it('rejects an unknown operation name', async () => {
    const { client } = harness();
    await expect(client.call('scan.nope' as never, {} as never)).rejects.toBeInstanceOf(MmspValidationError);
  });

  it('warns once for operations the platform marks not opened', async () => {
    const { client, lines } = harness();
    await client.quickPay.unbind({ BIND_ID: 'B1' } as never);
    await client.quickPay.unbind({ BIND_ID: 'B2' } as never);
    await client.quickPay.bindQuery({ BIND_ID: 'B1' } as never);
    const warns = lines.filter((l) => l.level === 'warn' && /not yet opened/.test(l.message));
    expect(warns.map((w) => w.meta?.operation)).toEqual(['quickPay.unbind', 'quickPay.bindQuery']);
  });
});
