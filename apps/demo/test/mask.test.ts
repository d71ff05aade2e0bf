// What the log page and the order pages may show: escaped values, masked card data, no secrets.
import { describe, expect, it } from 'vitest';
import { html, scriptJson } from '../src/html.js';
import { maskBody, maskText } from '../src/mask.js';

describe('maskText / maskBody', () => {
  const body = {
    CARDNO: '6225880113756648',
    CVN2: '123',
    EXPDATE: '0128',
    ID_NO: '440301199001011234',
    PHONENO: '13800138000',
    MSG_CODE: '123456',
    CODE: '134567890123451111',
    ERR_CODE: 'AA',
    AMT: '100',
    NAME: '张三',
  };

  it('keeps the last four digits of card, account and phone numbers and hides the rest', () => {
    const text = maskText(JSON.stringify(body));
    for (const secret of [
      '6225880113756648',
      '123"',
      '0128',
      '440301199001011234',
      '13800138000',
      '123456',
      '134567890123451111',
    ])
      expect(text).not.toContain(secret);
    expect(text).toContain('"CARDNO":"************6648"');
    expect(text).toContain('"PHONENO":"*******8000"');
    expect(text).toContain('"ERR_CODE":"AA"');
    expect(text).toContain('"AMT":"100"');
  });

  it('masks PHP-escaped wire text and unquoted numbers too, and replaces known secrets', () => {
    expect(maskText('{"ACCNO":6217000010001234567,"x":"key-ABCDEFGH"}', ['ABCDEFGH'])).toBe(
      '{"ACCNO":***************4567,"x":"key-[redacted]"}',
    );
  });

  it('maskBody gives a masked copy', () => {
    expect(maskBody(body)).toMatchObject({
      CARDNO: '************6648',
      CVN2: '***',
      ID_NO: '***',
      NAME: '张三',
      AMT: '100',
    });
    expect(body.CARDNO).toBe('6225880113756648');
  });
});

describe('html', () => {
  it('escapes every interpolated value, nested fragments are kept', () => {
    const evil = `"><script>alert('x')</script>`;
    const out = html`<a href="${evil}">${evil}</a>${html`<b>${evil}</b>`}${[evil, 1]}`.value;
    expect(out).not.toContain('<script>');
    expect(out).toContain('<b>&#34;&#62;&#60;script&#62;');
  });

  it('scriptJson cannot close a script element', () => {
    expect(scriptJson('</script><script>x').value).not.toContain('</script>');
  });
});
