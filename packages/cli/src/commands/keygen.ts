// `mmsp keygen`: the merchant's RSA-1024 payout key pair, made on this machine (PROTOCOL §6: the
// document sends people to a public website to make private keys; never do that).
import { generateKeyPairSync } from 'node:crypto';
import { chmod, mkdir, open, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { payoutOpen, payoutSeal } from '@mmsp/codec';
import { required, type Command } from '../args.js';
import { CliError, EXIT_OK } from '../errors.js';
import { resolvePath } from '../input.js';

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

async function writeFileMode(path: string, text: string, mode: number, force: boolean): Promise<void> {
  // 'wx' refuses to follow or replace an existing file; with --force it is replaced.
  const handle = await open(path, force ? 'w' : 'wx', mode);
  try {
    await handle.writeFile(text, 'utf8');
    await handle.chmod(mode); // mode only applies on creation: set it when replacing too
  } finally {
    await handle.close();
  }
}

export const keygenCommand: Command = {
  name: 'keygen',
  summary: 'make an RSA-1024 payout key pair locally: merchant.key (PKCS#8, 0600) and merchant.pub',
  help: `Usage: mmsp keygen --out DIR [--force] [--json]

Makes the merchant's RSA-1024 key pair for payouts (docs/PROTOCOL.md §6) on this machine:
  DIR/merchant.key  private key, PKCS#8 PEM, file mode 0600: keep it secret
  DIR/merchant.pub  public key, SPKI PEM: give it to the platform
The directory is created (mode 0700) when missing. Existing files are never replaced without --force.

  --out DIR     where to write the two files
  --force       replace existing merchant.key / merchant.pub
  --json        print {"privateKey": PATH, "publicKey": PATH} for scripts
  -h, --help    this text

Example:
  mmsp keygen --out ./keys && cat ./keys/merchant.pub
`,
  options: { out: { type: 'string' }, force: { type: 'boolean' }, json: { type: 'boolean' } },
  maxPositionals: 0,
  async run(ctx) {
    const dir = resolvePath(
      ctx,
      required('keygen', ctx.values, 'out', 'the directory to write merchant.key and merchant.pub to'),
    );
    const force = ctx.values.force === true;
    const keyPath = join(dir, 'merchant.key');
    const pubPath = join(dir, 'merchant.pub');
    if (!force) {
      for (const p of [keyPath, pubPath]) {
        if (await exists(p))
          throw new CliError(`mmsp keygen: ${p} exists; not replacing it (use --force to replace both files)`);
      }
    }
    try {
      await mkdir(dir, { recursive: true, mode: 0o700 });
    } catch {
      throw new CliError(`mmsp keygen: cannot create the directory ${dir}`);
    }
    const { privateKey, publicKey } = generateKeyPairSync('rsa', {
      modulusLength: 1024,
      publicExponent: 0x10001,
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    // The codec must be able to use the pair (segmented encryption + SHA1withRSA, PROTOCOL §6).
    const sealed = payoutSeal('{"check":"keygen"}', { platformPublicKey: publicKey, merchantPrivateKey: privateKey });
    const opened = payoutOpen(sealed, { merchantPrivateKey: privateKey, platformPublicKey: publicKey });
    if (opened.plaintext !== '{"check":"keygen"}' || !opened.signatureChecked)
      throw new Error('keygen: the new key pair failed its self-check');
    try {
      await writeFileMode(keyPath, privateKey, 0o600, force);
      await writeFileMode(pubPath, publicKey, 0o644, force);
      await chmod(keyPath, 0o600);
    } catch (err) {
      const code = (err as { code?: string }).code;
      throw new CliError(
        `mmsp keygen: cannot write to ${dir}${code === 'EEXIST' ? ': a file appeared meanwhile (use --force)' : code === 'EACCES' ? ': permission denied' : ''}`,
      );
    }
    if (ctx.json) ctx.io.stdout(`${JSON.stringify({ privateKey: keyPath, publicKey: pubPath })}\n`);
    else {
      ctx.io.stdout(
        `wrote ${keyPath} (RSA-1024 private key, PKCS#8 PEM, mode 0600: keep it secret)\n` +
          `wrote ${pubPath} (public key, SPKI PEM: give this one to the platform)\n`,
      );
    }
    return EXIT_OK;
  },
};
