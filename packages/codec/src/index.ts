// @mmsp/codec — PHP-exact encoding and signing, envelopes, the command catalogue, payout RSA.
// Pure and runtime-neutral (no node:*, Buffer or process). See docs/ARCHITECTURE.md.
//
// The public API of the main entry, written out name by name: each name comes from the one module
// that defines it. The specialist parts have their own entries (package.json `exports`):
// `@mmsp/codec/php` (the PHP JSON model, php-json/index.ts), `@mmsp/codec/catalogue`
// (catalogue/index.ts), `@mmsp/codec/rsa` (rsa/index.ts) and `@mmsp/codec/bytes` (bytes/index.ts).
// test/exports.test.ts snapshots every entry's names.

export {
  MmspError,
  MmspConfigError,
  MmspValidationError,
  MmspEncodingError,
  MmspTransportError,
  MmspProtocolError,
  MmspSignatureError,
  MmspBusinessError,
  MmspOutcomeUnknownError,
  type MmspRequestMeta,
  type FieldIssue,
} from './errors.js';
export type { CryptoProvider, MaybePromise, Family } from './crypto-provider.js';

// The PHP JSON model underneath signing (PROTOCOL §3); the whole of it is `@mmsp/codec/php`.
export { PhpArray, PhpFloat, type PhpValue } from './php-json/value.js';
export { phpJsonDecode, type PhpJsonDecodeOptions } from './php-json/decode.js';
export { type PhpJsonEncodeOptions } from './php-json/encode.js';
export { phpJsonEncode } from './php-json/flags.js';
export { toWireJson, toPlain } from './php-json/js.js';

// Signing (PROTOCOL §3): one route, through a Signer.
export { Signer, type SignOptions } from './signing/signer.js';
export { md5Sign, md5Verify, signingString } from './signing/sign.js';
export { constantTimeEqual } from './signing/key.js';
export { Md5 } from './hash/md5.js';

// Envelopes (PROTOCOL §2).
export {
  NEGATIVE_RESPONSE_COMMAND_ID,
  headerDefaults,
  type EnvelopeFamily,
  type HeaderDefaults,
} from './envelope/header.js';
export {
  buildEnvelope,
  EnvelopeWriter,
  negativeResponse,
  type BuildEnvelopeInput,
  type BuiltEnvelope,
  type EnvelopeWriterInput,
  type NegativeResponseInput,
} from './envelope/build.js';
export { openEnvelope, type OpenEnvelopeOptions, type OpenedEnvelope } from './envelope/open.js';
export {
  parseRequestEnvelope,
  type ParseRequestOptions,
  type ParsedRequestEnvelope,
  type RequestParties,
} from './envelope/parse-request.js';

// The command catalogue: operations, push specs, validation; the rest of it is `@mmsp/codec/catalogue`.
export type * from './catalogue/types.js';
export {
  catalogue,
  operationNames,
  isOperationName,
  getOperation,
  findOperation,
  findOperationByResponseId,
  type OperationName,
  type OperationOf,
  type OperationNameOf,
  type RequestBody,
  type RequestInput,
  type ResponseBody,
  type NotificationBody,
} from './catalogue/operations.js';
export { NOTIFICATION_COMMAND_IDS, notifications } from './catalogue/notifications.js';
export { validateRequest, type ValidateOptions } from './catalogue/validate.js';
export { GATEWAY_PAY_CHANNELS } from './catalogue/gateway.js';
export { buildNotificationBody, type NotificationBodyInput } from './notification-body.js';

// Result codes (PROTOCOL §9).
export {
  requiresQuery,
  payoutRetCodes,
  payoutRetCode,
  payoutPayStates,
  payoutPayState,
  envelopeRetCodes,
  envelopeRetCode,
  bodyErrCodes,
  bodyErrCodeField,
  bodyErrCode,
  bodyCodes,
  negativeResponseCodes,
  negativeResponseCode,
  type CodeOutcome,
  type ResponseCode,
  type PayoutState,
  type PayoutPayState,
  type BodyCodes,
} from './codes.js';

// Payout RSA (PROTOCOL §6) and the default provider; the key reader, PKCS#1 v1.5 and the BigInt RSA
// itself are `@mmsp/codec/rsa`.
export { pureCrypto, type SyncCryptoProvider } from './rsa/pure.js';
export { generateRsaKeyPair } from './rsa/keygen.js';
export {
  payoutSeal,
  payoutSealWith,
  payoutOpen,
  payoutOpenWith,
  rsaEncryptSegmented,
  rsaEncryptSegmentedWith,
  rsaDecryptSegmented,
  rsaDecryptSegmentedWith,
  sha1WithRsaSign,
  sha1WithRsaSignWith,
  sha1WithRsaVerify,
  sha1WithRsaVerifyWith,
  type PayoutSealKeys,
  type PayoutOpenKeys,
  type PayoutSealed,
  type PayoutOpened,
} from './rsa/payout.js';

// Money, China time and ids (PROTOCOL §7).
export { yuanToFen, fenToYuan } from './money.js';
export { chinaTime, chinaDateTime, chinaBatchHour, parseChinaTime, chinaTimeMillis, isChinaTime } from './time.js';
export {
  ORDER_NO_MAX_LENGTH,
  ORDER_NO_DEFAULT_LENGTH,
  RANDSTR_MAX_LENGTH,
  newOrderNo,
  randStr,
  type OrderNoOptions,
  type RandStrOptions,
} from './ids.js';
