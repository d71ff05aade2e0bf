#!/usr/bin/env node
// Generates docs/operations.md from the command catalogue (packages/codec/src/catalogue/*.ts):
// every operation with its SDK name, Chinese title, family, command ids and every request and
// response field. `pnpm docs:operations` rewrites the file; `--check` only says whether it is
// current. packages/codec/test/operations-doc.test.ts renders it in memory from the catalogue the
// tests import and fails when the committed file differs.
//
// The catalogue is TypeScript; this script bundles packages/codec/src/catalogue/index.ts with
// esbuild (a root devDependency) and imports the result, so it needs no prior build.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const OPERATIONS_DOC = 'docs/operations.md';
export const REGENERATE_COMMAND = 'pnpm docs:operations';

const FAMILIES = [
  { id: 'payout', name: 'Payout 代付', doc: '代付' },
  { id: 'quickPay', name: 'Quick pay 快捷支付', doc: '快捷' },
  { id: 'scan', name: 'Scan code 扫码', doc: '扫码' },
  { id: 'gateway', name: 'Gateway 网关', doc: '网关' },
];
const familyOf = (id) => FAMILIES.find((f) => f.id === id) ?? { id, name: id, doc: id };

/** A table cell: one line, pipes escaped. */
function cell(text) {
  return String(text ?? '')
    .replace(/\r?\n/g, ' ')
    .replace(/\|/g, '\\|')
    .trim();
}

const code = (s) => `\`${s}\``;
const hex = (n) => `0x${n.toString(16).toUpperCase().padStart(4, '0')}`;

function values(field) {
  const parts = [];
  if (field.enum) {
    parts.push(field.enum.map((v) => (field.meanings?.[v] ? `${code(v)} ${field.meanings[v]}` : code(v))).join(', '));
    const extra = Object.keys(field.meanings ?? {}).filter((v) => !field.enum.includes(v));
    if (extra.length)
      parts.push(`documented but refused: ${extra.map((v) => `${code(v)} ${field.meanings[v]}`).join(', ')}`);
  } else if (field.meanings) {
    parts.push(
      `values: ${Object.entries(field.meanings)
        .map(([v, m]) => `${code(v)} ${m}`)
        .join(', ')}`,
    );
  }
  return parts;
}

function formatCell(field) {
  const parts = [];
  if (field.format) parts.push(code(field.format));
  parts.push(...values(field));
  if (field.range) parts.push(`${field.range.min}–${field.range.max}`);
  if (field.maxFen !== undefined) parts.push(`≤ ${field.maxFen} fen`);
  if (field.default !== undefined) parts.push(`default ${code(field.default)}`);
  return parts.join('; ');
}

function lengthCell(field) {
  if (field.maxLength === undefined) return field.minLength !== undefined ? `≥ ${field.minLength}` : '';
  return field.minLength !== undefined ? `${field.minLength}–${field.maxLength}` : `≤ ${field.maxLength}`;
}

function presenceCell(field) {
  const parts = [field.presence];
  if (field.autofill) parts.push('filled by the SDK');
  return parts.join(', ');
}

function notesCell(field) {
  const parts = [field.description];
  if (field.secret) parts.push('**secret**: never logged');
  return parts.filter(Boolean).join('. ');
}

function fieldRows(fields, prefix = '') {
  const rows = [];
  for (const f of fields) {
    rows.push(
      `| ${cell(code(prefix + f.name))} | ${cell(f.label)} | ${cell(presenceCell(f))} | ${cell(f.type)} | ${cell(lengthCell(f))} | ${cell(formatCell(f))} | ${cell(notesCell(f))} |`,
    );
    if (f.items) rows.push(...fieldRows(f.items, `${prefix}${f.name}[].`));
  }
  return rows;
}

function fieldTable(fields) {
  if (fields.length === 0) return ['None.', ''];
  return [
    '| field | label | presence | type | length | format / values | notes |',
    '|---|---|---|---|---|---|---|',
    ...fieldRows(fields),
    '',
  ];
}

function ruleText(rule) {
  const when = rule.when ? ` when ${code(rule.when.field)} is ${rule.when.in.map(code).join(' or ')}` : '';
  switch (rule.kind) {
    case 'atLeastOne':
      return `at least one of ${rule.fields.map(code).join(', ')}${when}`;
    case 'requiredWhen':
      return `${code(rule.field)} is required${when}`;
    case 'window':
      return `${code(rule.start)}–${code(rule.end)}: end not before start, at most ${rule.maxMonths} months long and back from now`;
    default:
      return JSON.stringify(rule);
  }
}

function statesText(stateField, states) {
  return Object.entries(states)
    .map(([v, s]) => `${code(`${stateField} ${v}`)} → ${s}`)
    .join(', ');
}

function commandIds(op) {
  if (op.security === 'rsa') {
    return [
      `| request | ${code('CMDID')} ${code(`"${op.requestId}"`)} (${hex(op.requestId)}) in the plaintext |`,
      '| response | no command id (RSA response, PROTOCOL §6) |',
    ];
  }
  const others = op.acceptResponseIds.filter((id) => id !== op.responseId);
  return [
    `| request CommandID | ${op.requestId} (${hex(op.requestId)}) |`,
    `| response CommandID | ${op.responseId} (${hex(op.responseId)})${others.length ? `; also accepted: ${others.join(', ')}` : ''} |`,
  ];
}

function renderOperation(op) {
  const fam = familyOf(op.family);
  const out = [
    `### ${code(op.name)} — ${op.title}`,
    '',
    '| | |',
    '|---|---|',
    `| family | ${fam.name} (${code(op.family)}), ${op.security === 'rsa' ? 'RSA' : 'MD5'} |`,
    `| document | ${fam.doc} §${op.section} |`,
    ...commandIds(op),
    `| opened | ${op.opened ? 'yes' : 'no: 暂未开通 (sent anyway, with a warning)'} |`,
  ];
  if (op.roles)
    out.push(
      `| roles | ${cell(
        Object.entries(op.roles)
          .map(([role, f]) => `${role} ${code(f)}`)
          .join(', '),
      )} |`,
    );
  if (op.states && op.roles?.state) out.push(`| states | ${cell(statesText(op.roles.state, op.states))} |`);
  out.push('', '**Request**', '', ...fieldTable(op.request), '**Response**', '', ...fieldTable(op.response));
  if (op.rules?.length) out.push('**Rules**', '', ...op.rules.map((r) => `- ${ruleText(r)}`), '');
  if (op.notes?.length) out.push('**Notes**', '', ...op.notes.map((n) => `- ${n}`), '');
  return out;
}

function renderNotification(spec) {
  const fam = familyOf(spec.family);
  return [
    `### ${fam.name}: ${spec.title}`,
    '',
    '| | |',
    '|---|---|',
    `| document | ${fam.doc} §${spec.section} |`,
    `| CommandID | ${spec.commandIds.join(', ')} (any notification id is accepted; only the signature is trusted) |`,
    `| roles | ${cell(
      Object.entries(spec.roles)
        .map(([role, f]) => `${role} ${code(f)}`)
        .join(', '),
    )} (paid at: ${code(spec.paidAtFormat)}) |`,
    `| states | ${cell(statesText(spec.roles.state, spec.states))} |`,
    '',
    ...fieldTable(spec.fields),
    ...(spec.notes?.length ? ['**Notes**', '', ...spec.notes.map((n) => `- ${n}`), ''] : []),
  ];
}

/**
 * The text of docs/operations.md for a catalogue (`@mmsp/codec`'s `catalogue`, `operationNames`
 * and `notifications`).
 */
export function renderOperations({ catalogue, operationNames, notifications }) {
  const ops = operationNames.map((n) => catalogue[n]);
  const out = [
    '<!-- Generated by `pnpm docs:operations` (scripts/gen-operations.mjs) from packages/codec/src/catalogue. Do not edit by hand. -->',
    '',
    '# Operations',
    '',
    `Every operation of the command catalogue (${ops.length} operations) and the pushed notifications, as`,
    'the SDK sends and reads them. Field names are the wire names, exactly as the platform document',
    "spells them; labels are the document's Chinese labels. Presence: `required` (必须), `optional`",
    '(可选/选填), `conditional` (条件, or one of several, see **Rules**); "filled by the SDK" fields may be',
    'left out by the caller. Lengths are `string(N)` limits in characters. Response fields are all',
    'optional to the SDK (a refusal leaves out fields the tables call required) and unknown fields are',
    'kept. A request key its table does not list is refused before sending, naming the nearest known',
    'field; `orderNo` fields are printable ASCII without spaces, and no text field may hold a control',
    'character. The reading behind each choice is in [PROTOCOL.md](PROTOCOL.md) (§4 command ids, §7',
    'fields, §9 states, §11 decisions); the document sections are those of its §12 index.',
    '',
    '| operation | title | family | document | request | response |',
    '|---|---|---|---|---|---|',
    ...ops.map((op) => {
      const fam = familyOf(op.family);
      const anchor = op.name.toLowerCase().replace(/[^a-z0-9]+/g, '');
      return `| [${code(op.name)}](#${anchor}--${op.title.replace(/[^\p{L}\p{N}]+/gu, '').toLowerCase()}) | ${cell(op.title)} | ${code(op.family)} | ${fam.doc} §${op.section} | ${op.security === 'rsa' ? `CMDID ${op.requestId}` : op.requestId} | ${op.responseId ?? '—'} |`;
    }),
    '',
  ];
  for (const fam of FAMILIES) {
    const famOps = ops.filter((op) => op.family === fam.id);
    if (famOps.length === 0) continue;
    out.push(`## ${fam.name}`, '');
    for (const op of famOps) out.push(...renderOperation(op));
  }
  out.push(
    '## Notifications',
    '',
    'The Body the platform pushes to `NOTIFY_URL` after a successful payment (PROTOCOL §5).',
    '',
  );
  for (const spec of Object.values(notifications)) out.push(...renderNotification(spec));
  return `${out
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()}\n`;
}

/** Bundles the catalogue sources with esbuild and imports them. */
export async function loadCatalogue(root = fileURLToPath(new URL('..', import.meta.url))) {
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: [join(root, 'packages/codec/src/catalogue/index.ts')],
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    write: false,
    logLevel: 'silent',
  });
  const text = result.outputFiles[0].text;
  return import(`data:text/javascript;base64,${Buffer.from(text).toString('base64')}`);
}

async function main() {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const target = join(root, OPERATIONS_DOC);
  const text = renderOperations(await loadCatalogue(root));
  let current = '';
  try {
    current = readFileSync(target, 'utf8');
  } catch {
    current = '';
  }
  if (process.argv.includes('--check')) {
    if (current !== text) {
      console.error(`${OPERATIONS_DOC} is not current: run \`${REGENERATE_COMMAND}\``);
      process.exit(1);
    }
    console.log(`${OPERATIONS_DOC} is current`);
    return;
  }
  if (current === text) {
    console.log(`${OPERATIONS_DOC} is already current`);
    return;
  }
  writeFileSync(target, text);
  console.log(`wrote ${OPERATIONS_DOC} (${text.split('\n').length} lines)`);
}

if (process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url) {
  await main();
}
