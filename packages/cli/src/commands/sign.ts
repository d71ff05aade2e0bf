// `mmsp sign` / `mmsp verify`: the MD5 signature of a Body the PHP way (PROTOCOL §3).
import { Signer, type SignOptions } from '@mmsp/codec';
import { str, type Command, type CommandContext, type Values } from '../args.js';
import { describeSource, readBody } from '../body.js';
import { CliError, EXIT_FAIL, EXIT_OK } from '../errors.js';
import { KEY_OPTIONS, readText, requireKey } from '../input.js';
import { guard } from '../guard.js';

export const SIGN_OPTIONS = {
  ...KEY_OPTIONS,
  'unescaped-slashes': { type: 'boolean' },
  'escape-unicode': { type: 'boolean' },
  json: { type: 'boolean' },
} as const;

export function signOptions(values: Values): SignOptions {
  return {
    ...(values['unescaped-slashes'] === true ? { escapeSlashes: false } : {}),
    ...(values['escape-unicode'] === true ? { escapeUnicode: true } : {}),
  };
}

const COMMON_HELP = `  FILE                  a Body (JSON object) or a whole envelope (its Body is used); - reads stdin
  --key KEY             the MD5 key (or --key-file FILE, or the MMSP_KEY environment variable)
  --unescaped-slashes   sign "/" as "/" instead of PHP's default "\\/" (docs/PROTOCOL.md §3, FAQ)
  --escape-unicode      sign non-ASCII as \\uXXXX (json_encode without JSON_UNESCAPED_UNICODE)
  --json                print JSON for scripts
  -h, --help            this text`;

export const signCommand: Command = {
  name: 'sign',
  summary: 'print the signing string and the MD5 signature of a Body',
  help: `Usage: mmsp sign [options] FILE|-

Prints the text the platform hashes (json_encode of the ksorted Body, before "&key=") on the first
line and the upper-case MD5 signature alone on the last line.

${COMMON_HELP}

Example:
  mmsp sign --key-file merchant.md5 --json body.json    # {"signingString":"…","sign":"…"}
  echo '{"MERORDERID":"20240101","AMT":"100"}' | mmsp sign --key "$MMSP_KEY" -
`,
  options: SIGN_OPTIONS,
  maxPositionals: 1,
  async run(ctx) {
    const { body, note, options } = await load(ctx, 'sign');
    const key = await requireKey(ctx, 'sign');
    // The one signing route: the Body encoded once, hashed and printed.
    const { signingString: s, sign } = guard('sign', () => new Signer().signAndString(body, key, options));
    if (ctx.json) ctx.io.stdout(`${JSON.stringify({ signingString: s, sign })}\n`);
    else {
      if (note) ctx.io.stderr(`mmsp sign: ${note}\n`);
      ctx.io.stdout(`${s}\n${sign}\n`);
    }
    return EXIT_OK;
  },
};

export const verifyCommand: Command = {
  name: 'verify',
  summary: "check a Body's MD5 signature (exit 0 when it matches, 1 when not)",
  help: `Usage: mmsp verify --sign SIGN [options] FILE|-

Checks SIGN (hex, any case) against the Body's MD5 signature, in constant time. Without --sign,
an envelope's own Sign is checked. Exit 0 when it matches, 1 when it does not (then try
mmsp doctor to find out why).

  --sign SIGN           the signature to check
${COMMON_HELP}

Example:
  mmsp verify --key "$MMSP_KEY" --sign 0CC175B9C0F1B6A831C399E269772661 body.json
  mmsp verify --key-file merchant.md5 notification.json      # the envelope's own Sign
`,
  options: { ...SIGN_OPTIONS, sign: { type: 'string' } },
  maxPositionals: 1,
  async run(ctx) {
    const { body, note, options, envelopeSign } = await load(ctx, 'verify');
    const key = await requireKey(ctx, 'verify');
    const given = str(ctx.values, 'sign') ?? envelopeSign;
    if (given === undefined || given === '') {
      throw new CliError('mmsp verify: --sign SIGN is required (the input is not an envelope carrying a Sign)');
    }
    const signer = new Signer();
    const { signingString: s, sign: expected } = guard('verify', () => signer.signAndString(body, key, options));
    const match = guard('verify', () => signer.verify(body, given, key, options));
    if (ctx.json) {
      ctx.io.stdout(`${JSON.stringify({ match, signingString: s, sign: expected })}\n`);
    } else {
      if (note) ctx.io.stderr(`mmsp verify: ${note}\n`);
      ctx.io.stdout(`${s}\n`);
      ctx.io.stdout(
        match
          ? 'OK: the signature matches\n'
          : `MISMATCH: the signature of this Body is ${expected}; run mmsp doctor with the same arguments to find out why\n`,
      );
    }
    return match ? EXIT_OK : EXIT_FAIL;
  },
};

async function load(ctx: CommandContext, command: string) {
  const path = ctx.positionals[0];
  if (path === undefined)
    throw new CliError(`mmsp ${command}: give a Body file, or - to read stdin (see mmsp ${command} --help)`);
  const input = await readText(ctx, command, path, 'Body');
  const b = readBody(command, input);
  const notes = [
    describeSource(b),
    input.bom
      ? "the input starts with a UTF-8 BOM, which PHP's json_decode rejects: remove it before sending"
      : undefined,
  ].filter(Boolean);
  return {
    body: b.body as object,
    note: notes.join('; '),
    options: signOptions(ctx.values),
    envelopeSign: b.envelopeSign,
  };
}
