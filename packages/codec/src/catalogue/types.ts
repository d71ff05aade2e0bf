/**
 * The shapes of the command catalogue (docs/ARCHITECTURE.md "Catalogue"). The data in the family
 * files (payout.ts, quick-pay.ts, scan.ts, gateway.ts) is declared `as const satisfies …` these
 * shapes, and the per-operation TypeScript types (`RequestBody<N>`, `RequestInput<N>`,
 * `ResponseBody<N>`) are derived from that data, so the data is the single source of truth.
 */
import type { Family } from '../crypto-provider.js';
import type { EnvelopeFamily } from '../envelope/header.js';

/**
 * What a field's text must look like (checked by `validateRequest`).
 * - `digits`: ASCII digits only (payout `ORDERNO` "必须为数字", PROTOCOL §6).
 * - `fen`: an amount in integer fen: positive, digits only, no leading zero (`"100"` = 1.00 yuan, PROTOCOL §7).
 * - `count`: a positive integer as digits without leading zero (`PAGE`, `PERPAGE`); see `range`.
 * - `timestamp14`: `YYYYMMDDhhmmss`, China time (payout `REQTIME`, quick-pay `PAY_DATE`).
 * - `dateTime`: `yyyy-mm-dd hh24:mi:ss` (scan-code `TIME_END`, `TRADETIME`, `PAYTIME`).
 * - `dateHour`: `YYYYMMDDHH` for batch-query windows; the document's own example is `YYYYMMDD`, so 8 digits are accepted too.
 * - `mmyy`: card expiry `MMYY` ("必须4位合法日期").
 * - `url`: an absolute `http://` or `https://` URL.
 * - `mobile`: a mainland mobile number, 11 digits starting with 1.
 * - `cvn`: 3 digits (card security code).
 * - `json`: a JSON text (scan-code `PAY_INFO`).
 * - `orderNo`: an order number or other identifier (`MERORDERID`, `LIST_ID`, `REFUND_MERORDERID`,
 *   `BSORDERNO`, `BIND_ID`…): printable ASCII without spaces, U+0021–U+007E (issue #13 item 10;
 *   the document gives no character set, PROTOCOL §7.2 and §11).
 */
export type FieldFormat =
  | 'digits'
  | 'fen'
  | 'count'
  | 'timestamp14'
  | 'dateTime'
  | 'dateHour'
  | 'mmyy'
  | 'url'
  | 'mobile'
  | 'cvn'
  | 'json'
  | 'orderNo';

/** Wire type as the document's tables give it: `string(N)` → string, `int` → int, `[]` → array. */
export type FieldType = 'string' | 'int' | 'object' | 'array';

/** 必须/必填/是 → required; 条件/二选一 → conditional; 选填/可选/否 → optional. */
export type Presence = 'required' | 'conditional' | 'optional';

/**
 * A value the SDK fills when the caller leaves the field out:
 * `RANDSTR` a random string within the family's rules, `REQTIME` China time `YYYYMMDDhhmmss`,
 * `VERSION` / `CMDID` / `CUR` the constant in `FieldSpec.default`, `MERNO` the configured merchant
 * number (payout plaintext; MD5 families carry it in the envelope header instead), `ORDERNO` a
 * fresh digits-only serial number (payout balance query).
 */
export type Autofill = 'RANDSTR' | 'REQTIME' | 'VERSION' | 'CMDID' | 'CUR' | 'MERNO' | 'ORDERNO';

/**
 * One field of a request or response table of the platform's document, as the catalogue holds
 * it: wire name, label, type, length, presence, format, allowed values. `validateRequest` checks a
 * Body against these; docs/operations.md lists them all.
 */
export interface FieldSpec {
  /** Wire name exactly as the document spells it (typos included: `BUSIYPE`). */
  readonly name: string;
  /** The document's Chinese label or description head. */
  readonly label: string;
  /** Wire type as the table gives it (`string(N)` → `string`, `int`, `[]` → `array`). */
  readonly type: FieldType;
  /** From `string(N)`: maximum length in Unicode characters (see validate.ts for why characters). */
  readonly maxLength?: number;
  /** Minimum length where the document states one (scan code `GOODSNAME` 1~15). */
  readonly minLength?: number;
  /** 必须 / 条件 / 选填: required, conditional (see the operation's `rules`) or optional. */
  readonly presence: Presence;
  /** What the text must look like (fen amount, China time, URL…), see {@link FieldFormat}. */
  readonly format?: FieldFormat;
  /** Allowed values (enums are strings on the wire, PROTOCOL §3). */
  readonly enum?: readonly string[];
  /** The document's meaning of each enum value. */
  readonly meanings?: Readonly<Record<string, string>>;
  /** Inclusive numeric bounds for `count` fields (`PERPAGE` ≤ 1000). */
  readonly range?: { readonly min: number; readonly max: number };
  /** Upper bound of a `fen` amount, in fen (payout: ≤ 10,000,000 yuan). */
  readonly maxFen?: number;
  /** Card, identity or authentication data: never logged, never in an error message. */
  readonly secret?: boolean;
  /**
   * A person's name, phone number or card / account number: logged and shown in errors only masked
   * to its last four characters. The client's redaction is built from these two flags alone
   * (issue #13 item 7), so a new field cannot be forgotten by a separate list.
   */
  readonly personal?: boolean;
  /** What the client fills when the caller leaves the field out (RANDSTR, REQTIME…), see {@link Autofill}. */
  readonly autofill?: Autofill;
  /** Constant the SDK fills for `VERSION`, `CMDID`, `CUR`. */
  readonly default?: string;
  /** Element fields of an `array` field (batch query `BIZ_CONTENT`). */
  readonly items?: readonly FieldSpec[];
  /** The document's description, condensed. */
  readonly description: string;
}

/** A cross-field rule the tables state in prose. */
export type ConditionalRule =
  /** At least one of the fields must be present and non-empty (二选一, "其中必须上送一个"). */
  | {
      readonly kind: 'atLeastOne';
      readonly fields: readonly string[];
      readonly when?: { readonly field: string; readonly in: readonly string[] };
    }
  /** `field` is required when `when.field` has one of the values `when.in`. */
  | {
      readonly kind: 'requiredWhen';
      readonly field: string;
      readonly when: { readonly field: string; readonly in: readonly string[] };
    }
  /** Batch-query window: `end` ≥ `start`, span ≤ `maxMonths`, start no older than `maxMonths` before now. */
  | { readonly kind: 'window'; readonly start: string; readonly end: string; readonly maxMonths: number };

/** A normalized trade state (issue #3): what the client reports in `result.state`. */
export type TradeState = 'paid' | 'paying' | 'failed' | 'refunded' | 'closed' | 'pending' | 'accepted';

/** Which wire field plays which role in a response or notification (for normalisation in the client). */
export interface FieldRoles {
  /** The merchant's order number field (e.g. `MERORDERID`, payout `ORDERNO`). */
  readonly merchantOrderId?: string;
  /** The platform's order number field (e.g. `ORDERNO`, `LIST_ID`). */
  readonly platformOrderId?: string;
  /** The amount field, integer fen (e.g. `AMT`). */
  readonly amount?: string;
  /** The trade state field (e.g. `STATUS`, `PAYSTATE`). */
  readonly state?: string;
  /** The payment time field. */
  readonly paidAt?: string;
}

/**
 * One operation of the platform's document, as the catalogue holds it (`catalogue['scan.wechatOrder']`):
 * name, family, title and section, command ids (PROTOCOL §4), request and response fields,
 * cross-field rules, and how its response normalises to a state. The client is driven by it.
 */
export interface OperationSpec {
  /** The SDK's name of the operation, `family.operation` (e.g. `scan.wechatOrder`). */
  readonly name: string;
  /** The family whose endpoint and envelope carry it (PROTOCOL §1). */
  readonly family: Family;
  /** The document's Chinese title. */
  readonly title: string;
  /** Section number inside the family's document, e.g. `5.3`. */
  readonly section: string;
  /** Request CommandID (decimal, PROTOCOL §4). For payouts: the `CMDID` value (4097…). */
  readonly requestId: number;
  /**
   * Response CommandID the document's command table gives. `null` for payouts: their response
   * (`{RETCODE, …, ENCRYPT}`) carries no command id (PROTOCOL §6).
   */
  readonly responseId: number | null;
  /** Every response CommandID to accept: `responseId` first, then ids seen in the document's examples. */
  readonly acceptResponseIds: readonly number[];
  /** `false` where the document says 暂未开通 / 无法使用 (works, but the client warns once). */
  readonly opened: boolean;
  /** `md5`: the signed envelope (PROTOCOL §2, §3); `rsa`: the payout `{ENCRYPT, SIGN}` (PROTOCOL §6). */
  readonly security: 'md5' | 'rsa';
  /** Body fields (MD5 families; header fields live in the envelope) or plaintext fields (payout). */
  readonly request: readonly FieldSpec[];
  /** The response Body's fields (payout: the decrypted data's). */
  readonly response: readonly FieldSpec[];
  /** Cross-field rules the tables state in prose (二选一, required when…, the batch-query window). */
  readonly rules?: readonly ConditionalRule[];
  /** Response field roles: which field is the merchant order id, platform order id, amount, state. */
  readonly roles?: FieldRoles;
  /** Value of the `roles.state` field → normalized state. */
  readonly states?: Readonly<Record<string, TradeState>>;
  /** Discrepancies between the document's tables and examples, and how they were resolved. */
  readonly notes?: readonly string[];
}

/** The pushed payment-result notification of a family (PROTOCOL §5). */
export interface NotificationSpec {
  /** The family that pushes it (payouts push nothing: they are queried). */
  readonly family: EnvelopeFamily;
  /** The document's Chinese title. */
  readonly title: string;
  /** Section number inside the family's document (quick pay 5.5, gateway 5.2, scan code 10.8). */
  readonly section: string;
  /** CommandIDs seen for this family's notification (table and examples); trust only the signature. */
  readonly commandIds: readonly number[];
  /** The Body's fields. */
  readonly fields: readonly FieldSpec[];
  /** Which field is the merchant order id, platform order id, amount, payment time and state. */
  readonly roles: Required<Pick<FieldRoles, 'merchantOrderId' | 'platformOrderId' | 'amount' | 'paidAt' | 'state'>>;
  /** Format of the `paidAt` field. */
  readonly paidAtFormat: 'timestamp14' | 'dateTime';
  /** Value of the state field → normalized state. */
  readonly states: Readonly<Record<string, TradeState>>;
  /** Discrepancies between the document's tables and examples, and how they were resolved. */
  readonly notes?: readonly string[];
}
