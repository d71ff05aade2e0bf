/**
 * `@mmsp/codec/bytes`: the byte helpers the codec is built on, for the SDK's own adapters and tools
 * that must stay free of `Buffer` (runtime-neutral, like the main entry): strict UTF-8 both ways
 * (a lone surrogate or invalid UTF-8 is an `MmspEncodingError`, as PHP's `json_encode` refuses
 * it, PROTOCOL §3), base64 as PHP's `base64_decode($s, true)` reads it (PROTOCOL §6), joining byte
 * arrays, and secure random bytes from `globalThis.crypto`. Signing, envelopes and payouts need
 * none of it from the caller: they take and give strings.
 *
 * @example
 * ```ts
 * import { base64Decode, base64Encode, concatBytes, secureRandomBytes, utf8Decode, utf8Encode } from '@mmsp/codec/bytes';
 *
 * const bytes = concatBytes([utf8Encode('代付'), secureRandomBytes(4)]);
 * const text = base64Encode(bytes);                  // standard alphabet, padded
 * utf8Decode(base64Decode(text).subarray(0, 6));     // '代付'
 * ```
 *
 * @packageDocumentation
 */
export { utf8Encode, utf8Decode, base64Encode, base64Decode, concatBytes } from './encoding.js';
export { secureRandomBytes } from '../random.js';
