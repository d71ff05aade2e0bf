// The mistakes `mmsp doctor` tries (issue #8; the platform FAQ "交易参数签名不符问题": fields not in
// ASCII order, "\" / "/" replaced before signing, numbers wrapped in quotes; PROTOCOL §3). Each
// candidate is a text the other side may have hashed before "&key=", and the key it may have used.
import { PhpArray, phpJsonEncode, signingString, type PhpValue, type SignOptions } from '@mmsp/codec';
import type { BodyInput } from '../body.js';
import {
  byteSorted,
  hasNestedObject,
  mapNumbers,
  numericPaths,
  pathText,
  sortDeep,
  toggleNumber,
  updateAt,
} from './values.js';

export interface TextVariant {
  id: string;
  /** What the signer did, in one sentence. */
  title: string;
  /** What to do about it. */
  fix: string;
  /** The text hashed before "&key=". */
  text: string;
}

export interface KeyVariant {
  id: string;
  title: string;
  fix: string;
  /** Which key: the merchant's or the agent's (`--agent-key`). */
  which: 'merchant' | 'agent';
  key: string;
}

const ENCODINGS: { id: string; title: string; fix: string; options: SignOptions }[] = [
  { id: '', title: '', fix: '', options: {} },
  {
    id: 'unescaped-slashes',
    title: '"/" signed unescaped instead of PHP\'s "\\/"',
    fix: 'sign with "/" escaped as "\\/" (json_encode without JSON_UNESCAPED_SLASHES); if the platform is known to hash "/", use --unescaped-slashes / escapeSlashes: false',
    options: { escapeSlashes: false },
  },
  {
    id: 'escaped-unicode',
    title: 'non-ASCII signed as \\uXXXX escapes',
    fix: 'sign non-ASCII characters raw (json_encode with JSON_UNESCAPED_UNICODE)',
    options: { escapeUnicode: true },
  },
  {
    id: 'unescaped-slashes+escaped-unicode',
    title: '"/" unescaped and non-ASCII as \\uXXXX (a default JSON serializer of another language)',
    fix: 'sign "/" as "\\/" and non-ASCII raw, as PHP\'s json_encode(…, JSON_UNESCAPED_UNICODE) does',
    options: { escapeSlashes: false, escapeUnicode: true },
  },
];

interface Structure {
  id: string;
  title: string;
  fix: string;
  text: (options: SignOptions) => string;
}

/** What was changed in the Body's content or order, before encoding. */
function structures(input: BodyInput): Structure[] {
  const body = input.body;
  const sorted =
    (v: PhpValue) =>
    (options: SignOptions): string =>
      signingString(v as object, options);
  const asIs =
    (v: PhpValue) =>
    (options: SignOptions): string =>
      phpJsonEncode(v, {
        escapeSlashes: options.escapeSlashes !== false,
        escapeUnicode: options.escapeUnicode === true,
      });
  const out: Structure[] = [{ id: '', title: '', fix: '', text: sorted(body) }];
  if (body instanceof PhpArray) {
    out.push({
      id: 'unsorted',
      title: 'the Body signed in its own field order, not sorted A-Z (the FAQ\'s "参数是否按ASCII排序")',
      fix: "sort the Body's top-level fields the way PHP's ksort does before encoding",
      text: asIs(body),
    });
    out.push({
      id: 'byte-sorted',
      title:
        "top-level keys sorted as plain byte strings instead of PHP's ksort SORT_REGULAR (numeric keys compare as numbers)",
      fix: 'sort keys as PHP 8 ksort does (docs/PROTOCOL.md §3: "9" < "10"); use @mmsp/codec signingString',
      text: asIs(byteSorted(body)),
    });
  }
  if (hasNestedObject(body)) {
    out.push({
      id: 'nested-sorted',
      title: "nested objects sorted too (PHP's ksort sorts the top level only)",
      fix: "sort only the Body's top level; nested objects keep their order",
      text: sorted(sortDeep(body)),
    });
  }
  for (const path of numericPaths(body)) {
    let before: PhpValue = null;
    updateAt(body, path, (old) => (before = old));
    const quoted = typeof before !== 'string';
    const name = pathText(path);
    out.push({
      id: `${quoted ? 'quoted' : 'unquoted'}-number:${name}`,
      title: quoted
        ? `${name} signed as a string ("…") although it is sent as a number (the FAQ's "数字类型加了\\"\\"")`
        : `${name} signed as a number although it is sent as a string`,
      fix: `sign ${name} with the JSON type it has on the wire (${quoted ? 'a number' : 'a string'}): never change a field's type between sending and signing`,
      text: sorted(updateAt(body, path, toggleNumber)),
    });
  }
  const quotedAll = mapNumbers(body, 'quote');
  const unquotedAll = mapNumbers(body, 'unquote');
  out.push({
    id: 'all-numbers-quoted',
    title: 'every number signed as a string',
    fix: 'sign each field with the JSON type it has on the wire',
    text: sorted(quotedAll),
  });
  out.push({
    id: 'all-numeric-strings-unquoted',
    title: 'every numeric string signed as a number',
    fix: 'sign each field with the JSON type it has on the wire',
    text: sorted(unquotedAll),
  });
  return out;
}

/** Text-level candidates: the encoded Body combined with each encoding, plus byte-level slips. */
export function textVariants(input: BodyInput): TextVariant[] {
  const seen = new Set<string>();
  const out: TextVariant[] = [];
  const add = (v: TextVariant): void => {
    if (seen.has(v.text)) return;
    seen.add(v.text);
    out.push(v);
  };
  const attempt = (fn: () => TextVariant): void => {
    try {
      add(fn());
    } catch {
      // A variant PHP could not encode (e.g. a huge number quoted back): not a candidate.
    }
  };
  for (const s of structures(input)) {
    for (const e of ENCODINGS) {
      attempt(() => ({
        id: [s.id, e.id].filter(Boolean).join('+') || 'original',
        title: [s.title, e.title].filter(Boolean).join('; ') || 'the Body signed the PHP way',
        fix: [s.fix, e.fix].filter(Boolean).join('; '),
        text: s.text(e.options),
      }));
    }
  }
  const ours = out[0]?.text ?? '';
  const slips: [string, string, string, string][] = [
    [
      'trailing-newline',
      'a line feed (\\n) after the signing string',
      "hash exactly the json_encode output: no newline (check the signer's file or echo)",
      `${ours}\n`,
    ],
    [
      'trailing-crlf',
      'a CRLF (\\r\\n) after the signing string',
      'hash exactly the json_encode output: no line ending',
      `${ours}\r\n`,
    ],
    [
      'trailing-space',
      'a space after the signing string',
      'trim nothing in, add nothing to the json_encode output',
      `${ours} `,
    ],
    [
      'bom',
      'a UTF-8 BOM (EF BB BF) before the signing string',
      'save and hash text without a byte-order mark',
      `\uFEFF${ours}`,
    ],
  ];
  for (const [id, title, fix, text] of slips) add({ id, title: `${title} was hashed`, fix, text });

  const raw = input.rawBodyText;
  if (raw !== undefined) {
    const rawSlips: [string, string, string][] = [
      ['raw-text', 'the Body text exactly as written (not re-encoded the PHP way) was hashed', raw],
      ['raw-text-trimmed', 'the Body text as written, without its surrounding whitespace, was hashed', raw.trim()],
      [
        'raw-text-lf',
        'the Body text as written, with CRLF turned into LF, was hashed',
        raw.replace(/\r\n/g, '\n').trim(),
      ],
      [
        'raw-text-crlf',
        'the Body text as written, with LF turned into CRLF, was hashed',
        raw.replace(/\r?\n/g, '\r\n').trim(),
      ],
    ];
    for (const [id, title, text] of rawSlips) {
      add({
        id,
        title,
        fix: 'hash json_encode(ksort(Body)) (docs/PROTOCOL.md §3), not the text you typed or received; use @mmsp/codec signingString',
        text,
      });
    }
    add({
      id: 'body-as-json-string',
      title: 'the Body encoded as a JSON string ("{\\"…\\"}") was hashed',
      fix: 'send and sign the Body as an object; the platform hashes the decoded, ksorted Body',
      text: phpJsonEncode(raw.trim()),
    });
  }
  attempt(() => ({
    id: 'body-as-json-string-reencoded',
    title: 'the PHP-encoded Body, itself encoded as a JSON string, was hashed',
    fix: 'send and sign the Body as an object, not a JSON string inside the envelope',
    text: phpJsonEncode(ours),
  }));

  const env = input.envelope;
  if (env !== undefined) {
    const withoutSign = new PhpArray(Array.from(env).filter(([k]) => k !== 'Sign'));
    const emptySign = new PhpArray(Array.from(env, ([k, v]) => [k, k === 'Sign' ? '' : v] as [string, PhpValue]));
    const fix = 'sign the Body only (the header and Sign are never signed, docs/PROTOCOL.md §3)';
    attempt(() => ({
      id: 'whole-envelope',
      title: 'the whole envelope (without Sign) was signed instead of the Body',
      fix,
      text: signingString(withoutSign),
    }));
    attempt(() => ({
      id: 'whole-envelope-unsorted',
      title: 'the whole envelope (without Sign, in its own order) was signed instead of the Body',
      fix,
      text: phpJsonEncode(withoutSign),
    }));
    attempt(() => ({
      id: 'whole-envelope-empty-sign',
      title: 'the whole envelope with Sign "" was signed instead of the Body',
      fix,
      text: signingString(emptySign),
    }));
    attempt(() => ({
      id: 'whole-envelope-empty-sign-unsorted',
      title: 'the whole envelope with Sign "" (in its own order) was signed instead of the Body',
      fix,
      text: phpJsonEncode(emptySign),
    }));
    add({
      id: 'whole-envelope-raw',
      title: 'the whole envelope text as written was signed',
      fix,
      text: input.input.text.trim(),
    });
  }
  return out;
}

/** The keys to try: the merchant's, the agent's, each with the slips a key file brings. */
export function keyVariants(merchantKey: string, agentKey: string | undefined, agency: boolean): KeyVariant[] {
  const merchant: KeyVariant = {
    id: 'merchant-key',
    title: agency ? "the merchant's key instead of the agent's" : "the merchant's key",
    fix: agency
      ? 'the message names an AGENTNO: in agency mode the agent\'s key signs ("the agent\'s key takes priority", docs/PROTOCOL.md §3)'
      : '',
    which: 'merchant',
    key: merchantKey,
  };
  const out: KeyVariant[] = [merchant];
  if (agentKey !== undefined && agentKey !== merchantKey) {
    const agent: KeyVariant = {
      id: 'agent-key',
      title: agency ? "the agent's key" : "the agent's key instead of the merchant's",
      fix: agency
        ? ''
        : "the agent's key signs only in agency mode (AGENTNO set, \"the agent's key takes priority\", docs/PROTOCOL.md §3); without AGENTNO sign with the merchant's key",
      which: 'agent',
      key: agentKey,
    };
    if (agency) out.unshift(agent);
    else out.push(agent);
  }
  const bases = [...out];
  for (const base of bases) {
    const slips: [string, string, string][] = [
      ['newline', 'with a line feed at its end (read from a file with its newline)', `${base.key}\n`],
      ['crlf', 'with CRLF at its end', `${base.key}\r\n`],
      ['space', 'with a space at its end', `${base.key} `],
      ['bom', 'with a UTF-8 BOM before it', `\uFEFF${base.key}`],
    ];
    if (base.key.trim() !== base.key)
      slips.push(['trimmed', 'without the whitespace around it that you gave', base.key.trim()]);
    if (base.key.toUpperCase() !== base.key) slips.push(['upper-case', 'in upper case', base.key.toUpperCase()]);
    if (base.key.toLowerCase() !== base.key) slips.push(['lower-case', 'in lower case', base.key.toLowerCase()]);
    for (const [id, title, key] of slips) {
      out.push({
        id: `${base.id}-${id}`,
        title: `${base.title} ${title}`,
        fix: 'use the key exactly as the platform issued it: strip line endings, spaces and BOMs when reading it',
        which: base.which,
        key,
      });
    }
  }
  return out;
}
