/** Internal token: the options checked once and the client built from them (mmsp.options.ts). */
export const MMSP_RESOLVED_OPTIONS = Symbol.for('@mmsp/nestjs-module:resolved-options');
