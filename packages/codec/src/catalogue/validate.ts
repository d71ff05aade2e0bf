/**
 * Request validation against the catalogue: every problem at once, each naming the field and the
 * rule and describing the value's shape (`string(40)`), never the value itself — so no card number,
 * CVN2, ID number or key can leak into an error, a log line or a snapshot (DEVELOPERS.md Standards).
 *
 * Decisions:
 * - Types are never coerced: a number where the document says string is reported, because `"1"`
 *   and `1` sign differently (PROTOCOL §3, the FAQ's third cause of signature mismatch).
 * - `string(N)` is measured in Unicode characters (code points), not UTF-8 bytes: the document
 *   defines string as "由char组成的字符串", its GOODSNAME row says "长度限制 1~15个字符串", and a
 *   MySQL varchar(N) behind a PHP platform counts characters. (Bytes would reject a 7-character
 *   Chinese ACCNAME against string(20).)
 * - A key the operation's table does not list is refused (rule `unknown`), naming the nearest known
 *   field ("did you mean AMT?", case-insensitive, then by edit distance): a misspelt `amt` or
 *   `AMOUNT` would otherwise go out unsigned-for and leave the real field missing (issue #13 item
 *   10). The document's own undocumented example fields (payout QRYTYPE) are in the catalogue.
 *   `unknownFields: 'allow'` lets them through (the sandbox, which plays a platform that ignores
 *   them); `unknownFields()` lists them.
 * - An own `__proto__`, `constructor` or `prototype` key is always refused (rule `forbidden`):
 *   `JSON.parse` makes `__proto__` an own key, and such a key changes objects in code that copies
 *   the Body naively. Keys are read with `Object.keys`, never through the prototype.
 * - Text fields carry no control characters (U+0000–U+001F, U+007F–U+009F) nor the line
 *   separators U+2028/U+2029 (rule `control`): a NUL or a newline in a name or a memo is never what
 *   the merchant meant and breaks the platform's logs and exports. Order numbers and other
 *   identifiers (format `orderNo`) are printable ASCII without spaces (rule `charset`).
 * - An empty string for a required field counts as missing.
 */
import type { FieldIssue } from '../errors.js';
import { catalogue, isOperationName } from './operations.js';
import type { ConditionalRule, FieldSpec, OperationSpec } from './types.js';

/** Options of {@link validateRequest} (and of `validateAgainst`, its form for one spec). */
export interface ValidateOptions {
  /** "Now" for the batch-query 3-month window (PROTOCOL §7); default the current time. */
  now?: Date;
  /**
   * How `string(N)` is measured: `characters` (default, see above) or `bytes` (UTF-8, PHP `strlen`),
   * for a merchant whose channel turns out to count bytes.
   */
  lengthUnit?: 'characters' | 'bytes';
  /**
   * Keys the operation's table does not list: `refuse` (default, rule `unknown` with the nearest
   * known name) or `allow`. Own `__proto__` / `constructor` / `prototype` keys are refused either way.
   */
  unknownFields?: 'refuse' | 'allow';
}

/** The shape of a value, never the value: `missing`, `null`, `string(12)`, `integer`, `number`, `boolean`, `array(2)`, `object`. */
export function describeShape(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (typeof value === 'string') return `string(${charLength(value)})`;
  if (typeof value === 'bigint') return 'integer';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  if (typeof value === 'boolean') return 'boolean';
  if (Array.isArray(value)) return `array(${value.length})`;
  return typeof value === 'object' ? 'object' : typeof value;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** C0 and C1 control characters, DEL, and the Unicode line and paragraph separators. */
const CONTROL = /[\u0000-\u001F\u007F-\u009F\u2028\u2029]/;
/** Printable ASCII without the space: what an order number or identifier may contain. */
const ORDER_NO = /^[\x21-\x7E]+$/;
/** Keys that reach an object's prototype in code that copies or merges the Body. */
const PROTOTYPE_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** Length in Unicode code points (a lone surrogate counts as one). */
function charLength(s: string): number {
  return scanText(s) >>> 1;
}

/**
 * One pass over a text: its length in code points (a lone surrogate counts as one) times two,
 * plus 1 when it holds a character the `LONE_SURROGATE` or `CONTROL` rule may refuse (the rules
 * then decide). What `[...s].length` and those two expressions give, without an iterator
 * (test/validate-scan.test.ts proves it).
 */
export function scanText(s: string): number {
  let n = 0;
  let suspect = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x20 && c < 0x7f) {
      // Printable ASCII, the common case: one test.
      n++;
      continue;
    }
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c === 0x2028 || c === 0x2029) suspect = 1;
    else if (c >= 0xd800 && c <= 0xdfff) {
      const next = i + 1 < s.length ? s.charCodeAt(i + 1) : 0;
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) i++;
      else suspect = 1;
    }
    n++;
  }
  return n * 2 + suspect;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function own(body: Record<string, unknown>, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(body, key) ? body[key] : undefined;
}

/** UTF-8 byte length (PHP `strlen` of the text PHP receives). */
function byteLength(s: string): number {
  let n = 0;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    n += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }
  return n;
}

/** Present for cross-field rules: given and not an empty string. */
function given(v: unknown): boolean {
  return v !== undefined && v !== null && v !== '';
}

const DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
function validDate(y: number, mo: number, d: number, h = 0, mi = 0, s = 0): boolean {
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return d <= (mo === 2 && !leap ? 28 : (DAYS[mo - 1] ?? 0));
}

/** `YYYYMMDD[HH[mm[ss]]]` digits → naive UTC milliseconds (China wall time), or undefined. */
function compactTime(s: string, lengths: readonly number[]): number | undefined {
  if (!/^\d+$/.test(s) || !lengths.includes(s.length)) return undefined;
  const n = (a: number, b: number) => Number(s.slice(a, b) || '0');
  const [y, mo, d, h, mi, sec] = [n(0, 4), n(4, 6), n(6, 8), n(8, 10), n(10, 12), n(12, 14)];
  return validDate(y, mo, d, h, mi, sec) ? Date.UTC(y, mo - 1, d, h, mi, sec) : undefined;
}

function dashedTime(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(s);
  return m !== null && validDate(Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
}

/** Format checks: returns the rule and a description of the expected shape when the text fails. */
function checkFormat(spec: FieldSpec, s: string): { rule: string; expected: string } | undefined {
  switch (spec.format) {
    case 'digits':
      return /^\d+$/.test(s) ? undefined : { rule: 'digits', expected: 'must contain digits only' };
    case 'fen':
      if (!/^[1-9]\d*$/.test(s))
        return {
          rule: 'fen',
          expected:
            'must be an amount in fen: a positive integer in digits, no sign, decimal point or leading zero ("100" = 1.00 yuan)',
        };
      if (spec.maxFen !== undefined && BigInt(s) > BigInt(spec.maxFen))
        return { rule: 'max', expected: `must not exceed ${spec.maxFen} fen (${spec.maxFen / 100} yuan)` };
      return undefined;
    case 'count':
      if (!/^[1-9]\d*$/.test(s))
        return { rule: 'digits', expected: 'must be a positive integer in digits without leading zero' };
      if (spec.range && (BigInt(s) < BigInt(spec.range.min) || BigInt(s) > BigInt(spec.range.max)))
        return { rule: 'range', expected: `must be between ${spec.range.min} and ${spec.range.max}` };
      return undefined;
    case 'timestamp14':
      return compactTime(s, [14]) === undefined
        ? { rule: 'format', expected: 'must be a valid time YYYYMMDDhhmmss (China time)' }
        : undefined;
    case 'dateHour':
      return compactTime(s, [10, 8]) === undefined
        ? { rule: 'format', expected: 'must be a valid YYYYMMDDHH (or YYYYMMDD) date' }
        : undefined;
    case 'dateTime':
      return dashedTime(s)
        ? undefined
        : { rule: 'format', expected: 'must be a valid time yyyy-mm-dd hh24:mi:ss (China time)' };
    case 'mmyy':
      return /^(0[1-9]|1[0-2])\d{2}$/.test(s)
        ? undefined
        : { rule: 'format', expected: 'must be a card expiry MMYY (4 digits, month 01-12)' };
    case 'cvn':
      return /^\d{3}$/.test(s) ? undefined : { rule: 'format', expected: 'must be 3 digits' };
    case 'mobile':
      return /^1\d{10}$/.test(s)
        ? undefined
        : { rule: 'format', expected: 'must be an 11-digit mobile number starting with 1' };
    case 'url':
      // Linear in the length (issue #13 item 8): no expression that can backtrack on a long text ending in a space.
      return urlOk(s)
        ? undefined
        : { rule: 'format', expected: 'must be an absolute http:// or https:// URL without spaces' };
    case 'json':
      try {
        JSON.parse(s);
        return undefined;
      } catch {
        return { rule: 'format', expected: 'must be a JSON text' };
      }
    case 'orderNo':
      return ORDER_NO.test(s)
        ? undefined
        : {
            rule: 'charset',
            expected: `must be printable ASCII without spaces (letters, digits and punctuation, U+0021-U+007E); it contains ${orderNoOffence(s)}`,
          };
    case undefined:
      return undefined;
  }
}

/** What kind of character breaks an order number (never the character itself, nor the value). */
function orderNoOffence(s: string): string {
  if (/ /.test(s)) return 'a space';
  if (/[^\x00-\x7F]/.test(s)) return 'a non-ASCII character';
  return 'a control character';
}

/** An absolute http(s) URL without whitespace, with a host part: one pass over the text, no backtracking. */
function urlOk(s: string): boolean {
  const scheme = /^https?:\/\//i.exec(s);
  if (scheme === null || s.length === scheme[0].length) return false;
  const first = s.charCodeAt(scheme[0].length);
  if (first === 0x2f || first === 0x3f || first === 0x23) return false; // '/', '?', '#': no host
  return !/\s/.test(s);
}

function typeOk(spec: FieldSpec, v: unknown): boolean {
  switch (spec.type) {
    case 'string':
      return typeof v === 'string';
    case 'int':
      return typeof v === 'bigint' || (typeof v === 'number' && Number.isInteger(v));
    case 'array':
      return Array.isArray(v);
    case 'object':
      return isPlainObject(v);
  }
}

const TYPE_WORDS = {
  string: 'a string (never coerced: "1" and 1 sign differently, docs/PROTOCOL.md §3)',
  int: 'an integer',
  array: 'an array',
  object: 'an object',
} as const;

/** The type a field is written as in messages: `string(N)` or its type. */
function shapeOf(spec: FieldSpec): string {
  return spec.type === 'string' && spec.maxLength !== undefined ? `string(${spec.maxLength})` : spec.type;
}

/** The value's shape (`got`) is described only for a field that has a problem. */
function fieldIssues(spec: FieldSpec, v: unknown, out: FieldIssue[], unit: 'characters' | 'bytes'): void {
  const f = spec.name;
  if (v === undefined || (v === '' && spec.presence === 'required')) {
    if (spec.presence === 'required') {
      const got = describeShape(v);
      out.push({
        field: f,
        rule: 'required',
        message: `${f} (${spec.label}) is required: ${shapeOf(spec)}${v === '' ? ', not empty' : ''} (got ${got})`,
        got,
      });
    }
    return;
  }
  if (!typeOk(spec, v)) {
    const got = describeShape(v);
    out.push({ field: f, rule: 'type', message: `${f} must be ${TYPE_WORDS[spec.type]} (got ${got})`, got });
    return;
  }
  if (typeof v !== 'string' || v === '') return;
  const scan = scanText(v);
  const len = scan >>> 1;
  if ((scan & 1) === 1) {
    if (LONE_SURROGATE.test(v)) {
      // PHP's json_encode fails on it, so the request could never be signed (PROTOCOL §3).
      const got = `string(${len})`;
      out.push({
        field: f,
        rule: 'encoding',
        message: `${f} must be well-formed Unicode: it contains a lone surrogate, which cannot be encoded as UTF-8 (got ${got})`,
        got,
      });
      return;
    }
    if (CONTROL.test(v)) {
      const got = `string(${len})`;
      out.push({
        field: f,
        rule: 'control',
        message: `${f} must not contain control characters (NUL, tab, line breaks: U+0000-U+001F, U+007F-U+009F, U+2028, U+2029) (got ${got})`,
        got,
      });
      return;
    }
  }
  if (spec.maxLength !== undefined) {
    const measured = unit === 'bytes' ? byteLength(v) : len;
    if (measured > spec.maxLength) {
      const got = `string(${len})`;
      const gotUnit = unit === 'bytes' ? `${got}, ${measured} UTF-8 bytes` : got;
      out.push({
        field: f,
        rule: 'maxLength',
        message: `${f} is longer than ${shapeOf(spec)}: at most ${spec.maxLength} ${unit} (got ${gotUnit})`,
        got,
      });
    }
  }
  if (spec.minLength !== undefined && len < spec.minLength) {
    const got = `string(${len})`;
    out.push({
      field: f,
      rule: 'minLength',
      message: `${f} must have at least ${spec.minLength} characters (got ${got})`,
      got,
    });
  }
  if (spec.enum !== undefined && !spec.enum.includes(v)) {
    const got = `string(${len})`;
    const allowed = spec.enum.map((e) => (spec.meanings?.[e] ? `"${e}" (${spec.meanings[e]})` : `"${e}"`)).join(', ');
    out.push({ field: f, rule: 'enum', message: `${f} must be one of ${allowed} (got ${got})`, got });
    return;
  }
  if (spec.format === undefined) return;
  const bad = checkFormat(spec, v);
  if (bad)
    out.push({ field: f, rule: bad.rule, message: `${f} ${bad.expected} (got string(${len}))`, got: `string(${len})` });
}

function addMonths(ms: number, months: number): number {
  const d = new Date(ms);
  const target = new Date(
    Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1, d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds()),
  );
  const last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d.getUTCDate(), last));
  return target.getTime();
}

function ruleIssues(
  rule: ConditionalRule,
  body: Record<string, unknown>,
  options: ValidateOptions,
  out: FieldIssue[],
): void {
  switch (rule.kind) {
    case 'atLeastOne': {
      if (rule.when && !rule.when.in.includes(own(body, rule.when.field) as string)) return;
      const fields = rule.fields;
      for (let i = 0; i < fields.length; i++) if (given(own(body, fields[i]!))) return;
      const cond = rule.when ? ` when ${rule.when.field} is ${rule.when.in.map((x) => `"${x}"`).join(' or ')}` : '';
      out.push({
        field: rule.fields.join('|'),
        rule: 'atLeastOne',
        message: `one of ${rule.fields.join(', ')} is required${cond} (got none)`,
        got: 'missing',
      });
      return;
    }
    case 'requiredWhen': {
      if (!rule.when.in.includes(own(body, rule.when.field) as string) || given(own(body, rule.field))) return;
      const got = describeShape(own(body, rule.field));
      out.push({
        field: rule.field,
        rule: 'requiredWhen',
        message: `${rule.field} is required when ${rule.when.field} is ${rule.when.in.map((x) => `"${x}"`).join(' or ')} (got ${got})`,
        got,
      });
      return;
    }
    case 'window': {
      const a = own(body, rule.start),
        b = own(body, rule.end);
      const start = typeof a === 'string' ? compactTime(a, [10, 8]) : undefined;
      const end = typeof b === 'string' ? compactTime(b, [10, 8]) : undefined;
      if (start === undefined || end === undefined) return; // reported by the format check
      if (end < start) {
        out.push({ field: rule.end, rule: 'window', message: `${rule.end} must not be before ${rule.start}` });
      } else if (end > addMonths(start, rule.maxMonths)) {
        out.push({
          field: rule.end,
          rule: 'window',
          message: `${rule.start}..${rule.end} must span at most ${rule.maxMonths} months`,
        });
      }
      // "只能查询日期是截止当前时间3个月之内的数据": compare by China calendar day (UTC+8 whatever the host zone).
      const nowChina = (options.now ?? new Date()).getTime() + 8 * 3600_000;
      const day = (ms: number) => Math.floor(ms / 86_400_000);
      if (day(start) < day(addMonths(nowChina, -rule.maxMonths))) {
        out.push({
          field: rule.start,
          rule: 'window',
          message: `${rule.start} must be within the last ${rule.maxMonths} months (China time)`,
        });
      }
      return;
    }
  }
}

const NO_OPTIONS: ValidateOptions = Object.freeze({});

/**
 * Every problem of a request body against one operation's spec (the spec read from `getOperation`), at
 * once; `validateRequest` looks the spec up by name first. A client that already holds the spec calls this.
 */
export function validateAgainst(
  spec: OperationSpec,
  body: unknown,
  options: ValidateOptions = NO_OPTIONS,
): FieldIssue[] {
  if (!isPlainObject(body)) {
    const got = describeShape(body);
    return [
      { field: 'Body', rule: 'type', message: `${spec.name}: the request body must be an object (got ${got})`, got },
    ];
  }
  const out: FieldIssue[] = [];
  const unit = options.lengthUnit ?? 'characters';
  const request = spec.request;
  for (let i = 0; i < request.length; i++) {
    const f = request[i]!;
    fieldIssues(f, own(body, f.name), out, unit);
  }
  const rules = spec.rules;
  if (rules !== undefined) for (let i = 0; i < rules.length; i++) ruleIssues(rules[i]!, body, options, out);
  keyIssues(spec, body, options.unknownFields ?? 'refuse', out);
  return out;
}

/** A key as it may appear in a message: printable ASCII up to 40 characters as is, anything else quoted and cut. */
function showKey(key: string): string {
  if (/^[\x21-\x7E]{1,40}$/.test(key)) return key;
  const cut = [...key].slice(0, 40).join('');
  return `${JSON.stringify(cut)}${cut.length < key.length ? '…' : ''}`;
}

/**
 * The names of a request table, made once per table when the table is frozen (the catalogue's
 * are, deeply): a constant derived from constant data, so every validation of an operation uses
 * the same list instead of building it per call. A table that may still change is read each time.
 */
const FIELD_NAMES = new WeakMap<readonly FieldSpec[], { names: readonly string[]; known: ReadonlySet<string> }>();

/** The table read last, and its names: a client calls one operation over and over. */
let lastRequest: readonly FieldSpec[] | undefined;
let lastNames: { names: readonly string[]; known: ReadonlySet<string> } | undefined;

function fieldNames(request: readonly FieldSpec[]): { names: readonly string[]; known: ReadonlySet<string> } {
  if (request === lastRequest) return lastNames!;
  let entry = FIELD_NAMES.get(request);
  if (entry === undefined) {
    const names = request.map((f) => f.name);
    entry = { names, known: new Set(names) };
    if (Object.isFrozen(request) && request.every((f) => Object.isFrozen(f))) FIELD_NAMES.set(request, entry);
    else return entry;
  }
  lastRequest = request;
  lastNames = entry;
  return entry;
}

/** Own keys the table does not list (`unknown`, with the nearest known name) and prototype keys (`forbidden`). */
function keyIssues(
  spec: OperationSpec,
  body: Record<string, unknown>,
  mode: 'refuse' | 'allow',
  out: FieldIssue[],
): void {
  const { names, known } = fieldNames(spec.request);
  const keys = Object.keys(body);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    if (known.has(key)) continue;
    const shown = showKey(key);
    if (PROTOTYPE_KEYS.has(key)) {
      out.push({
        field: shown,
        rule: 'forbidden',
        message: `${shown} is never a wire field: an own "${key}" key (as JSON.parse makes) would reach object prototypes; remove it`,
      });
      continue;
    }
    if (mode === 'allow') continue;
    const near = nearestName(key, names);
    out.push({
      field: shown,
      rule: 'unknown',
      message: `${shown} is not a field of ${spec.name} (docs/operations.md lists its fields; names are case-sensitive)${near !== undefined ? `: did you mean ${near}?` : ''}`,
      got: describeShape(body[key]),
      ...(near !== undefined ? { suggestion: near } : {}),
    });
  }
}

/**
 * The known field nearest to a misspelt key: the same name in another case or with `_`/`-`/spaces
 * left out or added (`amt`, `MER_ORDER_ID`), else the smallest edit distance (insertions,
 * deletions, substitutions, adjacent swaps) within half the longer name (`AMOUNT` → `AMT`); none
 * when nothing is that close.
 */
export function nearestName(key: string, names: readonly string[]): string | undefined {
  const norm = (s: string) => s.toUpperCase().replace(/[\s_-]+/g, '');
  const k = norm(key.slice(0, 64));
  if (k === '') return undefined;
  const same = names.find((n) => norm(n) === k);
  if (same !== undefined) return same;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const n of names) {
    const d = editDistance(k, norm(n));
    if (d < bestDistance && d <= Math.max(2, Math.ceil(Math.max(k.length, n.length) / 2))) {
      best = n;
      bestDistance = d;
    }
  }
  return best;
}

/** Optimal string alignment distance (Damerau-Levenshtein without repeated edits of one substring). */
function editDistance(a: string, b: string): number {
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    rows.push([i]);
    for (let j = 1; j <= b.length; j++) {
      if (i === 0) {
        rows[0]!.push(j);
        continue;
      }
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2]![j - 2]! + 1);
      rows[i]!.push(d);
    }
  }
  return rows[a.length]![b.length]!;
}

/**
 * Every problem of a request body for operation `name`, at once (issue #2 item 3). An empty array
 * means valid. The caller throws `new MmspValidationError(issues, name)` when it is not empty.
 */
export function validateRequest(name: string, body: unknown, options: ValidateOptions = {}): FieldIssue[] {
  if (!isOperationName(name)) {
    return [
      {
        field: 'operation',
        rule: 'unknown',
        message: `operation is not in the catalogue (got ${describeShape(name)})`,
        got: describeShape(name),
      },
    ];
  }
  return validateAgainst(catalogue[name], body, options);
}

/** Keys of `body` that the operation's table does not list (allowed, but worth a warning). */
export function unknownFields(name: string, body: unknown): string[] {
  if (!isOperationName(name) || !isPlainObject(body)) return [];
  const known = new Set(catalogue[name].request.map((f: FieldSpec) => f.name));
  return Object.keys(body).filter((k) => !known.has(k));
}
