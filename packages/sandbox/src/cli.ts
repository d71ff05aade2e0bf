#!/usr/bin/env node
// mmsp-sandbox: start the sandbox from the command line, print its URLs and the test merchant's
// credentials (PROTOCOL §8). `mmsp-sandbox --help` lists the options.
import { parseArgs } from 'node:util';

const HELP = `Usage: mmsp-sandbox [options]      (npx @mmsp/sandbox [options]; or npx @mmsp/cli sandbox)

  --port <n>         TCP port on 127.0.0.1 (default 8080; 0 picks a free one)
  --host <addr>      loopback address: 127.0.0.1 (default), ::1 or localhost
  --state <file>     keep state (orders, ledger, RSA keys) in this JSON file across restarts
  --seed <text>      reproducible platform order numbers and SMS codes
  --time-scale <x>   multiply the notification retry schedules (e.g. 0.01)
  --payout-delay <ms>    time each payout step takes (default 2000)
  --micropay-delay <ms>  time a "paying" micropay takes (default 2000)
  --quiet            do not print the log (SMS codes, notifications)
  --help             this text
`;

function numberOption(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) {
    process.stderr.write(`mmsp-sandbox: --${name} must be a number ≥ 0\n`);
    process.exit(2);
  }
  return n;
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        state: { type: 'string' },
        seed: { type: 'string' },
        'time-scale': { type: 'string' },
        'payout-delay': { type: 'string' },
        'micropay-delay': { type: 'string' },
        quiet: { type: 'boolean' },
        help: { type: 'boolean' },
      },
      strict: true,
    }));
  } catch (err) {
    process.stderr.write(`mmsp-sandbox: ${(err as Error).message}\n\n${HELP}`);
    process.exit(2);
  }
  if (values.help) {
    process.stdout.write(HELP);
    return;
  }
  // Imported after the options are read: --help and bad options answer even if the codec is not built.
  const { startSandbox } = await import('./server.js');
  const sandbox = await startSandbox({
    port: numberOption('port', values.port) ?? 8080,
    ...(values.host ? { host: values.host } : {}),
    ...(values.state ? { statePath: values.state } : {}),
    ...(values.seed !== undefined ? { seed: values.seed } : {}),
    ...(values['time-scale'] !== undefined ? { timeScale: numberOption('time-scale', values['time-scale'])! } : {}),
    ...(values['payout-delay'] !== undefined
      ? { payoutDelayMs: numberOption('payout-delay', values['payout-delay'])! }
      : {}),
    ...(values['micropay-delay'] !== undefined
      ? { micropayDelayMs: numberOption('micropay-delay', values['micropay-delay'])! }
      : {}),
    ...(values.quiet ? {} : { log: (line: string) => process.stdout.write(`${line}\n`) }),
  });
  const m = sandbox.merchant;
  process.stdout.write(`MMSP sandbox listening on ${sandbox.url}

Endpoints
  quick pay  POST ${m.endpoints.quickPay}
  scan code  POST ${m.endpoints.scan}
  gateway    POST ${m.endpoints.gateway}
  payout     POST ${m.endpoints.payout}

Test merchant (docs/PROTOCOL.md §8; sandbox only)
  merchantNo  ${m.merchantNo}
  terminalNo  ${m.terminalNo}
  MD5 key     ${m.key}
  RSA keys    GET ${sandbox.url}/_sandbox/merchant  (platformPublicKey, merchantPrivateKey, merchantPublicKey)

Inspection  ${sandbox.url}/_sandbox/orders · /payouts · /sms · /notifications · /faults · /log
`);
  const stop = (): void => {
    sandbox.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`mmsp-sandbox: ${(err as Error).message}\n`);
  process.exit(1);
});
