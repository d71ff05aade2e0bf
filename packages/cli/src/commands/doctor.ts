// `mmsp doctor`: why does a signature not match? Tries the mistakes signers make (doctor/variants.ts)
// and shows the bytes where the matching variant's signing string differs from ours. Answers the
// platform FAQ's first question, 交易参数签名不符问题 (PROTOCOL §3).
import { Signer } from '@mmsp/codec';
import { str, type Command } from '../args.js';
import { describeSource, readBody } from '../body.js';
import { byteDiff, formatHunks, hunksJson } from '../doctor/diff.js';
import { keyVariants, textVariants, type KeyVariant, type TextVariant } from '../doctor/variants.js';
import { CliError, EXIT_FAIL, EXIT_OK, EXIT_UNEXPLAINED } from '../errors.js';
import { guard } from '../guard.js';
import { KEY_OPTIONS, readKey, readText, requireKey } from '../input.js';

/** The codec's signer: the repository's one MD5, over each variant's signing string. */
const signer = new Signer();

function md5Upper(text: string, key: string): string {
  return signer.signSigningString(text, key);
}

interface Found {
  text: TextVariant;
  key: KeyVariant;
  /** The given Sign matched only ignoring case (lower-case hex). */
  caseOnly: boolean;
}

export const doctorCommand: Command = {
  name: 'doctor',
  summary: 'explain a signature mismatch: which variant of the Body, text or key would have matched',
  help: `Usage: mmsp doctor --key KEY --sign SIGN [options] FILE|-

Given a Body or a whole envelope (as sent or as received) and the Sign that does not match, tries
the mistakes behind the platform FAQ's "交易参数签名不符问题": "/" unescaped, unicode escaped, a
number quoted or unquoted (each field), nested objects sorted, fields not sorted, the agent's key
instead of the merchant's (or the reverse), trailing whitespace / CRLF / BOM in the text or the key,
the Body as a JSON string, the whole envelope signed, lower-case hex. Shows which one matches and
the differing bytes (offsets in UTF-8 bytes) between our signing string and that variant's.

Exit 0: the Sign matches the Body signed the PHP way; 1: a variant explains the mismatch;
2: nothing explains it.

  FILE                  a Body or an envelope; - reads stdin
  --sign SIGN           the signature that does not match (default: the envelope's Sign)
  --key KEY             the merchant's MD5 key (or --key-file FILE, or MMSP_KEY)
  --agent-key KEY       the agent's MD5 key, to try it too (or --agent-key-file FILE, or MMSP_AGENT_KEY)
  --json                print JSON for scripts
  -h, --help            this text

Example:
  mmsp doctor --key-file merchant.md5 --sign 9B4A33A1B6E8F3C0D2E1F00112233445 request-body.json
  mmsp doctor --key-file merchant.md5 --agent-key-file agent.md5 received-notification.json
`,
  options: {
    ...KEY_OPTIONS,
    sign: { type: 'string' },
    'agent-key': { type: 'string' },
    'agent-key-file': { type: 'string' },
    json: { type: 'boolean' },
  },
  maxPositionals: 1,
  async run(ctx) {
    const path = ctx.positionals[0];
    if (path === undefined)
      throw new CliError('mmsp doctor: give a Body or envelope file, or - to read stdin (see mmsp doctor --help)');
    const input = await readText(ctx, 'doctor', path, 'input');
    const b = readBody('doctor', input);
    const key = await requireKey(ctx, 'doctor');
    const agentKey = await readKey(ctx, 'doctor', 'agent-key', 'MMSP_AGENT_KEY');
    const given = str(ctx.values, 'sign') ?? b.envelopeSign;
    if (given === undefined)
      throw new CliError('mmsp doctor: --sign SIGN is required (the input is not an envelope carrying a Sign)');
    if (!/^[0-9a-fA-F]{32}$/.test(given)) {
      throw new CliError(
        `mmsp doctor: --sign must be 32 hexadecimal characters (an MD5 signature); got ${given.length} characters`,
      );
    }
    const agentNo = b.envelope?.get('AGENTNO');
    const agency = typeof agentNo === 'string' && agentNo !== '' && agentKey !== undefined;

    const texts = guard('doctor', () => textVariants(b));
    const keys = keyVariants(key, agentKey, agency);
    const ours = texts[0] as TextVariant;
    const expected = md5Upper(ours.text, (keys[0] as KeyVariant).key);
    const wanted = given.toUpperCase();
    const found: Found[] = [];
    for (const k of keys) {
      for (const t of texts) {
        if (md5Upper(t.text, k.key) === wanted) found.push({ text: t, key: k, caseOnly: given !== wanted });
      }
    }
    const first = found[0];
    const original = first !== undefined && first.text === ours && first.key === keys[0];
    const result = first === undefined ? 'unexplained' : original && !first.caseOnly ? 'match' : 'explained';
    const hunks = first === undefined ? [] : byteDiff(ours.text, first.text.text);
    const explanation = first === undefined ? undefined : explain(first, keys[0] as KeyVariant);

    const notes = [
      describeSource(b),
      input.bom ? "the input starts with a UTF-8 BOM (EF BB BF): PHP's json_decode rejects such a request" : undefined,
    ].filter((n): n is string => n !== undefined);
    if (ctx.json) {
      ctx.io.stdout(
        `${JSON.stringify({
          result,
          signingString: ours.text,
          sign: expected,
          given,
          match:
            first === undefined
              ? null
              : {
                  variant: first.text.id,
                  key: first.key.id,
                  lowerCaseHex: first.caseOnly,
                  explanation,
                  fix: fixOf(first),
                  signingString: first.text.text,
                  diff: hunksJson(hunks),
                },
          alsoMatches: found.slice(1).map((f) => ({ variant: f.text.id, key: f.key.id })),
          tried: { texts: texts.length, keys: keys.length },
          notes,
        })}\n`,
      );
    } else {
      const out: string[] = [];
      for (const n of notes) out.push(`note: ${n}`);
      out.push(
        'Our signing string (json_encode of the ksorted Body, before "&key=", docs/PROTOCOL.md §3):',
        `  ${ours.text}`,
      );
      out.push(`Signature of this Body: ${expected}`, `Given Sign:             ${given}`);
      if (result === 'match') {
        out.push(
          `OK: the given Sign matches the Body signed the PHP way with ${keys[0]!.which === 'agent' ? "the agent's" : "the merchant's"} key.`,
        );
      } else if (first !== undefined) {
        out.push(`EXPLAINED: ${explanation}`);
        const fix = fixOf(first);
        if (fix) out.push(`  fix: ${fix}`);
        if (first.text !== ours) {
          const theirs = first.text.text;
          // Raw when readable; JSON-quoted when invisible bytes matter (line endings, BOM, edge spaces).
          const shown = /[\u0000-\u001f\u007f\ufeff]|^\s|\s$/.test(theirs) ? JSON.stringify(theirs) : theirs;
          out.push(`  their signing string: ${shown.length > 400 ? `${shown.slice(0, 400)}…` : shown}`);
          out.push('  differing bytes (ours → theirs):');
          for (const l of formatHunks(hunks)) out.push(`    ${l}`);
        } else {
          out.push('  the signing strings are identical: the difference is in the key or the letter case of the Sign');
        }
        if (found.length > 1)
          out.push(
            `  also matches: ${found
              .slice(1, 6)
              .map((f) => `${f.text.id} with ${f.key.id}`)
              .join(', ')}`,
          );
      } else {
        out.push(
          `UNEXPLAINED: no variant matches (tried ${texts.length} signing strings × ${keys.length} keys).`,
          '  Check that the key is the one issued for this MERNO / TERMNO (test or production), that the Body is byte for byte',
          '  what was sent or received, and, in agency mode, pass --agent-key.',
        );
      }
      ctx.io.stdout(`${out.join('\n')}\n`);
    }
    return result === 'match' ? EXIT_OK : result === 'explained' ? EXIT_FAIL : EXIT_UNEXPLAINED;
  },
};

function explain(f: Found, primary: KeyVariant): string {
  const parts: string[] = [];
  if (f.text.id !== 'original') parts.push(f.text.title);
  if (f.key !== primary) parts.push(`signed with ${f.key.title}`);
  if (f.caseOnly)
    parts.push(
      'the Sign is the right MD5 but in lower-case hex; the document asks for upper case (strtoupper(md5(…)))',
    );
  return parts.join('; ') || f.text.title;
}

function fixOf(f: Found): string {
  return [f.text.fix, f.key.fix, f.caseOnly ? 'send the MD5 as upper-case hex' : ''].filter(Boolean).join('; ');
}
