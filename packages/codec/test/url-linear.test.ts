// Issue #13 item 8: no pattern on untrusted input may be worse than linear. The URL check used a
// backtracking pattern: a 64k-character NOTIFY_URL ending in a space took seconds.
import { describe, expect, it } from 'vitest';
import { validateRequest } from '../src/index.js';

const body = (url: string) => ({
  TRADETYPE: '1',
  AMT: '100',
  MERORDERID: '20261126000000000001',
  GOODSNAME: 'tea',
  NOTIFY_URL: url,
  RANDSTR: 'a1b2c3d4e5f6g7h',
});
const time = (url: string) => {
  const t = performance.now();
  const issues = validateRequest('scan.wechatOrder', body(url));
  return { ms: performance.now() - t, issues };
};

describe('URL format check', () => {
  it('keeps its meaning: scheme, a host, no whitespace', () => {
    const format = (url: string) =>
      time(url).issues.some((i) => i.field === 'NOTIFY_URL' && (i.rule === 'format' || i.rule === 'control')); // a line break: rule control since issue #13 item 10
    expect(format('https://shop.example/n?x=1#f')).toBe(false);
    expect(format('HTTP://shop.example')).toBe(false);
    for (const bad of [
      'ftp://shop.example/n',
      'https://',
      'https:///path',
      'https://?q',
      'https://#f',
      'https://shop example/n',
      'https://shop.example/n\n',
      'shop.example/n',
    ]) {
      expect(format(bad), JSON.stringify(bad)).toBe(true);
    }
  });

  it('is linear: 64k and 256k characters ending in a space take milliseconds, not seconds', () => {
    // The backtracking pattern took about 3 s at 64k and would take about 48 s at 256k; a linear check
    // takes a few ms. The bound leaves room for a loaded CI machine and still tells the two apart.
    for (const n of [65_536, 262_144]) {
      const { ms, issues } = time(`http://${'a'.repeat(n)} `);
      expect(issues.some((i) => i.field === 'NOTIFY_URL')).toBe(true);
      expect(ms, `${n} characters`).toBeLessThan(1_000);
    }
  });
});
