// docs/operations.md is generated from the catalogue (scripts/gen-operations.mjs). This renders it
// again, in memory, from the catalogue the tests import (the sources), and fails when the committed
// file is not what the catalogue says today.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { catalogue, notifications, operationNames } from '@mmsp/codec';
import {
  loadCatalogue,
  OPERATIONS_DOC,
  REGENERATE_COMMAND,
  renderOperations,
} from '../../../scripts/gen-operations.mjs';

const root = new URL('../../../', import.meta.url);
const rendered = renderOperations({ catalogue, operationNames, notifications });

describe(`${OPERATIONS_DOC} (generated from the catalogue)`, () => {
  it('is current', () => {
    const committed = readFileSync(new URL(OPERATIONS_DOC, root), 'utf8');
    // Not toBe(rendered): a 1,700-line diff helps nobody; the message says what to do.
    expect(
      committed === rendered,
      `${OPERATIONS_DOC} is not current: run \`${REGENERATE_COMMAND}\` and commit the result`,
    ).toBe(true);
  });

  it('lists every operation with its title, command ids and every request and response field', () => {
    for (const name of operationNames) {
      const op = catalogue[name];
      const start = rendered.indexOf(`### \`${name}\` — ${op.title}`);
      expect(start, name).toBeGreaterThan(0);
      const next = rendered.indexOf('\n### ', start + 1);
      const section = rendered.slice(start, next === -1 ? undefined : next);
      expect(section).toContain(String(op.requestId));
      if (op.responseId !== null) expect(section).toContain(String(op.responseId));
      for (const field of [...op.request, ...op.response] as readonly { name: string }[]) {
        expect(section, `${name} ${field.name}`).toContain(`| \`${field.name}\` |`);
      }
    }
  });

  it('the script loads the same catalogue from the sources without a build', async () => {
    const loaded = await loadCatalogue(new URL('.', root).pathname);
    expect(renderOperations(loaded)).toBe(rendered);
  });
});
