// --help on every command (usage, every option, an example), --version, the command list, and the
// error rule for unknown commands and options (one line on stderr, exit 64).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../src/run.js';
import { BIN, mmsp } from './helpers.js';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  version: string;
  bin: Record<string, string>;
};

describe('help and version', () => {
  it('lists the eight commands of issue #8 and reconcile (issue #16)', () => {
    expect(COMMANDS.map((c) => c.name)).toEqual([
      'sign',
      'verify',
      'doctor',
      'keygen',
      'payout seal',
      'payout open',
      'notify',
      'sandbox',
      'reconcile',
    ]);
    const r = mmsp(['--help']);
    expect(r.status).toBe(0);
    for (const c of COMMANDS) expect(r.stdout).toContain(`  ${c.name}  `);
    expect(r.stdout).toContain('Example:');
  });

  for (const c of COMMANDS) {
    it(`mmsp ${c.name} --help: usage, every option, an example`, () => {
      for (const flag of ['--help', '-h']) {
        const r = mmsp([...c.name.split(' '), flag]);
        expect(r.status).toBe(0);
        expect(r.stderr).toBe('');
        expect(r.stdout).toBe(c.help);
      }
      expect(c.help).toMatch(new RegExp(`^Usage: mmsp ${c.name} `));
      for (const option of Object.keys(c.options)) expect(c.help, `--${option}`).toContain(`--${option}`);
      expect(c.help).toMatch(new RegExp(`\\nExample:\\n  mmsp ${c.name} `));
      expect(mmsp(['help', ...c.name.split(' ')]).stdout).toBe(c.help);
    });
  }

  it('--version prints the package version; the bin is mmsp → bin/mmsp.js, which runs dist/bin.js', () => {
    expect(mmsp(['--version']).stdout).toBe(`${pkg.version}\n`);
    expect(mmsp(['-v']).status).toBe(0);
    expect(pkg.bin).toEqual({ mmsp: './bin/mmsp.js' });
    expect(readFileSync(new URL('../dist/bin.js', import.meta.url), 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(
      true,
    );
  });

  it('no command: the usage with exit 64; unknown commands and options: one line, exit 64, no value echoed', () => {
    const none = mmsp([]);
    expect(none.status).toBe(64);
    expect(none.stdout).toContain('Usage: mmsp <command>');
    const cases: [string[], RegExp][] = [
      [['frobnicate'], /^mmsp: unknown command "frobnicate"; commands: sign, verify/],
      [['payout'], /^mmsp payout: give a subcommand: seal or open/],
      [['payout', 'peek'], /^mmsp payout: give a subcommand: seal or open/],
      [['sign', '--kye=ea21842eea24e448b991b1cb0a0294cf'], /^mmsp sign: unknown option --kye \(/],
      [['sign', '--key'], /^mmsp sign: option --key needs a value/],
      [['sign', '--json=yes'], /^mmsp sign: option --json takes no value/],
      [['sign', 'a.json', 'ea21842eea24e448b991b1cb0a0294cf'], /^mmsp sign: too many arguments \(2; takes at most 1/],
    ];
    for (const [args, words] of cases) {
      const r = mmsp(args);
      expect(r.status, args.join(' ')).toBe(64);
      expect(r.stderr).toMatch(words);
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(r.stderr).not.toContain('ea21842eea24e448b991b1cb0a0294cf');
      expect(r.stdout).toBe('');
    }
  });

  it('a closed pipe (mmsp … | head -c 0) ends quietly, without a stack trace', () => {
    const r = spawnSync(
      'sh',
      [
        '-c',
        `"${process.execPath}" "${BIN}" sign --help | head -c 0; "${process.execPath}" "${BIN}" --help | head -c 0`,
      ],
      { encoding: 'utf8' },
    );
    expect(r.stderr).not.toMatch(/EPIPE|\n\s+at /);
  });
});
