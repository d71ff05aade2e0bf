// The PHP JSON model (PROTOCOL §3, docs/ARCHITECTURE.md "PHP JSON model").
export { PhpArray, PhpFloat, type PhpValue } from './value.js';
export { phpJsonDecode, type PhpJsonDecodeOptions } from './decode.js';
export { type PhpJsonEncodeOptions } from './encode.js';
export { phpJsonEncode } from './flags.js';
export { fromJs, toWireJson, toPlain, type FromJsOptions } from './js.js';
export { phpKsort } from './ksort.js';
