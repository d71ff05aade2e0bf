// MD5 envelopes (PROTOCOL §2): header defaults, building, opening, the platform side.
export { NEGATIVE_RESPONSE_COMMAND_ID, headerDefaults, type EnvelopeFamily, type HeaderDefaults } from './header.js';
export {
  buildEnvelope,
  EnvelopeWriter,
  negativeResponse,
  type BuildEnvelopeInput,
  type BuiltEnvelope,
  type EnvelopeWriterInput,
  type NegativeResponseInput,
} from './build.js';
export { openEnvelope, type OpenEnvelopeOptions, type OpenedEnvelope } from './open.js';
export {
  parseRequestEnvelope,
  type ParseRequestOptions,
  type ParsedRequestEnvelope,
  type RequestParties,
} from './parse-request.js';
