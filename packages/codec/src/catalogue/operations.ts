/**
 * The assembled catalogue: the four families' operations in one frozen map, the lookups, and the
 * request/response types derived from the data (issue #2 item 3, docs/ARCHITECTURE.md "Catalogue").
 */
import type { Family } from '../crypto-provider.js';
import { MmspValidationError } from '../errors.js';
import { deepFreeze } from './freeze.js';
import { gatewayOperations } from './gateway.js';
import { payoutOperations } from './payout.js';
import { quickPayOperations } from './quick-pay.js';
import type { notifications } from './notifications.js';
import { scanOperations } from './scan.js';
import type { OperationSpec } from './types.js';

/** Named by reference so that declaration files do not inline the whole catalogue. */
type CatalogueData = typeof payoutOperations &
  typeof quickPayOperations &
  typeof scanOperations &
  typeof gatewayOperations;
const data: CatalogueData = { ...payoutOperations, ...quickPayOperations, ...scanOperations, ...gatewayOperations };

/** Every operation of the four families, keyed by name (issue #2 item 3). */
export type OperationName = keyof typeof data;
/** The catalogue entry of operation `N`, with its literal types. */
export type OperationOf<N extends OperationName> = (typeof data)[N];

/** All operations, keyed by name. Frozen. */
export const catalogue: { readonly [N in OperationName]: OperationOf<N> } = deepFreeze(data);

/** Operation names in document order (payout, quick pay, scan code, gateway). */
export const operationNames: readonly OperationName[] = Object.freeze(Object.keys(data) as OperationName[]);

/** True when `name` is an operation of the catalogue (`payout.pay` … `gateway.batchQuery`). */
export function isOperationName(name: unknown): name is OperationName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(data, name);
}

/** The catalogue entry of an operation; throws `MmspValidationError` for an unknown name. */
export function getOperation<N extends OperationName>(name: N): OperationOf<N>;
export function getOperation(name: string): OperationSpec;
export function getOperation(name: string): OperationSpec {
  if (!isOperationName(name)) {
    throw new MmspValidationError([
      {
        field: 'operation',
        rule: 'unknown',
        message: `operation must be one of the catalogue's ${operationNames.length} names (got string(${name.length}))`,
        got: `string(${name.length})`,
      },
    ]);
  }
  return catalogue[name];
}

/** The operation of `family` whose request CommandID (payout: CMDID) is `requestCommandId`. Ids are per family (776). */
export function findOperation(family: Family, requestCommandId: number): OperationSpec | undefined {
  return operationNames
    .map((n) => catalogue[n] as OperationSpec)
    .find((op) => op.family === family && op.requestId === requestCommandId);
}

/**
 * The operation of `family` answering with `responseId`: first by the documented response id,
 * then by the ids seen in the document's examples (`acceptResponseIds`).
 */
export function findOperationByResponseId(family: Family, responseId: number): OperationSpec | undefined {
  const ops = operationNames.map((n) => catalogue[n] as OperationSpec).filter((op) => op.family === family);
  return ops.find((op) => op.responseId === responseId) ?? ops.find((op) => op.acceptResponseIds.includes(responseId));
}

// ── types derived from the data ─────────────────────────────────────────────────────────────

type Simplify<T> = { [K in keyof T]: T[K] } & {};
type FieldsOf<L> = L extends readonly (infer F)[] ? F : never;

/** Value type of a field. Request ints are numbers; response ints may come either way (PROTOCOL §2). */
type ValueOf<F, Mode extends 'request' | 'response'> = F extends { readonly enum: readonly (infer E)[] }
  ? Mode extends 'response'
    ? F extends { readonly type: 'int' }
      ? E | number
      : E
    : E
  : F extends { readonly type: 'int' }
    ? Mode extends 'response'
      ? number | string
      : number
    : F extends { readonly type: 'array'; readonly items: infer I }
      ? ReadonlyArray<Simplify<ObjectOf<I, 'response', 'optional'>>>
      : F extends { readonly type: 'array' }
        ? readonly unknown[]
        : F extends { readonly type: 'object' }
          ? Readonly<Record<string, unknown>>
          : string;

/** Which fields are required keys of the type. */
type IsRequiredKey<F, Need extends 'wire' | 'input' | 'optional'> = Need extends 'optional'
  ? false
  : F extends { readonly presence: 'required' }
    ? Need extends 'input'
      ? F extends { readonly autofill: string }
        ? false
        : true
      : true
    : false;

type ObjectOf<L, Mode extends 'request' | 'response', Need extends 'wire' | 'input' | 'optional'> = {
  [
    F in FieldsOf<L> as IsRequiredKey<F, Need> extends true
      ? F extends { readonly name: infer K extends string }
        ? K
        : never
      : never
  ]: ValueOf<F, Mode>;
} & {
  [
    F in FieldsOf<L> as IsRequiredKey<F, Need> extends true
      ? never
      : F extends { readonly name: infer K extends string }
        ? K
        : never
  ]?: ValueOf<F, Mode>;
};

/**
 * The request Body (payout: the plaintext) exactly as it goes on the wire: required fields
 * required, conditional and optional fields optional, enums as literal unions, strings unless the
 * document says int.
 */
export type RequestBody<N extends OperationName> = Simplify<ObjectOf<OperationOf<N>['request'], 'request', 'wire'>>;

/** What a caller passes: like `RequestBody<N>`, but fields the SDK fills (RANDSTR, REQTIME, VERSION, CMDID, MERNO, CUR, …) are optional. */
export type RequestInput<N extends OperationName> = Simplify<ObjectOf<OperationOf<N>['request'], 'request', 'input'>>;

/**
 * A response Body (payout: the decrypted plaintext). Every field is optional — on a failure status
 * the platform leaves out fields its tables call 必须 — and unknown fields are kept.
 */
export type ResponseBody<N extends OperationName> = Simplify<
  ObjectOf<OperationOf<N>['response'], 'response', 'optional'> & { readonly [extra: string]: unknown }
>;

/** The Body of a family's notification. */
export type NotificationBody<F extends keyof typeof notifications> = Simplify<
  ObjectOf<(typeof notifications)[F]['fields'], 'response', 'optional'> & { readonly [extra: string]: unknown }
>;

/** Operation names of one family. */
export type OperationNameOf<F extends Family> = {
  [N in OperationName]: OperationOf<N>['family'] extends F ? N : never;
}[OperationName];
