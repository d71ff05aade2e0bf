// notificationRequestProblem: the HTTP-level refusals every receiver adapter answers with (PROTOCOL §5:
// the platform POSTs the envelope JSON as the raw body; anything but SUCCESS makes it retry).
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_NOTIFICATION_MAX_BODY_BYTES,
  NOTIFICATION_HTTP_ANSWERS,
  notificationEndpointIssues,
  notificationRequestProblem,
} from '../src/index.js';

const post = (contentType: string) => notificationRequestProblem({ method: 'POST', contentType })?.body;

describe('notificationRequestProblem', () => {
  it('accepts a POST with the types PHP curl may send, any case, UTF-8 or no charset, or no content type', () => {
    for (const contentType of [
      undefined,
      null,
      '',
      'application/json',
      'Application/JSON; charset=UTF-8',
      'text/plain;charset="utf8"',
      'application/x-www-form-urlencoded',
      'text/json',
      ['application/json'],
    ]) {
      expect(
        notificationRequestProblem({ method: 'POST', contentType, size: 10, maxBodyBytes: 10 }),
        String(contentType),
      ).toBeUndefined();
    }
  });

  it('405 with Allow: POST for any other method (checked first)', () => {
    for (const method of ['GET', 'PUT', 'post', undefined]) {
      expect(notificationRequestProblem({ method, contentType: 'image/png' })).toEqual({
        status: 405,
        body: 'FAIL method not allowed',
        headers: { allow: 'POST' },
      });
    }
  });

  it('415 naming the refused type or charset, cut short', () => {
    expect(notificationRequestProblem({ method: 'POST', contentType: 'multipart/form-data; boundary=x' })).toEqual({
      status: 415,
      body: 'FAIL content type multipart/form-data is not accepted',
    });
    expect(notificationRequestProblem({ method: 'POST', contentType: 'application/json; charset=gbk' })).toEqual({
      status: 415,
      body: 'FAIL charset gbk is not accepted (UTF-8 only)',
    });
    expect(post(`x/${'y'.repeat(200)}`)).toBe(`FAIL content type x/${'y'.repeat(58)} is not accepted`);
    expect(post('; charset=utf-8')).toBe('FAIL content type (empty) is not accepted');
  });

  it('413 beyond maxBodyBytes, declared or read so far; no size check without both numbers', () => {
    expect(notificationRequestProblem({ size: 65_537, maxBodyBytes: 65_536 })).toEqual({
      status: 413,
      body: 'FAIL body larger than 65536 bytes',
    });
    expect(notificationRequestProblem({ size: 65_536, maxBodyBytes: 65_536 })).toBeUndefined();
    expect(notificationRequestProblem({ size: Number.NaN, maxBodyBytes: 1 })).toBeUndefined();
    expect(notificationRequestProblem({ size: 5 })).toBeUndefined();
  });

  it('every refusal starts with FAIL, so it is never taken for an acknowledgement', () => {
    for (const a of Object.values(NOTIFICATION_HTTP_ANSWERS)) expect(a.body).toMatch(/^FAIL /);
    expect(Object.isFrozen(NOTIFICATION_HTTP_ANSWERS.internal)).toBe(true);
  });
});

describe('notificationEndpointIssues', () => {
  const onPaid = () => undefined;
  const client = { notifications: { handle: () => undefined } };

  it('accepts a key or a client with onPaid; the limit defaults to 64 KiB', () => {
    expect(notificationEndpointIssues({ key: 'k', onPaid })).toEqual({
      issues: [],
      maxBodyBytes: DEFAULT_NOTIFICATION_MAX_BODY_BYTES,
    });
    expect(DEFAULT_NOTIFICATION_MAX_BODY_BYTES).toBe(65_536);
    expect(notificationEndpointIssues({ client, onPaid, maxBodyBytes: 2048 })).toEqual({
      issues: [],
      maxBodyBytes: 2048,
    });
  });

  it('lists every problem at once, naming the option and never the key', () => {
    const fields = (o: Parameters<typeof notificationEndpointIssues>[0]) =>
      notificationEndpointIssues(o).issues.map((i) => `${i.field}:${i.rule}`);
    expect(fields({})).toEqual(['onPaid:required', 'key:required']);
    expect(fields({ onPaid, key: 'secret-key-value', client })).toEqual(['key:exclusive']);
    expect(fields({ onPaid, client: {} as never, maxBodyBytes: 0 })).toEqual([
      'client:type',
      'maxBodyBytes:positiveInteger',
    ]);
    expect(fields({ onPaid, key: 'k', maxBodyBytes: 1.5 })).toEqual(['maxBodyBytes:positiveInteger']);
    expect(JSON.stringify(notificationEndpointIssues({ key: 'secret-key-value', client }))).not.toContain(
      'secret-key-value',
    );
  });
});
