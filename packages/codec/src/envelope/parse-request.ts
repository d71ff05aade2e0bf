/**
 * The platform side of a request (the sandbox, PROTOCOL §2, §3): every problem of a request
 * reported at once, the signature checked on the one signing route.
 */
import type { FieldIssue } from '../errors.js';
import type { PhpArray, PhpValue } from '../php-json/value.js';
import { standaloneSigner } from '../signing/sign.js';
import type { Signer, SignOptions } from '../signing/signer.js';
import { decodeEnvelope, plainOf, readBody, readInt, readText, shape } from './header.js';

/** Who sent a request, as its header says. */
/** The parties a request's header names, handed to a key lookup of {@link ParseRequestOptions}. */
export interface RequestParties {
  /** `MERNO`. */
  merchantNo: string;
  /** `TERMNO`. */
  terminalNo: string;
  /** `AGENTNO` (`""` when absent or `null`). */
  agentNo: string;
}

/** How {@link parseRequestEnvelope} (the platform side: the sandbox) checks a request. */
export interface ParseRequestOptions {
  /**
   * The MD5 key that verifies the request: a fixed key, or a lookup by the header's parties
   * (return `undefined` for an unknown merchant / terminal).
   */
  key: string | ((who: RequestParties) => string | undefined);
  /** The agent's key: verifies instead of the merchant's when the request carries an AGENTNO and the agent has a key. */
  agentKey?: string | ((who: RequestParties) => string | undefined);
  /** The merchant number / terminal number / agent number expected (each reported when it differs). */
  merchantNo?: string;
  /** The terminal number expected (`TERMNO`). */
  terminalNo?: string;
  /** The agent number expected (`AGENTNO`). */
  agentNo?: string;
  /** The request CommandID(s) this endpoint serves. */
  expectCommandId?: number | readonly number[];
  /** How the Body is re-encoded for the signature check (PROTOCOL §3). */
  signOptions?: SignOptions;
  /** The signer that verifies (the sandbox passes its own); default the standalone functions' signer. */
  signer?: Signer;
}

/**
 * A request as the platform reads it (sandbox): every header field that could be read, every
 * problem found, and whether the signature verified. Fields are absent when they could not be read.
 */
export interface ParsedRequestEnvelope {
  /** True when there is no issue: the header is complete and the signature verified. */
  ok: boolean;
  /** Every problem found, each naming the field and the rule. */
  issues: FieldIssue[];
  /** `CommandID`. */
  commandId?: number;
  /** `SeqID`, to echo in the response. */
  seqId?: number;
  /** `NodeType`. */
  nodeType?: number;
  /** `NodeID`. */
  nodeId?: string;
  /** `Version`. */
  version?: string;
  /** `AGENTNO` (`""` when absent or `null`). */
  agentNo: string;
  /** `MERNO`. */
  merchantNo?: string;
  /** `TERMNO`. */
  terminalNo?: string;
  /** The Body in the lossless PHP model. */
  body?: PhpValue;
  /** The Body re-encoded the PHP way (ksorted): the text that was hashed, without `&key=`. */
  bodyText?: string;
  /** The Body as plain JS. */
  plainBody?: Record<string, unknown>;
  /** `Sign` as received. */
  sign?: string;
  /** Whether the signature verified (false when it could not be checked). */
  signatureValid: boolean;
  /** The whole request as PHP's `json_decode($text, true)` sees it. */
  raw?: PhpArray;
}

const TYPO_SPELLINGS: Record<string, readonly string[]> = { MERNO: ['MERNNO', 'MERN0', 'MEORDERID'] };

/**
 * The platform side of a request (the sandbox): reads the envelope a merchant sent and reports
 * every problem at once (header fields, CommandID, MERNO / TERMNO, Body, Sign) instead of throwing,
 * so that the caller can answer with a `negativeResponse`. Never throws on bad input.
 */
export function parseRequestEnvelope(text: string, options: ParseRequestOptions): ParsedRequestEnvelope {
  const issues: FieldIssue[] = [];
  const signer = options.signer ?? standaloneSigner();
  const result: ParsedRequestEnvelope = { ok: false, issues, agentNo: '', signatureValid: false };
  let raw: PhpArray;
  try {
    raw = decodeEnvelope(text);
  } catch (err) {
    issues.push({ field: '', rule: 'json', message: (err as Error).message, got: shape(text) });
    return result;
  }
  result.raw = raw;
  const push = (field: string, r: { rule: string; message: string; got: string }): void => {
    issues.push({ field, rule: r.rule, message: r.message, got: r.got });
  };

  const commandId = readInt(raw, 'CommandID');
  if (commandId.ok) {
    result.commandId = commandId.value;
    if (options.expectCommandId !== undefined) {
      const expected =
        typeof options.expectCommandId === 'number' ? [options.expectCommandId] : [...options.expectCommandId];
      if (!expected.includes(commandId.value)) {
        issues.push({
          field: 'CommandID',
          rule: 'commandId',
          message: `CommandID ${commandId.value} is not served here: expected ${expected.join(' or ')}`,
          got: 'number',
        });
      }
    }
  } else push('CommandID', commandId);

  const seqId = readInt(raw, 'SeqID');
  if (seqId.ok) result.seqId = seqId.value;
  else push('SeqID', seqId);
  const nodeType = readInt(raw, 'NodeType');
  if (nodeType.ok) result.nodeType = nodeType.value;
  else push('NodeType', nodeType);

  const nodeId = readText(raw, 'NodeID', false);
  if (nodeId.ok) result.nodeId = nodeId.value;
  else push('NodeID', nodeId);
  const version = readText(raw, 'Version', false);
  if (version.ok) {
    result.version = version.value;
    if (version.value !== '1.0.0') {
      issues.push({
        field: 'Version',
        rule: 'enum',
        message: 'Version must be "1.0.0" (the protocol version)',
        got: shape(version.value),
      });
    }
  } else push('Version', version);

  // AGENTNO: "" (or absent) outside agency mode.
  const agentNo = readText(raw, 'AGENTNO', true);
  if (agentNo.ok) result.agentNo = agentNo.value;
  else push('AGENTNO', agentNo);

  for (const field of ['MERNO', 'TERMNO'] as const) {
    const r = readText(raw, field, false);
    if (r.ok && r.value !== '') {
      if (field === 'MERNO') result.merchantNo = r.value;
      else result.terminalNo = r.value;
      const max = field === 'MERNO' ? 15 : 8;
      if (r.value.length > max) {
        issues.push({
          field,
          rule: 'maxLength',
          message: `${field} is at most ${max} characters`,
          got: shape(r.value),
        });
      }
      continue;
    }
    const typo = (TYPO_SPELLINGS[field] ?? []).find((t) => raw.has(t));
    issues.push({
      field,
      rule: 'required',
      message: typo
        ? `${field} is missing (found "${typo}", a misspelling from the document's examples)`
        : r.ok
          ? `${field} must not be empty`
          : r.message,
      got: r.ok ? 'string(0)' : r.got,
    });
  }
  const expectParty = (field: string, got: string | undefined, want: string | undefined): void => {
    if (want !== undefined && got !== undefined && got !== want) {
      issues.push({
        field,
        rule: 'unknown',
        message: `${field} is not the merchant this endpoint serves`,
        got: shape(got),
      });
    }
  };
  expectParty('MERNO', result.merchantNo, options.merchantNo);
  expectParty('TERMNO', result.terminalNo, options.terminalNo);
  if (options.agentNo !== undefined && result.agentNo !== options.agentNo) {
    issues.push({
      field: 'AGENTNO',
      rule: 'unknown',
      message: 'AGENTNO is not the agent this endpoint serves',
      got: shape(result.agentNo),
    });
  }

  const body = readBody(raw);
  if (body.ok) {
    result.body = body.body;
    result.plainBody = plainOf(body.body);
    try {
      result.bodyText = signer.signingString(body.body, options.signOptions);
    } catch (err) {
      issues.push({
        field: 'Body',
        rule: 'encoding',
        message: `Body cannot be encoded the PHP way: ${(err as Error).message}`,
        got: 'object',
      });
    }
  } else push('Body', body);

  const sign = readText(raw, 'Sign', false);
  if (sign.ok && /^[0-9a-fA-F]{32}$/.test(sign.value)) result.sign = sign.value;
  else if (sign.ok) {
    result.sign = sign.value;
    issues.push({
      field: 'Sign',
      rule: 'format',
      message: 'Sign must be 32 hexadecimal characters (MD5)',
      got: shape(sign.value),
    });
  } else push('Sign', sign);

  // Key: "the agent's key first, then the merchant's" (密钥使用优先级): in agency mode the agent's
  // key verifies when the agent has one, otherwise the merchant's (as buildEnvelope signs).
  const who: RequestParties = {
    merchantNo: result.merchantNo ?? '',
    terminalNo: result.terminalNo ?? '',
    agentNo: result.agentNo,
  };
  const resolve = (k: ParseRequestOptions['key'] | undefined): string | undefined =>
    typeof k === 'function' ? k(who) : k;
  let key: string | undefined = result.agentNo !== '' ? resolve(options.agentKey) : undefined;
  let keyName = 'agent';
  if (key === undefined || key === '') {
    key = resolve(options.key);
    keyName = 'merchant';
    if ((key === undefined || key === '') && result.merchantNo !== undefined) {
      issues.push({
        field: 'MERNO',
        rule: 'unknown',
        message: 'No MD5 key is known for this MERNO / TERMNO',
        got: shape(result.merchantNo),
      });
    }
  }
  if (
    key &&
    body.ok &&
    result.sign !== undefined &&
    /^[0-9a-fA-F]{32}$/.test(result.sign) &&
    result.bodyText !== undefined
  ) {
    result.signatureValid = signer.verifySigningString(result.bodyText, result.sign, key, options.signOptions?.md5);
    if (!result.signatureValid) {
      issues.push({
        field: 'Sign',
        rule: 'signature',
        message: `Sign does not match the Body re-encoded the PHP way (checked with the ${keyName} key)`,
        got: 'string(32)',
      });
    }
  }
  result.ok = issues.length === 0;
  return result;
}
