import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MmspTransportError, MmspProtocolError } from '@mmsp/codec';
import { createRedactor, maskTail } from '../src/redact.js';
import { createSafeLogger } from '../src/logger.js';
import { backoffDelay, withRetry } from '../src/retry.js';
import { normalizeState, isFinal } from '../src/state.js';
import { escapeHtml, gatewayFormHtml, parseGatewayReturn } from '../src/flows/gateway.js';
import { openIdRedirectUrl, readOpenIdToken, wechatH5WakeUrl } from '../src/url-builders.js';

describe('redaction', () => {
  it('hides secrets and card data, masks card and account numbers', () => {
    const r = createRedactor(['ea21842eea24e448b991b1cb0a0294cf']);
    const out = r.value({
      CARDNO: '6227000013830237349',
      ACCNO: '6225123456781234',
      CVN2: '344',
      CVV2: '123',
      EXPDATE: '0117',
      ID_NO: '23210219820916601X',
      nested: { note: 'key ea21842eea24e448b991b1cb0a0294cf' },
      AMT: '100',
    });
    const text = JSON.stringify(out);
    for (const s of [
      '6227000013830237349',
      '6225123456781234',
      '344',
      '0117',
      '23210219820916601X',
      'ea21842eea24e448b991b1cb0a0294cf',
    ])
      expect(text).not.toContain(s);
    expect(out).toMatchObject({ CARDNO: '***************7349', ACCNO: '************1234', AMT: '100' });
    expect(maskTail('123')).toBe('***');
  });

  it("follows the catalogue's flags: the micropay CODE hidden, cardholder NAME and payee ACCNAME masked (issue #13 item 7)", () => {
    const out = JSON.stringify(
      createRedactor([]).value({
        CODE: '134567890123456789',
        NAME: '张三丰',
        ACCNAME: '李四光明',
        MSG_CODE: '123456',
        PHONENO: '13800138000',
        MOBILE: '13900139000',
        AMT: '100',
        MERORDERID: 'M1',
      }),
    );
    for (const s of ['134567890123456789', '张三丰', '李四光明', '123456', '13800138000', '13900139000'])
      expect(out).not.toContain(s);
    expect(JSON.parse(out)).toMatchObject({
      CODE: '[redacted]',
      NAME: '***',
      ACCNAME: '****',
      PHONENO: '*******8000',
      MOBILE: '*******9000',
      AMT: '100',
      MERORDERID: 'M1',
    });
  });

  it('keeps a __proto__ key an own property of the copy', () => {
    const input = JSON.parse('{"__proto__":{"polluted":true},"CARDNO":"6227000013830237349"}') as Record<
      string,
      unknown
    >;
    const out = createRedactor([]).value(input) as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.prototype.hasOwnProperty.call(out, '__proto__')).toBe(true);
    expect((out as { polluted?: boolean }).polluted).toBeUndefined();
  });

  it('a logger never sees a secret, and a throwing logger is harmless', () => {
    const lines: string[] = [];
    const logger = createSafeLogger(
      {
        warn: (m, meta) => lines.push(m + JSON.stringify(meta)),
        error: () => {
          throw new Error('boom');
        },
      },
      createRedactor(['s3cr3t-key']),
    );
    logger.warn('using s3cr3t-key', { CARDNO: '6227000013830237349' });
    logger.error('x');
    logger.warnOnce('a', 'once');
    logger.warnOnce('a', 'once');
    expect(lines).toHaveLength(2);
    expect(lines.join()).not.toMatch(/s3cr3t-key|6227000013830237349/);
  });
});

describe('retry policy', () => {
  it('backoff is full jitter, capped', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 20 }), fc.double({ min: 0, max: 0.999999, noNaN: true }), (n, r) => {
        const d = backoffDelay({ attempts: 5, baseDelayMs: 100, maxDelayMs: 1000 }, n, () => r);
        return d >= 0 && d < Math.min(1000, 100 * 2 ** n);
      }),
    );
  });

  it('retries transport errors only, at most `attempts` times', async () => {
    let calls = 0;
    await expect(
      withRetry(
        { attempts: 3, baseDelayMs: 1, maxDelayMs: 1 },
        async () => {
          calls++;
          throw new MmspTransportError('x', { mayHaveReachedPlatform: true });
        },
        { sleep: async () => {} },
      ),
    ).rejects.toBeInstanceOf(MmspTransportError);
    expect(calls).toBe(3);
    calls = 0;
    await expect(
      withRetry(
        { attempts: 3, baseDelayMs: 1, maxDelayMs: 1 },
        async () => {
          calls++;
          throw new MmspProtocolError('x');
        },
        { sleep: async () => {} },
      ),
    ).rejects.toBeInstanceOf(MmspProtocolError);
    expect(calls).toBe(1);
  });
});

describe('state normalization', () => {
  it("maps each family's codes", () => {
    expect(normalizeState('payout.query', { PAYSTATE: '1' })).toBe('paid');
    expect(normalizeState('payout.query', { PAYSTATE: 2 })).toBe('paying');
    expect(normalizeState('payout.pay', { PAYSTATE: '3' })).toBe('failed');
    expect(normalizeState('payout.query', { PAYSTATE: '5' })).toBe('accepted');
    expect(normalizeState('scan.wechatMicropay', { STATUS: '3', ERR_CODE: 'AA' })).toBe('paying');
    expect(normalizeState('scan.query', { STATUS: '2', ERR_CODE: 'X1' })).toBe('failed');
    expect(normalizeState('scan.wechatOrder', { STATUS: '1' })).toBe('pending');
    expect(normalizeState('scan.wechatOrder', { STATUS: '2', ERR_CODE: 'X1' })).toBe('refused');
    expect(normalizeState('scan.cancel', { STATUS: '1' })).toBe('closed');
    expect(normalizeState('scan.close', { STATUS: '1' })).toBe('closed');
    expect(normalizeState('scan.refund', { STATUS: '1' })).toBe('accepted');
    expect(normalizeState('quickPay.pay', { STATUS: '0' })).toBe('pending');
    expect(normalizeState('quickPay.pay', { STATUS: '2', ERRCODE: 'D4' })).toBe('refused');
    expect(normalizeState('quickPay.query', { STATUS: '3' })).toBe('refunded');
    expect(normalizeState('quickPay.confirmSms', { STATUS: 1 })).toBe('accepted');
    expect(normalizeState('quickPay.confirmSms', { STATUS: '0', ERRCODE: 'E1' })).toBe('refused');
    expect(normalizeState('gateway.query', { STATUS: '0' })).toBe('pending');
    expect(normalizeState('gateway.batchQuery', { STATUS: '0' })).toBeUndefined();
    expect(normalizeState('payout.balance', {})).toBeUndefined();
    expect(normalizeState('quickPay.bind', { STATUS: '2', ERRCODE: 'E' })).toBe('refused');
    expect(isFinal('paid') && isFinal('closed') && !isFinal('paying') && !isFinal('pending')).toBe(true);
  });
});

describe('gateway form and browser return', () => {
  it('escapes every attribute value', () => {
    const html = gatewayFormHtml(
      'https://gw.example/pay?a=1&b="2"',
      '{"Body":{"GOODSNAME":"<script>alert(\'x\')</script>"}}',
    );
    expect(html).not.toContain('<script>alert');
    expect(html).toContain('action="https://gw.example/pay?a=1&#38;b=&#34;2&#34;"');
    expect(html).toContain('name="web_api" value="{&#34;Body&#34;');
    fc.assert(fc.property(fc.string(), (s) => !/[<>"'`]/.test(escapeHtml(s))));
  });

  it('parses the browser return, never as proof of payment', () => {
    const r = parseGatewayReturn('https://shop.example/return?STATUS=1&LIST_ID=100&MERORDERID=M1&AMT=666');
    expect(r).toMatchObject({
      proofOfPayment: false,
      STATUS: '1',
      LIST_ID: '100',
      MERORDERID: 'M1',
      AMT: '666',
      claimedState: 'paid',
    });
    expect(r.notice).toMatch(/not proof of payment/i);
  });
});

describe('scan-code URL builders (扫码 §10.1, §10.2)', () => {
  it('§10.1: merurl is base64, percent-encoded in the query', () => {
    const url = wechatH5WakeUrl({
      platformBase: 'https://pay.example.com/',
      merchantNo: '001440353999853',
      terminalNo: '84970001',
      returnUrl: 'https://shop.example/back?order=1&x=?>',
    });
    const parsed = new URL(url);
    expect(parsed.pathname).toBe('/payopenplath5/wxh5pay');
    expect(parsed.searchParams.get('memo')).toBe('001440353999853');
    expect(parsed.searchParams.get('termno')).toBe('84970001');
    expect(parsed.searchParams.get('tradetype')).toBe('1');
    expect(atob(parsed.searchParams.get('merurl')!)).toBe('https://shop.example/back?order=1&x=?>');
  });

  it('§10.2: merurl is urlencoded; token_id read back', () => {
    const url = openIdRedirectUrl({
      platformUrl: 'https://pay.example.com/openid',
      returnUrl: 'https://shop.example/pay?order=1&a=b c',
      merchantNo: '001440353999853',
      tradeType: 2,
    });
    const parsed = new URL(url);
    expect(parsed.searchParams.get('merurl')).toBe('https://shop.example/pay?order=1&a=b c');
    expect(url).toContain(
      'merurl=https%3A%2F%2Fshop.example%2Fpay%3Forder%3D1%26a%3Db%20c&merno=001440353999853&tradetype=2',
    );
    expect(readOpenIdToken('https://shop.example/pay?order=1&token_id=oUpF8uMuAJO')).toBe('oUpF8uMuAJO');
    expect(() =>
      openIdRedirectUrl({ platformUrl: 'https://x', returnUrl: 'https://y', merchantNo: 'M', tradeType: 3 as 1 }),
    ).toThrow(/tradeType/);
  });
});
