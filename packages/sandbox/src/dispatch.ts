// The MD5 families (quick pay, scan code, gateway): read the envelope the PHP way, verify the
// signature (PROTOCOL §3; a bad one gets the negative response 32768), find the operation in the
// codec's catalogue, validate the Body against it, run the family handler, and sign the response
// with the merchant's key (the agent's in agency mode) under the catalogue's response CommandID.
import {
  buildEnvelope,
  findOperation,
  negativeResponse,
  parseRequestEnvelope,
  validateRequest,
  type FieldIssue,
} from '@mmsp/codec';
import { NEGATIVE, RETCODE_STRUCTURE } from './codes.js';
import type { Handler } from './handler.js';
import type { EnvelopeFamily } from './model.js';
import type { Platform } from './platform.js';

export interface Reply {
  status: number;
  contentType: string;
  text: string;
}

export interface PreparedRequest {
  family: EnvelopeFamily | 'payout';
  operation?: string;
  merchantNo?: string;
  merchantOrderId?: string;
  /** Carry the request out and answer. */
  run(): Reply;
  /** Answer the negative response with `retCode` without acting (fault `retcode-0`). */
  refuse(retCode: number, message: string): Reply;
}

const JSON_TYPE = 'application/json; charset=utf-8';

/** One line per issue, naming the field and the rule; never a value (codec FieldIssue contract). */
export function describeIssues(issues: readonly FieldIssue[]): string {
  return issues.map((i) => `${i.field || 'envelope'}: ${i.rule}`).join('; ');
}

export function prepareMd5(
  platform: Platform,
  family: EnvelopeFamily,
  text: string,
  handlers: Record<string, Handler>,
  baseUrl: string,
): PreparedRequest {
  const parsed = parseRequestEnvelope(text, {
    signer: platform.signer,
    key: (who) => {
      const m = platform.merchant(who.merchantNo);
      return m && m.terminalNo === who.terminalNo ? m.key : undefined;
    },
    agentKey: (who) => {
      const m = platform.merchant(who.merchantNo);
      return m && m.terminalNo === who.terminalNo && m.agentNo === who.agentNo ? m.agentKey : undefined;
    },
  });
  const merchant = parsed.merchantNo ? platform.merchant(parsed.merchantNo) : undefined;
  const op = parsed.commandId !== undefined ? findOperation(family, parsed.commandId) : undefined;
  const body = parsed.plainBody ?? {};
  const merchantOrderId = typeof body.MERORDERID === 'string' ? body.MERORDERID : undefined;

  const negative = (retCode: number, message: string): Reply => ({
    status: 200,
    contentType: JSON_TYPE,
    text: negativeResponse({
      retCode,
      errorMsg: message,
      seqId: parsed.seqId ?? 1,
      family,
      ...(parsed.nodeType !== undefined ? { nodeType: parsed.nodeType } : {}),
      ...(parsed.nodeId ? { nodeId: parsed.nodeId } : {}),
      ...(parsed.agentNo ? { agentNo: parsed.agentNo } : {}),
      ...(parsed.merchantNo ? { merchantNo: parsed.merchantNo } : {}),
      ...(parsed.terminalNo ? { terminalNo: parsed.terminalNo } : {}),
    }),
  });

  const run = (): Reply => {
    if (!parsed.ok) {
      const issues = parsed.issues;
      const signature = issues.find((i) => i.field === 'Sign');
      const party = issues.find(
        (i) => (i.field === 'MERNO' || i.field === 'TERMNO' || i.field === 'AGENTNO') && i.rule === 'unknown',
      );
      const version = issues.find((i) => i.field === 'Version');
      const reason = party
        ? NEGATIVE.merchant
        : signature
          ? NEGATIVE.sign
          : version
            ? NEGATIVE.version
            : `${NEGATIVE.parameter}: ${describeIssues(issues)}`;
      platform.log(`${family} request refused: ${describeIssues(issues)}`);
      return negative(RETCODE_STRUCTURE, reason);
    }
    if (!merchant || !op || op.security !== 'md5') {
      return negative(RETCODE_STRUCTURE, `${NEGATIVE.command}: ${parsed.commandId ?? ''}`);
    }
    // A platform ignores keys its table does not list; the client refuses them before sending (issue #13 item 10).
    const issues = validateRequest(op.name, body, { unknownFields: 'allow' });
    if (issues.length > 0) {
      platform.log(`${op.name} refused: ${describeIssues(issues)}`);
      return negative(RETCODE_STRUCTURE, `${NEGATIVE.parameter}: ${describeIssues(issues)}`);
    }
    const handler = handlers[op.name];
    if (!handler) return negative(RETCODE_STRUCTURE, `${NEGATIVE.command}: ${op.name}`);
    const result = handler({ platform, merchant, operation: op.name, baseUrl, now: platform.now() }, body);
    if ('negative' in result) return negative(RETCODE_STRUCTURE, result.negative);
    // gateway §5.1: the pay request comes from a browser form and gets a page (the bank's).
    if (result.html !== undefined) return { status: 200, contentType: 'text/html; charset=utf-8', text: result.html };
    const agency =
      parsed.agentNo !== '' && merchant.agentKey ? { agentNo: parsed.agentNo, agentKey: merchant.agentKey } : {};
    const envelope = buildEnvelope({
      signer: platform.signer,
      family,
      commandId: op.responseId ?? parsed.commandId! + 0x8000,
      seqId: parsed.seqId ?? 1,
      ...(parsed.nodeType !== undefined ? { nodeType: parsed.nodeType } : {}),
      ...(parsed.nodeId ? { nodeId: parsed.nodeId } : {}),
      merchantNo: merchant.merchantNo,
      terminalNo: merchant.terminalNo,
      key: merchant.key,
      ...agency,
      body: result.body,
      retCode: 1,
      errorMsg: '',
    });
    return { status: 200, contentType: JSON_TYPE, text: envelope.text };
  };

  return {
    family,
    ...(op ? { operation: op.name } : {}),
    ...(parsed.merchantNo ? { merchantNo: parsed.merchantNo } : {}),
    ...(merchantOrderId ? { merchantOrderId } : {}),
    run,
    refuse: negative,
  };
}
