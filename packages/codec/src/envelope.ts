/**
 * The MD5 envelope of the quick pay, scan code and gateway families (PROTOCOL §2):
 *
 *   {"CommandID":771,"SeqID":1,"NodeType":3,"NodeID":"openapi","Version":"1.0.0","AGENTNO":"",
 *    "MERNO":"…","TERMNO":"…","Body":{…},"Sign":"…"}
 *
 * - `buildEnvelope` writes the exact wire text of a request (or, for the sandbox, a response).
 * - `openEnvelope` opens a response or a pushed notification: header checks, the negative
 *   response (CommandID 32768), `RetCode` ≠ 1, then the signature over the re-encoded Body.
 * - `parseRequestEnvelope` is the platform side (sandbox): it reports every problem of a request.
 * - `negativeResponse` writes the 32768 negative response.
 *
 * The signature covers the Body only (PROTOCOL §3); the header is never signed.
 */
import type { Family } from './crypto-provider.js';
import { MmspEncodingError, MmspProtocolError, MmspSignatureError, MmspValidationError, type FieldIssue } from './errors.js';
import { fromJs, PhpArray, PhpFloat, phpJsonDecode, phpJsonEncode, toPlain, toWireJson, type PhpValue } from './php/index.js';
import { parseFlatEnvelope } from './php/flat-envelope.js';
import { md5MatchesHex } from './php/md5.js';
import { checkKey, md5OfSigningString } from './php/sign-string.js';
import { constantTimeEqual, md5Verify, signingString, type SignOptions } from './sign.js';

/** CommandID of the platform's negative response 统一否定应答 (0x8000). */
export const NEGATIVE_RESPONSE_COMMAND_ID = 32768;

/** The header defaults of a family (PROTOCOL §2; quick pay §3.1, scan code §3.1, gateway §3.1). */
export interface HeaderDefaults {
  /** `NodeType`: 3 (the merchant's own system) for every family. */
  readonly nodeType: number;
  /** `NodeID`: `openplat` for scan code, `openapi` for quick pay and gateway. */
  readonly nodeId: string;
  /** `Version`: `1.0.0`. */
  readonly version: string;
}

/**
 * The families that speak the MD5 envelope: quick pay, scan code and gateway. The payout family
 * sends `{ENCRYPT, SIGN}` instead (PROTOCOL §6).
 */
export type EnvelopeFamily = Exclude<Family, 'payout'>;

/**
 * NodeType 3, Version `1.0.0`; NodeID `openplat` for scan code, `openapi` for quick pay and gateway.
 * The payout family has no MD5 envelope (it sends `{ENCRYPT, SIGN}`, PROTOCOL §6).
 */
export function headerDefaults(family: Family): HeaderDefaults {
  switch (family) {
    case 'quickPay':
    case 'gateway':
      return { nodeType: 3, nodeId: 'openapi', version: '1.0.0' };
    case 'scan':
      return { nodeType: 3, nodeId: 'openplat', version: '1.0.0' };
    case 'payout':
      throw new TypeError('headerDefaults: the payout family has no MD5 envelope; it sends {ENCRYPT, SIGN} (docs/PROTOCOL.md §6)');
    default:
      throw new TypeError(`headerDefaults: unknown family (expected quickPay, scan or gateway)`);
  }
}

// ---------------------------------------------------------------------------------------------
// Building
// ---------------------------------------------------------------------------------------------

/**
 * What {@link buildEnvelope} writes: the header fields (PROTOCOL §2), the keys that sign, and the
 * Body in wire field names. Header fields left out take the family's {@link headerDefaults}.
 */
export interface BuildEnvelopeInput {
  /** The family whose envelope this is (`quickPay`, `scan` or `gateway`; payout has none). */
  family: Family;
  /** `CommandID`: the operation's request id (e.g. 771), or a response id on the platform side. */
  commandId: number;
  /** `SeqID`: the request's sequence number, echoed by the response. */
  seqId: number;
  /** `MERNO`: the merchant number. */
  merchantNo: string;
  /** `TERMNO`: the terminal number. */
  terminalNo: string;
  /** The merchant's MD5 key. Never written to the text, an error or a log. */
  key: string;
  /** Agency mode (机构模式): AGENTNO. Without it AGENTNO is `""`. */
  agentNo?: string;
  /** The agent's MD5 key: it signs instead of the merchant's key when `agentNo` is given too ("the agent's key takes priority"). */
  agentKey?: string;
  /** The Body: a JS object (or a `PhpArray`) of wire field names. */
  body: object;
  /** `NodeType`; default the family's (3). */
  nodeType?: number;
  /** `NodeID`; default the family's (`openplat` for scan code, `openapi` otherwise). */
  nodeId?: string;
  /** `Version`; default `1.0.0`. */
  version?: string;
  /** Platform side (sandbox): makes a response: `RetCode` and `ErrorMsg` are added. */
  retCode?: number | string;
  /** Platform side: the `ErrorMsg` text of a response (default `""`). */
  errorMsg?: string;
  /** Platform side: the spelling of the error text field; the document uses both (default `ErrorMsg`). */
  errorMsgField?: 'ErrorMsg' | 'ErrMsg';
  /**
   * Platform side: write the text the way the platform's PHP `json_encode` does (default flags:
   * non-ASCII as `\uXXXX`, `/` as `\/`), as in the document's response examples (PROTOCOL §3). The
   * signature is the same; only the bytes on the wire differ.
   */
  platformEscaping?: boolean;
  /** How the Body is encoded for signing (PROTOCOL §3); the defaults are the document's. */
  signOptions?: SignOptions;
}

/** The result of {@link buildEnvelope}: the wire text, its `Sign`, and the text that was hashed. */
export interface BuiltEnvelope {
  /** The exact text to POST. */
  text: string;
  /** The `Sign` value (upper-case hex MD5). */
  sign: string;
  /** The text that was hashed, without `&key=…` (safe to log: it holds the Body, so mind card data). */
  signingString: string;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function shape(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'string') return `string(${value.length})`;
  return typeof value;
}

function checkText(issues: FieldIssue[], field: string, value: unknown, rule: { required: boolean; secret?: boolean }): void {
  if (value === undefined && !rule.required) return;
  if (typeof value !== 'string' || (rule.required && value === '')) {
    issues.push({ field, rule: 'required', message: `${field} must be a non-empty string`, got: shape(value) });
  } else if (LONE_SURROGATE.test(value)) {
    issues.push({
      field,
      rule: 'utf8',
      message: `${field} contains a lone UTF-16 surrogate, which PHP cannot decode`,
      ...(rule.secret ? {} : { got: shape(value) }),
    });
  }
}

function checkInt(issues: FieldIssue[], field: string, value: unknown, min: number): void {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    issues.push({ field, rule: 'integer', message: `${field} must be an integer ≥ ${min}`, got: shape(value) });
  }
}

/**
 * Builds the exact wire text of an envelope. Header fields are written in the document's order
 * (PROTOCOL §2) with integers as integers; the Body is written with `toWireJson`, so that what PHP
 * decodes is exactly what `md5Sign` signed.
 *
 * Throws `MmspValidationError` listing every problem of the header input (never a key's value).
 *
 * @example
 * ```ts
 * import { buildEnvelope } from '@mmsp/codec';
 *
 * const { text, sign } = buildEnvelope({
 *   family: 'scan', commandId: 2306, seqId: 1, // scan.wechatOrder (微信公众号/正扫下预订单)
 *   merchantNo: '001440353999853', terminalNo: '84970001', key: 'your-md5-key',
 *   body: {
 *     TRADETYPE: '1', AMT: '100', MERORDERID: '20261126000001', RANDSTR: 'k3J9x0Qa',
 *     GOODSNAME: '测试商品', NOTIFY_URL: 'https://shop.example.com/mmsp/notify',
 *   },
 * });
 * // text: {"CommandID":2306,"SeqID":1,"NodeType":3,"NodeID":"openplat",…,"Body":{…},"Sign":"…"}
 * ```
 */
export function buildEnvelope(input: BuildEnvelopeInput): BuiltEnvelope {
  const issues: FieldIssue[] = [];
  let defaults: HeaderDefaults | undefined;
  try {
    defaults = headerDefaults(input.family);
  } catch (err) {
    issues.push({ field: 'family', rule: 'enum', message: (err as Error).message, got: shape(input.family) });
  }
  checkInt(issues, 'commandId', input.commandId, 1);
  checkInt(issues, 'seqId', input.seqId, 0);
  if (input.nodeType !== undefined) checkInt(issues, 'nodeType', input.nodeType, 0);
  checkText(issues, 'merchantNo', input.merchantNo, { required: true });
  checkText(issues, 'terminalNo', input.terminalNo, { required: true });
  checkText(issues, 'key', input.key, { required: true, secret: true });
  checkText(issues, 'nodeId', input.nodeId, { required: false });
  checkText(issues, 'version', input.version, { required: false });
  checkText(issues, 'errorMsg', input.errorMsg, { required: false });
  if (input.agentNo !== undefined && input.agentNo !== '') checkText(issues, 'agentNo', input.agentNo, { required: true });
  if (input.agentKey !== undefined) {
    checkText(issues, 'agentKey', input.agentKey, { required: true, secret: true });
    if (!input.agentNo) {
      issues.push({
        field: 'agentKey',
        rule: 'agentNo',
        message: 'agentKey is given without agentNo: the agent key signs only in agency mode (AGENTNO)',
      });
    }
  }
  if (input.retCode !== undefined && !/^-?\d+$/.test(String(input.retCode))) {
    issues.push({ field: 'retCode', rule: 'integer', message: 'retCode must be an integer', got: shape(input.retCode) });
  }
  if (input.body === null || typeof input.body !== 'object' || Array.isArray(input.body)) {
    issues.push({ field: 'Body', rule: 'type', message: 'Body must be an object of wire fields', got: shape(input.body) });
  }
  if (issues.length > 0 || defaults === undefined) throw new MmspValidationError(issues);

  const nodeType = input.nodeType ?? defaults.nodeType;
  const nodeId = input.nodeId ?? defaults.nodeId;
  const version = input.version ?? defaults.version;
  const agentNo = input.agentNo ?? '';
  // PROTOCOL §2/§3: "the agent's key takes priority over the merchant's" (agency mode).
  const signingKey = agentNo !== '' && input.agentKey !== undefined ? input.agentKey : input.key;

  const platform = input.platformEscaping === true;
  const bodyWire = platform ? phpJsonEncode(fromJs(input.body), { escapeUnicode: true }) : toWireJson(input.body);
  // The Body is encoded the PHP way once: hashed, and returned as signingString.
  const hashed = signingString(input.body, input.signOptions);
  const sign = md5OfSigningString(hashed, signingKey, input.signOptions?.md5);
  // Header strings: JSON.stringify escapes nothing unusual; the platform style is PHP's default json_encode.
  const str = platform ? (s: string): string => phpJsonEncode(s, { escapeUnicode: true }) : (s: string): string => JSON.stringify(s);

  let text: string;
  if (input.retCode === undefined) {
    // Request: CommandID, SeqID, NodeType, NodeID, Version, AGENTNO, MERNO, TERMNO, Body, Sign.
    text =
      `{"CommandID":${input.commandId},"SeqID":${input.seqId},"NodeType":${nodeType},"NodeID":${str(nodeId)},` +
      `"Version":${str(version)},"AGENTNO":${str(agentNo)},"MERNO":${str(input.merchantNo)},` +
      `"TERMNO":${str(input.terminalNo)},"Body":${bodyWire},"Sign":${str(sign)}}`;
  } else {
    // Response / notification, in the order of the quick-pay §3.1 "成功响应报文示例".
    const errorField = input.errorMsgField ?? 'ErrorMsg';
    text =
      `{"CommandID":${input.commandId},"SeqID":${input.seqId},"NodeType":${nodeType},"NodeID":${str(nodeId)},` +
      `"Version":${str(version)},"RetCode":${Number(input.retCode)},${str(errorField)}:${str(input.errorMsg ?? '')},` +
      `"Body":${bodyWire},"Sign":${str(sign)},"AGENTNO":${agentNo === '' ? 'null' : str(agentNo)},` +
      `"MERNO":${str(input.merchantNo)},"TERMNO":${str(input.terminalNo)}}`;
  }
  return { text, sign, signingString: hashed };
}

/** What {@link negativeResponse} writes (platform side, for the sandbox). */
export interface NegativeResponseInput {
  /** Any value but 1 (the document's examples: 0, 39999). */
  retCode: number | string;
  /** The `ErrorMsg` text. */
  errorMsg: string;
  /** `SeqID` of the request being refused. */
  seqId: number | string;
  /** The family whose header defaults are used; default quick pay. */
  family?: EnvelopeFamily;
  /** `NodeType`; default the family's. */
  nodeType?: number;
  /** `NodeID`; default the family's. */
  nodeId?: string;
  /** `Version`; default the family's. */
  version?: string;
  /** `AGENTNO`; written as `null` when absent, as in the document's examples. */
  agentNo?: string;
  /** `MERNO`; default `""`. */
  merchantNo?: string;
  /** `TERMNO`; default `""`. */
  terminalNo?: string;
  /** The spelling of the error text field; the document uses both (default `ErrorMsg`). */
  errorMsgField?: 'ErrorMsg' | 'ErrMsg';
}

/**
 * The negative response 统一否定应答 (CommandID 32768): `RetCode` ≠ 1, `Body: ""`, `Sign: ""`,
 * no signature (quick pay §3.1 "错误响应报文示例", scan code §3.1). Platform side (sandbox).
 */
export function negativeResponse(input: NegativeResponseInput): string {
  const issues: FieldIssue[] = [];
  const retCode = String(input.retCode);
  if (!/^-?\d+$/.test(retCode) || Number(retCode) === 1) {
    issues.push({ field: 'retCode', rule: 'integer', message: 'retCode must be an integer other than 1 (1 is success)', got: shape(input.retCode) });
  }
  const seqId = String(input.seqId);
  if (!/^\d+$/.test(seqId)) issues.push({ field: 'seqId', rule: 'integer', message: 'seqId must be a non-negative integer', got: shape(input.seqId) });
  checkText(issues, 'errorMsg', input.errorMsg, { required: false });
  if (issues.length > 0) throw new MmspValidationError(issues);
  const defaults = headerDefaults(input.family ?? 'quickPay');
  const str = (s: string): string => JSON.stringify(s);
  return (
    `{"CommandID":${NEGATIVE_RESPONSE_COMMAND_ID},"SeqID":${Number(seqId)},"NodeType":${input.nodeType ?? defaults.nodeType},` +
    `"NodeID":${str(input.nodeId ?? defaults.nodeId)},"Version":${str(input.version ?? defaults.version)},` +
    `"RetCode":${Number(retCode)},${str(input.errorMsgField ?? 'ErrorMsg')}:${str(input.errorMsg ?? '')},"Body":"","Sign":"",` +
    `"AGENTNO":${input.agentNo ? str(input.agentNo) : 'null'},"MERNO":${str(input.merchantNo ?? '')},"TERMNO":${str(input.terminalNo ?? '')}}`
  );
}

// ---------------------------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------------------------

/** The top-level fields of an envelope: the PHP model (`PhpArray`) or the fast path's header (php/flat-envelope.ts). */
interface Fields {
  get(field: string): PhpValue | undefined;
  has(field: string): boolean;
}

/** A PHP value read from the header, or the reason it cannot be used. */
type Read<T> = { ok: true; value: T } | { ok: false; rule: string; message: string; got: string };

function phpShape(value: PhpValue | undefined): string {
  if (value === undefined) return 'missing';
  if (value instanceof PhpArray) return 'object';
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) return 'float';
  return shape(value);
}

/** An integer header field: JSON integer, or a string of digits (the examples send `"SeqID":"1"`, PROTOCOL §2). */
function readInt(raw: Fields, field: string): Read<number> {
  const v = raw.get(field);
  // An integral float (`1.0`, `1e2`) is the integer, as PHP's `==` and JSON.parse read it (php/flat-envelope.ts).
  const n = v instanceof PhpFloat ? v.value : v;
  if (typeof n === 'number' && Number.isSafeInteger(n)) return { ok: true, value: n === 0 ? 0 : n };
  if (typeof v === 'string' && /^-?\d{1,15}$/.test(v.trim())) return { ok: true, value: Number(v.trim()) };
  if (v === undefined) return { ok: false, rule: 'required', message: `${field} is missing`, got: 'missing' };
  return { ok: false, rule: 'integer', message: `${field} must be an integer (or a string of digits)`, got: phpShape(v) };
}

/** A text header field; `null` and absence read as `""` when `optional`. */
function readText(raw: Fields, field: string, optional: boolean): Read<string> {
  const v = raw.get(field);
  if (typeof v === 'string') return { ok: true, value: v };
  if ((v === undefined || v === null) && optional) return { ok: true, value: '' };
  if (v === undefined) return { ok: false, rule: 'required', message: `${field} is missing`, got: 'missing' };
  if (typeof v === 'number' || typeof v === 'bigint') return { ok: true, value: String(v) };
  if (v instanceof PhpFloat && Number.isSafeInteger(v.value)) return { ok: true, value: String(v.value) };
  return { ok: false, rule: 'type', message: `${field} must be a string`, got: phpShape(v) };
}

function decodeEnvelope(text: unknown): PhpArray {
  if (typeof text !== 'string') {
    throw new MmspEncodingError(`The envelope must be JSON text; got ${shape(text)}`);
  }
  let raw: PhpValue;
  try {
    raw = phpJsonDecode(text);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new MmspEncodingError(`The envelope is not valid JSON: ${reason}`, { cause: err });
  }
  if (!(raw instanceof PhpArray)) {
    throw new MmspEncodingError(`The envelope must be a JSON object with CommandID, …, Body and Sign; got ${phpShape(raw)}`);
  }
  return raw;
}

type BodyRead = { ok: true; body: PhpArray | PhpValue[] } | { ok: false; rule: string; message: string; got: string };

/** Body: an object (PROTOCOL §2), or a JSON string holding one (the tables type it "string(x)"). */
function readBody(raw: PhpArray): BodyRead {
  const v = raw.get('Body');
  if (v instanceof PhpArray || Array.isArray(v)) return { ok: true, body: v };
  if (typeof v === 'string' && v.trim() !== '') {
    let inner: PhpValue;
    try {
      inner = phpJsonDecode(v);
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      return { ok: false, rule: 'json', message: `Body is a string that is not valid JSON: ${reason}`, got: `string(${v.length})` };
    }
    if (inner instanceof PhpArray || Array.isArray(inner)) return { ok: true, body: inner };
    return { ok: false, rule: 'type', message: 'Body is a JSON string that does not hold an object', got: phpShape(inner) };
  }
  if (v === undefined || v === '' || v === null) return { ok: false, rule: 'required', message: 'Body is missing or empty', got: phpShape(v) };
  return { ok: false, rule: 'type', message: 'Body must be an object (or a JSON string holding one)', got: phpShape(v) };
}

function plainOf(body: PhpArray | PhpValue[]): Record<string, unknown> {
  const plain = toPlain(body);
  if (Array.isArray(plain)) {
    // `{}` decodes to an empty list in PHP (PROTOCOL §3): present it as an empty object.
    const out: Record<string, unknown> = {};
    plain.forEach((v, i) => {
      out[String(i)] = v;
    });
    return out;
  }
  return plain as Record<string, unknown>;
}

/**
 * An envelope whose protocol layer succeeded and whose signature verified. For the common flat
 * envelope (php/flat-envelope.ts) `body`, `bodyText` and `raw` are getters that are computed on first
 * use, with the same values; `JSON.stringify` shows them all, an object spread copies the rest.
 */
export interface OpenedEnvelope {
  /** `CommandID`: the response id (or the notification id, e.g. 35104). */
  commandId: number;
  /** `SeqID`, as an integer (the examples also send it as a string of digits). */
  seqId: number;
  /** `NodeType`. */
  nodeType: number;
  /** `NodeID`. */
  nodeId: string;
  /** `Version`. */
  version: string;
  /** `""` when absent or `null` (the examples send `"AGENTNO": null`). */
  agentNo: string;
  /** `MERNO`. */
  merchantNo: string;
  /** `TERMNO`. */
  terminalNo: string;
  /** 1, or `undefined` when the message carries no RetCode (a request-style push, e.g. scan-code 2324). */
  retCode: number | undefined;
  /** `ErrorMsg` or `ErrMsg` (the document uses both), `""` when absent. */
  errorMsg: string;
  /** The verified Body in the lossless PHP model. */
  body: PhpValue;
  /** The Body re-encoded the PHP way (ksorted): the text that was hashed, without `&key=`. */
  bodyText: string;
  /** The Body as plain JS (PhpArray → object, integral floats → number, int64 → bigint). */
  plainBody: Record<string, unknown>;
  /** `""` when the message carried none and `requireSignature` was false. */
  sign: string;
  /** Whether the signature was checked (always, unless `requireSignature: false` and no Sign). */
  signatureChecked: boolean;
  /** The whole envelope as PHP's `json_decode($text, true)` sees it. */
  raw: PhpArray;
}

/** How {@link openEnvelope} checks a message: the key(s) that verify it and what it must carry. */
export interface OpenEnvelopeOptions {
  /** The merchant's MD5 key. */
  key: string;
  /** Agency mode: when given, the agent's key verifies instead of the merchant's ("the agent's key takes priority"). */
  agentKey?: string;
  /** The response CommandID(s) expected; a mismatch is an `MmspProtocolError`. */
  expectCommandId?: number | readonly number[];
  /** How the Body is re-encoded for the signature check (PROTOCOL §3); the defaults are the document's. */
  signOptions?: SignOptions;
  /** Default true: a message without `Sign` is rejected. */
  requireSignature?: boolean;
  /** Default false: a message without `RetCode` is accepted (pushes); true rejects it (responses must carry it). */
  requireRetCode?: boolean;
  /**
   * Default false. True: a `Sign` inside the Body may be the signature (快捷 §5.4.3's SMS-confirm
   * answer carries `"Body":{…,"Sign":"…"}` and no `Sign` after it; PROTOCOL §11 item 29): when the
   * message has no `Sign` of its own, or its `Sign` does not match the whole Body, the Body's
   * `Sign` (or the message's) is checked over the rest of the Body, which is then the verified
   * Body. Every variant needs the key's MD5, so nothing unsigned is ever accepted. The client sets
   * it for responses, never for pushed notifications.
   */
  signInBody?: boolean;
}

/** The Body without its own `Sign` key, and that key's text (快捷 §5.4.3); undefined when it has no text `Sign`. */
function innerSignOfModel(body: PhpValue): { rest: PhpArray; sign: string } | undefined {
  if (!(body instanceof PhpArray)) return undefined;
  const sign = body.get('Sign');
  if (typeof sign !== 'string') return undefined;
  return { rest: new PhpArray([...body.entries()].filter(([k]) => k !== 'Sign')), sign };
}

/** {@link innerSignOfModel} for a fast-path (plain) Body. */
function innerSignOfPlain(body: Record<string, unknown>): { rest: Record<string, unknown>; sign: string } | undefined {
  if (!Object.hasOwn(body, 'Sign') || typeof body.Sign !== 'string') return undefined;
  const { Sign: sign, ...rest } = body;
  return { rest, sign: sign as string };
}

function fail(r: { message: string; got: string }): never {
  throw new MmspEncodingError(`Envelope: ${r.message} (got ${r.got})`);
}

/**
 * Opens a response or a pushed notification. In order (PROTOCOL §2, two-layer logic):
 * 1. not JSON / not an object / unusable header → `MmspEncodingError`;
 * 2. CommandID 32768 (negative response) → `MmspProtocolError` with its `RetCode` and message,
 *    without any signature check (it carries none);
 * 3. `RetCode` ≠ 1 (or missing, with `requireRetCode`) → `MmspProtocolError`;
 * 4. `expectCommandId` not matched → `MmspProtocolError` ("expected …, got …");
 * 5. Body unusable → `MmspEncodingError`;
 * 6. signature over the re-encoded Body (constant time, case-insensitive) → `MmspSignatureError`,
 *    which never carries the Body.
 *
 * @example
 * ```ts
 * import { openEnvelope } from '@mmsp/codec';
 *
 * declare const responseText: string; // the raw text the platform answered
 * const opened = openEnvelope(responseText, { key: 'your-md5-key', expectCommandId: 35074 });
 * console.log(opened.retCode, opened.plainBody); // 1, the verified Body as plain JS
 * ```
 */
export function openEnvelope(text: string, options: OpenEnvelopeOptions): OpenedEnvelope {
  if (options === null || typeof options !== 'object' || typeof options.key !== 'string' || options.key === '') {
    throw new TypeError('openEnvelope: options.key (the MD5 key) must be a non-empty string');
  }
  // The common flat envelope is read in one pass (php/flat-envelope.ts); anything else, and every
  // error, goes through the lossless PHP model. Both give the same values to the checks below.
  const fast = parseFlatEnvelope(text);
  if (fast !== undefined) {
    const header = plainHeader(fast.top, options);
    if (header !== undefined) return verifyFlat(header, fast.body, text, options);
  }
  const model: PhpArray | undefined = fast === undefined ? decodeEnvelope(text) : undefined;
  const raw: Fields = model ?? topFields(fast!.top);

  const commandId = readInt(raw, 'CommandID');
  if (!commandId.ok) fail(commandId);
  const retCodeRead = readInt(raw, 'RetCode');
  const errorMsgRead = raw.has('ErrorMsg') ? readText(raw, 'ErrorMsg', true) : readText(raw, 'ErrMsg', true);
  const errorMsg = errorMsgRead.ok ? errorMsgRead.value : '';

  if (commandId.value === NEGATIVE_RESPONSE_COMMAND_ID) {
    const retCode = retCodeRead.ok ? String(retCodeRead.value) : undefined;
    throw new MmspProtocolError(
      `The platform answered with a negative response (CommandID 32768, RetCode ${retCode ?? 'missing'})${errorMsg ? `: ${errorMsg}` : ''}`,
      { commandId: NEGATIVE_RESPONSE_COMMAND_ID, ...(retCode !== undefined ? { retCode } : {}), platformMessage: errorMsg },
    );
  }
  // RetCode absent (or null): responses must carry it (the tables: 应答包必须带有该字段), but a pushed
  // notification may be a request-style envelope without it (scan code 2324). It is never signed,
  // so its absence changes nothing about trust; `requireRetCode` makes it mandatory.
  const retCodeAbsent = !raw.has('RetCode') || raw.get('RetCode') === null;
  if (retCodeAbsent && options.requireRetCode === true) {
    throw new MmspProtocolError(`Envelope RetCode is missing (got missing); only RetCode 1 is success`, {
      commandId: commandId.value,
      ...(errorMsg ? { platformMessage: errorMsg } : {}),
    });
  }
  if (!retCodeAbsent && !retCodeRead.ok) {
    throw new MmspProtocolError(`Envelope RetCode: ${retCodeRead.message} (got ${retCodeRead.got}); only RetCode 1 is success`, {
      commandId: commandId.value,
      ...(errorMsg ? { platformMessage: errorMsg } : {}),
    });
  }
  if (retCodeRead.ok && retCodeRead.value !== 1) {
    throw new MmspProtocolError(
      `The platform answered RetCode ${retCodeRead.value} (only 1 is success)${errorMsg ? `: ${errorMsg}` : ''}`,
      { commandId: commandId.value, retCode: String(retCodeRead.value), platformMessage: errorMsg },
    );
  }
  if (options.expectCommandId !== undefined) {
    const expected = typeof options.expectCommandId === 'number' ? [options.expectCommandId] : [...options.expectCommandId];
    if (!expected.includes(commandId.value)) {
      throw new MmspProtocolError(
        `Unexpected CommandID: expected ${expected.join(' or ')}, got ${commandId.value}`,
        { commandId: commandId.value, retCode: '1' },
      );
    }
  }

  const seqId = readInt(raw, 'SeqID');
  if (!seqId.ok) fail(seqId);
  const nodeType = readInt(raw, 'NodeType');
  if (!nodeType.ok) fail(nodeType);
  const header: Record<'NodeID' | 'Version' | 'AGENTNO' | 'MERNO' | 'TERMNO', string> = {
    NodeID: '', Version: '', AGENTNO: '', MERNO: '', TERMNO: '',
  };
  for (const field of Object.keys(header) as (keyof typeof header)[]) {
    // Responses do not always echo every header field (the one-line examples stop at Body).
    const r = readText(raw, field, true);
    if (!r.ok) fail(r);
    header[field] = r.value;
  }

  const retCode = retCodeRead.ok ? retCodeRead.value : undefined;
  if (fast !== undefined) {
    // The flat Body is fine by construction; the Sign is read as the exact path reads it.
    const signRead = readText(raw, 'Sign', true);
    if (!signRead.ok) fail(signRead);
    const h: PlainHeader = {
      commandId: commandId.value, seqId: seqId.value, nodeType: nodeType.value, nodeId: header.NodeID, version: header.Version,
      agentNo: header.AGENTNO, merchantNo: header.MERNO, terminalNo: header.TERMNO, retCode, errorMsg, sign: signRead.value,
    };
    return verifyFlat(h, fast.body, text, options);
  }

  const body = readBody(model!);
  if (!body.ok) throw new MmspEncodingError(`Envelope field Body: ${body.message} (got ${body.got})`);

  const signRead = readText(raw, 'Sign', true);
  if (!signRead.ok) fail(signRead);
  let sign = signRead.value;
  let bodyModel = body.body;
  const requireSignature = options.requireSignature ?? true;
  const usingAgentKey = options.agentKey !== undefined && options.agentKey !== '';
  const verifyKey = usingAgentKey ? (options.agentKey as string) : options.key;
  let signatureChecked = false;
  let bodyText: string | undefined;
  // The Body is encoded the PHP way once per candidate: hashed here and returned as bodyText. Same
  // rules as md5Verify: key checked first, 32 hex digits in any case, compared in constant time.
  const hook = options.signOptions?.md5;
  const verifies = (text: string, s: string): boolean =>
    s.length === 32 && (hook === undefined ? md5MatchesHex(`${text}&key=${verifyKey}`, s) : constantTimeEqual(md5OfSigningString(text, verifyKey, hook), s, true));
  const inner = options.signInBody === true ? innerSignOfModel(bodyModel) : undefined;
  if (sign === '' && inner === undefined) {
    if (requireSignature) {
      throw new MmspSignatureError(`The message (CommandID ${commandId.value}) carries no Sign: it is not trusted.`);
    }
  } else {
    checkKey(verifyKey);
    if (sign !== '') bodyText = signingString(bodyModel, options.signOptions);
    if (bodyText === undefined || !verifies(bodyText, sign)) {
      // 快捷 §5.4.3: the signature inside the Body, over the rest of it (signInBody only).
      const restText = inner && signingString(inner.rest, options.signOptions);
      const signer = restText === undefined ? undefined : [inner!.sign, sign].find((s) => s !== '' && verifies(restText, s));
      if (signer === undefined) throw signatureMismatch(commandId.value, usingAgentKey, header.AGENTNO);
      bodyModel = inner!.rest;
      bodyText = restText;
      sign = signer;
    }
    signatureChecked = true;
  }

  return {
    commandId: commandId.value,
    seqId: seqId.value,
    nodeType: nodeType.value,
    nodeId: header.NodeID,
    version: header.Version,
    agentNo: header.AGENTNO,
    merchantNo: header.MERNO,
    terminalNo: header.TERMNO,
    retCode,
    errorMsg,
    body: bodyModel,
    bodyText: bodyText ?? signingString(bodyModel, options.signOptions),
    plainBody: plainOf(bodyModel),
    sign,
    signatureChecked,
    raw: model!,
  };
}

/**
 * An envelope read on the fast path (php/flat-envelope.ts). `plainBody` is the parsed Body itself;
 * the PHP model (`raw`, `body`) and `bodyText` are getters that make it on first use, with the
 * values the exact path gives (a receiver needs only `plainBody`). `toJSON` lists them all, as
 * for an envelope read on the exact path; an object spread copies only the data fields.
 */
class LazyOpenedEnvelope implements OpenedEnvelope {
  readonly #text: string;
  readonly #signOptions: SignOptions | undefined;
  /** The signature sat inside the Body (快捷 §5.4.3): the verified Body is the rest of it. */
  readonly #signInBody: boolean;
  #raw: PhpArray | undefined;
  #bodyText: string | undefined;
  readonly commandId: number;
  readonly seqId: number;
  readonly nodeType: number;
  readonly nodeId: string;
  readonly version: string;
  readonly agentNo: string;
  readonly merchantNo: string;
  readonly terminalNo: string;
  readonly retCode: number | undefined;
  readonly errorMsg: string;
  readonly plainBody: Record<string, unknown>;
  readonly sign: string;
  readonly signatureChecked: boolean;
  constructor(h: PlainHeader, plainBody: Record<string, unknown>, signatureChecked: boolean, text: string, signOptions: SignOptions | undefined, signInBody = false) {
    this.commandId = h.commandId;
    this.seqId = h.seqId;
    this.nodeType = h.nodeType;
    this.nodeId = h.nodeId;
    this.version = h.version;
    this.agentNo = h.agentNo;
    this.merchantNo = h.merchantNo;
    this.terminalNo = h.terminalNo;
    this.retCode = h.retCode;
    this.errorMsg = h.errorMsg;
    this.plainBody = plainBody;
    this.sign = h.sign;
    this.signatureChecked = signatureChecked;
    this.#text = text;
    this.#signOptions = signOptions;
    this.#signInBody = signInBody;
  }
  get raw(): PhpArray {
    return (this.#raw ??= decodeEnvelope(this.#text));
  }
  get body(): PhpValue {
    const body = this.raw.get('Body')!;
    return this.#signInBody ? (innerSignOfModel(body)?.rest ?? body) : body;
  }
  get bodyText(): string {
    return (this.#bodyText ??= signingString(this.plainBody, this.#signOptions));
  }
  /** The exact path's fields, in its order. */
  toJSON(): OpenedEnvelope {
    const { commandId, seqId, nodeType, nodeId, version, agentNo, merchantNo, terminalNo, retCode, errorMsg, plainBody, sign, signatureChecked } = this;
    return { commandId, seqId, nodeType, nodeId, version, agentNo, merchantNo, terminalNo, retCode, errorMsg, body: this.body, bodyText: this.bodyText, plainBody, sign, signatureChecked, raw: this.raw };
  }
}

/** The header fields `openEnvelope` returns. */
type PlainHeader = Omit<OpenedEnvelope, 'body' | 'bodyText' | 'plainBody' | 'signatureChecked' | 'raw'>;

/** A top-level text field read as `readText(…, optional)` reads it, or undefined when that path must decide. */
function plainText(top: Record<string, unknown>, field: string): string | undefined {
  if (!Object.hasOwn(top, field)) return '';
  const v = top[field];
  return typeof v === 'string' ? v : v === null ? '' : undefined;
}

/**
 * The header of a fast-path envelope whose every field has its ordinary type (integers as
 * numbers, texts as strings or null) and that passes the protocol checks, read without the
 * generic readers; `undefined` for anything else, which `openEnvelope` then reads field by field
 * (same values, and the exact errors).
 */
function plainHeader(top: Record<string, unknown>, options: OpenEnvelopeOptions): PlainHeader | undefined {
  const own = (f: string): unknown => (Object.hasOwn(top, f) ? top[f] : undefined);
  const commandId = own('CommandID');
  const seqId = own('SeqID');
  const nodeType = own('NodeType');
  const retCode = own('RetCode');
  if (typeof commandId !== 'number' || commandId === NEGATIVE_RESPONSE_COMMAND_ID || typeof seqId !== 'number' || typeof nodeType !== 'number') return undefined;
  if (retCode === undefined || retCode === null ? options.requireRetCode === true : retCode !== 1) return undefined;
  if (options.expectCommandId !== undefined && (typeof options.expectCommandId === 'number' ? options.expectCommandId !== commandId : !options.expectCommandId.includes(commandId))) return undefined;
  const message = Object.hasOwn(top, 'ErrorMsg') ? top.ErrorMsg : own('ErrMsg');
  const nodeId = plainText(top, 'NodeID');
  const version = plainText(top, 'Version');
  const agentNo = plainText(top, 'AGENTNO');
  const merchantNo = plainText(top, 'MERNO');
  const terminalNo = plainText(top, 'TERMNO');
  const sign = plainText(top, 'Sign');
  if (nodeId === undefined || version === undefined || agentNo === undefined || merchantNo === undefined || terminalNo === undefined || sign === undefined) return undefined;
  return {
    commandId: commandId === 0 ? 0 : commandId,
    seqId: seqId === 0 ? 0 : seqId,
    nodeType: nodeType === 0 ? 0 : nodeType,
    nodeId, version, agentNo, merchantNo, terminalNo,
    retCode: retCode === 1 ? 1 : undefined,
    errorMsg: typeof message === 'string' ? message : typeof message === 'number' ? String(message) : '',
    sign,
  };
}

/** Step 6 of `openEnvelope` for a fast-path envelope: the flat Body's signing bytes go straight into MD5 (md5Verify). */
function verifyFlat(h: PlainHeader, body: Record<string, unknown>, text: string, options: OpenEnvelopeOptions): OpenedEnvelope {
  let signatureChecked = false;
  const inner = options.signInBody === true ? innerSignOfPlain(body) : undefined;
  if (h.sign === '' && inner === undefined) {
    if (options.requireSignature ?? true) throw new MmspSignatureError(`The message (CommandID ${h.commandId}) carries no Sign: it is not trusted.`);
  } else {
    const usingAgentKey = options.agentKey !== undefined && options.agentKey !== '';
    const verifyKey = usingAgentKey ? (options.agentKey as string) : options.key;
    checkKey(verifyKey);
    if (h.sign === '' || !md5Verify(body, h.sign, verifyKey, options.signOptions)) {
      // 快捷 §5.4.3: the signature inside the Body, over the rest of it (signInBody only).
      const signer = inner && [inner.sign, h.sign].find((s) => s !== '' && md5Verify(inner.rest, s, verifyKey, options.signOptions));
      if (signer === undefined) throw signatureMismatch(h.commandId, usingAgentKey, h.agentNo);
      // The verified Body is the rest; the lazy model fields are made from it, not from the text.
      return new LazyOpenedEnvelope({ ...h, sign: signer }, inner!.rest, true, text, options.signOptions, true);
    }
    signatureChecked = true;
  }
  return new LazyOpenedEnvelope(h, body, signatureChecked, text, options.signOptions);
}

/** Never echoes the Body: its content is not trusted. */
function signatureMismatch(commandId: number, usingAgentKey: boolean, agentNo: string): MmspSignatureError {
  return new MmspSignatureError(
    `The signature of the message (CommandID ${commandId}) does not match the Body re-encoded the PHP way ` +
      `(checked with the ${usingAgentKey ? 'agent' : 'merchant'} key): the message is not trusted.` +
      (!usingAgentKey && agentNo !== '' ? ' The message names an AGENTNO: in agency mode, pass agentKey.' : ''),
  );
}

/** The fast path's top-level object as `Fields` (own properties only). */
function topFields(top: Record<string, PhpValue>): Fields {
  return { get: (field) => (Object.hasOwn(top, field) ? top[field] : undefined), has: (field) => Object.hasOwn(top, field) };
}

// ---------------------------------------------------------------------------------------------
// Platform side
// ---------------------------------------------------------------------------------------------

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
      const expected = typeof options.expectCommandId === 'number' ? [options.expectCommandId] : [...options.expectCommandId];
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
      issues.push({ field: 'Version', rule: 'enum', message: 'Version must be "1.0.0" (the protocol version)', got: shape(version.value) });
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
        issues.push({ field, rule: 'maxLength', message: `${field} is at most ${max} characters`, got: shape(r.value) });
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
      issues.push({ field, rule: 'unknown', message: `${field} is not the merchant this endpoint serves`, got: shape(got) });
    }
  };
  expectParty('MERNO', result.merchantNo, options.merchantNo);
  expectParty('TERMNO', result.terminalNo, options.terminalNo);
  if (options.agentNo !== undefined && result.agentNo !== options.agentNo) {
    issues.push({ field: 'AGENTNO', rule: 'unknown', message: 'AGENTNO is not the agent this endpoint serves', got: shape(result.agentNo) });
  }

  const body = readBody(raw);
  if (body.ok) {
    result.body = body.body;
    result.plainBody = plainOf(body.body);
    try {
      result.bodyText = signingString(body.body, options.signOptions);
    } catch (err) {
      issues.push({ field: 'Body', rule: 'encoding', message: `Body cannot be encoded the PHP way: ${(err as Error).message}`, got: 'object' });
    }
  } else push('Body', body);

  const sign = readText(raw, 'Sign', false);
  if (sign.ok && /^[0-9a-fA-F]{32}$/.test(sign.value)) result.sign = sign.value;
  else if (sign.ok) {
    result.sign = sign.value;
    issues.push({ field: 'Sign', rule: 'format', message: 'Sign must be 32 hexadecimal characters (MD5)', got: shape(sign.value) });
  } else push('Sign', sign);

  // Key: "the agent's key first, then the merchant's" (密钥使用优先级): in agency mode the agent's
  // key verifies when the agent has one, otherwise the merchant's (as buildEnvelope signs).
  const who: RequestParties = { merchantNo: result.merchantNo ?? '', terminalNo: result.terminalNo ?? '', agentNo: result.agentNo };
  const resolve = (k: ParseRequestOptions['key'] | undefined): string | undefined => (typeof k === 'function' ? k(who) : k);
  let key: string | undefined = result.agentNo !== '' ? resolve(options.agentKey) : undefined;
  let keyName = 'agent';
  if (key === undefined || key === '') {
    key = resolve(options.key);
    keyName = 'merchant';
    if ((key === undefined || key === '') && result.merchantNo !== undefined) {
      issues.push({ field: 'MERNO', rule: 'unknown', message: 'No MD5 key is known for this MERNO / TERMNO', got: shape(result.merchantNo) });
    }
  }
  if (key && body.ok && result.sign !== undefined && /^[0-9a-fA-F]{32}$/.test(result.sign) && result.bodyText !== undefined) {
    result.signatureValid = md5Verify(body.body, result.sign, key, options.signOptions);
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
