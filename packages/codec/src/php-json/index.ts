/**
 * `@mmsp/codec/php`: the PHP JSON model the signature is computed on (PROTOCOL §3), for tools that
 * look at bytes the way PHP does: `phpJsonDecode` mirrors `json_decode($t, true)` losslessly
 * (int64 as `bigint`, integral floats as {@link PhpFloat}, objects as the ordered {@link PhpArray}),
 * `phpJsonEncode` mirrors `json_encode`, `fromJs` is what PHP decodes from the JSON the SDK sends
 * for a JS value (`toWireJson`), and `phpKsort` is PHP 8's top-level `ksort` (`SORT_REGULAR`).
 * The main entry `@mmsp/codec` has the same model without `fromJs` and `phpKsort`.
 *
 * @example
 * ```ts
 * import { fromJs, phpJsonDecode, phpJsonEncode, phpKsort, PhpArray } from '@mmsp/codec/php';
 *
 * const decoded = phpJsonDecode('{"b":1.0,"a":"x/y","10":2}');  // a PhpArray; 1.0 stays a PhpFloat
 * if (decoded instanceof PhpArray) phpKsort(decoded);             // [['10', 2], ['a', 'x/y'], ['b', PhpFloat 1.0]]
 * phpJsonEncode(decoded);                                         // '{"b":1.0,"a":"x\\/y","10":2}'
 * phpJsonEncode(fromJs({ AMT: '100', n: 12345678901234567890n }), { escapeSlashes: false });
 * ```
 *
 * @packageDocumentation
 */
export { PhpArray, PhpFloat, type PhpValue } from './value.js';
export { phpJsonDecode, type PhpJsonDecodeOptions } from './decode.js';
export { type PhpJsonEncodeOptions } from './encode.js';
export { phpJsonEncode } from './flags.js';
export { fromJs, toWireJson, toPlain, type FromJsOptions } from './js.js';
export { phpKsort } from './ksort.js';
