// parseRequestEnvelope: the platform side (the sandbox) reading what a merchant sent.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { buildEnvelope, md5Sign, parseRequestEnvelope, type BuildEnvelopeInput } from '../src/index.js';

const KEY = 'ea21842eea24e448b991b1cb0a0294cf'; // PROTOCOL §8
const AGENT_KEY = 'fedcba9876543210fedcba9876543210';
const MERNO = '001440353999853';
const TERMNO = '84970001';
const BODY = { MERORDERID: 'M20261126000001', AMT: '100', CARDNO: '6225880113756648', CVN2: '123', RANDSTR: 'abc' };

function request(over: Partial<BuildEnvelopeInput> = {}): BuildEnvelopeInput {
  return {
    family: 'quickPay',
    commandId: 771,
    seqId: 5,
    merchantNo: MERNO,
    terminalNo: TERMNO,
    key: KEY,
    body: BODY,
    ...over,
  };
}

describe('parseRequestEnvelope', () => {
  it('accepts what buildEnvelope writes, for any SeqID and CommandID', () => {
    fc.assert(
      fc.property(fc.nat({ max: 2 ** 31 }), fc.integer({ min: 1, max: 0x7fff }), (seqId, commandId) => {
        const parsed = parseRequestEnvelope(buildEnvelope(request({ seqId, commandId })).text, {
          key: KEY,
          merchantNo: MERNO,
          terminalNo: TERMNO,
        });
        expect(parsed.issues).toEqual([]);
        expect(parsed).toMatchObject({
          ok: true,
          seqId,
          commandId,
          merchantNo: MERNO,
          terminalNo: TERMNO,
          agentNo: '',
          signatureValid: true,
        });
        expect(parsed.plainBody).toEqual(BODY);
      }),
      { numRuns: 50 },
    );
  });

  it("looks the key up by the header's parties", () => {
    const seen: unknown[] = [];
    const parsed = parseRequestEnvelope(buildEnvelope(request()).text, {
      key: (who) => {
        seen.push(who);
        return who.merchantNo === MERNO ? KEY : undefined;
      },
    });
    expect(parsed.ok).toBe(true);
    expect(seen).toEqual([{ merchantNo: MERNO, terminalNo: TERMNO, agentNo: '' }]);
    const unknown = parseRequestEnvelope(buildEnvelope(request({ merchantNo: '001440353999854' })).text, {
      key: (who) => (who.merchantNo === MERNO ? KEY : undefined),
    });
    expect(unknown.issues).toEqual([expect.objectContaining({ field: 'MERNO', rule: 'unknown' })]);
  });

  it('verifies an agency-mode request with the agent key, not the merchant key', () => {
    const text = buildEnvelope(request({ agentNo: '00110004', agentKey: AGENT_KEY })).text;
    expect(parseRequestEnvelope(text, { key: KEY, agentKey: AGENT_KEY })).toMatchObject({
      ok: true,
      agentNo: '00110004',
    });
    // The platform knows no agent key: the merchant's key checks it, and it was not signed with that.
    const noAgentKey = parseRequestEnvelope(text, { key: KEY });
    expect(noAgentKey.issues).toEqual([expect.objectContaining({ field: 'Sign', rule: 'signature' })]);
    expect(noAgentKey.issues[0]?.message).toContain('merchant key');
    // A request signed with the merchant key while claiming an agent that has a key: the agent key must verify it.
    const merchantSigned = buildEnvelope(request({ agentNo: '00110004' })).text;
    const wrong = parseRequestEnvelope(merchantSigned, { key: KEY, agentKey: AGENT_KEY });
    expect(wrong.issues).toEqual([expect.objectContaining({ field: 'Sign', rule: 'signature' })]);
    expect(wrong.issues[0]?.message).toContain('agent key');
  });

  it('falls back to the merchant key in agency mode when the agent has no key (key priority: agent, then merchant)', () => {
    const merchantSigned = buildEnvelope(request({ agentNo: '00110004' })).text;
    expect(parseRequestEnvelope(merchantSigned, { key: KEY })).toMatchObject({
      ok: true,
      agentNo: '00110004',
      signatureValid: true,
    });
    expect(parseRequestEnvelope(merchantSigned, { key: KEY, agentKey: () => undefined }).ok).toBe(true);
    expect(parseRequestEnvelope(merchantSigned, { key: KEY, agentNo: '00110005' }).issues).toEqual([
      expect.objectContaining({ field: 'AGENTNO', rule: 'unknown' }),
    ]);
  });

  it('reports a wrong signature, a wrong merchant, terminal and CommandID together', () => {
    const text = buildEnvelope(request({ key: 'another-key-entirely-000000000000' })).text;
    const parsed = parseRequestEnvelope(text, {
      key: KEY,
      merchantNo: '001440353999000',
      terminalNo: '84970002',
      expectCommandId: [772, 773],
    });
    expect(parsed.ok).toBe(false);
    expect(parsed.issues.map((i) => `${i.field}:${i.rule}`).sort()).toEqual([
      'CommandID:commandId',
      'MERNO:unknown',
      'Sign:signature',
      'TERMNO:unknown',
    ]);
    expect(parsed.issues.find((i) => i.field === 'CommandID')?.message).toContain('expected 772 or 773');
  });

  it('reports every missing or malformed header field at once, naming each', () => {
    const parsed = parseRequestEnvelope(
      '{"CommandID":"x","SeqID":[],"Version":"2.0","MERNO":"0014403539998530","Body":7,"Sign":"zz"}',
      { key: KEY },
    );
    expect(parsed.ok).toBe(false);
    expect(parsed.issues.map((i) => `${i.field}:${i.rule}`).sort()).toEqual([
      'Body:type',
      'CommandID:integer',
      'MERNO:maxLength',
      'NodeID:required',
      'NodeType:required',
      'SeqID:integer',
      'Sign:format',
      'TERMNO:required',
      'Version:enum',
    ]);
    for (const issue of parsed.issues) expect(issue.message).toContain(issue.field);
  });

  it('reports text that is not a JSON object, without throwing', () => {
    for (const text of ['', 'web_api=…', '[1]', '{"a":', 5 as never]) {
      const parsed = parseRequestEnvelope(text, { key: KEY });
      expect(parsed.ok).toBe(false);
      expect(parsed.issues).toEqual([expect.objectContaining({ rule: 'json' })]);
    }
  });

  it('accepts a Body sent as a JSON string, verifying over the decoded Body', () => {
    const sign = md5Sign(BODY, KEY);
    const text = `{"CommandID":771,"SeqID":1,"NodeType":3,"NodeID":"openapi","Version":"1.0.0","AGENTNO":"","MERNO":"${MERNO}","TERMNO":"${TERMNO}","Body":${JSON.stringify(JSON.stringify(BODY))},"Sign":"${sign}"}`;
    expect(parseRequestEnvelope(text, { key: KEY })).toMatchObject({ ok: true, signatureValid: true });
  });

  it('never puts card data or keys in an issue', () => {
    const text = buildEnvelope(request({ key: 'another-key-entirely-000000000000' })).text;
    const issues = JSON.stringify(parseRequestEnvelope(text, { key: KEY }).issues);
    for (const secret of [BODY.CARDNO, BODY.CVN2, KEY, 'another-key-entirely']) expect(issues).not.toContain(secret);
  });
});
