/**
 * Issue #8 contract as a stranger reads it: "`--json` output for scripts" and "`--help` on every
 * command with an example". Every command accepts --json (payout seal used to refuse it as an
 * unknown option although its output is JSON) and its output then parses as JSON; every command's
 * --help exits 0 with an example. Runs the built binary.
 */
import { describe, expect, it } from 'vitest';
import { KEY, mmsp, tempDir, write } from './helpers.js';

describe('mmsp --json and --help on every command', () => {
  it('payout seal --json prints {ENCRYPT, SIGN} that parses', () => {
    const dir = tempDir();
    expect(mmsp(['keygen', '--out', `${dir}/platform`]).status).toBe(0);
    expect(mmsp(['keygen', '--out', `${dir}/merchant`]).status).toBe(0);
    const file = write(dir, 'payout.json', '{"BUSIYPE":"1","ORDERNO":"2026112600000001","AMT":"100"}');
    const r = mmsp([
      'payout',
      'seal',
      '--json',
      '--platform-pub',
      `${dir}/platform/merchant.pub`,
      '--merchant-key',
      `${dir}/merchant/merchant.key`,
      file,
    ]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(Object.keys(JSON.parse(r.stdout) as object).sort()).toEqual(['ENCRYPT', 'SIGN']);
  });

  it('sign --json gives { signingString, sign } with the same sign as the last line of the plain output', () => {
    const dir = tempDir();
    const file = write(dir, 'body.json', '{"b":"x/y","a":"中文"}');
    const plain = mmsp(['sign', '--key', KEY, file]);
    const json = JSON.parse(mmsp(['sign', '--key', KEY, '--json', file]).stdout) as {
      signingString: string;
      sign: string;
    };
    expect(Object.keys(json).sort()).toEqual(['sign', 'signingString']);
    expect(plain.stdout.trimEnd().split('\n').at(-1)).toBe(json.sign);
  });

  for (const command of [
    ['sign'],
    ['verify'],
    ['doctor'],
    ['keygen'],
    ['payout', 'seal'],
    ['payout', 'open'],
    ['notify'],
    ['sandbox'],
  ]) {
    it(`${command.join(' ')} --help exits 0 with an example`, () => {
      const r = mmsp([...command, '--help']);
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`Example[s]?:\\n\\s+mmsp ${command.join(' ')}`));
    });
  }
});
