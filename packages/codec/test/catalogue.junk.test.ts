// Issue #13 item 10: order numbers with NUL, newlines, spaces or emoji, misspelt fields (`AMOUNT`,
// `amt`) and own `__proto__` / `constructor` keys are refused before sending, every problem in one
// list, each naming its field (and, for an unknown key, the nearest known name), never a value.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { catalogue, MmspValidationError, operationNames, validateRequest } from '@mmsp/codec';
import type { FieldSpec, OperationName, OperationSpec } from '@mmsp/codec';

const NOW = new Date('2017-12-11T04:00:00Z');
const spec = (n: OperationName) => catalogue[n] as OperationSpec;

/** A well-formed value for a field, from the document's formats. */
function sample(f: FieldSpec): string {
  if (f.enum) return f.enum[0]!;
  switch (f.format) {
    case 'digits':
      return '20171121170001'.slice(0, f.maxLength ?? 14);
    case 'fen':
      return '100';
    case 'count':
      return '10';
    case 'timestamp14':
      return '20171123181110';
    case 'dateTime':
      return '2017-11-23 18:11:10';
    case 'dateHour':
      return '2017121000';
    case 'mmyy':
      return '1229';
    case 'cvn':
      return '344';
    case 'url':
      return 'https://a.cn/n?b=1';
    case 'mobile':
      return '13800138000';
    case 'json':
      return '{"appId":"wx"}';
    case 'orderNo':
      return 'M2017-1121_0001'.slice(0, f.maxLength ?? 15);
    case undefined:
      return '中文abc'.slice(0, f.maxLength ?? 5);
  }
}
const fullBody = (n: OperationName): Record<string, unknown> =>
  Object.fromEntries(spec(n).request.map((f) => [f.name, sample(f)]));
const stringFields = (n: OperationName) => spec(n).request.filter((f) => f.type === 'string');
const orderNoFields = operationNames.flatMap((n) =>
  spec(n)
    .request.filter((f) => f.format === 'orderNo')
    .map((f) => ({ n, f })),
);

/** Characters no field may hold (C0, DEL, C1, U+2028/9), and those only order numbers refuse. */
const CONTROL_CHARS = ['\u0000', '\n', '\r', '\t', '\u001f', '\u007f', '\u0085', '\u2028', '\u2029'];
const ORDER_NO_ONLY = [' ', '😀', '中', '\u00a0', 'é'];

describe('order numbers: printable ASCII without spaces', () => {
  it('every order-number-like request field of the catalogue is checked (orderNo, or digits for payout ORDERNO)', () => {
    for (const n of operationNames) {
      for (const f of spec(n).request) {
        if (/ORDERNO|ORDERID|LIST_ID|BIND_ID/.test(f.name))
          expect(['orderNo', 'digits'], `${n} ${f.name}`).toContain(f.format);
      }
    }
    expect(orderNoFields.length).toBeGreaterThan(20);
  });

  it('NUL, newline, space, emoji, a CJK character: refused in every order-number field of every operation, value never echoed', () => {
    for (const { n, f } of orderNoFields) {
      for (const bad of [...CONTROL_CHARS, ...ORDER_NO_ONLY]) {
        const value = `M1${bad}2`;
        const issues = validateRequest(n, { ...fullBody(n), [f.name]: value }, { now: NOW });
        const mine = issues.filter((i) => i.field === f.name);
        expect(
          mine.map((i) => i.rule),
          `${n} ${f.name} ${JSON.stringify(bad)}`,
        ).toEqual([CONTROL_CHARS.includes(bad) ? 'control' : 'charset']);
        expect(
          issues.filter((i) => i.field !== f.name),
          `${n} ${f.name}`,
        ).toEqual([]);
        expect(JSON.stringify(issues)).not.toContain(value);
      }
    }
  });

  it('says what kind of character is wrong, not which', () => {
    const issue = (v: string) => validateRequest('quickPay.query', { MERORDERID: v })[0]!.message;
    expect(issue('A B')).toContain('a space');
    expect(issue('A😀')).toContain('a non-ASCII character');
    expect(issue('A\u0000B')).toContain('control characters');
  });

  it('property: any printable-ASCII order number within the length passes; any with one other character is refused naming the field', () => {
    const printable = fc.string({
      unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)),
      minLength: 1,
      maxLength: 20,
    });
    const other = fc
      .oneof(
        fc.integer({ min: 0, max: 0x20 }),
        fc.integer({ min: 0x7f, max: 0x10ffff }).filter((c) => c < 0xd800 || c > 0xdfff),
      )
      .map((c) => String.fromCodePoint(c));
    fc.assert(
      fc.property(fc.constantFrom(...orderNoFields), printable, other, fc.nat(), ({ n, f }, good, bad, at) => {
        const cut = good.slice(0, f.maxLength ?? 20);
        expect(validateRequest(n, { ...fullBody(n), [f.name]: cut }, { now: NOW }), `${n} ${f.name}`).toEqual([]);
        const i = at % (cut.length + 1);
        const broken = `${cut.slice(0, i)}${bad}${cut.slice(i)}`.slice(0, Math.max(1, (f.maxLength ?? 20) - 1));
        const withBad = broken.includes(bad) ? broken : bad;
        const issues = validateRequest(n, { ...fullBody(n), [f.name]: withBad }, { now: NOW });
        expect(
          issues.map((x) => x.field),
          `${n} ${f.name} ${JSON.stringify(withBad)}`,
        ).toContain(f.name);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('free text: no control characters', () => {
  it('property: a control character anywhere in any string field of any operation is refused naming that field', () => {
    const arb = fc.constantFrom(...operationNames).chain((n) =>
      fc.record({
        n: fc.constant(n),
        f: fc.constantFrom(...stringFields(n)),
        ctl: fc.constantFrom(...CONTROL_CHARS),
        at: fc.nat(),
        text: fc.string({ maxLength: 8 }),
      }),
    );
    fc.assert(
      fc.property(arb, ({ n, f, ctl, at, text }) => {
        const base = sample(f);
        const i = at % (base.length + 1);
        const value = `${base.slice(0, i)}${ctl}${text}${base.slice(i)}`;
        const issues = validateRequest(n, { ...fullBody(n), [f.name]: value }, { now: NOW });
        expect(
          issues.map((x) => x.field),
          `${n} ${f.name}`,
        ).toContain(f.name);
        if (f.secret) expect(JSON.stringify(issues)).not.toContain(value);
      }),
      { numRuns: 3000 },
    );
  });

  it('Chinese, emoji and punctuation stay allowed in free text (GOODSNAME, MEMO, NAME)', () => {
    expect(
      validateRequest(
        'scan.wechatOrder',
        { ...fullBody('scan.wechatOrder'), GOODSNAME: '茶叶 😀 1kg/袋' },
        { now: NOW },
      ),
    ).toEqual([]);
  });
});

describe('unknown keys: refused with the nearest known name', () => {
  it('AMOUNT and amt on a micropay: one list with both, each suggesting AMT; AMT itself reported missing', () => {
    const { AMT: _dropped, ...body } = fullBody('scan.wechatMicropay');
    const issues = validateRequest('scan.wechatMicropay', { ...body, AMOUNT: '100', amt: '100' }, { now: NOW });
    expect(issues.map((i) => `${i.field}:${i.rule}:${i.suggestion ?? ''}`).sort()).toEqual([
      'AMOUNT:unknown:AMT',
      'AMT:required:',
      'amt:unknown:AMT',
    ]);
    const error = new MmspValidationError(issues, 'scan.wechatMicropay');
    expect(error.message).toContain('amt is not a field of scan.wechatMicropay');
    expect(error.message).toContain('did you mean AMT?');
  });

  it('suggests across case, underscores and small typos; nothing for a name far from every field', () => {
    const suggestion = (n: OperationName, key: string) =>
      validateRequest(n, { ...fullBody(n), [key]: '1' }, { now: NOW }).find((i) => i.rule === 'unknown')?.suggestion;
    expect(suggestion('scan.query', 'merorderid')).toBe('MERORDERID');
    expect(suggestion('scan.query', 'MER_ORDER_ID')).toBe('MERORDERID');
    expect(suggestion('scan.query', 'MERODERID')).toBe('MERORDERID');
    expect(suggestion('quickPay.pay', 'CARD_NO')).toBe('CARDNO');
    expect(suggestion('quickPay.pay', 'PHONE')).toBe('PHONENO');
    expect(suggestion('payout.pay', 'BUSITYPE')).toBe('BUSIYPE');
    expect(suggestion('payout.pay', 'zzzzzzzzzzzz')).toBeUndefined();
  });

  it('property: every field name in another case is refused and suggests that field', () => {
    const arb = fc
      .constantFrom(...operationNames)
      .chain((n) => fc.record({ n: fc.constant(n), f: fc.constantFrom(...spec(n).request.map((f) => f.name)) }));
    fc.assert(
      fc.property(arb, ({ n, f }) => {
        const key = f.toLowerCase();
        fc.pre(key !== f);
        const issues = validateRequest(
          n,
          { ...fullBody(n), [key]: sample(spec(n).request.find((x) => x.name === f)!) },
          { now: NOW },
        );
        expect(issues).toEqual([expect.objectContaining({ field: key, rule: 'unknown', suggestion: f })]);
      }),
      { numRuns: 500 },
    );
  });

  it('property: any key the table does not list is refused, named (printable keys as they are), value never echoed', () => {
    const arb = fc.constantFrom(...operationNames).chain((n) =>
      fc.record({
        n: fc.constant(n),
        key: fc.string({ minLength: 1, maxLength: 30 }).filter((k) => !spec(n).request.some((f) => f.name === k)),
      }),
    );
    fc.assert(
      fc.property(arb, fc.string({ minLength: 6 }), ({ n, key }, secret) => {
        const issues = validateRequest(n, { ...fullBody(n), [key]: `SECRET${secret}` }, { now: NOW });
        expect(issues).toHaveLength(1);
        expect(['unknown', 'forbidden']).toContain(issues[0]!.rule);
        if (/^[\x21-\x7E]+$/.test(key)) expect(issues[0]!.field).toBe(key);
        expect(JSON.stringify(issues)).not.toContain(`SECRET${secret}`);
      }),
      { numRuns: 1500 },
    );
  });

  it('the sandbox mode lets unknown keys through but never prototype keys', () => {
    const body = { ...fullBody('scan.query'), EXTRA: '1', constructor: 'x' };
    expect(
      validateRequest('scan.query', body, { unknownFields: 'allow', now: NOW }).map((i) => `${i.field}:${i.rule}`),
    ).toEqual(['constructor:forbidden']);
  });
});

describe('own __proto__ / constructor / prototype keys', () => {
  it('JSON.parse makes __proto__ an own key: refused, as are constructor and prototype, with every other problem in the same list', () => {
    const parsed = JSON.parse(
      '{"__proto__":{"AMT":"1"},"constructor":"x","prototype":"y","MERORDERID":"A B"}',
    ) as Record<string, unknown>;
    expect(Object.keys(parsed)).toContain('__proto__');
    const issues = validateRequest('quickPay.query', parsed);
    expect(issues.map((i) => `${i.field}:${i.rule}`).sort()).toEqual([
      'MERORDERID:charset',
      '__proto__:forbidden',
      'constructor:forbidden',
      'prototype:forbidden',
    ]);
  });

  it('an inherited property is not a field: a body whose prototype carries MERORDERID still misses it', () => {
    const body = Object.create({ MERORDERID: 'M1' }) as Record<string, unknown>;
    expect(validateRequest('quickPay.query', body).map((i) => `${i.field}:${i.rule}`)).toEqual(['MERORDERID:required']);
  });
});

describe('the valid catalogue samples still pass', () => {
  it('every operation with every field well formed, and with only what is required plus the rules', () => {
    for (const n of operationNames) expect(validateRequest(n, fullBody(n), { now: NOW }), n).toEqual([]);
  });
});
