/**
 * Writing envelopes (PROTOCOL §2): `buildEnvelope` writes the exact wire text of a request (or, for
 * the sandbox, a response), signed on the one signing route; `negativeResponse` writes the 32768
 * negative response (platform side). The signature covers the Body only (PROTOCOL §3).
 */
import type { Family } from '../crypto-provider.js';
import { MmspValidationError, type FieldIssue } from '../errors.js';
import { phpJsonEncode } from '../php-json/encode.js';
import { fromJs, toWireJson } from '../php-json/js.js';
import { standaloneSigner } from '../signing/sign.js';
import { changesSigningBytes, type Signer, type SignOptions } from '../signing/signer.js';
import {
  checkInt,
  checkText,
  headerDefaults,
  NEGATIVE_RESPONSE_COMMAND_ID,
  shape,
  type EnvelopeFamily,
  type HeaderDefaults,
} from './header.js';

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
  /** The signer (a client passes its own); default the standalone functions' signer. */
  signer?: Signer;
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

/**
 * Builds the exact wire text of an envelope. Header fields are written in the document's order
 * (PROTOCOL §2) with integers as integers. A Body of text and integer fields named like the
 * document's (a letter or `_` first) is written as its signing text (keys in `ksort` order), any
 * other with `toWireJson` (keys as given): either way what PHP decodes is exactly what `md5Sign` signed.
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
  const defaults = checkHeader(issues, input, input);
  if (input.retCode !== undefined && !/^-?\d+$/.test(String(input.retCode))) {
    issues.push({
      field: 'retCode',
      rule: 'integer',
      message: 'retCode must be an integer',
      got: shape(input.retCode),
    });
  }
  checkBody(issues, input.body);
  if (issues.length > 0 || defaults === undefined) throw new MmspValidationError(issues);

  const nodeType = input.nodeType ?? defaults.nodeType;
  const nodeId = input.nodeId ?? defaults.nodeId;
  const version = input.version ?? defaults.version;
  const agentNo = input.agentNo ?? '';
  // PROTOCOL §2/§3: "the agent's key takes priority over the merchant's" (agency mode).
  const signingKey = agentNo !== '' && input.agentKey !== undefined ? input.agentKey : input.key;

  const platform = input.platformEscaping === true;
  // The Body is encoded the PHP way once: hashed, returned as signingString, and (see bodyText) written.
  const { sign, signingString: hashed } = (input.signer ?? standaloneSigner()).signAndString(
    input.body,
    signingKey,
    input.signOptions,
  );
  const bodyWire = platform
    ? phpJsonEncode(fromJs(input.body), { escapeUnicode: true })
    : bodyText(input.body, hashed, input.signOptions);
  // Header strings: JSON.stringify escapes nothing unusual; the platform style is PHP's default json_encode.
  const str = platform ? platformString : JSON.stringify;

  let text: string;
  if (input.retCode === undefined) {
    // Request: CommandID, SeqID, NodeType, NodeID, Version, AGENTNO, MERNO, TERMNO, Body, Sign.
    text =
      `{"CommandID":${input.commandId},"SeqID":${input.seqId}` +
      requestHeader(nodeType, str(nodeId), str(version), str(agentNo), str(input.merchantNo), str(input.terminalNo)) +
      `${bodyWire},"Sign":${str(sign)}}`;
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

function platformString(s: string): string {
  return phpJsonEncode(s, { escapeUnicode: true });
}

/** A request's header after `SeqID`, up to the Body: `,"NodeType":3,…,"TERMNO":"…","Body":` (fields already encoded). */
function requestHeader(
  nodeType: number,
  nodeId: string,
  version: string,
  agentNo: string,
  merchantNo: string,
  terminalNo: string,
): string {
  return `,"NodeType":${nodeType},"NodeID":${nodeId},"Version":${version},"AGENTNO":${agentNo},"MERNO":${merchantNo},"TERMNO":${terminalNo},"Body":`;
}

/**
 * The Body's wire text. A Body of text and integer fields whose names begin with a letter or `_`,
 * signed with the document's flags (`\/`, raw UTF-8), is written as its signing text:
 * `json_encode(ksort(json_decode($wire, true)['Body']), JSON_UNESCAPED_UNICODE)` is a JSON text of
 * the very array PHP decodes from `toWireJson(body)`, keys in `ksort` order, and such names (never
 * numeric, so compared as plain strings) sort the same from any order: the platform decodes the
 * same fields and signs the same bytes (PROTOCOL §3; test/envelope-body-text.test.ts and the PHP
 * differential test prove it). Numeric names are not: PHP 8 compares `9`, `10` and `1:` without a
 * total order, so their `ksort` depends on the order received. Any other Body (numeric names,
 * nested values, floats, `PhpArray`, other flags) is written with `toWireJson`, keys as given.
 */
function bodyText(body: object, signingString: string, options: SignOptions | undefined): string {
  if (changesSigningBytes(options)) return toWireJson(body);
  const proto: unknown = Object.getPrototypeOf(body);
  if (proto !== Object.prototype && proto !== null) return toWireJson(body);
  const fields = body as Record<string, unknown>;
  for (const k in fields) {
    if (!Object.prototype.hasOwnProperty.call(fields, k)) return toWireJson(body);
    const c = k.charCodeAt(0) | 0x20; // letters folded to lower case; '_' (0x5f) becomes 0x7f
    if (!((c >= 0x61 && c <= 0x7a) || c === 0x7f)) return toWireJson(body);
    const v = fields[k];
    if (typeof v !== 'string' && !(typeof v === 'number' && Number.isSafeInteger(v))) return toWireJson(body);
  }
  return signingString;
}

/** What fixes an {@link EnvelopeWriter}: the header fields that are the same on every request of one client and family. */
export interface EnvelopeWriterInput {
  /** The family (`quickPay`, `scan` or `gateway`; payout has no envelope). */
  family: Family;
  /** `MERNO`: the merchant number. */
  merchantNo: string;
  /** `TERMNO`: the terminal number. */
  terminalNo: string;
  /** The merchant's MD5 key. Never written to the text, an error or a log. */
  key: string;
  /** Agency mode (机构模式): AGENTNO. Without it AGENTNO is `""`. */
  agentNo?: string;
  /** The agent's MD5 key: it signs instead of the merchant's key when `agentNo` is given too. */
  agentKey?: string;
  /** `NodeType`; default the family's (3). */
  nodeType?: number;
  /** `NodeID`; default the family's. */
  nodeId?: string;
  /** `Version`; default `1.0.0`. */
  version?: string;
  /** How the Body is encoded for signing (PROTOCOL §3); the defaults are the document's. */
  signOptions?: SignOptions;
  /** The signer (a client passes its own); default the standalone functions' signer. */
  signer?: Signer;
}

/**
 * Writes request envelopes of one merchant and family: the fixed header fields are checked and
 * encoded once, when the writer is made; each {@link EnvelopeWriter.write} checks `CommandID`,
 * `SeqID` and the Body and writes exactly the text {@link buildEnvelope} writes for the same input.
 * A client makes one per family.
 *
 * Throws `MmspValidationError` listing every problem of the header fields (never a key's value).
 *
 * @example
 * ```ts
 * import { EnvelopeWriter } from '@mmsp/codec';
 *
 * const writer = new EnvelopeWriter({ family: 'scan', merchantNo: '001440353999853', terminalNo: '84970001', key: 'your-md5-key' });
 * const text = writer.write(2310, 1, { MERORDERID: '20261126000001', RANDSTR: 'k3J9x0Qa' }); // scan.query
 * ```
 */
export class EnvelopeWriter {
  /** `,"NodeType":…,"Body":`, encoded once. */
  readonly #header: string;
  readonly #signingKey: string;
  readonly #signer: Signer;
  readonly #signOptions: SignOptions | undefined;

  constructor(input: EnvelopeWriterInput) {
    const issues: FieldIssue[] = [];
    const defaults = checkHeader(issues, input);
    if (issues.length > 0 || defaults === undefined) throw new MmspValidationError(issues);
    const agentNo = input.agentNo ?? '';
    this.#signingKey = agentNo !== '' && input.agentKey !== undefined ? input.agentKey : input.key;
    this.#signer = input.signer ?? standaloneSigner();
    this.#signOptions = input.signOptions;
    // The signer refuses an unusable key now, not on the first request.
    this.#signer.checkKey(this.#signingKey);
    const str = JSON.stringify;
    this.#header = requestHeader(
      input.nodeType ?? defaults.nodeType,
      str(input.nodeId ?? defaults.nodeId),
      str(input.version ?? defaults.version),
      str(agentNo),
      str(input.merchantNo),
      str(input.terminalNo),
    );
  }

  /** The wire text of a request: `commandId` (the operation's request id), `seqId`, and the Body in wire field names. */
  write(commandId: number, seqId: number, body: object): string {
    if (
      !Number.isSafeInteger(commandId) ||
      commandId < 1 ||
      !Number.isSafeInteger(seqId) ||
      seqId < 0 ||
      body === null ||
      typeof body !== 'object' ||
      Array.isArray(body)
    ) {
      const issues: FieldIssue[] = [];
      checkInt(issues, 'commandId', commandId, 1);
      checkInt(issues, 'seqId', seqId, 0);
      checkBody(issues, body);
      throw new MmspValidationError(issues);
    }
    const { sign, signingString } = this.#signer.signAndString(body, this.#signingKey, this.#signOptions);
    return `{"CommandID":${commandId},"SeqID":${seqId}${this.#header}${bodyText(body, signingString, this.#signOptions)},"Sign":"${sign}"}`;
  }
}

/**
 * The checks of the header fields both writers share, in the order their problems are listed:
 * the family, `CommandID` and `SeqID` (when `ids` is given: `buildEnvelope`, whose request ids
 * come with the header; an `EnvelopeWriter` checks them per request), `NodeType`, then the text
 * fields. Returns the family's header defaults, `undefined` for an unknown family.
 */
function checkHeader(
  issues: FieldIssue[],
  input: EnvelopeWriterInput & Pick<BuildEnvelopeInput, 'errorMsg'>,
  ids?: { commandId: number; seqId: number },
): HeaderDefaults | undefined {
  let defaults: HeaderDefaults | undefined;
  try {
    defaults = headerDefaults(input.family);
  } catch (err) {
    issues.push({ field: 'family', rule: 'enum', message: (err as Error).message, got: shape(input.family) });
  }
  if (ids !== undefined) {
    checkInt(issues, 'commandId', ids.commandId, 1);
    checkInt(issues, 'seqId', ids.seqId, 0);
  }
  if (input.nodeType !== undefined) checkInt(issues, 'nodeType', input.nodeType, 0);
  checkParties(issues, input);
  return defaults;
}

/** The header's text fields, in the order their problems are listed. */
function checkParties(
  issues: FieldIssue[],
  input: Pick<
    BuildEnvelopeInput,
    'merchantNo' | 'terminalNo' | 'key' | 'nodeId' | 'version' | 'errorMsg' | 'agentNo' | 'agentKey'
  >,
): void {
  checkText(issues, 'merchantNo', input.merchantNo, { required: true });
  checkText(issues, 'terminalNo', input.terminalNo, { required: true });
  checkText(issues, 'key', input.key, { required: true, secret: true });
  checkText(issues, 'nodeId', input.nodeId, { required: false });
  checkText(issues, 'version', input.version, { required: false });
  checkText(issues, 'errorMsg', input.errorMsg, { required: false });
  if (input.agentNo !== undefined && input.agentNo !== '')
    checkText(issues, 'agentNo', input.agentNo, { required: true });
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
}

function checkBody(issues: FieldIssue[], body: unknown): void {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    issues.push({ field: 'Body', rule: 'type', message: 'Body must be an object of wire fields', got: shape(body) });
  }
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
    issues.push({
      field: 'retCode',
      rule: 'integer',
      message: 'retCode must be an integer other than 1 (1 is success)',
      got: shape(input.retCode),
    });
  }
  const seqId = String(input.seqId);
  if (!/^\d+$/.test(seqId))
    issues.push({
      field: 'seqId',
      rule: 'integer',
      message: 'seqId must be a non-negative integer',
      got: shape(input.seqId),
    });
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
