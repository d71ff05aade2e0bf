// Every operation of the codec's catalogue is served: each MD5 operation has a handler in its
// family, and every payout operation is dispatched by the payout family.
import { describe, expect, it } from 'vitest';
import { catalogue, operationNames } from '@mmsp/codec';
import { gatewayHandlers } from '../src/families/gateway.js';
import { quickPayHandlers } from '../src/families/quick-pay.js';
import { scanHandlers } from '../src/families/scan.js';

const handlers: Record<string, Record<string, unknown>> = {
  quickPay: quickPayHandlers,
  scan: scanHandlers,
  gateway: gatewayHandlers,
};

describe('catalogue coverage', () => {
  it('has a handler for every MD5 operation, and no handler for a name the catalogue lacks', () => {
    const md5 = operationNames.filter((n) => catalogue[n].security === 'md5');
    expect(md5.length).toBeGreaterThanOrEqual(32);
    for (const name of md5) expect(handlers[catalogue[name].family]?.[name], name).toBeTypeOf('function');
    const served = Object.values(handlers).flatMap((h) => Object.keys(h));
    expect(served.sort()).toEqual([...md5].sort());
  });

  it('serves the three payout operations', () => {
    expect(operationNames.filter((n) => catalogue[n].family === 'payout').sort()).toEqual([
      'payout.balance',
      'payout.pay',
      'payout.query',
    ]);
  });
});
