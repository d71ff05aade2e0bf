// `mmsp payout seal` / `mmsp payout open`: the payout family's RSA message (PROTOCOL §6) with the
// codec's payoutSeal / payoutOpen: 117-byte segmented PKCS#1 v1.5 encryption, SHA1withRSA.
import { MmspSignatureError, payoutOpen, payoutSeal, phpJsonDecode, PhpArray } from '@mmsp/codec';
import { str, type Command, type CommandContext } from '../args.js';
import { CliError, EXIT_FAIL, EXIT_OK } from '../errors.js';
import { guard } from '../guard.js';
import { readPem, readText } from '../input.js';

const OPTION_NAMES = { merchantPrivateKey: '--merchant-key', platformPublicKey: '--platform-pub' } as const;

async function message(ctx: CommandContext, command: string, what: string): Promise<string> {
  const path = ctx.positionals[0];
  if (path === undefined)
    throw new CliError(`mmsp ${command}: give the ${what} file, or - to read stdin (see mmsp ${command} --help)`);
  const input = await readText(ctx, command, path, what);
  const text = input.text.trim();
  let top;
  try {
    top = phpJsonDecode(text);
  } catch {
    throw new CliError(`mmsp ${command}: the ${what} is not JSON`);
  }
  if (!(top instanceof PhpArray)) throw new CliError(`mmsp ${command}: the ${what} must be a JSON object`);
  return text;
}

export const payoutSealCommand: Command = {
  name: 'payout seal',
  summary: 'encrypt and sign a payout request: plaintext JSON → {"ENCRYPT","SIGN"}',
  help: `Usage: mmsp payout seal --platform-pub FILE --merchant-key FILE FILE|-

Encrypts the plaintext request JSON with the platform's public key (RSA PKCS#1 v1.5 in 117-byte
blocks) and signs it with the merchant's private key (SHA1withRSA), printing the JSON to POST:
{"ENCRYPT":"…","SIGN":"…"} (docs/PROTOCOL.md §6). The plaintext is sent exactly as written
(surrounding whitespace and a BOM removed).

  FILE                   the plaintext payout request (JSON object); - reads stdin
  --platform-pub FILE    the platform's RSA public key (PEM)
  --merchant-key FILE    your RSA private key (PKCS#8 or PKCS#1 PEM)
  --json                 accepted for scripts: the output is always that JSON
  -h, --help             this text

Example:
  mmsp payout seal --platform-pub platform.pub --merchant-key keys/merchant.key payout.json > sealed.json
`,
  // --json: every command takes it (issue #8); seal's output is JSON already.
  options: { 'platform-pub': { type: 'string' }, 'merchant-key': { type: 'string' }, json: { type: 'boolean' } },
  maxPositionals: 1,
  async run(ctx) {
    const plain = await message(ctx, 'payout seal', 'plaintext');
    const platformPublicKey = await readPem(ctx, 'payout seal', 'platform-pub');
    const merchantPrivateKey = await readPem(ctx, 'payout seal', 'merchant-key');
    const sealed = guard(
      'payout seal',
      () => payoutSeal(plain, { platformPublicKey, merchantPrivateKey }),
      OPTION_NAMES,
    );
    ctx.io.stdout(`${JSON.stringify({ ENCRYPT: sealed.ENCRYPT, SIGN: sealed.SIGN })}\n`);
    return EXIT_OK;
  },
};

export const payoutOpenCommand: Command = {
  name: 'payout open',
  summary: 'decrypt a payout response and check its signature',
  help: `Usage: mmsp payout open --merchant-key FILE [--platform-pub FILE] [--json] FILE|-

Decrypts the response's ENCRYPT with your private key and, with --platform-pub, checks its SIGN
(SHA1withRSA) over the plaintext. Prints RETCODE, the message, the signature check and the
plaintext. Exit 0 when opened (and the signature verified, if checked), 1 when the signature does
not verify.

  FILE                   the response JSON ({"RETCODE","RETMSG","ENCRYPT","SIGN"}); - reads stdin
  --merchant-key FILE    your RSA private key (PEM)
  --platform-pub FILE    the platform's RSA public key (PEM), to check SIGN
  --json                 print {"RETCODE","message","signature","plaintext","data"}
  -h, --help             this text

Example:
  mmsp payout open --merchant-key keys/merchant.key --platform-pub platform.pub response.json
`,
  options: { 'platform-pub': { type: 'string' }, 'merchant-key': { type: 'string' }, json: { type: 'boolean' } },
  maxPositionals: 1,
  async run(ctx) {
    const response = await message(ctx, 'payout open', 'response');
    const merchantPrivateKey = await readPem(ctx, 'payout open', 'merchant-key');
    const platformPublicKey =
      str(ctx.values, 'platform-pub') !== undefined ? await readPem(ctx, 'payout open', 'platform-pub') : undefined;
    const hasSign = (() => {
      const s = (phpJsonDecode(response) as PhpArray).get('SIGN');
      return typeof s === 'string' && s !== '';
    })();
    let signature: 'verified' | 'mismatch' | 'absent' | 'not-checked' = 'mismatch';
    const checked = guard(
      'payout open',
      () => {
        try {
          return payoutOpen(response, { merchantPrivateKey, ...(platformPublicKey ? { platformPublicKey } : {}) });
        } catch (err) {
          if (err instanceof MmspSignatureError) return undefined; // shown below as a mismatch
          throw err;
        }
      },
      OPTION_NAMES,
    );
    // On a signature mismatch, open it again without the check to show what arrived.
    const opened = checked ?? guard('payout open', () => payoutOpen(response, { merchantPrivateKey }), OPTION_NAMES);
    if (checked !== undefined) signature = checked.signatureChecked ? 'verified' : !hasSign ? 'absent' : 'not-checked';
    if (ctx.json) {
      ctx.io.stdout(
        `${JSON.stringify({ RETCODE: opened.RETCODE ?? null, message: opened.message ?? null, signature, plaintext: opened.plaintext ?? null, data: opened.data ?? null })}\n`,
      );
    } else {
      const sig = {
        verified: "verified (SHA1withRSA with the platform's public key)",
        mismatch: "MISMATCH: SIGN does not verify with the platform's public key; do not trust this response",
        absent: 'absent (the response carries no SIGN)',
        'not-checked': 'not checked (pass --platform-pub to check it)',
      }[signature];
      ctx.io.stdout(
        `RETCODE: ${opened.RETCODE ?? '(none)'}\nmessage: ${opened.message ?? '(none)'}\nsignature: ${sig}\nplaintext: ${opened.plaintext ?? '(no ENCRYPT)'}\n`,
      );
    }
    return signature === 'mismatch' ? EXIT_FAIL : EXIT_OK;
  },
};
