// A Body or a whole envelope, as a merchant has it: the request they sent, the response or
// notification they received (PROTOCOL §2). The Body is decoded losslessly, the way PHP's
// json_decode($t, true) does (never through JSON.parse numbers), so what we sign is what the
// platform signs (PROTOCOL §3).
import { MmspError, PhpArray, phpJsonDecode, type PhpValue } from '@mmsp/codec';
import { CliError } from './errors.js';
import type { InputText } from './input.js';

export interface BodyInput {
  /** The decoded Body. */
  body: PhpValue;
  /** Where it came from: a Body, an envelope's `Body` object, or a Body sent as a JSON string (envelope or input). */
  source: 'body' | 'envelope' | 'envelope-string-body' | 'json-string';
  /** The input was the gateway's browser form (`web_api=<urlencoded envelope>`, PROTOCOL §1). */
  form: boolean;
  /** The Body's text as it was written, when we have it (a Body input, or an envelope's string Body). */
  rawBodyText: string | undefined;
  /** The envelope, when the input was one. */
  envelope: PhpArray | undefined;
  /** The envelope's `Sign`, when present and a string. */
  envelopeSign: string | undefined;
  input: InputText;
}

function decode(command: string, text: string, what: string): PhpValue {
  try {
    return phpJsonDecode(text);
  } catch (err) {
    throw new CliError(
      `mmsp ${command}: ${what} is not JSON the platform can decode: ${err instanceof MmspError ? err.message.split('\n')[0] : 'syntax error'}`,
    );
  }
}

function isEnvelope(v: PhpValue): v is PhpArray {
  return v instanceof PhpArray && v.has('Body') && (v.has('CommandID') || v.has('Sign'));
}

/** The gateway's form body `web_api=<urlencoded envelope JSON>` (gateway §5.1), else undefined. */
function formEnvelope(command: string, text: string): string | undefined {
  const t = text.trim();
  if (!/^web_api=/.test(t) && !/&web_api=/.test(t)) return undefined;
  const value = new URLSearchParams(t).get('web_api');
  if (value === null || value === '') throw new CliError(`mmsp ${command}: the form's web_api field is empty`);
  return value;
}

export function readBody(command: string, raw: InputText): BodyInput {
  const what = raw.name === 'stdin' ? 'the input (stdin)' : `the input ${JSON.stringify(raw.name)}`;
  const fromForm = formEnvelope(command, raw.text);
  const input = fromForm === undefined ? raw : { ...raw, text: fromForm };
  const form = fromForm !== undefined;
  const top = decode(command, input.text, fromForm === undefined ? what : "the form's web_api field");
  if (isEnvelope(top)) {
    const sign = top.get('Sign');
    const envelopeSign = typeof sign === 'string' && sign !== '' ? sign : undefined;
    const b = top.get('Body') as PhpValue;
    if (typeof b === 'string') {
      // PROTOCOL §2: Body sent as a JSON string: accept it.
      return {
        body: checkArray(command, decode(command, b, "the envelope's Body string"), "the envelope's Body"),
        source: 'envelope-string-body',
        form,
        rawBodyText: b,
        envelope: top,
        envelopeSign,
        input,
      };
    }
    return {
      body: checkArray(command, b, "the envelope's Body"),
      source: 'envelope',
      form,
      rawBodyText: undefined,
      envelope: top,
      envelopeSign,
      input,
    };
  }
  if (typeof top === 'string') {
    return {
      body: checkArray(command, decode(command, top, "the JSON string's content"), 'the Body'),
      source: 'json-string',
      form,
      rawBodyText: top,
      envelope: undefined,
      envelopeSign: undefined,
      input,
    };
  }
  return {
    body: checkArray(command, top, 'the Body'),
    source: 'body',
    form,
    rawBodyText: input.text,
    envelope: undefined,
    envelopeSign: undefined,
    input,
  };
}

function checkArray(command: string, v: PhpValue, what: string): PhpValue {
  if (v instanceof PhpArray || Array.isArray(v)) return v;
  throw new CliError(
    `mmsp ${command}: ${what} must be a JSON object (the platform ksort()s it, docs/PROTOCOL.md §3); got ${v === null ? 'null' : typeof v}`,
  );
}

export function describeSource(b: BodyInput): string | undefined {
  const what = describeKind(b);
  return b.form
    ? `the input is the gateway form (web_api=…)${what ? `; ${what.replace(/^the input is /, 'it holds ')}` : ''}`
    : what;
}

function describeKind(b: BodyInput): string | undefined {
  switch (b.source) {
    case 'envelope':
      return 'the input is an envelope: its Body is signed';
    case 'envelope-string-body':
      return 'the input is an envelope whose Body is a JSON string: its content is signed';
    case 'json-string':
      return 'the input is a JSON string: its content is signed as the Body';
    default:
      return undefined;
  }
}
