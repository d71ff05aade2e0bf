/**
 * The core of every call: catalogue lookup, autofill, validation, envelope or RSA seal, the HTTP
 * exchange, verification, state normalization, typed errors (issue #3; PROTOCOL §2, §3, §6).
 * Secrets live only in the closure of `createEngine`; nothing here is reachable from the client
 * object a merchant could print.
 */
import {
  MmspBusinessError,
  MmspConfigError,
  MmspError,
  MmspTransportError,
  MmspValidationError,
  bodyErrCode,
  catalogue,
  chinaTime,
  newOrderNo,
  openEnvelope,
  payoutOpenWith,
  payoutRetCode,
  payoutSealWith,
  RANDSTR_MAX_LENGTH,
  Signer,
  EnvelopeWriter,
  type CryptoProvider,
  type Family,
  type OperationName,
  type FieldSpec,
  type OpenEnvelopeOptions,
  type OperationSpec,
  type SignOptions,
} from '@mmsp/codec';
import { validateAgainst } from '@mmsp/codec/catalogue';
import { DEFAULT_TIMEOUT_MS, type ClientConfig } from './config.js';
import { CallTrace, errorSummary, metaOf, safeHook } from './observe.js';
import type { MmspHooks } from './hooks.js';
import type { SafeLogger } from './logger.js';
import type { MmspResult, ResultCodes } from './result.js';
import type { TransportResponse } from './transport.js';
import { backoffDelay, DEFAULT_QUERY_RETRY, mergeRetryPolicy, sleep as realSleep, type RetryPolicy } from './retry.js';
import { send } from './send.js';
import { DUPLICATE_MEANING, isDuplicateCode, normalizeState, readText } from './state.js';
import { userAgent } from './user-agent.js';
import type { Redactor } from './redact.js';
import { MemorySendLedger, type SendLedger } from './send-ledger.js';
import { RandomPool } from './random-pool.js';

/** Per-call options of every operation method (`client.scan.query(body, options)`). */
export interface CallOptions {
  /** Cancels the call; a payment or payout cancelled after it left is settled by a query, never resent. */
  signal?: AbortSignal;
  /** Deadline of this call's HTTP exchange, in milliseconds (default `ClientConfig.timeoutMs`). */
  timeoutMs?: number;
  /** Queries only: retry transport failures with backoff and jitter (default true). Ignored for every other operation. */
  retry?: boolean;
  /**
   * Money-moving operations only (payout, micropay, quick-pay pay / confirm / bound-card SMS,
   * refund): how long an unclear outcome is settled by querying before `MmspOutcomeUnknownError`
   * (default 60 000 ms, issue #13).
   */
  settleDeadlineMs?: number;
}

/** Internal hooks: the money flows reserve the request in the send ledger just before it leaves (a throw stops it). */
export interface EngineCallOptions extends CallOptions {
  beforeSend?: () => void | Promise<void>;
}

/** Clock, sleep and randomness, injectable for tests. */
export interface ClientRuntime {
  /** The clock (REQTIME, deadlines); default `new Date()`. */
  now?: () => Date;
  /** Waits between polls and retries; default a timer that the signal cancels. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Randomness of the retry jitter; default `Math.random`. */
  random?: () => number;
  /** The retry policy of queries; default `DEFAULT_QUERY_RETRY`; `ClientConfig.retry` overrides its fields. */
  retry?: RetryPolicy;
}

export interface Engine {
  spec(name: string): OperationSpec;
  prepare(name: OperationName, body: Record<string, unknown>): Record<string, unknown>;
  call(name: OperationName, body: Record<string, unknown>, options?: EngineCallOptions): Promise<MmspResult>;
  /** The signed envelope text of an MD5 request, without sending it (gateway form). */
  envelope(
    name: OperationName,
    body: Record<string, unknown>,
  ): { text: string; seqId: number; url: string | undefined };
  nextSeqId(): number;
  readonly crypto: CryptoProvider;
  readonly signOptions: SignOptions;
  /** This client's signer: every request signed and every answer verified with it (the codec's own MD5). */
  readonly signer: Signer;
  readonly runtime: Required<ClientRuntime>;
  /** `MERNO` of this client (the send ledger's keys). */
  readonly merchantNo: string;
  /** Where money-moving requests are recorded before they leave (issue #13 item 4). */
  readonly sendLedger: SendLedger;
  /** Money-moving requests of this client in flight, by ledger key: a concurrent repeat waits for the first. */
  readonly inFlight: Map<string, Promise<unknown>>;
  readonly logger: SafeLogger;
  /** `ClientConfig.settleDeadlineMs`: the client-wide default of money-moving calls. */
  readonly settleDeadlineMs: number | undefined;
}

/** Operations that only read: safe to retry on a transport failure (issue #3). */
export const QUERY_OPERATIONS: ReadonlySet<string> = new Set([
  'payout.query',
  'payout.balance',
  'quickPay.query',
  'quickPay.bindQuery',
  'quickPay.batchQuery',
  'scan.query',
  'scan.refundQuery',
  'gateway.query',
  'gateway.batchQuery',
]);

const SEQ_MAX = 2_147_483_647;

/** The options of a call given none (never written to). */
const NO_OPTIONS: EngineCallOptions = Object.freeze({});

export function getSpec(name: string): OperationSpec {
  const spec = (catalogue as Readonly<Record<string, OperationSpec>>)[name];
  if (spec === undefined || !Object.prototype.hasOwnProperty.call(catalogue, name)) {
    throw new MmspValidationError([
      {
        field: 'operation',
        rule: 'enum',
        message: `operation must be one of the catalogue's names (e.g. scan.query), got ${typeof name === 'string' ? `"${name.slice(0, 40)}"` : typeof name}`,
      },
    ]);
  }
  return spec;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * The caller's Body, copied before autofill writes to it: its own enumerable string keys, in
 * their order, each read once (getters run as a spread runs them). A plain assignment per key,
 * not a spread: V8 gives a spread's copy a map that has no transitions, so every field autofill
 * adds afterwards took the runtime's slow path. An own `__proto__` key stays an own key (defined,
 * never assigned, which would change the copy's prototype) for validation to refuse it.
 * Symbol keys are not copied: they never reach the wire (validation and the envelope read
 * `Object.keys`).
 */
export function copyBody(input: Record<string, unknown>): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  const keys = Object.keys(input);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    if (key === '__proto__')
      Object.defineProperty(body, key, { value: input[key], writable: true, enumerable: true, configurable: true });
    else body[key] = input[key];
  }
  return body;
}

/**
 * `defaultCrypto` is the provider used when `config.crypto` is absent. It is a parameter, not the
 * codec's `pureCrypto` imported here, so that a bundle whose adapter brings its own provider
 * (@mmsp/fetch-edge) never references the pure RSA code and its node-forge.
 */
export function createEngine(
  config: ClientConfig,
  logger: SafeLogger,
  runtime: ClientRuntime = {},
  redactor: Redactor | undefined,
  defaultCrypto: CryptoProvider,
): Engine {
  // Error bodies end up in merchants' logs: card and account numbers in them are masked (redact.ts).
  const safeBody = (body: Record<string, unknown>) => (redactor ? redactor.value(body) : body);
  const crypto = config.crypto ?? defaultCrypto;
  // The document's encoding and the codec's own MD5, the fastest measured for these inputs
  // (BENCHMARKS.md): a provider's md5 is not on the signing route.
  const signOptions: SignOptions = {};
  const signer = new Signer();
  // RANDSTR and order numbers: the provider's randomBytes, 4 KiB at a time (random-pool.ts).
  const random = new RandomPool(crypto);
  const rt: Required<ClientRuntime> = {
    now: runtime.now ?? (() => new Date()),
    sleep: runtime.sleep ?? realSleep,
    random: runtime.random ?? Math.random,
    // ClientConfig.retry (issue #15 item 7) over the runtime's (tests) over the default.
    retry: mergeRetryPolicy(runtime.retry ?? DEFAULT_QUERY_RETRY, config.retry),
  };
  const agent = userAgent(config.transport.identity, config.appInfo);
  let seq = 0;
  const nextSeqId = () => {
    seq = seq >= SEQ_MAX ? 1 : seq + 1;
    return seq;
  };

  const endpointOf = (family: Family): string => {
    const url = config.endpoints[family];
    if (url === undefined)
      throw new MmspConfigError([
        {
          field: `endpoints.${family}`,
          rule: 'required',
          message: `endpoints.${family} is required to call ${family} operations`,
        },
      ]);
    return url;
  };

  // RANDSTR's length per catalogue field, read from its description once per client, not per call.
  const randStrLengthByField = new Map<FieldSpec, number>();
  const randStrLength = (family: Family, field: FieldSpec): number => {
    let length = randStrLengthByField.get(field);
    if (length === undefined) {
      // The strictest reading of the operation's table: scan query / cancel / close / refund /
      // refund query print string(15) (their prose says ≤ 20), so 15 fits both (issue #13 item 11).
      // Otherwise the family's RANDSTR length, as the codec's randStr (PROTOCOL §7.3).
      length = /string\(15\)/.test(field.description ?? '') ? 15 : RANDSTR_MAX_LENGTH[family];
      randStrLengthByField.set(field, length);
    }
    return length;
  };

  /** Fills what the caller may omit (catalogue `autofill`), then validates (issue #3). */
  const prepare = (name: OperationName, input: Record<string, unknown>): Record<string, unknown> =>
    prepareFor(getSpec(name), name, input);
  const prepareFor = (
    spec: OperationSpec,
    name: OperationName,
    input: Record<string, unknown>,
  ): Record<string, unknown> => {
    if (!isPlainObject(input)) {
      throw new MmspValidationError(
        [{ field: 'body', rule: 'type', message: `${name}: the body must be an object of wire fields` }],
        name,
      );
    }
    if (!spec.opened) {
      logger.warnOnce(
        `not-opened:${name}`,
        `${name} (${spec.title}) is marked "not yet opened" (暂未开通) by the platform; it is sent anyway`,
        { operation: name },
      );
    }
    const body = copyBody(input);
    const request = spec.request;
    for (let i = 0; i < request.length; i++) {
      const field = request[i]!;
      if (field.autofill === undefined || body[field.name] !== undefined) continue;
      switch (field.autofill) {
        case 'RANDSTR':
          body[field.name] = random.alnum(randStrLength(spec.family, field));
          break;
        case 'REQTIME':
          body[field.name] = chinaTime(rt.now());
          break;
        case 'MERNO':
          body[field.name] = config.merchantNo;
          break;
        case 'ORDERNO':
          body[field.name] = newOrderNo(spec.family, { provider: random, date: rt.now() });
          break;
        default:
          if (field.default !== undefined) body[field.name] = field.default;
      }
    }
    const issues = validateAgainst(spec, body);
    if (issues.length > 0) throw new MmspValidationError(issues, name);
    return body;
  };

  // One envelope writer per family: the header fields that never change per client are written once (PROTOCOL §2).
  const writers = new Map<Family, EnvelopeWriter>();
  const writerOf = (family: Family): EnvelopeWriter => {
    let writer = writers.get(family);
    if (writer === undefined) {
      writer = new EnvelopeWriter({
        family,
        merchantNo: config.merchantNo,
        terminalNo: config.terminalNo,
        key: config.key,
        ...(config.agentNo !== undefined && config.agentKey !== undefined
          ? { agentNo: config.agentNo, agentKey: config.agentKey }
          : {}),
        signOptions,
        signer,
      });
      writers.set(family, writer);
    }
    return writer;
  };

  const envelope = (name: OperationName, body: Record<string, unknown>) => {
    const spec = getSpec(name);
    const seqId = nextSeqId();
    return {
      text: writerOf(spec.family).write(spec.requestId, seqId, body),
      seqId,
      url: config.endpoints[spec.family],
    };
  };

  const refused = (spec: OperationSpec, body: Record<string, unknown>, codes: ResultCodes): MmspBusinessError => {
    const code = codes.errCode ?? codes.status ?? '';
    const known = spec.family === 'payout' ? undefined : bodyErrCode(spec.family, code);
    const meaning =
      known?.meaning || (isDuplicateCode(code) ? DUPLICATE_MEANING : undefined) || known?.gloss || undefined;
    return new MmspBusinessError(
      `${spec.name}: the platform refused the request (STATUS ${codes.status ?? '-'}, ERRCODE ${codes.errCode ?? '-'}${meaning ? `: ${meaning}` : ''})`,
      {
        platformCode: code,
        ...(codes.errMsg !== undefined ? { platformMessage: codes.errMsg } : {}),
        ...(meaning ? { meaning } : {}),
        body: safeBody(body),
      },
    );
  };

  // What opens each operation's answer: made once per operation, the same object on every call.
  const openOptionsBySpec = new Map<OperationSpec, OpenEnvelopeOptions>();
  const openOptions = (spec: OperationSpec): OpenEnvelopeOptions => {
    let options = openOptionsBySpec.get(spec);
    if (options === undefined) {
      // The catalogue's own (frozen) list.
      const expect =
        spec.acceptResponseIds.length > 0
          ? spec.acceptResponseIds
          : spec.responseId !== null
            ? spec.responseId
            : undefined;
      options = {
        key: config.key,
        ...(config.agentKey !== undefined ? { agentKey: config.agentKey } : {}),
        ...(expect ? { expectCommandId: expect } : {}),
        signOptions,
        signer,
        requireSignature: true,
        // 快捷 §5.4.3: the SMS-confirm answer carries its Sign inside the Body (PROTOCOL §11 item 29).
        signInBody: true,
      };
      openOptionsBySpec.set(spec, options);
    }
    return options;
  };

  /** The answer of an MD5 exchange: opened, verified, its codes read and its state normalized. */
  const md5Result = (spec: OperationSpec, response: TransportResponse, trace: CallTrace): MmspResult => {
    trace.httpStatus = response.status;
    const opened = openEnvelope(response.body, openOptions(spec));
    const out = (isPlainObject(opened.plainBody) ? opened.plainBody : {}) as Record<string, unknown>;
    // Each field read once and set in this order (no temporary object per field).
    const codes: ResultCodes = { retCode: String(opened.retCode ?? '1') };
    if (opened.errorMsg) codes.message = String(opened.errorMsg);
    const status = readText(out, 'STATUS');
    if (status !== undefined) codes.status = status;
    const errCode = readText(out, 'ERRCODE', 'ERR_CODE');
    if (errCode) codes.errCode = errCode;
    const errMsg = readText(out, 'ERRMSG', 'ERR_CODE_MSG');
    if (errMsg) codes.errMsg = errMsg;
    if (logger.wants('debug')) logger.debug(`← ${spec.name}`, { operation: spec.name, codes });
    const operation = spec.name as OperationName;
    const state = normalizeState(operation, out);
    if (state === 'refused') throw refused(spec, out, codes);
    return state
      ? { operation, body: out, state, codes, raw: response.body, meta: metaOf(trace) }
      : { operation, body: out, codes, raw: response.body, meta: metaOf(trace) };
  };

  /**
   * One MD5 attempt up to the exchange: a new SeqID and envelope, the send ledger's reservation,
   * then the request leaves. Not an async function: without a reservation to wait for, the call
   * waits on the exchange's own promise only.
   */
  const sendMd5 = (
    spec: OperationSpec,
    body: Record<string, unknown>,
    options: EngineCallOptions,
    trace: CallTrace,
  ): Promise<TransportResponse> => {
    const url = endpointOf(spec.family);
    const seqId = nextSeqId();
    const text = writerOf(spec.family).write(spec.requestId, seqId, body);
    if (logger.wants('debug')) logger.debug(`→ ${spec.name}`, { operation: spec.name, body });
    const before = options.beforeSend?.();
    // The send ledger's reservation (money-moving calls only): the request leaves once it is recorded.
    return before !== undefined
      ? Promise.resolve(before).then(() => leave(body, options, trace, url, seqId, text))
      : leave(body, options, trace, url, seqId, text);
  };

  /** The MD5 request leaves: recorded in the call's trace, then handed to the transport. */
  const leave = (
    body: Record<string, unknown>,
    options: EngineCallOptions,
    trace: CallTrace,
    url: string,
    seqId: number,
    text: string,
  ): Promise<TransportResponse> => {
    beginAttempt(trace, url, seqId, body);
    return send(config.transport, url, text, {
      timeoutMs: options.timeoutMs ?? config.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      userAgent: agent,
      signal: options.signal,
      // The first attempt's deadline counts from the clock reading beginAttempt just took (when
      // no onRequest hook ran since, whose time is not the exchange's).
      startedAt: trace.attempts === 1 && hooks?.onRequest === undefined ? trace.started : undefined,
    });
  };

  /** One attempt of a call: the MD5 exchange and its answer, or the payout's. */
  const attempt = async (
    spec: OperationSpec,
    body: Record<string, unknown>,
    options: EngineCallOptions,
    trace: CallTrace,
  ): Promise<MmspResult> =>
    spec.security === 'rsa'
      ? exchangeRsa(spec, body, options, trace)
      : md5Result(spec, await sendMd5(spec, body, options, trace), trace);

  const exchangeRsa = async (
    spec: OperationSpec,
    body: Record<string, unknown>,
    options: EngineCallOptions,
    trace: CallTrace,
  ): Promise<MmspResult> => {
    const url = endpointOf('payout');
    const keys = config.payout;
    if (!keys)
      throw new MmspConfigError([
        {
          field: 'payout',
          rule: 'required',
          message:
            'payout keys { platformPublicKey, merchantPrivateKey } are required for payout operations (docs/PROTOCOL.md §6)',
        },
      ]);
    const sealed = await payoutSealWith(crypto, body, {
      platformPublicKey: keys.platformPublicKey,
      merchantPrivateKey: keys.merchantPrivateKey,
    });
    if (logger.wants('debug')) logger.debug(`→ ${spec.name}`, { operation: spec.name, body });
    const before = options.beforeSend?.();
    if (before !== undefined) await before; // the send ledger's reservation
    beginAttempt(trace, url, undefined, body);
    const response = await send(config.transport, url, JSON.stringify({ ENCRYPT: sealed.ENCRYPT, SIGN: sealed.SIGN }), {
      timeoutMs: options.timeoutMs ?? config.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      userAgent: agent,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    trace.httpStatus = response.status;
    const opened = await payoutOpenWith(crypto, response.body, {
      merchantPrivateKey: keys.merchantPrivateKey,
      platformPublicKey: keys.platformPublicKey,
    });
    const out: Record<string, unknown> = { ...(opened.data ?? {}) };
    const retCode = opened.RETCODE ?? '';
    const codes: ResultCodes = {
      retCode,
      ...(opened.message !== undefined ? { message: opened.message } : {}),
      ...(readText(out, 'PAYSTATE') !== undefined ? { status: readText(out, 'PAYSTATE') } : {}),
    };
    logger.debug(`← ${spec.name}`, { operation: spec.name, codes });
    if (retCode !== '0000') {
      const known = payoutRetCode(retCode);
      throw new MmspBusinessError(
        `${spec.name}: RETCODE ${retCode || '(missing)'}: ${known.meaning || known.gloss}${known.outcome === 'unknown-query' || known.outcome === 'duplicate-query' ? ' — outcome unknown: query by ORDERNO, never resend' : ''}`,
        {
          platformCode: retCode,
          ...(opened.message !== undefined ? { platformMessage: opened.message } : {}),
          meaning: known.meaning || known.gloss,
          body: safeBody(out),
        },
      );
    }
    const state = normalizeState(spec.name as OperationName, out);
    return {
      operation: spec.name as OperationName,
      body: out,
      ...(state && state !== 'refused' ? { state } : {}),
      codes,
      raw: response.body,
      meta: metaOf(trace),
    };
  };

  /**
   * One HTTP attempt of a call is about to leave: records it and its SeqID in the call's trace
   * (issue #15) and tells `onRequest`. The HTTP status is recorded when the answer (or a non-2xx
   * `MmspTransportError`) comes back. Synchronous: a call without hooks pays no extra turn.
   */
  const beginAttempt = (
    trace: CallTrace,
    url: string,
    seqId: number | undefined,
    body: Record<string, unknown>,
  ): void => {
    trace.attempts++;
    trace.seqId = seqId;
    if (trace.attempts === 1) trace.started = trace.clock();
    const onRequest = hooks?.onRequest;
    if (onRequest !== undefined) {
      // `meta` so far: the previous attempt's HTTP status, the attempts made before this one.
      // `fields` is masked when first read: a hook that never looks at it pays nothing for the redaction.
      let fields: Record<string, unknown> | undefined;
      safeHook(hooks, onRequest, {
        type: 'request',
        callId: trace.callId,
        operation: trace.operation,
        family: trace.family,
        url: trace.safeUrl(),
        seqId,
        attempt: trace.attempts,
        meta: { ...metaOf(trace), attempts: trace.attempts - 1 },
        get fields() {
          return (fields ??= safeBody(body) as Record<string, unknown>);
        },
      });
    }
    trace.httpStatus = undefined;
  };

  const hooks = config.hooks;
  const summarize = (error: unknown) => errorSummary(error, redactor ? redactor.text : (t: string) => t);

  /** The end of a call with a result: `onResponse` (issue #15). */
  const succeeded = (trace: CallTrace, result: MmspResult): MmspResult => {
    const onResponse = hooks?.onResponse;
    if (onResponse !== undefined) {
      const c = result.codes;
      safeHook(hooks, onResponse, {
        type: 'response',
        callId: trace.callId,
        operation: trace.operation,
        family: trace.family,
        meta: result.meta,
        ok: true,
        outcome: {
          ...(result.state !== undefined ? { state: result.state } : {}),
          ...(c.retCode !== undefined ? { retCode: c.retCode } : {}),
          ...(c.status !== undefined ? { status: c.status } : {}),
          ...(c.errCode !== undefined ? { errCode: c.errCode } : {}),
        },
      });
    }
    return result;
  };

  /** The end of a call with an error: raised after the request was built, it says which request it was (issue #15). */
  const failed = (trace: CallTrace, error: unknown): never => {
    if (trace.attempts > 0) {
      if (error instanceof MmspTransportError) trace.httpStatus = error.status;
      const meta = metaOf(trace);
      if (error instanceof MmspError && error.meta === undefined) error.meta = meta;
      const onResponse = hooks?.onResponse;
      if (onResponse !== undefined)
        safeHook(hooks, onResponse, {
          type: 'response',
          callId: trace.callId,
          operation: trace.operation,
          family: trace.family,
          meta,
          ok: false,
          error: summarize(error),
        });
    }
    throw error;
  };

  /** Queries only: a transport failure is retried with backoff and jitter (`rt.retry`), each attempt a new SeqID. */
  const retried = async (
    spec: OperationSpec,
    body: Record<string, unknown>,
    options: EngineCallOptions,
    trace: CallTrace,
    first: MmspTransportError,
  ): Promise<MmspResult> => {
    let error: unknown = first;
    for (let n = 0; ; n++) {
      if (!(error instanceof MmspTransportError) || n + 1 >= rt.retry.attempts) throw error;
      const delay = backoffDelay(rt.retry, n, rt.random);
      trace.httpStatus = error.status;
      logger.info(`${spec.name}: transport failure, retry ${n + 1} in ${delay} ms`, {
        operation: spec.name,
        error: error.message,
      });
      const onRetry = hooks?.onRetry;
      if (onRetry !== undefined) {
        safeHook(hooks, onRetry, {
          type: 'retry',
          callId: trace.callId,
          operation: trace.operation,
          family: spec.family,
          attempt: n + 1,
          delayMs: delay,
          reason: summarize(error).message,
          meta: metaOf(trace),
        });
      }
      await rt.sleep(delay, options.signal);
      try {
        return await attempt(spec, body, options, trace);
      } catch (next) {
        error = next;
      }
    }
  };

  /** A call after its request was prepared: the attempts, then `onResponse` and the error's `meta`. */
  const run = async (
    spec: OperationSpec,
    body: Record<string, unknown>,
    options: EngineCallOptions,
    trace: CallTrace,
  ): Promise<MmspResult> => {
    let result: MmspResult;
    try {
      try {
        result =
          spec.security === 'rsa'
            ? await exchangeRsa(spec, body, options, trace)
            : md5Result(spec, await sendMd5(spec, body, options, trace), trace);
      } catch (error) {
        if (!(error instanceof MmspTransportError) || options.retry === false || !QUERY_OPERATIONS.has(spec.name))
          throw error;
        result = await retried(spec, body, options, trace, error);
      }
    } catch (error) {
      return failed(trace, error);
    }
    return hooks === undefined ? result : succeeded(trace, result);
  };

  const call = (
    name: OperationName,
    input: Record<string, unknown>,
    options: EngineCallOptions = NO_OPTIONS,
  ): Promise<MmspResult> => {
    let spec: OperationSpec;
    let body: Record<string, unknown>;
    try {
      spec = getSpec(name);
      body = prepareFor(spec, name, input);
    } catch (error) {
      return Promise.reject(error);
    }
    return run(spec, body, options, new CallTrace(name, spec.family, config.endpoints[spec.family]));
  };

  const sendLedger = config.sendLedger ?? new MemorySendLedger();
  return {
    spec: getSpec,
    prepare,
    call,
    envelope,
    nextSeqId,
    crypto,
    signOptions,
    signer,
    runtime: rt,
    merchantNo: config.merchantNo,
    sendLedger,
    inFlight: new Map(),
    logger,
    settleDeadlineMs: config.settleDeadlineMs,
  };
}
