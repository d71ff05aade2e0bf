/**
 * The public encoding and signing entry points also take PHP's own `json_encode` flags, because
 * they are documented as mirroring `json_encode($v, flags)` and a PHP developer will pass
 * `JSON_UNESCAPED_SLASHES` (64) or `JSON_UNESCAPED_UNICODE` (256) as a number: ignoring it would
 * give a wrong signature with no error. PROTOCOL §3: the platform signs with
 * `JSON_UNESCAPED_UNICODE` (256), `/` escaped. Used by signing/sign.ts and `phpJsonEncode`.
 *
 * Object options keep their meaning and defaults (docs/ARCHITECTURE.md). A number means exactly
 * what PHP means: `0` escapes both `/` and non-ASCII, like `json_encode($v)`. Flags that would
 * change the bytes in ways the model does not implement are refused with an error naming them.
 *
 * `phpJsonEncode` also accepts plain JS values (what `json_encode` of the decoded JSON would see,
 * via `fromJs`), instead of failing with "not a PHP value".
 */
import { MmspEncodingError } from '../errors.js';
import { phpJsonEncode as encodePhp, type PhpJsonEncodeOptions } from './encode.js';
import { fromJs } from './js.js';
import type { PhpValue } from './value.js';

/** PHP's `JSON_UNESCAPED_SLASHES`. */
const UNESCAPED_SLASHES = 64;
/** PHP's `JSON_UNESCAPED_UNICODE`. */
const UNESCAPED_UNICODE = 256;
/** PHP's `JSON_THROW_ON_ERROR`: the codec always throws, so it changes nothing. */
const THROW_ON_ERROR = 4194304;
const SUPPORTED = UNESCAPED_SLASHES | UNESCAPED_UNICODE | THROW_ON_ERROR;

/**
 * The names (without `JSON_`) of the other `json_encode` flags, by bit number (`1 << i`), for the
 * error that names them; an empty slot is a supported flag or a bit PHP does not define.
 */
const NAMES = (
  'HEX_TAG HEX_AMP HEX_APOS HEX_QUOT FORCE_OBJECT NUMERIC_CHECK  PRETTY_PRINT  PARTIAL_OUTPUT_ON_ERROR ' +
  'PRESERVE_ZERO_FRACTION UNESCAPED_LINE_TERMINATORS         INVALID_UTF8_IGNORE INVALID_UTF8_SUBSTITUTE'
).split(' ');

/** `json_encode` flags (a number) → the codec's options; objects and `undefined` pass through. */
export function fromFlags<T extends { escapeSlashes?: boolean; escapeUnicode?: boolean }>(
  options: T | number | undefined,
  where: string,
): T | undefined {
  if (typeof options !== 'number') return options;
  const unsupported = options & ~SUPPORTED;
  const bad = !Number.isInteger(options) || options < 0;
  if (bad || unsupported !== 0) {
    const names = NAMES.filter((n, bit) => n !== '' && (unsupported >> bit) & 1).map((n) => `JSON_${n}`);
    throw new MmspEncodingError(
      `${where} options: json_encode flags ${bad ? 'must be a non-negative integer' : `${names.join(', ') || unsupported} are not supported`}: the codec models JSON_UNESCAPED_SLASHES (64), JSON_UNESCAPED_UNICODE (256) and JSON_THROW_ON_ERROR`,
    );
  }
  return {
    escapeSlashes: (options & UNESCAPED_SLASHES) === 0,
    escapeUnicode: (options & UNESCAPED_UNICODE) === 0,
  } as T;
}

function isPhpValueError(e: unknown): boolean {
  return e instanceof MmspEncodingError && e.message.includes('not a PHP value (use fromJs()');
}

/**
 * `json_encode($v, flags)` over the PHP model; `options` may be the codec's object or `json_encode`
 * flags. A plain JS value is taken as PHP would decode it from its JSON (`fromJs`).
 */
export function phpJsonEncode(value: PhpValue | unknown, options?: PhpJsonEncodeOptions | number): string {
  const opts = fromFlags(options, 'phpJsonEncode');
  try {
    return encodePhp(value as PhpValue, opts);
  } catch (e) {
    if (!isPhpValueError(e)) throw e;
    return encodePhp(fromJs(value, opts?.depth === undefined ? undefined : { depth: opts.depth }), opts);
  }
}
