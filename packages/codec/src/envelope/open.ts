/**
 * Opening a response or a pushed notification (PROTOCOL §2, §3), on one route: read (by hand where the
 * text is the common flat envelope, envelope/flat-read.ts; the lossless PHP model otherwise) →
 * check the header once → verify the signature once, with the caller's `Signer`.
 */
import { MmspEncodingError, MmspProtocolError, MmspSignatureError } from '../errors.js';
import { PhpArray, type PhpValue } from '../php-json/value.js';
import { standaloneSigner } from '../signing/sign.js';
import type { Signer, SignOptions } from '../signing/signer.js';
import { parseFlatEnvelope, SLOT, type FlatScalar } from './flat-read.js';
import {
  decodeEnvelope,
  NEGATIVE_RESPONSE_COMMAND_ID,
  plainOf,
  readBody,
  readInt,
  readText,
  type Fields,
} from './header.js';

/**
 * An envelope whose protocol layer succeeded and whose signature verified. For the common flat
 * envelope (envelope/flat-read.ts) `body`, `bodyText` and `raw` are getters that are computed on first
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
  /** The signer that verifies (a client or a receiver passes its own); default the standalone functions' signer. */
  signer?: Signer;
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
  return openWith(text, options, true);
}

/** `openEnvelope` reading every text with the PHP model (the tests compare the two readers). Internal. */
export function openEnvelopeExactly(text: string, options: OpenEnvelopeOptions): OpenedEnvelope {
  return openWith(text, options, false);
}

function openWith(text: string, options: OpenEnvelopeOptions, fast: boolean): OpenedEnvelope {
  if (options === null || typeof options !== 'object' || typeof options.key !== 'string' || options.key === '') {
    throw new TypeError('openEnvelope: options.key (the MD5 key) must be a non-empty string');
  }
  // 1. Read: the common flat envelope by hand (envelope/flat-read.ts); anything else, and every
  // error, with the lossless PHP model. Both give the same values to the checks below.
  const flat = fast ? parseFlatEnvelope(text) : undefined;
  const model = flat === undefined ? decodeEnvelope(text) : undefined;
  const fields: Fields = model ?? flat!.top;

  // 2. The header, checked once (the flat reader's slots read directly when they hold what the platform writes).
  const h = (flat !== undefined ? readFlatHeader(flat.top.slots, options) : undefined) ?? readHeader(fields, options);

  // 3. The Body (the flat one is fine by construction), the Sign, and one verification.
  let bodyModel: PhpArray | PhpValue[] | undefined;
  if (model !== undefined) {
    const body = readBody(model);
    if (!body.ok) throw new MmspEncodingError(`Envelope field Body: ${body.message} (got ${body.got})`);
    bodyModel = body.body;
  }
  const flatSign = flat?.top.slots[SLOT.Sign];
  let sign: string;
  if (typeof flatSign === 'string') {
    sign = flatSign;
  } else {
    const signRead = readText(fields, 'Sign', true);
    if (!signRead.ok) fail(signRead);
    sign = signRead.value;
  }
  const signer: Signer = options.signer ?? standaloneSigner();
  const usingAgentKey = options.agentKey !== undefined && options.agentKey !== '';
  const verifyKey = usingAgentKey ? (options.agentKey as string) : options.key;
  // 快捷 §5.4.3: the signature may sit inside the Body (signInBody only; responses, never pushes).
  const inner =
    options.signInBody === true
      ? flat !== undefined
        ? innerSignOfPlain(flat.body)
        : innerSignOfModel(bodyModel!)
      : undefined;
  let plainBody: Record<string, unknown> | undefined = flat?.body;
  let signatureChecked = false;
  let bodyText: string | undefined;
  if (sign === '' && inner === undefined) {
    if (options.requireSignature ?? true) {
      throw new MmspSignatureError(`The message (CommandID ${h.commandId}) carries no Sign: it is not trusted.`);
    }
  } else {
    // Same rules as md5Verify: key checked first, 32 hex digits in any case, constant time.
    signer.checkKey(verifyKey);
    let matches = false;
    if (sign !== '') {
      if (flat !== undefined) {
        // The signing bytes straight from the text's slices (envelope/flat-read.ts).
        matches = signer.verifyWritten(flat, sign, verifyKey, options.signOptions);
      } else {
        // The PHP model's Body is encoded once: hashed here and returned as bodyText.
        bodyText = signer.signingString(bodyModel!, options.signOptions);
        matches = signer.verifySigningString(bodyText, sign, verifyKey, options.signOptions?.md5);
      }
    }
    if (!matches) {
      // The signature inside the Body, over the rest of it: the Body's own Sign or the message's.
      let found: string | undefined;
      if (inner !== undefined) {
        if (flat !== undefined) {
          const rest = inner.rest as Record<string, unknown>;
          found = [inner.sign, sign].find((s) => s !== '' && signer.verify(rest, s, verifyKey, options.signOptions));
          if (found !== undefined) plainBody = rest;
        } else {
          const rest = inner.rest as PhpArray;
          const restText = signer.signingString(rest, options.signOptions);
          found = [inner.sign, sign].find(
            (s) => s !== '' && signer.verifySigningString(restText, s, verifyKey, options.signOptions?.md5),
          );
          if (found !== undefined) {
            bodyModel = rest;
            bodyText = restText;
          }
        }
      }
      if (found === undefined) throw signatureMismatch(h.commandId, usingAgentKey, h.agentNo);
      sign = found;
      if (flat !== undefined)
        return new LazyOpenedEnvelope(h, sign, plainBody!, true, text, signer, options.signOptions, true);
    }
    signatureChecked = true;
  }
  if (flat !== undefined)
    return new LazyOpenedEnvelope(h, sign, plainBody!, signatureChecked, text, signer, options.signOptions);
  return {
    ...h,
    body: bodyModel!,
    bodyText: bodyText ?? signer.signingString(bodyModel!, options.signOptions),
    plainBody: plainOf(bodyModel!),
    sign,
    signatureChecked,
    raw: model!,
  };
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

/**
 * The header checks of `openEnvelope`, in order (steps 1–4, then the remaining header fields):
 * CommandID, the negative response, RetCode, the expected CommandID, SeqID, NodeType, the texts.
 */
function readHeader(raw: Fields, options: OpenEnvelopeOptions): Omit<PlainHeader, 'sign'> {
  const commandId = readInt(raw, 'CommandID');
  if (!commandId.ok) fail(commandId);
  const retCodeRead = readInt(raw, 'RetCode');
  const errorMsgRead = raw.has('ErrorMsg') ? readText(raw, 'ErrorMsg', true) : readText(raw, 'ErrMsg', true);
  const errorMsg = errorMsgRead.ok ? errorMsgRead.value : '';

  if (commandId.value === NEGATIVE_RESPONSE_COMMAND_ID) {
    const retCode = retCodeRead.ok ? String(retCodeRead.value) : undefined;
    throw new MmspProtocolError(
      `The platform answered with a negative response (CommandID 32768, RetCode ${retCode ?? 'missing'})${errorMsg ? `: ${errorMsg}` : ''}`,
      {
        commandId: NEGATIVE_RESPONSE_COMMAND_ID,
        ...(retCode !== undefined ? { retCode } : {}),
        platformMessage: errorMsg,
      },
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
    throw new MmspProtocolError(
      `Envelope RetCode: ${retCodeRead.message} (got ${retCodeRead.got}); only RetCode 1 is success`,
      {
        commandId: commandId.value,
        ...(errorMsg ? { platformMessage: errorMsg } : {}),
      },
    );
  }
  if (retCodeRead.ok && retCodeRead.value !== 1) {
    throw new MmspProtocolError(
      `The platform answered RetCode ${retCodeRead.value} (only 1 is success)${errorMsg ? `: ${errorMsg}` : ''}`,
      { commandId: commandId.value, retCode: String(retCodeRead.value), platformMessage: errorMsg },
    );
  }
  const expect = options.expectCommandId;
  if (
    expect !== undefined &&
    (typeof expect === 'number' ? expect !== commandId.value : !expect.includes(commandId.value))
  ) {
    const expected = typeof expect === 'number' ? [expect] : expect;
    throw new MmspProtocolError(`Unexpected CommandID: expected ${expected.join(' or ')}, got ${commandId.value}`, {
      commandId: commandId.value,
      retCode: '1',
    });
  }
  const seqId = readInt(raw, 'SeqID');
  if (!seqId.ok) fail(seqId);
  const nodeType = readInt(raw, 'NodeType');
  if (!nodeType.ok) fail(nodeType);
  // Responses do not always echo every header field (the one-line examples stop at Body).
  const nodeId = readText(raw, 'NodeID', true);
  if (!nodeId.ok) fail(nodeId);
  const version = readText(raw, 'Version', true);
  if (!version.ok) fail(version);
  const agentNo = readText(raw, 'AGENTNO', true);
  if (!agentNo.ok) fail(agentNo);
  const merchantNo = readText(raw, 'MERNO', true);
  if (!merchantNo.ok) fail(merchantNo);
  const terminalNo = readText(raw, 'TERMNO', true);
  if (!terminalNo.ok) fail(terminalNo);
  return {
    commandId: commandId.value,
    seqId: seqId.value,
    nodeType: nodeType.value,
    nodeId: nodeId.value,
    version: version.value,
    agentNo: agentNo.value,
    merchantNo: merchantNo.value,
    terminalNo: terminalNo.value,
    retCode: retCodeRead.ok ? retCodeRead.value : undefined,
    errorMsg,
  };
}

/**
 * {@link readHeader}'s answer for the flat reader's header (envelope/flat-read.ts), read straight
 * from its slots, when every field holds what the platform writes: CommandID (not 32768), SeqID
 * and NodeType integers, RetCode 1 (or absent, unless required), the expected CommandID, the texts
 * strings or null or absent. `undefined` sends any other header to `readHeader`, which gives the
 * answer or the error; the values here are those `readHeader` gives for these fields.
 */
function readFlatHeader(
  slots: readonly (FlatScalar | undefined)[],
  options: OpenEnvelopeOptions,
): Omit<PlainHeader, 'sign'> | undefined {
  const c = slots[SLOT.CommandID];
  const seq = slots[SLOT.SeqID];
  const node = slots[SLOT.NodeType];
  const ret = slots[SLOT.RetCode];
  if (
    typeof c !== 'number' ||
    c === NEGATIVE_RESPONSE_COMMAND_ID ||
    typeof seq !== 'number' ||
    typeof node !== 'number'
  )
    return undefined;
  // RetCode 1, or absent (missing or null) when it is not required.
  if (ret !== 1 && !((ret === undefined || ret === null) && options.requireRetCode !== true)) return undefined;
  const commandId = c === 0 ? 0 : c; // readInt's integer: −0 is 0
  const expect = options.expectCommandId;
  if (expect !== undefined && (typeof expect === 'number' ? expect !== commandId : !expect.includes(commandId)))
    return undefined;
  const error = slots[SLOT.ErrorMsg] !== undefined ? slots[SLOT.ErrorMsg] : slots[SLOT.ErrMsg];
  const nodeId = slots[SLOT.NodeID];
  const version = slots[SLOT.Version];
  const agentNo = slots[SLOT.AGENTNO];
  const merchantNo = slots[SLOT.MERNO];
  const terminalNo = slots[SLOT.TERMNO];
  if (
    !isTextOrNone(error) ||
    !isTextOrNone(nodeId) ||
    !isTextOrNone(version) ||
    !isTextOrNone(agentNo) ||
    !isTextOrNone(merchantNo) ||
    !isTextOrNone(terminalNo)
  )
    return undefined;
  return {
    commandId,
    seqId: seq === 0 ? 0 : seq,
    nodeType: node === 0 ? 0 : node,
    nodeId: nodeId ?? '',
    version: version ?? '',
    agentNo: agentNo ?? '',
    merchantNo: merchantNo ?? '',
    terminalNo: terminalNo ?? '',
    retCode: ret === 1 ? 1 : undefined,
    errorMsg: error ?? '',
  };
}

/** A text header field `readText` reads as itself, or as `""` (null, absent). */
function isTextOrNone(v: FlatScalar | undefined): v is string | null | undefined {
  return typeof v === 'string' || v === null || v === undefined;
}

/**
 * An envelope read on the fast path (envelope/flat-read.ts). `plainBody` is the parsed Body itself;
 * the PHP model (`raw`, `body`) and `bodyText` are getters that make it on first use, with the
 * values the exact path gives (a receiver needs only `plainBody`). `toJSON` lists them all, as
 * for an envelope read on the exact path; an object spread copies only the data fields.
 */
class LazyOpenedEnvelope implements OpenedEnvelope {
  readonly #text: string;
  readonly #signer: Signer;
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
  constructor(
    h: Omit<PlainHeader, 'sign'>,
    sign: string,
    plainBody: Record<string, unknown>,
    signatureChecked: boolean,
    text: string,
    signer: Signer,
    signOptions: SignOptions | undefined,
    signInBody = false,
  ) {
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
    this.sign = sign;
    this.signatureChecked = signatureChecked;
    this.#text = text;
    this.#signer = signer;
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
    return (this.#bodyText ??= this.#signer.signingString(this.plainBody, this.#signOptions));
  }
  /** The exact path's fields, in its order. */
  toJSON(): OpenedEnvelope {
    const {
      commandId,
      seqId,
      nodeType,
      nodeId,
      version,
      agentNo,
      merchantNo,
      terminalNo,
      retCode,
      errorMsg,
      plainBody,
      sign,
      signatureChecked,
    } = this;
    return {
      commandId,
      seqId,
      nodeType,
      nodeId,
      version,
      agentNo,
      merchantNo,
      terminalNo,
      retCode,
      errorMsg,
      body: this.body,
      bodyText: this.bodyText,
      plainBody,
      sign,
      signatureChecked,
      raw: this.raw,
    };
  }
}

/** The header fields `openEnvelope` returns. */
type PlainHeader = Omit<OpenedEnvelope, 'body' | 'bodyText' | 'plainBody' | 'signatureChecked' | 'raw'>;

/** Never echoes the Body: its content is not trusted. */
function signatureMismatch(commandId: number, usingAgentKey: boolean, agentNo: string): MmspSignatureError {
  return new MmspSignatureError(
    `The signature of the message (CommandID ${commandId}) does not match the Body re-encoded the PHP way ` +
      `(checked with the ${usingAgentKey ? 'agent' : 'merchant'} key): the message is not trusted.` +
      (!usingAgentKey && agentNo !== '' ? ' The message names an AGENTNO: in agency mode, pass agentKey.' : ''),
  );
}
