// `mmsp sandbox`: the local MMSP platform (@mmsp/sandbox) with its URLs and the test merchant's
// credentials (PROTOCOL §8), until Ctrl-C.
import { num, str, type Command } from '../args.js';
import { CliError, EXIT_OK } from '../errors.js';
import { resolvePath } from '../input.js';

export const sandboxCommand: Command = {
  name: 'sandbox',
  summary: 'start the local MMSP sandbox and print its URLs and test credentials',
  help: `Usage: mmsp sandbox [--port N] [--seed S] [--time-scale X] [--state FILE] [--json]

Starts @mmsp/sandbox on 127.0.0.1 (the platform's four families, the inspection API under
/_sandbox/) and prints its URLs and the test merchant (docs/PROTOCOL.md §8). Runs until Ctrl-C.

  --port N          TCP port (default 8080; 0 picks a free one)
  --seed S          reproducible platform order numbers and SMS codes
  --time-scale X    multiply the notification retry schedules (e.g. 0.01)
  --state FILE      keep state (orders, ledger, RSA keys) in this JSON file across restarts
  --quiet           do not print the sandbox's log (SMS codes, notifications)
  --json            print one JSON line {url, merchantNo, terminalNo, key, endpoints, merchantUrl}
  -h, --help        this text

Example:
  mmsp sandbox --port 8080 --time-scale 0.01
  curl http://127.0.0.1:8080/_sandbox/merchant     # test credentials and RSA keys as JSON
`,
  options: {
    port: { type: 'string' },
    seed: { type: 'string' },
    'time-scale': { type: 'string' },
    state: { type: 'string' },
    quiet: { type: 'boolean' },
    json: { type: 'boolean' },
  },
  maxPositionals: 0,
  async run(ctx) {
    const port = num('sandbox', ctx.values, 'port', 8080, { integer: true });
    if (port > 65535) throw new CliError('mmsp sandbox: --port must be an integer from 0 to 65535');
    const timeScale = num('sandbox', ctx.values, 'time-scale', 1);
    const seed = str(ctx.values, 'seed');
    const state = str(ctx.values, 'state');
    const { startSandbox } = await import('@mmsp/sandbox');
    let sandbox;
    try {
      sandbox = await startSandbox({
        port,
        timeScale,
        ...(seed !== undefined ? { seed } : {}),
        ...(state !== undefined ? { statePath: resolvePath(ctx, state) } : {}),
        ...(ctx.values.quiet === true || ctx.json ? {} : { log: (line: string) => ctx.io.stdout(`${line}\n`) }),
      });
    } catch (err) {
      const code = (err as { code?: string }).code;
      const why =
        code === 'EADDRINUSE'
          ? `port ${port} is in use (try --port 0)`
          : code === 'EACCES'
            ? `port ${port} needs privileges`
            : (err as Error).message.split('\n')[0];
      throw new CliError(`mmsp sandbox: cannot start: ${why}`, 1);
    }
    const m = sandbox.merchant;
    const merchantUrl = `${sandbox.url}/_sandbox/merchant`;
    if (ctx.json) {
      ctx.io.stdout(
        `${JSON.stringify({ url: sandbox.url, merchantNo: m.merchantNo, terminalNo: m.terminalNo, key: m.key, endpoints: m.endpoints, merchantUrl })}\n`,
      );
    } else {
      ctx.io.stdout(`MMSP sandbox listening on ${sandbox.url}

Endpoints
  quick pay  POST ${m.endpoints.quickPay}
  scan code  POST ${m.endpoints.scan}
  gateway    POST ${m.endpoints.gateway}
  payout     POST ${m.endpoints.payout}

Test merchant (docs/PROTOCOL.md §8; sandbox only, never production values)
  merchantNo  ${m.merchantNo}
  terminalNo  ${m.terminalNo}
  MD5 key     ${m.key}
  RSA keys    GET ${merchantUrl}  (platformPublicKey, merchantPrivateKey, merchantPublicKey)

Inspection  ${sandbox.url}/_sandbox/orders · /payouts · /sms · /notifications · /log
Press Ctrl-C to stop.
`);
    }
    await new Promise<void>((resolve) => {
      const signal = ctx.io.signal;
      if (signal === undefined) return; // no way to stop: run until the process ends
      if (signal.aborted) return resolve();
      signal.addEventListener('abort', () => resolve(), { once: true });
    });
    await sandbox.close();
    return EXIT_OK;
  },
};
