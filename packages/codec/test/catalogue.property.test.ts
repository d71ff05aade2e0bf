// Properties of validateRequest over the whole catalogue: a body made of well-formed values is
// clean for every operation, and any set of broken fields is reported completely — one issue per
// broken field, nothing else (issue #2 item 3: "returns every problem at once").
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { catalogue, operationNames, validateRequest } from '@mmsp/codec';
import type { FieldSpec, OperationName, OperationSpec } from '@mmsp/codec';

const NOW = new Date('2017-12-11T04:00:00Z');

/** A well-formed value for a field, written from the document's formats (not from validate.ts). */
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
      return 'M20171121-0001/A'.slice(0, f.maxLength ?? 16);
    case undefined:
      return '中文abc'.slice(0, f.maxLength ?? 5);
  }
}

const spec = (n: OperationName) => catalogue[n] as OperationSpec;
const fullBody = (n: OperationName) => Object.fromEntries(spec(n).request.map((f) => [f.name, sample(f)]));

describe('validateRequest over every operation', () => {
  it('a body of well-formed values (every field present) is clean, for every operation', () => {
    for (const n of operationNames) expect(validateRequest(n, fullBody(n), { now: NOW }), n).toEqual([]);
  });

  it('only-required bodies are clean unless a documented conditional rule asks for more', () => {
    for (const n of operationNames) {
      const body = Object.fromEntries(
        spec(n)
          .request.filter((f) => f.presence === 'required')
          .map((f) => [f.name, sample(f)]),
      );
      const issues = validateRequest(n, body, { now: NOW });
      for (const i of issues) expect(['atLeastOne', 'requiredWhen'], `${n} ${i.field}`).toContain(i.rule);
    }
  });

  it('property: any set of broken fields is reported completely, one issue per field, nothing else', () => {
    const arb = fc.constantFrom(...operationNames).chain((n) =>
      fc.record({
        n: fc.constant(n),
        breaks: fc
          .subarray(
            spec(n).request.map((f) => f.name),
            { minLength: 1 },
          )
          .chain((names) =>
            fc.tuple(
              fc.constant(names),
              fc.array(
                fc.constantFrom('number', 'delete', 'long', 'null') as fc.Arbitrary<
                  'number' | 'delete' | 'long' | 'null'
                >,
                { minLength: names.length, maxLength: names.length },
              ),
            ),
          ),
      }),
    );
    fc.assert(
      fc.property(arb, ({ n, breaks: [names, how] }) => {
        const body: Record<string, unknown> = fullBody(n);
        const expected: Record<string, string> = {};
        names.forEach((name, i) => {
          const f = spec(n).request.find((x) => x.name === name)!;
          let kind = how[i]!;
          if (kind === 'delete' && f.presence !== 'required') kind = 'number';
          if (kind === 'long' && f.maxLength === undefined) kind = 'null';
          if (kind === 'number') {
            body[name] = 42;
            expected[name] = 'type';
          }
          if (kind === 'null') {
            body[name] = null;
            expected[name] = 'type';
          }
          if (kind === 'delete') {
            delete body[name];
            expected[name] = 'required';
          }
          if (kind === 'long') {
            body[name] = '9'.repeat(f.maxLength! + 1);
            expected[name] = 'maxLength';
          }
        });
        const issues = validateRequest(n, body, { now: NOW });
        // Cross-field rules may add their own issue when every member of a pair is broken or removed.
        const own = issues.filter((i) => !i.field.includes('|') && i.rule !== 'requiredWhen' && i.rule !== 'window');
        const byField = Object.fromEntries(
          own
            .filter((i) => expected[i.field] === undefined || i.rule === expected[i.field])
            .map((i) => [i.field, i.rule]),
        );
        expect(byField).toEqual(expected);
        for (const i of own) expect(Object.keys(expected), `${n}: unexpected ${i.field}:${i.rule}`).toContain(i.field);
      }),
      { numRuns: 1500 },
    );
  });
});
