// The text checks `open` makes before the envelope is read (src/notifications/open.ts): a text of
// white space alone (JavaScript's `trim()` white space, the byte order mark and U+3000 included) is
// "empty body"; a byte order mark before the JSON is dropped; anything else goes to the envelope
// reader, which takes the JSON's own white space.
import { describe, expect, it } from 'vitest';
import { createNotificationReceiver } from '../src/notifications/receiver.js';
import { MERCHANT } from './support/keys.js';
import { quickPayBody, signedNotification } from './support/notifications.js';

const open = createNotificationReceiver({ key: MERCHANT.key, logger: {} }).open;
const push = signedNotification(quickPayBody());

describe('open: the text before the envelope', () => {
  it('answers "empty body" for a text of white space alone', () => {
    for (const blank of ['', ' ', '\n\t\r ', '\u00a0', '\ufeff', '\u3000', '\u2028', '\ufeff \u2029', '\v\f'])
      expect(open(blank), JSON.stringify(blank)).toMatchObject({
        type: 'rejected',
        reason: 'malformed',
        detail: 'empty body',
      });
  });

  it('sends any other text to the envelope reader, a control character first included', () => {
    for (const text of ['\u0000', '\u0000 ', 'x', '\u00ff', '{}', '\u3000x'])
      expect(open(text), JSON.stringify(text)).toMatchObject({ type: 'rejected', reason: 'malformed' });
    for (const text of ['\u0000', 'x', '{}', '\u3000x']) expect(open(text)).not.toMatchObject({ detail: 'empty body' });
  });

  it('opens a push after a byte order mark or the JSON white space', () => {
    for (const text of [`\ufeff${push}`, ` ${push}`, `\n\t${push}\r\n`])
      expect(open(text), JSON.stringify(text.slice(0, 3))).toMatchObject({ type: 'paid', amount: '200' });
  });
});
